//! Consent as a school office and a class teacher see it, on the bundled
//! example's Oakhollow (fictional pupils and parents): counts by default,
//! names only when asked, the biometric rules (two parents who disagree, a
//! child who objects against a parent's consent), a withdrawn website
//! consent, the class list written to private/ only, and each ledger
//! mistake an error at its line that names nobody.

use std::fs;

use crate::support::*;

const COUNTS: &str = "\
Oakhollow Junior School (oakhollow)
  Photos on displays in school                3 consented
  Class and year photographs                  2 consented; 1 not answered
  Photos on the school website                1 consented; 1 withdrawn; 1 not answered
  Photos on the school's social media         3 not answered
  Photos in the local press                   1 refused; 2 not answered
  Fingerprint recognition for lunch payments  1 consented; 1 parent objects; 1 child objects; 1 parent not notified
";

#[test]
fn status_counts_each_purpose_and_names_nobody_by_default() {
    let project = fixture("example");
    let output = run_in(project.path(), &["consent", "status"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout, COUNTS);
    for name in roster_names(project.path(), &["oakhollow"]) {
        assert!(!stdout.contains(&name), "{name}");
    }
}

#[test]
fn with_names_status_says_who_may_not_be_photographed_and_why() {
    let project = fixture("example");
    let output = run_in(project.path(), &["consent", "status", "--names"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    in_order(
        &stdout,
        &[
            "Photos on the school website",
            "Hamza Qureshi (Year 6 Willow): withdrawn on 2026-11-03",
            "Fingerprint recognition for lunch payments",
            "Grace Whitcombe (Year 6 Willow): parent objects",
            "Tomás Ó Briain (Year 6 Willow): child objects",
            "Hamza Qureshi (Year 6 Willow): consented; not notified: Saima Qureshi",
        ],
    );
}

#[test]
fn deny_unanswered_fails_a_scheduled_reminder_while_answers_are_missing() {
    let project = fixture("example");
    let output = run_in(project.path(), &["consent", "status", "--deny-unanswered"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr, "7 consent answers missing\n");
}

#[test]
fn the_class_list_goes_to_private_and_names_each_excluded_pupil() {
    let project = fixture("example");
    let output = run_in(
        project.path(),
        &["consent", "list", "--school", "oakhollow"],
    );
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let pdf = project
        .path()
        .join("private/oakhollow/consent/year-6-willow.pdf");
    let text = squash(&pdf_text(&pdf));
    in_order(
        &text,
        &[
            "Consent list: Year 6 Willow",
            "Photos on displays in school Every pupil in this class has consent.",
            "Photos on the school website",
            "Hamza Qureshi withdrawn on 3 November 2026",
            "Fingerprint recognition for lunch payments",
            "Grace Whitcombe parent objects",
            "Tomás Ó Briain child objects",
        ],
    );
    let refused = run_in(
        project.path(),
        &[
            "consent",
            "list",
            "--out",
            project.path().join("out/lists").to_str().unwrap(),
        ],
    );
    assert_eq!(refused.status.code(), Some(1), "{:?}", texts(&refused));
    assert!(!project.path().join("out/lists").exists());
}

#[test]
fn the_csv_for_the_mis_neutralises_formulas() {
    let project = fixture("example");
    let roster = project.path().join("people/oakhollow/roster.csv");
    let ledger = project.path().join("people/oakhollow/consent.csv");
    edit_file(
        &roster,
        &[
            ("Hamza Qureshi,ks2", "=Hamza Qureshi,ks2"),
            (",Hamza Qureshi\n", ",=Hamza Qureshi\n"),
        ],
    );
    let text = fs::read_to_string(&ledger)
        .unwrap()
        .replace("Hamza Qureshi,", "=Hamza Qureshi,");
    fs::write(&ledger, text).unwrap();
    let output = run_in(
        project.path(),
        &["consent", "status", "--names", "--format", "csv"],
    );
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("school,purpose,pupil,class,standing,since,allowed\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("oakhollow,website,'=Hamza Qureshi,Year 6 Willow,withdrawn,2026-11-03,no"),
        "{stdout}"
    );
}

/// `check`-style errors for one bad ledger line appended to the example.
fn ledger_error(line: &str) -> String {
    let project = fixture("example");
    let ledger = project.path().join("people/oakhollow/consent.csv");
    let mut text = fs::read_to_string(&ledger).unwrap();
    text.push_str(line);
    text.push('\n');
    fs::write(&ledger, text).unwrap();
    let output = run_in(project.path(), &["consent", "status"]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.is_empty(),
        "no report from a ledger with errors: {stdout}"
    );
    assert!(
        stderr.contains("--> people/oakhollow/consent.csv:19:"),
        "{stderr}"
    );
    for name in roster_names(project.path(), &["oakhollow"]) {
        assert!(!stderr.contains(&name), "{name} in {stderr}");
    }
    // The DPO, with --names, sees the whole message and the line.
    let output = run_in(project.path(), &["consent", "status", "--names"]);
    assert_eq!(output.status.code(), Some(1));
    texts(&output).1
}

#[test]
fn each_ledger_mistake_is_an_error_at_its_line_that_names_nobody() {
    let cases = [
        ("Ada Nobody,,website,given,2026-09-08,Claire Whitcombe", "error[consent-unknown-child]: the child on this line is not a pupil on the roster\n  --> people/oakhollow/consent.csv:19:1"),
        ("Grace Whitcombe,,webside,given,2026-09-08,Claire Whitcombe", "error[consent-unknown-purpose]: `webside` is not a purpose in policyc.yaml\n  --> people/oakhollow/consent.csv:19:18"),
        ("Grace Whitcombe,,press,given,2026-09-08,Saima Qureshi", "error[consent-not-a-parent]: the person who decided on this line is not a parent of this child on the roster\n  --> people/oakhollow/consent.csv:19:41"),
        ("Grace Whitcombe,,press,given,31/09/2026,Claire Whitcombe", "error[ledger-date]: the date `31/09/2026`"),
        ("Grace Whitcombe,,press,withdrawn,2026-09-08,Claire Whitcombe", "error[consent-withdrawn-first]: this line withdraws a consent that the same person had not given before it\n  --> people/oakhollow/consent.csv:19:1"),
        ("Grace Whitcombe,,press,perhaps,2026-09-08,Claire Whitcombe", "error[consent-decision]: `perhaps` is not a decision policyc knows"),
    ];
    for (line, expected) in cases {
        let stderr = ledger_error(line);
        assert!(stderr.contains(expected), "{line}:\n{stderr}");
    }
}
