//! Splits a clause file into its YAML front matter and Markdown body,
//! remembering where each starts so errors can name the right line. The
//! loader reads a clause through it, and `places` finds a key in a clause
//! through it, so both agree on where the front matter is.

/// A clause file cut into its two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` fences.
    pub yaml: &'a str,
    /// 1-based line of the file where the YAML starts.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty or only white space.
    Empty,
    /// The first line is not `---`.
    NoOpeningFence,
    /// No closing `---` line follows the opening one.
    NoClosingFence,
}

impl SplitError {
    /// What to tell the user, and how to fix it.
    pub fn message_and_hint(&self) -> (&'static str, &'static str) {
        match self {
            SplitError::Empty => (
                "the clause file is empty",
                "a clause starts with `---`, its YAML front matter (id, section, order, audiences), `---`, then the text",
            ),
            SplitError::NoOpeningFence => (
                "the clause file has no front matter",
                "put a line `---` first, then the front matter (id, section, order, audiences), then another `---` line",
            ),
            SplitError::NoClosingFence => (
                "the front matter is never closed",
                "add a line with just `---` after the front matter, before the clause text",
            ),
        }
    }
}

/// Splits `text` at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err(SplitError::NoOpeningFence);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(lines) {
        if is_fence(line) {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::NoClosingFence)
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r']).trim_end() == "---"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_line_numbers() {
        let s = split("---\nid: a\norder: 1\n---\nBody\nmore\n").unwrap();
        assert_eq!(s.yaml, "id: a\norder: 1\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Body\nmore\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn accepts_crlf_and_byte_order_mark() {
        let s = split("\u{feff}---\r\nid: a\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "id: a\r\n");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn empty_body_is_allowed_here() {
        let s = split("---\nid: a\n---").unwrap();
        assert_eq!(s.body, "");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn reports_each_malformation() {
        assert_eq!(split("  \n"), Err(SplitError::Empty));
        assert_eq!(split("id: a\n"), Err(SplitError::NoOpeningFence));
        assert_eq!(split("---\nid: a\n"), Err(SplitError::NoClosingFence));
        assert_eq!(split("----\nid: a\n---\n"), Err(SplitError::NoOpeningFence));
    }
}
