//! Reading the responses exported from an online form (Microsoft Forms,
//! Google Forms or any survey tool) as signatures for the ledger.
//!
//! An export has many columns of its own; only the mapped ones are read.
//! Each mapping lists header names to try, so the defaults fit the common
//! tools and `--…-column` flags fit any other. Respondents type into these
//! cells, so every value is untrusted text.

use std::path::Path;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Workbook};
use crate::model::dates;
use crate::model::people::Signature;
use crate::sealed::{Cap, ReadFailure};

use super::people::csv_reader;

/// Which export columns hold what: each a list of header names to try, in
/// order, compared without regard to case or surrounding spaces.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// The signer's name.
    pub name: Vec<String>,
    /// When they signed.
    pub date: Vec<String>,
    /// The document ID they confirmed.
    pub document: Vec<String>,
    /// Their audience; none when one `--audience` covers every row.
    pub audience: Vec<String>,
    /// Their class, if asked.
    pub class: Vec<String>,
    /// On a parent's form: the child.
    pub child: Vec<String>,
}

impl Default for ColumnMap {
    fn default() -> Self {
        let list = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        Self {
            name: list(&[
                "Name",
                "Full name",
                "Your name",
                "Full name (printed)",
                "Name of signer",
            ]),
            date: list(&[
                "Completion time",
                "Timestamp",
                "Submitted at",
                "Date",
                "Signed on",
            ]),
            document: list(&["Document ID", "Document id", "document_id", "Doc ID"]),
            audience: list(&["Audience", "audience"]),
            class: list(&["Class", "Form", "Class or form"]),
            child: list(&["Child", "Child's name", "Pupil"]),
        }
    }
}

pub use crate::model::dates::DateOrder;

impl ColumnMap {
    /// Each `--…-column` flag given replaces the headers its column tries.
    pub fn override_with(flags: &mut [(&mut Vec<String>, &Option<String>)]) {
        for (column, flag) in flags.iter_mut() {
            if let Some(header) = flag {
                **column = vec![header.clone()];
            }
        }
    }
}

/// An export's signatures, with its text (for excerpts) and path as given.
#[derive(Debug, Clone)]
pub struct FormExport {
    /// The path as given on the command line.
    pub file: String,
    /// The file's text.
    pub text: String,
    /// One signature per response, with the export's line.
    pub rows: Vec<Signature>,
}

