//! Notices as a DPO and a reader see them (`tests/fixtures/notices`): a
//! privacy notice builds beside the agreements with no signature block,
//! lists the school's processors from its facts, is never counted for
//! sign-off, and `check` fails, naming the element, the file and the line,
//! when a school's notice lacks something its policy requires.

use std::fs;
use std::path::Path;

use crate::support::*;

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn a_notice_is_published_with_no_signature_block_and_lists_the_processors() {
    let project = fixture("notices");
    let out = build_to_temp(project.path());
    let notice = squash(&pdf_text(&out.path().join("alpha/privacy-staff.pdf")));
    in_order(
        &notice,
        &[
            "How we use your information",
            "Alpha Primary School decides how your information is used",
            "We keep your record for six years after your job ends.",
            "Postbox Mail: for email; holds messages and contacts; hosted in Ireland; kept for two years.",
            "Ledgerly MIS: for pupil and staff records; holds names, contact details and attendance; hosted in the UK; kept as the retention schedule says.",
            "Some of it leaves the UK, with these safeguards:",
            "Postbox Mail: in Ireland, under the UK's adequacy regulations for the EEA.",
        ],
    );
    assert!(!notice.contains("Signature"), "{notice}");
    let agreement = squash(&pdf_text(&out.path().join("alpha/aup-staff.pdf")));
    assert!(agreement.contains("Signature"), "{agreement}");
    let page = fs::read_to_string(out.path().join("alpha/privacy-staff.html")).unwrap();
    assert!(!page.contains("<section class=\"signature\""), "{page}");
}

#[test]
fn a_system_holds_only_the_information_of_the_audiences_it_names() {
    let project = fixture("notices");
    let out = build_to_temp(project.path());
    let applicant = squash(&pdf_text(&out.path().join("alpha/privacy-applicant.pdf")));
    assert!(applicant.contains("Ledgerly MIS"), "{applicant}");
    assert!(!applicant.contains("Postbox Mail"), "{applicant}");
    assert!(
        applicant.contains("All of it stays in the UK."),
        "{applicant}"
    );
}

#[test]
fn notices_are_never_counted_for_sign_off() {
    let project = fixture("notices");
    // The pack index shows sign-off when oversight is published with it.
    publish_oversight(project.path());
    let out = build_to_temp(project.path());
    let records = manifest(out.path());
    for doc in records["documents"].as_array().unwrap() {
        let notice = doc["policy"] == "privacy";
        assert_eq!(doc["notice"].as_bool().unwrap_or(false), notice, "{doc}");
    }
    let index = squash(&fs::read_to_string(out.path().join("alpha/index.html")).unwrap());
    assert!(index.contains("notice, not signed"), "{index}");
    let status = run_in(project.path(), &["signoff", "status"]);
    let (stdout, stderr) = texts(&status);
    assert!(status.status.success(), "{stderr}");
    for doc in records["documents"].as_array().unwrap() {
        let id = doc["doc_id"].as_str().unwrap();
        let signed = doc["policy"] == "aup";
        assert_eq!(stdout.contains(id), signed, "{id} in\n{stdout}");
    }
}

#[test]
fn check_names_each_required_element_a_school_takes_away() {
    let elements = [
        (
            "controller",
            "notice-controller",
            "who decides how the information is used",
        ),
        (
            "retention",
            "notice-retention",
            "how long the information is kept",
        ),
        (
            "processors",
            "notice-processors",
            "the companies that process it",
        ),
    ];
    for (element, clause, label) in elements {
        let project = fixture("notices");
        let school = project.path().join("schools/alpha.yaml");
        let mut text = fs::read_to_string(&school).unwrap();
        text.push_str(&format!("exclude: [{clause}]\n"));
        fs::write(&school, text).unwrap();
        let output = run_in(project.path(), &["check"]);
        let (_, stderr) = texts(&output);
        assert!(!output.status.success(), "{element}: {stderr}");
        let expected = format!(
            "error[missing-element]: the `privacy` document for `staff` lacks {label} (`{element}`)\n  --> schools/alpha.yaml:3:11\n"
        );
        assert!(stderr.contains(&expected), "{element}:\n{stderr}");
        assert!(
            stderr.contains(&format!("`{clause}` gives it, and this file excludes it")),
            "{element}:\n{stderr}"
        );
    }
}

#[test]
fn an_element_only_some_audiences_need_is_asked_only_of_them() {
    let project = fixture("notices");
    // The KS2 notice has no processors clause, and its policy asks for
    // processors only for staff and applicants.
    let output = run_in(project.path(), &["check", "--deny-warnings"]);
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
}

