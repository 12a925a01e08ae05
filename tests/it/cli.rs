//! The commands a DPO reaches for in the first hour: init, list, explain,
//! changes, watch, completions, man, --version and --help.

use std::fs;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn init_then_build_works_without_edits_and_check_lists_the_todos() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("new-school");
    let output = run_in(dir.path(), &["init", "new-school", "--trust"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("created a policyc project in new-school ("),
        "{stdout}"
    );
    let check = run_in(&project, &["check"]);
    let (stdout, stderr) = texts(&check);
    assert!(check.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "warning[todo]: `name` still has a TODO value\n  --> schools/my-school.yaml:6:7"
        ),
        "{stderr}"
    );
    assert!(stdout.starts_with("ok: 5 documents"), "{stdout}");
    // Denied, the same warnings fail the check, and it says so.
    let denied = run_in(&project, &["check", "--deny-warnings"]);
    let (stdout, _) = texts(&denied);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        stdout.starts_with("failed: ") && stdout.contains(" denied (5 documents, 0 errors, "),
        "{stdout}"
    );
    let build = run_in(&project, &["build"]);
    assert!(build.status.success(), "{:?}", texts(&build));
    for audience in ["staff", "governor", "volunteer", "ks1", "ks2"] {
        assert!(
            project
                .join(format!("out/my-school/aup-{audience}.pdf"))
                .is_file(),
            "{audience}"
        );
    }
    let staff = squash(&pdf_text(&project.join("out/my-school/aup-staff.pdf")));
    assert!(
        staff.contains("lanyard"),
        "the example local clause is in the staff agreement"
    );
    let again = run_in(dir.path(), &["init", "new-school"]);
    assert_eq!(
        again.status.code(),
        Some(3),
        "init refuses a folder that is not empty"
    );
}

#[test]
fn init_without_a_trust_builds_too() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_in(dir.path(), &["init", "solo"]).status.success());
    assert!(!dir.path().join("solo/schools/_trust.yaml").exists());
    let build = run_in(&dir.path().join("solo"), &["build", "--format", "html"]);
    assert!(build.status.success(), "{:?}", texts(&build));
}

#[test]
fn list_filters_clauses_by_audience_and_tag() {
    let project = fixture("basic");
    let output = run_in(project.path(), &["list", "clauses", "--audience", "ks2"]);
    let (stdout, _) = texts(&output);
    assert_eq!(
        stdout,
        "ID          SECTION  AUDIENCES  MODULE  FROM     TITLE\n----------  -------  ---------  ------  -------  ---------\npasswords   safety   staff,ks2  -       library  Passwords\ntell-adult  safety   ks2        -       library\n"
    );
    let schools = texts(&run_in(project.path(), &["list", "schools"])).0;
    assert!(
        schools.contains("alpha  Alpha Primary School  staff,ks2  schools/_trust.yaml"),
        "{schools}"
    );
    let audiences = texts(&run_in(project.path(), &["list", "audiences"])).0;
    assert!(
        audiences.contains("ks1        Key Stage 1 pupils  ks1        0        name,date"),
        "{audiences}"
    );
}

#[test]
fn explain_shows_where_each_clause_came_from() {
    let project = fixture("basic");
    let output = run_in(
        project.path(),
        &["explain", "--school", "beta", "--audience", "staff"],
    );
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    insta::assert_snapshot!("explain-beta-staff", stdout.replace('\r', ""));
    let diff = texts(&run_in(
        project.path(),
        &["explain", "--school", "beta", "--diff-trust"],
    ))
    .0;
    insta::assert_snapshot!("explain-beta-diff-trust", diff);
}

