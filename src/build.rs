//! The pipeline: load → check → resolve → render → write.
//!
//! [`prepare`] runs everything up to and including resolving and reports
//! every problem at once. The render stage turns resolved documents into
//! bytes in memory; only when every document has rendered does [`build`]
//! write anything, so a failed build leaves the previous outputs untouched.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;

use crate::check;
use crate::diag::{suggestion, Diagnostic, Diagnostics, Severity};
use crate::incremental::{input_hash, options_key, project_fingerprint, Cache};
use crate::inherit::{merge_chain, Merged};
use crate::load::{load_project, LogoFile, Project, SchoolSource};
use crate::manifest::Manifest;
use crate::render::{render_all, RenderOptions};
use crate::render_pdf::Standards;
use crate::resolve::{hex_digest, resolve_school, Document, Library, SchoolInput};
use crate::write::{doc_key, write_outputs, DocKey};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The project folder.
    pub project: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Only these schools (all when empty).
    pub schools: Vec<String>,
    /// Only these audiences (each school's own when empty).
    pub audiences: Vec<String>,
    /// Write PDFs.
    pub pdf: bool,
    /// Write HTML pages.
    pub html: bool,
    /// PDF standards to conform to.
    pub standards: Standards,
    /// Rebuild every document, even if up to date.
    pub force: bool,
}

/// A school with its resolved documents.
#[derive(Debug, Clone)]
pub struct ResolvedSchool {
    /// School id.
    pub id: String,
    /// The merged school data.
    pub merged: Merged,
    /// Its logo, if any.
    pub logo: Option<LogoFile>,
    /// Its documents, in policy then audience order.
    pub documents: Vec<Document>,
    /// The school file and the files it extends.
    pub files: Vec<String>,
}

/// A project, loaded and resolved.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The project as read.
    pub project: Project,
    /// The selected schools.
    pub schools: Vec<ResolvedSchool>,
}

/// Loads, checks and resolves. Returns the resolved project when there are
/// no errors, and every diagnostic either way.
pub fn prepare(
    root: &Path,
    schools: &[String],
    audiences: &[String],
) -> (Option<Resolved>, Diagnostics) {
    let (project, mut diags, loaded) = load_checked(root);
    let resolved = resolve_all(project, &mut diags, loaded, schools, audiences);
    (resolved, diags)
}

/// Which parts of the project loaded without errors.
#[derive(Debug, Clone, Copy)]
pub struct Loaded {
    /// Every policy file loaded.
    pub policies: bool,
    /// Every clause file loaded.
    pub clauses: bool,
}

/// Loads the project and runs the library-wide checks.
pub fn load_checked(root: &Path) -> (Project, Diagnostics, Loaded) {
    let mut diags = Diagnostics::default();
    let project = load_project(root, &mut diags);
    let failed = |prefix: &str| {
        diags
            .sorted()
            .iter()
            .any(|d| d.severity == Severity::Error && d.file.starts_with(prefix))
    };
    let loaded = Loaded {
        policies: !failed("policies"),
        clauses: !failed("clauses/"),
    };
    diags.extend(check::check_library(&project, loaded.policies));
    (project, diags, loaded)
}

/// Resolves the selected schools in parallel, adding their problems to `diags`.
pub fn resolve_all(
    project: Project,
    diags: &mut Diagnostics,
    loaded: Loaded,
    schools: &[String],
    audiences: &[String],
) -> Option<Resolved> {
    diags.extend(check_selection(&project, schools, audiences));
    let lib = Library {
        audiences: &project.audiences,
        clauses: &project.clauses,
        complete: loaded.clauses,
    };
    let today = today();
    let results: Vec<(Option<ResolvedSchool>, Vec<Diagnostic>)> = project
        .schools
        .par_iter()
        .filter(|source| schools.is_empty() || schools.contains(&source.id))
        .map(|source| resolve_one(&project, lib, source, audiences, &today))
        .collect();
    let mut resolved = Vec::new();
    for (school, problems) in results {
        diags.extend(problems);
        resolved.extend(school);
    }
    if diags.has_errors() {
        return None;
    }
    Some(Resolved {
        project,
        schools: resolved,
    })
}

