//! `policyc build` end to end on the fixture project and the bundled example.

use std::fs;

use crate::support::*;

#[test]
fn builds_the_fixture_and_reports_each_file() {
    let project = fixture("basic");
    let output = run_in(project.path(), &["build"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    let mut lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("  wrote"))
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "  wrote out/alpha/aup-ks2.html",
            "  wrote out/alpha/aup-ks2.pdf",
            "  wrote out/alpha/aup-staff.html",
            "  wrote out/alpha/aup-staff.pdf",
            "  wrote out/alpha/index.html",
            "  wrote out/beta/aup-ks2.html",
            "  wrote out/beta/aup-ks2.pdf",
            "  wrote out/beta/aup-staff.html",
            "  wrote out/beta/aup-staff.pdf",
            "  wrote out/beta/index.html",
            "  wrote out/index.html",
            "  wrote out/manifest.json",
            "  wrote private/oversight/alpha/departures.html (internal)",
            "  wrote private/oversight/beta/departures.html (internal)",
            "  wrote private/oversight/index.html (internal)",
        ]
    );
    assert!(
        stdout.contains("built 4 of 4 documents (0 up to date): 12 files written, 0 unchanged"),
        "{stdout}"
    );
}

#[test]
fn pdf_text_carries_school_contacts_clauses_numbering_and_signature() {
    let project = fixture("basic");
    assert!(run_in(project.path(), &["build"]).status.success());
    let staff = squash(&pdf_text(&project.path().join("out/alpha/aup-staff.pdf")));
    for expected in [
        "Alpha Primary School",
        "Fixture Learning Trust",
        "Acceptable use agreement",
        "Version 1.0. Approved by Trust board on 1 September 2026. Next review by 1 September 2027.",
        "This agreement explains how Alpha Primary School expects you to use technology.",
        "Keeping safe",
        "1. I will keep my password private and never share it with anyone.",
        "2. I will lock my screen whenever I leave my device.",
        "Data protection",
        "3. I will report any loss of personal data at once to Dana Protector (dpo@trust.example).",
        "Links with other policies",
        "Full name (printed)",
        "Signature",
        "Job title or role",
        "Page 1 of",
    ] {
        assert!(staff.contains(expected), "missing {expected:?} in:\n{staff}");
    }
    let beta = squash(&pdf_text(&project.path().join("out/beta/aup-staff.pdf")));
    for expected in [
        "a) I will use a passphrase of at least four words and keep it to myself.",
        "b) I will return class tablets to the charging trolley at the end of each day.",
        "c) I will report any loss of personal data at once to Bo Local (bo@beta.example).",
        "Headteacher or deputy (printed)",
    ] {
        assert!(beta.contains(expected), "missing {expected:?} in:\n{beta}");
    }
    assert!(
        !beta.contains("lock my screen"),
        "excluded clause printed:\n{beta}"
    );
    let ks2 = squash(&pdf_text(&project.path().join("out/alpha/aup-ks2.pdf")));
    for expected in [
        "My technology promise",
        "Staying safe",
        "• I will keep my password secret.",
        "• I will tell a trusted adult if something online upsets me.",
        "My name",
        "My class",
        "Parent or carer's signature",
    ] {
        assert!(ks2.contains(expected), "missing {expected:?} in:\n{ks2}");
    }
}

