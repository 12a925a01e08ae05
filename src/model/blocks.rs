//! The blocks a document is composed from, as a policy, a trust file or a
//! school file writes them: headed prose, a contents list, sections with
//! lead-ins and subsections, and the built-in parts (introduction, values,
//! linked policies, the agreement and signature). A policy gives the order;
//! trust and school files edit it by block id.

use serde::{Deserialize, Serialize};

use crate::model::numbering::NumberingStyle;
use crate::model::per_audience::PerAudience;

/// One block of a document, as written: a map with one key, its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "WrittenBlock")]
pub enum BlockDef {
    /// Prose with an optional heading, anywhere in the document.
    Prose(ProseDef),
    /// A contents list: page numbers in the PDF, links in the HTML.
    Contents(PartDef),
    /// The policy's or school's `intro`.
    Intro(PartDef),
    /// The school's `values`.
    Values(PartDef),
    /// One section of clauses.
    Section(SectionDef),
    /// Every section not placed by a `section` block, in the policy's order.
    Sections(PartDef),
    /// The school's `linked_policies`.
    LinkedPolicies(PartDef),
    /// The agreement statement and the signature fields.
    Agreement(PartDef),
}

/// A block as YAML writes it, `- prose: { … }`: one key naming the kind.
/// (serde_yaml reads an enum from a tag, `!prose`, which nobody writes.)
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenBlock {
    prose: Option<ProseDef>,
    contents: Option<PartDef>,
    intro: Option<PartDef>,
    values: Option<PartDef>,
    section: Option<SectionDef>,
    sections: Option<PartDef>,
    linked_policies: Option<PartDef>,
    agreement: Option<PartDef>,
}

impl TryFrom<WrittenBlock> for BlockDef {
    type Error = String;

    fn try_from(w: WrittenBlock) -> Result<Self, String> {
        let skips = [
            &w.intro,
            &w.values,
            &w.sections,
            &w.linked_policies,
            &w.agreement,
        ]
        .into_iter()
        .flatten()
        .any(|d| d.skip.is_some());
        if skips {
            return Err("`skip` belongs on a contents block: it lists what a contents list leaves out, so write it there, e.g. `- contents: { skip: [values] }`".into());
        }
        let mut kinds = [
            w.prose.map(BlockDef::Prose),
            w.contents.map(BlockDef::Contents),
            w.intro.map(BlockDef::Intro),
            w.values.map(BlockDef::Values),
            w.section.map(BlockDef::Section),
            w.sections.map(BlockDef::Sections),
            w.linked_policies.map(BlockDef::LinkedPolicies),
            w.agreement.map(BlockDef::Agreement),
        ]
        .into_iter()
        .flatten();
        match (kinds.next(), kinds.next()) {
            (Some(block), None) => Ok(block),
            (None, _) => Err("a block needs its kind: write one of `prose`, `contents`, `intro`, `values`, `section`, `sections`, `linked_policies` or `agreement`, e.g. `- contents: {}`".into()),
            (Some(_), Some(_)) => Err("a block has more than one kind: give each block its own `- ` item".into()),
        }
    }
}

/// Options every built-in block takes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartDef {
    /// A heading in place of the label's, per audience.
    #[serde(default)]
    pub heading: Option<PerAudience<String>>,
    /// Whether the heading takes the next number ("3. Links with other
    /// policies").
    #[serde(default)]
    pub numbered: Option<PerAudience<bool>>,
    /// Only these audiences get the block; default all.
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
    /// On a `contents` block only: the parts its list leaves out, by
    /// section or prose id, or `intro`, `values`, `linked_policies` or
    /// `agreement`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<Vec<String>>,
}

/// A block of headed prose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProseDef {
    /// Its id, for edits and links.
    pub id: String,
    /// The heading, per audience; none for an unheaded statement.
    #[serde(default)]
    pub heading: Option<PerAudience<String>>,
    /// The text (Markdown with placeholders), per audience. An audience
    /// with no text (and no `default`) does not get the block.
    pub text: PerAudience<String>,
    /// Whether the heading takes the next number.
    #[serde(default)]
    pub numbered: Option<PerAudience<bool>>,
    /// Only these audiences get the block; default all.
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
}

