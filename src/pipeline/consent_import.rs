//! Importing consent answers into a school's consent ledger, all or
//! nothing: every answer in the export is checked against the roster, the
//! purposes and the ledger's history before anything is written, and an
//! answer already in the ledger is not added twice, so importing the same
//! export again changes nothing.

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::people::{ledger_columns, project_people};
use crate::model::consent::{Choice, ConsentLedger, ConsentRow};
use crate::model::files::Reading;
use crate::model::people::normalise;
use crate::model::project::Resolved;
use crate::pipeline::consent::{consent_report, ConsentFilter};
use crate::report::consent::{school_consent, Select};
use crate::signoff::text::{write_ledger_rows, LedgerStyle};

/// What an import adds, and the ledger text with it.
#[derive(Debug, Clone)]
pub struct ConsentImport {
    /// The ledger, project-relative.
    pub ledger: String,
    /// The answers not yet in the ledger.
    pub new_rows: Vec<ConsentRow>,
    /// How many answers the ledger already had.
    pub already: usize,
    /// The ledger's text with the new answers appended.
    pub text: String,
}

/// The header of a new consent ledger.
const HEADER: &str = "child,class,purpose,decision,date,by,document_id";

/// Checks `rows` (read from `file`, whose text is `source`) against
/// `school`'s roster, purposes and consent ledger, and plans the ledger's
/// new text. Problems go to `diags`, and then the plan must not be written.
pub fn import_consents(
    resolved: &Resolved,
    school: &str,
    file: &str,
    source: &str,
    rows: Vec<ConsentRow>,
    diags: &mut Diagnostics,
) -> Option<ConsentImport> {
    let project = &resolved.project;
    // The ledger as it stands must be sound before anything is added.
    let filter = ConsentFilter {
        schools: vec![school.to_string()],
        class: None,
    };
    consent_report(resolved, &filter, false, diags);
    let people = project_people(project, diags)?;
    if diags.has_errors() {
        return None;
    }
    let Some(roster) = people.rosters.get(school) else {
        diags.push(
            Diagnostic::error(
                Code::LedgerWithoutRoster,
                format!("people/{school}"),
                "there is no roster to check the answers against",
            )
            .with_hint(format!(
                "add people/{school}/roster.csv, listing the pupils and their parents"
            )),
        );
        return None;
    };
    let ledger_file = format!("people/{school}/consent.csv");
    let existing = people.consents.get(school).cloned().unwrap_or_default();
    let (new_rows, already): (Vec<ConsentRow>, Vec<ConsentRow>) = rows
        .into_iter()
        .partition(|row| !existing.rows.iter().any(|old| same_answer(old, row)));
    // Check the new answers with the ledger's history before them (line 0,
    // so that on one day an export's answer comes after the ledger's).
    let mut combined = ConsentLedger {
        file: file.to_string(),
        rows: existing
            .rows
            .iter()
            .cloned()
            .map(|mut r| {
                r.line = 0;
                r
            })
            .collect(),
    };
    combined.rows.extend(new_rows.iter().cloned());
    let select = Select {
        pupil_audiences: project
            .audiences
            .iter()
            .filter(|a| a.reading != Reading::Adult && a.members.is_empty())
            .map(|a| a.id.as_str())
            .collect(),
        ..Select::default()
    };
    school_consent(
        school,
        roster,
        &combined,
        source,
        &project.consent.purposes,
        &select,
        diags,
    )?;
    let old = people
        .sources
        .get(&ledger_file)
        .cloned()
        .unwrap_or_default();
    let text = ledger_text(&old, &new_rows);
    Some(ConsentImport {
        ledger: ledger_file,
        already: already.len(),
        new_rows,
        text,
    })
}

/// Whether two ledger lines record the same answer.
fn same_answer(a: &ConsentRow, b: &ConsentRow) -> bool {
    normalise(&a.child) == normalise(&b.child)
        && a.purpose == b.purpose
        && a.choice == b.choice
        && a.date == b.date
        && normalise(&a.by) == normalise(&b.by)
}

/// `old` (the ledger's text, empty for none) with `rows` appended in its
/// columns and style.
fn ledger_text(old: &str, rows: &[ConsentRow]) -> String {
    let mut text = if old.trim().is_empty() {
        format!("{HEADER}\n")
    } else {
        old.to_string()
    };
    let style = LedgerStyle::of(&text);
    if !text.ends_with('\n') {
        text.push_str(style.newline());
    }
    let columns = ledger_columns(&text);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| match c.as_str() {
                    "child" => r.child.clone(),
                    "class" => r.class.clone().unwrap_or_default(),
                    "purpose" => r.purpose.clone(),
                    "decision" => decision_word(r.choice).to_string(),
                    "signed_on" => r.date.clone(),
                    "by" => r.by.clone(),
                    "document_id" => r.form.clone().unwrap_or_default(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    text.push_str(&write_ledger_rows(&cells, style));
    text
}

/// The ledger's word for a choice.
fn decision_word(choice: Choice) -> &'static str {
    match choice {
        Choice::Given => "given",
        Choice::Refused => "refused",
        Choice::Withdrawn => "withdrawn",
        Choice::Notified => "notified",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(child: &str, purpose: &str, choice: Choice) -> ConsentRow {
        ConsentRow {
            child: child.into(),
            class: Some("Year 6".into()),
            purpose: purpose.into(),
            choice,
            date: "2026-09-14".into(),
            by: "Ann Example".into(),
            form: Some("ABC123".into()),
            line: 2,
        }
    }

    #[test]
    fn new_answers_go_under_the_ledger_s_own_columns() {
        let old =
            "child,purpose,decision,date,by\r\nBea Example,press,no,14/09/2026,Ann Example\r\n";
        let text = ledger_text(old, &[row("Bea Example", "website", Choice::Given)]);
        assert_eq!(
            text,
            "child,purpose,decision,date,by\r\nBea Example,press,no,14/09/2026,Ann Example\r\nBea Example,website,given,2026-09-14,Ann Example\r\n"
        );
        let new = ledger_text("", &[row("Bea Example", "website", Choice::Refused)]);
        assert_eq!(
            new,
            format!("{HEADER}\nBea Example,Year 6,website,refused,2026-09-14,Ann Example,ABC123\n")
        );
    }

    #[test]
    fn the_same_answer_is_recognised_whatever_the_spacing_and_case() {
        let mut again = row("bea  example", "website", Choice::Given);
        again.by = "ANN EXAMPLE".into();
        assert!(same_answer(
            &row("Bea Example", "website", Choice::Given),
            &again
        ));
        assert!(!same_answer(
            &row("Bea Example", "website", Choice::Given),
            &row("Bea Example", "website", Choice::Refused)
        ));
    }
}
