//! The bundled clause library and example trust: shape, coverage, no
//! hard-coded school facts, and pupil reading level.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use policyc::check::readability::{limits, stats, Stats};
use policyc::diag::Diagnostics;
use policyc::model::files::Reading;
use policyc::model::markdown::plain_text;
use policyc::model::project::Resolved;
use policyc::pipeline::prepare;
use serde::Deserialize;
use support::repo;

fn example() -> Resolved {
    let mut diags = Diagnostics::default();
    let resolved = prepare(&repo(), &[], &[], &mut diags);
    let (errors, warnings) = diags.counts();
    assert_eq!((errors, warnings), (0, 0), "{:#?}", diags.sorted());
    resolved.expect("the bundled example resolves")
}

fn clauses_for(resolved: &Resolved, audience: &str) -> usize {
    let library = resolved.project.clauses.iter();
    library
        .filter(|c| c.meta.audiences.iter().any(|a| a == audience))
        .count()
}

#[test]
fn clause_counts_per_audience() {
    let resolved = example();
    for (audience, minimum) in [
        ("staff", 45),
        ("governor", 20),
        ("volunteer", 20),
        ("ks2", 14),
        ("parent", 6),
        ("visitor", 5),
    ] {
        let n = clauses_for(&resolved, audience);
        assert!(
            n >= minimum,
            "{audience} has {n} clauses, fewer than {minimum}"
        );
    }
    let ks1 = clauses_for(&resolved, "ks1");
    assert!(
        (5..=7).contains(&ks1),
        "ks1 has {ks1} rules; it should have five to seven"
    );
}

#[test]
fn staff_documents_have_six_to_nine_sections() {
    let resolved = example();
    for school in &resolved.schools {
        for doc in school.documents.iter().filter(|d| d.audience_id == "staff") {
            let n = doc.sections.len();
            assert!((6..=9).contains(&n), "{} staff has {n} sections", school.id);
        }
    }
}

#[derive(Deserialize)]
struct Topic {
    audiences: Vec<String>,
    clauses: Vec<String>,
}

#[test]
fn every_design_topic_is_covered_for_its_audiences() {
    let resolved = example();
    let by_id: BTreeMap<&str, &Vec<String>> = resolved
        .project
        .clauses
        .iter()
        .map(|c| (c.meta.id.as_str(), &c.meta.audiences))
        .collect();
    for table in ["topics-adult.yaml", "topics-pupil.yaml"] {
        let text = fs::read_to_string(repo().join("tests/data").join(table)).unwrap();
        let topics: BTreeMap<String, Topic> = serde_yaml::from_str(&text).unwrap();
        assert!(
            topics.len() >= 15,
            "{table} lists only {} topics",
            topics.len()
        );
        for (name, topic) in topics {
            let mut reached = BTreeSet::new();
            for id in &topic.clauses {
                let audiences = by_id
                    .get(id.as_str())
                    .unwrap_or_else(|| panic!("{table}: `{name}` names missing clause `{id}`"));
                reached.extend(audiences.iter().cloned());
            }
            for audience in &topic.audiences {
                assert!(
                    reached.contains(audience),
                    "{table}: topic `{name}` has no clause for `{audience}`"
                );
            }
        }
    }
    let adult: BTreeMap<String, Topic> = serde_yaml::from_str(
        &fs::read_to_string(repo().join("tests/data/topics-adult.yaml")).unwrap(),
    )
    .unwrap();
    for required in [
        "monitoring",
        "passwords",
        "data-protection",
        "filtering",
        "images",
        "remote-teaching",
        "reporting",
        "consequences",
        "record-keeping",
        "extremism",
    ] {
        assert!(
            adult.contains_key(required),
            "topics-adult.yaml lacks `{required}`"
        );
    }
}

#[test]
fn every_clause_has_an_audience_and_text() {
    let resolved = example();
    for clause in &resolved.project.clauses {
        assert!(
            !clause.meta.audiences.is_empty(),
            "{} has no audience",
            clause.file
        );
        assert!(
            !clause.body.trim().is_empty(),
            "{} has no text",
            clause.file
        );
    }
}

