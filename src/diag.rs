//! Diagnostics: every problem policyc finds in a project, with where it is,
//! what is wrong and how to fix it.
//!
//! A [`Diagnostic`] names a file relative to the project, a 1-based line and
//! column where known, a stable `code`, the message and an optional hint. It
//! renders as a rustc/typst-style excerpt for people and as JSON for CI.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The project cannot be built until it is fixed.
    Error,
    /// The project builds, but a reader may be let down.
    Warning,
}

/// One problem, located in a project file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the project root (`/` separated).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// A stable, kebab-case identifier of the kind of problem.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The text of the offending line, for the excerpt.
    #[serde(skip)]
    pub excerpt: Option<String>,
}

impl Diagnostic {
    /// An error in `file`, with no position yet.
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            code,
            message: message.into(),
            hint: None,
            excerpt: None,
        }
    }

    /// A warning in `file`, with no position yet.
    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, file, message)
        }
    }

    /// Sets the hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the hint when there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Places the diagnostic at `line`:`column` (1-based) of `source`, the
    /// file's text, and keeps that line for the excerpt.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        let count = source.lines().count();
        let (line, column) = if line > count && count > 0 {
            // Past the end (an unclosed bracket, say): point after the last line.
            let last = source.lines().next_back().unwrap_or_default();
            (count, last.chars().count() + 1)
        } else {
            (line.max(1), column.max(1))
        };
        self.line = Some(line);
        self.column = Some(column);
        self.excerpt = source.lines().nth(line - 1).map(str::to_owned);
        self
    }

    /// Places the diagnostic at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_column(source, offset);
        self.at(source, line, column)
    }

    /// Places the diagnostic at the first line of `source` where `needle`
    /// appears as a YAML key or value, if it does.
    pub fn near(self, source: &str, needle: &str) -> Self {
        match find_token(source, needle) {
            Some(offset) => self.at_offset(source, offset),
            None => self,
        }
    }

    /// `file:line:col`, as far as known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }

    /// Renders the diagnostic for a terminal, rustc style.
    pub fn render(&self, colour: bool) -> String {
        let (red, yellow, blue, bold, reset) = if colour {
            ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "", "")
        };
        let (word, tint) = match self.severity {
            Severity::Error => ("error", red),
            Severity::Warning => ("warning", yellow),
        };
        let mut out = format!(
            "{bold}{tint}{word}[{}]{reset}{bold}: {}{reset}\n",
            self.code, self.message
        );
        let _ = writeln!(out, "  {blue}-->{reset} {}", self.location());
        if let (Some(line), Some(text)) = (self.line, &self.excerpt) {
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let caret_at = self.column.unwrap_or(1).saturating_sub(1);
            let shown: String = text.chars().take(160).collect();
            let indent: String = shown
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, " {pad} {blue}|{reset}");
            let _ = writeln!(out, " {blue}{line}{reset} {blue}|{reset} {shown}");
            let _ = writeln!(out, " {pad} {blue}|{reset} {indent}{tint}^{reset}");
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  {blue}={reset} {bold}help{reset}: {hint}");
        }
        out
    }
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

/// The problems found so far, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records several problems.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors and of warnings.
    pub fn counts(&self) -> (usize, usize) {
        let items = self.sorted();
        let errors = items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        (errors, items.len() - errors)
    }

    /// All problems, sorted by file and line, duplicates removed.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        items.dedup();
        items
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// The error a build or check returns when the project has problems; the
/// diagnostics have already been printed.
#[derive(Debug)]
pub struct ProjectHasErrors {
    /// Number of errors found.
    pub errors: usize,
}

impl std::fmt::Display for ProjectHasErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = if self.errors == 1 { "" } else { "s" };
        write!(
            f,
            "the project has {} error{s}; nothing was written",
            self.errors
        )
    }
}

impl std::error::Error for ProjectHasErrors {}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn renders_excerpt_with_caret_and_hint() {
        let d = Diagnostic::error("unknown-key", "schools/a.yaml", "unknown key `contcts`")
            .at("name: A\ncontcts: {}\n", 2, 1)
            .with_hint("did you mean `contacts`?");
        assert_eq!(
            d.render(false),
            "error[unknown-key]: unknown key `contcts`\n  --> schools/a.yaml:2:1\n   |\n 2 | contcts: {}\n   | ^\n  = help: did you mean `contacts`?\n"
        );
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["contacts", "systems", "name"];
        assert_eq!(did_you_mean("contcts", keys), Some("contacts"));
        assert_eq!(did_you_mean("zebra", keys), None);
    }
}
