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

/// The current document ID of `school`'s `policy` for `audience`, from a
/// build of the project.
fn doc_id(project: &std::path::Path, school: &str, policy: &str, audience: &str) -> String {
    let out = build_to_temp(project);
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    manifest["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["school"] == school && d["policy"] == policy && d["audience"] == audience)
        .and_then(|d| d["doc_id"].as_str())
        .unwrap_or_else(|| panic!("no {school}/{policy}-{audience}"))
        .to_string()
}

#[test]
fn a_consent_form_is_a_document_with_a_choice_per_purpose_and_no_sign_off() {
    let project = fixture("example");
    let out = build_to_temp(project.path());
    let pdf = out.path().join("oakhollow/consent-images-parent.pdf");
    let text = squash(&pdf_text(&pdf));
    in_order(
        &text,
        &[
            "Your answers",
            "Photos on displays in school Yes No",
            "Photos in the local press Yes No",
            "Child's name and class",
        ],
    );
    let html = fs::read_to_string(out.path().join("oakhollow/consent-images-parent.html")).unwrap();
    assert!(html.contains("<table class=\"choices\">"), "{html}");
    let manifest = fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert!(manifest.contains("\"consent\": ["), "{manifest}");
    // Sign-off leaves consent forms to the consent ledger: its status
    // lists the parents' agreement once, and no form's document ID.
    let status = run_in(
        project.path(),
        &["signoff", "status", "--school", "oakhollow"],
    );
    let (stdout, stderr) = texts(&status);
    assert!(status.status.success(), "{stderr}");
    for policy in ["consent-images", "consent-biometric"] {
        let id = doc_id(project.path(), "oakhollow", policy, "parent");
        assert!(!stdout.contains(&id), "{policy} {id} in sign-off: {stdout}");
    }
    assert_eq!(stdout.matches("Parents and carers").count(), 1, "{stdout}");
}

#[test]
fn print_personalises_each_form_per_class_into_private_only() {
    let project = fixture("example");
    let output = run_in(
        project.path(),
        &["consent", "print", "--school", "oakhollow"],
    );
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let forms = project.path().join("private/oakhollow/consent/forms");
    assert_eq!(
        file_names(&forms),
        [
            "consent-biometric-parent-year-6-willow.pdf",
            "consent-images-parent-year-6-willow.pdf"
        ]
    );
    let pages = page_texts(&forms.join("consent-images-parent-year-6-willow.pdf"));
    let filled: Vec<&String> = pages
        .iter()
        .filter(|p| p.contains("Year 6 Willow"))
        .collect();
    assert_eq!(filled.len(), 3, "one whole form a child: {pages:?}");
    let id = doc_id(project.path(), "oakhollow", "consent-images", "parent");
    for (page, name) in filled
        .iter()
        .zip(["Grace Whitcombe", "Tomás Ó Briain", "Hamza Qureshi"])
    {
        assert!(page.contains(name) && page.contains(&id), "{page}");
    }
    assert!(!project.path().join("out").exists(), "nothing public");
}

#[test]
fn four_slips_to_a_sheet_and_outstanding_keeps_only_pupils_with_answers_missing() {
    let project = fixture("example");
    let output = run_in(
        project.path(),
        &[
            "consent",
            "print",
            "--school",
            "oakhollow",
            "--per-sheet",
            "4",
            "--outstanding",
        ],
    );
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let forms = project.path().join("private/oakhollow/consent/forms");
    // Every pupil has a biometric answer, so no biometric form is printed;
    // each has an image purpose unanswered.
    assert_eq!(
        file_names(&forms),
        ["consent-images-parent-year-6-willow.pdf"]
    );
    let pages = page_texts(&forms.join("consent-images-parent-year-6-willow.pdf"));
    assert_eq!(pages.len(), 1, "three slips on one sheet");
    let text = squash(&pages[0]);
    in_order(
        &text,
        &[
            "Grace Whitcombe, Year 6 Willow",
            "Tomás Ó Briain, Year 6 Willow",
            "Hamza Qureshi, Year 6 Willow",
        ],
    );
    let bad = run_in(project.path(), &["consent", "print", "--per-sheet", "3"]);
    assert_eq!(bad.status.code(), Some(2), "{:?}", texts(&bad));
}

#[test]
fn a_consent_to_a_changed_wording_is_listed_for_renewal_and_a_refusal_stands() {
    let project = fixture("example");
    let ledger = project.path().join("people/oakhollow/consent.csv");
    let text = fs::read_to_string(&ledger).unwrap();
    let id = doc_id(project.path(), "oakhollow", "consent-images", "parent");
    assert!(text.contains(&id), "the example records the form's ID");
    // Hamza's displays consent and press refusal were given to an older
    // wording of the form.
    let older = text
        .lines()
        .map(|l| {
            if l.starts_with("Hamza Qureshi,Year 6 Willow,displays,")
                || l.starts_with("Hamza Qureshi,Year 6 Willow,press,")
            {
                l.replace(&id, "0000-0000")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(&ledger, older + "\n").unwrap();
    let output = run_in(project.path(), &["consent", "status", "--names"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    in_order(
        &stdout,
        &[
            "Photos on displays in school                2 consented; 1 to renew",
            "Hamza Qureshi (Year 6 Willow): to renew",
            "Photos in the local press",
            "Hamza Qureshi (Year 6 Willow): refused",
        ],
    );
}

/// An export from an online consent form, answering for two children.
const EXPORT: &str = "\
Completion time,Name,Child,Class,Document ID,Photos on the school's social media,Photos in the local press
20/11/2026 09:14,Claire Whitcombe,Grace Whitcombe,Year 6 Willow,ID,Yes,No
21/11/2026 18:40,Aoife Ó Briain,Tomás Ó Briain,Year 6 Willow,ID,No,
";

#[test]
fn an_export_imports_all_or_nothing_and_only_once() {
    let project = fixture("example");
    let id = doc_id(project.path(), "oakhollow", "consent-images", "parent");
    let export = project.path().join("responses.csv");
    fs::write(&export, EXPORT.replace(",ID,", &format!(",{id},"))).unwrap();
    let ledger = project.path().join("people/oakhollow/consent.csv");
    let before = fs::read_to_string(&ledger).unwrap();
    let args = [
        "consent",
        "import",
        "responses.csv",
        "--school",
        "oakhollow",
    ];
    let dry = run_in(project.path(), &args);
    assert_eq!(
        texts(&dry).1,
        "3 new consent answers; run again with --write to add them to people/oakhollow/consent.csv\n"
    );
    assert_eq!(fs::read_to_string(&ledger).unwrap(), before);
    let write = run_in(project.path(), &[&args[..], &["--write"]].concat());
    assert_eq!(
        texts(&write).1,
        "added 3 consent answers to people/oakhollow/consent.csv\n"
    );
    let after = fs::read_to_string(&ledger).unwrap();
    assert!(
        after.ends_with(&format!(
            "Tomás Ó Briain,Year 6 Willow,social-media,refused,2026-11-21,Aoife Ó Briain,{id}\n"
        )),
        "{after}"
    );
    let again = run_in(project.path(), &[&args[..], &["--write"]].concat());
    assert_eq!(
        texts(&again).1,
        "added 0 consent answers to people/oakhollow/consent.csv; 3 already recorded\n"
    );
    assert_eq!(fs::read_to_string(&ledger).unwrap(), after);
    // One bad response, and nothing is saved.
    let bad = EXPORT.replace("Aoife Ó Briain,Tomás", "Saima Qureshi,Tomás");
    fs::write(&export, bad.replace(",ID,", &format!(",{id},"))).unwrap();
    let refused = run_in(project.path(), &[&args[..], &["--write"]].concat());
    let (_, stderr) = texts(&refused);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr.contains("error[consent-not-a-parent]") && stderr.contains("--> responses.csv:3:18"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("nothing was saved: fix the export (or the roster) and run it again\n"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&ledger).unwrap(), after);
}

#[test]
fn an_excel_export_imports_as_its_csv_would_with_its_dates_read() {
    let project = fixture("example");
    let export = project.path().join("responses.xlsx");
    // As Microsoft Forms downloads it: completion times as Excel dates
    // (20 November 2026 09:21, 21 November 2026 18:43).
    let id = "72A7-30AF";
    write_xlsx(
        &export,
        &[
            &[
                "Id",
                "Completion time",
                "Name",
                "Child",
                "Class",
                "Document ID",
                "Photos on the school's social media",
                "Photos in the local press",
            ],
            &[
                "1",
                "date:46346.39",
                "Claire Whitcombe",
                "Grace Whitcombe",
                "Year 6 Willow",
                id,
                "Yes",
                "No",
            ],
            &[
                "2",
                "date:46347.78",
                "Aoife Ó Briain",
                "Tomás Ó Briain",
                "Year 6 Willow",
                id,
                "No",
                "",
            ],
        ],
    );
    let ledger = project.path().join("people/oakhollow/consent.csv");
    let output = run_in(
        project.path(),
        &[
            "consent",
            "import",
            export.to_str().unwrap(),
            "--school",
            "oakhollow",
            "--write",
        ],
    );
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "added 3 consent answers to people/oakhollow/consent.csv\n"
    );
    let text = fs::read_to_string(&ledger).unwrap();
    assert!(
        text.ends_with(
            "Grace Whitcombe,Year 6 Willow,social-media,given,2026-11-20,Claire Whitcombe,72A7-30AF\n\
             Grace Whitcombe,Year 6 Willow,press,refused,2026-11-20,Claire Whitcombe,72A7-30AF\n\
             Tomás Ó Briain,Year 6 Willow,social-media,refused,2026-11-21,Aoife Ó Briain,72A7-30AF\n"
        ),
        "{text}"
    );
}
