//! The trust-wide audit: for every school, each way it departs from the
//! defaults it extends, sorted into *policy departures* (what its people are
//! asked to agree to, and how) and *routine facts* (who and where it is).
//!
//! A trust officer reads the first list; the second is expected to differ
//! from school to school. A key this module does not know is counted as a
//! policy departure, so a new setting can never hide among the routine ones.

use serde::Serialize;

use crate::model::files::Clause;
use crate::model::project::ResolvedSchool;
use crate::model::project::{Project, SchoolSource};
use crate::report::explain::{key_values, one_line, table};
use crate::resolve::inherit::merge_chain;

/// The top-level school keys that are facts about the school rather than
/// choices about its policy: they are meant to differ from the trust's.
pub const ROUTINE_KEYS: [&str; 9] = [
    "name",
    "short_name",
    "address",
    "website",
    "motto",
    "values",
    "logo",
    "contacts",
    "systems",
];

/// Which kind of departure a key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DepartureKind {
    /// Changes what a document says or who signs it.
    Policy,
    /// A fact about the school: name, address, logo, contacts, systems…
    Routine,
}

/// One way a school departs from its defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Departure {
    /// The school-file key (`exclude`, `replace.passwords`), or
    /// `clause <id>` for a local clause.
    pub key: String,
    /// Policy departure or routine fact.
    pub kind: DepartureKind,
    /// `adds`, `overrides` or `adds local clause`.
    pub change: String,
    /// The defaults' value, as YAML text (empty when they set none).
    pub trust: String,
    /// The school's value, as YAML text (a local clause's title and
    /// first line).
    pub school: String,
    /// A local clause's file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// One school's departures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolAudit {
    /// School id.
    pub school: String,
    /// School name.
    pub name: String,
    /// The school's file.
    pub file: String,
    /// The defaults file it extends, if any.
    pub extends: Option<String>,
    /// Departures that change the policy, in key order.
    pub policy_departures: Vec<Departure>,
    /// Departures that are routine facts, in key order.
    pub routine_facts: Vec<Departure>,
}

/// The audit of a whole trust.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TrustAudit {
    /// The trust's name, if the schools name one.
    pub trust: Option<String>,
    /// One entry per school, sorted by id.
    pub schools: Vec<SchoolAudit>,
}

/// Whether a key (as `key_values` names it) is a policy departure or a
/// routine fact.
pub fn kind_of(key: &str) -> DepartureKind {
    let top = key.split('.').next().unwrap_or(key);
    if ROUTINE_KEYS.contains(&top) {
        DepartureKind::Routine
    } else {
        DepartureKind::Policy
    }
}

