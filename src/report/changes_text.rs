//! The changes report as text for a terminal: each changed document on
//! one line, each clause change once with the documents it reaches, and a
//! line per school.

use crate::diag::printable;
use crate::report::audit::plural;
use crate::report::changes::{documents_text, ChangeStatus, ClauseChangeKind, DocChange, Report};

/// The report for a terminal: each changed document on one line, then
/// each clause change once with the documents it is in, then a line per
/// school.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    for d in report
        .documents
        .iter()
        .filter(|d| d.status != ChangeStatus::Unchanged)
    {
        out.push_str(&document_line(d));
    }
    if !report.clauses.is_empty() {
        out.push_str("\nClause changes, each once, with the documents they are in:\n");
    }
    for c in &report.clauses {
        let sign = match c.change {
            ClauseChangeKind::Added => '+',
            ClauseChangeKind::Removed => '-',
            ClauseChangeKind::Reworded => '~',
        };
        let editorial = c
            .editorial
            .as_ref()
            .map(|why| format!(" (marked editorial: {})", printable(why)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {sign} {}{editorial}: {}\n",
            printable(&c.id),
            printable(&c.text)
        ));
        out.push_str(&format!(
            "      in {}: {}\n",
            plural(c.documents.len(), "document"),
            documents_text(&c.documents)
        ));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    for s in &report.schools {
        out.push_str(&printable(&s.line));
        out.push('\n');
    }
    out
}

/// One changed document's line: status, IDs and whether to sign again.
fn document_line(d: &DocChange) -> String {
    let ids = format!(
        "{} → {}",
        d.old_id.as_deref().unwrap_or("none"),
        d.new_id.as_deref().unwrap_or("none")
    );
    let consequence = if d.sign_again {
        "; must be signed again"
    } else if d.renew_consent {
        "; consents given to the old wording must be renewed (policyc consent status)"
    } else if d.editorial_only {
        "; editorial changes only, no need to sign again"
    } else if d.status == ChangeStatus::Removed {
        "; withdrawn"
    } else {
        ""
    };
    format!(
        "{}/{}-{}: {} ({}){consequence}\n",
        printable(&d.school),
        printable(&d.policy),
        printable(&d.audience),
        d.status,
        printable(&ids)
    )
}

#[cfg(test)]
mod tests {
    use crate::report::changes::*;

    fn changed(school: &str, audience: &str, before: &str, after: &str) -> DocChange {
        DocChange {
            school: school.into(),
            policy: "aup".into(),
            audience: audience.into(),
            audience_label: audience.into(),
            status: ChangeStatus::Changed,
            old_id: Some("A".into()),
            new_id: Some("B".into()),
            sign_again: true,
            notice: false,
            renew_consent: false,
            editorial_only: false,
            added: Vec::new(),
            removed: Vec::new(),
            reworded: vec![Reworded {
                id: "passwords".into(),
                editorial: None,
                diff: word_diff(before, after),
            }],
        }
    }

    #[test]
    fn the_same_edit_in_many_documents_is_one_group() {
        let docs = vec![
            changed("alpha", "staff", "Lock it.", "Always lock it."),
            changed("alpha", "ks2", "Lock it.", "Always lock it."),
            changed("beta", "staff", "Lock it.", "Always lock it."),
            changed("beta", "governor", "Lock it now.", "Always lock it now."),
        ];
        let groups = group_by_clause(&docs);
        assert_eq!(groups.len(), 2, "{groups:#?}");
        let big = groups.iter().find(|g| g.documents.len() == 3).unwrap();
        assert!(big.text.contains("{+Always"), "{}", big.text);
        assert_eq!(
            documents_text(&big.documents),
            "alpha (staff, ks2), beta (staff)"
        );
    }
}
