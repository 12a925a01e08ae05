//! Resolving booklets: for each policy a school (or its trust) asks a
//! booklet of, the preamble as a document with no clauses and no
//! signature, and the school's agreements for that policy that follow it.
//! Pure, like the rest of resolving.

use crate::diag::Code;
use crate::diag::{find_token, Diagnostic, Diagnostics};
use crate::model::blocks::BlockDef;
use crate::model::booklet::{BookletDef, BOOKLET_AUDIENCE};
use crate::model::document::{Document, Signature};
use crate::model::files::{Audience, Layout, Policy, Reading};
use crate::model::hash::hex_digest;
use crate::model::labels::resolve_labels;
use crate::model::project::{Booklet, SchoolInput};
use crate::resolve::assemble::{meta, numbering_style, school_info};
use crate::resolve::compose::{build_body, Plan, Planned};
use crate::resolve::placeholders::{context, PlaceholderFiller};

/// Resolves the booklets `school` asks for. `documents` are the school's
/// resolved documents; `policies` every policy it could build. Problems go to
/// `diags`.
pub fn resolve_booklets(
    policies: &[Policy],
    school: SchoolInput<'_>,
    documents: &[Document],
    diags: &mut Diagnostics,
) -> Vec<Booklet> {
    let Some(defs) = &school.merged.school.booklets else {
        return Vec::new();
    };
    let policies = super::selected_policies(policies, &school.merged.school);
    let mut booklets = Vec::new();
    for (policy_id, def) in defs {
        let source = school.sources.get(&def.file).map_or("", String::as_str);
        // Point inside this booklet: after `booklets:` and its policy key.
        let from = find_token(source, "booklets")
            .and_then(|b| find_token(&source[b..], policy_id).map(|p| b + p))
            .unwrap_or(0);
        let fail = |message: String, needle: &str, hint: String| {
            let d = Diagnostic::error(Code::BadBooklet, &def.file, message).with_hint(hint);
            match find_token(&source[from..], needle) {
                Some(at) => d.at_offset(source, from + at),
                None => d.near(source, needle),
            }
        };
        let Some(policy) = policies.iter().find(|p| &p.id == policy_id) else {
            let built: Vec<&str> = policies.iter().map(|p| p.id.as_str()).collect();
            diags.push(fail(
                format!(
                    "a booklet is asked for the policy `{policy_id}`, which {} does not build",
                    school.id
                ),
                policy_id,
                format!(
                    "key each booklet by a policy the school builds: {}",
                    built.join(", ")
                ),
            ));
            continue;
        };
        match members(policy_id, def, documents) {
            Ok(members) => {
                let mut problems = Diagnostics::default();
                let preamble = preamble(policy, def, school, &members, documents, &mut problems);
                if problems.is_empty() {
                    booklets.push(Booklet {
                        preamble,
                        members,
                        two_sided: def.two_sided,
                    });
                }
                diags.append(problems);
            }
            Err((message, needle, hint)) => diags.push(fail(message, &needle, hint)),
        }
    }
    booklets
}

/// A booklet problem: the message, the text to point at, the hint.
type Problem = (String, String, String);

/// The agreements in `def`'s booklet, as indices into `documents`.
fn members(policy: &str, def: &BookletDef, documents: &[Document]) -> Result<Vec<usize>, Problem> {
    let of_policy: Vec<usize> = (0..documents.len())
        .filter(|&i| documents[i].policy_id == policy)
        .collect();
    let built: Vec<&str> = of_policy
        .iter()
        .map(|&i| documents[i].audience_id.as_str())
        .collect();
    for block in &def.blocks {
        if !matches!(block, BlockDef::Prose(_) | BlockDef::Contents(_)) {
            let kind = block_kind(block);
            return Err((
                format!("a booklet's preamble holds `prose` and `contents` blocks, not `{kind}`"),
                kind.to_string(),
                "the agreements follow the preamble whole, each with its own blocks; edit those under `blocks:` instead".into(),
            ));
        }
    }
    if let Some(text) = &def.text {
        let notice = documents.iter().find(|d| &d.policy_id == text);
        if !notice.is_some_and(|d| d.notice) {
            return Err((
                format!("the `{policy}` booklet opens with the text of `{text}`, which is not a notice the school builds"),
                "text".to_string(),
                "name a notice listed under the school's `policies:`, such as `online-safety`".into(),
            ));
        }
    }
    let Some(wanted) = &def.audiences else {
        return Ok(of_policy);
    };
    let mut members: Vec<usize> = Vec::new();
    for audience in wanted {
        let Some(&i) = of_policy
            .iter()
            .find(|&&i| &documents[i].audience_id == audience)
        else {
            return Err((
                format!("the `{policy}` booklet asks for the `{audience}` agreement, which the school does not build"),
                audience.clone(),
                format!("list some of the school's audiences for this policy: {}", built.join(", ")),
            ));
        };
        if members.contains(&i) {
            return Err((
                format!("the `{policy}` booklet lists `{audience}` twice"),
                audience.clone(),
                "list each audience once".into(),
            ));
        }
        members.push(i);
    }
    if members.is_empty() {
        return Err((
            format!("the `{policy}` booklet has no agreements"),
            "audiences".into(),
            format!(
                "list one or more of: {}; or leave `audiences` out for all of them",
                built.join(", ")
            ),
        ));
    }
    Ok(members)
}

