//! The documentation stays true to the code: docs/FORMAT.md's table of
//! diagnostic codes is the one `Code` generates, every code on it is one
//! the source still reports, and the labels table lists every label.

use std::fs;
use std::path::Path;

use policyc::diag::Code;

use crate::support::repo;

/// The text of every source file outside `diag/`, test modules left out:
/// where diagnostics are made.
fn reporting_source() -> String {
    let mut files = Vec::new();
    collect(&repo().join("src"), &mut files);
    // diag/ defines diagnostics; it reports none of its own.
    files.retain(|f| !f.starts_with(repo().join("src/diag")));
    files
        .iter()
        .map(|file| {
            let text = fs::read_to_string(file).unwrap();
            text.split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Where FORMAT.md's diagnostic code table is: from its header row to the
/// first line that is not a row.
fn table_in(format_md: &str) -> Option<(usize, usize)> {
    let section = format_md.find("## Diagnostic codes")?;
    let start = section + format_md[section..].find("| code |")?;
    let rows = format_md[start..]
        .split_inclusive('\n')
        .take_while(|line| line.starts_with('|'))
        .map(str::len)
        .sum::<usize>();
    Some((start, start + rows))
}

/// FORMAT.md's table of codes is generated from `Code`: run with `BLESS=1`
/// to write it again after adding or changing a code.
#[test]
fn the_diagnostic_code_table_is_generated_from_the_code_enum() {
    let path = repo().join("docs/FORMAT.md");
    let text = fs::read_to_string(&path).unwrap();
    let (start, end) = table_in(&text).expect("a diagnostic code table in docs/FORMAT.md");
    let generated = Code::markdown_table();
    if std::env::var_os("BLESS").is_some() {
        fs::write(
            &path,
            format!("{}{generated}{}", &text[..start], &text[end..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        text[start..end],
        generated,
        "docs/FORMAT.md's code table is stale: run `BLESS=1 cargo test --release --test it -- docs::the_diagnostic_code_table`"
    );
}

/// Every code on the list is one the source can still report: a code
/// nothing makes is stale, in the enum and so in the table.
#[test]
fn every_diagnostic_code_is_reported_somewhere() {
    let source = reporting_source();
    let unused: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| {
            let path = format!("Code::{}", code.variant_name());
            !source.match_indices(&path).any(|(at, _)| {
                !source[at + path.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
        })
        .map(|code| code.as_str())
        .collect();
    assert!(
        unused.is_empty(),
        "these codes are made nowhere; remove them from diag/code.rs: {unused:?}"
    );
}

/// Every label key the code knows is in FORMAT.md's Labels table, and the
/// table lists no other.
#[test]
fn every_label_is_documented() {
    let source = fs::read_to_string(repo().join("src/model/labels.rs")).unwrap();
    let mut in_code: Vec<String> = source
        .split('"')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0].ends_with("both(") || w[0].ends_with("key: "))
        .map(|w| w[1].to_string())
        .collect();
    in_code.sort();
    let text = fs::read_to_string(repo().join("docs/FORMAT.md")).unwrap();
    let table = text
        .split("## Labels")
        .nth(1)
        .unwrap_or("")
        .split("\n## ")
        .next()
        .unwrap_or("");
    let mut in_docs: Vec<String> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(String::from)
        .collect();
    in_docs.sort();
    assert!(in_code.len() >= 20, "labels found in the code: {in_code:?}");
    assert_eq!(
        in_docs, in_code,
        "docs/FORMAT.md's Labels table and src/model/labels.rs differ"
    );
}

#[test]
fn one_version_is_true_everywhere() {
    let cargo = fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let version = cargo
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("Cargo.toml has a version");
    let tag = format!("v{version}");
    let install = fs::read_to_string(repo().join("docs/INSTALL.md")).unwrap();
    for line in install.lines().filter(|l| l.contains("policyc-v")) {
        assert!(
            line.contains(&format!("policyc-{tag}-")),
            "INSTALL.md: {line}"
        );
    }
    assert!(
        install.contains(&format!("`{tag}`")),
        "INSTALL.md names {tag}"
    );
    let recipe = fs::read_to_string(repo().join("examples/ci/policyc.yml")).unwrap();
    assert!(
        recipe.contains(&format!("POLICYC_VERSION: {tag}\n")),
        "the CI recipe pins {tag}"
    );
    let changelog = fs::read_to_string(repo().join("CHANGELOG.md")).unwrap();
    let latest = changelog
        .lines()
        .find(|l| l.starts_with("## [") && !l.starts_with("## [Unreleased]"))
        .unwrap();
    assert!(
        latest.starts_with(&format!("## [{version}] - ")),
        "CHANGELOG's latest release is {latest}, Cargo.toml says {version}"
    );
}

/// Asserts that every action `recipe` uses is pinned to a commit, with its
/// version in a comment; returns how many there are.
fn assert_pinned(recipe: &str) -> usize {
    let mut actions = 0;
    for line in recipe.lines() {
        let Some(action) = line.split("uses: ").nth(1) else {
            continue;
        };
        actions += 1;
        // `owner/name@<40 hex> # vX.Y.Z`: a tag can move, a commit cannot.
        let (name, rest) = action.split_once('@').expect("uses: owner/name@ref");
        let (sha, version) = rest.split_once(" # v").unwrap_or((rest, ""));
        assert!(
            sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "{name} is not pinned to a commit: {line}"
        );
        assert!(!version.is_empty(), "{name}'s pin has no version comment");
    }
    actions
}

#[test]
fn the_ci_recipe_pins_every_action_to_a_commit_and_fences_text_safely() {
    let recipe = fs::read_to_string(repo().join("examples/ci/policyc.yml")).unwrap();
    let actions = assert_pinned(&recipe);
    assert!(actions >= 10, "{actions} actions found");
    // Every checkout but the publishing job's keeps no token on disk.
    let checkouts: Vec<&str> = recipe.split("actions/checkout@").skip(1).collect();
    let kept = checkouts
        .iter()
        .filter(|c| {
            c.lines()
                .take(4)
                .any(|l| l.contains("persist-credentials: false"))
        })
        .count();
    assert_eq!(
        kept,
        checkouts.len() - 1,
        "one checkout pushes; the rest do not"
    );
    // A report is fenced longer than any backticks in it, so clause text
    // holding ``` cannot close the fence in a summary or a comment.
    assert!(!recipe.contains("echo '```"), "a fixed fence in the recipe");
    assert!(recipe.matches("fence='```'").count() >= 5);
}

#[test]
fn the_sharded_recipe_pins_its_actions_keeps_no_token_and_matches_its_matrix() {
    let recipe = fs::read_to_string(repo().join("examples/ci/policyc-sharded.yml")).unwrap();
    assert!(assert_pinned(&recipe) >= 8);
    let checkouts = recipe.matches("actions/checkout@").count();
    assert_eq!(
        recipe.matches("persist-credentials: false").count(),
        checkouts
    );
    // SHARDS and the matrix say the same number of shards.
    let workflow: serde_yaml::Value = serde_yaml::from_str(&recipe).unwrap();
    let shards = workflow["env"]["SHARDS"].as_u64().unwrap();
    let matrix = workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"]
        .as_sequence()
        .unwrap();
    let expected: Vec<u64> = (1..=shards).collect();
    let listed: Vec<u64> = matrix
        .iter()
        .filter_map(serde_yaml::Value::as_u64)
        .collect();
    assert_eq!(listed, expected);
    // The version is pinned where the main recipe pins it.
    let main = fs::read_to_string(repo().join("examples/ci/policyc.yml")).unwrap();
    let pin = |text: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with("POLICYC_VERSION:"))
            .map(str::trim)
            .map(str::to_owned)
    };
    assert_eq!(pin(&recipe), pin(&main));
}
