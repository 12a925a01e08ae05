//! A small project built in memory, for unit tests of resolving and
//! checking that need no disk.

use std::collections::BTreeMap;

use crate::model::files::{
    builtin_audiences, Audience, Clause, ModuleDef, Origin, Policy, SchoolFile,
};
use crate::model::project::{Library, Merged, SchoolInput};

/// The project's policy file.
const POLICY: &str = "\
title: { default: Acceptable use agreement, ks2: My promise }
agreement: { default: I will follow this agreement., ks2: I will follow these rules. }
sections:
  - id: safety
    heading: { default: Keeping safe, ks2: Staying safe }
  - id: data
    heading: Data protection
";

/// A project held in memory: a library of clauses, one policy and one
/// school whose file text is `school_yaml`.
pub struct Fixture {
    /// Every audience.
    pub audiences: Vec<Audience>,
    /// The library.
    pub clauses: Vec<Clause>,
    /// The school's own clauses.
    pub local: Vec<Clause>,
    /// The one policy.
    pub policies: Vec<Policy>,
    /// The school, merged (it extends nothing).
    pub merged: Merged,
    /// File texts by path.
    pub sources: BTreeMap<String, String>,
    /// The opt-in modules.
    pub modules: BTreeMap<String, ModuleDef>,
}

/// A clause in `section` for `audiences`, with `body` as its text.
pub fn clause(id: &str, section: &str, order: i64, audiences: &str, body: &str) -> Clause {
    let yaml = format!("id: {id}\nsection: {section}\norder: {order}\naudiences: [{audiences}]\n");
    Clause {
        meta: serde_yaml::from_str(&yaml).expect("fixture front matter parses"),
        body: body.to_string(),
        file: format!("clauses/{id}.md"),
        body_line: 6,
        origin: Origin::Library,
    }
}

impl Fixture {
    /// The library below and a school whose file is `school_yaml`.
    pub fn new(school_yaml: &str) -> Self {
        let clauses = vec![
            clause("lock", "safety", 20, "staff, ks2", "I will lock my screen."),
            clause(
                "passwords",
                "safety",
                10,
                "staff, ks2",
                "I keep my password secret.",
            ),
            clause(
                "dpo",
                "data",
                10,
                "staff",
                "I will tell {{ contacts.dpo.name }} about a breach.",
            ),
        ];
        let school: SchoolFile = serde_yaml::from_str(school_yaml).expect("fixture school parses");
        let merged = super::inherit::merge_chain(&[("schools/s.yaml".into(), school)]);
        let mut sources = BTreeMap::new();
        sources.insert("schools/s.yaml".to_string(), school_yaml.to_string());
        sources.insert("policies/aup.yaml".to_string(), POLICY.to_string());
        Self {
            audiences: builtin_audiences(),
            clauses,
            local: Vec::new(),
            policies: vec![Policy {
                id: "aup".into(),
                file: "policies/aup.yaml".into(),
                def: serde_yaml::from_str(POLICY).expect("fixture policy parses"),
            }],
            merged,
            sources,
            modules: serde_yaml::from_str(
                "trips: { title: Trips, description: Devices on trips., audiences: [staff] }",
            )
            .expect("fixture modules parse"),
        }
    }

    /// Resolves the school's documents, with every problem found.
    pub fn resolve(
        &self,
    ) -> (
        Option<Vec<crate::model::document::Document>>,
        crate::diag::Diagnostics,
    ) {
        let mut diags = crate::diag::Diagnostics::default();
        let docs = super::resolve_school(self.lib(), &self.policies, self.input(), &mut diags);
        (docs, diags)
    }

    /// The library view resolving takes.
    pub fn lib(&self) -> Library<'_> {
        Library {
            audiences: &self.audiences,
            clauses: &self.clauses,
            modules: &self.modules,
            purposes: &[],
            complete: true,
        }
    }

    /// The school view resolving takes.
    pub fn input(&self) -> SchoolInput<'_> {
        SchoolInput {
            id: "s",
            file: "schools/s.yaml",
            source: &self.sources["schools/s.yaml"],
            merged: &self.merged,
            local_clauses: &self.local,
            logo_hash: None,
            sources: &self.sources,
        }
    }
}

/// A school file with everything resolving requires.
pub const SCHOOL: &str = "\
name: Test School
version: '1'
approval: { by: Governors, date: 2026-09-01 }
review_by: 2027-09-01
audiences: [staff, ks2]
contacts:
  dpo: { name: Ms Example, email: dpo@test.example }
";
