//! Atomic file writing: every file goes to a new hidden temporary beside
//! its target (created by [`crate::sealed`]: create-new, never through a
//! link, a random name with no personal data), is flushed, and is renamed
//! into place, so a reader (or a crash) only ever sees the complete old
//! file or the complete new one.

use std::path::Path;

use anyhow::{anyhow, Result};

use crate::model::build::Staged;
use crate::model::hash::hex_digest;
use crate::sealed::{temporary_pid as sealed_pid, Folder, Kind};

/// The tag of a document staged by a running build, waiting to be moved
/// into place.
pub const STAGED_TAG: &str = ".staged";

/// How deep below an output or private folder temporaries are looked for:
/// `private/<school>/<audience>/<class>/` is the deepest policyc writes.
const TEMPORARY_DEPTH: usize = 4;

/// Writes `bytes` to `rel` beneath `folder` atomically, creating parent
/// folders.
pub fn write_atomic(folder: &Folder, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    let rel = rel.as_ref();
    folder
        .write_atomic(rel, bytes)
        .map_err(|e| anyhow!(e).context(format!("cannot write {}", folder.shown(rel).display())))
}

/// Writes `bytes` beside the output `rel` under a temporary name, to be
/// moved into place once every document has rendered.
pub fn stage(out: &Folder, rel: &str, bytes: &[u8]) -> Result<Staged> {
    let temp = out.stage(Path::new(rel), bytes, STAGED_TAG).map_err(|e| {
        anyhow!(e).context(format!("cannot write beside {}", out.shown(rel).display()))
    })?;
    Ok(Staged {
        rel: rel.to_string(),
        temp: Some(temp),
        sha256: hex_digest(bytes),
    })
}

/// Moves a staged file into place at `rel`.
pub fn commit_staged(out: &Folder, temp: &Path, rel: &str) -> Result<()> {
    out.commit(temp, rel).map_err(|e| {
        anyhow!(e).context(format!(
            "cannot move the new file into place at {}",
            out.shown(rel).display()
        ))
    })
}

/// Deletes temporary files this process left behind in `folder` and the
/// folders below it, after a failed or stopped build.
pub fn remove_own_temporaries(folder: &Folder) {
    remove_temporaries(folder, |pid| pid == std::process::id());
}

/// Deletes temporary files whose process id `dead` says is no longer
/// running: what a killed build or print run left behind.
pub fn remove_temporaries(folder: &Folder, dead: impl Fn(u32) -> bool) {
    sweep(folder, Path::new(""), 0, &dead);
}

fn sweep(folder: &Folder, dir: &Path, depth: usize, dead: &dyn Fn(u32) -> bool) {
    for entry in folder.list(dir).unwrap_or_default() {
        let rel = dir.join(&entry.name);
        match entry.kind {
            Kind::Folder if depth < TEMPORARY_DEPTH => sweep(folder, &rel, depth + 1, dead),
            Kind::File | Kind::Link if temporary_pid(&entry.name).is_some_and(dead) => {
                let _ = folder.remove_file(&rel);
            }
            _ => {}
        }
    }
}

/// The process id in a temporary file's name: today's
/// `.policyc-PID-RANDOM[.staged].tmp`, or the `.name.PID[.staged].tmp` of
/// earlier versions, so an upgrade still clears what they left.
pub fn temporary_pid(name: &str) -> Option<u32> {
    if let Some(pid) = sealed_pid(name) {
        return Some(pid);
    }
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let rest = rest.strip_suffix(".staged").unwrap_or(rest);
    rest.rsplit('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sealed::Area;

    #[test]
    fn writes_and_replaces_without_leaving_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::open_root(dir.path(), Area::Public).unwrap();
        write_atomic(&folder, "a/b/file.txt", b"one").unwrap();
        write_atomic(&folder, "a/b/file.txt", b"two").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("a/b/file.txt")).unwrap(),
            b"two"
        );
        assert_eq!(
            folder.list("a/b").unwrap().len(),
            1,
            "only the target remains"
        );
    }

    #[test]
    fn temporaries_of_dead_processes_are_swept_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::open_root(dir.path(), Area::Private).unwrap();
        let temp = folder
            .stage(Path::new("s/ks2/oak/001.pdf"), b"x", "")
            .unwrap();
        folder
            .write_atomic("s/ks2/oak/.002-ada.pdf.99999999.tmp", b"old")
            .unwrap();
        remove_temporaries(&folder, |_| true);
        assert!(folder.kind(&temp).is_none());
        assert!(folder.list("s/ks2/oak").unwrap().is_empty());
    }

    #[test]
    fn temporaries_name_their_process() {
        assert_eq!(temporary_pid(".aup-staff.pdf.1234.staged.tmp"), Some(1234));
        assert_eq!(temporary_pid(".manifest.json.77.tmp"), Some(77));
        assert_eq!(temporary_pid(".policyc-77-00ff.staged.tmp"), Some(77));
        assert_eq!(temporary_pid("aup-staff.pdf"), None);
        assert_eq!(temporary_pid(".notes.tmp"), None);
    }
}