/// Every departure of one school from the defaults it extends, its own
/// clauses included. A clause the school leaves out is named with its
/// title, and a clause of its own with its title and first line: an id or
/// a path alone says little to the trust officer reading the audit. A
/// clause the trust keeps beside its defaults file is the trust's, not a
/// departure.
pub fn departures(project: &Project, source: &SchoolSource) -> Vec<Departure> {
    let Some((_, own)) = source.chain.first() else {
        return Vec::new();
    };
    let defaults = merge_chain(&source.chain[1..]).school;
    let titled = |ids: &Option<Vec<String>>| {
        ids.iter()
            .flatten()
            .map(|id| match clause_title(project, source, id) {
                Some(title) => format!("{id} ({title})"),
                None => id.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut found: Vec<Departure> = key_values(own, &defaults)
        .into_iter()
        .map(|(key, (trust, school))| {
            let (trust, school) = match key.as_str() {
                "exclude" => (titled(&defaults.exclude), titled(&own.exclude)),
                _ => (trust, school),
            };
            Departure {
                kind: kind_of(&key),
                change: if trust.is_empty() {
                    "adds"
                } else {
                    "overrides"
                }
                .into(),
                key,
                trust,
                school,
                file: None,
            }
        })
        .collect();
    found.extend(source.own_clauses().map(|clause| Departure {
        key: format!("clause {}", clause.meta.id),
        kind: DepartureKind::Policy,
        change: "adds local clause".into(),
        trust: String::new(),
        school: clause_summary(clause),
        file: Some(clause.file.clone()),
    }));
    found
}

/// What names clause `id` as `source` sees it (its own or its trust's
/// clause of that id, else the library's): its title, or its first line
/// when it has none.
fn clause_title(project: &Project, source: &SchoolSource, id: &str) -> Option<String> {
    let clause = source
        .local_clauses
        .iter()
        .chain(&project.clauses)
        .find(|c| c.meta.id == id)?;
    clause
        .meta
        .title
        .clone()
        .or_else(|| Some(first_line(clause)))
}

/// A clause as the audit shows it: its title and its first line of text.
fn clause_summary(clause: &Clause) -> String {
    match &clause.meta.title {
        Some(title) => format!("{title}: {}", first_line(clause)),
        None => first_line(clause),
    }
}

/// A clause's first line of text, without Markdown's line marks.
fn first_line(clause: &Clause) -> String {
    clause
        .body
        .lines()
        .map(|l| l.trim().trim_start_matches(['#', '-', '*', '>']).trim())
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// One school's audit.
pub fn audit_school(project: &Project, source: &SchoolSource) -> SchoolAudit {
    let (policy_departures, routine_facts) = departures(project, source)
        .into_iter()
        .partition(|d| d.kind == DepartureKind::Policy);
    let merged = merge_chain(&source.chain).school;
    SchoolAudit {
        school: source.id.clone(),
        name: merged.name.unwrap_or_else(|| source.id.clone()),
        file: source.file().to_string(),
        extends: source.chain.get(1).map(|(f, _)| f.clone()),
        policy_departures,
        routine_facts,
    }
}

/// The audit of every school in the project.
pub fn audit_trust(project: &Project) -> TrustAudit {
    let trust = project
        .schools
        .iter()
        .find_map(|s| merge_chain(&s.chain).school.trust.map(|t| t.name));
    TrustAudit {
        trust,
        // The trust's own documents depart from nothing: they are the
        // trust's.
        schools: project
            .schools
            .iter()
            .filter(|s| !s.trust_own)
            .map(|s| audit_school(project, s))
            .collect(),
    }
}

/// Everything in which a school departs from the defaults it extends:
/// values it sets differently, clauses it leaves out, rewords or adds.
pub fn diff_trust(project: &Project, source: &SchoolSource, resolved: &ResolvedSchool) -> String {
    let Some((own_file, _)) = source.chain.first() else {
        return String::new();
    };
    let defaults_file = source
        .chain
        .get(1)
        .map(|(f, _)| f.as_str())
        .unwrap_or("(no defaults file)");
    let rows: Vec<Vec<String>> = departures(project, source)
        .into_iter()
        .map(|d| {
            let school = match &d.file {
                Some(file) => format!("{} ({file})", one_line(&d.school)),
                None => one_line(&d.school),
            };
            vec![d.key, d.change, one_line(&d.trust), school]
        })
        .collect();
    let mut out = format!(
        "{} ({own_file}) against {defaults_file}: {} departure{}\n\n",
        resolved.merged.school.name.clone().unwrap_or_default(),
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    out.push_str(&table(&["KEY", "CHANGE", "TRUST", "SCHOOL"], &rows));
    out
}

/// The audit for a terminal: a summary table, then each school's policy
/// departures in full and its routine facts by key.
pub fn render_audit_text(audit: &TrustAudit) -> String {
    let heading = audit.trust.as_deref().unwrap_or("The project");
    let mut out = format!("{heading}: how each school departs from the defaults it extends\n\n");
    let rows: Vec<Vec<String>> = audit
        .schools
        .iter()
        .map(|s| {
            vec![
                s.school.clone(),
                s.extends.clone().unwrap_or_else(|| "-".into()),
                s.policy_departures.len().to_string(),
                s.routine_facts.len().to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        &["SCHOOL", "EXTENDS", "POLICY DEPARTURES", "ROUTINE FACTS"],
        &rows,
    ));
    for school in &audit.schools {
        out.push('\n');
        out.push_str(&school_text(school));
    }
    out
}

/// One school's part of the text audit.
fn school_text(school: &SchoolAudit) -> String {
    let count = school.policy_departures.len();
    let mut out = format!(
        "{} ({}): {}\n",
        school.name,
        school.file,
        plural(count, "policy departure")
    );
    if count > 0 {
        let rows: Vec<Vec<String>> = school
            .policy_departures
            .iter()
            .map(|d| {
                vec![
                    d.key.clone(),
                    d.change.clone(),
                    one_line(&d.trust),
                    one_line(&d.school),
                ]
            })
            .collect();
        out.push_str(&table(&["KEY", "CHANGE", "TRUST", "SCHOOL"], &rows));
    }
    if !school.routine_facts.is_empty() {
        let keys: Vec<&str> = school
            .routine_facts
            .iter()
            .map(|d| d.key.as_str())
            .collect();
        out.push_str(&format!("Routine facts: {}\n", keys.join(", ")));
    }
    out
}

/// "1 policy departure", "3 policy departures".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::files::{Approval, SchoolFile};

    fn source(own: SchoolFile, defaults: SchoolFile) -> SchoolSource {
        SchoolSource {
            id: "wren".into(),
            chain: vec![
                ("schools/wren.yaml".into(), own),
                ("schools/_trust.yaml".into(), defaults),
            ],
            local_clauses: Vec::new(),
            local_policies: Vec::new(),
            logo: None,
            trust_own: false,
        }
    }

    #[test]
    fn separates_policy_departures_from_routine_facts() {
        let defaults = SchoolFile {
            approval: Some(Approval {
                by: "Trust board".into(),
                date: "2026-09-09".into(),
            }),
            ..SchoolFile::default()
        };
        let own = SchoolFile {
            name: Some("Wren School".into()),
            address: Some("1 Lane".into()),
            exclude: Some(vec!["passwords".into()]),
            approval: Some(Approval {
                by: "Local governing board".into(),
                date: "2026-09-30".into(),
            }),
            ..SchoolFile::default()
        };
        let mut ignored = crate::diag::Diagnostics::default();
        let project = crate::load::load_memory(&crate::sealed::MemoryTree::new(&[]), &mut ignored);
        let audit = audit_school(&project, &source(own, defaults));
        let keys = |list: &[Departure]| list.iter().map(|d| d.key.clone()).collect::<Vec<_>>();
        assert_eq!(
            keys(&audit.policy_departures),
            ["approval.by", "approval.date", "exclude"]
        );
        assert_eq!(keys(&audit.routine_facts), ["address", "name"]);
        assert_eq!(audit.policy_departures[0].change, "overrides");
        assert_eq!(audit.name, "Wren School");
    }

    #[test]
    fn unknown_keys_count_as_policy() {
        assert_eq!(kind_of("contacts.dpo"), DepartureKind::Routine);
        assert_eq!(kind_of("replace.passwords"), DepartureKind::Policy);
        assert_eq!(kind_of("something-new"), DepartureKind::Policy);
    }
}
