//! The sign-off report as a terminal table and as CSV for spreadsheets
//! (written by `report::csv`, every cell neutralised), and new ledger rows
//! in the style of the ledger they join.

use std::fmt::Write;

use crate::report::csv::write_csv;

use crate::signoff::status::{DocSignOff, SignOffReport, Standing};

/// The report as text: a line per document with its counts, and with names,
/// who is outstanding under it.
pub fn render_text(report: &SignOffReport) -> String {
    let mut out = String::new();
    for school in &report.schools {
        let _ = writeln!(out, "{} ({})", school.school_name, school.school);
        // An audience that signs more than one document (a role addendum
        // beside its agreement) names each by its title too.
        let name = |doc: &DocSignOff| {
            let same = school
                .documents
                .iter()
                .filter(|d| d.audience_label == doc.audience_label)
                .count();
            if same > 1 {
                format!("{} · {}", doc.audience_label, doc.title)
            } else {
                doc.audience_label.clone()
            }
        };
        let width = school
            .documents
            .iter()
            .map(|d| name(d).chars().count())
            .max()
            .unwrap_or(0);
        for doc in &school.documents {
            let _ = writeln!(
                out,
                "  {:<width$}  {}  {}",
                name(doc),
                doc.doc_id,
                counts(doc)
            );
            for person in doc.people.iter().filter(|p| p.status != Standing::Signed) {
                let who = match (&person.class, &person.child) {
                    (_, Some(child)) => format!("{} (for {child})", person.name),
                    (Some(class), None) => format!("{} ({class})", person.name),
                    (None, None) => person.name.clone(),
                };
                let when = match (&person.signed_id, &person.signed_on) {
                    (Some(id), Some(on)) => format!(": signed {id} on {on}"),
                    _ => String::new(),
                };
                let _ = writeln!(out, "      {}: {who}{when}", person.status.label());
            }
        }
        if school.documents.is_empty() {
            let _ = writeln!(out, "  nobody on the roster has a document to sign");
        }
    }
    if report.schools.is_empty() {
        out.push_str("no rosters: add people/<school>/roster.csv (see docs/FORMAT.md, Sign-off)\n");
    }
    out
}

/// "12 of 15 signed; 2 must sign again, 1 not signed".
pub fn counts(doc: &DocSignOff) -> String {
    let mut text = format!("{} of {} signed", doc.signed, doc.expected);
    let mut rest = Vec::new();
    if doc.sign_again > 0 {
        rest.push(format!("{} must sign again", doc.sign_again));
    }
    if doc.never > 0 {
        rest.push(format!("{} not signed", doc.never));
    }
    if !rest.is_empty() {
        let _ = write!(text, "; {}", rest.join(", "));
    }
    text
}

/// The report as CSV: one row per person when names were asked for,
/// otherwise one row per document with its counts.
pub fn render_csv(report: &SignOffReport, names: bool) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    if names {
        rows.push(
            [
                "school",
                "audience",
                "document_id",
                "name",
                "class",
                "child",
                "status",
                "signed_id",
                "signed_on",
            ]
            .map(String::from)
            .to_vec(),
        );
    } else {
        rows.push(
            [
                "school",
                "policy",
                "audience",
                "document_id",
                "version",
                "expected",
                "signed",
                "sign_again",
                "not_signed",
            ]
            .map(String::from)
            .to_vec(),
        );
    }
    for school in &report.schools {
        for doc in &school.documents {
            if !names {
                rows.push(vec![
                    school.school.clone(),
                    doc.policy.clone(),
                    doc.audience.clone(),
                    doc.doc_id.clone(),
                    doc.version.clone(),
                    doc.expected.to_string(),
                    doc.signed.to_string(),
                    doc.sign_again.to_string(),
                    doc.never.to_string(),
                ]);
                continue;
            }
            for p in &doc.people {
                rows.push(vec![
                    school.school.clone(),
                    doc.audience.clone(),
                    doc.doc_id.clone(),
                    p.name.clone(),
                    p.class.clone().unwrap_or_default(),
                    p.child.clone().unwrap_or_default(),
                    p.status.label().to_string(),
                    p.signed_id.clone().unwrap_or_default(),
                    p.signed_on.clone().unwrap_or_default(),
                ]);
            }
        }
    }
    write_csv(&rows)
}

/// How an existing ledger is written: new rows follow it exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerStyle {
    /// `,` or `;`.
    pub delimiter: u8,
    /// Whether lines end in CRLF (as Excel on Windows saves them).
    pub crlf: bool,
    /// Whether every cell is quoted.
    pub quote_all: bool,
}

impl LedgerStyle {
    /// The style of the ledger `text` (read the way the ledger reader
    /// reads it); a new ledger is comma-separated with LF endings.
    pub fn of(text: &str) -> Self {
        let first = text.lines().next().unwrap_or("");
        LedgerStyle {
            delimiter: if first.contains(';') && !first.contains(',') {
                b';'
            } else {
                b','
            },
            crlf: text.contains("\r\n"),
            quote_all: first.starts_with('"'),
        }
    }

    /// The line ending.
    pub fn newline(&self) -> &'static str {
        if self.crlf {
            "\r\n"
        } else {
            "\n"
        }
    }
}

/// Ledger rows in the ledger's own style. Cells are written as they are:
/// the ledger is policyc's own data, read back by policyc, so a name is
/// never altered (formula cells are neutralised only in the CSVs handed to
/// spreadsheets, by [`write_csv`]).
pub fn write_ledger_rows(rows: &[Vec<String>], style: LedgerStyle) -> String {
    let terminator = if style.crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let quote = if style.quote_all {
        csv::QuoteStyle::Always
    } else {
        csv::QuoteStyle::Necessary
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(style.delimiter)
        .terminator(terminator)
        .quote_style(quote)
        .from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_rows_keep_the_ledger_s_delimiter_quoting_and_line_ending() {
        let rows = vec![vec!["=Ada; Lovelace".to_string(), "staff".to_string()]];
        let semicolons = LedgerStyle::of("name;audience\r\nBo;ks2\r\n");
        assert_eq!(
            write_ledger_rows(&rows, semicolons),
            "\"=Ada; Lovelace\";staff\r\n"
        );
        let quoted = LedgerStyle::of("\"name\",\"audience\"\n");
        assert_eq!(
            write_ledger_rows(&rows, quoted),
            "\"=Ada; Lovelace\",\"staff\"\n"
        );
        assert_eq!(
            write_ledger_rows(&rows, LedgerStyle::of("")),
            "=Ada; Lovelace,staff\n"
        );
    }
}
