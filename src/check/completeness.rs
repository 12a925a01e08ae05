//! Completeness: a document holds everything its policy requires. A policy
//! lists the elements it `requires:` (a privacy notice: the controller, the
//! DPO, the retention period…) and clauses say which they `provide`. After
//! resolving, each document must have a clause for every element, whatever
//! the school excluded or replaced; and before resolving, every system a
//! notice lists as a processor must carry the facts the notice prints.

use std::collections::BTreeSet;

use crate::diag::places::find_under;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::document::Document;
use crate::model::files::{Clause, Policy, PolicyKind};
use crate::model::project::{Library, SchoolInput};
use crate::model::systems::PROCESSOR_FACTS;

/// Every required element a resolved document lacks, each an error at the
/// school file, saying which excluded clause gave it where one did.
pub fn check_required_elements(
    lib: Library<'_>,
    policies: &[Policy],
    school: SchoolInput<'_>,
    documents: &[Document],
    diags: &mut Diagnostics,
) {
    for doc in documents {
        let Some(policy) = policies.iter().find(|p| p.id == doc.policy_id) else {
            continue;
        };
        let provided: BTreeSet<&str> = doc
            .clauses()
            .filter_map(|(_, c)| find_clause(lib, school, &c.id))
            .flat_map(|c| c.meta.provides.iter().map(String::as_str))
            .collect();
        for element in &policy.def.requires {
            let wanted = element
                .audiences
                .as_ref()
                .is_none_or(|list| list.contains(&doc.audience_id));
            if wanted && !provided.contains(element.id.as_str()) {
                diags.push(missing_element(
                    lib,
                    school,
                    doc,
                    &element.id,
                    &element.label,
                ));
            }
        }
    }
}

/// A clause of the library or of the school, by id.
fn find_clause<'a>(lib: Library<'a>, school: SchoolInput<'a>, id: &str) -> Option<&'a Clause> {
    school
        .local_clauses
        .iter()
        .chain(lib.clauses)
        .find(|c| c.meta.id == id)
}

/// The error for one missing element, pointing at the exclusion that
/// removed it when there is one.
fn missing_element(
    lib: Library<'_>,
    school: SchoolInput<'_>,
    doc: &Document,
    element: &str,
    label: &str,
) -> Diagnostic {
    let message = format!(
        "the `{}` document for `{}` lacks {label} (`{element}`)",
        doc.policy_id, doc.audience_id
    );
    let excluded = school
        .merged
        .school
        .exclude
        .iter()
        .flatten()
        .filter_map(|id| find_clause(lib, school, id))
        .find(|c| {
            c.meta.provides.iter().any(|p| p == element)
                && c.meta.audiences.contains(&doc.audience_id)
        });
    match excluded {
        Some(clause) => {
            let (file, source) = school.setting("exclude");
            Diagnostic::error(Code::MissingElement, &file, message)
                .near_under(source, "exclude", &clause.meta.id)
                .with_hint(format!(
                    "`{}` gives it, and this file excludes it: take it out of `exclude:`, or add a clause of the school's own with `provides: [{element}]` and `audiences: [{}]`",
                    clause.meta.id, doc.audience_id
                ))
        }
        None => {
            let (file, source) = school.setting("audiences");
            Diagnostic::error(Code::MissingElement, &file, message)
                .near_under(source, "audiences", &doc.audience_id)
                .with_hint(format!(
                    "add a clause with `provides: [{element}]` and `audiences: [{}]` to the library or to the school's own clauses",
                    doc.audience_id
                ))
        }
    }
}

/// Every system a school's notices would list that lacks a fact the list
/// prints, each an error at the line that names the system.
pub fn check_processor_facts(
    lib: Library<'_>,
    policies: &[Policy],
    school: SchoolInput<'_>,
    diags: &mut Diagnostics,
) {
    let s = &school.merged.school;
    let school_audiences = s.audiences.clone().unwrap_or_default();
    let readers: Vec<&crate::model::files::Audience> = policies
        .iter()
        .filter(|p| p.def.kind == PolicyKind::Notice)
        .filter(|p| s.builds(p))
        .flat_map(|p| {
            school_audiences
                .iter()
                .filter_map(|id| lib.audiences.iter().find(|a| &a.id == id))
                .filter(|a| p.written_for(a))
        })
        .collect();
    for (kind, system) in s.systems.iter().flatten() {
        let listed = readers
            .iter()
            .any(|a| system.holds_data_of(&a.id, &a.members));
        let missing = system.missing_facts();
        if !listed || missing.is_empty() {
            continue;
        }
        let (file, source) = system_file(school, kind);
        let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
        diags.push(
            Diagnostic::error(
                Code::SystemFactsMissing,
                &file,
                format!(
                    "the privacy notices list `systems.{kind}` ({}) as a processor, but it has no {}",
                    system.name,
                    keys.join(", ")
                ),
            )
            .near_under(source, "systems", kind)
            .with_hint(format!(
                "write it as a map: `{kind}: {{ name: {}, {} }}`; add `audiences: [...]` if it holds only some readers' information",
                system.name,
                PROCESSOR_FACTS.map(|k| format!("{k}: …")).join(", ")
            )),
        );
    }
}

/// The file that names system `kind`: the school's own, else the nearest
/// defaults file that does.
fn system_file<'a>(school: SchoolInput<'a>, kind: &str) -> (String, &'a str) {
    if find_under(school.source, &["systems"], kind).is_some() {
        return (school.file.to_string(), school.source);
    }
    let (file, source) = school.setting("systems");
    if find_under(source, &["systems"], kind).is_some() {
        return (file, source);
    }
    school
        .sources
        .iter()
        .filter(|(path, _)| {
            path.starts_with("schools/")
                && path.rsplit('/').next().is_some_and(|n| n.starts_with('_'))
        })
        .find(|(_, text)| find_under(text, &["systems"], kind).is_some())
        .map_or((file, source), |(path, text)| (path.clone(), text.as_str()))
}
