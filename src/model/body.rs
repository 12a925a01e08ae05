//! A resolved document's body: its parts in reading order, each with the
//! heading and number a reader sees. Both renderers walk it, so the PDF
//! and the HTML always agree on order and numbers.

use serde::Serialize;

use crate::model::markdown::Block;

/// One part of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Part {
    /// Prose, headed or not.
    Prose {
        /// Its id, also its anchor in the HTML (`prose-<id>`).
        id: String,
        /// The heading; empty for none.
        heading: String,
        /// The heading's number, if it takes one.
        number: Option<String>,
        /// The text.
        blocks: Vec<Block>,
    },
    /// A contents list.
    Contents {
        /// Its heading.
        heading: String,
        /// The parts its list leaves out (see `PartDef::skip`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        skip: Vec<String>,
    },
    /// The document's introduction (`Document::intro`), under a heading
    /// only when the block gives one.
    Intro {
        /// Its heading, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        heading: Option<String>,
        /// The heading's number, if it takes one.
        #[serde(skip_serializing_if = "Option::is_none")]
        number: Option<String>,
    },
    /// The school's values (`Document::values`).
    Values {
        /// Its heading.
        heading: String,
        /// The heading's number, if it takes one.
        number: Option<String>,
    },
    /// A section of clauses.
    Section {
        /// Its place in `Document::sections`.
        index: usize,
    },
    /// The linked policies (`Document::linked_policies`).
    LinkedPolicies {
        /// Its heading.
        heading: String,
        /// The heading's number, if it takes one.
        number: Option<String>,
    },
    /// The agreement statement and signature block.
    Agreement {
        /// Its heading.
        heading: String,
        /// The heading's number, if it takes one.
        number: Option<String>,
    },
}

/// What the default body needs to know about a document.
pub struct BodyShape<'a> {
    /// Whether it has an introduction.
    pub intro: bool,
    /// Whether it has values.
    pub values: bool,
    /// How many sections it has.
    pub sections: usize,
    /// Whether it lists linked policies.
    pub linked_policies: bool,
    /// Its labels, for the built-in headings.
    pub labels: &'a std::collections::BTreeMap<String, String>,
}

/// The body of a document whose policy and school compose nothing of their
/// own: introduction, values, the sections, linked policies, agreement.
/// A document with this body is hashed without it, so documents written
/// before blocks existed keep their IDs.
pub fn default_body(shape: &BodyShape<'_>) -> Vec<Part> {
    let label = |key: &str| shape.labels.get(key).cloned().unwrap_or_default();
    let mut parts = Vec::new();
    if shape.intro {
        parts.push(Part::Intro {
            heading: None,
            number: None,
        });
    }
    if shape.values {
        parts.push(Part::Values {
            heading: label("values_heading"),
            number: None,
        });
    }
    parts.extend((0..shape.sections).map(|index| Part::Section { index }));
    if shape.linked_policies {
        parts.push(Part::LinkedPolicies {
            heading: label("linked_policies_heading"),
            number: None,
        });
    }
    parts.push(Part::Agreement {
        heading: label("agreement_heading"),
        number: None,
    });
    parts
}
