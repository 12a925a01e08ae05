//! Composing a document from blocks: the policy's order (or the default
//! one), the defaults files' and then the school's edits applied by block
//! id, `sections` expanded into the sections not placed elsewhere, and the
//! body built part by part with its headings and numbers.

use std::collections::HashSet;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::blocks::{numbered_for, BlockDef, BlockEdit, EditKind, SectionDef};
use crate::model::body::Part;
use crate::model::document::{Document, Section};
use crate::model::files::{NumberingStyle, Policy, PolicyKind};
use crate::model::numbering;
use crate::model::project::SchoolInput;
use crate::resolve::placeholders::PlaceholderFiller;

/// A block as planned for one document, with the file that wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    /// The block.
    pub block: BlockDef,
    /// The project file it was written in, for messages.
    pub file: String,
    /// Whether it is one of the sections the policy's `sections` block
    /// stood for (edits name them all as `sections`).
    pub from_sections: bool,
}

/// The blocks of one document, in order, and the policy's sections that
/// no block places.
pub(crate) struct Plan {
    /// The blocks the audience gets.
    pub blocks: Vec<Planned>,
    /// Ids of sections (and their subsections) that nothing places.
    pub unplaced: HashSet<String>,
}

impl Plan {
    /// The section blocks, in reading order.
    pub fn sections(&self) -> impl Iterator<Item = (&SectionDef, &str)> {
        self.blocks.iter().filter_map(|p| match &p.block {
            BlockDef::Section(def) => Some((def, p.file.as_str())),
            _ => None,
        })
    }
}

/// Plans one policy's blocks for one school and audience. The policy's
/// `sections` block becomes its sections first, so a school's edits can
/// name each section by id, and `sections` for all of them at once.
pub(crate) fn plan(
    policy: &Policy,
    school: SchoolInput<'_>,
    audience: &str,
    problems: &mut Diagnostics,
) -> Plan {
    let written = policy
        .def
        .blocks
        .clone()
        .unwrap_or_else(|| BlockDef::default_order(policy.def.kind.is_signed()));
    let mut blocks = expand_sections(written, &policy.def.sections, &policy.file);
    let edits = school
        .merged
        .school
        .blocks
        .as_ref()
        .and_then(|b| b.get(&policy.id))
        .cloned()
        .unwrap_or_default();
    for edit in &edits {
        if let Err(problem) = apply(&mut blocks, edit, school) {
            problems.push(problem);
        }
    }
    if policy.def.kind == PolicyKind::Notice {
        blocks.retain(|p| {
            let signed = matches!(p.block, BlockDef::Agreement(_));
            if signed && p.file != policy.file {
                problems.push(notice_signed(&policy.id, &p.file, school));
            }
            !signed
        });
    }
    let placed: HashSet<&str> = blocks
        .iter()
        .filter_map(|p| match &p.block {
            BlockDef::Section(def) => Some(def.id.as_str()),
            _ => None,
        })
        .collect();
    let unplaced = policy
        .def
        .sections
        .iter()
        .filter(|def| !placed.contains(def.id.as_str()))
        .flat_map(|def| {
            std::iter::once(def.id.clone()).chain(def.subsections.iter().map(|s| s.id.clone()))
        })
        .collect();
    Plan {
        blocks: blocks
            .into_iter()
            .filter(|p| p.block.for_audience(audience))
            .collect(),
        unplaced,
    }
}

/// A school's or trust's edit that gives a notice an agreement block.
fn notice_signed(policy: &str, file: &str, school: SchoolInput<'_>) -> Diagnostic {
    let source = school.sources.get(file).map_or("", String::as_str);
    Diagnostic::error(
        Code::NoticeAgreement,
        file,
        format!(
            "`{policy}` is a notice, published and never signed, so it takes no agreement block"
        ),
    )
    .near_under(source, "blocks", "agreement")
    .with_hint(format!(
        "remove the edit that places `agreement` in `blocks: {policy}:`"
    ))
}

/// Where an edit's target stands: one block, or for `sections` the run of
/// sections it stood for.
fn find_target(blocks: &[Planned], target: &str) -> Option<(usize, usize)> {
    if target == "sections" {
        let first = blocks.iter().position(|p| p.from_sections)?;
        let last = blocks.iter().rposition(|p| p.from_sections)?;
        return Some((first, last));
    }
    let at = blocks.iter().position(|p| p.block.id() == target)?;
    Some((at, at))
}

