//! The output stage: the only stage besides loading that touches the disk.
//! It stages rendered documents, moves them into place, removes the outputs
//! of documents that no longer exist, and writes the pages, the manifest
//! and the cache. It never renders: pages arrive as finished HTML.
//!
//! Documents go first, the pages next and the manifest last, so the
//! manifest never names a file that is not there yet.

pub mod atomic;
pub mod cache;
pub mod guard;
pub mod lock;
pub mod records;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::model::booklet::booklet_path;
use crate::model::build::{Rendered, RenderedBooklet, Summary};
use crate::model::hash::hex_digest;
use crate::model::ids::check_id;
use crate::model::manifest::{Manifest, ManifestBooklet, ManifestDoc};
use crate::sealed::{self, Area, Cap, Folder, ReadFailure};

use atomic::{commit_staged, write_atomic};
use cache::{Cache, CACHE_FILE};

/// The manifest's file name inside the output folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What the last build left in the output folder, read once per build.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// The last manifest (empty if there is none or it cannot be read).
    pub manifest: Manifest,
    /// The file-stamp cache (empty if there is none or it cannot be read).
    pub cache: Cache,
}

/// Reads what the last build left behind. Anything unreadable counts as
/// absent, so the build simply does more work.
///
/// Both files come from outside (a restored CI cache, a downloaded
/// artefact), so they are untrusted: records and stamps whose ids or paths
/// are not exactly what policyc itself writes are dropped, and nothing they
/// name outside the output folder is ever read, written or deleted.
pub fn read_previous(out: &Folder) -> Previous {
    let manifest = out
        .read(MANIFEST_FILE, Cap::Record)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| Manifest::from_json(&text).ok())
        .unwrap_or_default();
    Previous {
        manifest: trusted_records(manifest),
        cache: Cache::read(out),
    }
}

/// Keeps the records whose ids are valid and whose outputs sit exactly
/// where policyc puts them.
pub fn trusted_records(mut manifest: Manifest) -> Manifest {
    manifest.documents.retain(|doc| {
        let key = doc.key();
        let ids_ok = [&key.school, &key.policy, &key.audience]
            .iter()
            .all(|id| check_id(id).is_ok());
        ids_ok
            && doc
                .outputs
                .iter()
                .all(|(kind, file)| file.path == key.output_path(*kind))
    });
    manifest.booklets.retain(|booklet| {
        check_id(&booklet.school).is_ok()
            && check_id(&booklet.policy).is_ok()
            && booklet.output.path == booklet_path(&booklet.school, &booklet.policy)
    });
    manifest
}

/// The file naming the latest published pack, in `published/`.
pub const LATEST_FILE: &str = "latest";

/// Reads a baseline for `changes`: a manifest file, an output folder
/// holding one, or `published/` itself (its `latest` file names the pack),
/// at a path the user gave. Read without following a link, capped, an
/// ordinary file only.
pub fn read_baseline(path: &Path) -> Result<Manifest> {
    let file = if sealed::given_kind(path) == Some(sealed::Kind::Folder) {
        let latest = path.join(LATEST_FILE);
        match sealed::read_given(&latest, Cap::Text) {
            Ok(bytes) if sealed::given_kind(&path.join(MANIFEST_FILE)).is_none() => {
                let label = String::from_utf8_lossy(&bytes).trim().to_string();
                if label.is_empty() || label.contains(['/', '\\']) || label.starts_with('.') {
                    anyhow::bail!("{} does not name a published pack", latest.display());
                }
                path.join(label).join(MANIFEST_FILE)
            }
            _ => path.join(MANIFEST_FILE),
        }
    } else {
        path.to_path_buf()
    };
    let bytes = match sealed::read_given(&file, Cap::Record) {
        Ok(bytes) => bytes,
        Err(ReadFailure::Missing) => anyhow::bail!(
            "no baseline manifest at {}; give a manifest.json or the output folder of a published build",
            file.display()
        ),
        Err(why) => anyhow::bail!("cannot read the baseline {}: {why}", file.display()),
    };
    let text = String::from_utf8(bytes)
        .with_context(|| format!("{} is not a policyc manifest", file.display()))?;
    Manifest::from_json(&text)
        .with_context(|| format!("{} is not a policyc manifest", file.display()))
}

/// Writes the files of a new project into `dir`, which must be empty or
/// absent.
pub fn write_new_project(dir: &Path, files: &[(std::path::PathBuf, Vec<u8>)]) -> Result<()> {
    let (project, _) = Folder::create_root(dir, Area::Project)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let entries = project
        .list("")
        .with_context(|| format!("cannot read {}", dir.display()))?;
    if !entries.is_empty() {
        anyhow::bail!(
            "{} is not empty; run `policyc init` in a new or empty folder",
            dir.display()
        );
    }
    for (rel, bytes) in files {
        write_atomic(&project, rel, bytes)?;
    }
    Ok(())
}

