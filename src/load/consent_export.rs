//! Reading consent answers exported from an online form (Microsoft Forms,
//! Google Forms or any survey tool) as consent ledger lines.
//!
//! A consent form export has one response a line: who answered, for which
//! child, when, the form's document ID, and one column per purpose whose
//! header is the purpose's label (or id) and whose cell says yes or no. A
//! response becomes one ledger line per purpose answered; a blank answer
//! records nothing. Respondents type into these cells, so every value is
//! untrusted text.

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::consent::{Choice, ConsentRow, Purpose};
use crate::model::dates::DateOrder;

use super::form_export::{form_date, ColumnMap};
use super::people::csv_reader;

/// One purpose's column in an export.
struct PurposeColumn<'p> {
    index: usize,
    purpose: &'p Purpose,
}

/// Parses an export's text into ledger lines, each with its export line:
/// pure, for tests. `map` says which headers hold the respondent's name
/// (`name`), the child, the class, the date and the document ID.
pub fn parse_consent_export(
    file: &str,
    text: &str,
    map: &ColumnMap,
    purposes: &[Purpose],
    order: DateOrder,
    diags: &mut Diagnostics,
) -> Option<Vec<ConsentRow>> {
    let mut reader = csv_reader(text);
    let mut records = reader.records();
    let Some(Ok(header)) = records.next() else {
        diags.push(Diagnostic::error(
            Code::ImportColumnMissing,
            file,
            "the export has no header line",
        ));
        return None;
    };
    let header: Vec<String> = header.iter().map(|c| c.trim().to_lowercase()).collect();
    let find = |names: &[String]| {
        names
            .iter()
            .find_map(|n| header.iter().position(|h| *h == n.trim().to_lowercase()))
    };
    let columns = [
        ("the respondent's name", find(&map.name), &map.name),
        ("the child", find(&map.child), &map.child),
        ("the date", find(&map.date), &map.date),
    ];
    let missing: Vec<String> = columns
        .iter()
        .filter(|(_, found, _)| found.is_none())
        .map(|(what, _, names)| format!("{what} (tried: {})", names.join(", ")))
        .collect();
    let answers: Vec<PurposeColumn> = purposes
        .iter()
        .filter_map(|purpose| {
            let index = header.iter().position(|h| {
                *h == purpose.label.to_lowercase() || *h == purpose.id.to_lowercase()
            })?;
            Some(PurposeColumn { index, purpose })
        })
        .collect();
    if !missing.is_empty() || answers.is_empty() {
        let mut what = missing;
        if answers.is_empty() {
            what.push(
                "any purpose (a column headed with a purpose's label or id from policyc.yaml)"
                    .into(),
            );
        }
        diags.push(
            Diagnostic::error(
                Code::ImportColumnMissing,
                file,
                format!("the export has no column for {}", what.join("; ")),
            )
            .at(text, 1, 1)
            .with_hint("name the columns with --name-column, --child-column and --date-column; head each answer column with its purpose's label, as policyc.yaml has it"),
        );
        return None;
    }
    let [name, child, date] = [columns[0].1, columns[1].1, columns[2].1];
    let (class, document) = (find(&map.class), find(&map.document));
    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(1, |p| p.line() as usize);
                diags.push(
                    Diagnostic::error(
                        Code::ImportUnreadable,
                        file,
                        format!("this line is not CSV: {err}"),
                    )
                    .at(text, line, 1)
                    .with_hint("export the responses again as CSV UTF-8"),
                );
                return None;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        let (Some(by), Some(child_name), Some(when)) = (cell(name), cell(child), cell(date)) else {
            diags.push(
                Diagnostic::error(
                    Code::ImportBlankCell,
                    file,
                    "this response leaves the name, the child or the date blank",
                )
                .at(text, line, 1)
                .with_hint("fill it in, or delete the response from the export"),
            );
            continue;
        };
        let Some(day) = form_date(&when, order) else {
            diags.push(
                Diagnostic::error(Code::ImportDate, file, format!("`{when}` is not a date"))
                    .at_in_line(text, line, &when)
                    .with_hint(
                        "say how the export writes dates: --date-order dmy (UK), mdy (US) or ymd",
                    ),
            );
            continue;
        };
        for answer in &answers {
            let Some(value) = cell(Some(answer.index)) else {
                continue;
            };
            let Some(choice) = Choice::parse(&value).filter(|c| *c != Choice::Notified) else {
                diags.push(
                    Diagnostic::error(Code::ConsentDecision, file, format!("`{value}` is not an answer policyc knows, for `{}`", answer.purpose.id))
                        .at_in_line(text, line, &value)
                        .with_hint("answer each purpose with yes or no (or given, refused, withdrawn); leave it blank for no answer"),
                );
                continue;
            };
            rows.push(ConsentRow {
                child: child_name.clone(),
                class: cell(class),
                purpose: answer.purpose.id.clone(),
                choice,
                date: day.clone(),
                by: by.clone(),
                form: cell(document).map(|d| d.to_uppercase()),
                line,
            });
        }
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::consent::PurposeKind;

    fn purposes() -> Vec<Purpose> {
        [
            ("website", "Photos on the school website"),
            ("press", "Photos in the local press"),
        ]
        .map(|(id, label)| Purpose {
            id: id.into(),
            label: label.into(),
            kind: PurposeKind::Image,
        })
        .to_vec()
    }

    fn parse(text: &str) -> (Option<Vec<ConsentRow>>, Vec<String>) {
        let mut diags = Diagnostics::default();
        let rows = parse_consent_export(
            "export.csv",
            text,
            &ColumnMap::default(),
            &purposes(),
            DateOrder::Dmy,
            &mut diags,
        );
        let codes = diags
            .sorted()
            .iter()
            .map(|d| format!("{} {}", d.code, d.location()))
            .collect();
        (rows, codes)
    }

    #[test]
    fn each_answered_purpose_becomes_a_ledger_line_and_a_blank_records_nothing() {
        let (rows, codes) = parse(
            "Completion time,Name,Child,Class,Document ID,Photos on the school website,Photos in the local press\n\
             14/09/2026 10:02,Ann Example,Bea Example,Year 6,abc123,Yes,\n\
             15/09/2026,Cal Example,Dee Example,,ABC123,No,Yes\n",
        );
        assert!(codes.is_empty(), "{codes:?}");
        let rows = rows.unwrap_or_default();
        let got: Vec<String> = rows
            .iter()
            .map(|r| {
                let form = r.form.as_deref().unwrap_or("-");
                let (child, purpose, date) = (&r.child, &r.purpose, &r.date);
                format!("{child}|{purpose}|{:?}|{date}|{form}|{}", r.choice, r.line)
            })
            .collect();
        assert_eq!(
            got,
            [
                "Bea Example|website|Given|2026-09-14|ABC123|2",
                "Dee Example|website|Refused|2026-09-15|ABC123|3",
                "Dee Example|press|Given|2026-09-15|ABC123|3",
            ]
        );
    }

    #[test]
    fn an_unknown_answer_or_a_missing_column_is_an_error_at_its_place() {
        let (_, codes) =
            parse("Date,Name,Child,website\n2026-09-14,Ann Example,Bea Example,Perhaps\n");
        assert_eq!(codes, ["consent-decision export.csv:2:36"]);
        let (rows, codes) = parse("Date,Name,Pupil name\n2026-09-14,Ann Example,Bea Example\n");
        assert!(rows.is_none());
        assert_eq!(codes, ["import-column-missing export.csv:1:1"]);
    }
}
