//! The key that names a document (school, policy, audience) and the paths
//! of its outputs, spelled in one place.

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
    pub fn file_name(&self, format: &str) -> String {
        format!("{}-{}.{format}", self.policy, self.audience)
    }

    /// The output's path relative to the output folder, e.g.
    /// `wrenfold/aup-staff.pdf`.
    pub fn output_path(&self, format: &str) -> String {
        format!("{}/{}", self.school, self.file_name(format))
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
        assert_eq!(key.file_name("pdf"), "aup-ks2.pdf");
        assert_eq!(key.output_path("html"), "wrenfold/aup-ks2.html");
        assert_eq!(key.to_string(), "wrenfold/aup/ks2");
    }
}
