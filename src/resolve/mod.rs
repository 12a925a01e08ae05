//! Resolving: for one school × policy × audience, pick the clauses, apply the
//! school's exclusions, replacements and local clauses, order them, fill in
//! the placeholders and number them. The result is a [`Document`]: all the
//! text a reader sees, as data, ready for either renderer.
//!
//! Everything here is pure: no disk, no clock. Problems come back as
//! [`Diagnostic`]s that point at the clause or school line to fix.

pub mod assemble;
pub mod booklet;
pub mod compose;
pub mod editorial;
#[cfg(test)]
pub mod fixture;
pub mod inherit;
pub mod markdown;
pub mod placeholders;
pub mod sandbox;
pub mod slips;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::dates;
use crate::model::document::{ConsentChoice, Document, Meta, NoticeLink, Signature};
use crate::model::files::{
    Audience, DatePrecision, Policy, PolicyKind, Reading, SchoolFile, SignedBy,
};
use crate::model::key::OutputKind;
use crate::model::labels::{fill, resolve_labels, ResolvedLabels};
use crate::model::project::{Library, SchoolInput};
use crate::resolve::slips::{slip_links, SlipSettings};

use assemble::{meta, numbering_style, school_info, sections, signature};
use placeholders::{context, fact_lists, PlaceholderFiller};

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
            if !policy.written_for(audience) {
                continue;
            }
            match resolve_document(lib, policy, audience, school, diags) {
                Some(doc) => documents.push(doc),
                None => failed = true,
            }
        }
    }
    if failed {
        return None;
    }
    // The privacy notices: notices that must give the elements of UK GDPR
    // Articles 13 and 14 (`requires:`), not every published policy.
    let privacy: Vec<&str> = policies
        .iter()
        .filter(|p| p.def.kind == PolicyKind::Notice && !p.def.requires.is_empty())
        .map(|p| p.id.as_str())
        .collect();
    link_notices(&mut documents, s, &privacy);
    Some(documents)
}

/// Points each adult agreement at the privacy notice the school publishes
/// for the same audience, if it publishes one.
fn link_notices(documents: &mut [Document], s: &SchoolFile, privacy: &[&str]) {
    let notices: Vec<(String, NoticeLink)> = documents
        .iter()
        .filter(|d| d.notice && privacy.contains(&d.policy_id.as_str()))
        .map(|d| {
            let link = NoticeLink {
                title: d.title.clone(),
                html: d.key().file_name(OutputKind::Html),
                url: s
                    .privacy_notice_url
                    .as_ref()
                    .and_then(|u| u.get(&d.audience_id))
                    .cloned(),
            };
            (d.audience_id.clone(), link)
        })
        .collect();
    for doc in documents.iter_mut() {
        if doc.notice || doc.reading != Reading::Adult {
            continue;
        }
        doc.notice_link = notices
            .iter()
            .find(|(audience, _)| *audience == doc.audience_id)
            .map(|(_, link)| link.clone());
    }
}

