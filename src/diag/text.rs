//! Text helpers for locating and explaining problems: offsets to lines and
//! columns, finding a key or value in a file, "did you mean" suggestions and
//! project-relative paths.

use std::path::{Path, PathBuf};

/// Whether `c` would act on a terminal or reorder text instead of showing:
/// control characters (escape sequences, carriage returns, bells) and the
/// bidirectional controls that make displayed text lie.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `text` safe to print on a terminal as one field: every control and
/// bidirectional character (a newline included) shown as `\u{…}`.
pub fn printable(text: &str) -> String {
    escape_unsafe(text, |_| false)
}

/// `text` safe to print on a terminal, keeping its newlines and tabs.
pub fn printable_lines(text: &str) -> String {
    escape_unsafe(text, |c| c == '\n' || c == '\t')
}

fn escape_unsafe(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe_char(c) && !keep(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offset of the first occurrence of `needle` in `source` that is not
/// part of a longer word, skipping comments.
pub fn find_token(source: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let code = line.split(" #").next().unwrap_or(line);
        let mut from = 0;
        while let Some(found) = code[from..].find(needle) {
            let at = from + found;
            let before_ok = code[..at].chars().next_back().is_none_or(|c| !is_word(c));
            let after_ok = code[at + needle.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_word(c));
            if before_ok && after_ok && !code.trim_start().starts_with('#') {
                return Some(line_start + at);
            }
            from = at + needle.len();
        }
        line_start += line.len();
    }
    None
}

/// The closest of `candidates` to `word`, if any is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A hint suggesting the closest candidate, if any.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The path of `path` relative to `root`, with `/` separators, for messages.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_and_bidi_controls_are_shown_not_obeyed() {
        assert_eq!(printable("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\ny"), "x\\u{a}y");
        assert_eq!(printable_lines("x\ny\r"), "x\ny\\u{d}");
        assert_eq!(printable("abc\u{202E}fdp.exe"), "abc\\u{202e}fdp.exe");
        assert_eq!(
            printable("Siân Ó Súilleabháin 王小明"),
            "Siân Ó Súilleabháin 王小明"
        );
    }

    #[test]
    fn line_column_counts_from_one() {
        let src = "a: 1\nbé: 2\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 5), (2, 1));
        assert_eq!(line_column(src, 8), (2, 3));
    }

    #[test]
    fn find_token_skips_partial_words_and_comments() {
        let src = "# dpo-email\nexclude: [dpo-email-x, dpo-email]\n";
        let at = find_token(src, "dpo-email").unwrap();
        assert_eq!(line_column(src, at), (2, 24));
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["contacts", "systems", "name"];
        assert_eq!(did_you_mean("contcts", keys), Some("contacts"));
        assert_eq!(did_you_mean("zebra", keys), None);
    }
}