/// Reads an export at `path`. `audience` fills rows when the export has no
/// audience column.
pub fn read_form_export(
    path: &Path,
    map: &ColumnMap,
    order: DateOrder,
    audience: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<FormExport> {
    let file = path.display().to_string();
    let text = read_export_text(path, diags)?;
    let rows = parse_export(&file, &text, map, order, audience, diags)?;
    Some(FormExport { file, text, rows })
}

/// The text of the export at `path`, given on the command line, or an
/// `import-unreadable` error.
/// A workbook is made known to `diags`, so that a problem in it names its
/// sheet and cell.
pub fn read_export_text(path: &Path, diags: &mut Diagnostics) -> Option<String> {
    match read_export(path) {
        Ok((text, None)) => Some(text),
        Ok((text, Some(sheet))) => {
            let book = Workbook::new(sheet, &text);
            diags.read_as_workbook(path.display().to_string(), book);
            Some(text)
        }
        Err(why) => {
            diags.push(Diagnostic::error(Code::ImportUnreadable, path.display().to_string(), why).with_hint(
                "export the responses as an Excel workbook (.xlsx, as Microsoft Forms downloads them) or as CSV (Google Forms: Download responses (.csv))",
            ));
            None
        }
    }
}

/// The export's text, and for a workbook the name of the sheet read.
fn read_export(path: &Path) -> Result<(String, Option<String>), String> {
    let bytes = crate::sealed::read_given(path, Cap::People).map_err(|why| match why {
        ReadFailure::TooLarge(_, cap) => {
            format!("the export is over {} MB", cap / 1024 / 1024)
        }
        ReadFailure::Folder | ReadFailure::NotAFile => "this is not a file".into(),
        why => format!("cannot read the export: {why}"),
    })?;
    if bytes.starts_with(b"PK\x03\x04") {
        return first_sheet(&bytes).map(|(sheet, text)| (text, Some(sheet)));
    }
    let text = String::from_utf8(bytes).map_err(|_| "the export is not UTF-8 text".to_string())?;
    Ok((
        text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(),
        None,
    ))
}

/// The first sheet of an Excel workbook (`.xlsx`, as Microsoft Forms
/// downloads its responses) as CSV text, one row a line, so that it is read
/// exactly as a CSV export is and a problem's line is the sheet's row.
/// Dates become `YYYY-MM-DD`; a formula's cached value is read, never the
/// formula.
pub fn spreadsheet_as_csv(bytes: &[u8]) -> Result<String, String> {
    first_sheet(bytes).map(|(_, text)| text)
}

/// The name of a workbook's first sheet, and the sheet as CSV text (see
/// [`spreadsheet_as_csv`]). A line break inside a cell becomes a space,
/// so each row stays one line.
pub fn first_sheet(bytes: &[u8]) -> Result<(String, String), String> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("this is not a workbook policyc can read: {e}"))?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or("the workbook has no sheet")?;
    let sheet = book
        .worksheet_range_at(0)
        .ok_or("the workbook has no sheet")?
        .map_err(|e| format!("cannot read the workbook's first sheet: {e}"))?;
    let cell = |data: &Data| match data {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            s.replace(['\r', '\n'], " ")
        }
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_day(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string()),
        Data::Error(e) => format!("#{e}"),
    };
    // Rows above the used range are blank lines, so line numbers match.
    let top = sheet.start().map_or(0, |(row, _)| row as usize);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for _ in 0..top {
        writer.write_record([""]).map_err(|e| e.to_string())?;
    }
    for row in sheet.rows() {
        writer
            .write_record(row.iter().map(cell))
            .map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    Ok((name, text))
}

/// The day of an Excel date serial (days since 30 December 1899), as
/// `YYYY-MM-DD`; the time of day is dropped.
fn excel_day(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    let day = epoch.checked_add(time::Duration::days(serial.floor() as i64))?;
    Some(dates::iso(day))
}

/// Parses an export's text: pure, for tests.
pub fn parse_export(
    file: &str,
    text: &str,
    map: &ColumnMap,
    order: DateOrder,
    audience: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Vec<Signature>> {
    let mut reader = csv_reader(text);
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        _ => {
            diags.push(Diagnostic::error(
                Code::ImportColumnMissing,
                file,
                "the export has no header line",
            ));
            return None;
        }
    };
    let find = |names: &[String]| {
        names
            .iter()
            .find_map(|n| header.iter().position(|h| *h == n.trim().to_lowercase()))
    };
    let mut missing = Vec::new();
    let mut need = |names: &[String], what: &str| {
        let found = find(names);
        if found.is_none() {
            missing.push(format!("{what} (tried: {})", names.join(", ")));
        }
        found
    };
    let name = need(&map.name, "the name");
    let date = need(&map.date, "the date");
    let document = need(&map.document, "the document ID");
    // The audience is optional: each response's document ID names its
    // document, and so its audience, so a mixed staff-and-volunteer export
    // needs no splitting.
    let audience_column = if audience.is_some() {
        None
    } else {
        find(&map.audience)
    };
    if !missing.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::ImportColumnMissing,
                file,
                format!("the export has no column for {}", missing.join("; ")),
            )
            .at(text, 1, 1)
            .with_hint("name the columns with --name-column, --date-column, --document-column and --audience-column (or give --audience)"),
        );
        return None;
    }
    let (class, child) = (find(&map.class), find(&map.child));
    let mut rows = Vec::new();
    for record in records.flatten() {
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let values = (
            cell(name),
            cell(date),
            cell(document),
            cell(audience_column).or(audience.map(String::from)),
        );
        let (Some(name), Some(when), Some(doc_id), audience) = values else {
            diags.push(
                Diagnostic::error(
                    Code::ImportBlankCell,
                    file,
                    "this response leaves the name, date or document ID blank",
                )
                .at(text, line, 1)
                .with_hint("fill it in, or delete the response from the export"),
            );
            continue;
        };
        let Some(signed_on) = form_date(&when, order) else {
            diags.push(
                Diagnostic::error(
                    Code::ImportDate,
                    file,
                    format!("`{when}` is not a date when read as {}", order_words(order)),
                )
                .at_in_line(text, line, &when)
                .with_hint(
                    "say how the export writes dates: --date-order dmy (UK), mdy (US) or ymd",
                ),
            );
            continue;
        };
        rows.push(Signature {
            name,
            // Blank when the export has no audience: the document ID
            // settles it when the responses are matched.
            audience: audience.unwrap_or_default(),
            class: cell(class),
            child: cell(child),
            doc_id: doc_id.to_uppercase(),
            signed_on,
            line,
        });
    }
    Some(rows)
}