/// Writes `files` into the project at `root`, each atomically and never
/// through a link: a library upgrade. Files already holding the same bytes
/// are left alone. Returns the paths written, relative to the project.
pub fn write_into_project(
    root: &Path,
    files: &[(std::path::PathBuf, Vec<u8>)],
) -> Result<Vec<String>> {
    let project = Folder::open_root(root, Area::Project)
        .with_context(|| format!("cannot open the project folder {}", root.display()))?;
    let mut written = Vec::new();
    for (rel, bytes) in files {
        if project.read(rel, Cap::Text).is_ok_and(|old| &old == bytes) {
            continue;
        }
        write_atomic(&project, rel, bytes)?;
        written.push(rel.to_string_lossy().replace('\\', "/"));
    }
    Ok(written)
}

/// Whether a school's folder holds a summary of changes.
pub fn has_changes_page(out: &Folder, school: &str) -> bool {
    out.is_file(format!("{school}/changes.html"))
}

/// Everything a finished build puts in place.
pub struct Commit<'a> {
    /// Rendered documents, their outputs staged.
    pub rendered: &'a [Rendered],
    /// Booklets rendered, their PDFs staged.
    pub booklets: &'a [RenderedBooklet],
    /// Records of documents that no longer exist: their outputs go.
    pub dropped: &'a [ManifestDoc],
    /// Records of booklets that no longer exist: their PDFs go.
    pub dropped_booklets: &'a [ManifestBooklet],
    /// Pages to write: (path relative to the output folder, HTML).
    pub pages: &'a [(String, String)],
    /// Pages nothing links to any more: removed if present.
    pub stale_pages: &'a [String],
    /// The manifest to write last.
    pub manifest: &'a Manifest,
    /// The fingerprint of the inputs, for the next build's cache.
    pub fingerprint: String,
}

/// Moves every staged output into place and writes the pages, the manifest
/// and the cache, printing a line per file written to `log`.
pub fn commit(
    out_dir: &Folder,
    commit: Commit<'_>,
    mut cache: Cache,
    log: &mut dyn Write,
    summary: &mut Summary,
) -> Result<()> {
    // Every target is checked before the first file moves, so a build
    // that cannot finish (a folder where the manifest goes, say) replaces
    // nothing.
    let targets = commit
        .rendered
        .iter()
        .flat_map(|r| &r.outputs)
        .map(|(_, staged)| staged.rel.as_str())
        .chain(commit.booklets.iter().map(|b| b.staged.rel.as_str()))
        .chain(commit.pages.iter().map(|(rel, _)| rel.as_str()))
        .chain([MANIFEST_FILE, CACHE_FILE]);
    for rel in targets {
        check_target(out_dir, rel)?;
    }
    let mut placer = Placer {
        out_dir,
        cache: &mut cache,
        log,
        summary,
    };
    for (_, staged) in commit.rendered.iter().flat_map(|r| &r.outputs) {
        if let Some(temp) = &staged.temp {
            placer.place(&staged.rel, Content::Staged(temp), &staged.sha256)?;
        }
    }
    for booklet in commit.booklets {
        if let Some(temp) = &booklet.staged.temp {
            placer.place(
                &booklet.staged.rel,
                Content::Staged(temp),
                &booklet.staged.sha256,
            )?;
        }
    }
    for stale in commit.dropped {
        for output in stale.outputs.values() {
            placer.remove(&output.path)?;
        }
    }
    for stale in commit.dropped_booklets {
        placer.remove(&stale.output.path)?;
    }
    // A school with no documents left loses its pack pages and folder.
    let gone: BTreeSet<&str> = commit
        .dropped
        .iter()
        .map(|d| d.school.as_str())
        .filter(|school| {
            !commit
                .manifest
                .documents
                .iter()
                .any(|d| d.school == *school)
        })
        .collect();
    for school in gone {
        placer.remove(&format!("{school}/index.html"))?;
        placer.remove(&format!("{school}/changes.html"))?;
        placer.remove(&format!("{school}/departures.html"))?;
        let _ = out_dir.remove_empty_folder(school);
    }
    for stale in commit.stale_pages {
        placer.remove(stale)?;
    }
    placer.place_pages(commit.pages)?;
    let manifest = commit.manifest.to_json();
    placer.place(
        MANIFEST_FILE,
        Content::Bytes(manifest.as_bytes()),
        &hex_digest(manifest.as_bytes()),
    )?;
    cache.fingerprint = commit.fingerprint;
    write_cache(out_dir, &cache)
}

/// Whether a file can be put in place at `rel`: its folder can be made
/// or opened (no link, no file in the way) and nothing but an ordinary
/// file (or nothing) stands there now.
fn check_target(out: &Folder, rel: &str) -> Result<()> {
    let path = Path::new(rel);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        out.create_folder(parent).map_err(|e| {
            anyhow::anyhow!(e).context(format!(
                "cannot write {}: its folder cannot be made",
                display_path(out, rel)
            ))
        })?;
    }
    match out.kind(path) {
        None | Some(sealed::Kind::File) | Some(sealed::Kind::Link) => Ok(()),
        Some(_) => anyhow::bail!(
            "cannot write {}: a folder or special file stands where the file goes; nothing was replaced",
            display_path(out, rel)
        ),
    }
}