/// Merges and resolves one school, with its warnings.
fn resolve_one(
    project: &Project,
    lib: Library<'_>,
    source: &SchoolSource,
    audiences: &[String],
    today: &str,
) -> (Option<ResolvedSchool>, Vec<Diagnostic>) {
    let merged = merge_chain(&source.chain);
    let file = source
        .chain
        .first()
        .map(|(f, _)| f.as_str())
        .unwrap_or_default();
    let text = project.sources.get(file).map_or("", String::as_str);
    let logo_hash = source.logo.as_ref().map(|l| hex_digest(&l.bytes));
    let mut selected = merged.clone();
    if !audiences.is_empty() {
        let own = selected.school.audiences.take().unwrap_or_default();
        let kept: Vec<String> = own.into_iter().filter(|a| audiences.contains(a)).collect();
        if kept.is_empty() {
            return (None, Vec::new());
        }
        selected.school.audiences = Some(kept);
    }
    let input = SchoolInput {
        id: &source.id,
        file,
        source: text,
        merged: &selected,
        local_clauses: &source.local_clauses,
        logo_hash: logo_hash.as_deref(),
        sources: &project.sources,
    };
    match resolve_school(lib, &project.policies, input) {
        Ok(documents) => {
            let school = ResolvedSchool {
                id: source.id.clone(),
                merged,
                logo: source.logo.clone(),
                documents,
                files: source.chain.iter().map(|(f, _)| f.clone()).collect(),
            };
            let warnings = check::check_documents(&school, file, &project.sources, today);
            (Some(school), warnings)
        }
        Err(problems) => (None, problems),
    }
}

/// Today's date, `YYYY-MM-DD` (UTC), for warnings about overdue reviews.
/// `POLICYC_TODAY` (`YYYY-MM-DD`) overrides it, for reproducible checks.
fn today() -> String {
    if let Ok(day) = std::env::var("POLICYC_TODAY") {
        return day;
    }
    let now = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

fn check_selection(project: &Project, schools: &[String], audiences: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let ids: Vec<&str> = project.schools.iter().map(|s| s.id.as_str()).collect();
    for id in schools {
        if !ids.contains(&id.as_str()) {
            out.push(
                Diagnostic::error(
                    "unknown-school",
                    "--school",
                    format!("there is no school `{id}`"),
                )
                .with_hint(
                    suggestion(id, ids.iter().copied())
                        .unwrap_or_else(|| format!("schools: {}", ids.join(", "))),
                ),
            );
        }
    }
    let known: Vec<&str> = project.audiences.iter().map(|a| a.id.as_str()).collect();
    for id in audiences {
        if !known.contains(&id.as_str()) {
            out.push(
                Diagnostic::error(
                    "unknown-audience",
                    "--audience",
                    format!("there is no audience `{id}`"),
                )
                .with_hint(
                    suggestion(id, known.iter().copied())
                        .unwrap_or_else(|| format!("audiences: {}", known.join(", "))),
                ),
            );
        }
    }
    out
}

/// What a build did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// Documents in the selection.
    pub documents: usize,
    /// Documents rendered.
    pub built: usize,
    /// Documents whose outputs were already up to date.
    pub skipped: usize,
    /// Whether nothing at all had changed.
    pub up_to_date: bool,
    /// Files written (changed on disk).
    pub written: usize,
    /// Files already up to date.
    pub unchanged: usize,
    /// Total milliseconds.
    pub total_ms: f64,
    /// Mean milliseconds per PDF.
    pub ms_per_pdf: f64,
}

/// What a build ended with: every diagnostic, and a summary if it wrote.
#[derive(Debug)]
pub struct Outcome {
    /// Errors and warnings, already complete.
    pub diags: Diagnostics,
    /// Present when the outputs were written.
    pub summary: Option<Summary>,
}