#[test]
fn a_processor_without_its_facts_is_an_error_at_the_system() {
    let project = fixture("notices");
    edit_file(
        &project.path().join("schools/_trust.yaml"),
        &[("    kept: as the retention schedule says\n", "")],
    );
    let output = run_in(project.path(), &["check"]);
    let (_, stderr) = texts(&output);
    assert_eq!(
        stderr,
        "error[system-facts-missing]: the privacy notices list `systems.mis` (Ledgerly MIS) as a processor, but it has no `kept`
  --> schools/_trust.yaml:12:3
    |
 12 |   mis:
    |   ^
  = help: write it as a map: `mis: { name: Ledgerly MIS, purpose: …, data: …, hosted: …, kept: … }`; add `audiences: [...]` if it holds only some readers' information

1 error, 0 warnings
"
    );
}

#[test]
fn a_list_stand_in_inside_a_sentence_is_an_error_at_its_line() {
    let project = fixture("notices");
    edit_file(
        &project.path().join("clauses/notice/notice-processors.md"),
        &[("for us:\n\n{{ processors }}", "for us: {{ processors }}")],
    );
    let output = run_in(project.path(), &["check"]);
    let (_, stderr) = texts(&output);
    assert!(
        stderr.starts_with("error[list-not-alone]: `{{ processors }}` prints a list, so it must stand alone as a paragraph\n  --> clauses/notice/notice-processors.md:9:"),
        "{stderr}"
    );
}

#[test]
fn hostile_system_facts_stay_text_in_both_formats() {
    let project = fixture("notices");
    edit_file(
        &project.path().join("schools/_trust.yaml"),
        &[(
            "name: Ledgerly MIS",
            "name: \"<script>alert(1)</script> #set page(width: 1pt) *Ledgerly*\"",
        )],
    );
    let out = build_to_temp(project.path());
    let page = fs::read_to_string(out.path().join("alpha/privacy-staff.html")).unwrap();
    assert!(!page.contains("<script>alert"), "the name is escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; #set page(width: 1pt) *Ledgerly*"));
    let text = squash(&pdf_text(&out.path().join("alpha/privacy-staff.pdf")));
    assert!(
        text.contains("<script>alert(1)</script> #set page(width: 1pt) *Ledgerly*: for pupil"),
        "{text}"
    );
}

/// The bundled example's privacy notices: one per audience at Oakhollow,
/// Ravensmoor and Wrenfold, every audience the library writes for.
const EXAMPLE_NOTICES: [(&str, &str); 8] = [
    ("wrenfold", "ks1"),
    ("oakhollow", "ks2"),
    ("ravensmoor", "secondary"),
    ("oakhollow", "parent"),
    ("ravensmoor", "staff"),
    ("wrenfold", "governor"),
    ("oakhollow", "volunteer"),
    ("ravensmoor", "applicant"),
];

#[test]
fn every_audience_s_notice_builds_for_the_example_with_no_signature_block() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    for (school, audience) in EXAMPLE_NOTICES {
        let pdf = out.path().join(format!("{school}/privacy-{audience}.pdf"));
        let pages = page_texts(&pdf);
        let text = squash(&pages.join(" "));
        for absent in ["Signature", "Signed", "Date signed"] {
            assert!(!text.contains(absent), "{school} {audience}: {absent}");
        }
        assert!(
            text.contains("Information Commissioner") || text.contains("ICO"),
            "{school} {audience}: {text}"
        );
        if matches!(audience, "ks1" | "ks2") {
            assert_eq!(pages.len(), 1, "the {audience} notice fits one page");
        }
    }
}

#[test]
fn the_pupil_notices_read_at_their_pupils_level() {
    use policyc::check::readability::{limits, stats, Stats};
    use policyc::model::files::Reading;
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let records = manifest(out.path());
    let readers = [
        ("wrenfold", "ks1", Reading::Ks1),
        ("oakhollow", "ks2", Reading::Ks2),
        ("ravensmoor", "secondary", Reading::Secondary),
    ];
    for (school, audience, reading) in readers {
        let doc = records["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| {
                d["school"] == school && d["policy"] == "privacy" && d["audience"] == audience
            })
            .unwrap_or_else(|| panic!("{school} builds the {audience} notice"));
        let mut total = Stats::default();
        for clause in doc["clauses"].as_array().unwrap() {
            total.add(stats(clause["text"].as_str().unwrap()));
        }
        let (grade, words) = limits(reading).unwrap();
        println!(
            "{school} privacy-{audience}: grade {:.1}, {:.1} words a sentence",
            total.grade(),
            total.words_per_sentence()
        );
        assert!(
            total.grade() <= grade && total.words_per_sentence() <= words,
            "the {audience} notice reads at grade {:.1} with {:.1} words a sentence (limits {grade}, {words})",
            total.grade(),
            total.words_per_sentence()
        );
    }
}

