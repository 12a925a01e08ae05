//! Documents composed from blocks, as a reader sees them: the bundled
//! example's Thistlecombe agreement in its own order and numbers, in the
//! PDF and the HTML; short pupil forms on one sheet with the whole document
//! ID in every footer; and a block's hostile text kept as text.

use std::fs;

use crate::support::*;

#[test]
fn a_composed_agreement_reads_in_the_school_s_own_order_and_numbers() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let pdf = page_texts(&out.path().join("thistlecombe/aup-staff.pdf")).join(" ");
    in_order(
        &pdf,
        &[
            "At Thistlecombe every adult shares one job",
            "Contents",
            "1. Why we have this agreement",
            "5.4 Email",
            "13. Agreement form",
            "Thistlecombe Church of England Primary School provides technology",
            "1. Why we have this agreement",
            "2. What this agreement covers",
            "2.1",
            "3. Accounts, devices and security",
            "The trust's IT team looks after our accounts",
            "5. Contact, conduct and social media",
            "Most slips with personal information",
            "5.1",
            "5.4 Email",
            "5.4.1",
            "a. check every address",
            "i. that an address filled in",
            "ii. that a parent's address",
            "b. send personal information",
            "5.4.2",
            "5.5 Messaging",
            "5.6 Social media",
            "10. Training",
            "11. Incidents and breaches",
            "12. Links with other policies",
            "13. Agreement form",
            "Full name (printed)",
        ],
    );
    // The contents list gives each heading's page.
    assert!(
        pdf.contains("5.4 Email . "),
        "contents with page numbers: {pdf}"
    );
    let volunteer = page_texts(&out.path().join("thistlecombe/aup-volunteer.pdf")).join(" ");
    assert!(
        !volunteer.contains("Training"),
        "training is for staff only"
    );
    in_order(&volunteer, &["Incidents and breaches", "Agreement form"]);

    let html = fs::read_to_string(out.path().join("thistlecombe/aup-staff.html")).unwrap();
    in_order(
        &html,
        &[
            r#"<section id="prose-statement">"#,
            r#"<nav class="contents" aria-labelledby="contents-heading">"#,
            r##"<a href="#prose-context">1. Why we have this agreement</a>"##,
            r##"<a href="#tc-email">5.4 Email</a>"##,
            r##"<a href="#signature-heading">13. Agreement form</a>"##,
            "<h2>1. Why we have this agreement</h2>",
            r#"<section id="section-communication">"#,
            "<h3>5.4 Email</h3>",
            r#"<span class="label">5.4.1</span>"#,
            r#"<ol class="marked">"#,
            r#"<span class="marker">a.</span>"#,
            r#"<span class="marker">i.</span>"#,
            "<h2>10. Training</h2>",
            r#"<h2 id="signature-heading">13. Agreement form</h2>"#,
        ],
    );
}