/// Applies one edit, or says why it cannot be.
fn apply(
    blocks: &mut Vec<Planned>,
    edit: &BlockEdit,
    school: SchoolInput<'_>,
) -> Result<(), Diagnostic> {
    let source = school
        .sources
        .get(&edit.file)
        .map_or(school.source, String::as_str);
    let at_blocks = source.find("blocks:").unwrap_or(0);
    let locate = |d: Diagnostic, needle: &str| match source[at_blocks..].find(needle) {
        Some(offset) => d.at_offset(source, at_blocks + offset),
        None => d.at_key(source, "blocks"),
    };
    let (kind, target) = edit.target().map_err(|why| {
        locate(
            Diagnostic::error(
                Code::BadBlockEdit,
                &edit.file,
                "a block edit must say where it goes",
            ),
            "blocks:",
        )
        .with_hint(why)
    })?;
    let Some((first, last)) = find_target(blocks, target) else {
        let mut ids: Vec<&str> = blocks.iter().map(|p| p.block.id()).collect();
        ids.dedup();
        return Err(locate(
            Diagnostic::error(
                Code::UnknownBlock,
                &edit.file,
                format!(
                    "there is no block `{target}` to put something {}",
                    kind_words(kind)
                ),
            ),
            target,
        )
        .with_hint(format!("the blocks are, in order: {}", ids.join(", "))));
    };
    let placed = edit.block.clone().map(|block| Planned {
        block,
        file: edit.file.clone(),
        from_sections: false,
    });
    if let Some(new) = &placed {
        let id = new.block.id();
        let replaced = |i: usize| kind == EditKind::Replace && (first..=last).contains(&i);
        let clash = blocks
            .iter()
            .enumerate()
            .any(|(i, p)| p.block.id() == id && !replaced(i));
        if clash {
            return Err(locate(
                Diagnostic::error(
                    Code::DuplicateBlock,
                    &edit.file,
                    format!("the document already has a block `{id}`"),
                ),
                id,
            )
            .with_hint(format!(
                "give the new block its own id, or use `replace: {id}`"
            )));
        }
    }
    match (kind, placed) {
        (EditKind::Remove, _) => {
            blocks.drain(first..=last);
        }
        (EditKind::Replace, Some(mut new)) => {
            if let (BlockDef::Section(top), BlockDef::Section(base)) =
                (&new.block, &blocks[first].block)
            {
                new.block = BlockDef::Section(top.clone().over(base));
            }
            blocks.splice(first..=last, [new]);
        }
        (EditKind::Before, Some(new)) => blocks.insert(first, new),
        (EditKind::After, Some(new)) => blocks.insert(last + 1, new),
        (_, None) => {}
    }
    Ok(())
}

fn kind_words(kind: EditKind) -> &'static str {
    match kind {
        EditKind::Before => "before",
        EditKind::After => "after",
        EditKind::Replace => "in place of",
        EditKind::Remove => "out",
    }
}

/// `sections` becomes every policy section no `section` block places; a
/// `section` block naming a policy section keeps what it does not set.
fn expand_sections(blocks: Vec<BlockDef>, defs: &[SectionDef], file: &str) -> Vec<Planned> {
    let named: HashSet<String> = blocks
        .iter()
        .filter_map(|b| match b {
            BlockDef::Section(def) => Some(def.id.clone()),
            _ => None,
        })
        .collect();
    let planned = |block, from_sections| Planned {
        block,
        file: file.to_string(),
        from_sections,
    };
    let mut out = Vec::new();
    for block in blocks {
        match block {
            BlockDef::Sections(options) => {
                for def in defs.iter().filter(|d| !named.contains(&d.id)) {
                    let mut def = def.clone();
                    def.numbered = def.numbered.or_else(|| options.numbered.clone());
                    def.audiences = def.audiences.or_else(|| options.audiences.clone());
                    out.push(planned(BlockDef::Section(def), true));
                }
            }
            BlockDef::Section(def) => {
                let def = match defs.iter().find(|d| d.id == def.id) {
                    Some(base) => def.over(base),
                    None => def,
                };
                out.push(planned(BlockDef::Section(def), false));
            }
            block => out.push(planned(block, false)),
        }
    }
    out
}

