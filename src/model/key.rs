//! The key that names a document (school, policy, audience), the kinds of
//! output a document has, and the paths of its outputs, spelled in one
//! place.

use serde::{Deserialize, Serialize};

/// Identifies a document: school, policy, audience.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DocKey {
    /// School id.
    pub school: String,
    /// Policy id.
    pub policy: String,
    /// Audience id.
    pub audience: String,
}

/// A kind of public output a document has. Each names itself in the
/// manifest's `outputs` by its file extension; the order is the
/// manifest's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OutputKind {
    /// The accessible web page.
    #[serde(rename = "html")]
    Html,
    /// The printable, signature-ready PDF.
    #[serde(rename = "pdf")]
    Pdf,
    /// The one-page acknowledgement slip, for an audience that signs one.
    #[serde(rename = "slip.pdf")]
    SlipPdf,
}

impl OutputKind {
    /// The file extension, after the document's name.
    pub fn extension(self) -> &'static str {
        match self {
            OutputKind::Html => "html",
            OutputKind::Pdf => "pdf",
            OutputKind::SlipPdf => "slip.pdf",
        }
    }
}

impl DocKey {
    /// The key of school × policy × audience.
    pub fn new(school: &str, policy: &str, audience: &str) -> Self {
        Self {
            school: school.to_string(),
            policy: policy.to_string(),
            audience: audience.to_string(),
        }
    }

    /// The output's file name in its school folder, e.g. `aup-staff.pdf`.
    pub fn file_name(&self, kind: OutputKind) -> String {
        format!("{}-{}.{}", self.policy, self.audience, kind.extension())
    }

    /// The output's path relative to the output folder, e.g.
    /// `wrenfold/aup-staff.pdf`.
    pub fn output_path(&self, kind: OutputKind) -> String {
        format!("{}/{}", self.school, self.file_name(kind))
    }
}

impl std::fmt::Display for DocKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.school, self.policy, self.audience)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_built_from_the_key() {
        let key = DocKey::new("wrenfold", "aup", "ks2");
        assert_eq!(key.file_name(OutputKind::Pdf), "aup-ks2.pdf");
        assert_eq!(key.output_path(OutputKind::Html), "wrenfold/aup-ks2.html");
        assert_eq!(
            key.output_path(OutputKind::SlipPdf),
            "wrenfold/aup-ks2.slip.pdf"
        );
        assert_eq!(key.to_string(), "wrenfold/aup/ks2");
    }

    #[test]
    fn an_output_kind_is_named_in_the_manifest_by_its_extension() {
        for kind in [OutputKind::Html, OutputKind::Pdf, OutputKind::SlipPdf] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.extension()));
            assert_eq!(serde_json::from_str::<OutputKind>(&json).unwrap(), kind);
        }
        assert!(serde_json::from_str::<OutputKind>("\"docx\"").is_err());
    }
}
