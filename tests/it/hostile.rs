//! The hostile corpus: what an attacker or a careless user can do to the
//! files around a project, beyond the bad-input corpus's one-mistake cases.
//! Nothing outside `out/` is written or deleted, no input aborts the
//! process, and builds that overlap or die leave `out/` consistent.

use std::fs;
use std::path::Path;
use std::process::{Child, Output};
use std::time::{Duration, Instant};

use crate::support::*;

fn build(project: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--quiet"];
    args.extend_from_slice(extra);
    run_in(project, &args)
}

fn assert_ok(output: &Output) {
    let (stdout, stderr) = texts(output);
    assert!(output.status.success(), "build failed:\n{stdout}\n{stderr}");
}

/// Every file under `dir` whose name starts with `.` and ends in `.tmp`.
fn temporaries(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(temporaries(&path));
        } else {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tmp") {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

/// Every output the manifest lists holds the bytes it records.
fn assert_manifest_matches(out: &Path) {
    let text = fs::read_to_string(out.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    for doc in manifest["documents"].as_array().unwrap() {
        for file in doc["outputs"].as_object().unwrap().values() {
            let path = out.join(file["path"].as_str().unwrap());
            let bytes = fs::read(&path)
                .unwrap_or_else(|_| panic!("{} is listed but missing", path.display()));
            assert_eq!(
                policyc::model::hash::hex_digest(&bytes),
                file["sha256"].as_str().unwrap(),
                "{} does not match the manifest",
                path.display()
            );
        }
    }
}

#[test]
fn a_tampered_manifest_cannot_reach_outside_out() {
    let outer = tempfile::tempdir().unwrap();
    let project = outer.path().join("project");
    crate::support::copy_dir(fixture("basic").path(), &project);
    assert_ok(&build(&project, &[]));
    let victim = outer.path().join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    let manifest_path = project.join("out/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let mut evil = manifest["documents"][0].clone();
    evil["school"] = "../../x".into();
    evil["outputs"]["pdf"]["path"] = "../../victim.txt".into();
    let mut stale = manifest["documents"][0].clone();
    stale["school"] = "gone".into();
    stale["outputs"]["pdf"]["path"] = "../../victim.txt".into();
    let docs = manifest["documents"].as_array_mut().unwrap();
    docs.push(evil);
    docs.push(stale);
    fs::write(&manifest_path, serde_json::to_string(&manifest).unwrap()).unwrap();
    let cache_path = project.join("out/.policyc-cache.json");
    let mut cache: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&cache_path).unwrap()).unwrap();
    cache["files"]["../../victim.txt"] =
        serde_json::json!({"size": 7, "mtime_ns": 1, "sha256": "00"});
    fs::write(&cache_path, serde_json::to_string(&cache).unwrap()).unwrap();
    // A full build and a filtered one, which keeps the records it does not
    // rebuild: neither may delete the victim or write `x/index.html`.
    assert_ok(&build(&project, &["--force"]));
    assert_ok(&build(&project, &["--school", "alpha", "--force"]));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!outer.path().join("x").exists());
    assert!(!project.join("x").exists());
    assert_manifest_matches(&project.join("out"));
}

#[test]
fn a_write_failure_is_one_message_and_exit_3() {
    let project = fixture("basic");
    fs::write(project.path().join("out"), "a file where the folder goes").unwrap();
    let output = build(project.path(), &[]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot create the output folder "),
        "{stderr}"
    );
}

