//! Diagnostics: every problem policyc finds in a project, with where it is,
//! what is wrong and how to fix it.
//!
//! A [`Diagnostic`] names a file relative to the project, a 1-based line and
//! column where known, a stable `code`, the message and an optional hint. It
//! renders as a rustc/typst-style excerpt for people and as JSON for CI.
//!
//! **One convention:** a function that finds problems takes the
//! [`Diagnostics`] of the run as `&mut Diagnostics`, pushes every problem it
//! finds (errors and warnings alike) and returns what it could make, as an
//! `Option` where a failure leaves nothing usable. That holds for a stage
//! and for each rule inside it. The caller decides what an error means by
//! asking [`Diagnostics::has_errors`]. Two shapes serve it and are not
//! another convention: a function that words one problem returns that
//! [`Diagnostic`] for its caller to push (`check/messages.rs`), and one
//! item's work on a worker thread, which cannot share the run's
//! `Diagnostics`, returns `Result<T, Diagnostic>` that the stage pushes in
//! order (rendering one document, say). No function that finds problems
//! returns a list of them (`tests/it/layers.rs` holds to that).
//!
//! Every diagnostic code is listed, with what it means, in docs/FORMAT.md.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;

use serde::Serialize;

pub mod code;
pub mod frontmatter;
pub mod places;
pub mod text;
pub mod workbook;

pub use code::Code;
pub use text::{
    did_you_mean, find_token, line_column, printable, printable_lines, relative, suggestion,
};
pub use workbook::Workbook;

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: the project has errors (or warnings under `--deny-warnings`).
pub const EXIT_PROJECT: i32 = 1;
/// Exit status: the command line was wrong (clap's own status).
pub const EXIT_USAGE: i32 = 2;
/// Exit status: outputs could not be written, or another failure outside the project.
pub const EXIT_FAILURE: i32 = 3;
/// Exit status: `changes --exit-code` found a change (the project is
/// fine), kept apart from 1 so that CI never mistakes an error for one.
pub const EXIT_CHANGED: i32 = 4;

