//! The bundled clause library and example trust: shape, coverage, no
//! hard-coded school facts, and pupil reading level.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use crate::support::repo;
use policyc::check::readability::{limits, stats, Stats};
use policyc::diag::Diagnostics;
use policyc::model::files::Reading;
use policyc::model::markdown::plain_text;
use policyc::model::project::Resolved;
use policyc::pipeline::prepare;
use serde::Deserialize;

fn example() -> Resolved {
    let mut diags = Diagnostics::default();
    let resolved = prepare(&repo(), &[], &[], &mut diags);
    let (errors, warnings) = diags.counts();
    assert_eq!((errors, warnings), (0, 0), "{:#?}", diags.sorted());
    resolved.expect("the bundled example resolves")
}

/// For each school's `audience` document: the number of library clauses in
/// no module, and their words as the reader sees them.
fn core_sizes(resolved: &Resolved, audience: &str) -> Vec<(String, usize, usize)> {
    use policyc::model::files::Origin;
    let mut sizes = Vec::new();
    for school in &resolved.schools {
        for doc in school
            .documents
            .iter()
            .filter(|d| d.audience_id == audience && d.policy_id == "aup")
        {
            let core: Vec<_> = doc
                .clauses()
                .filter(|(_, c)| c.provenance.module.is_none())
                .filter(|(_, c)| c.provenance.origin != Origin::Local)
                .collect();
            let words = core
                .iter()
                .map(|(_, c)| plain_text(&c.blocks).split_whitespace().count())
                .sum();
            sizes.push((school.id.clone(), core.len(), words));
        }
    }
    sizes
}

#[test]
fn the_core_is_short_enough_to_read_before_signing() {
    let resolved = example();
    // (audience, clauses at least, clauses at most, words at most), for the
    // core as each example school prints it. The adult limits grew by about
    // a tenth when the monitoring notice met the ICO's Monitoring workers
    // guidance and the safeguarding routes were completed (issue 24); the
    // page budgets in `every_example_document_fits_its_page_budget` still hold.
    for (audience, least, most, max_words) in [
        ("staff", 28, 34, 1_400),
        ("governor", 15, 26, 925),
        ("volunteer", 10, 18, 550),
        ("visitor", 4, 8, 200),
        ("parent", 8, 15, 550),
        ("ks2", 10, 14, 160),
        ("ks1", 5, 6, 60),
        ("secondary", 25, 34, 1_000),
    ] {
        let sizes = core_sizes(&resolved, audience);
        assert!(
            !sizes.is_empty(),
            "no example school has a {audience} document"
        );
        for (school, n, words) in sizes {
            assert!(
                (least..=most).contains(&n),
                "{school} {audience} has {n} core clauses; expected {least} to {most}"
            );
            assert!(
                words <= max_words,
                "{school} {audience}'s core runs to {words} words; at most {max_words}"
            );
        }
    }
}

#[test]
fn modules_are_switched_on_by_schools_and_reach_only_them() {
    let resolved = example();
    let project = &resolved.project;
    assert!(project.modules.len() >= 5, "{:?}", project.modules.keys());
    for (id, module) in &project.modules {
        let clauses: Vec<_> = project
            .clauses
            .iter()
            .filter(|c| c.meta.module.as_deref() == Some(id.as_str()))
            .collect();
        assert!(!clauses.is_empty(), "module `{id}` has no clauses");
        for c in &clauses {
            assert!(
                c.file.starts_with(&format!("clauses/modules/{id}/")),
                "{} is in module `{id}` but not in its folder",
                c.file
            );
            assert!(c
                .meta
                .audiences
                .iter()
                .all(|a| module.audiences.contains(a)));
        }
    }
    let mut seen_on = BTreeSet::new();
    for school in &resolved.schools {
        let on = school.merged.school.modules.clone().unwrap_or_default();
        seen_on.extend(on.iter().cloned());
        for doc in &school.documents {
            for (_, clause) in doc.clauses() {
                if let Some(module) = &clause.provenance.module {
                    assert!(
                        on.contains(module),
                        "{} {} has `{}` from module `{module}`, which it does not switch on",
                        school.id,
                        doc.audience_id,
                        clause.id
                    );
                }
            }
        }
    }
    assert!(
        seen_on.len() >= 4,
        "the example switches on only {seen_on:?}"
    );
}

