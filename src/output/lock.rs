//! One build at a time per output folder. Two builds on one `out/` would
//! each move the other's staged files away; `watch` beside a manual
//! `build` is the everyday case. A build takes an exclusive lock on
//! `out/.policyc.lock` (an OS file lock, released when the process ends,
//! however it ends) and writes its process id into the file so a second
//! build can say whom it is waiting for.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The lock file's name inside the output folder.
pub const LOCK_FILE: &str = ".policyc.lock";

/// Holds the output folder until dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
    out_dir: PathBuf,
    created_folder: bool,
}

impl OutputLock {
    /// Locks `out_dir`, creating it if needed. If another build holds the
    /// lock, calls `waiting` with its process id (when known) and waits.
    pub fn acquire(out_dir: &Path, waiting: impl FnOnce(Option<u32>)) -> Result<Self> {
        let created_folder = !out_dir.exists();
        fs::create_dir_all(out_dir)
            .with_context(|| format!("cannot create the output folder {}", out_dir.display()))?;
        let path = out_dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot write in the output folder {}", out_dir.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                waiting(text.trim().parse().ok());
                file.lock()
                    .with_context(|| format!("cannot lock {}", path.display()))?;
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
        file.set_len(0)?;
        file.rewind()?;
        write!(file, "{}", std::process::id())?;
        Ok(Self {
            _file: file,
            out_dir: out_dir.to_path_buf(),
            created_folder,
        })
    }

    /// After a failed build: removes the school folders left empty and, if
    /// this build created the output folder and nothing else is in it, the
    /// folder itself.
    pub fn tidy_after_failure(self) {
        remove_empty_folders(&self.out_dir);
        if self.created_folder {
            let only_lock = fs::read_dir(&self.out_dir)
                .map(|entries| entries.flatten().all(|e| e.file_name() == LOCK_FILE))
                .unwrap_or(false);
            if only_lock {
                let _ = fs::remove_file(self.out_dir.join(LOCK_FILE));
                let _ = fs::remove_dir(&self.out_dir);
            }
        }
    }
}

/// Removes the empty folders directly inside `out_dir`.
pub fn remove_empty_folders(out_dir: &Path) {
    for entry in fs::read_dir(out_dir).into_iter().flatten().flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            // remove_dir fails on a folder that is not empty, as it should.
            let _ = fs::remove_dir(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_and_is_told_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = OutputLock::acquire(&out, |_| panic!("nobody holds it yet")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let out = out.clone();
            std::thread::spawn(move || {
                // A second handle in the same process waits like another build.
                OutputLock::acquire(&out, |pid| tx.send(pid).unwrap()).unwrap()
            })
        };
        let pid = rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        assert_eq!(pid, Some(std::process::id()));
        drop(first);
        drop(waiter.join().unwrap());
    }

    #[test]
    fn a_failed_first_build_leaves_no_folder_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let lock = OutputLock::acquire(&out, |_| {}).unwrap();
        fs::create_dir_all(out.join("school")).unwrap();
        lock.tidy_after_failure();
        assert!(!out.exists());
    }
}
