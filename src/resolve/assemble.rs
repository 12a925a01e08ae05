//! Assembling a document's parts: the sections with the clauses an
//! audience gets (exclusions, replacements and local clauses applied, in
//! order), their numbers, the signature block and the school's facts.

use std::collections::BTreeMap;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::dates;
use crate::model::document::{
    Countersign, LogoRef, Meta, Provenance, ResolvedClause, SchoolInfo, Section, Signature,
    Subsection,
};
use crate::model::files::{ref_label, Audience, Clause, NumberingStyle, Origin, SchoolFile};
use crate::model::per_audience::PerAudience;
use crate::model::project::{Library, SchoolInput};
use crate::model::signature::SignatureField;
use crate::resolve::compose::Plan;
use crate::resolve::placeholders::{Anchor, PlaceholderFiller};

pub(crate) fn numbering_style(s: &SchoolFile, audience: &str) -> NumberingStyle {
    s.numbering
        .as_ref()
        .and_then(|n| n.get(audience))
        .copied()
        .unwrap_or_default()
}

pub(crate) fn school_info(s: &SchoolFile, logo_hash: Option<&str>) -> SchoolInfo {
    let name = s.name.clone().unwrap_or_default();
    let logo = match (s.logo.as_ref(), logo_hash) {
        (Some(logo), Some(hash)) => Some(LogoRef {
            alt: logo.alt.clone().unwrap_or_else(|| format!("{name} logo")),
            sha256: hash.to_string(),
        }),
        _ => None,
    };
    // A single-academy trust often shares the school's name: say it once.
    let same = |t: &str| t.trim().eq_ignore_ascii_case(name.trim());
    SchoolInfo {
        trust: s
            .trust
            .as_ref()
            .map(|t| t.name.clone())
            .filter(|t| !same(t)),
        motto: s.motto.clone(),
        address: s.address.clone(),
        website: s.website.clone(),
        logo,
        name,
        masthead: s.masthead.unwrap_or_default(),
    }
}

pub(crate) fn meta(s: &SchoolFile) -> Meta {
    let approval = s.approval.clone();
    let approved_on = approval
        .as_ref()
        .map(|a| a.date.clone())
        .unwrap_or_default();
    let review_by = s.review_by.clone().unwrap_or_default();
    Meta {
        version: s.version.clone().unwrap_or_default(),
        approved_by: approval.map(|a| a.by).unwrap_or_default(),
        approved_on_text: dates::long_form(&approved_on),
        approved_on,
        review_by_text: dates::long_form(&review_by),
        review_by,
    }
}