/// Whether to colour stderr: a terminal, and `NO_COLOR` unset.
pub fn use_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

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
    /// The kind of problem, named by a stable kebab-case code.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The text of the offending line, for the excerpt.
    #[serde(skip)]
    pub excerpt: Option<String>,
    /// In a workbook, the sheet and cell (`sheet \`Pupils\`, cell B5`),
    /// set by [`Diagnostics`] for a file it was told is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl Diagnostic {
    /// An error in `file`, with no position yet.
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            code,
            message: message.into(),
            hint: None,
            excerpt: None,
            cell: None,
        }
    }

    /// A warning in `file`, with no position yet.
    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
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

    /// Places the diagnostic on `line` of `source`, at the column where
    /// `needle` starts on that line (the first column if it is not there):
    /// a cell of a CSV row, say.
    pub fn at_in_line(self, source: &str, line: usize, needle: &str) -> Self {
        let column = source
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|text| {
                text.find(needle)
                    .filter(|_| !needle.is_empty())
                    .map(|at| text[..at].chars().count() + 1)
            })
            .unwrap_or(1);
        self.at(source, line, column)
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

    /// Places the diagnostic at `needle` as a key or value beneath the keys
    /// `under` (a dotted path such as `signature.parent`) of the YAML in
    /// `source`: the place the mistake is, even when the same value appears
    /// earlier under another key. Falls back to [`Diagnostic::near`].
    pub fn near_under(self, source: &str, under: &str, needle: &str) -> Self {
        let path: Vec<&str> = under.split('.').filter(|k| !k.is_empty()).collect();
        self.near_under_in(source, &path, needle)
    }

    /// [`Diagnostic::near_under`] with the keys given one by one, for a
    /// key that has dots of its own (a file name such as `roster.csv`).
    pub fn near_under_in(self, source: &str, under: &[&str], needle: &str) -> Self {
        match places::find_under(source, under, needle) {
            Some((line, column)) => self.at(source, line, column),
            None => self.near(source, needle),
        }
    }

    /// Places the diagnostic at the key `path` (dotted, such as
    /// `signature.fields`) of the YAML in `source`, or a Markdown file's
    /// front matter: the key itself, never a value that shares its name.
    /// Without that key, the nearest parent key there is (`sign_with` for
    /// `sign_with.ks2` when `sign_with` is one value for everyone); without
    /// any, [`Diagnostic::near`] on the last key.
    pub fn at_key(self, source: &str, path: &str) -> Self {
        let keys: Vec<&str> = path.split('.').filter(|k| !k.is_empty()).collect();
        self.at_key_in(source, &keys)
    }

    /// [`Diagnostic::at_key`] with the keys given one by one, for a key
    /// that has dots of its own (a file name such as `roster.csv`).
    pub fn at_key_in(self, source: &str, keys: &[&str]) -> Self {
        let all = places::places(source);
        let found = (1..=keys.len())
            .rev()
            .find_map(|len| places::key_in(&all, &keys[..len]));
        match found {
            Some((line, column)) => self.at(source, line, column),
            None => self.near(source, keys.last().copied().unwrap_or_default()),
        }
    }

    /// Places the diagnostic at the value of the key `path` (dotted) when
    /// it is a single value, else as [`Diagnostic::at_key`] does.
    pub fn at_value(self, source: &str, path: &str) -> Self {
        let keys: Vec<&str> = path.split('.').filter(|k| !k.is_empty()).collect();
        match places::find_value(source, &keys) {
            Some((line, column)) => self.at(source, line, column),
            None => self.at_key(source, path),
        }
    }

    /// Places the diagnostic where `needle` first appears in `source`,
    /// anywhere (not only as a whole word), if it does.
    pub fn at_text(self, source: &str, needle: &str) -> Self {
        match source.find(needle).filter(|_| !needle.is_empty()) {
            Some(offset) => self.at_offset(source, offset),
            None => self,
        }
    }

    /// Places the diagnostic at the second time `needle` appears in
    /// `source` as a YAML key or value (the first, if it appears once).
    pub fn near_second(self, source: &str, needle: &str) -> Self {
        let second = find_token(source, needle).and_then(|first| {
            let after = first + needle.len();
            find_token(&source[after..], needle).map(|next| after + next)
        });
        match second {
            Some(offset) => self.at_offset(source, offset),
            None => self.near(source, needle),
        }
    }

    /// The diagnostic with nothing a personal-data file holds: the file,
    /// line and column stay, and the message and hint say only what kind
    /// of problem it is. For counts-only output, which may be logged.
    pub fn redacted(&self) -> Diagnostic {
        if CELL_FREE_CODES.contains(&self.code) {
            return Diagnostic {
                excerpt: None,
                ..self.clone()
            };
        }
        let place = match (self.line, self.column) {
            _ if self.cell.is_some() => self.cell.clone().unwrap_or_default(),
            (Some(l), Some(c)) => format!("line {l}, column {c}"),
            (Some(l), None) => format!("line {l}"),
            _ => "this file".to_string(),
        };
        Diagnostic {
            message: format!("{place} has a problem of the kind `{}`", self.code),
            hint: Some("names are left out of counts-only output: run the command again with --names, on a machine where names may be shown, to see the line".into()),
            excerpt: None,
            ..self.clone()
        }
    }

    /// `file:line:col`, as far as known, and in a workbook the sheet and
    /// cell after it.
    pub fn location(&self) -> String {
        let place = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        };
        match &self.cell {
            Some(cell) => format!("{place} ({cell})"),
            None => place,
        }
    }

    /// The diagnostic as a GitHub Actions workflow command, which shows it
    /// on the pull request's line: `::error file=F,line=L,col=C,title=code::
    /// message`. `root` is the project's folder from the repository's root
    /// (empty for the root itself). Values are escaped as GitHub asks, so a
    /// message cannot end the command or start another.
    pub fn github_annotation(&self, root: &str) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = match root.trim_end_matches('/') {
            "" | "." => self.file.clone(),
            root => format!("{root}/{}", self.file),
        };
        let mut properties = vec![format!("file={}", escape_property(&file))];
        if let Some(line) = self.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = self.column {
            properties.push(format!("col={column}"));
        }
        properties.push(format!("title={}", escape_property(self.code.as_str())));
        let mut message = self.message.clone();
        if let Some(cell) = &self.cell {
            message.push_str(&format!(" ({cell})"));
        }
        if let Some(hint) = &self.hint {
            message.push_str("\nhelp: ");
            message.push_str(hint);
        }
        format!(
            "::{level} {}::{}",
            properties.join(","),
            escape_data(&message)
        )
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
        // Messages quote file names and values from untrusted files: a
        // terminal is shown them, never commanded by them.
        let mut out = format!(
            "{bold}{tint}{word}[{}]{reset}{bold}: {}{reset}\n",
            self.code,
            printable_lines(&self.message)
        );
        let _ = writeln!(out, "  {blue}-->{reset} {}", printable(&self.location()));
        if let (Some(line), Some(text)) = (self.line, &self.excerpt) {
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let caret_at = self.column.unwrap_or(1).saturating_sub(1);
            let shown: String = printable_lines(&text.chars().take(160).collect::<String>());
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
            let _ = writeln!(
                out,
                "  {blue}={reset} {bold}help{reset}: {}",
                printable_lines(hint)
            );
        }
        out
    }
}

