//! Sign-off: the people and the ledger read from `people/`, the earlier
//! packs from `published/`, set against the current build.

use std::collections::BTreeMap;

use crate::diag::{suggestion, Diagnostic, Diagnostics};
use crate::load::people::{load_people, load_published};
use crate::model::key::DocKey;
use crate::model::people::normalise;
use crate::model::project::Resolved;
use crate::output::records::current_manifest;
use crate::pipeline::editorial_marks;
use crate::render::html::SignOffProgress;
use crate::report::signoff::{sign_off, DocSignOff, SignOffReport, Standing};

/// Which part of the report to keep.
#[derive(Debug, Clone, Default)]
pub struct SignOffFilter {
    /// Only these schools (none: all).
    pub schools: Vec<String>,
    /// Only these audiences (none: all).
    pub audiences: Vec<String>,
    /// Only the people in this class or staff group.
    pub class: Option<String>,
}

/// Who has signed what at every school with a roster. Problems in the
/// rosters, ledgers and published manifests go to `diags`; `names` keeps
/// each person in the report (personal data: for the DPO's eyes).
pub fn sign_off_report(
    resolved: &Resolved,
    filter: &SignOffFilter,
    names: bool,
    diags: &mut Diagnostics,
) -> SignOffReport {
    let root = &resolved.project.root;
    let schools: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
    let people = load_people(root, &schools, diags);
    let published = load_published(root, diags);
    let (mut report, problems) = sign_off(
        &people,
        &current_manifest(resolved),
        &published,
        &editorial_marks(resolved),
        true,
    );
    diags.extend(problems);
    if let Some(class) = &filter.class {
        check_class(&report, class, diags);
    }
    report
        .schools
        .retain(|s| filter.schools.is_empty() || filter.schools.contains(&s.school));
    for school in &mut report.schools {
        school
            .documents
            .retain(|d| filter.audiences.is_empty() || filter.audiences.contains(&d.audience));
        for doc in &mut school.documents {
            if let Some(class) = &filter.class {
                let wanted = class_key(class);
                doc.people
                    .retain(|p| p.class.as_deref().is_some_and(|c| class_key(c) == wanted));
                recount(doc);
            }
            if !names {
                doc.people.clear();
            }
        }
        school.documents.retain(|d| d.expected > 0);
    }
    report
}

/// Counts a document's people again after some were filtered out.
fn recount(doc: &mut DocSignOff) {
    let count = |s: Standing| doc.people.iter().filter(|p| p.status == s).count();
    doc.expected = doc.people.len();
    doc.signed = count(Standing::Signed);
    doc.sign_again = count(Standing::SignAgain);
    doc.never = count(Standing::Never);
}

/// A class no roster has is an error, with the nearest one.
fn check_class(report: &SignOffReport, class: &str, diags: &mut Diagnostics) {
    let mut classes: Vec<&str> = report
        .schools
        .iter()
        .flat_map(|s| &s.documents)
        .flat_map(|d| &d.people)
        .filter_map(|p| p.class.as_deref())
        .collect();
    classes.sort_unstable();
    classes.dedup();
    if classes.iter().any(|c| class_key(c) == class_key(class)) {
        return;
    }
    let hint = match suggestion(class, classes.iter().copied()) {
        Some(s) => s,
        None if classes.is_empty() => "no roster has a `class` column".to_string(),
        None => format!("the rosters' classes are: {}", classes.join(", ")),
    };
    diags.push(
        Diagnostic::error(
            "unknown-class",
            "--class",
            format!("no one on a roster is in the class `{class}`"),
        )
        .with_hint(hint),
    );
}

/// A class name for matching `--class`: case, spacing, hyphens and
/// underscores aside, so `--class year-4-oak` finds "Year 4 Oak" without
/// quotes in the shell.
fn class_key(class: &str) -> String {
    normalise(&class.replace(['-', '_'], " "))
}

/// Sign-off counts by document for the pack and trust indexes: counts only,
/// never names. If the rosters or ledgers have problems, the indexes show
/// no counts and one warning (which names no one) says where to look.
pub fn sign_off_counts(
    resolved: &Resolved,
    diags: &mut Diagnostics,
) -> BTreeMap<DocKey, SignOffProgress> {
    let mut problems = Diagnostics::default();
    let report = sign_off_report(resolved, &SignOffFilter::default(), false, &mut problems);
    if problems.has_errors() {
        let (errors, _) = problems.counts();
        diags.push(
            Diagnostic::warning(
                "signoff-left-out",
                "people/",
                format!(
                    "the pack indexes show no sign-off counts: the rosters or ledgers have {errors} problem{}",
                    if errors == 1 { "" } else { "s" }
                ),
            )
            .with_hint("run `policyc signoff status` to see them"),
        );
        return BTreeMap::new();
    }
    report
        .schools
        .iter()
        .flat_map(|s| s.documents.iter().map(move |d| (s, d)))
        .map(|(s, d)| {
            let progress = SignOffProgress {
                signed: d.signed,
                expected: d.expected,
            };
            (DocKey::new(&s.school, &d.policy, &d.audience), progress)
        })
        .collect()
}
