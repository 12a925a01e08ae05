//! Booklets as a reader and a build see them: the bundled example's
//! Thistlecombe booklet holds its preamble and then every agreement exactly
//! as each is printed alone; the pack index links it; a build keeps it while
//! nothing in it changes, rebuilds it when an agreement changes and removes
//! it when the school stops asking for it; a hostile preamble stays text.

use std::fs;
use std::path::Path;

use crate::support::*;

const BOOKLET: &str = "thistlecombe/aup.booklet.pdf";

/// A page's text without what differs between a booklet and a document
/// printed alone: "Page X of Y" and the page numbers of a contents list.
fn without_page_numbers(page: &str) -> String {
    let words: Vec<&str> = page.split_whitespace().collect();
    let mut kept = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let number = |w: &str| {
            let w = w.trim_matches('\u{2060}');
            !w.is_empty() && w.chars().all(|c| c.is_ascii_digit())
        };
        if words[i] == "Page" && words.get(i + 2) == Some(&"of") {
            i += 4;
        } else if words[i].chars().all(|c| c == '.') {
            i += 1;
            if words.get(i).is_some_and(|w| number(w)) {
                i += 1;
            }
        } else {
            kept.push(words[i].trim_matches('\u{2060}'));
            i += 1;
        }
    }
    kept.join(" ")
}

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// The booklet record of Thistlecombe's `aup`, if the manifest has one.
fn booklet_record(out: &Path) -> Option<serde_json::Value> {
    manifest(out)["booklets"]
        .as_array()
        .and_then(|list| list.iter().find(|b| b["school"] == "thistlecombe").cloned())
}

#[test]
fn a_booklet_holds_its_preamble_then_each_agreement_as_printed_alone() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let booklet = page_texts(&out.path().join(BOOKLET));
    let audiences = ["staff", "volunteer", "ks2", "ks1"];
    let alone: Vec<Vec<String>> = audiences
        .iter()
        .map(|a| page_texts(&out.path().join(format!("thistlecombe/aup-{a}.pdf"))))
        .collect();
    let agreement_pages: usize = alone.iter().map(Vec::len).sum();
    let preamble = booklet.len() - agreement_pages;
    assert_eq!(preamble, 1, "the preamble is one page: {booklet:#?}");
    let record = booklet_record(out.path()).expect("a booklet record");
    let booklet_id = record["doc_id"].as_str().unwrap();
    in_order(
        &booklet[0],
        &[
            "Online safety policy",
            "The policy, and the agreement each reader signs, at Thistlecombe",
            "Purpose",
            "Contents",
            "Who does what",
            "Acceptable use agreement — Staff",
            "Acceptable use agreement — Volunteers",
            "My technology promises — Key Stage 2 pupils",
            "Our SPARKS rules for computers and tablets — Key Stage 1 pupils",
            "Reporting a concern",
            "Mrs Eleri Vossberg",
            &format!("Policy and agreements · Version 2026.1 · Document ID {booklet_id}"),
            &format!("Page 1 of {}", booklet.len()),
        ],
    );
    // The contents list gives the page each agreement starts on.
    let entry = booklet[0]
        .split("Acceptable use agreement — Staff")
        .nth(1)
        .and_then(|rest| rest.split("Acceptable use agreement — Volunteers").next())
        .unwrap_or_default();
    assert!(
        entry.trim().trim_matches('\u{2060}').ends_with(". 2")
            || entry.trim().ends_with(".\u{2060}2"),
        "the staff agreement starts on page 2: {entry:?}"
    );
    // Each agreement follows, page for page the document printed alone.
    let mut page = preamble;
    for (audience, pages) in audiences.iter().zip(&alone) {
        for (n, own) in pages.iter().enumerate() {
            assert_eq!(
                without_page_numbers(&booklet[page]),
                without_page_numbers(own),
                "page {} of the booklet is page {} of the {audience} agreement",
                page + 1,
                n + 1
            );
            assert!(
                booklet[page].contains(&format!("Page {} of {}", page + 1, booklet.len())),
                "pages are numbered through the booklet: {}",
                booklet[page]
            );
            page += 1;
        }
    }
    assert_eq!(
        record["audiences"],
        serde_json::json!(["staff", "volunteer", "ks2", "ks1"])
    );
    assert_eq!(record["output"]["path"], BOOKLET);
    let pack = fs::read_to_string(out.path().join("thistlecombe/index.html")).unwrap();
    assert!(
        pack.contains(r#"<a href="aup.booklet.pdf">Online safety policy (PDF)</a>"#),
        "{pack}"
    );
    assert!(pack.contains(&format!("<code>{booklet_id}</code>")));
}

