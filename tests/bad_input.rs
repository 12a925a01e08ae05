//! The bad-input corpus: every mistake a school or trust can make, with the
//! exact message policyc gives.
//!
//! Each folder in `tests/bad-input/` is one case. Its `files/` folder is laid
//! over a copy of `tests/fixtures/basic` (a `remove.txt` lists fixture files
//! to delete first); `args.txt` holds the command line (default `check`);
//! `env.txt` sets environment variables (`NAME=value`, one a line);
//! `stderr.txt` is the exact expected standard error. Run with
//! `BLESS=1 cargo test --release --test bad_input` to rewrite the expected
//! files after a deliberate change, then read the diff.

#[path = "it/support.rs"]
mod support;

use std::fs;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use policyc::diag::Code;
use support::*;

fn main() {
    let args = Arguments::from_args();
    let cases = corpus();
    let bless = std::env::var_os("BLESS").is_some();
    let trials = cases
        .into_iter()
        .map(|case| {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            Trial::test(name, move || run_case(&case, bless).map_err(Failed::from))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// Every case folder in `tests/bad-input/`, sorted.
fn corpus() -> Vec<PathBuf> {
    let root = repo().join("tests/bad-input");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 40,
        "the corpus has only {} cases",
        cases.len()
    );
    cases
}

/// Every `error[code]` and `warning[code]` in `stderr` names a code on the
/// list, at a severity its row of the table gives.
fn severities_match_the_code_table(stderr: &str) -> Result<(), String> {
    for line in stderr.lines() {
        let Some((word, rest)) = line.split_once('[') else {
            continue;
        };
        if word != "error" && word != "warning" {
            continue;
        }
        let name = rest.split(']').next().unwrap_or_default();
        let code = Code::from_name(name).ok_or_else(|| format!("`{name}` is not a code"))?;
        if !code.severity_column().contains(word) {
            return Err(format!(
                "`{name}` is reported as {word}, but the table says {}",
                code.severity_column()
            ));
        }
    }
    Ok(())
}

/// Runs one case and compares what policyc printed with `stderr.txt`.
fn run_case(case: &Path, bless: bool) -> Result<(), String> {
    let project = fixture("basic");
    if let Ok(list) = fs::read_to_string(case.join("remove.txt")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            let path = project.path().join(rel.trim());
            let _ = fs::remove_file(&path).or_else(|_| fs::remove_dir_all(&path));
        }
    }
    if case.join("files").is_dir() {
        support::copy_dir(&case.join("files"), project.path());
    }
    let args = fs::read_to_string(case.join("args.txt")).unwrap_or_else(|_| "check".into());
    let args: Vec<&str> = args.split_whitespace().collect();
    let mut command = policyc();
    command.args(&args).current_dir(project.path());
    if let Ok(env) = fs::read_to_string(case.join("env.txt")) {
        for (name, value) in env.lines().filter_map(|l| l.split_once('=')) {
            command.env(name, value);
        }
    }
    let output = command.output().expect("the policyc binary runs");
    let (_, stderr) = texts(&output);
    let expected_path = case.join("stderr.txt");
    if bless {
        fs::write(&expected_path, &stderr).unwrap();
    }
    let expected =
        fs::read_to_string(&expected_path).map_err(|_| format!("no stderr.txt; got:\n{stderr}"))?;
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        return Err(format!("panicked:\n{stderr}"));
    }
    if output.status.code() != Some(1) {
        return Err(format!(
            "exit status {:?}, expected 1:\n{stderr}",
            output.status.code()
        ));
    }
    let tmp = project.path().to_string_lossy().into_owned();
    if stderr.contains(&tmp) || stderr.contains("/tmp/") {
        return Err(format!("names an absolute path:\n{stderr}"));
    }
    if !stderr.contains("  --> ") {
        return Err(format!("names no file:\n{stderr}"));
    }
    if project.path().join("out").exists() {
        return Err("wrote outputs despite errors".into());
    }
    severities_match_the_code_table(&stderr)?;
    if stderr != expected {
        return Err(format!(
            "stderr differs.\n--- expected\n{expected}\n--- got\n{stderr}"
        ));
    }
    Ok(())
}
