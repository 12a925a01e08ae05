//! Sharded builds: `build --shard K/N` on several machines, then `merge`,
//! make the output folder one build would have made, byte for byte; and
//! shards that do not make one build are refused before anything is
//! written.

use std::fs;
use std::path::Path;

use crate::support::*;

/// Every file under `dir` but policyc's own dot files (cache, lock, shard
/// record), by path relative to it, with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<(String, Vec<u8>)> = files_under(dir)
        .into_iter()
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, fs::read(&p).unwrap())
        })
        .collect();
    found.sort();
    found
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = run_in(dir, args);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{args:?}: {stderr}");
    stdout
}

#[test]
fn three_shards_merged_are_the_single_build_byte_for_byte() {
    let project = fixture("example");
    let dir = project.path();
    // merged/ holds an earlier build with a school since removed: the merge
    // withdraws its documents, as one build would.
    let zeta = dir.join("schools/zeta.yaml");
    fs::copy(dir.join("schools/ravensmoor.yaml"), &zeta).unwrap();
    ok(dir, &["build", "--out", "merged", "--quiet"]);
    assert!(dir.join("merged/zeta/index.html").is_file());
    fs::remove_file(&zeta).unwrap();
    ok(dir, &["build", "--out", "single", "--quiet"]);
    let single_internal = contents(&dir.join("private/oversight"));
    fs::remove_dir_all(dir.join("private/oversight")).unwrap();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = format!("shard-{k}");
        ok(dir, &["build", "--shard", &shard, "--out", &out, "--quiet"]);
    }
    // A shard writes no internal index: it knows only its own schools.
    assert!(!dir.join("private/oversight").exists());
    let merged = ok(
        dir,
        &["merge", "shard-1", "shard-2", "shard-3", "--out", "merged"],
    );
    // Every document came from a shard: the merge renders none again.
    assert!(
        merged.contains("built 0 of 60 documents (60 up to date)"),
        "{merged}"
    );
    let (single, merged) = (contents(&dir.join("single")), contents(&dir.join("merged")));
    assert_eq!(
        single.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        merged.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in single.iter().zip(&merged) {
        assert!(a == b, "{path} differs");
    }
    // The internal pages are the single build's too, but for their links
    // to the public pages, which lead to merged/ rather than single/.
    let internal = contents(&dir.join("private/oversight"));
    assert_eq!(internal.len(), single_internal.len());
    for ((path, merged), (_, single)) in internal.iter().zip(&single_internal) {
        let single = String::from_utf8_lossy(single).replace("single", "merged");
        assert!(single.as_bytes() == merged.as_slice(), "{path} differs");
    }
}

#[test]
fn shards_that_do_not_make_one_build_are_refused_and_nothing_is_written() {
    let project = fixture("basic");
    let dir = project.path();
    ok(dir, &["build", "--shard", "1/2", "--out", "a", "--quiet"]);
    ok(dir, &["build", "--shard", "2/2", "--out", "b", "--quiet"]);
    ok(dir, &["build", "--shard", "1/3", "--out", "c", "--quiet"]);
    ok(dir, &["build", "--out", "whole", "--quiet"]);
    let refused = |args: &[&str]| {
        let output = run_in(dir, args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(!dir.join("merged").exists(), "{args:?} wrote");
        texts(&output).1
    };
    assert_eq!(
        refused(&["merge", "a", "--out", "merged"]),
        "error[shard-mismatch]: shard 2/2 is missing\n  --> SHARD_OUT\n  = help: give merge every shard's output folder\n\n1 error, 0 warnings\nthe project has 1 error; nothing was written\n"
    );
    let twice = refused(&["merge", "a", "a", "b", "--out", "merged"]);
    assert!(twice.contains("shard 1/2 is given twice"), "{twice}");
    let mixed = refused(&["merge", "a", "b", "c", "--out", "merged"]);
    assert!(
        mixed.contains("it is shard 1 of 3, but a is of 2"),
        "{mixed}"
    );
    let whole = refused(&["merge", "a", "whole", "--out", "merged"]);
    assert!(whole.contains("error[shard-unreadable]"), "{whole}");
    assert!(
        whole.contains("this is not the output of a sharded build"),
        "{whole}"
    );
    // The project moved on since the shards were built.
    let clause = dir.join("clauses/core/passwords.md");
    let text = fs::read_to_string(&clause).unwrap();
    fs::write(&clause, format!("{text}\nI will change them when asked.\n")).unwrap();
    let stale = refused(&["merge", "a", "b", "--out", "merged"]);
    assert!(
        stale.contains("the project has changed since the shards were built"),
        "{stale}"
    );
}

#[test]
fn a_shard_is_k_of_n_and_not_beside_school() {
    let project = fixture("basic");
    for (args, says) in [
        (
            &["build", "--shard", "3/2"][..],
            "shard 3 of 2 does not exist",
        ),
        (&["build", "--shard", "two"][..], "`two` is not a shard"),
        (
            &["build", "--shard", "1/2", "--school", "alpha"][..],
            "cannot be used with",
        ),
    ] {
        let output = run_in(project.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            texts(&output).1.contains(says),
            "{args:?}: {}",
            texts(&output).1
        );
    }
}
