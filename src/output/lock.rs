//! One build at a time per output folder. Two builds on one `out/` would
//! each move the other's staged files away; `watch` beside a manual
//! `build` is the everyday case. A build takes an exclusive lock on
//! `out/.policyc.lock` (an OS file lock, released when the process ends,
//! however it ends) and writes its process id into the file so a second
//! build can say whom it is waiting for.

use std::io::{Read, Seek, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::sealed::{Area, File, Folder, Kind, TryLockError};

/// The lock file's name inside the output folder.
pub const LOCK_FILE: &str = ".policyc.lock";

/// Holds the output folder until dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
    folder: Folder,
    created_folder: bool,
}

impl OutputLock {
    /// Opens the output folder `out_dir` (creating it if needed; a link is
    /// refused) and locks it. If another build holds the lock, calls
    /// `waiting` with its process id (when known) and waits.
    pub fn acquire(out_dir: &Path, area: Area, waiting: impl FnOnce(Option<u32>)) -> Result<Self> {
        let (folder, created_folder) = Folder::create_root(out_dir, area)
            .with_context(|| format!("cannot create the output folder {}", out_dir.display()))?;
        Self::acquire_in(folder, created_folder, waiting)
    }

    /// Locks an output folder already opened.
    pub fn acquire_in(
        folder: Folder,
        created_folder: bool,
        waiting: impl FnOnce(Option<u32>),
    ) -> Result<Self> {
        let path = folder.shown(LOCK_FILE);
        let mut file = folder
            .open_lock(LOCK_FILE)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = (&mut file).take(64).read_to_string(&mut text);
                waiting(text.trim().parse().ok());
                file.lock()
                    .with_context(|| format!("cannot lock {}", path.display()))?;
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
        file.set_len(0)?;
        file.rewind()?;
        write!(file, "{}", std::process::id())?;
        Ok(Self {
            _file: file,
            folder,
            created_folder,
        })
    }

    /// The locked output folder.
    pub fn folder(&self) -> &Folder {
        &self.folder
    }

    /// After a failed build: removes the school folders left empty and, if
    /// this build created the output folder and nothing else is in it, the
    /// folder itself.
    pub fn tidy_after_failure(self) {
        remove_empty_folders(&self.folder);
        if self.created_folder {
            let only_lock = self
                .folder
                .list("")
                .map(|entries| entries.iter().all(|e| e.name == LOCK_FILE))
                .unwrap_or(false);
            if only_lock {
                let _ = self.folder.remove_file(LOCK_FILE);
                let _ = crate::sealed::remove_empty_root(self.folder.path());
            }
        }
    }
}

/// Removes the empty folders directly inside the output folder.
pub fn remove_empty_folders(out: &Folder) {
    for entry in out.list("").unwrap_or_default() {
        if entry.kind == Kind::Folder {
            // Removing fails on a folder that is not empty, as it should.
            let _ = out.remove_empty_folder(&entry.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_second_holder_waits_and_is_told_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first =
            OutputLock::acquire(&out, Area::Public, |_| panic!("nobody holds it yet")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let out = out.clone();
            std::thread::spawn(move || {
                // A second handle in the same process waits like another build.
                OutputLock::acquire(&out, Area::Public, |pid| tx.send(pid).unwrap()).unwrap()
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
        let lock = OutputLock::acquire(&out, Area::Public, |_| {}).unwrap();
        fs::create_dir_all(out.join("school")).unwrap();
        lock.tidy_after_failure();
        assert!(!out.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_lock_file_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(&victim, out.join(LOCK_FILE)).unwrap();
        let refused = OutputLock::acquire(&out, Area::Public, |_| {}).unwrap_err();
        assert!(format!("{refused:#}").contains("link"), "{refused:#}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_output_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("out")).unwrap();
        assert!(OutputLock::acquire(&dir.path().join("out"), Area::Public, |_| {}).is_err());
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
}
