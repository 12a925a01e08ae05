//! Writing a summary of changes (`policyc changes --write`) and warning
//! about a wording changed under an unchanged version label: after a
//! build, outside it.

use crate::diag::Code;
use crate::output::guard;
use crate::sealed::Area;
use std::path::Path;

use anyhow::Result;

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::people::load_published;
use crate::model::manifest::ManifestDoc;
use crate::model::project::Resolved;
use crate::output::records::current_manifest;
use crate::output::{self, lock::OutputLock};
use crate::render::html::HtmlRenderer;
use crate::render::pages;
use crate::report::changes::editorial_marks;
use crate::report::changes::still_counts;
use crate::report::changes::Report;

use super::{index_pages, oversight_base, write_oversight, Since};

/// Writes `<school>/changes.html` for each school with a change, removes
/// it for each school without one, and rewrites the indexes so each pack
/// links to its summary only while it has one. Returns the paths written
/// and removed. `baseline` names the pack compared with, for the trust
/// index.
pub fn write_changes(
    resolved: &Resolved,
    report: &Report,
    baseline: &str,
    out_dir: &Path,
    waiting: &dyn Fn(Option<u32>),
    diags: &mut Diagnostics,
) -> Result<(Vec<String>, Vec<String>)> {
    let renderer = match HtmlRenderer::new(&resolved.project.templates) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return Ok(Default::default());
        }
    };
    let changes = match pages::changes_pages(&renderer, resolved, report) {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return Ok(Default::default());
        }
    };
    if let Some(problem) = resolved
        .project
        .folder
        .as_ref()
        .and_then(|project| guard::check_public(project, out_dir))
    {
        diags.push(super::misplaced(out_dir, &problem));
        return Ok(Default::default());
    }
    let lock = OutputLock::acquire(out_dir, Area::Public, waiting)?;
    let out = lock.folder();
    let (written, removed) = output::write_pages(out, &changes.write, &changes.remove)?;
    let previous = output::read_previous(out);
    if !previous.manifest.documents.is_empty() {
        match index_pages(
            &renderer,
            resolved,
            &previous.manifest,
            out,
            Since::Baseline(baseline, report),
            &oversight_base(&resolved.project.root, out_dir),
            diags,
        ) {
            Ok(index) => {
                output::write_pages(out, &index.public.write, &index.public.remove)?;
                if let Some(internal) = &index.internal {
                    write_oversight(&resolved.project.root, out_dir, internal)?;
                }
            }
            Err(d) => diags.push(d),
        }
    }
    Ok((written, removed))
}

/// Warns about each document whose wording has changed since a published
/// pack (beyond edits marked editorial) while its version label is the
/// same: a signed copy would not show which wording it was.
pub fn check_versions(resolved: &Resolved, diags: &mut Diagnostics) {
    let Some(root) = resolved.project.folder.as_ref() else {
        return;
    };
    // A published pack that cannot be read is reported by sign-off.
    let published = load_published(root, &mut Diagnostics::default());
    let current = current_manifest(resolved);
    let candidates: Vec<(&ManifestDoc, &str, &ManifestDoc)> = current
        .documents
        .iter()
        .flat_map(|doc| {
            published.iter().filter_map(move |(label, pack)| {
                let old = pack.documents.iter().find(|o| o.key() == doc.key())?;
                let label = label.strip_suffix("/manifest.json").unwrap_or(label);
                (old.version == doc.version && old.doc_id != doc.doc_id)
                    .then_some((doc, label, old))
            })
        })
        .collect();
    if candidates.is_empty() {
        return;
    }
    // Undoing the editorial marks resolves every school again: only now.
    let editorial = editorial_marks(resolved);
    let mut warned = BTreeSet::new();
    for (doc, label, old) in candidates {
        let key = doc.key();
        if still_counts(&key, &old.doc_id, &doc.doc_id, &editorial) || !warned.insert(key) {
            continue;
        }
        let Some(school) = resolved.schools.iter().find(|s| s.id == doc.school) else {
            continue;
        };
        let file = school
            .merged
            .provenance
            .get("version")
            .cloned()
            .unwrap_or_else(|| format!("schools/{}.yaml", school.id));
        let source = resolved.project.source(&file);
        diags.push(
            Diagnostic::warning(
                Code::VersionUnchanged,
                &file,
                format!(
                    "{}/{}-{}: the wording has changed since the pack published as {label} ({} → {}), but the version is still {}",
                    doc.school, doc.policy, doc.audience, old.doc_id, doc.doc_id, doc.version
                ),
            )
            .near_under(source, "version", &doc.version)
            .with_hint(format!(
                "give the new wording a new version in {file} (for example `version: \"{}\"`), so a signed copy shows which wording it is",
                next_version(&doc.version)
            )),
        );
    }
}

/// A likely next version label: the last number one higher
/// (`2026.1` → `2026.2`, `3` → `4`), or the label with `.1` added.
fn next_version(version: &str) -> String {
    let split = version
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    match version[split..].parse::<u64>() {
        Ok(n) => format!("{}{}", &version[..split], n + 1),
        Err(_) => format!("{version}.1"),
    }
}

#[cfg(test)]
mod tests {
    use super::next_version;

    #[test]
    fn the_next_version_moves_the_last_number() {
        assert_eq!(next_version("2026.1"), "2026.2");
        assert_eq!(next_version("3"), "4");
        assert_eq!(next_version("v1.9"), "v1.10");
        assert_eq!(next_version("autumn"), "autumn.1");
    }
}
