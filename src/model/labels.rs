//! The words policyc prints around a school's own text: headings such as
//! "Our values", the subtitle and facts line, the signature field labels,
//! the countersignature statement. Each has a key, a default for adults and
//! one for pupils, and a school or trust may set any of them (per audience)
//! under `labels:`. One table holds them all, so a whole language could be
//! added later as one labels file.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::files::Reading;
use crate::model::per_audience::PerAudience;

/// One label: its key, its defaults and what it is.
#[derive(Debug, Clone, Copy)]
pub struct LabelDef {
    /// The key under `labels:`.
    pub key: &'static str,
    /// The default for adults.
    pub adult: &'static str,
    /// The default for pupils.
    pub pupil: &'static str,
    /// Where it is printed, for the docs and hints.
    pub about: &'static str,
}

const fn both(key: &'static str, text: &'static str, about: &'static str) -> LabelDef {
    LabelDef {
        key,
        adult: text,
        pupil: text,
        about,
    }
}

/// Every label, in the order a document prints them.
pub const LABELS: &[LabelDef] = &[
    both("subtitle", "For {audience} at {school}", "the line under the title; `{audience}` and `{school}` are filled in; empty for none"),
    both("facts", "Version {version}. Approved by {approved_by} on {approved_on}. Next review by {review_by}.", "the facts line under the title; `{version}`, `{approved_by}`, `{approved_on}` and `{review_by}` are filled in; empty for none"),
    both("booklet_subtitle", "The policy, and the agreement each reader signs, at {school}", "the line under a booklet's title; `{school}` and the other facts-line tokens are filled in; empty for none"),
    both("booklet_label", "Policy and agreements", "what a booklet's footer calls the booklet, where a document's names its audience"),
    both("contents_heading", "Contents", "the heading over a `contents` block"),
    both("values_heading", "Our values", "the heading over the school's values"),
    both("rules_heading", "Our rules", "the heading over a KS1 poster's rules"),
    both("linked_policies_heading", "Links with other policies", "the heading over the linked policies"),
    both("linked_policies_intro", "", "a sentence before the linked policies; empty for none"),
    LabelDef {
        key: "agreement_heading",
        adult: "Agreement and signature",
        pupil: "My promise",
        about: "the heading over the agreement statement and signature fields",
    },
    both("choices_lead", "For each use below, tick Yes or No. A use left blank counts as No.", "on a consent form, the sentence before the yes-or-no choices"),
    both("choice_yes", "Yes", "on a consent form, the yes box"),
    both("choice_no", "No", "on a consent form, the no box"),
    both("signature_note", "", "a note under the signature fields, such as who keeps the signed copy; empty for none"),
    both("countersign_heading", "Approval", "the heading over the countersignature"),
    both("countersign_statement", "I confirm that this person may be given access to the school systems their role needs.", "what the countersigner confirms"),
    LabelDef {
        key: "field_name",
        adult: "Full name (printed)",
        pupil: "My name",
        about: "the signer's name field",
    },
    LabelDef {
        key: "field_signature",
        adult: "Signature",
        pupil: "My signature",
        about: "the signature field",
    },
    both("field_date", "Date", "the date field"),
    both("field_role", "Job title or role", "the role field"),
    both("field_position", "Position", "the position field (governors)"),
    both("field_class", "My class", "a pupil's class field"),
    both("field_child", "Child's name and class", "a parent's field for their child"),
    both("field_organisation", "Organisation", "a visitor's organisation field"),
    both("field_parent_name", "Parent or carer's name", "the name field of a parent's signature beside a pupil's"),
    both("field_parent_signature", "Parent or carer's signature", "the signature field of a parent's signature beside a pupil's"),
    both("field_signing_as", "Signing as (circle one)", "in a document for several audiences, the field where the signer circles theirs, after the name field wherever the school puts it (first if there is none); empty for no such row"),
    both("only_for", "For {audiences} only", "in a document for several audiences, the note on a clause meant for only some; `{audiences}` is filled in, capitalised when the label starts with it"),
    both("field_countersigner", "Headteacher or deputy (printed)", "the countersigner's name field"),
];

