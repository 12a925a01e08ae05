//! A read-only tree of files held in memory, read through the same
//! [`Tree`] interface as a folder on disk: the clause library built into
//! the binary is loaded this way, so previewing an upgrade writes nothing
//! anywhere.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::{parts, Cap, Entry, Kind, ReadFailure, Tree};

/// Files by relative path, and the folders that hold them.
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryTree {
    /// A tree of `files` (relative path, bytes).
    pub fn new(files: &[(PathBuf, Vec<u8>)]) -> Self {
        let files = files
            .iter()
            .filter_map(|(rel, bytes)| Some((normal(rel).ok()?, bytes.clone())))
            .collect();
        Self { files }
    }
}

/// `rel` without `.` components; `..` and roots refused.
fn normal(rel: &Path) -> io::Result<PathBuf> {
    Ok(parts(rel)?.into_iter().collect())
}

impl Tree for MemoryTree {
    fn read(&self, rel: &Path, cap: Cap) -> Result<Vec<u8>, ReadFailure> {
        let rel = normal(rel).map_err(|_| ReadFailure::Outside)?;
        match self.files.get(&rel) {
            Some(bytes) if bytes.len() as u64 > cap.bytes() => {
                Err(ReadFailure::TooLarge(bytes.len() as u64, cap.bytes()))
            }
            Some(bytes) => Ok(bytes.clone()),
            None if self.kind(&rel) == Some(Kind::Folder) => Err(ReadFailure::Folder),
            None => Err(ReadFailure::Missing),
        }
    }

    fn kind(&self, rel: &Path) -> Option<Kind> {
        let rel = normal(rel).ok()?;
        if self.files.contains_key(&rel) {
            return Some(Kind::File);
        }
        let inside = rel.as_os_str().is_empty() || self.files.keys().any(|p| p.starts_with(&rel));
        inside.then_some(Kind::Folder)
    }

    fn list(&self, rel: &Path) -> io::Result<Vec<Entry>> {
        let rel = normal(rel)?;
        let mut entries = BTreeMap::new();
        for path in self.files.keys() {
            let Ok(rest) = path.strip_prefix(&rel) else {
                continue;
            };
            let mut components = rest.components();
            let Some(first) = components.next() else {
                continue;
            };
            let kind = if components.next().is_some() {
                Kind::Folder
            } else {
                Kind::File
            };
            let name = first.as_os_str().to_string_lossy().into_owned();
            entries.insert(name, kind);
        }
        Ok(entries
            .into_iter()
            .map(|(name, kind)| Entry { name, kind })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_lists_like_a_folder() {
        let tree = MemoryTree::new(&[
            ("clauses/adult/a.md".into(), b"a".to_vec()),
            ("modules.yaml".into(), b"m".to_vec()),
        ]);
        assert_eq!(
            tree.read(Path::new("clauses/adult/a.md"), Cap::Text)
                .unwrap(),
            b"a"
        );
        assert!(matches!(
            tree.read(Path::new("clauses"), Cap::Text),
            Err(ReadFailure::Folder)
        ));
        assert!(matches!(
            tree.read(Path::new("nope"), Cap::Text),
            Err(ReadFailure::Missing)
        ));
        let top: Vec<_> = tree
            .list(Path::new(""))
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.kind))
            .collect();
        assert_eq!(
            top,
            [
                ("clauses".into(), Kind::Folder),
                ("modules.yaml".into(), Kind::File)
            ]
        );
        assert_eq!(tree.kind(Path::new("schools")), None);
    }
}
