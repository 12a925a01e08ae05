//! The build manifest, `out/manifest.json`: what was built, from which
//! inputs, with content hashes. It is deterministic (no times, sorted), so
//! CI can diff it, and it carries each clause's resolved text so `changes`
//! can compare a new build with a published one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::files::Origin;
use crate::model::key::DocKey;
use crate::model::key::OutputKind;

/// Everything one `out/` folder holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The policyc version that wrote it.
    pub policyc: String,
    /// The built-in typst version.
    pub typst: String,
    /// One entry per document, sorted by school, policy, audience.
    pub documents: Vec<ManifestDoc>,
    /// One entry per booklet, sorted by school and policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booklets: Vec<ManifestBooklet>,
}

/// One booklet's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestBooklet {
    /// School id.
    pub school: String,
    /// Policy id.
    pub policy: String,
    /// The booklet's title.
    pub title: String,
    /// The booklet's ID, printed in the preamble's footer.
    pub doc_id: String,
    /// The audiences whose agreements it holds, in order.
    pub audiences: Vec<String>,
    /// Hash of everything the booklet depends on.
    pub input_hash: String,
    /// The PDF.
    pub output: OutputFile,
}

/// One document's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestDoc {
    /// School id.
    pub school: String,
    /// School name.
    pub school_name: String,
    /// Trust name.
    pub trust: Option<String>,
    /// The trust's own document, not a school's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trust_own: bool,
    /// A role addendum: the roster `role` values of the people who sign
    /// it (job titles, never names). Empty: everyone in the audience.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signers: Vec<String>,
    /// Policy id.
    pub policy: String,
    /// Audience id.
    pub audience: String,
    /// Audience label.
    pub audience_label: String,
    /// Document title.
    pub title: String,
    /// Document id printed on every page.
    pub doc_id: String,
    /// A notice: published, never signed, so sign-off leaves it out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notice: bool,
    /// A consent form: the purposes it asks about. Its answers go to the
    /// consent ledger, so sign-off leaves it out too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consent: Vec<String>,
    /// Version label.
    pub version: String,
    /// Approving body.
    pub approved_by: String,
    /// Approval date, long form.
    pub approved_on: String,
    /// Next review date, long form.
    pub review_by: String,
    /// Hash of everything the outputs depend on.
    pub input_hash: String,
    /// Files written, by format (`pdf`, `html`).
    pub outputs: BTreeMap<OutputKind, OutputFile>,
    /// Files read, with hashes.
    pub inputs: Vec<InputFile>,
    /// Clauses in reading order.
    pub clauses: Vec<ManifestClause>,
}

/// An output file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputFile {
    /// Path relative to the output folder.
    pub path: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
}

/// An input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InputFile {
    /// Path relative to the project (built-in templates as `<built-in>/…`).
    pub path: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
}

/// A clause as it reads in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestClause {
    /// Clause id.
    pub id: String,
    /// Section id.
    pub section: String,
    /// Its number or bullet.
    pub label: String,
    /// Where its text came from: `library`, `local` or `replaced`.
    pub origin: Origin,
    /// The file its text came from.
    pub file: String,
    /// The placeholders it used.
    pub placeholders: Vec<String>,
    /// Its resolved plain text.
    pub text: String,
}

impl Manifest {
    /// Parses a manifest's JSON.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The manifest as pretty, stable JSON.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into());
        text.push('\n');
        text
    }

    /// Sorts documents and booklets into their stable order.
    pub fn sort(&mut self) {
        self.documents.sort_by_key(ManifestDoc::key);
        self.booklets
            .sort_by(|a, b| (&a.school, &a.policy).cmp(&(&b.school, &b.policy)));
    }
}

impl ManifestDoc {
    /// The key that names this document.
    pub fn key(&self) -> DocKey {
        DocKey::new(&self.school, &self.policy, &self.audience)
    }
}
