//! Atomic file writing: every file goes to a hidden temporary beside its
//! target, is flushed, and is renamed into place, so a reader (or a crash)
//! only ever sees the complete old file or the complete new one.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};

use crate::model::build::Staged;
use crate::model::hash::hex_digest;

/// The suffix of a document staged by a running build, waiting to be
/// moved into place.
pub const STAGED_SUFFIX: &str = "staged.tmp";

/// Writes `bytes` to `path` atomically, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = write_temp(path, bytes, "tmp")?;
    rename_into_place(&temp, path)
}

/// Moves `temp` to `path`, removing `temp` if that fails.
fn rename_into_place(temp: &Path, path: &Path) -> Result<()> {
    fs::rename(temp, path).map_err(|e| {
        let _ = fs::remove_file(temp);
        anyhow!(e).context(format!(
            "cannot move the new file into place at {}",
            path.display()
        ))
    })
}

/// Writes `bytes` to a hidden temporary file beside `path`, flushed to disk,
/// and returns its path: `.<name>.<pid>.<suffix>`.
pub fn write_temp(path: &Path, bytes: &[u8], suffix: &str) -> Result<PathBuf> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent folder", path.display()))?;
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.{suffix}", std::process::id()));
    let written = (|| -> Result<()> {
        let mut file =
            File::create(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("cannot write {}", temp.display()))?;
        file.sync_all()
            .with_context(|| format!("cannot flush {}", temp.display()))
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    Ok(temp)
}

/// Writes `bytes` beside the output `rel` under a temporary name, to be
/// moved into place once every document has rendered.
pub fn stage(out_dir: &Path, rel: &str, bytes: &[u8]) -> Result<Staged> {
    let temp = write_temp(&out_dir.join(rel), bytes, STAGED_SUFFIX)?;
    Ok(Staged {
        rel: rel.to_string(),
        temp: Some(temp),
        sha256: hex_digest(bytes),
    })
}

/// Moves a staged file into place at `path`.
pub fn commit_staged(temp: &Path, path: &Path) -> Result<()> {
    rename_into_place(temp, path)
}

/// Deletes temporary files this process left behind in `out_dir` and its
/// school folders (`.name.PID.*tmp`), after a failed or stopped build.
pub fn remove_own_temporaries(out_dir: &Path) {
    remove_temporaries(out_dir, |pid| pid == std::process::id());
}

/// Deletes temporary files whose process id `dead` says is no longer
/// running: what a killed build left behind.
pub fn remove_temporaries(out_dir: &Path, dead: impl Fn(u32) -> bool) {
    let mut dirs = vec![out_dir.to_path_buf()];
    if let Ok(entries) = fs::read_dir(out_dir) {
        dirs.extend(
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path()),
        );
    }
    for dir in dirs {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if temporary_pid(&name).is_some_and(&dead) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The process id in a temporary file's name, `.name.PID.tmp` or
/// `.name.PID.staged.tmp`.
pub fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let rest = rest.strip_suffix(".staged").unwrap_or(rest);
    rest.rsplit('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leaving_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b/file.txt");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(target.parent().unwrap())
            .unwrap()
            .flatten()
            .collect();
        assert_eq!(names.len(), 1, "only the target remains");
    }

    #[test]
    fn temporaries_name_their_process() {
        assert_eq!(temporary_pid(".aup-staff.pdf.1234.staged.tmp"), Some(1234));
        assert_eq!(temporary_pid(".manifest.json.77.tmp"), Some(77));
        assert_eq!(temporary_pid("aup-staff.pdf"), None);
        assert_eq!(temporary_pid(".notes.tmp"), None);
    }
}
