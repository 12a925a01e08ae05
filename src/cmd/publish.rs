//! `policyc publish LABEL`: keep the pack just built as
//! `published/<LABEL>/manifest.json`, so the signatures given on it are
//! still understood after the wording changes.
//!
//! It refuses a label already used (a published pack is never
//! overwritten) and an `out/` that no longer matches the project (what is
//! recorded must be what was printed). The manifest holds document IDs,
//! clause texts and hashes: no names.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::cli::PublishArgs;
use crate::cmd::explain::resolved_or_report;
use crate::cmd::print_diagnostics;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::model::manifest::Manifest;
use crate::output::records::current_manifest;
use crate::output::{read_baseline, write_into_project, LATEST_FILE};
use crate::sealed::{Area, Folder};

/// `policyc publish`.
pub fn publish(args: &PublishArgs) -> Result<i32> {
    let project = &args.project.project;
    let mut diags = Diagnostics::default();
    if let Err(problem) = check_label(&args.label) {
        diags.push(
            Diagnostic::error(
                Code::PublishLabel,
                "LABEL",
                format!("the label `{}` {problem}", args.label),
            )
            .with_hint("name the pack by its term, for example `2026-autumn`"),
        );
        print_diagnostics(&diags);
        return Ok(EXIT_PROJECT);
    }
    let Some(resolved) = resolved_or_report(project) else {
        return Ok(EXIT_PROJECT);
    };
    let target = format!("published/{}", args.label);
    let root = Folder::open_root(project, Area::Project)?;
    if root.kind(&target).is_some() {
        diags.push(
            Diagnostic::error(
                Code::PublishExists,
                &target,
                "a pack is already published under this label",
            )
            .with_hint(
                "a published pack is never replaced: choose a new label, such as the term and year",
            ),
        );
        print_diagnostics(&diags);
        return Ok(EXIT_PROJECT);
    }
    let out = args.out.clone().unwrap_or_else(|| project.join("out"));
    let built = match read_baseline(&out) {
        Ok(built) => built,
        Err(err) => {
            diags.push(
                Diagnostic::error(
                    Code::PublishUnbuilt,
                    "out/manifest.json",
                    format!("{err:#}"),
                )
                .with_hint("run `policyc build`, print and hand out the pack, then publish it"),
            );
            print_diagnostics(&diags);
            return Ok(EXIT_PROJECT);
        }
    };
    let stale = stale_documents(&built, &current_manifest(&resolved));
    if !stale.is_empty() {
        let shown: Vec<&str> = stale.iter().take(5).map(String::as_str).collect();
        let more = stale.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        diags.push(
            Diagnostic::error(
                Code::PublishStale,
                "out/manifest.json",
                format!(
                    "out/ does not match the project: {}{more}",
                    shown.join("; ")
                ),
            )
            .with_hint("run `policyc build` (for every school), check the pack, then publish"),
        );
        print_diagnostics(&diags);
        return Ok(EXIT_PROJECT);
    }
    let record = published_record(built);
    let file = PathBuf::from(&target).join("manifest.json");
    let latest = PathBuf::from("published").join(LATEST_FILE);
    write_into_project(
        project,
        &[
            (file, record.to_json().into_bytes()),
            (latest, format!("{}\n", args.label).into_bytes()),
        ],
    )?;
    writeln!(
        std::io::stderr(),
        "published {} documents as {target}/manifest.json, now the latest (published/latest): commit published/, so signatures on this pack are understood after the wording changes",
        record.documents.len()
    )?;
    Ok(EXIT_OK)
}

/// A label is one folder name that sorts and reads well: lower-case
/// letters, digits and hyphens, starting with a letter or digit, at most
/// 64 characters (`2026-autumn`, `spring-2027`).
fn check_label(label: &str) -> Result<(), String> {
    let first_ok = label
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !first_ok {
        return Err("must start with a lower-case letter or a digit".into());
    }
    if label.len() > 64 {
        return Err("is longer than 64 characters".into());
    }
    match label
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        Some(c) => Err(format!(
            "holds `{c}`: use lower-case letters, digits and hyphens"
        )),
        None => Ok(()),
    }
}

/// Each document whose built ID is not the one the project gives now, or
/// that one side has and the other lacks, as `school/policy-audience`.
pub fn stale_documents(built: &Manifest, now: &Manifest) -> Vec<String> {
    let name = |d: &crate::model::manifest::ManifestDoc| {
        format!("{}/{}-{}", d.school, d.policy, d.audience)
    };
    let mut stale = Vec::new();
    for doc in &now.documents {
        match built.documents.iter().find(|b| b.key() == doc.key()) {
            Some(b) if b.doc_id == doc.doc_id => {}
            Some(b) => stale.push(format!(
                "{} was built as {}, is now {}",
                name(doc),
                b.doc_id,
                doc.doc_id
            )),
            None => stale.push(format!("{} is not built", name(doc))),
        }
    }
    for doc in &built.documents {
        if !now.documents.iter().any(|d| d.key() == doc.key()) {
            stale.push(format!(
                "{} is built but no longer in the project",
                name(doc)
            ));
        }
    }
    stale
}

/// The built manifest as it is kept: the outputs' paths and hashes belong
/// to one machine's out/, so they are left out.
fn published_record(mut built: Manifest) -> Manifest {
    for doc in &mut built.documents {
        doc.outputs.clear();
    }
    built.sort();
    built
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(ids: &[(&str, &str)]) -> Manifest {
        let json = serde_json::json!({
            "policyc": "0.1.0",
            "typst": "0.15.1",
            "documents": ids.iter().map(|(audience, id)| serde_json::json!({
                "school": "alpha", "school_name": "Alpha", "trust": null,
                "policy": "aup", "audience": audience, "audience_label": audience,
                "title": "T", "doc_id": id, "version": "1", "approved_by": "B",
                "approved_on": "1 September 2026", "review_by": "1 September 2027",
                "input_hash": "", "outputs": {}, "inputs": [], "clauses": []
            })).collect::<Vec<_>>()
        });
        Manifest::from_json(&json.to_string()).expect("a manifest")
    }

    #[test]
    fn labels_are_plain_folder_names() {
        assert!(check_label("2026-autumn").is_ok());
        assert!(check_label("spring-2027").is_ok());
        for bad in ["", "../x", ".hidden", "2026 Autumn", "-x", "a/b"] {
            assert!(check_label(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_build_that_matches_the_project_is_not_stale() {
        let now = manifest(&[("staff", "AAAA-0001"), ("ks2", "BBBB-0001")]);
        assert!(stale_documents(&now.clone(), &now).is_empty());
    }

    #[test]
    fn changed_missing_and_extra_documents_are_each_named() {
        let built = manifest(&[("staff", "AAAA-0001"), ("visitor", "CCCC-0001")]);
        let now = manifest(&[("staff", "AAAA-0002"), ("ks2", "BBBB-0001")]);
        assert_eq!(
            stale_documents(&built, &now),
            [
                "alpha/aup-staff was built as AAAA-0001, is now AAAA-0002",
                "alpha/aup-ks2 is not built",
                "alpha/aup-visitor is built but no longer in the project",
            ]
        );
    }
}
