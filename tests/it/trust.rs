//! Documents of the trust itself and what a header names: the example's
//! `trust.documents` built into `out/kestrel-valley/` with its own pack,
//! IDs, manifest records, sign-off and first place in the trust index, and
//! `masthead: trust | none` in the PDF and the web page.

use std::fs;

use crate::support::*;

#[test]
fn a_trust_builds_its_own_documents_with_its_own_pack_ids_and_sign_off() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let pack = out.path().join("kestrel-valley");
    assert_eq!(
        file_names(&pack),
        [
            "aup-staff.html",
            "aup-staff.pdf",
            "changes.html",
            "hybrid-working-staff.html",
            "hybrid-working-staff.pdf",
            "index.html",
        ]
    );
    // Headed with the trust's name and agreed by its own committee, with
    // the trust's own clauses, from schools/_trust/clauses/.
    let pdf = page_texts(&pack.join("hybrid-working-staff.pdf")).join(" ");
    in_order(
        &pdf,
        &[
            "Kestrel Valley Learning Trust",
            "Working away from the office",
            "Date agreed by the HR Committee: 8 July 2026.",
            "I will do trust work on the laptop and phone the trust issued me",
            "Gatehouse Remote Desktop",
            "Document ID",
        ],
    );
    // Said once: the trust's name is the pack's, with no second line of
    // it under it.
    let first = &page_texts(&pack.join("aup-staff.pdf"))[0];
    let header = first.split("Acceptable use agreement").next().unwrap();
    assert_eq!(header.trim(), "Kestrel Valley Learning Trust", "{first}");
    // The trust's own policy and clauses reach no school's documents.
    let school = page_texts(&out.path().join("wrenfold/aup-staff.pdf")).join(" ");
    assert!(!school.contains("trust work on the laptop"), "{school}");
    assert!(!out
        .path()
        .join("wrenfold/hybrid-working-staff.pdf")
        .exists());
    // Document IDs and manifest records like a school's.
    let manifest = fs::read_to_string(out.path().join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let own: Vec<&serde_json::Value> = manifest["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["school"] == "kestrel-valley")
        .collect();
    assert_eq!(own.len(), 2, "{own:?}");
    assert!(own
        .iter()
        .all(|d| d["trust_own"] == true && d["doc_id"].as_str().unwrap().len() == 9));
    // First in the trust index, marked as the trust's own.
    let index = fs::read_to_string(out.path().join("index.html")).unwrap();
    in_order(
        &index,
        &[
            "5 schools and the trust's own documents",
            "kestrel-valley/index.html",
            "(the trust's own documents)",
            "copperbeck/index.html",
        ],
    );
    let pack_index = fs::read_to_string(pack.join("index.html")).unwrap();
    assert!(
        pack_index.contains("Working away from the office"),
        "{pack_index}"
    );
    // Sign-off: the central team's roster, like a school's.
    let people = project.path().join("people/kestrel-valley");
    fs::create_dir_all(&people).unwrap();
    fs::write(
        people.join("roster.csv"),
        "name,audience,role\nOlwen Testperson,staff,Finance officer\n",
    )
    .unwrap();
    let output = run_in(
        project.path(),
        &["signoff", "status", "--school", "kestrel-valley"],
    );
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("kestrel-valley"), "{stdout}");
    assert!(stdout.contains("0 of 1"), "{stdout}");
}

#[test]
fn a_masthead_names_the_trust_or_nobody_in_both_formats() {
    let project = fixture("example");
    let school = project.path().join("schools/oakhollow.yaml");
    let text = fs::read_to_string(&school).unwrap();
    let header = |out: &std::path::Path| {
        // The header: what stands above the title.
        let first = page_texts(&out.join("oakhollow/aup-staff.pdf"))[0].clone();
        let head = first
            .split("Acceptable use agreement")
            .next()
            .unwrap()
            .to_string();
        let html = fs::read_to_string(out.join("oakhollow/aup-staff.html")).unwrap();
        // The names in the masthead, after the logo (whose alt text
        // names the school, as it should).
        let masthead = html
            .split("<header class=\"masthead\">")
            .nth(1)
            .and_then(|h| h.split("</header>").next())
            .unwrap();
        let masthead: String = masthead
            .lines()
            .filter(|l| !l.starts_with("<img"))
            .collect();
        (head, masthead)
    };
    let before = build_to_temp(project.path());
    let (pdf, html) = header(before.path());
    assert!(
        pdf.contains("Oakhollow Junior School") && pdf.contains("Kestrel Valley Learning Trust"),
        "{pdf}"
    );
    assert!(
        html.contains("Oakhollow Junior School") && html.contains("Kestrel Valley Learning Trust"),
        "{html}"
    );

    fs::write(&school, format!("{text}\nmasthead: trust\n")).unwrap();
    let trust = build_to_temp(project.path());
    let (pdf, html) = header(trust.path());
    assert!(pdf.starts_with("Kestrel Valley Learning Trust"), "{pdf}");
    assert!(!pdf.contains("Oakhollow Junior School"), "{pdf}");
    assert!(
        html.contains("Kestrel Valley Learning Trust") && !html.contains("Oakhollow"),
        "{html}"
    );

    fs::write(&school, format!("{text}\nmasthead: none\n")).unwrap();
    let none = build_to_temp(project.path());
    let (pdf, html) = header(none.path());
    assert!(
        !pdf.contains("Oakhollow Junior School") && !pdf.contains("Learning Trust"),
        "{pdf}"
    );
    assert!(
        !html.contains("Oakhollow Junior School") && !html.contains("Learning Trust"),
        "{html}"
    );
    // The logo stays; the body's text keeps the school's name.
    let page = fs::read_to_string(none.path().join("oakhollow/aup-staff.html")).unwrap();
    assert!(page.contains("<header class=\"masthead\">\n<img"), "{page}");
    let body = page_texts(&none.path().join("oakhollow/aup-staff.pdf")).join(" ");
    assert!(
        body.contains("Oakhollow Junior School provides technology"),
        "{body}"
    );
}
