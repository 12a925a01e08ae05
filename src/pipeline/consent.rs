//! Consent: the rosters and consent ledgers read from `people/`, set
//! against the purposes in `policyc.yaml`.

use std::collections::BTreeMap;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::people::project_people;
use crate::model::build::PdfSettings;
use crate::model::build::PrivateFile;
use crate::model::files::Reading;
use crate::model::key::DocKey;
use crate::model::project::Resolved;
use crate::model::templates::Layout;
use crate::report::consent::{class_key, school_consent, ConsentReport, Select};

/// Which part of the consent report to keep.
#[derive(Debug, Clone, Default)]
pub struct ConsentFilter {
    /// Only these schools (none: all).
    pub schools: Vec<String>,
    /// Only the pupils in this class.
    pub class: Option<String>,
}

/// Where every pupil stands at every school with a consent ledger.
/// Problems in the rosters and ledgers go to `diags`; `names` keeps each
/// pupil in the report (personal data: for the DPO's eyes).
pub fn consent_report(
    resolved: &Resolved,
    filter: &ConsentFilter,
    names: bool,
    diags: &mut Diagnostics,
) -> ConsentReport {
    let project = &resolved.project;
    let Some(people) = project_people(project, diags) else {
        return ConsentReport::default();
    };
    let purposes = &project.consent.purposes;
    if purposes.is_empty() {
        if let Some(ledger) = people.consents.values().next() {
            diags.push(
                Diagnostic::error(Code::ConsentNoPurposes, &ledger.file, "there is a consent ledger, but policyc.yaml lists no consent purposes")
                    .with_hint("add `consent: { purposes: [ { id: website, label: Photos on the website, kind: image } ] }` to policyc.yaml (docs/FORMAT.md, Consent)"),
            );
        }
        return ConsentReport::default();
    }
    let pupil_audiences: Vec<&str> = project
        .audiences
        .iter()
        .filter(|a| a.reading != Reading::Adult && a.members.is_empty())
        .map(|a| a.id.as_str())
        .collect();
    let class = filter.class.as_deref().map(class_key);
    let mut select = Select {
        pupil_audiences,
        class: class.as_deref(),
        names,
        current_forms: BTreeMap::new(),
    };
    let unedited = crate::resolve::editorial::unedited(project, &resolved.schools).ids;
    let mut report = ConsentReport::default();
    for (school, ledger) in &people.consents {
        if !filter.schools.is_empty() && !filter.schools.contains(school) {
            continue;
        }
        let Some(roster) = people.rosters.get(school) else {
            diags.push(
                Diagnostic::error(
                    Code::LedgerWithoutRoster,
                    &ledger.file,
                    "there is a consent ledger but no roster beside it",
                )
                .with_hint(format!(
                    "add people/{school}/roster.csv, listing the pupils and their parents"
                )),
            );
            continue;
        };
        let source = people.sources.get(&ledger.file).map_or("", String::as_str);
        select.current_forms = current_forms(resolved, school, &unedited);
        if let Some(mut entry) =
            school_consent(school, roster, ledger, source, purposes, &select, diags)
        {
            entry.name = school_name(resolved, school);
            report.schools.push(entry);
        }
    }
    report
}

/// The school's name, or its id when it has none.
fn school_name(resolved: &Resolved, school: &str) -> String {
    resolved
        .schools
        .iter()
        .find(|s| s.id == school)
        .and_then(|s| s.merged.school.name.clone())
        .unwrap_or_else(|| school.to_string())
}

/// For each purpose, the document IDs of `school`'s consent forms that ask
/// about it, each also with its marked editorial edits undone, so that an
/// editorial edit asks nobody to renew.
fn current_forms(
    resolved: &Resolved,
    school: &str,
    unedited: &BTreeMap<DocKey, String>,
) -> BTreeMap<String, Vec<String>> {
    let mut forms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let docs = resolved
        .schools
        .iter()
        .filter(|s| s.id == school)
        .flat_map(|s| &s.documents);
    for doc in docs {
        for choice in &doc.consent {
            let ids = forms.entry(choice.id.clone()).or_default();
            ids.push(doc.doc_id.clone());
            ids.extend(unedited.get(&doc.key()).cloned());
        }
    }
    forms
}

/// A consent list PDF for each class of every selected school with a
/// consent ledger, as `(path in the private folder, bytes)`. They name
/// pupils, so the caller writes them to the private folder only.
pub fn consent_list_pdfs(
    resolved: &Resolved,
    filter: &ConsentFilter,
    pdf: PdfSettings,
    on_timeout: crate::render::pool::OnTimeout,
    diags: &mut Diagnostics,
) -> Vec<PrivateFile> {
    use crate::render::pool::SheetRun;
    let report = consent_report(resolved, filter, true, diags);
    if diags.has_errors() {
        return Vec::new();
    }
    let purposes = &resolved.project.consent.purposes;
    let kinds = |id: &str| purposes.iter().find(|p| p.id == id).map(|p| p.kind);
    let mut all = Vec::new();
    for school in &report.schools {
        all.extend(crate::render::consent_list::consent_lists(
            school,
            &school.name,
            &kinds,
            &resolved.today,
        ));
    }
    let engine = crate::render::pdf::PdfEngine::with_fonts(&resolved.project.fonts);
    let template = resolved.project.templates.get(Layout::ConsentList);
    let run = SheetRun {
        engine: &engine,
        template,
        ident: "consent",
        layout_name: "consent list layout",
        today: &resolved.today,
        pdf,
    };
    run.render(&all, |l| (l.path.as_str(), &l.data), on_timeout, diags)
}