/// Codes whose message and hint never quote a cell of a personal-data
/// file, so a redacted diagnostic keeps them (without the excerpt).
const CELL_FREE_CODES: [Code; 6] = [
    Code::CsvColumnMissing,
    Code::CsvBlankCell,
    Code::NotUtf8,
    Code::LedgerWithoutRoster,
    Code::PeopleUnknownSchool,
    Code::Unreadable,
];

/// Escapes a workflow command's message: `%`, carriage returns and line
/// feeds.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as a message, and `:` and
/// `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The problems found so far, in the order they were found, and the
/// files among them that are workbooks: a problem in one, wherever it is
/// found, is named by its sheet and cell as it is recorded.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    workbooks: BTreeMap<String, Workbook>,
}

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, mut diagnostic: Diagnostic) {
        if let Some(book) = self.workbooks.get(&diagnostic.file) {
            book.name_cell(&mut diagnostic);
        }
        self.items.push(diagnostic);
    }

    /// Says that `file` is a workbook read as `book`'s text: every problem
    /// in it, recorded before or after, names its sheet and cell.
    pub fn read_as_workbook(&mut self, file: impl Into<String>, book: Workbook) {
        let file = file.into();
        for d in self.items.iter_mut().filter(|d| d.file == file) {
            book.name_cell(d);
        }
        self.workbooks.insert(file, book);
    }

    /// Changes every problem recorded so far, in place.
    pub fn for_each_mut(&mut self, f: impl FnMut(&mut Diagnostic)) {
        self.items.iter_mut().for_each(f);
    }

    /// Records several problems.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for d in diagnostics {
            self.push(d);
        }
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

    /// Takes out every problem with `code`, leaving the rest.
    pub fn take(&mut self, code: Code) -> Vec<Diagnostic> {
        let (taken, kept) = std::mem::take(&mut self.items)
            .into_iter()
            .partition(|d| d.code == code);
        self.items = kept;
        taken
    }

    /// Adds every problem another run collected.
    pub fn append(&mut self, other: Diagnostics) {
        self.workbooks.extend(other.workbooks);
        self.extend(other.items);
    }

    /// Every diagnostic whose file starts with `prefix` redacted (see
    /// [`Diagnostic::redacted`]).
    pub fn redact_in(&mut self, prefix: &str) {
        for d in &mut self.items {
            if d.file.starts_with(prefix) {
                *d = d.redacted();
            }
        }
    }

    /// Whether any error is in a file whose path starts with `prefix`.
    pub fn has_errors_in(&self, prefix: &str) -> bool {
        self.items
            .iter()
            .any(|d| d.severity == Severity::Error && d.file.starts_with(prefix))
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
    fn a_github_annotation_escapes_what_could_end_or_start_a_command() {
        let d = Diagnostic::error(Code::BadValue, "schools/a, b.yaml", "50% off:\n::error::x")
            .at("one\ntwo\n", 2, 3)
            .with_hint("write it again");
        assert_eq!(
            d.github_annotation("policies/"),
            "::error file=policies/schools/a%2C b.yaml,line=2,col=3,title=bad-value::50%25 off:%0A::error::x%0Ahelp: write it again"
        );
        let w = Diagnostic::warning(Code::ReviewOverdue, "policies/aup.yaml", "overdue");
        assert_eq!(
            w.github_annotation("."),
            "::warning file=policies/aup.yaml,title=review-overdue::overdue"
        );
    }

    #[test]
    fn renders_excerpt_with_caret_and_hint() {
        let d = Diagnostic::error(Code::UnknownKey, "schools/a.yaml", "unknown key `contcts`")
            .at("name: A\ncontcts: {}\n", 2, 1)
            .with_hint("did you mean `contacts`?");
        assert_eq!(
            d.render(false),
            "error[unknown-key]: unknown key `contcts`\n  --> schools/a.yaml:2:1\n   |\n 2 | contcts: {}\n   | ^\n  = help: did you mean `contacts`?\n"
        );
    }
}
