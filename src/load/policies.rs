//! Policies: the project's own in `policies/`, and those of a school or
//! trust in `schools/<school or defaults>/policies/`.

use std::path::Path;

use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::model::files::{Policy, PolicyFile, SchoolFile};

use super::Loader;

impl Loader<'_> {
    /// The project's policies, `policies/*.yaml`.
    pub(super) fn policies(&mut self) -> Vec<Policy> {
        let dir = self.root.join("policies");
        let policies = self.policy_files(&dir);
        if policies.is_empty() && self.diags.is_empty() {
            self.diags.push(
                Diagnostic::error(Code::NoPolicies, "policies", "the project defines no policy")
                    .with_hint("add a file such as `policies/aup.yaml` with a title, an agreement and sections (see docs/FORMAT.md)"),
            );
        }
        policies
    }

    /// Reads every `*.yaml` in `dir` as a policy.
    fn policy_files(&mut self, dir: &Path) -> Vec<Policy> {
        let mut policies = Vec::new();
        for path in self.list_files(dir, "yaml") {
            let Some(id) = self.file_id(&path) else {
                continue;
            };
            let Some(text) = self.read_text(&path) else {
                continue;
            };
            let rel = self.rel(&path);
            let keys = [
                "title",
                "intro",
                "agreement",
                "audiences",
                "sections",
                "blocks",
            ];
            if let Some(def) = self.parse_yaml::<PolicyFile>(&rel, &text, 1, &keys) {
                policies.push(Policy { id, file: rel, def });
            }
        }
        policies
    }

    /// The policies in `schools/<stem>/policies/` beside each file of a
    /// school's chain: the school's own, then its trust's.
    pub(super) fn local_policies(&mut self, chain: &[(String, SchoolFile)]) -> Vec<Policy> {
        let mut policies = Vec::new();
        for (file, _) in chain {
            let stem = Path::new(file).with_extension("");
            let dir = self.root.join(stem).join("policies");
            if self.exists(&dir) {
                policies.extend(self.policy_files(&dir));
            }
        }
        policies
    }
}