/// Builds the body from the plan, moving the sections that have clauses
/// into the document and numbering headings and clauses as it goes.
/// `sections` holds one resolved section per planned section block.
pub(crate) fn build_body(
    doc: &mut Document,
    plan: &Plan,
    sections: Vec<Section>,
    filler: &PlaceholderFiller<'_>,
    problems: &mut Diagnostics,
) {
    let aid = doc.audience_id.clone();
    let style = doc.numbering;
    let label = |key: &str| doc.labels.get(key).cloned().unwrap_or_default();
    let heading_of = |def: &Option<crate::model::per_audience::PerAudience<String>>, key: &str| {
        def.as_ref()
            .and_then(|h| h.get(&aid).cloned())
            .unwrap_or_else(|| label(key))
    };
    let mut counter = Counter::default();
    let mut sections = sections.into_iter();
    let mut body = Vec::new();
    let mut placed = Vec::new();
    for planned in &plan.blocks {
        let part = match &planned.block {
            BlockDef::Prose(p) => p.text.get(&aid).map(|text| {
                let heading = p
                    .heading
                    .as_ref()
                    .and_then(|h| h.get(&aid))
                    .cloned()
                    .unwrap_or_default();
                Part::Prose {
                    id: p.id.clone(),
                    number: counter.next(numbered_for(&p.numbered, &aid) && !heading.is_empty()),
                    heading,
                    blocks: filler.field(text, &planned.file, "text", problems),
                }
            }),
            BlockDef::Contents(d) => Some(Part::Contents {
                heading: heading_of(&d.heading, "contents_heading"),
                skip: d.skip.clone().unwrap_or_default(),
            }),
            BlockDef::Intro(d) => (!doc.intro.is_empty()).then(|| {
                // The introduction has no heading unless its block gives one.
                let heading = d
                    .heading
                    .as_ref()
                    .and_then(|h| h.get(&aid))
                    .filter(|h| !h.trim().is_empty())
                    .cloned();
                let number = counter.next(heading.is_some() && numbered_for(&d.numbered, &aid));
                Part::Intro { heading, number }
            }),
            BlockDef::Values(d) => (!doc.values.is_empty()).then(|| {
                let heading = heading_of(&d.heading, "values_heading");
                let number = counter.next(!heading.is_empty() && numbered_for(&d.numbered, &aid));
                Part::Values { heading, number }
            }),
            BlockDef::LinkedPolicies(d) => (!doc.linked_policies.is_empty()).then(|| {
                let heading = heading_of(&d.heading, "linked_policies_heading");
                let number = counter.next(!heading.is_empty() && numbered_for(&d.numbered, &aid));
                Part::LinkedPolicies { heading, number }
            }),
            BlockDef::Agreement(d) => {
                // An empty label means no heading, and so no number.
                let heading = heading_of(&d.heading, "agreement_heading");
                let number = counter.next(!heading.is_empty() && numbered_for(&d.numbered, &aid));
                Some(Part::Agreement { heading, number })
            }
            BlockDef::Section(def) => {
                let Some(mut section) = sections.next() else {
                    continue;
                };
                if section.clauses.is_empty() && section.subsections.is_empty() {
                    continue;
                }
                let numbered = !section.heading.is_empty()
                    && (numbered_for(&def.numbered, &aid) || style == NumberingStyle::Section);
                section.label = counter.next(numbered);
                let own = def.numbering.as_ref().and_then(|n| n.get(&aid)).copied();
                counter.number_clauses(&mut section, own.unwrap_or(style), own.is_some());
                placed.push(section);
                Some(Part::Section {
                    index: placed.len() - 1,
                })
            }
            BlockDef::Sections(_) => None,
        };
        body.extend(part);
    }
    doc.sections = placed;
    doc.body = body;
}

/// The running numbers: headings, and clauses counted through the document.
#[derive(Default)]
struct Counter {
    heading: usize,
    clause: usize,
}

impl Counter {
    /// The next heading number, if the heading takes one.
    fn next(&mut self, numbered: bool) -> Option<String> {
        numbered.then(|| {
            self.heading += 1;
            format!("{}.", self.heading)
        })
    }

