//! `policyc signoff status` on the bundled example: its fictional rosters
//! and part-filled ledgers in `people/`, and last spring's published pack in
//! `published/`, where one teacher signed a staff agreement whose wording
//! has changed since.

use std::fs;
use std::path::Path;

use crate::support::*;

fn status(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["signoff", "status"];
    all.extend_from_slice(args);
    let output = run_in(dir, &all);
    let (stdout, stderr) = texts(&output);
    (output.status.code(), stdout, stderr)
}

/// Replaces a school's roster, and its ledger (`None`: no ledger).
fn set_people(dir: &Path, school: &str, roster: &str, ledger: Option<&str>) {
    let people = dir.join("people").join(school);
    fs::write(people.join("roster.csv"), roster).unwrap();
    match ledger {
        Some(text) => fs::write(people.join("signed.csv"), text).unwrap(),
        None => fs::remove_file(people.join("signed.csv")).unwrap(),
    }
}

/// The current document ID of a school's document for an audience, as
/// `signoff status --format json` gives it.
fn current_id(dir: &Path, school: &str, audience: &str) -> String {
    let (_, json, stderr) = status(
        dir,
        &[
            "--school",
            school,
            "--audience",
            audience,
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|_| panic!("{stderr}"));
    json["schools"][0]["documents"][0]["doc_id"]
        .as_str()
        .expect("the document has an ID")
        .to_string()
}

#[test]
fn counts_per_school_and_audience_without_names() {
    let project = fixture("example");
    let (code, stdout, stderr) = status(project.path(), &["--school", "wrenfold"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "Wrenfold Church of England Primary School (wrenfold)"
    );
    let staff = lines
        .iter()
        .find(|l| l.trim_start().starts_with("Staff"))
        .unwrap();
    assert!(
        staff.ends_with("5 of 8 signed; 1 must sign again, 2 not signed"),
        "{staff}"
    );
    let ks1 = lines.iter().find(|l| l.contains("Key Stage 1")).unwrap();
    assert!(ks1.ends_with("6 of 8 signed; 2 not signed"), "{ks1}");
    assert!(
        !stdout.contains("Gethin"),
        "no names without --names:\n{stdout}"
    );
}

#[test]
fn names_say_who_must_sign_again_and_who_never_signed() {
    let project = fixture("example");
    let (code, stdout, stderr) = status(
        project.path(),
        &["--school", "wrenfold", "--audience", "staff", "--names"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let people: Vec<&str> = stdout.lines().skip(2).map(str::trim).collect();
    assert_eq!(
        people,
        [
            "must sign again: Gethin Pryce (Teaching staff): signed EC86-0B1A on 2026-03-02",
            "not signed: Priya Raman (Teaching staff)",
            "not signed: Tomasz Zieliński (Support staff)",
        ]
    );
}

#[test]
fn a_class_filter_recounts_and_two_pupils_with_one_name_are_told_apart() {
    let project = fixture("example");
    let (code, stdout, stderr) = status(
        project.path(),
        &[
            "--audience",
            "ks2",
            "--class",
            "year 5 ash",
            "--names",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        rows[0],
        "school,audience,document_id,name,class,child,status,signed_id,signed_on"
    );
    assert_eq!(rows.len(), 7, "six pupils in Year 5 Ash:\n{stdout}");
    // The Amira Khan in Year 4 Oak signed; the one in Year 5 Ash did not.
    assert!(
        rows.iter()
            .any(|r| r.contains("Amira Khan,Year 5 Ash,,not signed")),
        "{stdout}"
    );

    let (code, _, stderr) = status(project.path(), &["--class", "Year 5 Oak"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("error[unknown-class]"), "{stderr}");
    assert!(
        stderr.contains("did you mean `Year 4 Oak`?")
            || stderr.contains("did you mean `Year 5 Ash`?"),
        "{stderr}"
    );
}

#[test]
fn json_for_ci_has_counts_and_deny_outstanding_fails_the_job() {
    let project = fixture("example");
    let (code, stdout, stderr) =
        status(project.path(), &["--format", "json", "--deny-outstanding"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.ends_with("signatures outstanding\n"), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let wrenfold = &json["schools"][1];
    assert_eq!(wrenfold["school"], "wrenfold");
    let staff = wrenfold["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["audience"] == "staff")
        .unwrap();
    assert_eq!(staff["expected"], 8);
    assert_eq!(staff["signed"], 5);
    assert_eq!(staff["sign_again"], 1);
    assert_eq!(staff["not_signed"], 2);
    assert!(
        staff.get("people").is_none(),
        "no names in CI output: {staff}"
    );
}

#[test]
fn everyone_signed_passes_deny_outstanding() {
    let project = fixture("example");
    let staff_id = current_id(project.path(), "oakhollow", "staff").to_lowercase();
    let people = project.path().join("people/oakhollow");
    fs::write(
        people.join("roster.csv"),
        "name,audience\nRebecca Stanforth,staff\n",
    )
    .unwrap();
    fs::write(
        people.join("signed.csv"),
        format!(
            "name,audience,document_id,signed_on\nRebecca Stanforth,staff,{staff_id},2026-09-07\n"
        ),
    )
    .unwrap();
    let (code, stdout, stderr) = status(
        project.path(),
        &["--school", "oakhollow", "--deny-outstanding"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("1 of 1 signed"), "{stdout}");
}

#[test]
fn csv_for_spreadsheets_never_carries_a_formula() {
    let project = fixture("example");
    let people = project.path().join("people/oakhollow");
    fs::write(
        people.join("roster.csv"),
        "name,audience,class\n\"=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",staff,@SUM(A1)\n-2+3,staff,+1\n",
    )
    .unwrap();
    fs::write(
        people.join("signed.csv"),
        "name,audience,document_id,signed_on\n",
    )
    .unwrap();
    let (code, stdout, stderr) = status(
        project.path(),
        &["--school", "oakhollow", "--names", "--format", "csv"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    for cell in stdout.lines().skip(1).flat_map(|l| l.split(',')) {
        let cell = cell.trim_start_matches('"');
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "a formula cell: {cell:?} in\n{stdout}"
        );
    }
    assert!(stdout.contains("'-2+3"), "{stdout}");
}

#[test]
fn csv_written_for_excel_has_a_byte_order_mark_and_standard_output_none() {
    let project = fixture("example");
    let (code, stdout, stderr) = status(
        project.path(),
        &["--school", "wrenfold", "--names", "--format", "csv"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.starts_with('\u{feff}'), "{stdout}");
    let file = project.path().join("private/status.csv");
    let (code, stdout, stderr) = status(
        project.path(),
        &[
            "--school",
            "wrenfold",
            "--names",
            "--format",
            "csv",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("it names people"), "{stderr}");
    let written = fs::read_to_string(&file).unwrap();
    assert!(written.starts_with("\u{feff}school,"), "{written}");
    assert!(written.contains("Siân ap Rhys"), "{written}");
    // Names never go to a file inside the public output folder.
    let public = project.path().join("out/status.csv");
    let (code, _, stderr) = status(
        project.path(),
        &[
            "--names",
            "--format",
            "csv",
            "--out",
            public.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!public.exists());
}

#[test]
fn names_never_reach_the_public_outputs() {
    let project = fixture("example");
    let output = run_in(project.path(), &["build", "--format", "html"]);
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    let (stdout, stderr) = texts(&output);
    let names = roster_names(project.path(), &["wrenfold", "oakhollow"]);
    assert!(
        names.len() >= 30,
        "the example rosters list at least 30 people"
    );
    for file in &files_under(&project.path().join("out")) {
        let text = String::from_utf8_lossy(&fs::read(file).unwrap()).into_owned();
        for name in &names {
            assert!(
                !text.contains(name.as_str()),
                "{name} is in {}",
                file.display()
            );
        }
    }
    for name in &names {
        assert!(
            !stdout.contains(name.as_str()) && !stderr.contains(name.as_str()),
            "{name} is in the build log"
        );
    }
}

#[test]
fn a_roster_saved_by_a_european_excel_is_read_as_it_is() {
    // "CSV UTF-8" from Excel starts with a byte-order mark; in many European
    // locales it separates cells with semicolons.
    let project = fixture("example");
    set_people(
        project.path(),
        "oakhollow",
        "\u{feff}Name;Audience;Form\nRenée Dubois;staff;\nŁucja Nowak;ks2;Year 6 Willow\n",
        None,
    );
    let (code, stdout, stderr) = status(project.path(), &["--school", "oakhollow", "--names"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("not signed: Renée Dubois"), "{stdout}");
    assert!(
        stdout.contains("not signed: Łucja Nowak (Year 6 Willow)"),
        "{stdout}"
    );
}

#[test]
fn a_new_project_keeps_rosters_out_of_git() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_in(dir.path(), &["init", "school"]);
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    let ignore = fs::read_to_string(dir.path().join("school/.gitignore")).unwrap();
    let rules: Vec<&str> = ignore.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(rules, ["/out", "/people", "/private"]);
}

#[test]
fn the_indexes_count_signatures_and_follow_the_ledger() {
    let project = fixture("example");
    // Published beside the documents, as a trust may choose.
    publish_oversight(project.path());
    let build = |dir: &Path| {
        let output = run_in(dir, &["build", "--format", "html"]);
        assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
        texts(&output).1
    };
    build(project.path());
    let pack = fs::read_to_string(project.path().join("out/wrenfold/index.html")).unwrap();
    assert!(pack.contains("<th scope=\"col\">Signed</th>"), "{pack}");
    assert!(pack.contains("<td>5 of 8</td>"), "staff: {pack}");
    let trust = fs::read_to_string(project.path().join("out/index.html")).unwrap();
    assert!(
        trust.contains("<td><strong>20 of 32</strong>"),
        "Wrenfold as a whole: {trust}"
    );

    // Record one more signature: the next build updates the counts.
    let ledger = project.path().join("people/wrenfold/signed.csv");
    let text = fs::read_to_string(&ledger).unwrap();
    let staff_id = text
        .lines()
        .find(|l| l.starts_with("Hannah Okafor,"))
        .and_then(|l| l.split(',').nth(3))
        .unwrap()
        .to_string();
    fs::write(
        &ledger,
        format!("{text}Priya Raman,staff,,{staff_id},2026-11-20\n"),
    )
    .unwrap();
    build(project.path());
    let pack = fs::read_to_string(project.path().join("out/wrenfold/index.html")).unwrap();
    assert!(pack.contains("<td>6 of 8</td>"), "{pack}");

    // A broken ledger leaves the counts out, with a warning that names no one.
    fs::write(
        &ledger,
        format!("{text}Priya Raman,staff,,{staff_id},2026-11-31\n"),
    )
    .unwrap();
    let stderr = build(project.path());
    assert!(stderr.contains("warning[signoff-left-out]"), "{stderr}");
    assert!(!stderr.contains("Priya"), "{stderr}");
    let pack = fs::read_to_string(project.path().join("out/wrenfold/index.html")).unwrap();
    assert!(!pack.contains("Signed</th>"), "{pack}");
}

#[test]
fn registers_list_a_class_with_who_has_signed_and_go_to_private() {
    let project = fixture("example");
    let output = run_in(
        project.path(),
        &[
            "signoff",
            "register",
            "--school",
            "wrenfold",
            "--audience",
            "ks2",
            "--class",
            "year-5-ash",
        ],
    );
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 register written to "), "{stderr}");
    let pdf = project
        .path()
        .join("private/wrenfold/registers/aup-ks2-year-5-ash.pdf");
    let text = pdf_text(&pdf);
    assert_eq!(text.matches('\u{c}').count(), 1, "one page:\n{text}");
    let flat = squash(&text);
    for expected in [
        "Sign-off register",
        "Year 5 Ash",
        "Αλέξανδρος Γεωργίου",
        "Amira Khan",
        "Oscar Whitlow",
        "12 September 2026",
    ] {
        assert!(
            flat.contains(expected),
            "{expected:?} missing from:\n{flat}"
        );
    }
    assert!(
        !flat.contains("Jacob Ellery"),
        "Year 4 Oak is not on Year 5 Ash's register"
    );
    assert!(
        !project.path().join("out").exists(),
        "a register writes nothing to out/"
    );
}

#[test]
fn a_register_prints_a_hostile_name_as_text_and_refuses_out() {
    let project = fixture("example");
    let people = project.path().join("people/oakhollow");
    fs::write(
        people.join("roster.csv"),
        "name,audience,role\n\"#panic(\"\"x\"\") ]* <b> $x$ \\\\\",staff,\"= @role\"\n",
    )
    .unwrap();
    fs::remove_file(people.join("signed.csv")).unwrap();
    let output = run_in(
        project.path(),
        &["signoff", "register", "--school", "oakhollow"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    let text = squash(&pdf_text(
        &project
            .path()
            .join("private/oakhollow/registers/aup-staff-staff.pdf"),
    ));
    assert!(text.contains("#panic(\"x\") ]* <b> $x$ \\\\"), "{text}");

    let output = run_in(
        project.path(),
        &["signoff", "register", "--out", "out/registers"],
    );
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.starts_with("error[private-out-public]"), "{stderr}");
}

#[test]
fn form_responses_are_previewed_then_added_once() {
    let project = fixture("example");
    let staff_id = current_id(project.path(), "wrenfold", "staff");
    let export = project.path().join("responses.csv");
    fs::write(
        &export,
        format!(
            "ID,Start time,Completion time,Email,Name,Document ID,I agree\n\
             1,9/20/2026 10:30:01,9/20/2026 10:32:05,anonymous,Priya Raman,{staff_id},Yes\n\
             2,9/20/2026 11:00:00,9/20/2026 11:01:00,anonymous,gethin  PRYCE,{},Yes\n\
             3,9/21/2026 08:00:00,9/21/2026 08:01:00,anonymous,Hannah Okafor,{staff_id},Yes\n",
            staff_id.to_lowercase()
        ),
    )
    .unwrap();
    let ledger = project.path().join("people/wrenfold/signed.csv");
    let before = fs::read_to_string(&ledger).unwrap();
    let import = |extra: &[&str]| {
        let mut args = vec![
            "signoff",
            "import",
            "responses.csv",
            "--school",
            "wrenfold",
            "--audience",
            "staff",
            "--date-order",
            "mdy",
        ];
        args.extend_from_slice(extra);
        let output = run_in(project.path(), &args);
        let (_, stderr) = texts(&output);
        (output.status.code(), stderr)
    };
    let (code, stderr) = import(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "2 new signatures; 1 already recorded; run again with --write to add them to people/wrenfold/signed.csv\n");
    assert_eq!(
        fs::read_to_string(&ledger).unwrap(),
        before,
        "a preview saves nothing"
    );

    let (code, stderr) = import(&["--write"]);
    assert_eq!(code, Some(0), "{stderr}");
    let after = fs::read_to_string(&ledger).unwrap();
    assert_eq!(
        after,
        format!("{before}Priya Raman,staff,Teaching staff,{staff_id},2026-09-20\nGethin Pryce,staff,Teaching staff,{staff_id},2026-09-20\n")
    );
    let (_, stdout, _) = status(
        project.path(),
        &["--school", "wrenfold", "--audience", "staff"],
    );
    assert!(stdout.contains("7 of 8 signed; 1 not signed"), "{stdout}");

    let (code, stderr) = import(&["--write"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stderr,
        "added 0 signatures to people/wrenfold/signed.csv; 3 already recorded\n"
    );
    assert_eq!(
        fs::read_to_string(&ledger).unwrap(),
        after,
        "importing twice adds nothing"
    );
}

#[test]
fn a_response_from_nobody_on_the_roster_stops_the_import() {
    let project = fixture("example");
    let export = project.path().join("responses.csv");
    fs::write(
        &export,
        "Timestamp,Full name,Document ID\n22/09/2026 08:01:00,Tomasz Zielinski,0000-0000\n",
    )
    .unwrap();
    let ledger = project.path().join("people/wrenfold/signed.csv");
    let before = fs::read_to_string(&ledger).unwrap();
    let output = import_to_wrenfold(
        project.path(),
        "responses.csv",
        &["--audience", "staff", "--write"],
    );
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[ledger-unknown-document]: no document has the ID 0000-0000"),
        "{stderr}"
    );
    assert!(stderr.contains("--> responses.csv:2:"), "{stderr}");
    assert!(
        stderr.ends_with("nothing was saved: fix the export (or the roster) and run it again\n"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&ledger).unwrap(), before);
}

#[test]
fn a_signature_on_an_earlier_wording_counts_when_the_change_was_marked_editorial() {
    // Last spring's staff agreement differs from today's only in the
    // password clause. Marked editorial (and proved so by undoing it), the
    // teacher who signed last spring has signed this version too.
    let project = fixture("example");
    let clause = project.path().join("clauses/adult/systems/own-account.md");
    let text = fs::read_to_string(&clause).unwrap();
    let now = "I will sign in only as myself, keep my passwords secret and unique, change any\nthat may be known, use multi-factor sign-in where it is set up, and lock my\nscreen when I step away.";
    assert!(text.contains(now), "the fixture clause reads as expected");
    let mark = "editorial:\n  reason: a test of the editorial rule\n  fixes:\n    - was: |-\n        I will sign in only as myself, keep my passwords secret, and lock my screen\n        when I step away.\n      now: |-\n        I will sign in only as myself, keep my passwords secret and unique, change any\n        that may be known, use multi-factor sign-in where it is set up, and lock my\n        screen when I step away.\n";
    fs::write(&clause, text.replacen("tags:", &format!("{mark}tags:"), 1)).unwrap();
    let (code, stdout, stderr) = status(
        project.path(),
        &["--school", "wrenfold", "--audience", "staff", "--names"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("6 of 8 signed; 2 not signed"), "{stdout}");
    assert!(
        !stdout.contains("Gethin Pryce"),
        "Gethin has signed:\n{stdout}"
    );
}

#[test]
fn concurrent_imports_keep_every_signature_and_the_ledger_s_own_style() {
    let project = fixture("example");
    let ks2 = current_id(project.path(), "wrenfold", "ks2");
    let ledger = project.path().join("people/wrenfold/signed.csv");
    // Saved by a European Excel: semicolons, CRLF line endings.
    let before = fs::read_to_string(&ledger).unwrap();
    let semicolons = before.replace(',', ";").replace('\n', "\r\n");
    fs::write(&ledger, &semicolons).unwrap();
    let pupils = [
        ("Mateusz Kowalczyk", "Year 4 Oak"),
        ("Yusuf Demir", "Year 5 Ash"),
        ("Eira Jenkins", "Year 5 Ash"),
        ("Leo Castellanos", "Year 5 Ash"),
    ];
    let children: Vec<_> = pupils
        .iter()
        .enumerate()
        .map(|(i, (name, class))| {
            let export = project.path().join(format!("form-{i}.csv"));
            fs::write(
                &export,
                format!("Name,Class,Document ID,Date\n{name},{class},{ks2},2026-09-2{i}\n"),
            )
            .unwrap();
            policyc()
                .args(["signoff", "import", &format!("form-{i}.csv")])
                .args(["--school", "wrenfold", "--audience", "ks2", "--write"])
                .current_dir(project.path())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let after = fs::read_to_string(&ledger).unwrap();
    assert!(
        after.starts_with(&semicolons),
        "the old lines are kept as they were"
    );
    for (name, class) in pupils {
        assert!(
            after.contains(&format!("{name};ks2;{class};{ks2};")),
            "{name} is missing:\n{after}"
        );
    }
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "one line ending throughout"
    );
    let (code, stdout, stderr) = status(
        project.path(),
        &["--school", "wrenfold", "--audience", "ks2"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.is_empty());
}

/// Every typst compile runs under the watchdog: a register or slip layout
/// that never finishes is stopped at POLICYC_RENDER_TIMEOUT, reported
/// against the layout, and nothing holding names is written.
#[test]
fn a_runaway_register_or_print_layout_is_stopped() {
    for (layout, command) in [("register.typ", "register"), ("slip.typ", "print")] {
        let project = fixture("example");
        fs::create_dir_all(project.path().join("templates")).unwrap();
        fs::write(
            project.path().join("templates").join(layout),
            "#for i in range(2000000000) { }\n",
        )
        .unwrap();
        let started = std::time::Instant::now();
        let output = policyc()
            .args(["signoff", command, "--school", "wrenfold"])
            .env("POLICYC_RENDER_TIMEOUT", "1")
            .current_dir(project.path())
            .output()
            .unwrap();
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(1), "{layout}: {stderr}");
        assert!(
            stderr.contains("pdf-template-timeout"),
            "{layout}: {stderr}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
        let private = project.path().join("private");
        assert!(
            !private.exists()
                || files_under(&private)
                    .iter()
                    .all(|p| !p.to_string_lossy().ends_with(".pdf")),
            "{layout}: nothing is written"
        );
    }
}

#[test]
fn a_pack_is_published_once_under_its_label_and_its_signatures_stay_understood() {
    let project = fixture("example");
    let dir = project.path();
    let publish = |label: &str| {
        let output = run_in(dir, &["publish", label]);
        (output.status.code(), texts(&output).1)
    };
    // Nothing built yet: nothing to publish.
    let (code, stderr) = publish("2026-autumn");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[publish-unbuilt]"), "{stderr}");
    assert!(run_in(dir, &["build", "--quiet"]).status.success());
    let (code, stderr) = publish("2026-autumn");
    assert_eq!(code, Some(0), "{stderr}");
    let record = fs::read_to_string(dir.join("published/2026-autumn/manifest.json")).unwrap();
    assert!(record.contains("\"doc_id\""), "{record}");
    assert!(
        !record.contains("Siân"),
        "a published manifest names nobody"
    );
    assert_eq!(
        fs::read_to_string(dir.join("published/latest")).unwrap(),
        "2026-autumn\n"
    );
    // A label is used once.
    let (code, stderr) = publish("2026-autumn");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[publish-exists]"), "{stderr}");
    let (code, stderr) = publish("Autumn 2026");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[publish-label]"), "{stderr}");
    // The wording changes: out/ is stale until it is built again.
    let clause = dir.join("clauses/adult/systems/own-account.md");
    let text = fs::read_to_string(&clause).unwrap();
    // The first "lock my" is in the governors' wording.
    fs::write(&clause, text.replacen("lock my", "always lock my", 1)).unwrap();
    let (code, stderr) = publish("2027-spring");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[publish-stale]"), "{stderr}");
    assert!(
        stderr.contains("wrenfold/aup-governor was built as"),
        "{stderr}"
    );
    assert!(!dir.join("published/2027-spring").exists());
    // Comparing with published/ compares with the latest pack.
    let changes = run_in(dir, &["changes", "--baseline", "published"]);
    let (stdout, _) = texts(&changes);
    assert!(
        stdout.contains("wrenfold/aup-governor: changed"),
        "{stdout}"
    );
    // Signatures on both published packs are still understood.
    assert!(run_in(dir, &["build", "--quiet"]).status.success());
    let (code, stderr) = publish("2027-spring");
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = status(dir, &["--school", "wrenfold", "--audience", "governor"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("ledger-unknown-document"), "{stderr}");
    assert!(stdout.contains("must sign again"), "{stdout}");
}

#[test]
fn a_mixed_export_imports_without_an_audience_the_document_ids_settle_it() {
    let project = fixture("example");
    let staff_id = current_id(project.path(), "wrenfold", "staff");
    let volunteer_id = current_id(project.path(), "wrenfold", "volunteer");
    let roster = fs::read_to_string(project.path().join("people/wrenfold/roster.csv")).unwrap();
    let volunteer = roster
        .lines()
        .find(|l| l.split(',').nth(1) == Some("volunteer"))
        .and_then(|l| l.split(',').next())
        .unwrap()
        .to_string();
    fs::write(
        project.path().join("responses.csv"),
        format!(
            "Name,Document ID,Completion time\n\
             Priya Raman,{staff_id},20/09/2026 10:32\n\
             {volunteer},{volunteer_id},21/09/2026 08:01\n"
        ),
    )
    .unwrap();
    let output = import_to_wrenfold(project.path(), "responses.csv", &["--write"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let ledger = fs::read_to_string(project.path().join("people/wrenfold/signed.csv")).unwrap();
    assert!(
        ledger.contains(&format!(
            "Priya Raman,staff,Teaching staff,{staff_id},2026-09-20"
        )),
        "{ledger}"
    );
    assert!(
        ledger.contains(&format!("{volunteer},volunteer,")),
        "{ledger}"
    );
}

#[test]
fn a_wording_change_under_the_same_version_is_a_warning_until_the_version_moves() {
    let project = fixture("example");
    let dir = project.path();
    assert!(run_in(dir, &["build", "--quiet"]).status.success());
    assert!(run_in(dir, &["publish", "2026-autumn"]).status.success());
    let clause = dir.join("clauses/adult/systems/own-account.md");
    let text = fs::read_to_string(&clause).unwrap();
    fs::write(&clause, text.replacen("lock my", "always lock my", 1)).unwrap();
    let check = run_in(dir, &["check"]);
    let (_, stderr) = texts(&check);
    assert!(
        stderr.contains("warning[version-unchanged]: wrenfold/aup-governor: the wording has changed since the pack published as published/2026-autumn"),
        "{stderr}"
    );
    assert!(stderr.contains("--> schools/_trust.yaml:"), "{stderr}");
    assert!(stderr.contains("`version: \"2026.2\"`"), "{stderr}");
    let trust = dir.join("schools/_trust.yaml");
    let text = fs::read_to_string(&trust).unwrap();
    fs::write(
        &trust,
        text.replace("version: \"2026.1\"", "version: \"2026.2\""),
    )
    .unwrap();
    let check = run_in(dir, &["check"]);
    let (_, stderr) = texts(&check);
    // Copperbeck sets its own version, so only it is still warned about.
    assert!(!stderr.contains("wrenfold/"), "{stderr}");
    assert!(stderr.contains("--> schools/copperbeck.yaml:"), "{stderr}");
}

#[test]
fn an_excel_export_of_signatures_imports_as_its_csv_would() {
    let project = fixture("example");
    let staff_id = current_id(project.path(), "wrenfold", "staff");
    let export = project.path().join("responses.xlsx");
    // 46285.44 is 20 September 2026, 10:33.
    write_xlsx(
        &export,
        &[
            &[
                "ID",
                "Completion time",
                "Email",
                "Name",
                "Document ID",
                "I agree",
            ],
            &[
                "1",
                "date:46285.44",
                "anonymous",
                "Priya Raman",
                &staff_id,
                "Yes",
            ],
        ],
    );
    let ledger = project.path().join("people/wrenfold/signed.csv");
    let before = fs::read_to_string(&ledger).unwrap();
    let output = import_to_wrenfold(
        project.path(),
        "responses.xlsx",
        &["--audience", "staff", "--write"],
    );
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        fs::read_to_string(&ledger).unwrap(),
        format!("{before}Priya Raman,staff,Teaching staff,{staff_id},2026-09-20\n")
    );
    // Someone not on the roster is found against the roster, after the
    // workbook is read: the error still names the sheet and the cell.
    write_xlsx(
        &export,
        &[
            &["Name", "Document ID", "Completion time"],
            &["Ottilie Fenwright", &staff_id, "date:46285.44"],
        ],
    );
    let output = import_to_wrenfold(project.path(), "responses.xlsx", &["--audience", "staff"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--> responses.xlsx:2 (sheet `Sheet1`, cell A2)"),
        "{stderr}"
    );
}

#[test]
fn rosters_from_an_hr_csv_and_an_mis_workbook_read_as_one() {
    // The example's Wrenfold keeps its HR system's staff export (semicolons,
    // a byte-order mark, its own column names), its MIS's pupil workbook
    // and the clerk's list of governors and volunteers, each as exported.
    let project = fixture("example");
    let (code, json, stderr) = status(
        project.path(),
        &["--school", "wrenfold", "--names", "--format", "json"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("ignored-file"), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let people = |audience: &str| -> Vec<String> {
        report["schools"][0]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["audience"] == audience)
            .flat_map(|d| d["people"].as_array().unwrap().clone())
            .map(|p| {
                format!(
                    "{} {}",
                    p["name"].as_str().unwrap(),
                    p["class"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    let staff = people("staff");
    assert_eq!(staff.len(), 8, "{staff:?}");
    assert!(
        staff.contains(&"Siân ap Rhys Support staff".to_string()),
        "{staff:?}"
    );
    let ks1 = people("ks1");
    let ks2 = people("ks2");
    assert_eq!((ks1.len(), ks2.len()), (8, 11));
    assert!(
        ks2.contains(&"Αλέξανδρος Γεωργίου Year 5 Ash".to_string()),
        "{ks2:?}"
    );
    assert!(
        ks1.contains(&"Ffion Lloyd Year 2 Rowan".to_string()),
        "{ks1:?}"
    );
    assert_eq!(people("governor").len(), 3);
    // The export's other columns never reach the report.
    assert!(
        !json.contains("E1040") && !json.contains("Admission"),
        "{json}"
    );
}

#[test]
fn a_roster_workbook_error_names_its_sheet_and_cell_and_a_stray_file_is_a_warning() {
    let project = fixture("example");
    let people = project.path().join("people/oakhollow");
    fs::remove_file(people.join("roster.csv")).unwrap();
    write_xlsx(
        &people.join("roster-pupils.xlsx"),
        &[
            &["Name", "Audience", "Class"],
            &["Rebecca Stanforth", "staff", "Teaching staff"],
            &["Grace Whitcombe", "ks9", "Year 6 Willow"],
        ],
    );
    fs::write(people.join("staff-export.csv"), "name,audience\n").unwrap();
    let (_, _, stderr) = status(project.path(), &["--school", "oakhollow", "--names"]);
    assert!(
        stderr.contains("`ks9` is not an audience this school has a document for"),
        "{stderr}"
    );
    // The audience is checked after the roster is read, against the
    // school's documents: it still names the sheet and cell, not a column
    // of the sheet's text.
    assert!(
        stderr.contains("--> people/oakhollow/roster-pupils.xlsx:3 (sheet `Sheet1`, cell B3)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning[ignored-file]: `staff-export.csv` is not read"),
        "{stderr}"
    );
    fs::write(
        people.join("columns.yaml"),
        "roster-pupils.xlsx:\n  columns: { name: Full Name }\n",
    )
    .unwrap();
    let (code, _, stderr) = status(project.path(), &["--school", "oakhollow", "--names"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the header has no column `Full Name`, which columns.yaml reads as `name`\n  --> people/oakhollow/roster-pupils.xlsx:1 (sheet `Sheet1`, cell A1)"),
        "{stderr}"
    );
}

#[test]
fn check_reads_rosters_and_ledgers_names_nobody_and_finds_names_no_font_prints() {
    let project = fixture("example");
    let roster = project.path().join("people/oakhollow/roster.csv");
    let mut text = fs::read_to_string(&roster).unwrap();
    // A blank audience, and an Arabic name that only the monospaced face
    // for code could set: both wait for print time today.
    text.push_str("Wilhelmina Quist,,,\nليلى حداد,staff,Support staff,Cook,\n");
    fs::write(&roster, text).unwrap();
    let output = run_in(project.path(), &["check"]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("error[csv-blank-cell]"), "{stderr}");
    assert!(stderr.contains("error[unprintable-character]"), "{stderr}");
    assert!(stderr.contains("people/oakhollow/roster.csv:"), "{stderr}");
    for name in ["Wilhelmina", "ليلى"] {
        assert!(!stderr.contains(name) && !stdout.contains(name), "{stderr}");
    }
    let output = run_in(project.path(), &["check", "--names"]);
    let (_, stderr) = texts(&output);
    assert!(
        stderr.contains("`ل` (U+0644) in a name cannot be printed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the `audience` cell on this line is blank"),
        "{stderr}"
    );
}

#[test]
fn a_register_row_grows_with_a_name_that_wraps() {
    let project = fixture("example");
    let people = project.path().join("people/oakhollow");
    fs::write(
        people.join("roster.csv"),
        "name,audience,class,role\n\
         Maximiliana Theodora Evangelina Wilhelmina Fitzgerald-Montgomery-Ashworth-Pemberton,staff,Office,Longwordrole\n\
         Zed Short,staff,Office,Cook\n",
    )
    .unwrap();
    fs::remove_file(people.join("signed.csv")).unwrap();
    let output = run_in(
        project.path(),
        &["signoff", "register", "--school", "oakhollow"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    let boxes = word_boxes(
        &project
            .path()
            .join("private/oakhollow/registers/aup-staff-office.pdf"),
    );
    let find = |word: &str| boxes.iter().find(|b| b.word == word).unwrap().clone();
    let first_top = find("Maximiliana").top;
    let role_bottom = find("Longwordrole").bottom;
    let next_top = find("Zed").top;
    // The long name wraps, so its row is taller than one line of name and
    // role; the next row starts below all of it.
    assert!(role_bottom - first_top > 30.0, "{first_top} {role_bottom}");
    assert!(next_top > role_bottom + 4.0, "{role_bottom} {next_top}");
}

#[test]
fn a_ledger_kept_in_excel_reads_as_its_csv_and_import_asks_for_csv() {
    let project = fixture("example");
    let (_, before, _) = status(project.path(), &["--school", "wrenfold", "--names"]);
    let people = project.path().join("people/wrenfold");
    let csv = fs::read_to_string(people.join("signed.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    write_xlsx(&people.join("signed.xlsx"), &rows);
    let (code, _, stderr) = status(project.path(), &["--school", "wrenfold"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[ledger-twice]"), "{stderr}");
    fs::remove_file(people.join("signed.csv")).unwrap();
    let (code, after, stderr) = status(project.path(), &["--school", "wrenfold", "--names"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(after, before);
    let staff_id = current_id(project.path(), "wrenfold", "staff");
    fs::write(
        project.path().join("responses.csv"),
        format!("Name,Document ID,Completion time\nPriya Raman,{staff_id},20/09/2026 10:32\n"),
    )
    .unwrap();
    let output = import_to_wrenfold(project.path(), "responses.csv", &["--write"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[ledger-workbook]"), "{stderr}");
    assert!(!people.join("signed.csv").exists());
}

/// `policyc signoff import FILE --school wrenfold`, then `extra`, in `dir`.
fn import_to_wrenfold(dir: &Path, file: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["signoff", "import", file, "--school", "wrenfold"];
    args.extend(extra);
    run_in(dir, &args)
}

#[test]
fn a_role_addendum_is_asked_only_of_the_people_who_hold_the_role() {
    let project = fixture("example");
    let school = project.path().join("schools/wrenfold.yaml");
    edit_file(
        &school,
        &[(
            "policies: [aup, privacy]",
            "policies: [aup, privacy, it-admin, searching]\nroles:\n  it-admin: [School business manager]\n  searching: [Headteacher, SENCo]",
        )],
    );
    let (code, stdout, stderr) = status(project.path(), &["--school", "wrenfold", "--names"]);
    assert_eq!(code, Some(0), "{stderr}");
    // Wrenfold names its business manager for `it-admin`, and its
    // headteacher and SENCo for `searching`: of its eight staff, only they
    // are asked, each titled beside the staff agreement.
    let addendum = |title: &str| -> String {
        let start = stdout
            .find(title)
            .unwrap_or_else(|| panic!("{title}: {stdout}"));
        let rest = &stdout[start..];
        let end = rest[1..].find("\n  Staff").map_or(rest.len(), |i| i + 1);
        rest[..end].to_string()
    };
    let admin = addendum("Staff · Addendum for staff with administrator rights");
    assert!(admin.contains("0 of 1 signed"), "{admin}");
    assert!(admin.contains("Łucja Wiśniewska"), "{admin}");
    let searching = addendum("Staff · Addendum for staff authorised to search pupils");
    assert!(searching.contains("0 of 2 signed"), "{searching}");
    assert!(
        searching.contains("Hannah Okafor") && searching.contains("Priya Raman"),
        "{searching}"
    );
    assert!(!searching.contains("Gethin Pryce"), "{searching}");
    let agreement = addendum("Staff · Acceptable use agreement");
    assert!(agreement.contains("of 8 signed"), "{agreement}");
    // A role named in another case still counts; one nobody holds asks
    // nobody, and the addendum leaves the report.
    let text = fs::read_to_string(&school).unwrap();
    fs::write(
        &school,
        text.replace(
            "searching: [Headteacher, SENCo]",
            "searching: [HEADTEACHER]",
        )
        .replace(
            "it-admin: [School business manager]",
            "it-admin: [Caretaker]",
        ),
    )
    .unwrap();
    let (code, stdout, stderr) = status(project.path(), &["--school", "wrenfold"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("Addendum for staff authorised to search pupils")
            && stdout.contains("0 of 1 signed; 1 not signed"),
        "{stdout}"
    );
    assert!(!stdout.contains("administrator rights"), "{stdout}");
}
