//! Writing a summary of changes (`policyc changes --write`) and the
//! editorial marks `changes` and sign-off need: after a build, outside it.

use crate::output::guard;
use crate::sealed::Area;
use std::path::Path;

use anyhow::Result;

use crate::diag::Diagnostics;
use crate::model::project::Resolved;
use crate::output::{self, lock::OutputLock};
use crate::render::html::HtmlRenderer;
use crate::render::pages;
use crate::report::changes::{Editorial, Report};
use crate::resolve::editorial;

use super::index_pages;

/// Writes `<school>/changes.html` for each school with a change, removes
/// it for each school without one, and rewrites the indexes so each pack
/// links to its summary only while it has one. Returns the paths written
/// and removed.
pub fn write_changes(
    resolved: &Resolved,
    report: &Report,
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
        match index_pages(&renderer, resolved, &previous.manifest, out, diags) {
            Ok(index) => {
                output::write_pages(out, &index.write, &index.remove)?;
            }
            Err(d) => diags.push(d),
        }
    }
    Ok((written, removed))
}

/// Each document's ID with its editorial edits undone, and each marked
/// clause's reason: what `changes` needs to tell an editorial change from
/// one people must sign again.
pub fn editorial_marks(resolved: &Resolved) -> Editorial {
    Editorial {
        reasons: editorial::reasons(&resolved.project),
        unedited_ids: editorial::unedited_ids(&resolved.project, &resolved.schools),
    }
}
