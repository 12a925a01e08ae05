//! A scratch folder outside the project and `out/`, for files a command
//! needs on disk only while it runs (the bundled library, to load it like a
//! project). It is removed when dropped.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::output::atomic::write_atomic;

/// A temporary folder holding some files; removed when dropped.
#[derive(Debug)]
pub struct Scratch {
    root: PathBuf,
}

impl Scratch {
    /// Writes `files` (relative path, bytes) into a new folder in the
    /// system's temporary directory.
    pub fn with_files(files: &[(PathBuf, Vec<u8>)]) -> Result<Self> {
        let root = std::env::temp_dir().join(format!(
            "policyc-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        fs::create_dir_all(&root)
            .with_context(|| format!("cannot create a scratch folder at {}", root.display()))?;
        let scratch = Self { root };
        for (rel, bytes) in files {
            write_atomic(&scratch.root.join(rel), bytes)?;
        }
        Ok(scratch)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.root
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Writes `files` into the project at `root`, each atomically: a library
/// upgrade. Returns the paths written, relative to the project.
pub fn write_into_project(root: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = root.join(rel);
        if fs::read(&path).is_ok_and(|old| &old == bytes) {
            continue;
        }
        write_atomic(&path, bytes)?;
        written.push(rel.to_string_lossy().replace('\\', "/"));
    }
    Ok(written)
}
