//! Nothing lost: a build killed with SIGKILL at any moment leaves every
//! output either the complete old file or the complete new one, and the next
//! build repairs the rest.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::*;

fn outputs(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if !name.starts_with('.') {
                found.insert(
                    path.strip_prefix(out).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    found
}

/// Rewords a clause every staff, governor and volunteer document uses.
fn reword(project: &Path, from: &str, to: &str) {
    let clause = project.join("clauses/adult/scope/monitoring-notice.md");
    let text = fs::read_to_string(&clause).unwrap();
    assert!(text.contains(from), "{text}");
    fs::write(&clause, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_killed_build_leaves_only_complete_old_or_new_files() {
    let project = fixture("example");
    let out = project.path().join("out");
    assert!(run_in(project.path(), &["build"]).status.success());
    let old = outputs(&out);
    // The "new" outputs: build the changed project elsewhere, once, fully.
    reword(
        project.path(),
        "see that this agreement is followed",
        "check that this agreement is followed",
    );
    let new_dir = tempfile::tempdir().unwrap();
    let new_out = new_dir.path().to_str().unwrap().to_string();
    assert!(run_in(project.path(), &["build", "--out", &new_out])
        .status
        .success());
    let new = outputs(new_dir.path());
    let mut interrupted = 0;
    for delay_ms in [5, 30, 60, 90, 120, 150, 200, 260, 330, 420] {
        let mut child = policyc()
            .args(["build", "--quiet", "--force"])
            .current_dir(project.path())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        if !finished {
            interrupted += 1;
        }
        for (rel, bytes) in outputs(&out) {
            let is_old = old.get(&rel) == Some(&bytes);
            let is_new = new.get(&rel) == Some(&bytes);
            assert!(
                is_old || is_new,
                "after a kill at {delay_ms} ms, {} is neither the old nor the new file",
                rel.display()
            );
        }
        // Put the old outputs back for the next round.
        fs::remove_dir_all(&out).unwrap();
        for (rel, bytes) in &old {
            fs::create_dir_all(out.join(rel).parent().unwrap()).unwrap();
            fs::write(out.join(rel), bytes).unwrap();
        }
    }
    assert!(
        interrupted >= 3,
        "only {interrupted} builds were interrupted; the test proves nothing"
    );
}

#[test]
fn the_build_after_a_kill_repairs_outputs_and_manifest() {
    let project = fixture("example");
    let out = project.path().join("out");
    assert!(run_in(project.path(), &["build"]).status.success());
    reword(
        project.path(),
        "see that this agreement is followed",
        "check that this agreement is followed",
    );
    let mut child = policyc()
        .args(["build", "--quiet"])
        .current_dir(project.path())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(120));
    let _ = child.kill();
    let _ = child.wait();
    let output = run_in(project.path(), &["build"]);
    assert!(output.status.success(), "{:?}", texts(&output));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for doc in manifest["documents"].as_array().unwrap() {
        for file in doc["outputs"].as_object().unwrap().values() {
            let path = out.join(file["path"].as_str().unwrap());
            let bytes = fs::read(&path).unwrap();
            assert_eq!(
                policyc::model::hash::hex_digest(&bytes),
                file["sha256"].as_str().unwrap(),
                "{}",
                path.display()
            );
        }
    }
    let staff = squash(&pdf_text(&out.join("wrenfold/aup-staff.pdf")));
    assert!(
        staff.contains("check that this agreement is followed"),
        "the repaired build has the new wording"
    );
    let leftovers: Vec<_> = fs::read_dir(out.join("wrenfold"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files were left behind");
}
