//! Return slips: what `return-slips.typ` reads to lay two or four slips
//! on an A4 sheet with cut lines, each carrying one person's name (and
//! class, or child), the fields they fill in, and the document ID of the
//! wording they sign or answer. Consent forms and sign-off slips both use
//! them. They hold names, so they are written to the private folder,
//! never to `out/`.

use serde::Serialize;

use crate::model::document::Document;
use crate::model::markdown::plain_text;

/// What `return-slips.typ` reads as `/data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnSlips {
    /// School name.
    pub school: String,
    /// The document's title.
    pub title: String,
    /// The class or group the slips are for.
    pub group: String,
    /// The document ID: the wording signed or answered.
    pub doc_id: String,
    /// The version label.
    pub version: String,
    /// Slips to a sheet: 1, 2 or 4.
    pub per_sheet: u8,
    /// The label of the field each slip fills in (`copies[].child`).
    pub child_label: String,
    /// The sentence before the choices (empty: none).
    pub lead: String,
    /// The yes box's label.
    pub yes: String,
    /// The no box's label.
    pub no: String,
    /// Each purpose a consent form asks about (none on a sign-off slip).
    pub choices: Vec<String>,
    /// The declaration, a paragraph a line.
    pub statement: Vec<String>,
    /// The fields the signer fills in by hand.
    pub fields: Vec<String>,
    /// Where the whole text is, when the slip stands for a document that
    /// is not handed out with it.
    pub read_at: Option<String>,
    /// One slip per person.
    pub copies: Vec<SlipCopy>,
}

/// One person's slip.
#[derive(Debug, Clone, Serialize)]
pub struct SlipCopy {
    /// What the slip's one filled field says: "Name, Class".
    pub child: String,
}

/// Who the slips are for: the label of the field filled in on each, the
/// signature fields that field stands for (left off the blank ones), and
/// each person's filled value.
#[derive(Debug, Clone, Default)]
pub struct SlipPeople {
    /// The filled field's label.
    pub label: String,
    /// Signature field labels already filled in.
    pub filled: Vec<String>,
    /// One value per slip.
    pub values: Vec<String>,
}

impl SlipPeople {
    /// Consent forms: a parent fills a form in for their child, a pupil
    /// for themself (`values` are each "Name, Class").
    pub fn for_consent(doc: &Document, values: Vec<String>) -> Self {
        let label = |key: &str| doc.labels.get(key).cloned().unwrap_or_default();
        let (head, filled) = if doc.reading == crate::model::files::Reading::Adult {
            (label("field_child"), vec![label("field_child")])
        } else {
            (
                label("field_name"),
                vec![label("field_name"), label("field_class")],
            )
        };
        Self {
            label: head,
            filled,
            values,
        }
    }
}

/// The slips for `people` signing or answering `doc`.
pub fn return_slips(doc: &Document, group: &str, per_sheet: u8, people: SlipPeople) -> ReturnSlips {
    let label = |key: &str| doc.labels.get(key).cloned().unwrap_or_default();
    let consent = !doc.consent.is_empty();
    ReturnSlips {
        school: doc.school.name.clone(),
        title: doc.title.clone(),
        group: group.to_string(),
        doc_id: doc.doc_id.clone(),
        version: doc.meta.version.clone(),
        per_sheet,
        lead: if consent {
            label("choices_lead")
        } else {
            String::new()
        },
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
            .filter(|f| !people.filled.contains(f))
            .cloned()
            .collect(),
        read_at: None,
        child_label: people.label,
        copies: people
            .values
            .into_iter()
            .map(|child| SlipCopy { child })
            .collect(),
    }
}