/// The word a block is written with.
fn block_kind(block: &BlockDef) -> &'static str {
    match block {
        BlockDef::Prose(_) => "prose",
        BlockDef::Contents(_) => "contents",
        BlockDef::Intro(_) => "intro",
        BlockDef::Values(_) => "values",
        BlockDef::Section(_) => "section",
        BlockDef::Sections(_) => "sections",
        BlockDef::LinkedPolicies(_) => "linked_policies",
        BlockDef::Agreement(_) => "agreement",
    }
}

/// The preamble as a document: the booklet's title, the school's header
/// and facts line, and the preamble's blocks. Its ID covers the preamble
/// and the IDs of the agreements after it.
fn preamble(
    policy: &Policy,
    def: &BookletDef,
    school: SchoolInput<'_>,
    members: &[usize],
    documents: &[Document],
    problems: &mut Diagnostics,
) -> Document {
    let s = &school.merged.school;
    let first = &documents[members[0]];
    let title = def
        .title
        .clone()
        .or_else(|| policy.def.title.get(BOOKLET_AUDIENCE).cloned())
        .unwrap_or_else(|| first.title.clone());
    let label = resolve_labels(s.labels.as_ref(), BOOKLET_AUDIENCE, Reading::Adult)
        .text
        .remove("booklet_label")
        .unwrap_or_default();
    let audience = Audience {
        id: BOOKLET_AUDIENCE.to_string(),
        label: label.clone(),
        noun: None,
        reading: Reading::Adult,
        signature: Vec::new(),
        members: Vec::new(),
    };
    let meta = meta(s);
    let mut labels = super::document_labels(s, &audience, &meta);
    if let Some(subtitle) = labels.text.get("booklet_subtitle").cloned() {
        labels.text.insert("subtitle".into(), subtitle);
    }
    let filler = PlaceholderFiller::new(&context(s, &audience, &title, &meta), school);
    let mut doc = Document {
        doc_id: String::new(),
        school_id: school.id.to_string(),
        policy_id: policy.id.clone(),
        audience_id: BOOKLET_AUDIENCE.to_string(),
        school: school_info(s, school.logo_hash),
        title,
        audience_label: label,
        audience_noun: audience.noun(),
        reading: Reading::Adult,
        layout: Layout::default(),
        numbering: numbering_style(s, BOOKLET_AUDIENCE),
        meta,
        intro: Vec::new(),
        values: Vec::new(),
        sections: Vec::new(),
        linked_policies: Vec::new(),
        agreement: Vec::new(),
        body: Vec::new(),
        list_numbering: Vec::new(),
        signature: Signature::none(),
        notice: false,
        consent: Vec::new(),
        labels: labels.text,
        labels_set: labels.overridden,
        signers: Vec::new(),
        slip: None,
        notice_link: None,
    };
    let plan = Plan {
        blocks: def
            .blocks
            .iter()
            .map(|block| Planned {
                block: block.clone(),
                file: def.file.clone(),
                from_sections: false,
            })
            .collect(),
        unplaced: Default::default(),
    };
    build_body(&mut doc, &plan, Vec::new(), &filler, problems);
    if let Some(notice) = def
        .text
        .as_ref()
        .and_then(|id| documents.iter().find(|d| &d.policy_id == id))
    {
        // The notice's own text follows the preamble's blocks: its
        // introduction, sections and the rest, as its first copy reads.
        doc.intro.clone_from(&notice.intro);
        doc.values.clone_from(&notice.values);
        doc.sections.clone_from(&notice.sections);
        doc.linked_policies.clone_from(&notice.linked_policies);
        doc.numbering = notice.numbering;
        doc.body.extend(notice.body.iter().cloned());
    }
    let mut id_input = doc.compute_id();
    for &i in members {
        id_input.push(' ');
        id_input.push_str(&documents[i].doc_id);
    }
    let hex = hex_digest(id_input.as_bytes());
    doc.doc_id = format!("{}-{}", &hex[..4], &hex[4..8]).to_uppercase();
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::body::Part;
    use crate::model::markdown::plain_text;
    use crate::resolve::fixture::{Fixture, SCHOOL};

    /// The fixture school with `booklets` appended, resolved, and its
    /// booklets with every problem found.
    fn booklets(yaml: &str) -> (Vec<Document>, Vec<Booklet>, Diagnostics) {
        let fixture = Fixture::new(&format!("{SCHOOL}{yaml}"));
        let (docs, mut diags) = fixture.resolve();
        let docs = docs.expect("the documents resolve");
        let booklets = resolve_booklets(&fixture.policies, fixture.input(), &docs, &mut diags);
        (docs, booklets, diags)
    }

    #[test]
    fn a_booklet_binds_the_school_s_agreements_after_its_preamble() {
        let (docs, booklets, diags) = booklets(
            "booklets:\n  aup:\n    title: Online safety\n    blocks:\n      - prose: { id: why, heading: Why, text: 'Ask {{ contacts.dpo.name }}.' }\n      - contents: {}\n",
        );
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let [booklet] = booklets.as_slice() else {
            panic!("one booklet: {booklets:?}")
        };
        assert_eq!(
            booklet.members,
            [0, 1],
            "every agreement, in the school's order"
        );
        assert_eq!(docs[booklet.members[1]].audience_id, "ks2");
        let preamble = &booklet.preamble;
        assert_eq!(preamble.title, "Online safety");
        assert!(preamble.sections.is_empty() && preamble.agreement.is_empty());
        match &preamble.body[..] {
            [Part::Prose {
                heading, blocks, ..
            }, Part::Contents {
                heading: contents, ..
            }] => {
                assert_eq!(heading, "Why");
                assert_eq!(plain_text(blocks), "Ask Ms Example.");
                assert_eq!(contents, "Contents");
            }
            other => panic!("the preamble's blocks: {other:?}"),
        }
        assert_eq!(
            preamble.labels["subtitle"],
            "The policy, and the agreement each reader signs, at Test School"
        );
        assert_ne!(preamble.doc_id, docs[0].doc_id);
    }

    #[test]
    fn a_booklet_s_id_changes_with_any_agreement_in_it() {
        let yaml = "booklets:\n  aup: { audiences: [ks2] }\n";
        let (_, before, _) = booklets(yaml);
        let mut fixture = Fixture::new(&format!("{SCHOOL}{yaml}"));
        fixture.clauses[0].body = "I will lock my screen every time.".into();
        let (docs, mut diags) = fixture.resolve();
        let docs = docs.expect("resolves");
        let after = resolve_booklets(&fixture.policies, fixture.input(), &docs, &mut diags);
        assert_eq!(after[0].members.len(), 1);
        assert_ne!(before[0].preamble.doc_id, after[0].preamble.doc_id);
        assert_eq!(after[0].preamble.title, "Acceptable use agreement");
    }

    #[test]
    fn each_booklet_mistake_names_the_line_to_fix() {
        let cases = [
            (
                "booklets:\n  trips: {}\n",
                "which s does not build",
                "trips",
            ),
            (
                "booklets:\n  aup: { audiences: [staff, parent] }\n",
                "the `parent` agreement",
                "parent",
            ),
            (
                "booklets:\n  aup: { audiences: [ks2, ks2] }\n",
                "lists `ks2` twice",
                "ks2",
            ),
            (
                "booklets:\n  aup: { audiences: [] }\n",
                "has no agreements",
                "audiences",
            ),
            (
                "booklets:\n  aup: { blocks: [ { agreement: {} } ] }\n",
                "not `agreement`",
                "agreement",
            ),
        ];
        for (yaml, message, at) in cases {
            let (_, booklets, diags) = booklets(yaml);
            assert!(booklets.is_empty(), "{yaml}");
            let found = diags.sorted();
            let [problem] = found.as_slice() else {
                panic!("one problem for {yaml}: {found:?}")
            };
            assert_eq!(problem.code, "bad-booklet");
            assert!(problem.message.contains(message), "{}", problem.message);
            let text = format!("{SCHOOL}{yaml}");
            let booklets = text.find("booklets:").unwrap();
            let line = text[booklets..]
                .lines()
                .position(|l| l.contains(at))
                .map(|l| text[..booklets].lines().count() + l + 1);
            assert_eq!(problem.line, line, "{yaml}: {}", problem.message);
        }
    }
}