#[test]
fn changes_names_exactly_the_documents_that_must_be_signed_again() {
    let project = fixture("example");
    let baseline = tempfile::tempdir().unwrap();
    let out = baseline.path().to_str().unwrap();
    assert!(
        run_in(project.path(), &["build", "--out", out, "--format", "html"])
            .status
            .success()
    );
    let clause = project
        .path()
        .join("clauses/adult/teaching/approved-apps.md");
    let text = fs::read_to_string(&clause).unwrap();
    assert!(text.contains("I will"), "{text}");
    fs::write(&clause, text.replacen("I will", "I will always", 1)).unwrap();
    let output = run_in(project.path(), &["changes", "--baseline", out]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let changed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(": changed ("))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        changed,
        [
            "copperbeck/aup-staff",
            "kestrel-valley/aup-staff",
            "oakhollow/aup-staff",
            "ravensmoor/aup-staff",
            "thistlecombe/aup-staff",
            "wrenfold/aup-staff"
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("  ~ approved-apps: With pupils, I will {+always +}"),
        "{stdout}"
    );
    assert!(
        stdout.contains("wrenfold: 1 of 10 documents changed; must sign again: staff"),
        "{stdout}"
    );
    let json = run_in(
        project.path(),
        &["changes", "--baseline", out, "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let again: Vec<String> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["sign_again"] == true)
        .map(|d| {
            format!(
                "{}/{}",
                d["school"].as_str().unwrap(),
                d["audience"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        again,
        [
            "copperbeck/staff",
            "kestrel-valley/staff",
            "oakhollow/staff",
            "ravensmoor/staff",
            "thistlecombe/staff",
            "wrenfold/staff"
        ]
    );
    let write = run_in(
        project.path(),
        &["changes", "--baseline", out, "--write", "--out", out],
    );
    assert!(write.status.success());
    let page = fs::read_to_string(baseline.path().join("wrenfold/changes.html")).unwrap();
    assert!(page.contains("<ins>always </ins>"), "{page}");
    let pack = fs::read_to_string(baseline.path().join("wrenfold/index.html")).unwrap();
    assert!(
        pack.contains("href=\"changes.html\""),
        "the pack links its summary of changes"
    );
}

#[test]
fn watch_rebuilds_after_an_edit_and_survives_an_error() {
    let project = fixture("basic");
    let mut child = policyc()
        .args(["watch", "--format", "html", "--school", "alpha"])
        .current_dir(project.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let page = project.path().join("out/alpha/aup-staff.html");
    let wait_for = |what: &dyn Fn() -> bool| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if what() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    assert!(
        wait_for(&|| page.is_file()),
        "the first build happens at once"
    );
    std::thread::sleep(Duration::from_millis(400));
    let clause = project.path().join("clauses/core/lock-screen.md");
    let broken = fs::read_to_string(&clause)
        .unwrap()
        .replace("I will lock", "I will {{ nope.x }} lock");
    fs::write(&clause, &broken).unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    fs::write(&clause, broken.replace("{{ nope.x }} ", "always ")).unwrap();
    let rebuilt =
        wait_for(&|| fs::read_to_string(&page).is_ok_and(|p| p.contains("I will always lock")));
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(
        rebuilt,
        "the page was not rebuilt; stderr:\n{stderr}\nstdout:\n{stdout}"
    );
    assert!(
        stderr.contains("changed: clauses/core/lock-screen.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[undefined-placeholder]: `nope.x` is not defined"),
        "{stderr}"
    );
}

#[test]
fn completions_man_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let bash = run_in(dir.path(), &["completions", "bash"]);
    let script = String::from_utf8(bash.stdout).unwrap();
    assert!(
        script.contains("_policyc()") && script.contains("explain"),
        "bash completion lists the commands"
    );
    let man = run_in(dir.path(), &["man"]);
    let roff = String::from_utf8(man.stdout).unwrap();
    assert!(
        roff.starts_with(".ie \\n(.g .ds Aq") || roff.contains(".TH policyc"),
        "{roff}"
    );
    assert!(roff.contains(".TH policyc"));
    if std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok()
    {
        let path = dir.path().join("policyc.1");
        fs::write(&path, &roff).unwrap();
        let rendered = std::process::Command::new("man")
            .arg("-l")
            .arg(&path)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&rendered.stdout);
        assert!(
            text.contains("policyc"),
            "man rendered nothing: {}",
            String::from_utf8_lossy(&rendered.stderr)
        );
    }
    let version = texts(&run_in(dir.path(), &["--version"])).0;
    let lock = fs::read_to_string(repo().join("Cargo.lock")).unwrap();
    let typst = lock
        .split("name = \"typst\"\nversion = \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(
        version,
        format!("policyc {} (typst {typst})\n", env!("CARGO_PKG_VERSION"))
    );
}

/// Every subcommand, in the order docs/CLI.md's usage block shows them.
const COMMANDS: [&str; 14] = [
    "build",
    "check",
    "list",
    "explain",
    "changes",
    "publish",
    "merge",
    "init",
    "watch",
    "completions",
    "man",
    "upgrade-library",
    "signoff",
    "consent",
];

#[test]
fn every_subcommand_help_has_an_example_and_the_cli_reference_matches_it() {
    let reference = repo().join("docs/CLI.md");
    let readme = fs::read_to_string(&reference).unwrap();
    let mut expected = String::new();
    for cmd in COMMANDS {
        let output = run_in(&repo(), &[cmd, "--help"]);
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(
            help.contains("Examples:\n  policyc "),
            "`{cmd} --help` has no example"
        );
        expected.push_str(&format!("$ policyc {cmd} --help\n{help}\n"));
    }
    let block = readme
        .split("<!-- usage:start -->\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```\n<!-- usage:end -->").next())
        .unwrap_or("");
    if std::env::var_os("BLESS").is_some() && block != expected {
        let updated = readme.replacen(block, &expected, 1);
        fs::write(&reference, updated).unwrap();
        return;
    }
    assert_eq!(
        block, expected,
        "docs/CLI.md's usage block is out of date: run BLESS=1 cargo test --release --test it"
    );
}

#[test]
fn the_ci_recipes_use_real_commands_and_options() {
    for recipe in ["policyc.yml", "policyc-sharded.yml"] {
        recipe_uses_real_commands(recipe);
    }
}

/// Asserts that each job of `examples/ci/<recipe>` that never pushes keeps
/// no token, and that each policyc command it runs has the options it is
/// given.
fn recipe_uses_real_commands(recipe: &str) {
    let text = fs::read_to_string(repo().join("examples/ci").join(recipe)).unwrap();
    let workflow: serde_yaml::Value =
        serde_yaml::from_str(&text).expect("the recipe is valid YAML");
    let jobs = workflow["jobs"].as_mapping().expect("the recipe has jobs");
    // A job that never pushes keeps the token out of its checkout.
    for (name, job) in jobs {
        let steps = job["steps"].as_sequence().into_iter().flatten();
        let pushes = steps
            .clone()
            .any(|s| s["run"].as_str().is_some_and(|r| r.contains("git push")));
        for step in steps {
            let checkout = step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"));
            if checkout && !pushes {
                assert_eq!(
                    step["with"]["persist-credentials"].as_bool(),
                    Some(false),
                    "job {name:?} checks out with its token kept"
                );
            }
        }
    }
    let steps = jobs
        .values()
        .filter_map(|job| job["steps"].as_sequence())
        .flatten();
    let mut commands = 0;
    for step in steps {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        for line in run.lines() {
            let parts = |sep: &str| {
                line.split(sep)
                    .skip(1)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            };
            for part in parts("policyc ")
                .into_iter()
                .chain(parts("\"$policyc\" "))
                .chain(parts("policyc\" "))
            {
                let words: Vec<&str> = part
                    .split_whitespace()
                    .take_while(|w| !matches!(*w, ">" | "|" | "||"))
                    .collect();
                let Some(cmd) = words.first() else { continue };
                if matches!(*cmd, "check" | "build" | "changes" | "merge") {
                    let help = String::from_utf8(run_in(&repo(), &[cmd, "--help"]).stdout).unwrap();
                    for flag in words.iter().filter(|w| w.starts_with("--")) {
                        assert!(help.contains(flag), "`policyc {cmd}` has no {flag}");
                    }
                    commands += 1;
                }
            }
        }
    }
    assert!(
        commands >= 3,
        "{recipe} runs check, build and changes or merge"
    );
}

#[test]
fn overdue_reviews_fail_only_the_job_that_asks() {
    let project = fixture("basic");
    let check = |extra: &[&str]| {
        let mut args = vec!["check"];
        args.extend_from_slice(extra);
        policyc()
            .args(&args)
            .env("POLICYC_TODAY", "2027-10-01")
            .current_dir(project.path())
            .output()
            .unwrap()
    };
    let plain = check(&["--deny-warnings"]);
    let (_, stderr) = texts(&plain);
    assert!(stderr.contains("warning[review-overdue]"), "{stderr}");
    assert_eq!(plain.status.code(), Some(0), "{stderr}");
    assert_eq!(check(&["--deny-overdue"]).status.code(), Some(1));
}

#[test]
fn changes_exit_code_says_whether_anything_changed() {
    let project = fixture("basic");
    let baseline = tempfile::tempdir().unwrap();
    let out = baseline.path().to_str().unwrap();
    assert!(run_in(project.path(), &["build", "--out", out])
        .status
        .success());
    let args = ["changes", "--baseline", out, "--exit-code"];
    assert_eq!(run_in(project.path(), &args).status.code(), Some(0));
    let clause = project.path().join("clauses/core/passwords.md");
    let text = fs::read_to_string(&clause).unwrap();
    fs::write(&clause, format!("{text}\nI will change them when asked.\n")).unwrap();
    // 4, not 1: a change is not an error, and CI must tell the two apart.
    assert_eq!(run_in(project.path(), &args).status.code(), Some(4));
    let without = run_in(project.path(), &["changes", "--baseline", out]);
    assert_eq!(without.status.code(), Some(0), "--exit-code is opt-in");
    fs::write(
        project.path().join("schools/alpha.yaml"),
        "name: [unclosed\n",
    )
    .unwrap();
    assert_eq!(run_in(project.path(), &args).status.code(), Some(1));
}

/// The commands an example line runs: `policyc …` up to a redirection, a
/// pipe, `&&` or a trailing comment (two spaces or `#`).
fn example_command(line: &str) -> Option<Vec<String>> {
    let rest = line.trim().strip_prefix("policyc ")?;
    let rest = rest.split("  ").next().unwrap_or(rest);
    let rest = rest.split(" #").next().unwrap_or(rest);
    let words: Vec<String> = rest
        .split_whitespace()
        .take_while(|w| !matches!(*w, ">" | "|" | "&&" | "||"))
        .map(str::to_string)
        .collect();
    (!words.is_empty()).then_some(words)
}

#[test]
fn every_example_in_the_help_and_the_readme_runs_on_the_bundled_example() {
    // The bundled example as it is: its published/ holds the spring pack.
    let project = fixture("example");
    let mut examples = Vec::new();
    let top = String::from_utf8(run_in(project.path(), &["--help"]).stdout).unwrap();
    examples.extend(top.lines().filter_map(example_command));
    for cmd in COMMANDS {
        let help = String::from_utf8(run_in(project.path(), &[cmd, "--help"]).stdout).unwrap();
        let section = help.split("Examples:").nth(1).unwrap_or("");
        examples.extend(section.lines().filter_map(example_command));
    }
    // The README's and the guides' shell blocks, as a reader would type them.
    let mut docs = vec![repo().join("README.md")];
    let mut guides: Vec<_> = fs::read_dir(repo().join("docs/guide"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    guides.sort();
    docs.extend(guides);
    for doc in docs {
        let text = fs::read_to_string(&doc).unwrap();
        for block in text.split("```sh\n").skip(1) {
            let code = block.split("```").next().unwrap_or("");
            examples.extend(code.lines().filter_map(example_command));
        }
    }
    assert!(
        examples.len() >= 25,
        "only {} examples found",
        examples.len()
    );
    for words in examples {
        if words[0] == "watch" {
            continue; // runs until stopped; its options are build's
        }
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        let output = run_in(project.path(), &args);
        let (_, stderr) = texts(&output);
        // `changes --exit-code` exits 4 when something changed, and the
        // example has changed since its spring pack; `--deny-outstanding`
        // exits 1 while the example ledger is part filled in.
        let changed = words.iter().any(|w| w == "--exit-code")
            && output.status.code() == Some(4)
            && stderr.is_empty();
        let outstanding = words.iter().any(|w| w == "--deny-outstanding")
            && output.status.code() == Some(1)
            && stderr.ends_with("outstanding\n");
        assert!(
            output.status.success() || changed || outstanding,
            "`policyc {}` failed on the bundled example:\n{stderr}",
            words.join(" ")
        );
    }
}

#[test]
fn man_pages_exist_for_every_command_and_completions_know_the_schools() {
    let project = fixture("example");
    let dir = tempfile::tempdir().unwrap();
    let man = run_in(
        project.path(),
        &["man", "--dir", dir.path().to_str().unwrap()],
    );
    assert!(man.status.success(), "{:?}", texts(&man));
    let mut pages: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for name in [
        "policyc.1",
        "policyc-build.1",
        "policyc-check.1",
        "policyc-changes.1",
        "policyc-man.1",
    ] {
        assert!(pages.iter().any(|p| p == name), "no {name} in {pages:?}");
    }
    let build = fs::read_to_string(dir.path().join("policyc-build.1")).unwrap();
    for section in [
        ".SH EXIT STATUS",
        ".SH ENVIRONMENT",
        ".SH FILES",
        "SOURCE_DATE_EPOCH",
        "pdf\\-standard",
    ] {
        assert!(build.contains(section), "policyc-build(1) lacks {section}");
    }
    let top = texts(&run_in(project.path(), &["man"])).0;
    assert!(
        top.contains("policyc\\-build(1)") || top.contains("policyc-build(1)"),
        "{top}"
    );
    let unknown = run_in(project.path(), &["man", "bulid"]);
    assert_eq!(unknown.status.code(), Some(2));
    let bash = texts(&run_in(project.path(), &["completions", "bash"])).0;
    for id in ["wrenfold", "ravensmoor", "secondary"] {
        assert!(bash.contains(id), "the bash completions do not offer {id}");
    }
}

#[test]
fn upgrade_library_previews_then_writes_only_when_asked() {
    let project = fixture("example");
    let preview = run_in(project.path(), &["upgrade-library"]);
    let (stdout, stderr) = texts(&preview);
    assert!(preview.status.success(), "{stderr}");
    assert!(
        stdout.contains("the new library changes 0 files"),
        "{stdout}"
    );
    // An out-of-date copy of one clause, and a clause of the school's own
    // that the library never had.
    let clause = project
        .path()
        .join("clauses/adult/teaching/approved-apps.md");
    let original = fs::read_to_string(&clause).unwrap();
    fs::write(&clause, original.replacen("I will", "I shall", 1)).unwrap();
    let own = project.path().join("clauses/adult/systems/own-rule.md");
    fs::write(&own, "---\nid: own-rule\nsection: systems\norder: 99\naudiences: [staff]\n---\nI follow our own rule.\n").unwrap();
    let preview = run_in(project.path(), &["upgrade-library"]);
    let (stdout, stderr) = texts(&preview);
    assert!(
        stdout.contains("~ approved-apps: With pupils, I [-shall-]{+will+}"),
        "{stdout}"
    );
    assert!(stdout.contains("must sign again: staff"), "{stdout}");
    assert!(stdout.contains("kept (not in the new library; delete it if you no longer want it): clauses/adult/systems/own-rule.md"), "{stdout}");
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(
        fs::read_to_string(&clause).unwrap().contains("I shall"),
        "a preview writes nothing"
    );
    let json = run_in(project.path(), &["upgrade-library", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        report["changed_files"],
        serde_json::json!(["clauses/adult/teaching/approved-apps.md"])
    );
    let write = run_in(project.path(), &["upgrade-library", "--write"]);
    assert!(write.status.success(), "{:?}", texts(&write));
    assert_eq!(fs::read_to_string(&clause).unwrap(), original);
    assert!(own.exists(), "a school's own file is never deleted");
}

/// The exit-code table (src/diag: 0 ok, 1 the project or an input has
/// problems, 2 usage, 3 policyc could not do its work) holds for every
/// command: a missing project, an unknown school or audience and a
/// missing input are all 1, whichever command meets them.
#[test]
fn every_command_keeps_the_exit_code_table() {
    let project = fixture("example");
    let cases: &[(&[&str], i32)] = &[
        (&["build", "--project", "/missing"], 1),
        (&["check", "--project", "/missing"], 1),
        (&["list", "clauses", "--project", "/missing"], 1),
        (
            &[
                "explain",
                "--school",
                "x",
                "--audience",
                "staff",
                "--project",
                "/missing",
            ],
            1,
        ),
        (
            &[
                "changes",
                "--baseline",
                "published",
                "--project",
                "/missing",
            ],
            1,
        ),
        (&["watch", "--project", "/missing"], 1),
        (&["upgrade-library", "--project", "/missing"], 1),
        (&["signoff", "status", "--project", "/missing"], 1),
        (&["signoff", "print", "--project", "/missing"], 1),
        (&["signoff", "register", "--project", "/missing"], 1),
        (
            &[
                "signoff",
                "import",
                "f.csv",
                "--school",
                "x",
                "--project",
                "/missing",
            ],
            1,
        ),
        (&["explain", "--school", "nope", "--audience", "staff"], 1),
        (
            &["explain", "--school", "wrenfold", "--audience", "nope"],
            1,
        ),
        (&["build", "--school", "nope"], 1),
        (&["signoff", "status", "--school", "nope"], 1),
        (&["changes", "--baseline", "no/such/manifest.json"], 1),
        (&["build", "--no-such-flag"], 2),
        (&["build", "--pdf-standard", "none,ua-1"], 2),
        (&["signoff", "register", "--pdf-standard", "none,ua-1"], 2),
        (&["signoff", "print", "--pdf-standard", "none,a-2b"], 2),
        (&["frobnicate"], 2),
    ];
    for (args, code) in cases {
        let output = run_in(project.path(), args);
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(*code), "{args:?}:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}:\n{stderr}");
    }
}

#[test]
fn check_format_github_prints_an_annotation_per_problem() {
    let project = fixture("basic");
    let school = project.path().join("schools/alpha.yaml");
    let text = fs::read_to_string(&school).unwrap();
    fs::write(&school, format!("{text}colour: 12\n")).unwrap();
    let output = run_in(project.path(), &["check", "--format", "github"]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    let first = stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with("::error file=schools/alpha.yaml,line="),
        "{stdout}"
    );
    assert!(first.contains(",title=unknown-key::"), "{stdout}");
    assert!(
        stdout.ends_with("failed: 1 error, 0 warnings\n"),
        "{stdout}"
    );
}