#[test]
fn staff_documents_have_six_to_nine_sections() {
    let resolved = example();
    for school in &resolved.schools {
        let staff_aup = |d: &&policyc::model::document::Document| {
            d.audience_id == "staff" && d.policy_id == "aup"
        };
        for doc in school.documents.iter().filter(staff_aup) {
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
    for table in [
        "topics-adult.yaml",
        "topics-pupil.yaml",
        "topics-secondary.yaml",
    ] {
        let text = fs::read_to_string(repo().join("tests/data").join(table)).unwrap();
        let topics: BTreeMap<String, Topic> = serde_yaml::from_str(&text).unwrap();
        assert!(
            topics.len() >= 12,
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
        // A system's name is a fact; its notice facts (purpose, hosting…)
        // are descriptions a notice may share with the library's words.
        for system in yaml
            .get("systems")
            .and_then(serde_yaml::Value::as_mapping)
            .into_iter()
            .flat_map(|m| m.values())
        {
            collect_strings(Some(system.get("name").unwrap_or(system)), &mut facts);
        }
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
    for level in [Reading::Ks1, Reading::Ks2, Reading::Secondary] {
        assert!(
            reading.contains(&level),
            "no {level:?} document in the example"
        );
    }
}

#[test]
fn check_warns_when_a_school_adds_hard_pupil_clauses() {
    let project = crate::support::fixture("example");
    let hard = "---\nid: local-hard\nsection: safety\norder: 5\naudiences: [ks1]\n---\n\
I acknowledge that unauthorised circumvention of institutional filtering infrastructure constitutes a disciplinary infringement under applicable regulations.\n";
    let dir = project.path().join("schools/wrenfold/clauses");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("local-hard.md"), hard).unwrap();
    let output = crate::support::run_in(project.path(), &["check"]);
    let (_, stderr) = crate::support::texts(&output);
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
    let denied = crate::support::run_in(project.path(), &["check", "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
}

/// The pages of a PDF, as poppler's `pdfinfo` counts them.
fn pages(pdf: &std::path::Path) -> usize {
    crate::support::ensure_tool("pdfinfo", "poppler-utils");
    let output = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo cannot count the pages of {}", pdf.display()))
}

/// The text of one page of a PDF.
fn page_text(pdf: &std::path::Path, page: usize) -> String {
    let n = page.to_string();
    let output = std::process::Command::new("pdftotext")
        .args(["-f", &n, "-l", &n, "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The most pages each audience's agreement may take, signature included.
fn page_budget() -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("staff", 4),
        ("governor", 3),
        ("volunteer", 2),
        ("visitor", 1),
        ("helpers", 3),
        ("parent", 2),
        ("ks2", 1),
        ("ks1", 1),
        ("secondary", 2),
    ])
}

/// The library keeps its budgets with every module switched on, for a
/// school that adds nothing of its own: every audience, every module.
#[test]
fn page_budgets_hold_with_every_module_on() {
    let project = crate::support::fixture("example");
    let school = project.path().join("schools/oakhollow.yaml");
    let text = fs::read_to_string(&school).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            !["audiences:", "modules:", "policies:"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .collect();
    let modules = fs::read_to_string(crate::support::repo().join("modules.yaml")).unwrap();
    let all_modules: Vec<String> = modules
        .lines()
        .filter(|l| !l.starts_with([' ', '#']) && l.ends_with(':'))
        .map(|l| l.trim_end_matches(':').to_string())
        .collect();
    assert!(all_modules.len() >= 5, "{all_modules:?}");
    fs::write(
        &school,
        format!(
            "{}\naudiences: [staff, governor, volunteer, ks1, ks2, secondary, parent, visitor]\nmodules: [{}]\npolicies: [aup, online-safety]\n",
            kept.join("\n"),
            all_modules.join(", ")
        ),
    )
    .unwrap();
    let out = project.path().join("out");
    let build = crate::support::run_in(
        project.path(),
        &[
            "build",
            "--quiet",
            "--format",
            "pdf",
            "--school",
            "oakhollow",
        ],
    );
    assert!(
        build.status.success(),
        "{:?}",
        crate::support::texts(&build)
    );
    let budget = page_budget();
    for (audience, most) in &budget {
        if *audience == "helpers" {
            continue;
        }
        let pdf = out.join(format!("oakhollow/aup-{audience}.pdf"));
        let n = pages(&pdf);
        assert!(
            n <= *most,
            "{audience} with every module on runs to {n} pages; its budget is {most}"
        );
    }
}

#[test]
fn every_example_document_fits_its_page_budget() {
    let project = crate::support::fixture("example");
    let out = project.path().join("out");
    let build = crate::support::run_in(project.path(), &["build", "--quiet", "--format", "pdf"]);
    assert!(
        build.status.success(),
        "{:?}",
        crate::support::texts(&build)
    );
    let budget = page_budget();
    // The privacy notices: pupils' on one page, adults' as short as the
    // law allows, a summary first.
    let notice_budget = BTreeMap::from([
        ("staff", 2),
        ("governor", 2),
        ("volunteer", 2),
        ("parent", 2),
        ("applicant", 2),
        ("ks2", 1),
        ("ks1", 1),
        ("secondary", 1),
    ]);
    let mut checked = 0;
    for school in fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
    {
        for pdf in fs::read_dir(school.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
        {
            if pdf.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let stem = pdf.file_stem().unwrap().to_string_lossy().into_owned();
            if stem.ends_with(".booklet") {
                // Its agreements are these documents; tests/it/booklets.rs
                // checks the booklet.
                continue;
            }
            if stem.ends_with(".slip") {
                assert_eq!(pages(&pdf), 1, "{} is one page", pdf.display());
                continue;
            }
            let audience = stem.rsplit('-').next().unwrap().to_string();
            let notice = stem.starts_with("privacy-");
            // The library's published policies: read, never signed.
            let policy_text = ["online-safety-", "acceptable-use-"]
                .iter()
                .any(|p| stem.starts_with(p));
            if policy_text {
                let most = if stem.starts_with("online-safety-") {
                    3
                } else {
                    2
                };
                let n = pages(&pdf);
                assert!(n <= most, "{stem} runs to {n} pages; its budget is {most}");
                checked += 1;
                continue;
            }
            // A role addendum adds to an agreement: one page.
            let addendum = ["it-admin-", "placement-", "searching-"]
                .iter()
                .any(|p| stem.starts_with(p));
            let most = if notice {
                notice_budget[audience.as_str()]
            } else if addendum {
                1
            } else {
                budget[audience.as_str()]
            };
            let n = pages(&pdf);
            let name = format!("{}/{stem}", school.file_name().to_string_lossy());
            assert!(n <= most, "{name} runs to {n} pages; its budget is {most}");
            if n > 1 && !notice {
                // The signature never stands alone: the last page has the
                // end of the agreement above it.
                let last = page_text(&pdf, n);
                // Ravensmoor sets its own headings (`labels:`).
                let heading = [
                    "Agreement and signature",
                    "My promise",
                    "Agreement form",
                    "My agreement",
                ]
                .iter()
                .find_map(|h| last.find(h))
                .unwrap_or_else(|| panic!("{name}: no signature heading on its last page"));
                let above: Vec<&str> = last[..heading]
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                assert!(
                    above.len() > 2,
                    "{name}: the signature block stands alone on page {n}: {above:?}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} PDFs checked");
}

/// The library's online safety policy covers what KCSIE and the issue ask
/// of one, filled in with the school's own names and systems, and opens a
/// booklet of the agreements where a school asks (`text:`).
#[test]
fn the_online_safety_policy_covers_every_topic_and_opens_the_booklet() {
    let project = crate::support::fixture("example");
    let out = crate::support::build_to_temp(project.path());
    let policy =
        crate::support::page_texts(&out.path().join("oakhollow/online-safety-staff.pdf")).join(" ");
    crate::support::in_order(
        &policy,
        &[
            "Online safety policy",
            "Purpose and scope",
            "Content",
            "Contact",
            "Conduct",
            "Commerce",
            "Who does what",
            "One governor leads on filtering and monitoring",
            "designated safeguarding lead",
            "IT support",
            "Filtering and monitoring",
            "filtering and monitoring standards",
            "Teaching online safety",
            "Phones, smart devices and AI",
            "AI tools the school has approved",
            "Images and searches",
            "nude or semi-nude image",
            "Only staff the headteacher authorises may search",
            "Reporting a concern",
            "deputy DSL",
            "(LADO)",
            "999",
            "CEOP",
            "Training",
            "every year",
            "Review and linked policies",
            "after any serious incident",
            "acceptable use agreements",
        ],
    );
    for named in [
        "misinformation, disinformation and conspiracy theories",
        "Valleynet Schools Broadband",
    ] {
        assert!(
            crate::support::squash(&policy).contains(named),
            "{named}: {policy}"
        );
    }
    // Three copies, one per adult audience; a notice, so nobody signs.
    for audience in ["staff", "governor", "parent"] {
        assert!(out
            .path()
            .join(format!("oakhollow/online-safety-{audience}.pdf"))
            .is_file());
    }
    assert!(!policy.contains("Full name (printed)"), "{policy}");
    // The booklet opens with the policy, then each agreement.
    let booklet =
        crate::support::page_texts(&out.path().join("oakhollow/aup.booklet.pdf")).join(" ");
    crate::support::in_order(
        &booklet,
        &[
            "Online safety policy and agreements",
            "Contents",
            "The risks we plan for",
            "Acceptable use agreement — Staff",
            "Technology is part of how our pupils learn",
            "Purpose and scope",
            "Review and linked policies",
            "Acceptable use agreement",
            "Full name (printed)",
        ],
    );
}