#[test]
fn document_id_is_printed_in_pdf_and_html_and_matches_the_manifest() {
    let project = fixture("basic");
    assert!(run_in(project.path(), &["build"]).status.success());
    let manifest: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(project.path().join("out/manifest.json")).unwrap(),
    )
    .unwrap();
    let docs = manifest["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4);
    for doc in docs {
        let id = doc["doc_id"].as_str().unwrap();
        assert_eq!(id.len(), 9, "{id}");
        let pdf = doc["outputs"]["pdf"]["path"].as_str().unwrap();
        let html = doc["outputs"]["html"]["path"].as_str().unwrap();
        let text = pdf_text(&project.path().join("out").join(pdf));
        assert!(
            text.contains(&format!("Document ID {id}")),
            "{pdf} lacks {id}"
        );
        let page = fs::read_to_string(project.path().join("out").join(html)).unwrap();
        assert!(
            page.contains(&format!("Document ID {id}")),
            "{html} lacks {id}"
        );
    }
    let ids: std::collections::BTreeSet<&str> =
        docs.iter().map(|d| d["doc_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4, "every document has its own id");
}

#[test]
fn html_pages_are_self_contained_and_indexed() {
    let project = fixture("basic");
    assert!(run_in(project.path(), &["build"]).status.success());
    let out = project.path().join("out");
    let page = fs::read_to_string(out.join("beta/aup-staff.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
    assert!(page.contains("<style>") && page.contains("@media print"));
    assert!(
        !page.contains("<link rel=\"stylesheet\""),
        "no external CSS"
    );
    assert!(!page.contains("<script"), "no scripts");
    let pack = fs::read_to_string(out.join("beta/index.html")).unwrap();
    assert!(pack.contains("href=\"aup-staff.pdf\"") && pack.contains("href=\"aup-ks2.html\""));
    let trust = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        trust.contains("href=\"alpha/index.html\"") && trust.contains("href=\"beta/index.html\"")
    );
    assert!(trust.contains("Fixture Learning Trust"));
}

#[test]
fn a_rebuild_with_no_changes_writes_nothing() {
    let project = fixture("basic");
    assert!(run_in(project.path(), &["build"]).status.success());
    let output = run_in(project.path(), &["build"]);
    let (stdout, _) = texts(&output);
    assert!(
        stdout.starts_with("up to date: 4 documents, nothing changed"),
        "{stdout}"
    );
    let forced = run_in(project.path(), &["build", "--force"]);
    let (stdout, _) = texts(&forced);
    assert!(
        stdout.contains("built 4 of 4 documents (0 up to date): 0 files written, 12 unchanged"),
        "{stdout}"
    );
}

#[test]
fn school_audience_and_format_filters() {
    let project = fixture("basic");
    let output = run_in(
        project.path(),
        &[
            "build",
            "--school",
            "beta",
            "--audience",
            "ks2",
            "--format",
            "pdf",
        ],
    );
    assert!(output.status.success(), "{:?}", texts(&output));
    let out = project.path().join("out");
    assert!(out.join("beta/aup-ks2.pdf").exists());
    assert!(!out.join("beta/aup-ks2.html").exists());
    assert!(!out.join("beta/aup-staff.pdf").exists());
    assert!(!out.join("alpha").exists());
}

#[test]
fn the_bundled_example_builds_every_expected_output() {
    let project = fixture("example");
    let out = tempfile::tempdir().unwrap();
    let output = run_in(
        project.path(),
        &["build", "--out", out.path().to_str().unwrap()],
    );
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let schools = fs::read_dir(project.path().join("schools"))
        .unwrap()
        .flatten();
    let mut expected = 0;
    for entry in schools {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(".yaml") else {
            continue;
        };
        if id.starts_with('_') {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let trust: serde_yaml::Value = serde_yaml::from_str(
            &fs::read_to_string(project.path().join("schools/_trust.yaml")).unwrap(),
        )
        .unwrap();
        let audiences = yaml.get("audiences").or(trust.get("audiences")).unwrap();
        for audience in audiences.as_sequence().unwrap() {
            let audience = audience.as_str().unwrap();
            // Applicants read the privacy notice only.
            if audience == "applicant" {
                continue;
            }
            for ext in ["pdf", "html"] {
                let path = out.path().join(format!("{id}/aup-{audience}.{ext}"));
                assert!(path.is_file(), "missing {}", path.display());
                assert!(
                    fs::metadata(&path).unwrap().len() > 1000,
                    "{} is too small",
                    path.display()
                );
                expected += 1;
            }
        }
        assert!(out.path().join(format!("{id}/index.html")).is_file());
    }
    assert!(
        expected >= 30,
        "the example has at least 15 documents, found {}",
        expected / 2
    );
    assert!(out.path().join("index.html").is_file());
    assert!(out.path().join("manifest.json").is_file());
}

#[test]
fn changing_a_staff_only_clause_rebuilds_only_staff_documents() {
    let project = fixture("basic");
    assert!(run_in(project.path(), &["build"]).status.success());
    let clause = project.path().join("clauses/core/lock-screen.md");
    let text = fs::read_to_string(&clause)
        .unwrap()
        .replace("lock my screen", "lock my screen at once");
    fs::write(&clause, text).unwrap();
    let output = run_in(project.path(), &["build"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("built 1 of 4 documents (3 up to date)"),
        "{stdout}"
    );
    let wrote: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("  wrote"))
        .collect();
    assert!(
        wrote.contains(&"  wrote out/alpha/aup-staff.pdf"),
        "{stdout}"
    );
    assert!(
        wrote.iter().all(|l| !l.contains("ks2")),
        "pupil documents were rebuilt:\n{stdout}"
    );
    // beta excludes lock-screen, so its staff document is untouched too.
    assert!(
        wrote.iter().all(|l| !l.contains("beta/aup-staff")),
        "{stdout}"
    );
    let text = squash(&pdf_text(&project.path().join("out/alpha/aup-staff.pdf")));
    assert!(text.contains("lock my screen at once"), "{text}");
}

#[test]
fn a_damaged_output_is_rebuilt() {
    let project = fixture("basic");
    assert!(run_in(project.path(), &["build"]).status.success());
    let pdf = project.path().join("out/beta/aup-ks2.pdf");
    fs::write(&pdf, b"truncated").unwrap();
    let output = run_in(project.path(), &["build"]);
    let (stdout, _) = texts(&output);
    assert!(
        stdout.contains("built 1 of 4 documents (3 up to date)"),
        "{stdout}"
    );
    assert!(fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn two_builds_in_different_places_are_byte_identical() {
    let first = fixture("basic");
    let second = fixture("basic");
    let out_a = tempfile::tempdir().unwrap();
    let out_b = tempfile::tempdir().unwrap();
    assert!(run_in(
        first.path(),
        &["build", "--out", out_a.path().to_str().unwrap()]
    )
    .status
    .success());
    let output = policyc()
        .args([
            "build",
            "--jobs",
            "1",
            "--project",
            second.path().to_str().unwrap(),
            "--out",
            out_b.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let files = |root: &std::path::Path| {
        let mut found = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if !entry.file_name().to_string_lossy().starts_with('.') {
                    found.push(path.strip_prefix(root).unwrap().to_path_buf());
                }
            }
        }
        found.sort();
        found
    };
    let (a, b) = (files(out_a.path()), files(out_b.path()));
    assert_eq!(a, b);
    assert_eq!(a.len(), 12);
    for rel in &a {
        assert_eq!(
            fs::read(out_a.path().join(rel)).unwrap(),
            fs::read(out_b.path().join(rel)).unwrap(),
            "{} differs",
            rel.display()
        );
    }
}

#[test]
fn source_date_epoch_sets_the_pdf_date() {
    let project = fixture("basic");
    let output = policyc()
        .args(["build", "--format", "pdf", "--school", "alpha"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .current_dir(project.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let bytes = fs::read(project.path().join("out/alpha/aup-staff.pdf")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("2023-11-14"),
        "the XMP date follows SOURCE_DATE_EPOCH"
    );
}

#[test]
fn json_summary_reports_counts() {
    let project = fixture("basic");
    let output = run_in(project.path(), &["build", "--format", "pdf,html,json"]);
    let (stdout, _) = texts(&output);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["documents"], 4);
    assert_eq!(report["built"], 4);
    assert_eq!(report["skipped"], 0);
    assert_eq!(report["failed"], 0);
    assert!(project.path().join("out/alpha/aup-staff.pdf").exists());
}

#[test]
fn a_school_removed_from_the_project_loses_its_outputs() {
    let project = fixture("basic");
    assert!(run_in(project.path(), &["build"]).status.success());
    fs::remove_file(project.path().join("schools/beta.yaml")).unwrap();
    fs::remove_dir_all(project.path().join("schools/beta")).unwrap();
    let output = run_in(project.path(), &["build"]);
    let (stdout, _) = texts(&output);
    assert!(
        stdout.contains("  removed out/beta/aup-staff.pdf"),
        "{stdout}"
    );
    assert!(!project.path().join("out/beta/aup-staff.pdf").exists());
    let manifest = fs::read_to_string(project.path().join("out/manifest.json")).unwrap();
    assert!(!manifest.contains("\"school\": \"beta\""));
}

/// Documents with a slip beside them are up to date on the next build like
/// any other: the manifest trusts their slip as it trusts their PDF.
#[test]
fn documents_with_slips_are_up_to_date_on_the_next_build() {
    let project = fixture("example");
    let first = run_in(project.path(), &["build"]);
    assert!(first.status.success(), "{:?}", texts(&first));
    let manifest: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(project.path().join("out/manifest.json")).unwrap(),
    )
    .unwrap();
    let documents = manifest["documents"].as_array().unwrap();
    let with_slips = documents
        .iter()
        .filter(|d| d["outputs"].get("slip.pdf").is_some())
        .count();
    assert!(with_slips >= 5, "the example's pupils sign slips");
    let again = run_in(project.path(), &["build"]);
    let (stdout, _) = texts(&again);
    assert!(
        stdout.starts_with(&format!(
            "up to date: {} documents, nothing changed",
            documents.len()
        )),
        "{stdout}"
    );
}