/// The keys, for "did you mean" hints.
pub fn keys() -> impl Iterator<Item = &'static str> {
    LABELS.iter().map(|l| l.key)
}

/// The default text of `key` for readers of `reading`.
pub fn default_label(key: &str, reading: Reading) -> Option<&'static str> {
    let def = LABELS.iter().find(|l| l.key == key)?;
    Some(if reading == Reading::Adult {
        def.adult
    } else {
        def.pupil
    })
}

/// A document's labels: every key with its text, and which of them the
/// school or trust set (only those enter the document ID, so a label left
/// at its default never asks anyone to sign again).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedLabels {
    /// Every key's text for this audience.
    pub text: BTreeMap<String, String>,
    /// The keys set in a school or trust file.
    pub overridden: BTreeSet<String>,
}

/// The labels for one audience: the school's and trust's `labels:` over the
/// defaults.
pub fn resolve_labels(
    overrides: Option<&BTreeMap<String, PerAudience<String>>>,
    audience: &str,
    reading: Reading,
) -> ResolvedLabels {
    let mut labels = ResolvedLabels::default();
    for def in LABELS {
        let set = overrides
            .and_then(|o| o.get(def.key))
            .and_then(|v| v.get(audience));
        if set.is_some() {
            labels.overridden.insert(def.key.to_string());
        }
        let default = if reading == Reading::Adult {
            def.adult
        } else {
            def.pupil
        };
        let text = set.map_or(default, String::as_str).trim().to_string();
        labels.text.insert(def.key.to_string(), text);
    }
    labels
}

/// `template` with each `{token}` replaced by its value.
pub fn fill(template: &str, tokens: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (token, value) in tokens {
        text = text.replace(&format!("{{{token}}}"), value);
    }
    text
}

/// The `{tokens}` in `template` that are not among `known`.
pub fn unknown_tokens<'t>(template: &'t str, known: &[&str]) -> Vec<&'t str> {
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let token = &after[..end];
        if !known.contains(&token) {
            unknown.push(token);
        }
        rest = &after[end + 1..];
    }
    unknown
}

/// The labels whose `{tokens}` are filled in.
pub const FILLED: [&str; 3] = ["subtitle", "facts", "booklet_subtitle"];

/// The tokens the labels in [`FILLED`] may use.
pub const TOKENS: [&str; 6] = [
    "audience",
    "school",
    "version",
    "approved_by",
    "approved_on",
    "review_by",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_school_label_wins_for_its_audience_only() {
        let yaml = "agreement_heading: { default: Agreement form, ks2: My promises }\nsignature_note: The office keeps the signed copy.\n";
        let overrides: BTreeMap<String, PerAudience<String>> = serde_yaml::from_str(yaml).unwrap();
        let staff = resolve_labels(Some(&overrides), "staff", Reading::Adult);
        assert_eq!(staff.text["agreement_heading"], "Agreement form");
        assert_eq!(staff.text["field_name"], "Full name (printed)");
        assert_eq!(
            staff.text["signature_note"],
            "The office keeps the signed copy."
        );
        let ks2 = resolve_labels(Some(&overrides), "ks2", Reading::Ks2);
        assert_eq!(ks2.text["agreement_heading"], "My promises");
        assert_eq!(ks2.text["field_name"], "My name");
        assert_eq!(
            ks2.overridden
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["agreement_heading", "signature_note"]
        );
    }

    #[test]
    fn tokens_are_filled_and_unknown_ones_found() {
        assert_eq!(
            fill(
                "For {audience} at {school}",
                &[("audience", "staff"), ("school", "Wrenfold")]
            ),
            "For staff at Wrenfold"
        );
        assert_eq!(
            unknown_tokens("Agreed {approved_on} by {approver}", &TOKENS),
            ["approver"]
        );
        assert!(unknown_tokens("no tokens", &TOKENS).is_empty());
    }
}
