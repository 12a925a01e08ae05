//! Resolving: for one school × policy × audience, pick the clauses, apply the
//! school's exclusions, replacements and local clauses, order them, fill in
//! the placeholders and number them. The result is a [`Document`]: all the
//! text a reader sees, as data, ready for either renderer.
//!
//! Everything here is pure: no disk, no clock. Problems come back as
//! [`Diagnostic`]s that point at the clause or school line to fix.

pub mod assemble;
pub mod inherit;
pub mod placeholders;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::document::Document;
use crate::model::files::{Audience, Policy, Reading, SchoolFile};
use crate::model::project::{Library, SchoolInput};

use assemble::{meta, number_clauses, numbering_style, school_info, sections, signature};
use placeholders::{context, PlaceholderFiller};

/// Resolves every document one school produces: each of its policies ×
/// each of its audiences. The school must already have passed
/// `check::school`. Every problem goes to `diags`; the documents come back
/// only if there was none.
pub fn resolve_school(
    lib: Library<'_>,
    policies: &[Policy],
    school: SchoolInput<'_>,
    diags: &mut Diagnostics,
) -> Option<Vec<Document>> {
    let s = &school.merged.school;
    let audiences = s.audiences.clone().unwrap_or_default();
    let mut documents = Vec::new();
    let mut failed = false;
    for policy in selected_policies(policies, s) {
        for audience_id in &audiences {
            let Some(audience) = lib.audiences.iter().find(|a| &a.id == audience_id) else {
                continue;
            };
            match resolve_document(lib, policy, audience, school, diags) {
                Some(doc) => documents.push(doc),
                None => failed = true,
            }
        }
    }
    (!failed).then_some(documents)
}

/// The policies a school builds: those it lists, or all of them.
fn selected_policies<'p>(policies: &'p [Policy], school: &SchoolFile) -> Vec<&'p Policy> {
    match &school.policies {
        Some(ids) => policies.iter().filter(|p| ids.contains(&p.id)).collect(),
        None => policies.iter().collect(),
    }
}

/// Resolves one school × policy × audience.
pub fn resolve_document(
    lib: Library<'_>,
    policy: &Policy,
    audience: &Audience,
    school: SchoolInput<'_>,
    diags: &mut Diagnostics,
) -> Option<Document> {
    let s = &school.merged.school;
    let aid = audience.id.as_str();
    let title = policy.def.title.get(aid).cloned().unwrap_or_default();
    let meta = meta(s);
    let context = context(s, audience, &title, &meta);
    let filler = PlaceholderFiller::new(&context, school);
    let mut problems = Vec::new();
    let sections = sections(lib, policy, audience, school, &filler, &mut problems);
    let intro_src = s
        .intro
        .as_ref()
        .and_then(|i| i.get(aid))
        .map(|t| (t, "intro", school.setting("intro").0))
        .or_else(|| {
            policy
                .def
                .intro
                .as_ref()
                .and_then(|i| i.get(aid))
                .map(|t| (t, "intro", policy.file.clone()))
        });
    let intro = intro_src.map_or_else(Vec::new, |(text, key, file)| {
        filler.field(text, &file, key, &mut problems)
    });
    let agreement_text = policy.def.agreement.get(aid).cloned().unwrap_or_default();
    let agreement = filler.field(&agreement_text, &policy.file, "agreement", &mut problems);
    let values = s
        .values
        .as_ref()
        .and_then(|v| v.get(aid))
        .map_or_else(Vec::new, |v| {
            let (file, _) = school.setting("values");
            filler.field(v, &file, "values", &mut problems)
        });
    if sections.iter().all(|sec| sec.clauses.is_empty()) && problems.is_empty() {
        problems.push(
            Diagnostic::error("empty-document", school.file, format!("the `{}` {} for `{aid}` has no clauses", policy.id, "document"))
                .near(school.source, aid)
                .with_hint(format!("tag some clauses with `audiences: [{aid}]`, add local clauses, or remove `{aid}` from `audiences`")),
        );
    }
    if !problems.is_empty() {
        diags.extend(problems);
        return None;
    }
    let mut doc = Document {
        doc_id: String::new(),
        school_id: school.id.to_string(),
        policy_id: policy.id.clone(),
        audience_id: audience.id.clone(),
        school: school_info(s, school.logo_hash),
        title,
        audience_label: audience.label.clone(),
        audience_noun: audience.noun(),
        reading: audience.reading,
        layout: s
            .layout
            .as_ref()
            .and_then(|l| l.get(aid))
            .copied()
            .unwrap_or_default(),
        numbering: numbering_style(s, aid),
        meta,
        intro,
        values,
        sections: sections
            .into_iter()
            .filter(|s| !s.clauses.is_empty())
            .collect(),
        linked_policies: match audience.reading {
            Reading::Adult => s.linked_policies.clone().unwrap_or_default(),
            Reading::Ks1 | Reading::Ks2 => Vec::new(),
        },
        agreement,
        signature: signature(s, audience),
    };
    number_clauses(&mut doc);
    doc.doc_id = doc.compute_id();
    Some(doc)
}