#[test]
fn a_booklet_is_kept_rebuilt_and_removed_as_its_parts_change() {
    let project = fixture("example");
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    let build = || {
        let output = run_in(project.path(), &["build", "--out", out_arg]);
        assert!(output.status.success(), "{:?}", texts(&output));
        texts(&output)
    };
    build();
    let first = booklet_record(out.path()).expect("a booklet record");

    // Another school changes: the build runs, but nothing in the booklet
    // changed, so it is not written again.
    edit_file(
        &project.path().join("schools/wrenfold.yaml"),
        &[(
            "motto: Every gift given, every gift grown",
            "motto: Every gift given, every gift shared",
        )],
    );
    let (stdout, stderr) = build();
    let log = format!("{stdout}{stderr}");
    assert!(log.contains("wrenfold/aup-staff.pdf"), "{log}");
    assert!(log.contains(" and 0 of 2 booklets:"), "{log}");
    assert!(!log.contains("aup.booklet.pdf"), "{log}");
    assert_eq!(booklet_record(out.path()).as_ref(), Some(&first));

    // A school's own clause in the KS1 agreement changes: the booklet is
    // rebuilt, and its ID changes with the agreement's.
    let school = project.path().join("schools/thistlecombe.yaml");
    let edited = edit_file(
        &school,
        &[(
            "ks1: We look after each other on computers and tablets too.",
            "ks1: We look after each other on every computer and tablet.",
        )],
    );
    let (stdout, stderr) = build();
    let log = format!("{stdout}{stderr}");
    assert!(log.contains(" and 1 of 2 booklets:"), "{log}");
    assert!(log.contains("aup.booklet.pdf"), "{log}");
    let second = booklet_record(out.path()).expect("a booklet record");
    assert_ne!(first["doc_id"], second["doc_id"]);
    let ks1 = page_texts(&out.path().join(BOOKLET))
        .last()
        .cloned()
        .unwrap();
    assert!(ks1.contains("every computer and tablet"), "{ks1}");

    // Building some audiences only leaves the booklet as it was.
    let output = run_in(
        project.path(),
        &["build", "--out", out_arg, "--audience", "staff"],
    );
    assert!(output.status.success(), "{:?}", texts(&output));
    assert_eq!(booklet_record(out.path()), Some(second));
    assert!(out.path().join(BOOKLET).is_file());

    // The school no longer asks for a booklet: it goes.
    let without = edited.split("\nbooklets:").next().unwrap().to_string();
    fs::write(&school, without).unwrap();
    let (stdout, stderr) = build();
    assert!(
        format!("{stdout}{stderr}").contains("removed"),
        "{stdout}{stderr}"
    );
    assert!(!out.path().join(BOOKLET).exists());
    assert_eq!(booklet_record(out.path()), None);
    let pack = fs::read_to_string(out.path().join("thistlecombe/index.html")).unwrap();
    assert!(!pack.contains("booklet"), "{pack}");
}

#[test]
fn a_hostile_booklet_title_and_preamble_stay_text() {
    let project = fixture("example");
    edit_file(
        &project.path().join("schools/thistlecombe.yaml"),
        &[
            (
                "title: Online safety policy",
                "title: '#set page(width: 1pt) <script>alert(1)</script>'",
            ),
            (
                "heading: Purpose",
                "heading: '#pagebreak() ]] #{ panic() }'",
            ),
        ],
    );
    let out = build_to_temp(project.path());
    let booklet = page_texts(&out.path().join(BOOKLET));
    in_order(
        &booklet[0],
        &[
            "#set page(width: 1pt) <script>alert(1)</script>",
            "#pagebreak() ]] #{ panic() }",
        ],
    );
    let pack = fs::read_to_string(out.path().join("thistlecombe/index.html")).unwrap();
    assert!(!pack.contains("<script>alert"), "{pack}");
    assert!(pack.contains("&lt;script&gt;alert(1)"), "{pack}");
}

#[test]
fn a_two_sided_booklet_starts_each_agreement_on_a_right_hand_page() {
    let project = fixture("example");
    edit_file(
        &project.path().join("schools/thistlecombe.yaml"),
        &[(
            "    title: Online safety policy\n",
            "    title: Online safety policy\n    two_sided: true\n",
        )],
    );
    let out = build_to_temp(project.path());
    let booklet = page_texts(&out.path().join(BOOKLET));
    let mut next = 2; // the preamble is page 1
    for audience in ["staff", "volunteer", "ks2", "ks1"] {
        let own = page_texts(&out.path().join(format!("thistlecombe/aup-{audience}.pdf")));
        if next % 2 == 0 {
            assert_eq!(booklet[next - 1], "", "page {next} is left blank");
            next += 1;
        }
        assert_eq!(
            without_page_numbers(&booklet[next - 1]),
            without_page_numbers(&own[0]),
            "the {audience} agreement starts on page {next}"
        );
        next += own.len();
    }
    assert_eq!(next - 1, booklet.len());
}

#[test]
fn a_form_set_compact_to_fit_one_sheet_is_compact_in_a_booklet_too() {
    let project = fixture("example");
    let school = project.path().join("schools/wrenfold.yaml");
    let mut text = fs::read_to_string(&school).unwrap();
    text.push_str("\nbooklets:\n  aup:\n    audiences: [ks2]\n");
    fs::write(&school, text).unwrap();
    let out = build_to_temp(project.path());
    let alone = page_texts(&out.path().join("wrenfold/aup-ks2.pdf"));
    assert_eq!(alone.len(), 1, "Wrenfold's KS2 promises fit one sheet");
    let booklet = page_texts(&out.path().join("wrenfold/aup.booklet.pdf"));
    assert_eq!(booklet.len(), 2, "the preamble, then the one-page promises");
    assert_eq!(
        without_page_numbers(&booklet[1]),
        without_page_numbers(&alone[0])
    );
}
