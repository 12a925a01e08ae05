//! Clause numbering: bullets, `1.`, `I.`, `a)` running on to `aa)`, and
//! section-numbered `2.1`. Labels are computed here once, so the PDF and
//! the HTML always agree.

use serde::{Deserialize, Serialize};

/// How clauses are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NumberingStyle {
    /// Bullets.
    Bullet,
    /// `1.`, `2.` …
    #[default]
    Decimal,
    /// `I.`, `II.` …
    Roman,
    /// `a)` … `z)`, then `aa)`, `bb)` …
    Letter,
    /// `2.1`, with numbered section headings.
    Section,
}

/// The label of the `index`-th clause (0-based, counted through the whole
/// document) which is the `in_section`-th (0-based) clause of section
/// number `section` (1-based).
pub fn clause_label(
    style: NumberingStyle,
    index: usize,
    section: usize,
    in_section: usize,
) -> String {
    match style {
        NumberingStyle::Bullet => "•".to_string(),
        NumberingStyle::Decimal => format!("{}.", index + 1),
        NumberingStyle::Roman => format!("{}.", roman(index + 1)),
        NumberingStyle::Letter => format!("{})", letters(index)),
        NumberingStyle::Section => format!("{section}.{}", in_section + 1),
    }
}

/// The number printed before a section heading, if the style numbers them.
pub fn section_label(style: NumberingStyle, section: usize) -> Option<String> {
    (style == NumberingStyle::Section).then(|| format!("{section}."))
}

/// Checks a list numbering pattern: an optional `(`, one of `1`, `a`, `A`,
/// `i`, `I`, then `.` or `)`, as typst and the HTML both print them.
pub fn check_list_pattern(pattern: &str) -> Result<(), String> {
    let inner = pattern.strip_prefix('(').unwrap_or(pattern);
    let mut chars = inner.chars();
    let symbol = chars.next();
    let suffix: String = chars.collect();
    let ok_symbol = matches!(symbol, Some('1' | 'a' | 'A' | 'i' | 'I'));
    let ok_suffix = if pattern.starts_with('(') {
        suffix == ")"
    } else {
        suffix == "." || suffix == ")"
    };
    if ok_symbol && ok_suffix {
        Ok(())
    } else {
        Err(format!(
            "`{pattern}` is not a list numbering; use one of 1. a. A. i. I. a) i) (a) (i) (1)"
        ))
    }
}

/// The `n`-th (1-based) label of a list numbered with `pattern`, e.g.
/// `(ii)` for `(i)` and 2.
pub fn list_label(pattern: &str, n: usize) -> String {
    let (prefix, rest) = match pattern.strip_prefix('(') {
        Some(rest) => ("(", rest),
        None => ("", pattern),
    };
    let mut chars = rest.chars();
    let counted = match chars.next() {
        Some('a') => letters_alpha(n - 1),
        Some('A') => letters_alpha(n - 1).to_uppercase(),
        Some('i') => roman(n).to_lowercase(),
        Some('I') => roman(n),
        _ => n.to_string(),
    };
    format!("{prefix}{counted}{}", chars.as_str())
}

/// `a` … `z`, `aa`, `ab` …: how typst counts letters in a list.
fn letters_alpha(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push((b'a' + (index % 26) as u8) as char);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.iter().rev().collect()
}

/// Upper-case roman numerals (`n` ≥ 1).
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// `a` … `z`, then `aa`, `bb` … `zz`, then `aaa` …: the letter repeats, as
/// legal and school documents number long lists.
pub fn letters(index: usize) -> String {
    let letter = (b'a' + (index % 26) as u8) as char;
    std::iter::repeat_n(letter, index / 26 + 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        let got: Vec<String> = [1, 4, 9, 14, 40, 49, 1994]
            .iter()
            .map(|n| roman(*n))
            .collect();
        assert_eq!(got, ["I", "IV", "IX", "XIV", "XL", "XLIX", "MCMXCIV"]);
    }

    #[test]
    fn letters_run_past_z() {
        assert_eq!(letters(0), "a");
        assert_eq!(letters(25), "z");
        assert_eq!(letters(26), "aa");
        assert_eq!(letters(27), "bb");
        assert_eq!(letters(52), "aaa");
    }

    #[test]
    fn list_patterns() {
        assert_eq!(list_label("a.", 1), "a.");
        assert_eq!(list_label("A.", 3), "C.");
        assert_eq!(list_label("(i)", 4), "(iv)");
        assert_eq!(list_label("I.", 9), "IX.");
        assert_eq!(list_label("a)", 27), "aa)");
        assert_eq!(list_label("(1)", 12), "(12)");
        for ok in ["1.", "a.", "A.", "i.", "I.", "a)", "(a)", "(i)"] {
            assert!(check_list_pattern(ok).is_ok(), "{ok}");
        }
        for bad in ["x.", "a", "(a.", "1", "a.b", ""] {
            assert!(check_list_pattern(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn labels_per_style() {
        use NumberingStyle::*;
        assert_eq!(clause_label(Bullet, 3, 1, 3), "•");
        assert_eq!(clause_label(Decimal, 3, 1, 3), "4.");
        assert_eq!(clause_label(Roman, 3, 1, 3), "IV.");
        assert_eq!(clause_label(Letter, 27, 1, 3), "bb)");
        assert_eq!(clause_label(Section, 9, 2, 0), "2.1");
        assert_eq!(section_label(Section, 2).as_deref(), Some("2."));
        assert_eq!(section_label(Roman, 2), None);
    }
}