#[test]
fn pupil_forms_fit_one_sheet_and_every_footer_carries_the_whole_id() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let mut checked = 0;
    for school in fs::read_dir(out.path()).unwrap().flatten() {
        for audience in ["ks1", "ks2"] {
            let path = school.path().join(format!("aup-{audience}.pdf"));
            if !path.exists() {
                continue;
            }
            let pages = page_texts(&path);
            // KS2's promises at Wrenfold and Copperbeck fit one sheet only
            // when set compact: a short form never spills onto a second.
            assert_eq!(pages.len(), 1, "{} is not one page", path.display());
            let id = pages[0]
                .split("Document ID ")
                .nth(1)
                .and_then(|rest| rest.get(..9))
                .unwrap_or_else(|| panic!("{}: no document ID", path.display()))
                .to_string();
            for (n, page) in pages.iter().enumerate() {
                assert!(
                    page.contains(&format!(
                        "Document ID {id} Page {} of {}",
                        n + 1,
                        pages.len()
                    )),
                    "{} page {}: the footer carries the whole ID {id}: {page}",
                    path.display(),
                    n + 1
                );
            }
            let last = pages.last().unwrap();
            let before_promise = last.split("My promise").next().unwrap_or("");
            assert!(
                before_promise.contains('•')
                    || before_promise.contains("Our rules")
                    || pages.len() == 1,
                "{}: the signature block stands alone on its last page: {last}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 7, "only {checked} pupil forms found");
    // The table's rows in content order (what the PDF's tags follow; the
    // layout mode reads the column of letters first).
    let raw = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(out.path().join("thistlecombe/aup-ks1.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let ks1 = squash(&String::from_utf8_lossy(&raw.stdout));
    in_order(
        &ks1,
        &[
            "Our rules",
            "S I keep my password a secret.",
            "P I keep my name",
            "My promise",
        ],
    );
}

#[test]
fn a_block_s_hostile_text_stays_text() {
    let project = fixture("example");
    edit_file(
        &project.path().join("schools/thistlecombe.yaml"),
        &[(
            "heading: Training",
            "heading: '#set page(width: 1pt) </h2><script>alert(1)</script>'",
        )],
    );
    let out = build_to_temp(project.path());
    let pdf = page_texts(&out.path().join("thistlecombe/aup-staff.pdf")).join(" ");
    assert!(
        pdf.contains("10. #set page(width: 1pt) </h2><script>alert(1)</script>"),
        "{pdf}"
    );
    let html = fs::read_to_string(out.path().join("thistlecombe/aup-staff.html")).unwrap();
    assert!(html.contains(
        "<h2>10. #set page(width: 1pt) &lt;&#x2f;h2&gt;&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</h2>"
    ));
    assert!(!html.contains("<script>alert(1)"));
}

#[test]
fn a_trust_s_own_policy_reaches_its_schools_and_a_school_s_only_that_school() {
    let project = fixture("basic");
    let root = project.path();
    let trust = root.join("schools/_trust/policies");
    fs::create_dir_all(&trust).unwrap();
    fs::write(
        trust.join("devices.yaml"),
        "title: Device loan agreement\naudiences: [staff]\nagreement: I will look after the device.\nsections:\n  - id: loans\n    heading: Borrowing a device\n",
    )
    .unwrap();
    let own = root.join("schools/alpha/policies");
    fs::create_dir_all(&own).unwrap();
    fs::write(
        own.join("trips.yaml"),
        "title: Trips agreement\naudiences: [staff]\nagreement: I will follow it on trips.\nblocks:\n  - section: { id: trips, heading: On a trip }\n  - agreement: { numbered: true }\n",
    )
    .unwrap();
    let clauses = root.join("schools/alpha/clauses");
    fs::create_dir_all(&clauses).unwrap();
    let library = root.join("clauses/core");
    for (dir, id, section, text) in [
        (
            &library,
            "loan-care",
            "loans",
            "I will keep the loaned laptop with me.",
        ),
        (
            &clauses,
            "trip-phone",
            "trips",
            "I will carry the trip phone.",
        ),
    ] {
        fs::write(
            dir.join(format!("{id}.md")),
            format!(
                "---\nid: {id}\nsection: {section}\norder: 10\naudiences: [staff]\n---\n{text}\n"
            ),
        )
        .unwrap();
    }
    let out = build_to_temp(root);
    let alpha_trips = page_texts(&out.path().join("alpha/trips-staff.pdf")).join(" ");
    in_order(
        &alpha_trips,
        &[
            "Trips agreement",
            "On a trip",
            "1. I will carry the trip phone.",
            "1. Agreement and signature",
        ],
    );
    let alpha_loans = page_texts(&out.path().join("alpha/devices-staff.pdf")).join(" ");
    in_order(
        &alpha_loans,
        &[
            "Device loan agreement",
            "Borrowing a device",
            "I will keep the loaned laptop",
        ],
    );
    assert!(
        out.path().join("beta/devices-staff.pdf").exists(),
        "the trust's policy reaches beta"
    );
    assert!(
        !out.path().join("beta/trips-staff.pdf").exists(),
        "alpha's own policy stays with alpha"
    );
    assert!(
        !out.path().join("alpha/trips-ks2.pdf").exists(),
        "written for staff only"
    );
}

#[test]
fn one_document_for_volunteers_and_visitors_marks_what_is_for_whom() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let pdf = page_texts(&out.path().join("copperbeck/aup-helpers.pdf")).join(" ");
    in_order(
        &pdf,
        &[
            "For volunteers and visitors at Copperbeck Primary Academy",
            "Where a point is only for volunteers or only for visitors, it says so.",
            "For volunteers only",
            "For visitors only",
            "Full name (printed)",
            "Signing as (circle one): Volunteers / Visitors",
            "Organisation",
        ],
    );
    let html = fs::read_to_string(out.path().join("copperbeck/aup-helpers.html")).unwrap();
    assert!(html.contains(r#"<p class="only">For visitors only</p>"#));
    assert!(!out.path().join("copperbeck/aup-visitor.pdf").exists());

    // A label that starts with the audiences starts a sentence with them.
    let school = project.path().join("schools/copperbeck.yaml");
    let text = fs::read_to_string(&school).unwrap();
    let text = text.replace(
        "\nlabels:\n",
        "\nlabels:\n  only_for: \"{audiences} only\"\n",
    );
    fs::write(&school, text).unwrap();
    let out = build_to_temp(project.path());
    let html = fs::read_to_string(out.path().join("copperbeck/aup-helpers.html")).unwrap();
    assert!(
        html.contains(r#"<p class="only">Visitors only</p>"#),
        "{html}"
    );
    assert!(html.contains(r#"<p class="only">Volunteers only</p>"#));
}

#[test]
fn an_empty_heading_label_means_no_heading_in_both_formats() {
    let project = fixture("example");
    let school = project.path().join("schools/wrenfold.yaml");
    let mut text = fs::read_to_string(&school).unwrap();
    text.push_str("\nlabels:\n  agreement_heading: \"\"\n  countersign_heading: \"\"\n  rules_heading: \"\"\n  linked_policies_heading: \"\"\n");
    fs::write(&school, text).unwrap();
    let out = build_to_temp(project.path());
    let staff = squash(&pdf_text(&out.path().join("wrenfold/aup-staff.pdf")));
    for heading in [
        "Agreement and signature",
        "Approval",
        "Links with other policies",
    ] {
        assert!(!staff.contains(heading), "{heading}: {staff}");
    }
    assert!(
        staff.contains("Full name (printed)"),
        "the fields stay: {staff}"
    );
    let poster = squash(&pdf_text(&out.path().join("wrenfold/aup-ks1.pdf")));
    assert!(!poster.contains("Our rules"), "{poster}");
    let page = fs::read_to_string(out.path().join("wrenfold/aup-staff.html")).unwrap();
    assert!(
        !page.contains("id=\"signature-heading\""),
        "no empty heading"
    );
    assert!(
        page.contains("<section class=\"signature\" aria-label=\"Signature\">"),
        "{page}"
    );
    assert!(!page.contains("<h2></h2>") && !page.contains("<h3></h3>"));
}

#[test]
fn a_newline_in_the_facts_breaks_the_line_in_both_formats_and_no_subtitle_leaves_no_gap() {
    let project = fixture("example");
    let school = project.path().join("schools/wrenfold.yaml");
    let mut text = fs::read_to_string(&school).unwrap();
    text.push_str(
        "\nlabels:\n  subtitle: \"\"\n  facts: \"Version {version}\\nAgreed on {approved_on}\"\n",
    );
    fs::write(&school, text).unwrap();
    let out = build_to_temp(project.path());
    let text = pdf_text(&out.path().join("wrenfold/aup-staff.pdf"));
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let title = lines.iter().position(|l| *l == "Acceptable use agreement");
    let after: Vec<&str> = title
        .map(|t| {
            lines[t + 1..]
                .iter()
                .copied()
                .filter(|l| !l.is_empty())
                .take(3)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        after,
        [
            "Every gift given, every gift grown",
            "Version 2026.1",
            "Agreed on 16 September 2026"
        ],
        "the motto takes the subtitle's line, and the facts take two: {lines:?}"
    );
    let page = fs::read_to_string(out.path().join("wrenfold/aup-staff.html")).unwrap();
    assert!(
        page.contains("<p class=\"meta facts\">Version 2026.1\nAgreed on 16 September 2026</p>")
            && page.contains("p.facts { white-space: pre-line; }"),
        "{page}"
    );
}

#[test]
fn signing_as_follows_the_name_wherever_the_school_puts_it_and_an_empty_label_removes_it() {
    let project = fixture("example");
    let school = project.path().join("schools/copperbeck.yaml");
    let text = fs::read_to_string(&school).unwrap();
    let reordered = text.replace(
        "\nsignature:\n",
        "\nsignature:\n  fields:\n    helpers: [signature, date, name, organisation]\n",
    );
    fs::write(&school, &reordered).unwrap();
    let out = build_to_temp(project.path());
    let html = fs::read_to_string(out.path().join("copperbeck/aup-helpers.html")).unwrap();
    in_order(
        &html,
        &[
            "<span>Signature</span>",
            "<span>Date</span>",
            "<span>Full name (printed)</span>",
            "<span>Signing as (circle one): Volunteers &#x2f; Visitors</span>",
            "<span>Organisation</span>",
        ],
    );
    fs::write(
        &school,
        reordered.replace("\nlabels:\n", "\nlabels:\n  field_signing_as: \"\"\n"),
    )
    .unwrap();
    let out = build_to_temp(project.path());
    let html = fs::read_to_string(out.path().join("copperbeck/aup-helpers.html")).unwrap();
    assert!(
        !html.contains("Volunteers &#x2f; Visitors"),
        "no row: {html}"
    );
    assert!(!html.contains("<span>: "), "no stray colon: {html}");
}

#[test]
fn the_countersignature_takes_the_school_s_field_order() {
    let project = fixture("example");
    let school = project.path().join("schools/wrenfold.yaml");
    let text = fs::read_to_string(&school).unwrap();
    assert!(text.contains("signature:\n"), "Wrenfold sets its signature");
    let edited = text.replacen(
        "signature:\n",
        "signature:\n  countersign_fields: [signature, date, name]\n",
        1,
    );
    fs::write(&school, edited).unwrap();
    let out = build_to_temp(project.path());
    let pdf = squash(&pdf_text(&out.path().join("wrenfold/aup-staff.pdf")));
    let counter = pdf.split("Approval").nth(1).unwrap_or_default().to_string();
    in_order(
        &counter,
        &["Signature", "Date", "Headteacher or deputy (printed)"],
    );
    let bad = text.replacen(
        "signature:\n",
        "signature:\n  countersign_fields: [signature, class]\n",
        1,
    );
    fs::write(&school, bad).unwrap();
    let output = run_in(project.path(), &["check"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("schools/wrenfold.yaml:") && stderr.contains("class"),
        "{stderr}"
    );
}

#[test]
fn a_contents_block_leaves_out_what_it_skips_in_both_formats() {
    let project = fixture("example");
    let school = project.path().join("schools/thistlecombe.yaml");
    edit_file(
        &school,
        &[(
            "block: { contents: { audiences: [staff] } }",
            "block: { contents: { audiences: [staff], skip: [context, agreement] } }",
        )],
    );
    let out = build_to_temp(project.path());
    let page = fs::read_to_string(out.path().join("thistlecombe/aup-staff.html")).unwrap();
    let nav = page
        .split("<nav class=\"contents\"")
        .nth(1)
        .unwrap_or_default();
    let nav = nav.split("</nav>").next().unwrap_or_default();
    assert!(
        !nav.contains("Why we have this agreement") && !nav.contains("#signature-heading"),
        "{nav}"
    );
    assert!(nav.contains("#section-"), "the sections stay: {nav}");
    assert!(
        page.contains("Why we have this agreement</h2>"),
        "the heading stays in the text"
    );
    let text = squash(&pdf_text(&out.path().join("thistlecombe/aup-staff.pdf")));
    let contents = text.split("Contents").nth(1).unwrap_or_default();
    let contents = contents
        .split("Why we have this agreement")
        .next()
        .unwrap_or_default();
    assert!(
        !contents.contains("Agreement and signature"),
        "the PDF's contents skip it too: {contents}"
    );
    edit_file(
        &school,
        &[(
            "block: { contents: { audiences: [staff], skip: [context, agreement] } }",
            "block: { intro: { skip: [values] } }",
        )],
    );
    let output = run_in(project.path(), &["check"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("error[bad-block]: `skip` belongs on a contents block"),
        "{stderr}"
    );
}

#[test]
fn a_trust_s_own_clauses_reach_every_school_that_extends_it_and_a_school_may_exclude_one() {
    let project = fixture("basic");
    add_trust_clause(project.path());
    let out = build_to_temp(project.path());
    let alpha = squash(&pdf_text(&out.path().join("alpha/aup-staff.pdf")));
    assert!(
        alpha.contains("I will report a fault to the trust's helpdesk"),
        "{alpha}"
    );
    let beta = squash(&pdf_text(&out.path().join("beta/aup-staff.pdf")));
    assert!(
        beta.contains("I will report a fault to the trust's helpdesk"),
        "{beta}"
    );

    // A school leaves it out as it would a library clause.
    let school = project.path().join("schools/beta.yaml");
    let text = fs::read_to_string(&school).unwrap();
    fs::write(
        &school,
        text.replace(
            "exclude: [lock-screen]",
            "exclude: [lock-screen, trust-helpdesk]",
        ),
    )
    .unwrap();
    let out = build_to_temp(project.path());
    let beta = squash(&pdf_text(&out.path().join("beta/aup-staff.pdf")));
    assert!(!beta.contains("helpdesk"), "{beta}");
    let alpha = squash(&pdf_text(&out.path().join("alpha/aup-staff.pdf")));
    assert!(alpha.contains("helpdesk"), "{alpha}");

    // Unless the trust locks it.
    let trust_file = project.path().join("schools/_trust.yaml");
    let text = fs::read_to_string(&trust_file).unwrap();
    fs::write(&trust_file, format!("{text}\nlocked: [trust-helpdesk]\n")).unwrap();
    let output = run_in(project.path(), &["check"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[locked-clause]"), "{stderr}");
}

/// The left edge of the text of each clause whose label `is_label`
/// accepts, by label, in reading order. A clause's text stands a list's
/// body indent (over 5pt) after its label; a heading's number, a contents
/// entry's or the footer's version only a space.
fn text_starts_after_labels(
    pdf: &std::path::Path,
    is_label: impl Fn(&str) -> bool,
) -> Vec<(String, f64)> {
    let boxes = word_boxes(pdf);
    boxes
        .windows(2)
        .filter(|w| is_label(&w[0].word) && (w[1].top - w[0].top).abs() < 1.0)
        .filter(|w| w[1].left - w[0].right > 5.0)
        .map(|w| (w[0].word.clone(), w[1].left))
        .collect()
}

/// Whether every start is the same, to a tenth of a point.
fn all_level(starts: &[(String, f64)]) -> bool {
    starts.iter().all(|(_, x)| (x - starts[0].1).abs() < 0.1)
}

#[test]
fn every_numbered_list_sizes_its_number_column_to_the_widest_label_in_the_document() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    // Copperbeck numbers staff clauses I. to XLIII. through the document,
    // in lists of a few clauses each: "XVIII." and "XXXVIII." once pushed
    // their own list's text to the right of the others'.
    let roman = |w: &str| {
        w.len() > 1 && w.ends_with('.') && w[..w.len() - 1].chars().all(|c| "IVXL".contains(c))
    };
    let starts = text_starts_after_labels(&out.path().join("copperbeck/aup-staff.pdf"), roman);
    let labels: Vec<&str> = starts.iter().map(|(l, _)| l.as_str()).collect();
    assert!(
        labels.contains(&"XVIII.") && labels.contains(&"XXXVIII.") && labels.len() >= 40,
        "{labels:?}"
    );
    assert!(all_level(&starts), "{starts:?}");
    // Thistlecombe's section numbering: "2.1" and a subsection's "5.4.1"
    // are two forms, each lined up with its own kind.
    let parts = |w: &str, n: usize| {
        w.split('.').count() == n
            && w.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    };
    let pdf = out.path().join("thistlecombe/aup-staff.pdf");
    let two = text_starts_after_labels(&pdf, |w| parts(w, 2));
    let three = text_starts_after_labels(&pdf, |w| parts(w, 3));
    assert!(two.len() >= 25 && three.len() >= 5, "{two:?} {three:?}");
    assert!(all_level(&two), "{two:?}");
    assert!(all_level(&three), "{three:?}");
}

#[test]
fn fields_side_by_side_share_a_row_where_they_come_together() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let row = |pdf: &str, word: &str| {
        let boxes = word_boxes(&out.path().join(pdf));
        let found: Vec<f64> = boxes
            .iter()
            .filter(|b| b.word == word)
            .map(|b| b.top)
            .collect();
        *found.last().unwrap_or_else(|| panic!("{word} in {pdf}"))
    };
    // Copperbeck: `side_by_side: [signature, date]`, so "Signature ……
    // Date ……" on one row, after the name's own.
    let signature = row("copperbeck/aup-staff.pdf", "Signature");
    let date = row("copperbeck/aup-staff.pdf", "Date");
    let name = row("copperbeck/aup-staff.pdf", "(printed)");
    assert!((signature - date).abs() < 1.0, "{signature} {date}");
    assert!(name < signature - 5.0, "{name} {signature}");
    // Wrenfold does not ask for it: every field has its own row, the
    // headteacher's countersignature too.
    let signature = row("wrenfold/aup-staff.pdf", "Signature");
    let date = row("wrenfold/aup-staff.pdf", "Date");
    assert!(date > signature + 5.0, "{signature} {date}");
    // The countersignature's signature and date pair up too.
    let school = project.path().join("schools/wrenfold.yaml");
    let text = fs::read_to_string(&school).unwrap();
    fs::write(
        &school,
        text.replace(
            "\nsignature:\n",
            "\nsignature:\n  side_by_side: [signature, date]\n",
        ),
    )
    .unwrap();
    let out = build_to_temp(project.path());
    let boxes = word_boxes(&out.path().join("wrenfold/aup-staff.pdf"));
    let tops = |word: &str| -> Vec<f64> {
        boxes
            .iter()
            .filter(|b| b.word == word)
            .map(|b| b.top)
            .collect()
    };
    let (signatures, dates) = (tops("Signature"), tops("Date"));
    assert_eq!(signatures.len(), 2, "{signatures:?}");
    assert_eq!(dates.len(), 2, "{dates:?}");
    for (s, d) in signatures.iter().zip(&dates) {
        assert!((s - d).abs() < 1.0, "{signatures:?} {dates:?}");
    }
}