    /// Numbers a section's clauses and subsection headings. A section with
    /// its own style restarts its count; otherwise the count runs on.
    fn number_clauses(&mut self, section: &mut Section, style: NumberingStyle, restart: bool) {
        let number = section
            .label
            .as_deref()
            .map(|l| l.trim_end_matches('.').to_string());
        let first_sub = section
            .subsections
            .first()
            .map_or(section.clauses.len(), |s| s.first);
        for (j, clause) in section.clauses.iter_mut().enumerate() {
            let index = if restart { j } else { self.clause };
            clause.label = match (style, &number) {
                (NumberingStyle::Section, Some(n)) if j < first_sub => format!("{n}.{}", j + 1),
                (NumberingStyle::Section, Some(_)) => String::new(),
                (NumberingStyle::Section, None) => format!("{}.", index + 1),
                (style, _) => numbering::clause_label(style, index, 0, j),
            };
            if !restart {
                self.clause += 1;
            }
        }
        for (k, sub) in section.subsections.iter_mut().enumerate() {
            // Under `section` numbering the subsections number on from the
            // section's own clauses (2.1, 2.2, then 2.3 Email).
            let at = if style == NumberingStyle::Section {
                first_sub
            } else {
                0
            };
            let k = at + k + 1;
            sub.label = number.as_ref().map(|n| format!("{n}.{}", k));
            if let (NumberingStyle::Section, Some(label)) = (style, &sub.label) {
                for (j, clause) in section.clauses[sub.first..sub.first + sub.count]
                    .iter_mut()
                    .enumerate()
                {
                    clause.label = format!("{label}.{}", j + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostics;
    use crate::model::body::Part;
    use crate::model::document::Document;
    use crate::model::files::Origin;
    use crate::model::markdown::plain_text;
    use crate::resolve::fixture::{clause, Fixture, SCHOOL};

    fn resolve(fixture: &Fixture) -> (Option<Vec<Document>>, Diagnostics) {
        fixture.resolve()
    }

    /// What a reader sees of the body: each part's kind, number and heading.
    fn outline(doc: &Document) -> Vec<String> {
        doc.body
            .iter()
            .map(|part| match part {
                Part::Prose {
                    heading, number, ..
                } => format!("prose {} {heading}", number.as_deref().unwrap_or("-")),
                Part::Contents { heading, .. } => format!("contents {heading}"),
                Part::Intro { heading, number } => match heading {
                    Some(h) => format!("intro {} {h}", number.as_deref().unwrap_or("-")),
                    None => "intro".into(),
                },
                Part::Values { heading, number }
                | Part::LinkedPolicies { heading, number }
                | Part::Agreement { heading, number } => {
                    format!("{} {heading}", number.as_deref().unwrap_or("-"))
                }
                Part::Section { index } => {
                    let s = &doc.sections[*index];
                    format!(
                        "section {} {}",
                        s.label.as_deref().unwrap_or("-"),
                        s.heading
                    )
                }
            })
            .collect()
    }

    const COMPOSED: &str = "\
numbering: { staff: section }
linked_policies: [Safeguarding policy]
list_numbering: { staff: \"a. (i)\" }
blocks:
  aup:
    - before: safety
      block: { contents: {} }
    - before: contents
      block: { prose: { id: statement, text: { staff: We all keep pupils safe. } } }
    - after: contents
      block: { prose: { id: context, heading: Context, text: { default: Why this matters. }, numbered: true } }
    - replace: data
      block:
        section:
          id: data
          lead: { staff: 'Everyone handles personal data:' }
          subsections:
            - { id: email, heading: Email, lead: Send with care. }
    - remove: linked_policies
    - after: data
      block: { linked_policies: { numbered: true } }
    - replace: agreement
      block: { agreement: { numbered: true, heading: Agreement form } }
";

    fn composed() -> Fixture {
        let mut fixture = Fixture::new(&format!("{SCHOOL}{COMPOSED}"));
        let mut local = clause(
            "email-care",
            "email",
            5,
            "staff",
            "1. Check the address.\n2. Check the attachment.\n   1. Its name.",
        );
        local.origin = Origin::Local;
        fixture.local.push(local);
        fixture
    }

    #[test]
    fn a_school_composes_its_own_agreement_with_numbers_that_run_on() {
        let (docs, diags) = resolve(&composed());
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let staff = &docs.expect("resolves")[0];
        assert_eq!(
            outline(staff),
            [
                "prose - ",
                "contents Contents",
                "prose 1. Context",
                "section 2. Keeping safe",
                "section 3. Data protection",
                "4. Links with other policies",
                "5. Agreement form",
            ]
        );
        let data = &staff.sections[1];
        assert_eq!(plain_text(&data.lead), "Everyone handles personal data:");
        let labels: Vec<&str> = data.clauses.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["3.1", "3.2.1"],
            "the subsection numbers on from the section's own clause"
        );
        assert_eq!(data.subsections[0].label.as_deref(), Some("3.2"));
        assert_eq!(plain_text(&data.subsections[0].lead), "Send with care.");
        assert_eq!(staff.list_numbering, ["a.", "(i)"]);
    }

    #[test]
    fn blocks_for_one_audience_leave_the_others_alone() {
        let (docs, _) = resolve(&composed());
        let ks2 = &docs.expect("resolves")[1];
        assert_eq!(
            outline(ks2),
            ["contents Contents", "prose 1. Context", "section - Staying safe", "2. Agreement form"],
            "no statement and no data clauses for ks2; its sections unnumbered without `section` numbering"
        );
    }

    #[test]
    fn the_default_blocks_written_out_keep_the_document_id() {
        let plain = resolve(&Fixture::new(SCHOOL)).0.expect("resolves");
        let mut fixture = Fixture::new(SCHOOL);
        fixture.policies[0].def.blocks = Some(crate::model::blocks::BlockDef::default_order(true));
        let written = resolve(&fixture).0.expect("resolves");
        assert_eq!(plain[0].doc_id, written[0].doc_id);
        let moved = format!("{SCHOOL}blocks:\n  aup:\n    - remove: intro\n    - before: sections\n      block: {{ prose: {{ id: note, text: A note. }} }}\n");
        let changed = resolve(&Fixture::new(&moved)).0.expect("resolves");
        assert_ne!(
            plain[0].doc_id, changed[0].doc_id,
            "a new block is new wording"
        );
    }

    #[test]
    fn a_subsection_that_is_only_a_statement_keeps_its_place_and_number() {
        let yaml = format!("{SCHOOL}blocks:\n  aup:\n    - replace: data\n      block:\n        section:\n          id: data\n          numbered: true\n          subsections:\n            - {{ id: declaration, heading: I have read the above, lead: I understand this agreement. }}\n");
        let (docs, diags) = resolve(&Fixture::new(&yaml));
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let staff = &docs.expect("resolves")[0];
        let data = staff
            .sections
            .iter()
            .find(|s| s.id == "data")
            .expect("data");
        let statement = data.subsections.last().expect("the statement");
        assert_eq!(statement.heading, "I have read the above");
        assert_eq!(statement.count, 0);
        assert_eq!(plain_text(&statement.lead), "I understand this agreement.");
        assert!(statement.label.is_some(), "numbered in its place");
    }

    #[test]
    fn an_intro_takes_the_heading_and_number_its_block_gives() {
        let yaml = format!("{SCHOOL}intro: Welcome.\nblocks:\n  aup:\n    - replace: intro\n      block: {{ intro: {{ heading: Introduction, numbered: true }} }}\n    - replace: agreement\n      block: {{ agreement: {{ numbered: true }} }}\n");
        let (docs, diags) = resolve(&Fixture::new(&yaml));
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let staff = &docs.expect("resolves")[0];
        let parts = outline(staff);
        assert_eq!(parts[0], "intro 1. Introduction");
        assert!(
            parts.iter().any(|p| p.starts_with("2. ")),
            "the next numbered block is 2: {parts:?}"
        );
        let plain = resolve(&Fixture::new(&format!("{SCHOOL}intro: Welcome.\n")))
            .0
            .expect("resolves");
        assert_eq!(outline(&plain[0])[0], "intro", "no heading unless asked");
    }

    #[test]
    fn an_edit_of_a_block_that_is_not_there_names_the_blocks_there_are() {
        let yaml = format!("{SCHOOL}blocks:\n  aup:\n    - after: introduction\n      block: {{ contents: {{}} }}\n");
        let (docs, diags) = resolve(&Fixture::new(&yaml));
        assert!(docs.is_none());
        let d = &diags.sorted()[0];
        assert_eq!(d.code, "unknown-block");
        assert_eq!(d.file, "schools/s.yaml");
        assert_eq!(d.line, Some(10));
        assert_eq!(
            d.message,
            "there is no block `introduction` to put something after"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "the blocks are, in order: intro, values, safety, data, linked_policies, agreement"
            )
        );
        let twice = format!(
            "{SCHOOL}blocks:\n  aup:\n    - after: intro\n      block: {{ values: {{}} }}\n"
        );
        let (_, diags) = resolve(&Fixture::new(&twice));
        assert_eq!(diags.sorted()[0].code, "duplicate-block");
    }

    #[test]
    fn a_section_no_block_places_is_an_error_when_it_has_clauses() {
        let mut fixture = Fixture::new(SCHOOL);
        fixture.policies[0].def.blocks = Some(
            serde_yaml::from_str("- section: { id: safety }\n- agreement: {}\n").expect("parses"),
        );
        let (docs, diags) = resolve(&fixture);
        assert!(docs.is_none());
        let d = &diags.sorted()[0];
        assert_eq!(d.code, "section-not-placed");
        assert_eq!(
            d.message,
            "the section `data` has clauses for staff, but no block places it"
        );
    }
}
