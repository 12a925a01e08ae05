//! The sign-off report as a terminal table and as CSV for spreadsheets.
//!
//! CSV cells are neutralised: a cell a spreadsheet would read as a formula
//! (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
//! leading apostrophe, so opening the file can never run anything.

use std::fmt::Write;

use crate::report::signoff::{DocSignOff, SignOffReport, Standing};

/// The report as text: a line per document with its counts, and with names,
/// who is outstanding under it.
pub fn render_text(report: &SignOffReport) -> String {
    let mut out = String::new();
    for school in &report.schools {
        let _ = writeln!(out, "{} ({})", school.school_name, school.school);
        let width = school
            .documents
            .iter()
            .map(|d| d.audience_label.chars().count())
            .max()
            .unwrap_or(0);
        for doc in &school.documents {
            let _ = writeln!(
                out,
                "  {:<width$}  {}  {}",
                doc.audience_label,
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

/// Writes rows as CSV, every cell neutralised.
pub fn write_csv(rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row.iter().map(|c| neutralise(c)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A cell a spreadsheet will show as text, never run as a formula.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for hostile in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert!(neutralise(hostile).starts_with('\''), "{hostile:?}");
        }
        assert_eq!(neutralise("Amira Khan"), "Amira Khan");
        assert_eq!(neutralise("O'Neill"), "O'Neill");
    }

    #[test]
    fn csv_quotes_commas_and_neutralises_every_cell() {
        let csv = write_csv(&[vec!["Nowak, Łucja".into(), "=1+1".into()]]);
        assert_eq!(csv, "\"Nowak, Łucja\",'=1+1\n");
    }
}