/// One section of a policy: in its `sections` list or as a `section` block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// Section id, referenced by clauses.
    pub id: String,
    /// The heading, per audience; none for a plain list of clauses.
    #[serde(default)]
    pub heading: Option<PerAudience<String>>,
    /// A lead-in before the clauses (Markdown), per audience.
    #[serde(default)]
    pub lead: Option<PerAudience<String>>,
    /// Headed groups of clauses within the section; clauses name a
    /// subsection's id as their `section`.
    #[serde(default)]
    pub subsections: Vec<SubsectionDef>,
    /// Clause numbering for this section only, restarting at its start.
    #[serde(default)]
    pub numbering: Option<PerAudience<NumberingStyle>>,
    /// Whether the heading takes the next number (always, under
    /// `numbering: section`).
    #[serde(default)]
    pub numbered: Option<PerAudience<bool>>,
    /// Only these audiences get the section; default all.
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
}

/// A headed group of clauses within a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsectionDef {
    /// Its id, which clauses name as their `section`.
    pub id: String,
    /// The heading, per audience.
    pub heading: PerAudience<String>,
    /// A lead-in before its clauses, per audience.
    #[serde(default)]
    pub lead: Option<PerAudience<String>>,
}

/// A trust's or school's change to a policy's blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockEdit {
    /// Put `block` before the block with this id.
    #[serde(default)]
    pub before: Option<String>,
    /// Put `block` after the block with this id.
    #[serde(default)]
    pub after: Option<String>,
    /// Put `block` in place of the block with this id. A `section` block
    /// replacing a section keeps what it does not set.
    #[serde(default)]
    pub replace: Option<String>,
    /// Leave out the block with this id.
    #[serde(default)]
    pub remove: Option<String>,
    /// The block to place.
    #[serde(default)]
    pub block: Option<BlockDef>,
    /// The file the edit was written in (set while merging).
    #[serde(skip)]
    pub file: String,
}

impl BlockEdit {
    /// The id the edit targets and how, or why the edit is malformed.
    pub fn target(&self) -> Result<(EditKind, &str), &'static str> {
        let given = [
            (EditKind::Before, &self.before),
            (EditKind::After, &self.after),
            (EditKind::Replace, &self.replace),
            (EditKind::Remove, &self.remove),
        ];
        let mut set = given
            .iter()
            .filter_map(|(kind, id)| id.as_deref().map(|id| (*kind, id)));
        let first = set
            .next()
            .ok_or("say where: `before:`, `after:`, `replace:` or `remove:` and a block id")?;
        if set.next().is_some() {
            return Err("give only one of `before:`, `after:`, `replace:` and `remove:`");
        }
        match (first.0, &self.block) {
            (EditKind::Remove, Some(_)) => Err("`remove:` takes no `block:`"),
            (EditKind::Remove, None) => Ok(first),
            (_, None) => {
                Err("add the `block:` to place, e.g. `block: { prose: { id: …, text: … } }`")
            }
            (_, Some(_)) => Ok(first),
        }
    }
}

/// How an edit changes the list of blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// Insert before the target.
    Before,
    /// Insert after the target.
    After,
    /// Put in place of the target.
    Replace,
    /// Leave the target out.
    Remove,
}

impl BlockDef {
    /// The id edits name the block by: a prose block's or section's own id,
    /// else the kind (`intro`, `values`, `contents`, `sections`,
    /// `linked_policies`, `agreement`).
    pub fn id(&self) -> &str {
        match self {
            BlockDef::Prose(p) => &p.id,
            BlockDef::Section(s) => &s.id,
            BlockDef::Contents(_) => "contents",
            BlockDef::Intro(_) => "intro",
            BlockDef::Values(_) => "values",
            BlockDef::Sections(_) => "sections",
            BlockDef::LinkedPolicies(_) => "linked_policies",
            BlockDef::Agreement(_) => "agreement",
        }
    }

    /// Whether an audience gets the block at all.
    pub fn for_audience(&self, audience: &str) -> bool {
        let audiences = match self {
            BlockDef::Prose(p) => &p.audiences,
            BlockDef::Section(s) => &s.audiences,
            BlockDef::Contents(d)
            | BlockDef::Intro(d)
            | BlockDef::Values(d)
            | BlockDef::Sections(d)
            | BlockDef::LinkedPolicies(d)
            | BlockDef::Agreement(d) => &d.audiences,
        };
        audiences
            .as_ref()
            .is_none_or(|list| list.iter().any(|a| a == audience))
    }