/// The policies a school builds ([`SchoolFile::builds`]).
pub(crate) fn selected_policies<'p>(
    policies: &'p [Policy],
    school: &SchoolFile,
) -> Vec<&'p Policy> {
    policies.iter().filter(|p| school.builds(p)).collect()
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
    let labels = document_labels(s, audience, &meta);
    let context = context(s, audience, &title, &meta);
    let filler = PlaceholderFiller::new(&context, school).with_lists(fact_lists(s, audience));
    let mut problems = Diagnostics::default();
    let plan = compose::plan(policy, school, aid, &mut problems);
    let sections = sections(
        lib,
        &plan,
        audience,
        school,
        &filler,
        labels.text.get("only_for").map_or("", String::as_str),
        &mut problems,
    );
    let notice = policy.def.kind == PolicyKind::Notice;
    // A school's `intro` introduces its agreements; a notice opens with
    // its own summary.
    let intro_src = s
        .intro
        .as_ref()
        .filter(|_| !notice)
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
    let agreement_text = policy
        .def
        .agreement
        .as_ref()
        .and_then(|a| a.get(aid))
        .cloned()
        .unwrap_or_default();
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
        // Point at the `audiences` list that asks for this document, in
        // whichever file sets it (the school's or its trust's).
        let (file, source) = school.setting("audiences");
        let at = source.find("audiences").unwrap_or(0);
        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
        let mut problem = Diagnostic::error(
            Code::EmptyDocument,
            &file,
            format!("the `{}` document for `{aid}` has no clauses", policy.id),
        );
        problem = match source[at..].find(aid) {
            Some(offset) if source.contains("audiences") => problem.at_offset(source, at + offset),
            _ => problem.at_offset(source, line_start),
        };
        problems.push(problem.with_hint(format!(
            "tag some clauses with `audiences: [{aid}]`, add local clauses, or remove `{aid}` from `audiences`; if the `{}` policy is not meant for {aid} at all, list the policies this school builds with `policies: [...]`",
            policy.id
        )));
    }
    if !problems.is_empty() {
        diags.append(problems);
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
        // A notice is read as prose, never as a poster of rules.
        layout: s
            .layout
            .as_ref()
            .filter(|_| !notice)
            .and_then(|l| l.get(aid))
            .copied()
            .unwrap_or_default(),
        numbering: numbering_style(s, aid),
        meta,
        intro,
        values,
        sections: Vec::new(),
        linked_policies: match audience.reading {
            Reading::Adult => s.linked_policies.clone().unwrap_or_default(),
            Reading::Ks1 | Reading::Ks2 | Reading::Secondary => Vec::new(),
        },
        agreement,
        body: Vec::new(),
        list_numbering: s
            .list_numbering
            .as_ref()
            .and_then(|l| l.get(aid))
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        signature: if notice {
            Signature::none()
        } else {
            signing_as(
                lib,
                audience,
                &labels.text,
                signature(s, audience, &labels.text),
            )
        },
        notice,
        consent: consent_choices(lib, policy),
        labels: labels.text,
        labels_set: labels.overridden,
        signers: match policy.def.signed_by {
            SignedBy::Audience => Vec::new(),
            SignedBy::Role => s
                .roles
                .as_ref()
                .and_then(|r| r.get(&policy.id))
                .cloned()
                .unwrap_or_default(),
        },
        slip: None,
        notice_link: None,
    };
    compose::build_body(&mut doc, &plan, sections, &filler, &mut problems);
    if !problems.is_empty() {
        diags.append(problems);
        return None;
    }
    doc.doc_id = doc.compute_id();
    let settings = SlipSettings {
        sign_with: s.sign_with.as_ref(),
        full_text_url: s.full_text_url.as_ref(),
        online_form: s.online_form.as_ref(),
    };
    if !notice {
        doc.slip = slip_links(settings, &doc.key(), &doc.doc_id);
    }
    Some(doc)
}

/// A document for several audiences asks the signer which they are:
/// "Signing as (circle one): Staff / Volunteers", after the name.
fn signing_as(
    lib: Library<'_>,
    audience: &Audience,
    labels: &std::collections::BTreeMap<String, String>,
    mut signature: crate::model::document::Signature,
) -> crate::model::document::Signature {
    if audience.members.is_empty() {
        return signature;
    }
    let names: Vec<&str> = audience
        .members
        .iter()
        .map(|m| {
            lib.audiences
                .iter()
                .find(|a| &a.id == m)
                .map_or(m.as_str(), |a| a.label.as_str())
        })
        .collect();
    let label = labels.get("field_signing_as").map_or("", String::as_str);
    if label.is_empty() {
        // An empty label leaves the row out.
        return signature;
    }
    // After the name, as docs/FORMAT.md says; first when there is none.
    let name = labels.get("field_name").map_or("", String::as_str);
    let at = signature
        .fields
        .iter()
        .position(|f| f == name)
        .map_or(0, |i| i + 1);
    signature
        .fields
        .insert(at, format!("{label}: {}", names.join(" / ")));
    signature
}