#[test]
fn the_library_notice_fails_check_naming_each_element_taken_away() {
    let library = fs::read_to_string(repo().join("policies/privacy.yaml")).unwrap();
    let policy: serde_yaml::Value = serde_yaml::from_str(&library).unwrap();
    let elements: Vec<&str> = policy["requires"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(elements.len(), 15, "the Article 13 and 14 elements");
    let clauses = notice_clauses();
    let project = fixture("example");
    let school = project.path().join("schools/oakhollow.yaml");
    let original = fs::read_to_string(&school).unwrap();
    for element in elements {
        let givers: Vec<&str> = clauses
            .iter()
            .filter(|(_, provides, audiences)| {
                provides.iter().any(|p| p == element) && audiences.iter().any(|a| a == "staff")
            })
            .map(|(id, _, _)| id.as_str())
            .collect();
        assert!(!givers.is_empty(), "a clause gives `{element}` to staff");
        fs::write(
            &school,
            format!("{original}\nexclude: [{}]\n", givers.join(", ")),
        )
        .unwrap();
        let output = run_in(project.path(), &["check"]);
        let (_, stderr) = texts(&output);
        assert!(!output.status.success(), "{element}: {stderr}");
        assert!(
            stderr.contains("error[missing-element]: the `privacy` document for `staff` lacks ")
                && stderr.contains(&format!("(`{element}`)\n  --> schools/oakhollow.yaml:")),
            "{element}:\n{stderr}"
        );
    }
}

/// Every library clause under clauses/privacy/: its id, what it provides
/// and its audiences.
fn notice_clauses() -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut found = Vec::new();
    for group in ["adult", "pupil"] {
        for entry in fs::read_dir(repo().join("clauses/privacy").join(group))
            .unwrap()
            .flatten()
        {
            let text = fs::read_to_string(entry.path()).unwrap();
            let front = text.split("---").nth(1).unwrap();
            let meta: serde_yaml::Value = serde_yaml::from_str(front).unwrap();
            let list = |key: &str| -> Vec<String> {
                meta[key]
                    .as_sequence()
                    .map(|s| {
                        s.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            found.push((
                meta["id"].as_str().unwrap().to_string(),
                list("provides"),
                list("audiences"),
            ));
        }
    }
    found
}

#[test]
fn each_adult_agreement_links_to_its_audience_s_notice() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let page = fs::read_to_string(out.path().join("oakhollow/aup-parent.html")).unwrap();
    assert!(
        page.contains("<li><a class=\"notice-link\" href=\"privacy-parent.html\">How we use your child&#x27;s information and yours</a> (privacy notice)</li>"),
        "{page}"
    );
    // Oakhollow says where its notices are online; Wrenfold does not, so
    // its PDF says where to find the notice instead of a blank.
    let pdf = squash(&pdf_text(&out.path().join("oakhollow/aup-staff.pdf")));
    assert!(
        pdf.contains("How we use your information: https://oakhollow."),
        "{pdf}"
    );
    let pdf = squash(&pdf_text(&out.path().join("wrenfold/aup-governor.pdf")));
    assert!(
        pdf.contains("How we use your information (privacy notice, published with this pack)"),
        "{pdf}"
    );
    // Pupils' agreements, and schools without notices, carry no link.
    for agreement in ["oakhollow/aup-ks2.html", "copperbeck/aup-staff.html"] {
        let page = fs::read_to_string(out.path().join(agreement)).unwrap();
        assert!(!page.contains("(privacy notice)"), "{agreement}");
    }
}

#[test]
fn a_changed_notice_is_changed_and_nobody_signs_again() {
    let project = fixture("notices");
    let baseline = tempfile::tempdir().unwrap();
    let out = baseline.path().to_str().unwrap();
    let built = run_in(project.path(), &["build", "--out", out, "--format", "html"]);
    assert!(built.status.success(), "{:?}", texts(&built));
    edit_file(
        &project.path().join("clauses/notice/notice-controller.md"),
        &[(
            "with any question",
            "with any question about your information",
        )],
    );
    let output = run_in(project.path(), &["changes", "--baseline", out]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let changed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(": changed ("))
        .collect();
    assert_eq!(
        changed.len(),
        2,
        "the staff and applicant notices: {stdout}"
    );
    for line in changed {
        assert!(line.starts_with("alpha/privacy-"), "{line}");
        assert!(!line.contains("must be signed again"), "{line}");
    }
    assert!(!stdout.contains("must sign again"), "{stdout}");
    let json = run_in(
        project.path(),
        &["changes", "--baseline", out, "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for doc in report["documents"].as_array().unwrap() {
        assert_eq!(doc["sign_again"], false, "{doc}");
        if doc["policy"] == "privacy" {
            assert_eq!(doc["notice"], true, "{doc}");
        }
    }
}