    /// The blocks of a policy that does not list its own: for an
    /// agreement (`signed`), introduction, values, sections, linked
    /// policies and the agreement; for a notice, its summary and sections.
    pub fn default_order(signed: bool) -> Vec<BlockDef> {
        if !signed {
            return vec![
                BlockDef::Intro(PartDef::default()),
                BlockDef::Sections(PartDef::default()),
            ];
        }
        vec![
            BlockDef::Intro(PartDef::default()),
            BlockDef::Values(PartDef::default()),
            BlockDef::Sections(PartDef::default()),
            BlockDef::LinkedPolicies(PartDef::default()),
            BlockDef::Agreement(PartDef::default()),
        ]
    }
}

/// Whether a block's heading takes a number for `audience`: `numbered:
/// true`, or `numbered: { staff: true }` for some audiences only.
pub fn numbered_for(numbered: &Option<PerAudience<bool>>, audience: &str) -> bool {
    numbered
        .as_ref()
        .and_then(|n| n.get(audience))
        .copied()
        .unwrap_or(false)
}

impl SectionDef {
    /// `self`'s settings over `base`'s: a school's `section` block that
    /// replaces a library section keeps the headings and lead it does not
    /// set.
    pub fn over(self, base: &SectionDef) -> SectionDef {
        SectionDef {
            id: self.id,
            heading: self.heading.or_else(|| base.heading.clone()),
            lead: self.lead.or_else(|| base.lead.clone()),
            subsections: if self.subsections.is_empty() {
                base.subsections.clone()
            } else {
                self.subsections
            },
            numbering: self.numbering.or_else(|| base.numbering.clone()),
            numbered: self.numbered.or_else(|| base.numbered.clone()),
            audiences: self.audiences.or_else(|| base.audiences.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_read_as_written() {
        let yaml = "- prose: { id: context, heading: Context, text: Why }\n- contents: {}\n- section: { id: safety, lead: First, numbering: letter }\n- agreement: { numbered: true }\n";
        let blocks: Vec<BlockDef> = serde_yaml::from_str(yaml).unwrap();
        let ids: Vec<&str> = blocks.iter().map(BlockDef::id).collect();
        assert_eq!(ids, ["context", "contents", "safety", "agreement"]);
        let err =
            serde_yaml::from_str::<Vec<BlockDef>>("- prose: { id: a, txt: b }\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `txt`"), "{err}");
        let err = serde_yaml::from_str::<Vec<BlockDef>>("- chapter: {}\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `chapter`"), "{err}");
        let err = serde_yaml::from_str::<Vec<BlockDef>>("- intro: {}\n  values: {}\n").unwrap_err();
        assert!(err.to_string().contains("more than one kind"), "{err}");
    }

    #[test]
    fn an_edit_says_where_and_what() {
        let edit = |yaml: &str| serde_yaml::from_str::<BlockEdit>(yaml).unwrap();
        let ok = edit("after: intro\nblock: { prose: { id: a, text: b } }\n");
        assert_eq!(ok.target(), Ok((EditKind::After, "intro")));
        assert_eq!(
            edit("remove: values\n").target(),
            Ok((EditKind::Remove, "values"))
        );
        assert!(edit("block: { intro: {} }\n").target().is_err());
        assert!(edit("after: a\nbefore: b\nblock: { intro: {} }\n")
            .target()
            .is_err());
        assert!(edit("after: a\n").target().is_err());
    }

    #[test]
    fn a_section_block_keeps_what_it_does_not_set() {
        let base: SectionDef =
            serde_yaml::from_str("{ id: s, heading: Safety, lead: Old }").unwrap();
        let top: SectionDef = serde_yaml::from_str("{ id: s, lead: New }").unwrap();
        let merged = top.over(&base);
        assert_eq!(
            merged.heading.and_then(|h| h.get("staff").cloned()),
            Some("Safety".into())
        );
        assert_eq!(
            merged.lead.and_then(|h| h.get("staff").cloned()),
            Some("New".into())
        );
    }
}