/// The whole build: load, check, resolve, render, write. Nothing is
/// written unless every document resolved and rendered; documents whose
/// inputs have not changed since the last build are not rendered again.
pub fn build(
    opts: &BuildOptions,
    log: &mut dyn Write,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Outcome> {
    let started = Instant::now();
    let selection: Vec<String> = opts
        .schools
        .iter()
        .chain(&opts.audiences)
        .cloned()
        .collect();
    let options = options_key(opts.standards, opts.pdf, opts.html, &selection);
    let (project, mut diags, loaded) = load_checked(&opts.project);
    let fingerprint = project_fingerprint(&project, &options);
    let cache = Cache::read(&opts.out);
    if !opts.force
        && !diags.has_errors()
        && cache.fingerprint == fingerprint
        && outputs_intact(&opts.out, &cache)
    {
        let documents = Manifest::read(&opts.out.join("manifest.json"))
            .map(|m| m.documents.len())
            .unwrap_or(0);
        let summary = Summary {
            documents,
            skipped: documents,
            up_to_date: true,
            total_ms: ms(started),
            ..Summary::default()
        };
        return Ok(Outcome {
            diags,
            summary: Some(summary),
        });
    }
    let resolved = resolve_all(project, &mut diags, loaded, &opts.schools, &opts.audiences);
    let Some(resolved) = resolved else {
        return Ok(Outcome {
            diags,
            summary: None,
        });
    };
    let old = Manifest::read(&opts.out.join("manifest.json")).unwrap_or_default();
    let mut hashes = BTreeMap::new();
    for school in &resolved.schools {
        let logo = school.logo.as_ref().map(|l| l.bytes.as_slice());
        for doc in &school.documents {
            hashes.insert(
                doc_key(doc),
                input_hash(doc, &resolved.project, logo, &options),
            );
        }
    }
    let skip = |doc: &Document| !opts.force && up_to_date(&old, &cache, &opts.out, doc, &hashes);
    let total = hashes.len()
        - resolved
            .schools
            .iter()
            .flat_map(|s| &s.documents)
            .filter(|d| skip(d))
            .count();
    let render_options = RenderOptions {
        pdf: opts.pdf,
        html: opts.html,
        standards: opts.standards,
    };
    crate::write::remove_leftover_temporaries(&opts.out);
    let out_dir = opts.out.clone();
    let sink = move |doc: &Document, format: &'static str, bytes: &[u8]| {
        let rel = crate::render::output_path(doc, format);
        crate::write::stage(&out_dir, &rel, bytes).map_err(|e| {
            Diagnostic::error(
                "write-failed",
                rel.clone(),
                format!("cannot write the output: {e:#}"),
            )
            .with_hint("check that the output folder is writable and the disk is not full")
        })
    };
    let rendered = match render_all(&resolved, render_options, &|d| !skip(d), &sink, &|done| {
        progress(done, total)
    }) {
        Ok(r) => r,
        Err(problems) => {
            crate::write::remove_leftover_temporaries(&opts.out);
            diags.extend(problems);
            return Ok(Outcome {
                diags,
                summary: None,
            });
        }
    };
    let complete = opts.schools.is_empty() && opts.audiences.is_empty();
    let mut summary = Summary {
        documents: hashes.len(),
        built: rendered.len(),
        skipped: hashes.len() - rendered.len(),
        ..Summary::default()
    };
    write_outputs(
        &resolved,
        &rendered,
        &hashes,
        complete,
        &opts.out,
        log,
        &mut summary,
    )?;
    let mut cache = Cache::read(&opts.out);
    cache.fingerprint = fingerprint;
    crate::write::write_atomic(
        &opts.out.join(crate::incremental::CACHE_FILE),
        cache.to_json().as_bytes(),
    )?;
    let pdf_times: Vec<f64> = rendered.iter().filter_map(|r| r.pdf_ms).collect();
    summary.ms_per_pdf = if pdf_times.is_empty() {
        0.0
    } else {
        pdf_times.iter().sum::<f64>() / pdf_times.len() as f64
    };
    summary.total_ms = ms(started);
    Ok(Outcome {
        diags,
        summary: Some(summary),
    })
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Whether a document's outputs can be kept: same inputs, files intact.
fn up_to_date(
    old: &Manifest,
    cache: &Cache,
    out: &Path,
    doc: &Document,
    hashes: &BTreeMap<DocKey, String>,
) -> bool {
    let key = doc_key(doc);
    let Some(entry) = old
        .documents
        .iter()
        .find(|d| (&d.school, &d.policy, &d.audience) == (&key.0, &key.1, &key.2))
    else {
        return false;
    };
    hashes.get(&key) == Some(&entry.input_hash)
        && !entry.outputs.is_empty()
        && entry
            .outputs
            .values()
            .all(|o| cache.intact(out, &o.path, &o.sha256))
}

/// Whether every file the last build recorded is still as it wrote it.
fn outputs_intact(out: &Path, cache: &Cache) -> bool {
    !cache.files.is_empty()
        && cache
            .files
            .iter()
            .all(|(rel, stamp)| cache.intact(out, rel, &stamp.sha256))
}