#[test]
fn an_oversized_clause_is_refused_before_it_costs_memory() {
    let project = fixture("basic");
    let body = "I will be careful. ".repeat(20_000);
    let clause =
        format!("---\nid: huge\nsection: safety\norder: 1\naudiences: [staff]\n---\n{body}\n");
    fs::write(project.path().join("clauses/core/huge.md"), clause).unwrap();
    let output = build(project.path(), &[]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error[too-large]: the file is 372 KB; policyc reads files of at most 256 KB\n  --> clauses/core/huge.md\n"), "{stderr}");
    assert!(!project.path().join("out").exists());
}

#[test]
fn a_failed_first_build_leaves_no_out_folder() {
    let project = fixture("basic");
    fs::create_dir_all(project.path().join("templates")).unwrap();
    fs::write(project.path().join("templates/policy.typ"), "#let x = (\n").unwrap();
    let output = build(project.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", texts(&output).1);
    assert!(!project.path().join("out").exists(), "out/ was left behind");
}

#[test]
fn too_many_jobs_is_a_usage_error() {
    let project = fixture("basic");
    let output = build(project.path(), &["-j", "100000"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`100000` is not a number of threads from 1 to 256"),
        "{stderr}"
    );
}

#[test]
fn an_incremental_manifest_equals_a_clean_one() {
    let project = fixture("basic");
    assert_ok(&build(project.path(), &[]));
    let school = project.path().join("schools/alpha.yaml");
    let text = fs::read_to_string(&school).unwrap();
    fs::write(&school, format!("# reviewed in November\n{text}")).unwrap();
    assert_ok(&build(project.path(), &[]));
    let clean = tempfile::tempdir().unwrap();
    assert_ok(&build(
        project.path(),
        &["--out", clean.path().to_str().unwrap()],
    ));
    assert_eq!(
        fs::read_to_string(project.path().join("out/manifest.json")).unwrap(),
        fs::read_to_string(clean.path().join("manifest.json")).unwrap()
    );
}

#[test]
fn source_date_epoch_is_an_input() {
    let project = fixture("basic");
    assert_ok(&build(project.path(), &["--format", "pdf"]));
    let pdf = project.path().join("out/alpha/aup-staff.pdf");
    let digest = |p: &Path| policyc::model::hash::hex_digest(&fs::read(p).unwrap());
    let before = digest(&pdf);
    // 1 January 2026, not the approval date the first build used.
    let output = policyc()
        .args(["build", "--quiet", "--format", "pdf"])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .current_dir(project.path())
        .output()
        .unwrap();
    assert_ok(&output);
    assert_ne!(digest(&pdf), before, "the new creation date is written");
}

#[test]
fn a_removed_school_leaves_no_pack_behind() {
    let project = fixture("basic");
    assert_ok(&build(project.path(), &[]));
    assert!(project.path().join("out/beta/index.html").exists());
    fs::remove_file(project.path().join("schools/beta.yaml")).unwrap();
    assert_ok(&build(project.path(), &[]));
    assert!(
        !project.path().join("out/beta").exists(),
        "out/beta is stale"
    );
    let trust = fs::read_to_string(project.path().join("out/index.html")).unwrap();
    assert!(!trust.contains("beta/index.html"));
}

fn spawn_build(project: &Path, extra: &[&str]) -> Child {
    policyc()
        .args(["build", "--quiet", "--force"])
        .args(extra)
        .current_dir(project)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn concurrent_builds_wait_for_each_other() {
    let project = fixture("example");
    // Disjoint filters, the case that used to lose staged files.
    let schools = ["wrenfold", "copperbeck", "oakhollow"];
    let children: Vec<Child> = schools
        .iter()
        .flat_map(|s| {
            [
                spawn_build(project.path(), &["--school", s]),
                spawn_build(project.path(), &[]),
            ]
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert_ok(&output);
    }
    let out = project.path().join("out");
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
    assert_manifest_matches(&out);
}

#[cfg(unix)]
#[test]
fn a_build_killed_while_another_waits_leaves_out_consistent() {
    let project = fixture("example");
    assert_ok(&build(project.path(), &[]));
    let out = project.path().join("out");
    for delay_ms in [20, 80, 200] {
        let mut first = spawn_build(project.path(), &[]);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let second = spawn_build(project.path(), &[]);
        // SAFETY: kill(2) on a child we started.
        unsafe { libc::kill(first.id() as i32, libc::SIGKILL) };
        let _ = first.wait();
        let started = Instant::now();
        let output = second.wait_with_output().unwrap();
        assert_ok(&output);
        assert!(started.elapsed() < Duration::from_secs(120));
        assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
        assert_manifest_matches(&out);
    }
}

/// The same properties the `outputs` fuzz target checks, on the seeds and
/// on hand-made hostile variants, so CI runs them on every change.
#[test]
fn the_readers_of_out_keep_only_safe_paths() {
    use policyc::model::ids::check_id;
    use policyc::model::manifest::Manifest;
    use policyc::output::cache::{is_plain_relative, Cache};
    use policyc::output::trusted_records;
    let seeds = repo().join("fuzz/seeds/outputs");
    let mut inputs: Vec<String> = fs::read_dir(&seeds)
        .unwrap()
        .flatten()
        .map(|e| fs::read_to_string(e.path()).unwrap())
        .collect();
    let manifest = fs::read_to_string(seeds.join("manifest.json")).unwrap();
    for hostile in [
        "../x",
        "/etc/passwd",
        "a\\\\b",
        "c:x",
        "",
        "a//b",
        "./a",
        "x/../../y",
    ] {
        inputs.push(manifest.replace("\"school\": \"", &format!("\"school\": \"{hostile}")));
        inputs.push(manifest.replacen("\"path\": \"", &format!("\"path\": \"{hostile}/"), 1));
        inputs.push(format!(
            r#"{{"fingerprint":"f","files":{{"{hostile}":{{"size":1,"mtime_ns":1,"sha256":"s"}}}}}}"#
        ));
    }
    for text in &inputs {
        for rel in Cache::parse(text).files.keys() {
            assert!(is_plain_relative(rel), "kept {rel:?}");
        }
        if let Ok(m) = Manifest::from_json(text) {
            for doc in trusted_records(m).documents {
                let key = doc.key();
                assert!([&key.school, &key.policy, &key.audience]
                    .iter()
                    .all(|id| check_id(id).is_ok()));
                for (format, file) in &doc.outputs {
                    assert_eq!(file.path, key.output_path(*format));
                }
            }
        }
    }
    assert!(
        !trusted_records(Manifest::from_json(&manifest).unwrap())
            .documents
            .is_empty(),
        "an honest manifest keeps its records"
    );
}

/// A sentinel file outside the project, to show that nothing reaches it.
fn sentinel(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("sentinel.txt");
    fs::write(&path, "keep me").unwrap();
    path
}

#[cfg(unix)]
#[test]
fn a_linked_lock_file_is_refused_and_its_target_untouched() {
    let project = fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    let victim = sentinel(outside.path());
    fs::create_dir(project.path().join("out")).unwrap();
    std::os::unix::fs::symlink(&victim, project.path().join("out/.policyc.lock")).unwrap();
    let output = build(project.path(), &[]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("never follows links"), "{stderr}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
}

#[cfg(unix)]
#[test]
fn a_linked_school_folder_in_out_is_never_written_or_emptied() {
    let project = fixture("basic");
    assert_ok(&build(project.path(), &[]));
    let outside = tempfile::tempdir().unwrap();
    let victim = sentinel(outside.path());
    // The school's real outputs go; a link to a folder elsewhere, which
    // holds a file named like a stale output, takes their place.
    let alpha = project.path().join("out/alpha");
    fs::remove_dir_all(&alpha).unwrap();
    fs::copy(&victim, outside.path().join("aup-staff.pdf")).unwrap();
    std::os::unix::fs::symlink(outside.path(), &alpha).unwrap();
    let output = build(project.path(), &["--force"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    let mut names: Vec<_> = fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["aup-staff.pdf", "sentinel.txt"],
        "nothing written or removed there"
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_link_is_refused() {
    let project = fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    sentinel(outside.path());
    std::os::unix::fs::symlink(outside.path(), project.path().join("out")).unwrap();
    let output = build(project.path(), &[]);
    assert_eq!(output.status.code(), Some(3), "{}", texts(&output).1);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn linked_input_folders_are_never_read() {
    for folder in [
        "schools",
        "templates",
        "policies",
        "clauses/core",
        "schools/beta",
    ] {
        let project = fixture("basic");
        let outside = tempfile::tempdir().unwrap();
        let real = project.path().join(folder);
        fs::create_dir_all(&real).unwrap();
        let moved = outside.path().join("moved");
        copy_dir(&real, &moved);
        fs::write(moved.join("secret.md"), "SECRET LINE FROM OUTSIDE\n").unwrap();
        fs::remove_dir_all(&real).unwrap();
        std::os::unix::fs::symlink(&moved, &real).unwrap();
        let output = run_in(project.path(), &["check"]);
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(1), "{folder}: {stderr}");
        assert!(
            stderr.contains("is a link, and policyc never follows links"),
            "{folder}: {stderr}"
        );
        assert!(
            !stderr.contains("SECRET") && !stdout.contains("SECRET"),
            "{folder}"
        );
    }
}

#[cfg(unix)]
#[test]
fn an_output_folder_spelt_to_reach_an_input_is_refused() {
    let project = fixture("basic");
    for out in ["nonexist/../schools", ".", "out/../clauses/core"] {
        let output = build(project.path(), &["--out", out]);
        let (_, stderr) = texts(&output);
        assert_ne!(output.status.code(), Some(0), "--out {out}: {stderr}");
        assert!(
            !project.path().join("schools/index.html").exists(),
            "--out {out}"
        );
        assert!(!project.path().join("index.html").exists(), "--out {out}");
        assert!(!project.path().join("clauses/core/index.html").exists());
    }
    let output = run_in(
        project.path(),
        &[
            "changes",
            "--baseline",
            "out",
            "--write",
            "--out",
            "clauses/core",
        ],
    );
    assert_ne!(output.status.code(), Some(0));
    assert!(!project.path().join("clauses/core/index.html").exists());
    for kept in ["clauses", "schools", "policies"] {
        assert!(project.path().join(kept).is_dir(), "{kept} is still there");
    }
}

#[cfg(unix)]
#[test]
fn names_never_reach_out_however_the_path_is_spelt() {
    let project = fixture("example");
    assert_ok(&build(project.path(), &[]));
    let before = files_under(&project.path().join("out"));
    for out in [
        "nonexist/../out/s.html",
        "./out/./s.html",
        "private/../out/s.html",
    ] {
        let output = run_in(
            project.path(),
            &[
                "signoff", "status", "--format", "html", "--names", "--out", out,
            ],
        );
        assert_ne!(output.status.code(), Some(0), "--out {out}");
    }
    // private/<school> linked into out/: a print run refuses the link.
    fs::create_dir_all(project.path().join("private")).unwrap();
    std::os::unix::fs::symlink(
        project.path().join("out/wrenfold"),
        project.path().join("private/wrenfold"),
    )
    .unwrap();
    let output = run_in(
        project.path(),
        &["signoff", "print", "--school", "wrenfold"],
    );
    assert_ne!(output.status.code(), Some(0), "{}", texts(&output).1);
    assert_eq!(files_under(&project.path().join("out")), before);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_endless_file_in_out_cannot_hang_a_build() {
    let project = fixture("basic");
    assert_ok(&build(project.path(), &[]));
    let out = project.path().join("out");
    fs::remove_file(out.join("manifest.json")).unwrap();
    let fifo = std::ffi::CString::new(out.join("manifest.json").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    fs::remove_file(out.join(".policyc-cache.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", out.join(".policyc-cache.json")).unwrap();
    let mut child = policyc()
        .args(["build", "--quiet"])
        .current_dir(project.path())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the build hung on a FIFO or /dev/zero");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn strings_from_a_baseline_never_reach_the_terminal_as_escapes() {
    let project = fixture("basic");
    assert_ok(&build(project.path(), &[]));
    let text = fs::read_to_string(project.path().join("out/manifest.json")).unwrap();
    let mut manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let doc = &mut manifest["documents"][0];
    doc["school"] = "\u{1b}]0;owned\u{7}\u{1b}[2Jalpha\u{202e}".into();
    doc["doc_id"] = "\u{1b}[31mRED".into();
    let baseline = project.path().join("baseline.json");
    fs::write(&baseline, serde_json::to_string(&manifest).unwrap()).unwrap();
    let output = run_in(project.path(), &["changes", "--baseline", "baseline.json"]);
    let (stdout, stderr) = texts(&output);
    assert!(stdout.contains("alpha"), "{stdout}{stderr}");
    for text in [&stdout, &stderr] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(!text.contains('\u{202e}'), "{text:?}");
    }
}

#[test]
fn a_build_that_cannot_write_its_manifest_replaces_nothing() {
    let project = fixture("basic");
    assert_ok(&build(project.path(), &[]));
    let out = project.path().join("out");
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    fs::remove_file(out.join("manifest.json")).unwrap();
    fs::create_dir(out.join("manifest.json")).unwrap();
    // A changed clause, so every document would be written again.
    let clause = files_under(&project.path().join("clauses"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let text = fs::read_to_string(&clause).unwrap();
    fs::write(
        &clause,
        format!("{}\nOne more sentence.\n", text.trim_end()),
    )
    .unwrap();
    let output = build(project.path(), &[]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("manifest.json"), "{stderr}");
    for (path, bytes) in before {
        if path.ends_with("manifest.json") || path.ends_with(".policyc.lock") {
            continue;
        }
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{} was replaced",
            path.display()
        );
    }
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

/// Snapshot of every file below `dir`: path and bytes.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

/// Each writer, with a link to a folder outside the project at each
/// component of its target: nothing outside is written, changed or
/// removed, and the command says so instead of following the link.
#[cfg(unix)]
#[test]
fn every_writer_refuses_a_link_at_every_component_of_its_target() {
    const IMPORT: &[&str] = &[
        "signoff",
        "import",
        "form.csv",
        "--school",
        "wrenfold",
        "--audience",
        "ks2",
        "--write",
    ];
    let writers: &[(&str, &[&str])] = &[
        ("out", &["build", "--quiet"]),
        ("out/wrenfold", &["build", "--quiet", "--force"]),
        (
            "out",
            &["changes", "--baseline", "published/2026-spring", "--write"],
        ),
        ("private", &["signoff", "print", "--school", "wrenfold"]),
        (
            "private/wrenfold",
            &["signoff", "print", "--school", "wrenfold"],
        ),
        ("private", &["signoff", "register", "--school", "wrenfold"]),
        (
            "private",
            &["signoff", "status", "--format", "html", "--names"],
        ),
        ("people/wrenfold", IMPORT),
        ("people", IMPORT),
        ("clauses", &["upgrade-library", "--write"]),
        ("clauses/adult", &["upgrade-library", "--write"]),
    ];
    for (component, args) in writers {
        let project = fixture("example");
        // A build first, so out/ and its school folders exist to be linked.
        assert_ok(&build(project.path(), &[]));
        let ks2 = fs::read_to_string(project.path().join("out/manifest.json")).unwrap();
        let ks2: serde_json::Value = serde_json::from_str(&ks2).unwrap();
        let ks2 = ks2["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["school"] == "wrenfold" && d["audience"] == "ks2")
            .map(|d| d["doc_id"].as_str().unwrap().to_string())
            .unwrap();
        fs::write(
            project.path().join("form.csv"),
            format!("Name,Class,Document ID,Date\nYusuf Demir,Year 5 Ash,{ks2},2026-09-21\n"),
        )
        .unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = project.path().join(component);
        let moved = outside.path().join("moved");
        if target.exists() {
            copy_dir(&target, &moved);
            fs::remove_dir_all(&target).unwrap();
        } else {
            fs::create_dir_all(&moved).unwrap();
        }
        sentinel(&moved);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&moved, &target).unwrap();
        let before = snapshot(outside.path());
        let output = run_in(project.path(), args);
        let (_, stderr) = texts(&output);
        assert_ne!(
            output.status.code(),
            Some(0),
            "{component} {args:?}: {stderr}"
        );
        assert_eq!(
            snapshot(outside.path()),
            before,
            "{component} {args:?} touched the folder outside: {stderr}"
        );
    }
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_linked_folder() {
    let here = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), here.path().join("new")).unwrap();
    let output = run_in(here.path(), &["init", "new"]);
    assert_ne!(output.status.code(), Some(0), "{}", texts(&output).1);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    // A real folder is fine.
    let output = run_in(here.path(), &["init", "real"]);
    assert!(output.status.success(), "{}", texts(&output).1);
    assert!(here.path().join("real/schools").is_dir());
}

/// A clause swapped between a real file and a link to a file outside, as
/// fast as a thread can, while `check` runs again and again: the outside
/// text is never read, because the open itself refuses the link.
#[cfg(unix)]
#[test]
fn a_link_swapped_in_mid_run_is_never_followed() {
    let project = fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    fs::write(&secret, "---\nid: leak\n---\nSECRET FROM OUTSIDE\n").unwrap();
    let clause = files_under(&project.path().join("clauses"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let real = fs::read(&clause).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (stop, clause, secret, real) =
            (stop.clone(), clause.clone(), secret.clone(), real.clone());
        std::thread::spawn(move || {
            let link = clause.with_extension("swap");
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = fs::remove_file(&link);
                let _ = std::os::unix::fs::symlink(&secret, &link);
                let _ = fs::rename(&link, &clause);
                let _ = fs::write(&link, &real);
                let _ = fs::rename(&link, &clause);
            }
        })
    };
    for _ in 0..40 {
        let output = run_in(project.path(), &["check"]);
        let (stdout, stderr) = texts(&output);
        assert!(
            !stderr.contains("SECRET") && !stdout.contains("SECRET"),
            "{stderr}"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    swapper.join().unwrap();
}

#[test]
fn previewing_a_library_upgrade_writes_nothing_outside_the_project() {
    let project = fixture("example");
    let tmp = tempfile::tempdir().unwrap();
    let output = policyc()
        .args(["upgrade-library"])
        .env("TMPDIR", tmp.path())
        .current_dir(project.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the bundled library is compared in memory"
    );
}
