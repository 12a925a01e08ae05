//! `policyc build` end to end on the fixture project and the bundled example.

mod support;

use std::fs;

use support::*;

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
        ]
    );
    assert!(
        stdout.contains("built 4 documents: 12 files written, 0 unchanged"),
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
    assert!(stdout.contains("0 files written, 12 unchanged"), "{stdout}");
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
