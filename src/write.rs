//! The write stage: outputs, pack and trust indexes, the manifest.
//!
//! Every file goes to a temporary file beside its target and is renamed into
//! place, so a reader (or a crash) only ever sees the complete old file or
//! the complete new one. Documents go first, the indexes next, the manifest
//! last, so the manifest never names a file that is not there yet.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use anyhow::{anyhow, Context, Result};

use crate::build::{Resolved, ResolvedSchool, Summary};
use crate::incremental::{Cache, CACHE_FILE};
use crate::manifest::{InputFile, Manifest, ManifestClause, ManifestDoc, OutputFile};
use crate::markdown::plain_text;
use crate::render::{Rendered, Staged};
use crate::render_html::{HtmlRenderer, PackEntry, TrustEntry};
use crate::resolve::{hex_digest, Document};

/// Writes `bytes` to `path` atomically, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = write_temp(path, bytes, "tmp")?;
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        anyhow!(e).context(format!(
            "cannot move the new file into place at {}",
            path.display()
        ))
    })
}

/// Writes `bytes` to a hidden temporary file beside `path`, flushed to disk,
/// and returns its path.
fn write_temp(path: &Path, bytes: &[u8], suffix: &str) -> Result<std::path::PathBuf> {
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

/// Writes every rendered document, keeps the entries of documents skipped
/// as up to date, rewrites the indexes and the manifest, and removes
/// outputs of documents that no longer exist (on an unfiltered build).
/// Prints a line per file written to `log`.
pub fn write_outputs(
    resolved: &Resolved,
    rendered: &[Rendered],
    hashes: &BTreeMap<DocKey, String>,
    complete: bool,
    out_dir: &Path,
    log: &mut dyn Write,
    summary: &mut Summary,
) -> Result<()> {
    let mut cache = Cache::read(out_dir);
    let mut manifest = Manifest::read(&out_dir.join("manifest.json")).unwrap_or_default();
    let current: BTreeSet<DocKey> = hashes.keys().cloned().collect();
    let mut entries = Vec::new();
    for item in rendered {
        let mut outputs = BTreeMap::new();
        for (format, staged) in &item.outputs {
            commit(out_dir, staged, log, summary, &mut cache)?;
            outputs.insert(
                format.to_string(),
                OutputFile {
                    path: staged.rel.clone(),
                    sha256: staged.sha256.clone(),
                },
            );
        }
        let key = doc_key(&item.doc);
        let hash = hashes.get(&key).cloned().unwrap_or_default();
        entries.push(manifest_doc(
            resolved,
            item.school,
            &item.doc,
            outputs,
            hash,
        ));
    }
    let rewritten: BTreeSet<DocKey> = entries.iter().map(entry_key).collect();
    let (kept, dropped): (Vec<ManifestDoc>, Vec<ManifestDoc>) = manifest
        .documents
        .drain(..)
        .filter(|d| !rewritten.contains(&entry_key(d)))
        .partition(|d| !complete || current.contains(&entry_key(d)));
    for stale in &dropped {
        for output in stale.outputs.values() {
            if fs::remove_file(out_dir.join(&output.path)).is_ok() {
                writeln!(log, "  removed {}", display_path(out_dir, &output.path))
                    .context("cannot print progress")?;
            }
        }
    }
    manifest.documents = kept;
    manifest.documents.extend(entries);
    manifest.policyc = env!("CARGO_PKG_VERSION").to_string();
    manifest.typst = crate::TYPST_VERSION.to_string();
    manifest.sort();
    write_indexes(resolved, &manifest, out_dir, log, summary, &mut cache)?;
    write_file(
        out_dir,
        "manifest.json",
        manifest.to_json().as_bytes(),
        log,
        summary,
        &mut cache,
    )?;
    write_atomic(&out_dir.join(CACHE_FILE), cache.to_json().as_bytes())
}

/// Deletes temporary files a killed build left behind (`.name.PID.tmp`).
pub fn remove_leftover_temporaries(out_dir: &Path) {
    let mut dirs = vec![out_dir.to_path_buf()];
    if let Ok(entries) = fs::read_dir(out_dir) {
        dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    }
    for dir in dirs {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Identifies a document: school, policy, audience.
pub type DocKey = (String, String, String);

/// The key of a resolved document.
pub fn doc_key(doc: &Document) -> DocKey {
    (
        doc.school_id.clone(),
        doc.policy_id.clone(),
        doc.audience_id.clone(),
    )
}

fn entry_key(doc: &ManifestDoc) -> DocKey {
    (doc.school.clone(), doc.policy.clone(), doc.audience.clone())
}

/// Writes `bytes` beside the output `rel` under a temporary name, to be
/// moved into place by [`commit`] once every document has rendered.
pub fn stage(out_dir: &Path, rel: &str, bytes: &[u8]) -> Result<Staged> {
    let temp = write_temp(&out_dir.join(rel), bytes, "staged.tmp")?;
    Ok(Staged {
        rel: rel.to_string(),
        temp: Some(temp),
        sha256: hex_digest(bytes),
    })
}

/// Moves a staged output into place, or drops it if the file already holds
/// the same bytes.
fn commit(
    out_dir: &Path,
    staged: &Staged,
    log: &mut dyn Write,
    summary: &mut Summary,
    cache: &mut Cache,
) -> Result<()> {
    let Some(temp) = &staged.temp else {
        return Ok(());
    };
    if cache.intact(out_dir, &staged.rel, &staged.sha256) {
        let _ = fs::remove_file(temp);
        summary.unchanged += 1;
        return Ok(());
    }
    let path = out_dir.join(&staged.rel);
    fs::rename(temp, &path)
        .with_context(|| format!("cannot move the new file into place at {}", path.display()))?;
    cache.record(out_dir, &staged.rel, &staged.sha256);
    summary.written += 1;
    writeln!(log, "  wrote {}", display_path(out_dir, &staged.rel)).context("cannot print progress")
}

/// Deletes staged files after a failed render, leaving the old outputs.
pub fn discard_staged(rendered: &[Rendered]) {
    for (_, staged) in rendered.iter().flat_map(|r| &r.outputs) {
        if let Some(temp) = &staged.temp {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Writes one output unless it already holds these bytes.
fn write_file(
    out_dir: &Path,
    rel: &str,
    bytes: &[u8],
    log: &mut dyn Write,
    summary: &mut Summary,
    cache: &mut Cache,
) -> Result<()> {
    let path = out_dir.join(rel);
    let sha = hex_digest(bytes);
    if cache.intact(out_dir, rel, &sha) {
        summary.unchanged += 1;
        return Ok(());
    }
    write_atomic(&path, bytes)?;
    cache.record(out_dir, rel, &sha);
    summary.written += 1;
    writeln!(log, "  wrote {}", display_path(out_dir, rel)).context("cannot print progress")?;
    Ok(())
}

/// A path for messages: relative to the working directory when inside it.
pub fn display_path(out_dir: &Path, rel: &str) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let full = out_dir.join(rel);
    let shown = full
        .strip_prefix(&cwd)
        .unwrap_or(&full)
        .display()
        .to_string();
    shown.strip_prefix("./").map(str::to_owned).unwrap_or(shown)
}

/// The manifest record of a document of school number `school`.
pub fn manifest_doc(
    resolved: &Resolved,
    school: usize,
    doc: &Document,
    outputs: BTreeMap<String, OutputFile>,
    input_hash: String,
) -> ManifestDoc {
    let school = &resolved.schools[school];
    let inputs = document_inputs(resolved, school, doc);
    let clauses = doc
        .sections
        .iter()
        .flat_map(|s| s.clauses.iter().map(move |c| (s, c)))
        .map(|(s, c)| ManifestClause {
            id: c.id.clone(),
            section: s.id.clone(),
            label: c.label.clone(),
            origin: c.provenance.origin.to_string(),
            file: c.provenance.file.clone(),
            placeholders: c.provenance.placeholders.clone(),
            text: plain_text(&c.blocks),
        })
        .collect();
    ManifestDoc {
        school: doc.school_id.clone(),
        school_name: doc.school.name.clone(),
        trust: doc.school.trust.clone(),
        policy: doc.policy_id.clone(),
        audience: doc.audience_id.clone(),
        audience_label: doc.audience_label.clone(),
        title: doc.title.clone(),
        doc_id: doc.doc_id.clone(),
        version: doc.meta.version.clone(),
        approved_by: doc.meta.approved_by.clone(),
        approved_on: doc.meta.approved_on_text.clone(),
        review_by: doc.meta.review_by_text.clone(),
        input_hash,
        outputs,
        inputs,
        clauses,
    }
}

/// The files a document was built from, with hashes.
fn document_inputs(resolved: &Resolved, school: &ResolvedSchool, doc: &Document) -> Vec<InputFile> {
    let project = &resolved.project;
    let mut paths: Vec<String> = school.files.clone();
    paths.extend(
        doc.sections
            .iter()
            .flat_map(|s| s.clauses.iter().map(|c| c.provenance.file.clone())),
    );
    paths.extend(
        project
            .policies
            .iter()
            .filter(|p| p.id == doc.policy_id)
            .map(|p| p.file.clone()),
    );
    let mut inputs: Vec<InputFile> = paths
        .into_iter()
        .filter_map(|p| {
            project.sources.get(&p).map(|text| InputFile {
                sha256: hex_digest(text.as_bytes()),
                path: p,
            })
        })
        .collect();
    for name in ["policy.typ", "document.html"] {
        let t = project.templates.get(name);
        inputs.push(InputFile {
            path: t.file.clone(),
            sha256: hex_digest(t.text.as_bytes()),
        });
    }
    if let Some(logo) = &school.logo {
        inputs.push(InputFile {
            path: logo.file.clone(),
            sha256: hex_digest(&logo.bytes),
        });
    }
    inputs.sort();
    inputs.dedup();
    inputs
}

/// Writes each school's pack index and the trust index from the manifest.
pub fn write_indexes(
    resolved: &Resolved,
    manifest: &Manifest,
    out_dir: &Path,
    log: &mut dyn Write,
    summary: &mut Summary,
    cache: &mut Cache,
) -> Result<()> {
    let renderer =
        HtmlRenderer::new(&resolved.project.templates).map_err(|d| anyhow!(d.render(false)))?;
    let mut by_school: BTreeMap<&str, Vec<&ManifestDoc>> = BTreeMap::new();
    for doc in &manifest.documents {
        by_school.entry(doc.school.as_str()).or_default().push(doc);
    }
    let mut trust_rows = Vec::new();
    for (school_id, docs) in &by_school {
        let first = docs[0];
        let rows: Vec<PackEntry> = docs
            .iter()
            .map(|d| PackEntry {
                title: d.title.clone(),
                audience_label: d.audience_label.clone(),
                doc_id: d.doc_id.clone(),
                pdf: d.outputs.get("pdf").map(|o| file_name(&o.path)),
                html: d.outputs.get("html").map(|o| file_name(&o.path)),
            })
            .collect();
        let meta = crate::resolve::Meta {
            version: first.version.clone(),
            approved_by: first.approved_by.clone(),
            approved_on: String::new(),
            approved_on_text: first.approved_on.clone(),
            review_by: String::new(),
            review_by_text: first.review_by.clone(),
        };
        let has_changes = out_dir.join(school_id).join("changes.html").is_file();
        let page = renderer
            .pack(
                &first.school_name,
                first.trust.as_deref(),
                &meta,
                &rows,
                has_changes,
            )
            .map_err(|d| anyhow!(d.render(false)))?;
        write_file(
            out_dir,
            &format!("{school_id}/index.html"),
            page.as_bytes(),
            log,
            summary,
            cache,
        )?;
        trust_rows.push(TrustEntry {
            id: school_id.to_string(),
            name: first.school_name.clone(),
            count: docs.len(),
            version: first.version.clone(),
        });
    }
    let trust = manifest.documents.first().and_then(|d| d.trust.clone());
    let page = renderer
        .trust(trust.as_deref(), &trust_rows)
        .map_err(|d| anyhow!(d.render(false)))?;
    write_file(out_dir, "index.html", page.as_bytes(), log, summary, cache)
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// Manifest entries for every resolved document, without writing anything:
/// what `changes` compares with a baseline.
pub fn current_manifest(resolved: &Resolved) -> Manifest {
    let mut manifest = Manifest {
        policyc: env!("CARGO_PKG_VERSION").to_string(),
        typst: crate::TYPST_VERSION.to_string(),
        documents: Vec::new(),
    };
    for (index, school) in resolved.schools.iter().enumerate() {
        for doc in &school.documents {
            manifest.documents.push(manifest_doc(
                resolved,
                index,
                doc,
                BTreeMap::new(),
                String::new(),
            ));
        }
    }
    manifest.sort();
    manifest
}

/// Writes `out/<school>/changes.html` for each school with a change, and
/// rewrites the indexes so each pack links to its summary. Returns the
/// paths written.
pub fn write_changes(
    resolved: &Resolved,
    report: &crate::changes::Report,
    out_dir: &Path,
) -> Result<Vec<String>> {
    let renderer =
        HtmlRenderer::new(&resolved.project.templates).map_err(|d| anyhow!(d.render(false)))?;
    let mut written = Vec::new();
    for summary in &report.schools {
        let Some(school) = resolved.schools.iter().find(|s| s.id == summary.school) else {
            continue;
        };
        let docs: Vec<crate::changes::DocChange> = report
            .documents
            .iter()
            .filter(|d| d.school == summary.school)
            .cloned()
            .collect();
        let name = school.merged.school.name.clone().unwrap_or_default();
        let trust = school.merged.school.trust.as_ref().map(|t| t.name.clone());
        let page = renderer
            .changes(&name, trust.as_deref(), &docs, &summary.line)
            .map_err(|d| anyhow!(d.render(false)))?;
        let rel = format!("{}/changes.html", summary.school);
        write_atomic(&out_dir.join(&rel), page.as_bytes())?;
        written.push(display_path(out_dir, &rel));
    }
    let manifest = Manifest::read(&out_dir.join("manifest.json")).unwrap_or_default();
    if !manifest.documents.is_empty() {
        let mut cache = Cache::read(out_dir);
        let mut summary = Summary::default();
        write_indexes(
            resolved,
            &manifest,
            out_dir,
            &mut std::io::sink(),
            &mut summary,
            &mut cache,
        )?;
        write_atomic(&out_dir.join(CACHE_FILE), cache.to_json().as_bytes())?;
    }
    Ok(written)
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
}
