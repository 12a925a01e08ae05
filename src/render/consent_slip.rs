//! Consent return slips: what `consent-slip.typ` reads to lay several
//! slips on an A4 sheet with cut lines, each carrying a child's name and
//! class, the form's choices and fields, and its document ID. They hold
//! names, so they are written to the private folder, never to `out/`.

use serde::Serialize;

use crate::model::document::Document;
use crate::model::files::Reading;
use crate::model::markdown::plain_text;

/// What `consent-slip.typ` reads as `/data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentSlipData {
    /// School name.
    pub school: String,
    /// The form's title.
    pub title: String,
    /// The class or group the slips are for.
    pub group: String,
    /// The form's document ID: the wording the answers are given to.
    pub doc_id: String,
    /// The form's version label.
    pub version: String,
    /// Slips to a sheet: 1, 2 or 4.
    pub per_sheet: u8,
    /// The label of the child's field.
    pub child_label: String,
    /// The sentence before the choices.
    pub lead: String,
    /// The yes box's label.
    pub yes: String,
    /// The no box's label.
    pub no: String,
    /// Each purpose asked about.
    pub choices: Vec<String>,
    /// The declaration, a paragraph a line.
    pub statement: Vec<String>,
    /// The fields the signer fills in (the child's field aside).
    pub fields: Vec<String>,
    /// One slip per child.
    pub copies: Vec<SlipCopy>,
}

/// One child's slip.
#[derive(Debug, Clone, Serialize)]
pub struct SlipCopy {
    /// "Name, Class".
    pub child: String,
}

/// The slips for `children` (each "Name, Class") answering `doc`.
pub fn consent_slips(
    doc: &Document,
    group: &str,
    per_sheet: u8,
    children: &[String],
) -> ConsentSlipData {
    let label = |key: &str| doc.labels.get(key).cloned().unwrap_or_default();
    // A parent fills in a form for their child; a pupil, for themself.
    let (child_label, filled) = if doc.reading == Reading::Adult {
        (label("field_child"), vec![label("field_child")])
    } else {
        (
            label("field_name"),
            vec![label("field_name"), label("field_class")],
        )
    };
    ConsentSlipData {
        school: doc.school.name.clone(),
        title: doc.title.clone(),
        group: group.to_string(),
        doc_id: doc.doc_id.clone(),
        version: doc.meta.version.clone(),
        per_sheet,
        lead: label("choices_lead"),
        yes: label("choice_yes"),
        no: label("choice_no"),
        choices: doc.consent.iter().map(|c| c.label.clone()).collect(),
        statement: plain_text(&doc.agreement)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
        fields: doc
            .signature
            .fields
            .iter()
            .filter(|f| !filled.contains(f))
            .cloned()
            .collect(),
        child_label,
        copies: children
            .iter()
            .map(|c| SlipCopy { child: c.clone() })
            .collect(),
    }
}