/// Every fact a school file supplies: names, people, emails, systems.
fn school_facts() -> BTreeSet<String> {
    let mut facts = BTreeSet::new();
    for entry in fs::read_dir(repo().join("schools")).unwrap().flatten() {
        if entry.path().extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(entry.path()).unwrap()).unwrap();
        collect_strings(yaml.get("name"), &mut facts);
        collect_strings(yaml.get("short_name"), &mut facts);
        collect_strings(yaml.get("trust"), &mut facts);
        collect_strings(yaml.get("contacts"), &mut facts);
        collect_strings(yaml.get("systems"), &mut facts);
        collect_strings(yaml.get("address"), &mut facts);
    }
    facts.retain(|f| f.len() > 3 && !f.chars().all(|c| c.is_lowercase() || c == ' '));
    facts.retain(|f| {
        ![
            "Headteacher",
            "Data Protection Officer",
            "Designated Safeguarding Lead",
        ]
        .iter()
        .any(|t| f.starts_with(t))
    });
    facts
}

fn collect_strings(value: Option<&serde_yaml::Value>, out: &mut BTreeSet<String>) {
    match value {
        Some(serde_yaml::Value::String(s)) => {
            out.insert(s.clone());
        }
        Some(serde_yaml::Value::Mapping(map)) => {
            map.values().for_each(|v| collect_strings(Some(v), out))
        }
        Some(serde_yaml::Value::Sequence(seq)) => {
            seq.iter().for_each(|v| collect_strings(Some(v), out))
        }
        _ => {}
    }
}

#[test]
fn no_school_specific_fact_is_hard_coded_in_the_library() {
    let resolved = example();
    let facts = school_facts();
    assert!(facts.len() > 20, "found only {facts:?}");
    for clause in &resolved.project.clauses {
        let text = fs::read_to_string(repo().join(&clause.file)).unwrap();
        for fact in &facts {
            assert!(
                !text.contains(fact.as_str()),
                "{} hard-codes `{fact}`: use a placeholder",
                clause.file
            );
        }
        assert!(
            !text.contains(".example"),
            "{} hard-codes an email or web address",
            clause.file
        );
    }
}

#[test]
fn pupil_pledges_read_at_their_level() {
    let resolved = example();
    let mut checked = 0;
    for school in &resolved.schools {
        for doc in &school.documents {
            let Some((max_grade, max_words)) = limits(doc.reading) else {
                continue;
            };
            let mut total = Stats::default();
            for clause in doc.sections.iter().flat_map(|s| &s.clauses) {
                total.add(stats(&plain_text(&clause.blocks)));
            }
            let label = format!("{} {}", school.id, doc.audience_id);
            assert!(total.sentences >= 5, "{label}: too few pledges to measure");
            assert!(
                total.grade() <= max_grade,
                "{label}: grade {:.2} > {max_grade}",
                total.grade()
            );
            assert!(
                total.words_per_sentence() <= max_words,
                "{label}: {:.1} words a sentence > {max_words}",
                total.words_per_sentence()
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} pupil documents checked");
    let reading: BTreeSet<Reading> = resolved
        .schools
        .iter()
        .flat_map(|s| s.documents.iter().map(|d| d.reading))
        .collect();
    assert!(reading.contains(&Reading::Ks1) && reading.contains(&Reading::Ks2));
}

#[test]
fn check_warns_when_a_school_adds_hard_pupil_clauses() {
    let project = support::fixture("example");
    let hard = "---\nid: local-hard\nsection: safety\norder: 5\naudiences: [ks1]\n---\n\
I acknowledge that unauthorised circumvention of institutional filtering infrastructure constitutes a disciplinary infringement under applicable regulations.\n";
    let dir = project.path().join("schools/wrenfold/clauses");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("local-hard.md"), hard).unwrap();
    let output = support::run_in(project.path(), &["check"]);
    let (_, stderr) = support::texts(&output);
    assert!(
        output.status.success(),
        "warnings alone do not fail: {stderr}"
    );
    assert!(
        stderr.contains("warning[reading-level]: the ks1 pledges read at grade"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the hardest clause is `local-hard`"),
        "{stderr}"
    );
    let denied = support::run_in(project.path(), &["check", "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
}