/// Writes pages outside a build (a summary of changes and the indexes that
/// link to it) and removes the `stale` pages nothing links to any more,
/// keeping the cache in step. Returns the paths written and the paths
/// removed.
pub fn write_pages(
    out_dir: &Folder,
    pages: &[(String, String)],
    stale: &[String],
) -> Result<(Vec<String>, Vec<String>)> {
    let files: Vec<(String, &[u8])> = pages
        .iter()
        .map(|(rel, html)| (rel.clone(), html.as_bytes()))
        .collect();
    write_files(out_dir, &files, stale)
}

/// Puts `files` (path relative to the folder, bytes) in place, each
/// atomically, and removes each `stale` path that exists, recording both
/// in the folder's cache. Returns the paths written and removed, as shown
/// to the user.
pub fn write_files(
    out_dir: &Folder,
    files: &[(String, &[u8])],
    stale: &[String],
) -> Result<(Vec<String>, Vec<String>)> {
    let files = files
        .iter()
        .map(|(rel, bytes)| Ok((rel.clone(), Cow::Borrowed(*bytes))));
    place_files(out_dir, files, stale)
}

/// Puts files in place one at a time as `files` yields them, so that only
/// one is held in memory (a merge's thousands of PDFs, say); otherwise as
/// [`write_files`]. The first error `files` yields stops it.
pub fn write_streamed(
    out_dir: &Folder,
    files: impl Iterator<Item = Result<(String, Vec<u8>)>>,
) -> Result<Vec<String>> {
    let files = files.map(|file| file.map(|(rel, bytes)| (rel, Cow::Owned(bytes))));
    place_files(out_dir, files, &[]).map(|(written, _)| written)
}

/// What [`write_files`] and [`write_streamed`] share: each stale path
/// removed, each file placed, the cache written once at the end.
fn place_files<'a>(
    out_dir: &Folder,
    files: impl Iterator<Item = Result<(String, Cow<'a, [u8]>)>>,
    stale: &[String],
) -> Result<(Vec<String>, Vec<String>)> {
    let mut cache = Cache::read(out_dir);
    let mut summary = Summary::default();
    let mut log = Vec::new();
    let mut placer = Placer {
        out_dir,
        cache: &mut cache,
        log: &mut log,
        summary: &mut summary,
    };
    let mut removed = Vec::new();
    for rel in stale {
        if out_dir.is_file(rel) {
            placer.remove(rel)?;
            removed.push(display_path(out_dir, rel));
        }
    }
    let mut written = Vec::new();
    for file in files {
        let (rel, bytes) = file?;
        placer.place(&rel, Content::Bytes(&bytes), &hex_digest(&bytes))?;
        written.push(display_path(out_dir, &rel));
    }
    write_cache(out_dir, &cache)?;
    Ok((written, removed))
}

fn write_cache(out_dir: &Folder, cache: &Cache) -> Result<()> {
    write_atomic(out_dir, CACHE_FILE, cache.to_json().as_bytes())
}

/// The bytes of an output: staged in a temporary file, or in memory.
enum Content<'a> {
    Staged(&'a Path),
    Bytes(&'a [u8]),
}

/// Puts files in place, skipping those that already hold the same bytes.
struct Placer<'a> {
    out_dir: &'a Folder,
    cache: &'a mut Cache,
    log: &'a mut dyn Write,
    summary: &'a mut Summary,
}

impl Placer<'_> {
    /// Puts one output in place unless it already holds these bytes.
    fn place(&mut self, rel: &str, content: Content<'_>, sha256: &str) -> Result<()> {
        if self.cache.intact(self.out_dir, rel, sha256) {
            if let Content::Staged(temp) = content {
                let _ = self.out_dir.remove_file(temp);
            }
            self.summary.unchanged += 1;
            return Ok(());
        }
        match content {
            Content::Staged(temp) => commit_staged(self.out_dir, temp, rel)?,
            Content::Bytes(bytes) => write_atomic(self.out_dir, rel, bytes)?,
        }
        self.cache.record(self.out_dir, rel, sha256);
        self.summary.written += 1;
        writeln!(self.log, "  wrote {}", display_path(self.out_dir, rel))
            .context("cannot print progress")
    }

    fn place_pages(&mut self, pages: &[(String, String)]) -> Result<()> {
        for (rel, html) in pages {
            let bytes = html.as_bytes();
            self.place(rel, Content::Bytes(bytes), &hex_digest(bytes))?;
        }
        Ok(())
    }

    /// Removes an output of a document that no longer exists.
    fn remove(&mut self, rel: &str) -> Result<()> {
        self.cache.files.remove(rel);
        if self.out_dir.remove_file(rel).is_ok() {
            writeln!(self.log, "  removed {}", display_path(self.out_dir, rel))
                .context("cannot print progress")?;
        }
        Ok(())
    }
}

/// A path for messages: relative to the working directory when inside it.
pub fn display_path(out_dir: &Folder, rel: &str) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let full = out_dir.shown(rel);
    let shown = full
        .strip_prefix(&cwd)
        .unwrap_or(&full)
        .display()
        .to_string();
    shown.strip_prefix("./").map(str::to_owned).unwrap_or(shown)
}
