//! The proof behind an editorial mark: each document resolved again with
//! every marked edit undone in its clause files. If that document's ID is
//! the published one, the marked edits are the *only* difference, so
//! nobody need sign again. Any other change, however small, gives a
//! different ID and the document must be signed as usual.
//!
//! Pure, like the rest of `resolve`: the project in, IDs out.

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::model::files::Clause;
use crate::model::hash::hex_digest;
use crate::model::key::DocKey;
use crate::model::markdown::plain_text;
use crate::model::project::{Library, Project, ResolvedSchool, SchoolInput};
use crate::resolve::resolve_school;

/// The reason each marked clause gives, by clause id (library and local).
pub fn reasons(project: &Project) -> BTreeMap<String, String> {
    all_clauses(project)
        .filter_map(|c| {
            let mark = c.meta.editorial.as_ref().filter(|m| m.is_usable())?;
            Some((c.meta.id.clone(), mark.reason.clone()))
        })
        .collect()
}

/// Every current document as it would be with each marked edit undone:
/// its ID, which proves the marked edits are its only change, and each
/// clause's text, which says which change a mark was made for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unedited {
    /// Each document's ID with the marked edits undone.
    pub ids: BTreeMap<DocKey, String>,
    /// Each document's clauses' plain text with the marked edits undone,
    /// by clause id.
    pub clauses: BTreeMap<DocKey, BTreeMap<String, String>>,
}

/// Every current document as it would be with each marked edit undone.
/// Empty when no clause carries a mark.
pub fn unedited(project: &Project, schools: &[ResolvedSchool]) -> Unedited {
    let mut unedited = Unedited::default();
    if all_clauses(project).all(|c| !c.meta.editorial.as_ref().is_some_and(|m| m.is_usable())) {
        return unedited;
    }
    let library: Vec<Clause> = project.clauses.iter().map(undo_marked).collect();
    let lib = Library {
        audiences: &project.audiences,
        clauses: &library,
        modules: &project.modules,
        purposes: &project.consent.purposes,
        complete: true,
    };
    for school in schools {
        let Some(source) = project.schools.iter().find(|s| s.id == school.id) else {
            continue;
        };
        let local: Vec<Clause> = source.local_clauses.iter().map(undo_marked).collect();
        let logo_hash = school.logo.as_ref().map(|l| hex_digest(&l.bytes));
        let input = SchoolInput {
            id: &school.id,
            file: source.file(),
            source: project.source(source.file()),
            merged: &school.merged,
            local_clauses: &local,
            logo_hash: logo_hash.as_deref(),
            sources: &project.sources,
        };
        // Undoing an edit can break a placeholder; such a document simply
        // has no unedited ID and must be signed again.
        let mut ignored = Diagnostics::default();
        let documents = resolve_school(lib, &project.policies, input, &mut ignored);
        for doc in documents.into_iter().flatten() {
            let texts = doc
                .clauses()
                .map(|(_, c)| (c.id.clone(), plain_text(&c.blocks)))
                .collect();
            unedited.clauses.insert(doc.key(), texts);
            unedited.ids.insert(doc.key(), doc.doc_id);
        }
    }
    unedited
}

/// The library's clauses and every school's local clauses.
fn all_clauses(project: &Project) -> impl Iterator<Item = &Clause> {
    project
        .clauses
        .iter()
        .chain(project.schools.iter().flat_map(|s| s.local_clauses.iter()))
}

/// A clause with its marked edits undone in the body and every wording.
fn undo_marked(clause: &Clause) -> Clause {
    let mut clause = clause.clone();
    if let Some(mark) = clause.meta.editorial.clone().filter(|m| m.is_usable()) {
        clause.body = mark.undo(&clause.body);
        for text in clause.meta.wording.values_mut() {
            *text = mark.undo(text);
        }
    }
    clause
}
