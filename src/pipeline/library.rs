//! A library upgrade, previewed: the project as it is against the same
//! project with the clause library built into this binary, compared the
//! way `changes` compares two builds, so a DPO sees every reworded clause
//! and who would have to sign again before anything is written.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::diag::Diagnostics;
use crate::load::bundled::library_files;
use crate::load::load_memory;
use crate::output::records::current_manifest;
use crate::pipeline::{load_checked, resolve_all};
use crate::report::changes::{compare, Editorial, Report};
use crate::sealed::MemoryTree;

/// What the bundled library would change in a project.
#[derive(Debug)]
pub struct LibraryPreview {
    /// The documents' changes, as `changes` reports them.
    pub report: Report,
    /// Library files the upgrade would add or rewrite.
    pub changed_files: Vec<String>,
    /// Clause files in the project that the bundled library does not have:
    /// an upgrade leaves them, and says so.
    pub kept_files: Vec<String>,
    /// The bundled library's files, to write with `--write`.
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

/// Previews an upgrade of the project at `root` to the bundled library.
/// Problems with the project as it is, or as it would be, go to `diags`
/// and give `None`.
pub fn preview(root: &Path, diags: &mut Diagnostics) -> Result<Option<LibraryPreview>> {
    let (project, loaded) = load_checked(root, diags);
    let before = project.clone();
    let Some(now) = resolve_all(project, loaded, &[], &[], diags) else {
        return Ok(None);
    };
    let files = library_files();
    let mut ignored = Diagnostics::default();
    let bundled = load_memory(&MemoryTree::new(&files), &mut ignored);
    // The project with its clause library and modules swapped for the
    // bundled ones; schools, policies and local clauses stay as they are.
    let mut upgraded = before.clone();
    let library_path = |p: &str| p.starts_with("clauses/") || p == "modules.yaml";
    upgraded.sources.retain(|path, _| !library_path(path));
    upgraded.sources.extend(
        bundled
            .sources
            .iter()
            .filter(|(path, _)| library_path(path))
            .map(|(p, t)| (p.clone(), t.clone())),
    );
    let bundled_paths: BTreeSet<String> = files
        .iter()
        .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
        .collect();
    // Clause files the bundle lacks stay in the project: an upgrade writes,
    // it never deletes a school's file.
    let kept: Vec<_> = before
        .clauses
        .iter()
        .filter(|c| !bundled_paths.contains(&c.file))
        .cloned()
        .collect();
    for clause in &kept {
        if let Some(text) = before.sources.get(&clause.file) {
            upgraded.sources.insert(clause.file.clone(), text.clone());
        }
    }
    upgraded.clauses = bundled.clauses;
    upgraded.clauses.extend(kept);
    upgraded.modules = bundled.modules;
    let loaded = crate::pipeline::Loaded {
        policies: true,
        clauses: true,
    };
    crate::check::check_library(&upgraded, true, diags);
    let Some(after) = resolve_all(upgraded, loaded, &[], &[], diags) else {
        return Ok(None);
    };
    let report = compare(
        &current_manifest(&now),
        &current_manifest(&after),
        &Editorial::default(),
    );
    let changed_files = files
        .iter()
        .filter(|(rel, bytes)| {
            let rel = rel.to_string_lossy().replace('\\', "/");
            before
                .sources
                .get(&rel)
                .is_none_or(|text| text.as_bytes() != bytes.as_slice())
        })
        .map(|(rel, _)| rel.to_string_lossy().replace('\\', "/"))
        .collect();
    let kept_files = before
        .clauses
        .iter()
        .map(|c| c.file.clone())
        .filter(|f| !bundled_paths.contains(f))
        .collect();
    Ok(Some(LibraryPreview {
        report,
        changed_files,
        kept_files,
        files,
    }))
}
