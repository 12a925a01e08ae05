//! `policyc watch`: rebuild whenever an input changes.
//!
//! File events are debounced by notify-debouncer-full (an editor's save is
//! often several writes, and a rename arrives as two events), and events
//! outside the input folders are ignored, so the build's own writes never
//! trigger another build. Each rebuild is incremental, so only the
//! documents an edit affects are rendered again. An error is reported and
//! watching goes on.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{Event, EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::diag::relative;
use crate::model::project::{INPUT_FILES, INPUT_FOLDERS};

/// How long the files must be quiet before a rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// Watches `project` (ignoring `out`) and calls `rebuild` with the changed
/// files, relative to the project, after each burst of changes, until the
/// process is stopped.
pub fn watch(project: &Path, out: &Path, mut rebuild: impl FnMut(&[String])) -> Result<()> {
    let project = &std::path::absolute(project).unwrap_or_else(|_| project.to_path_buf());
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, tx).context("cannot watch files on this system")?;
    debouncer
        .watch(project, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", project.display()))?;
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    // Reads and writes elsewhere (a browser reloading out/) start nothing.
    for batch in rx {
        let Ok(events) = batch else { continue };
        let paths = events.into_iter().flat_map(|e| changed_paths(e.event));
        let mut changed = relevant(paths.collect(), &out);
        changed.retain(|p| is_input(project, p));
        if changed.is_empty() {
            continue;
        }
        let mut names: Vec<String> = changed.iter().map(|p| relative(project, p)).collect();
        names.sort();
        names.dedup();
        rebuild(&names);
    }
    Ok(())
}

/// The paths of an event that changes content: reads and metadata-only
/// changes (which every build causes) are not changes.
fn changed_paths(event: Event) -> Vec<PathBuf> {
    let changes = matches!(
        event.kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
    );
    if changes {
        event.paths
    } else {
        Vec::new()
    }
}

/// The changed paths that are inputs: not in the output folder, not
/// temporary or hidden files, not editor swap files.
pub fn relevant(paths: Vec<PathBuf>, out: &Path) -> Vec<PathBuf> {
    let mut kept: Vec<PathBuf> = paths
        .into_iter()
        .filter(|p| !p.starts_with(out))
        .filter(|p| {
            !p.components()
                .any(|c| c.as_os_str() == "target" || c.as_os_str() == ".git")
        })
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            !is_editor_scratch(&name)
        })
        .collect();
    kept.sort();
    kept.dedup();
    kept
}

/// Whether `path` is an input of the project at `project`: inside an
/// input folder, or one of the top-level input files.
pub fn is_input(project: &Path, path: &Path) -> bool {
    path.strip_prefix(project)
        .ok()
        .and_then(|rel| rel.components().next())
        .is_some_and(|first| {
            // published/ holds the baselines sign-off reads; a change
            // anywhere else (a log redirected into the project, out/,
            // private/) starts no rebuild.
            let first = first.as_os_str();
            INPUT_FOLDERS
                .iter()
                .chain(&INPUT_FILES)
                .chain(&["published"])
                .any(|input| first == *input)
        })
}

/// Whether a file name is an editor's or the system's scratch file, not an
/// input: hidden files and Emacs locks (`.#x`), backups (`x~`, `#x#`),
/// Vim's swap files and write probe (`.x.swp`, `4913`), temporaries
/// (`x.tmp`) and the files Office and macOS leave (`~$x`, `.DS_Store`).
pub fn is_editor_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".crdownload",
            ".part",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
        || name.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_outputs_and_editor_files() {
        let out = Path::new("/p/out");
        let paths = vec![
            PathBuf::from("/p/out/a/aup-staff.pdf"),
            PathBuf::from("/p/clauses/x.md"),
            PathBuf::from("/p/clauses/.x.md.swp"),
            PathBuf::from("/p/schools/a.yaml~"),
            PathBuf::from("/p/clauses/x.md"),
        ];
        assert_eq!(relevant(paths, out), vec![PathBuf::from("/p/clauses/x.md")]);
    }

    #[test]
    fn only_inputs_start_a_rebuild() {
        let project = Path::new("/p");
        assert!(is_input(project, Path::new("/p/clauses/adult/x.md")));
        assert!(is_input(project, Path::new("/p/policyc.yaml")));
        assert!(!is_input(project, Path::new("/p/watch.log")));
        assert!(!is_input(project, Path::new("/p/private/s/a.pdf")));
        assert!(!is_input(project, Path::new("/elsewhere/clauses/x.md")));
    }

    #[test]
    fn editor_scratch_files_are_recognised() {
        for name in [
            "4913",
            ".#aup.yaml",
            "#aup.yaml#",
            "aup.yaml.bak",
            "~$policy.md",
            "x.md.swo",
            ".DS_Store",
        ] {
            assert!(is_editor_scratch(name), "{name}");
        }
        for name in ["aup.yaml", "own-account.md", "logo.svg", "policy.typ"] {
            assert!(!is_editor_scratch(name), "{name}");
        }
    }
}