/// The planned sections, each with the clauses this audience gets (the
/// section's own, then each subsection's), in the plan's order.
pub(crate) fn sections(
    lib: Library<'_>,
    plan: &Plan,
    audience: &Audience,
    school: SchoolInput<'_>,
    filler: &PlaceholderFiller<'_>,
    only_for: &str,
    problems: &mut Diagnostics,
) -> Vec<Section> {
    let s = &school.merged.school;
    let aid = audience.id.as_str();
    // A document for several audiences reads every member's clauses.
    let readers: Vec<&str> = std::iter::once(aid)
        .chain(audience.members.iter().map(String::as_str))
        .collect();
    let excluded = s.exclude.clone().unwrap_or_default();
    let switched_on = s.modules.clone().unwrap_or_default();
    let mut by_section: BTreeMap<&str, Vec<&Clause>> = BTreeMap::new();
    for clause in lib.clauses.iter().chain(school.local_clauses) {
        let m = &clause.meta;
        let module_on = m.module.as_ref().is_none_or(|id| switched_on.contains(id));
        let wanted = m.audiences.iter().any(|a| readers.contains(&a.as_str()))
            && module_on
            && !((clause.origin == Origin::Library || school.inherits(clause))
                && excluded.contains(&m.id));
        if wanted {
            by_section
                .entry(m.section.as_str())
                .or_default()
                .push(clause);
        }
    }
    let mut take = |id: &str, problems: &mut Diagnostics| {
        let mut clauses = by_section.remove(id).unwrap_or_default();
        clauses.sort_by(|a, b| (a.meta.order, &a.meta.id).cmp(&(b.meta.order, &b.meta.id)));
        clauses
            .into_iter()
            .filter_map(|c| match resolve_clause(c, &readers, s, school, filler) {
                Ok(mut rc) => {
                    rc.only = only(lib, audience, &c.meta.audiences, only_for);
                    Some(rc)
                }
                Err(d) => {
                    problems.push(d);
                    None
                }
            })
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    for (def, file) in plan.sections() {
        // A section's or subsection's lead-in for this audience, filled in.
        let lead_in = |lead: &Option<PerAudience<String>>, problems: &mut Diagnostics| {
            lead.as_ref()
                .and_then(|l| l.get(aid))
                .map(|text| filler.field(text, file, "lead", problems))
                .unwrap_or_default()
        };
        let mut clauses = take(&def.id, problems);
        let mut subsections = Vec::new();
        for sub in &def.subsections {
            let group = take(&sub.id, problems);
            let lead = lead_in(&sub.lead, problems);
            // A subsection no clause belongs to is a statement ("I have
            // read and understood the above"): it keeps its place and
            // number. One whose clauses are all for other readers goes.
            let statement = !lib
                .clauses
                .iter()
                .chain(school.local_clauses)
                .any(|c| c.meta.section == sub.id);
            if group.is_empty() && (lead.is_empty() || !statement) {
                continue;
            }
            subsections.push(Subsection {
                id: sub.id.clone(),
                heading: sub.heading.get(aid).cloned().unwrap_or_default(),
                label: None,
                lead,
                first: clauses.len(),
                count: group.len(),
            });
            clauses.extend(group);
        }
        out.push(Section {
            id: def.id.clone(),
            heading: def
                .heading
                .as_ref()
                .and_then(|h| h.get(aid))
                .cloned()
                .unwrap_or_default(),
            label: None,
            clauses,
            lead: lead_in(&def.lead, problems),
            subsections,
        });
    }
    for (id, clauses) in by_section {
        if let (true, Some(first)) = (plan.unplaced.contains(id), clauses.first()) {
            problems.push(
                Diagnostic::error(
                    Code::SectionNotPlaced,
                    &first.file,
                    format!("the section `{id}` has clauses for {aid}, but no block places it"),
                )
                .at_key(school.sources.get(&first.file).map_or("", String::as_str), "section")
                .with_hint(format!(
                    "add `- section: {{ id: {id} }}` to the blocks where it belongs, or `- sections: {{}}` for every section not placed"
                )),
            );
        }
    }
    out
}

/// In a document for several audiences, the note on a clause meant for
/// only some of them: "For staff and volunteers only".
fn only(lib: Library<'_>, audience: &Audience, tagged: &[String], label: &str) -> Option<String> {
    if audience.members.is_empty() || tagged.contains(&audience.id) {
        return None;
    }
    let reached: Vec<String> = audience
        .members
        .iter()
        .filter(|m| tagged.contains(m))
        .map(|m| {
            lib.audiences
                .iter()
                .find(|a| &a.id == m)
                .map_or_else(|| m.clone(), Audience::noun)
        })
        .collect();
    if reached.len() == audience.members.len() {
        return None;
    }
    let names = match reached.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    // The nouns are lower case ("staff"); a label that starts with them
    // starts a sentence, so they take its capital ("Staff only").
    let names = if label.trim_start().starts_with("{audiences}") {
        capitalise(&names)
    } else {
        names
    };
    Some(crate::model::labels::fill(
        label,
        &[("audiences", names.as_str())],
    ))
}

/// `text` with its first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `readers` are the document's audience and, for a document read by
/// several, its members: the clause reads as it does for the first of them
/// it is meant for.
fn resolve_clause(
    clause: &Clause,
    readers: &[&str],
    s: &SchoolFile,
    school: SchoolInput<'_>,
    filler: &PlaceholderFiller<'_>,
) -> Result<ResolvedClause, Diagnostic> {
    let m = &clause.meta;
    let aid = readers
        .iter()
        .copied()
        .find(|r| m.audiences.iter().any(|a| a == r))
        .unwrap_or(readers[0]);
    let replaced = s
        .replace
        .as_ref()
        .and_then(|r| r.get(&m.id))
        .and_then(|r| r.get(aid));
    let (text, file, anchor, origin) = match (replaced, m.wording.get(aid)) {
        (Some(text), _) => {
            let (file, _) = school.setting("replace");
            (text.as_str(), file, Anchor::Key(&m.id), Origin::Replaced)
        }
        (None, Some(text)) => (
            text.as_str(),
            clause.file.clone(),
            Anchor::Key("wording"),
            clause.origin,
        ),
        (None, None) => (
            clause.body.as_str(),
            clause.file.clone(),
            Anchor::Line(clause.body_line),
            clause.origin,
        ),
    };
    let (blocks, placeholders) = filler.fill(text, &file, anchor)?;
    Ok(ResolvedClause {
        id: m.id.clone(),
        title: m.title.clone(),
        label: String::new(),
        blocks,
        keyword: m.keyword.clone(),
        only: None,
        refs: m
            .refs
            .iter()
            .map(|r| ref_label(r).unwrap_or(r).to_string())
            .collect(),
        provenance: Provenance {
            file,
            origin,
            placeholders,
            module: m.module.clone(),
        },
    })
}

pub(crate) fn signature(
    s: &SchoolFile,
    audience: &Audience,
    labels: &BTreeMap<String, String>,
) -> Signature {
    let extras = s.signature.clone().unwrap_or_default();
    let listed =
        |list: &Option<Vec<String>>| list.as_ref().is_some_and(|l| l.contains(&audience.id));
    let label = |key: &str| labels.get(key).cloned().unwrap_or_default();
    let strings = |keys: &[&str]| keys.iter().map(|k| label(k)).collect::<Vec<_>>();
    Signature {
        fields: extras
            .fields
            .as_ref()
            .and_then(|f| f.get(&audience.id))
            .unwrap_or(&audience.signature)
            .iter()
            .map(|f| label(f.label_key()))
            .collect(),
        parent: listed(&extras.parent)
            .then(|| strings(&["field_parent_name", "field_parent_signature", "field_date"])),
        countersign: listed(&extras.countersign).then(|| Countersign {
            statement: label("countersign_statement"),
            fields: match &extras.countersign_fields {
                Some(order) => order.iter().map(|f| label(f.label_key())).collect(),
                None => strings(&["field_countersigner", "field_signature", "field_date"]),
            },
        }),
        side_by_side: extras
            .side_by_side
            .iter()
            .flatten()
            .flat_map(|f| {
                // The countersigner's name has a label of its own.
                let countersigner =
                    (*f == SignatureField::Name).then(|| label("field_countersigner"));
                std::iter::once(label(f.label_key())).chain(countersigner)
            })
            .collect(),
    }
}
