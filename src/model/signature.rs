//! The signature block as a school file writes it: the fields a signer
//! fills in, the extra signatures some audiences get, and how exactly the
//! facts line gives its dates.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A field of a signature block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureField {
    /// Full name, printed.
    Name,
    /// The signature itself.
    Signature,
    /// The date signed.
    Date,
    /// Job title or role.
    Role,
    /// Position, e.g. on the governing body.
    Position,
    /// A pupil's class.
    Class,
    /// The child a parent signs for.
    Child,
    /// A visitor's organisation.
    Organisation,
}

impl SignatureField {
    /// The key of its label under `labels:` (`field_name`…).
    pub fn label_key(self) -> &'static str {
        match self {
            SignatureField::Name => "field_name",
            SignatureField::Signature => "field_signature",
            SignatureField::Date => "field_date",
            SignatureField::Role => "field_role",
            SignatureField::Position => "field_position",
            SignatureField::Class => "field_class",
            SignatureField::Child => "field_child",
            SignatureField::Organisation => "field_organisation",
        }
    }
}

/// Which audiences get extra signatures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureExtras {
    /// Audiences whose form also has a parent or carer signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Vec<String>>,
    /// Audiences whose form is countersigned by the headteacher or deputy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countersign: Option<Vec<String>>,
    /// The signer's fields and their order, per audience, instead of the
    /// audience's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, Vec<SignatureField>>>,
    /// The countersigner's fields and their order; default name,
    /// signature, date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countersign_fields: Option<Vec<CountersignField>>,
    /// Fields printed side by side on one row where they come together in
    /// a block's order ("Signature …… Date ……"), the signer's and the
    /// countersigner's alike.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side_by_side: Option<Vec<SignatureField>>,
}

/// A field of the countersignature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CountersignField {
    /// The countersigner's name, printed (`field_countersigner`).
    Name,
    /// Their signature.
    Signature,
    /// The date.
    Date,
}

impl CountersignField {
    /// The key of its label under `labels:`.
    pub fn label_key(self) -> &'static str {
        match self {
            CountersignField::Name => "field_countersigner",
            CountersignField::Signature => "field_signature",
            CountersignField::Date => "field_date",
        }
    }
}

/// How exactly the facts line gives its dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// "9 September 2026".
    #[default]
    Day,
    /// "September 2026".
    Month,
    /// "2026".
    Year,
}
