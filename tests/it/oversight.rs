//! Trust oversight and `changes`, run on the bundled example: the
//! trust-wide audit, the trust index, clause edits grouped once, editorial
//! edits, withdrawn schools and summaries that go when the change does.

use std::fs;
use std::path::Path;

use crate::support::{add_trust_clause, fixture, policyc, publish_oversight, run_in, texts};

/// Builds the HTML of `project` into `out`, checking review dates against
/// `today`.
fn build_html(project: &Path, out: &Path, today: &str) {
    let output = policyc()
        .args(["build", "--format", "html", "--out"])
        .arg(out)
        .env("POLICYC_TODAY", today)
        .current_dir(project)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
}

/// Rewrites a file of `project` with `edit`.
fn edit(project: &Path, file: &str, edit: impl Fn(String) -> String) {
    let path = project.join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, edit(text)).unwrap();
}

/// `policyc changes` against `baseline`, with extra arguments.
fn changes(project: &Path, baseline: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["changes", "--baseline", baseline.to_str().unwrap()];
    args.extend_from_slice(extra);
    run_in(project, &args)
}

const APPS: &str = "clauses/adult/teaching/approved-apps.md";

#[test]
fn the_trust_audit_separates_policy_departures_from_routine_facts() {
    let project = fixture("example");
    let output = run_in(project.path(), &["explain", "--trust"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("Kestrel Valley Learning Trust: "),
        "{stdout}"
    );
    for school in ["copperbeck", "oakhollow", "ravensmoor", "wrenfold"] {
        assert!(
            stdout.contains(&format!("\n{school} ")),
            "{school}: {stdout}"
        );
    }
    let json = run_in(project.path(), &["explain", "--trust", "--format", "json"]);
    let audit: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let oakhollow = audit["schools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["school"] == "oakhollow")
        .unwrap();
    let keys = |list: &str| -> Vec<String> {
        oakhollow[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["key"].as_str().unwrap().to_string())
            .collect()
    };
    let policy = keys("policy_departures");
    for key in [
        "approval.by",
        "audiences",
        "replace.phone-with-pupils",
        "vars.phones",
    ] {
        assert!(policy.contains(&key.to_string()), "{key} in {policy:?}");
    }
    let routine = keys("routine_facts");
    for key in ["address", "name", "contacts.headteacher", "website"] {
        assert!(routine.contains(&key.to_string()), "{key} in {routine:?}");
    }
    assert!(policy.iter().all(|k| !routine.contains(k)));
}

#[test]
fn the_audit_refuses_a_school_with_trust() {
    let project = fixture("example");
    let output = run_in(
        project.path(),
        &["explain", "--trust", "--school", "oakhollow"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", texts(&output).1);
}

#[test]
fn the_trust_index_shows_approval_review_changes_and_ids_and_keeps_oversight_internal() {
    let project = fixture("example");
    let out = tempfile::tempdir().unwrap();
    build_html(project.path(), out.path(), "2026-11-22");
    let index = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        index.contains("<title>Kestrel Valley Learning Trust: policy packs</title>"),
        "{index}"
    );
    assert!(
        index.contains("Local governing board, 30 September 2026"),
        "{index}"
    );
    assert!(index.contains("1 September 2027"), "{index}");
    assert!(!index.contains("(overdue)"), "not overdue in 2026: {index}");
    // What changed since the last published pack, linked to each summary.
    assert!(
        index.contains("<th scope=\"col\">Since 2026-spring</th>"),
        "{index}"
    );
    assert!(
        index.contains(
            "<a href=\"wrenfold/changes.html\">6 of 10 documents changed; must sign again: staff"
        ),
        "{index}"
    );
    assert!(out.path().join("wrenfold/changes.html").is_file());
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    for doc in manifest["documents"].as_array().unwrap() {
        let id = doc["doc_id"].as_str().unwrap();
        assert!(index.contains(&format!("<code>{id}</code>")), "{id}");
    }

    // Oversight is internal by default: no counts or departures in out/.
    assert!(!index.contains("Signed"), "{index}");
    assert!(!index.contains("departures"), "{index}");
    assert!(!out.path().join("oakhollow/departures.html").exists());
    let pack = fs::read_to_string(out.path().join("wrenfold/index.html")).unwrap();
    assert!(
        !pack.contains("Signed") && !pack.contains("departures"),
        "{pack}"
    );

    // They are in private/oversight/, whose links reach the public pages.
    let internal_dir = project.path().join("private/oversight");
    let internal = fs::read_to_string(internal_dir.join("index.html")).unwrap();
    assert!(
        internal.contains("policy packs (internal)</title>"),
        "{internal}"
    );
    assert!(
        internal.contains("href=\"oakhollow/departures.html\">10<"),
        "{internal}"
    );
    // The example has rosters for Wrenfold and Oakhollow only.
    assert!(
        internal.contains("<th scope=\"col\">Signed</th>"),
        "{internal}"
    );
    assert!(
        internal.contains("<td><strong>20 of 32</strong>"),
        "Wrenfold: {internal}"
    );
    // Per audience, split into those to sign again and those who never did.
    assert!(
        internal.contains("<li>Staff: 5 of 8; 1 to sign again; 2 never signed</li>"),
        "{internal}"
    );
    assert!(
        internal.contains("<span class=\"meta\">no record</span>"),
        "schools without a roster: {internal}"
    );
    assert!(
        internal.contains("\"No record\" means the school has no roster"),
        "{internal}"
    );
    // Links from private/oversight/ to the public pages, wherever out/ is.
    let base = pathdiff(&internal_dir, out.path());
    assert!(
        internal.contains(&format!(
            "href=\"{}wrenfold/changes.html\"",
            base.replace('/', "&#x2f;")
        )),
        "{base}: {internal}"
    );
    let departures = fs::read_to_string(internal_dir.join("oakhollow/departures.html")).unwrap();
    assert!(departures.contains("<code>replace.phone-with-pupils</code>"));

    build_html(project.path(), out.path(), "2027-10-01");
    let index = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        index.contains("<span class=\"overdue\">1 September 2027 (overdue)</span>"),
        "{index}"
    );
}

/// The relative link from folder `from` to folder `to`, both absolute.
fn pathdiff(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut link = "../".repeat(from.len() - common);
    for part in &to[common..] {
        link.push_str(&part.as_os_str().to_string_lossy());
        link.push('/');
    }
    link
}

#[test]
fn a_trust_may_publish_its_oversight_beside_the_documents() {
    let project = fixture("example");
    publish_oversight(project.path());
    let out = tempfile::tempdir().unwrap();
    build_html(project.path(), out.path(), "2026-11-22");
    let index = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        index.contains("href=\"oakhollow/departures.html\">10<"),
        "{index}"
    );
    assert!(index.contains("<td><strong>20 of 32</strong>"), "{index}");
    let pack = fs::read_to_string(out.path().join("oakhollow/index.html")).unwrap();
    assert!(pack.contains("href=\"departures.html\""), "{pack}");
    let departures = fs::read_to_string(out.path().join("oakhollow/departures.html")).unwrap();
    assert!(departures.contains("<a href=\"index.html\">Back to the pack</a>"));
    assert!(!project.path().join("private/oversight").exists());
}

#[test]
fn one_clause_edit_is_printed_once_with_every_document_it_reaches() {
    let project = fixture("example");
    let baseline = tempfile::tempdir().unwrap();
    build_html(project.path(), baseline.path(), "2026-11-22");
    edit(project.path(), APPS, |t| {
        t.replacen("I will", "I will always", 1)
    });
    let (stdout, _) = texts(&changes(project.path(), baseline.path(), &[]));
    assert_eq!(stdout.matches("~ approved-apps:").count(), 1, "{stdout}");
    assert!(
        stdout.contains(
            "in 6 documents: copperbeck (staff), kestrel-valley (staff), oakhollow (staff), ravensmoor (staff), thistlecombe (staff), wrenfold (staff)"
        ),
        "{stdout}"
    );
    let json = changes(project.path(), baseline.path(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let clauses = report["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 1, "{clauses:#?}");
    assert_eq!(clauses[0]["documents"].as_array().unwrap().len(), 6);
    let per_document = report["documents"].as_array().unwrap();
    let reworded = per_document
        .iter()
        .filter(|d| !d["reworded"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(reworded, 6, "the per-document list stays");
}

/// Marks a spelling fix in approved-apps as editorial.
fn fix_editorially(project: &Path) {
    edit(project, APPS, |t| {
        t.replacen("purchasing process", "purchasing procedure", 1)
            .replacen(
                "\n---\n",
                "\neditorial:\n  reason: the finance policy's word\n  fixes:\n    - was: purchasing process\n      now: purchasing procedure\n---\n",
                1,
            )
    });
}

#[test]
fn an_edit_marked_editorial_needs_no_new_signatures_but_still_counts() {
    let project = fixture("example");
    let baseline = tempfile::tempdir().unwrap();
    build_html(project.path(), baseline.path(), "2026-11-22");
    fix_editorially(project.path());
    let output = changes(project.path(), baseline.path(), &["--exit-code"]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(4), "still a change: {stderr}");
    assert!(
        stdout.contains("~ approved-apps (marked editorial: the finance policy's word)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("wrenfold: 1 of 10 documents changed; nobody needs to sign again; editorial changes only: staff"),
        "{stdout}"
    );
    assert!(!stdout.contains("must be signed again"), "{stdout}");
    let check = run_in(project.path(), &["check"]);
    assert!(!texts(&check).1.contains("editorial-mismatch"));
}

#[test]
fn an_editorial_mark_cannot_cover_another_edit() {
    let project = fixture("example");
    let baseline = tempfile::tempdir().unwrap();
    build_html(project.path(), baseline.path(), "2026-11-22");
    fix_editorially(project.path());
    edit(project.path(), APPS, |t| {
        t.replacen("I will", "I will always", 1)
    });
    let (stdout, stderr) = texts(&changes(project.path(), baseline.path(), &[]));
    assert!(
        stdout.contains("wrenfold: 1 of 10 documents changed; must sign again: staff"),
        "{stdout}"
    );
    // The diff that must be signed again does not wear the mark's reason.
    assert!(stdout.contains("~ approved-apps: "), "{stdout}");
    assert!(!stdout.contains("marked editorial"), "{stdout}");
    assert!(
        stderr.contains("warning[editorial-stale]: clause `approved-apps` is marked editorial, but it has changed since"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("--> {APPS}:9:1")), "{stderr}");
}

#[test]
fn a_mark_left_from_a_published_edit_applies_to_no_later_change() {
    let project = fixture("example");
    fix_editorially(project.path());
    let baseline = tempfile::tempdir().unwrap();
    build_html(project.path(), baseline.path(), "2026-11-22");
    // Published with the edit: the mark, still in the file, explains nothing.
    let (stdout, stderr) = texts(&changes(project.path(), baseline.path(), &[]));
    assert!(!stdout.contains("approved-apps"), "{stdout}");
    assert!(
        stderr.contains("clause `approved-apps` is marked editorial, but it reads as it did in"),
        "{stderr}"
    );
    // The next real change is to be signed, and shows no editorial reason.
    edit(project.path(), APPS, |t| {
        t.replacen("I will", "I will always", 1)
    });
    let (stdout, stderr) = texts(&changes(project.path(), baseline.path(), &[]));
    assert!(stdout.contains("must sign again: staff"), "{stdout}");
    assert!(!stdout.contains("marked editorial"), "{stdout}");
    assert!(stderr.contains("warning[editorial-stale]"), "{stderr}");
}

#[test]
fn a_mark_whose_text_is_not_in_the_clause_is_reported() {
    let project = fixture("example");
    edit(project.path(), APPS, |t| {
        t.replacen(
            "\n---\n",
            "\neditorial:\n  reason: typo\n  fixes:\n    - was: teh\n      now: the cat\n---\n",
            1,
        )
    });
    let (_, stderr) = texts(&run_in(project.path(), &["check"]));
    assert!(stderr.contains("warning[editorial-mismatch]"), "{stderr}");
}

#[test]
fn a_removed_school_reads_as_removed_with_its_documents_withdrawn() {
    let project = fixture("example");
    let baseline = tempfile::tempdir().unwrap();
    build_html(project.path(), baseline.path(), "2026-11-22");
    fs::remove_file(project.path().join("schools/ravensmoor.yaml")).unwrap();
    let (stdout, _) = texts(&changes(project.path(), baseline.path(), &[]));
    assert!(
        stdout.contains("ravensmoor: removed from the project; 17 documents withdrawn"),
        "{stdout}"
    );
    assert!(!stdout.contains("ravensmoor: 0 documents"), "{stdout}");
    assert!(stdout.contains("ravensmoor/aup-staff: removed (") && stdout.contains("; withdrawn"));
}

#[test]
fn a_reverted_change_takes_its_summary_and_link_away() {
    let project = fixture("example");
    let baseline = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    build_html(project.path(), baseline.path(), "2026-11-22");
    build_html(project.path(), out.path(), "2026-11-22");
    let original = fs::read_to_string(project.path().join(APPS)).unwrap();
    edit(project.path(), APPS, |t| {
        t.replacen("I will", "I will always", 1)
    });
    let out_arg = out.path().to_str().unwrap();
    let write = changes(
        project.path(),
        baseline.path(),
        &["--write", "--out", out_arg],
    );
    assert!(write.status.success(), "{}", texts(&write).1);
    let page = out.path().join("wrenfold/changes.html");
    assert!(page.is_file());
    fs::write(project.path().join(APPS), original).unwrap();
    let write = changes(
        project.path(),
        baseline.path(),
        &["--write", "--out", out_arg],
    );
    let (_, stderr) = texts(&write);
    assert!(write.status.success(), "{stderr}");
    assert!(!page.exists(), "the stale summary is removed: {stderr}");
    assert!(stderr.contains("removed"), "{stderr}");
    let pack = fs::read_to_string(out.path().join("wrenfold/index.html")).unwrap();
    assert!(!pack.contains("href=\"changes.html\""), "{pack}");
}

#[test]
fn changes_help_calls_the_json_an_object() {
    let help = texts(&run_in(&crate::support::repo(), &["changes", "--help"])).0;
    assert!(help.contains("one JSON object"), "{help}");
    assert!(!help.contains("JSON array"), "{help}");
}

#[test]
fn the_audit_names_clauses_by_title_and_lists_a_trust_clause_at_no_school() {
    let project = fixture("basic");
    add_trust_clause(project.path());
    // Beta restates the trust's numbering default for staff: no departure.
    let trust_file = project.path().join("schools/_trust.yaml");
    let text = fs::read_to_string(&trust_file).unwrap();
    fs::write(
        &trust_file,
        format!("{text}numbering: {{ default: letter }}\n"),
    )
    .unwrap();
    let output = run_in(project.path(), &["explain", "--trust", "--format", "json"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let audit: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let departures = |school: &str| -> Vec<serde_json::Value> {
        let s = audit["schools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["school"] == school)
            .unwrap();
        s["policy_departures"].as_array().unwrap().clone()
    };
    for school in ["alpha", "beta"] {
        assert!(
            !departures(school)
                .iter()
                .any(|d| d["key"] == "clause trust-helpdesk"),
            "{school}: {stdout}"
        );
    }
    let beta = departures("beta");
    assert!(
        !beta.iter().any(|d| d["key"] == "numbering.staff"),
        "{beta:?}"
    );
    let exclude = beta.iter().find(|d| d["key"] == "exclude").unwrap();
    assert_eq!(
        exclude["school"],
        "lock-screen (I will lock my screen whenever I leave my device.)"
    );
    let own = beta
        .iter()
        .find(|d| d["key"] == "clause beta-tablets")
        .unwrap();
    assert_eq!(own["file"], "schools/beta/clauses/beta-tablets.md");
    assert_eq!(
        own["school"],
        "I will return class tablets to the charging trolley at the end of each day."
    );
}
