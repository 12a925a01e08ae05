//! Incremental builds: what each output depends on, and whether the file
//! on disk is still the one policyc wrote.
//!
//! Every document gets an input hash over everything its outputs depend on
//! (its resolved content, the layouts, the logo, the PDF options and the
//! tool version). A rebuild skips a document whose hash is unchanged and
//! whose files are intact. A whole-project fingerprint over every input file
//! lets a rebuild with nothing changed stop before resolving at all.
//!
//! File sizes and modification times live in `out/.policyc-cache.json`,
//! apart from the manifest, so the manifest stays identical across machines.

use std::collections::BTreeMap;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::build::{typst_version, Standards};
use crate::model::document::Document;
use crate::model::hash::{hex, hex_digest};
use crate::model::project::Project;
use crate::model::templates::Layout;
use crate::sealed::{Cap, Folder};

/// The cache file's name inside the output folder.
pub const CACHE_FILE: &str = ".policyc-cache.json";

/// What the last build left behind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    /// Fingerprint of every input and option of the last build.
    pub fingerprint: String,
    /// Each file written, by path relative to the output folder.
    pub files: BTreeMap<String, FileStamp>,
}

/// How a written file looked when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
    /// SHA-256 of the bytes.
    pub sha256: String,
}

impl Cache {
    /// Reads the cache; anything unreadable is an empty cache. Stamps whose
    /// paths could leave the output folder are dropped (see [`Cache::parse`]).
    pub fn read(out: &Folder) -> Self {
        out.read(CACHE_FILE, Cap::Record)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .map(|text| Self::parse(&text))
            .unwrap_or_default()
    }

    /// Parses a cache file, which is untrusted: malformed text is an empty
    /// cache, and only stamps for plain relative paths inside the output
    /// folder are kept.
    pub fn parse(text: &str) -> Self {
        let mut cache: Cache = serde_json::from_str(text).unwrap_or_default();
        cache.files.retain(|rel, _| is_plain_relative(rel));
        cache
    }

    /// The cache as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Records a file just written with `sha256`.
    pub fn record(&mut self, out: &Folder, rel: &str, sha256: &str) {
        if let Some((size, mtime_ns)) = stat(out, rel) {
            let stamp = FileStamp {
                size,
                mtime_ns,
                sha256: sha256.to_string(),
            };
            self.files.insert(rel.to_string(), stamp);
        }
    }

    /// Whether `rel` still holds the bytes whose hash is `sha256`: the same
    /// size and time as recorded, or else the same content.
    pub fn intact(&self, out: &Folder, rel: &str, sha256: &str) -> bool {
        if let (Some(stamp), Some((size, mtime_ns))) = (self.files.get(rel), stat(out, rel)) {
            if stamp.sha256 == sha256 && stamp.size == size && stamp.mtime_ns == mtime_ns {
                return true;
            }
        }
        out.read(rel, Cap::Output)
            .is_ok_and(|bytes| hex_digest(&bytes) == sha256)
    }
}

/// Whether `rel` is a plain relative path that stays inside the folder it is
/// joined to: `/`-separated names, none empty, `.` or `..`, no drive or root.
pub fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains(['\\', ':', '\0'])
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

fn stat(out: &Folder, rel: &str) -> Option<(u64, u128)> {
    let (size, modified) = out.stamp(rel)?;
    let mtime = modified.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    Some((size, mtime))
}

/// The build options that change outputs, as text for hashing.
pub fn options_key(
    standards: Standards,
    pdf: bool,
    html: bool,
    timestamp: Option<i64>,
    selection: &[String],
) -> String {
    format!(
        "policyc {} typst {} a2b={} ua1={} pdf={pdf} html={html} epoch={timestamp:?} only={}",
        env!("CARGO_PKG_VERSION"),
        typst_version(),
        standards.archival,
        standards.accessible,
        selection.join(",")
    )
}

/// A fingerprint of every file the project read, its logos and the options.
pub fn project_fingerprint(project: &Project, options: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(options.as_bytes());
    for (path, text) in &project.sources {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    for name in Layout::ALL {
        hasher.update(project.templates.get(name).text.as_bytes());
    }
    for school in &project.schools {
        if let Some(logo) = &school.logo {
            hasher.update(&logo.bytes);
        }
    }
    hasher.update(fonts_digest(project).as_bytes());
    hex(&hasher.finalize())
}

/// A digest of the project's own fonts, which change every PDF: part of the
/// build options, so it is computed once, not per document.
pub fn fonts_digest(project: &Project) -> String {
    let mut hasher = Sha256::new();
    for font in &project.fonts {
        hasher.update(font.file.as_bytes());
        hasher.update(&font.bytes);
    }
    hex(&hasher.finalize())
}

/// The hash of everything one document's outputs depend on.
pub fn input_hash(doc: &Document, project: &Project, logo: Option<&[u8]>, options: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(options.as_bytes());
    hasher.update(serde_json::to_vec(doc).unwrap_or_default());
    for name in Layout::DOCUMENT {
        hasher.update(project.templates.get(name).text.as_bytes());
    }
    if let Some(bytes) = logo {
        hasher.update(bytes);
    }
    hex(&hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_that_leave_the_folder_are_dropped() {
        let text = r#"{"fingerprint":"f","files":{"a/b.pdf":{"size":1,"mtime_ns":1,"sha256":"x"},"../../etc/passwd":{"size":1,"mtime_ns":1,"sha256":"x"},"/abs":{"size":1,"mtime_ns":1,"sha256":"x"}}}"#;
        let cache = Cache::parse(text);
        assert_eq!(cache.files.keys().collect::<Vec<_>>(), ["a/b.pdf"]);
        assert_eq!(Cache::parse("not json"), Cache::default());
        assert!(
            !is_plain_relative("a/./b") && !is_plain_relative("a//b") && !is_plain_relative("c:x")
        );
    }

    #[test]
    fn a_file_is_intact_until_its_bytes_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.pdf"), b"one").unwrap();
        let out = Folder::open_root(dir.path(), crate::sealed::Area::Public).unwrap();
        let mut cache = Cache::default();
        let sha = hex_digest(b"one");
        cache.record(&out, "a.pdf", &sha);
        assert!(cache.intact(&out, "a.pdf", &sha));
        std::fs::write(dir.path().join("a.pdf"), b"two!").unwrap();
        assert!(!cache.intact(&out, "a.pdf", &sha));
        std::fs::remove_file(dir.path().join("a.pdf")).unwrap();
        assert!(!cache.intact(&out, "a.pdf", &sha));
    }
}