fn order_words(order: DateOrder) -> &'static str {
    match order {
        DateOrder::Dmy => "day/month/year (--date-order dmy)",
        DateOrder::Mdy => "month/day/year (--date-order mdy)",
        DateOrder::Ymd => "year/month/day (--date-order ymd)",
    }
}

/// The day of a form's timestamp, `YYYY-MM-DD`.
pub fn form_date(text: &str, order: DateOrder) -> Option<String> {
    dates::parse_written(text, order).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_date_serials_become_days() {
        assert_eq!(excel_day(46285.44).as_deref(), Some("2026-09-20"));
        assert_eq!(excel_day(1.0).as_deref(), Some("1899-12-31"));
        assert_eq!(excel_day(-3.0), None);
        assert_eq!(excel_day(f64::NAN), None);
    }

    #[test]
    fn a_file_that_is_not_a_workbook_says_so() {
        let why = spreadsheet_as_csv(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(
            why.starts_with("this is not a workbook policyc can read"),
            "{why}"
        );
    }

    #[test]
    fn timestamps_from_common_tools_become_days() {
        assert_eq!(
            form_date("14/09/2026 10:32:05", DateOrder::Dmy).as_deref(),
            Some("2026-09-14")
        );
        assert_eq!(
            form_date("9/14/2026 10:32:05 AM", DateOrder::Mdy).as_deref(),
            Some("2026-09-14")
        );
        assert_eq!(
            form_date("2026/09/14 10:32:05", DateOrder::Dmy).as_deref(),
            Some("2026-09-14")
        );
        assert_eq!(
            form_date("2026-09-14T10:32:05Z", DateOrder::Mdy).as_deref(),
            Some("2026-09-14")
        );
        assert_eq!(
            form_date("14/09/2026", DateOrder::Mdy),
            None,
            "no 14th month"
        );
        assert_eq!(form_date("yesterday", DateOrder::Dmy), None);
    }

    #[test]
    fn a_microsoft_forms_export_reads_with_the_default_columns() {
        let text = "ID,Start time,Completion time,Email,Name,Document ID,I agree\n\
                    1,9/14/2026 10:30:01,9/14/2026 10:32:05,anonymous,Priya Raman,b934-aa86,Yes\n\
                    2,9/15/2026 08:00:00,9/15/2026 08:01:00,anonymous,,B934-AA86,Yes\n";
        let mut diags = Diagnostics::default();
        let rows = parse_export(
            "export.csv",
            text,
            &ColumnMap::default(),
            DateOrder::Mdy,
            Some("staff"),
            &mut diags,
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].name.as_str(), rows[0].doc_id.as_str()),
            ("Priya Raman", "B934-AA86")
        );
        assert_eq!(
            (rows[0].signed_on.as_str(), rows[0].line),
            ("2026-09-14", 2)
        );
        let problems: Vec<String> = diags
            .sorted()
            .iter()
            .map(|d| format!("{} {}", d.code, d.location()))
            .collect();
        assert_eq!(problems, ["import-blank-cell export.csv:3:1"]);
    }
}