/// A consent form's choices: each purpose it lists, with its label. A
/// purpose `policyc.yaml` does not define is reported by `check`.
fn consent_choices(lib: Library<'_>, policy: &Policy) -> Vec<ConsentChoice> {
    if policy.def.kind != PolicyKind::Consent {
        return Vec::new();
    }
    policy
        .def
        .purposes
        .iter()
        .filter_map(|id| lib.purposes.iter().find(|p| &p.id == id))
        .map(|p| ConsentChoice {
            id: p.id.clone(),
            label: p.label.clone(),
        })
        .collect()
}

/// The audience's labels, with the subtitle and facts line filled in.
pub(crate) fn document_labels(s: &SchoolFile, audience: &Audience, meta: &Meta) -> ResolvedLabels {
    let mut labels = resolve_labels(s.labels.as_ref(), &audience.id, audience.reading);
    let school = s.name.clone().unwrap_or_default();
    let noun = audience.noun();
    let precision = s.date_precision.unwrap_or_default();
    let approved_on = dates::long_form_to(&meta.approved_on, precision);
    let review_by = dates::long_form_to(&meta.review_by, precision);
    let tokens = [
        ("audience", noun.as_str()),
        ("school", school.as_str()),
        ("version", meta.version.as_str()),
        ("approved_by", meta.approved_by.as_str()),
        ("approved_on", approved_on.as_str()),
        ("review_by", review_by.as_str()),
    ];
    if precision != DatePrecision::Day {
        // The dates read differently, so the facts line is the school's.
        labels.overridden.insert("facts".to_string());
    }
    for key in crate::model::labels::FILLED {
        if let Some(text) = labels.text.get_mut(key) {
            *text = fill(text, &tokens);
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::files::Origin;
    use crate::model::markdown::plain_text;
    use crate::resolve::fixture::{clause, Fixture, SCHOOL};

    fn resolve(fixture: &Fixture) -> (Option<Vec<Document>>, Diagnostics) {
        fixture.resolve()
    }

    fn texts(doc: &Document) -> Vec<(String, String)> {
        doc.clauses()
            .map(|(_, c)| (c.label.clone(), plain_text(&c.blocks)))
            .collect()
    }

    #[test]
    fn a_document_per_audience_in_order_and_numbered() {
        let fixture = Fixture::new(SCHOOL);
        let (docs, diags) = resolve(&fixture);
        let docs = docs.expect("resolves");
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let ids: Vec<&str> = docs.iter().map(|d| d.audience_id.as_str()).collect();
        assert_eq!(ids, ["staff", "ks2"]);
        assert_eq!(
            texts(&docs[0]),
            [
                ("1.".into(), "I keep my password secret.".into()),
                ("2.".into(), "I will lock my screen.".into()),
                ("3.".into(), "I will tell Ms Example about a breach.".into()),
            ]
        );
        assert_eq!(docs[1].title, "My promise");
        assert_eq!(docs[1].sections.len(), 1, "ks2 has no data clauses");
        assert_eq!(docs[1].sections[0].heading, "Staying safe");
    }

    #[test]
    fn a_trust_with_the_school_s_own_name_is_named_once() {
        let same = format!("{SCHOOL}trust: {{ name: test school }}\n");
        let (docs, _) = resolve(&Fixture::new(&same));
        assert_eq!(docs.expect("resolves")[0].school.trust, None);
        let other = format!("{SCHOOL}trust: {{ name: Kestrel Trust }}\n");
        let (docs, _) = resolve(&Fixture::new(&other));
        assert_eq!(
            docs.expect("resolves")[0].school.trust.as_deref(),
            Some("Kestrel Trust")
        );
    }

    #[test]
    fn a_school_orders_its_fields_and_dates_its_facts_to_the_month() {
        let yaml = format!("{SCHOOL}signature: {{ fields: {{ staff: [name, role, signature, date] }} }}\ndate_precision: month\nlabels: {{ field_role: Role in school }}\n");
        let (docs, diags) = resolve(&Fixture::new(&yaml));
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let docs = docs.expect("resolves");
        assert_eq!(
            docs[0].signature.fields,
            ["Full name (printed)", "Role in school", "Signature", "Date"]
        );
        assert_eq!(
            docs[1].signature.fields,
            ["My name", "My class", "My signature", "Date"],
            "ks2 keeps its own"
        );
        assert_eq!(
            docs[0].labels["facts"],
            "Version 1. Approved by Governors on September 2026. Next review by September 2027."
        );
        let (plain, _) = resolve(&Fixture::new(SCHOOL));
        assert_ne!(
            docs[0].doc_id,
            plain.expect("resolves")[0].doc_id,
            "what signers see changed"
        );
    }

    #[test]
    fn exclusions_replacements_and_local_clauses_apply() {
        let yaml = format!("{SCHOOL}exclude: [lock]\nreplace:\n  passwords: I will never share my password.\nnumbering: bullet\n");
        let mut fixture = Fixture::new(&yaml);
        let mut local = clause("lanyards", "safety", 5, "staff", "I wear my lanyard.");
        local.origin = Origin::Local;
        fixture.local.push(local);
        let docs = resolve(&fixture).0.expect("resolves");
        let staff = &docs[0];
        let clauses: Vec<(&str, Origin)> = staff
            .clauses()
            .map(|(_, c)| (c.id.as_str(), c.provenance.origin))
            .collect();
        assert_eq!(
            clauses,
            [
                ("lanyards", Origin::Local),
                ("passwords", Origin::Replaced),
                ("dpo", Origin::Library)
            ]
        );
        assert_eq!(
            texts(staff)[1],
            ("•".into(), "I will never share my password.".into())
        );
    }

    #[test]
    fn values_are_literal_text_not_markup() {
        let yaml = SCHOOL.replace("Ms Example", "'*Ms* [x](javascript:y) <b>'");
        let docs = resolve(&Fixture::new(&yaml)).0.expect("resolves");
        assert_eq!(
            texts(&docs[0])[2].1,
            "I will tell *Ms* [x](javascript:y) <b> about a breach."
        );
    }

    #[test]
    fn the_document_id_follows_the_words() {
        let first = resolve(&Fixture::new(SCHOOL)).0.expect("resolves");
        let again = resolve(&Fixture::new(SCHOOL)).0.expect("resolves");
        assert_eq!(first[0].doc_id, again[0].doc_id);
        assert_eq!(first[0].doc_id.len(), 9);
        let reworded = SCHOOL.replace("Ms Example", "Mr Example");
        let changed = resolve(&Fixture::new(&reworded)).0.expect("resolves");
        assert_ne!(first[0].doc_id, changed[0].doc_id, "staff wording changed");
        assert_eq!(first[1].doc_id, changed[1].doc_id, "ks2 wording did not");
    }

    #[test]
    fn an_undefined_placeholder_names_the_clause_line_and_the_fix() {
        let yaml = SCHOOL.replace(
            "  dpo: { name: Ms Example, email: dpo@test.example }\n",
            "  it: { name: I, email: i@test.example }\n",
        );
        let (docs, diags) = resolve(&Fixture::new(&yaml));
        assert!(docs.is_none());
        let d = &diags.sorted()[0];
        assert_eq!(d.code, "undefined-placeholder");
        assert_eq!(d.file, "clauses/dpo.md");
        assert_eq!(d.line, Some(6));
        assert_eq!(
            d.message,
            "`contacts.dpo.name` is not defined for school `s`"
        );
        assert!(d
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("add `dpo: { name: …, email: … }` under `contacts:`"));
    }
}
