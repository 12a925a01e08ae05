//! The orchestration of a build, and nothing else: load → check → resolve →
//! render → output, with the checks run at their points (see `check`).
//!
//! [`prepare`] runs everything up to and including resolving and reports
//! every problem at once. [`build`] then renders every document that is not
//! up to date, staging each output on disk as it is made, and puts the
//! outputs in place only once every document has rendered, so a failed
//! build leaves the previous outputs untouched.

pub mod booklets;
pub mod changes;
pub mod consent;
pub mod consent_forms;
pub mod consent_import;
pub mod library;
pub mod merge;

pub use changes::write_changes;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::{sync::Arc, time::Instant};

use anyhow::Result;
use rayon::prelude::*;

use crate::check;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::load_project;
use crate::load::people::{load_latest_published, people_digest};
use crate::model::build::PdfSettings;
use crate::model::build::{Standards, Summary};
use crate::model::dates;
use crate::model::document::Document;
use crate::model::files::Oversight;
use crate::model::hash::hex_digest;
use crate::model::key::DocKey;
use crate::model::key::OutputKind;
use crate::model::manifest::Manifest;
use crate::model::project::{
    Library, Project, Resolved, ResolvedSchool, SchoolInput, SchoolSource,
};
use crate::model::shard::{Shard, ShardOptions, ShardRecord, SHARD_FILE};
use crate::output::cache::{fonts_digest, input_hash, options_key, project_fingerprint, Cache};
use crate::output::lock::{self, OutputLock};
use crate::output::{self, atomic, guard, records, Previous};
use crate::render::booklet::render_booklets;
use crate::render::html::HtmlRenderer;
use crate::render::pages::IndexFacts;
use crate::render::pdf::PdfEngine;
use crate::render::pool::OnTimeout;
use crate::render::{pages, render_all, RenderHooks, RenderOptions};
use crate::report::audit::{audit_trust, TrustAudit};
use crate::report::changes::editorial_marks;
use crate::report::changes::{compare, Report};
use crate::resolve::booklet::resolve_booklets;
use crate::resolve::inherit::merge_chain;
use crate::resolve::resolve_school;
use crate::sealed::{Area, Folder};
use crate::signoff::run::sign_off_counts;

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
    /// The PDFs' creation time, seconds since 1970 (`SOURCE_DATE_EPOCH`);
    /// otherwise each document's approval date.
    pub timestamp: Option<i64>,
    /// Build only this shard of the schools, for `merge` to assemble.
    pub shard: Option<Shard>,
}

/// Loads, checks and resolves. Returns the resolved project when there are
/// no errors; every problem goes to `diags`.
pub fn prepare(
    root: &Path,
    schools: &[String],
    audiences: &[String],
    diags: &mut Diagnostics,
) -> Option<Resolved> {
    let (project, loaded) = load_checked(root, diags);
    resolve_all(project, loaded, schools, audiences, diags)
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
pub fn load_checked(root: &Path, diags: &mut Diagnostics) -> (Project, Loaded) {
    let project = load_project(root, diags);
    let loaded = Loaded {
        policies: !diags.has_errors_in("policies"),
        clauses: !diags.has_errors_in("clauses/"),
    };
    check::check_library(&project, loaded.policies, diags);
    (project, loaded)
}

/// Checks the selection, then checks and resolves the selected schools in
/// parallel, each with its document checks.
pub fn resolve_all(
    project: Project,
    loaded: Loaded,
    schools: &[String],
    audiences: &[String],
    diags: &mut Diagnostics,
) -> Option<Resolved> {
    check::check_selection(&project, schools, audiences, diags);
    let selected = |id: &str| schools.is_empty() || schools.iter().any(|s| s == id);
    resolve_where(project, loaded, &selected, audiences, diags)
}

/// Checks and resolves the schools `selected` keeps, in parallel, each
/// with its document checks: a shard's, say, which may be none at all.
fn resolve_where(
    project: Project,
    loaded: Loaded,
    selected: &(dyn Fn(&str) -> bool + Sync),
    audiences: &[String],
    diags: &mut Diagnostics,
) -> Option<Resolved> {
    let lib = Library {
        audiences: &project.audiences,
        clauses: &project.clauses,
        modules: &project.modules,
        purposes: &project.consent.purposes,
        complete: loaded.clauses,
    };
    let today = today(diags);
    let results: Vec<(Option<ResolvedSchool>, Diagnostics)> = project
        .schools
        .par_iter()
        .filter(|source| selected(&source.id))
        .map(|source| {
            let mut found = Diagnostics::default();
            let school = resolve_one(&project, lib, source, audiences, &today, &mut found);
            (school, found)
        })
        .collect();
    let mut resolved = Vec::new();
    for (school, found) in results {
        diags.append(found);
        resolved.extend(school);
    }
    if diags.has_errors() {
        return None;
    }
    Some(Resolved {
        project,
        schools: resolved,
        today,
    })
}

/// Merges, checks and resolves one school, then checks its documents.
fn resolve_one(
    project: &Project,
    lib: Library<'_>,
    source: &SchoolSource,
    audiences: &[String],
    today: &str,
    diags: &mut Diagnostics,
) -> Option<ResolvedSchool> {
    let merged = merge_chain(&source.chain);
    let file = source.file();
    let logo_hash = source.logo.as_ref().map(|l| hex_digest(&l.bytes));
    let mut selected = merged.clone();
    if !audiences.is_empty() {
        let own = selected.school.audiences.take().unwrap_or_default();
        let kept: Vec<String> = own.into_iter().filter(|a| audiences.contains(a)).collect();
        if kept.is_empty() {
            return None;
        }
        selected.school.audiences = Some(kept);
    }
    let input = SchoolInput {
        id: &source.id,
        file,
        source: project.source(file),
        merged: &selected,
        local_clauses: &source.local_clauses,
        logo_hash: logo_hash.as_deref(),
        sources: &project.sources,
    };
    let (before, policies) = (diags.has_errors(), source.policies(&project.policies));
    check::check_school(lib, &policies, input, diags);
    if diags.has_errors() && !before {
        return None;
    }
    let documents = resolve_school(lib, &policies, input, diags)?;
    check::completeness::check_required_elements(lib, &policies, input, &documents, diags);
    // A booklet binds every audience's agreement: with some audiences
    // left out, the booklet is left as the last full build made it.
    let booklets = if audiences.is_empty() {
        resolve_booklets(&policies, input, &documents, diags)
    } else {
        Vec::new()
    };
    let school = ResolvedSchool {
        id: source.id.clone(),
        merged,
        logo: source.logo.clone(),
        documents,
        booklets,
        files: source.files(),
        trust_own: source.trust_own,
    };
    check::check_documents(&school, project, today, diags);
    Some(school)
}

/// Today's date, `YYYY-MM-DD` (UTC), for warnings about overdue reviews.
/// `POLICYC_TODAY` (`YYYY-MM-DD`) overrides it, for reproducible checks; a
/// value that is not a date is an error, not silently today.
fn today(diags: &mut Diagnostics) -> String {
    if let Ok(day) = std::env::var("POLICYC_TODAY") {
        match dates::parse(&day) {
            Ok(_) => return day,
            Err(why) => diags.push(
                Diagnostic::error(
                    Code::BadEnv,
                    "POLICYC_TODAY",
                    format!("`POLICYC_TODAY` is `{day}`, which {why}"),
                )
                .with_hint("set it to a date such as 2026-09-01, or unset it to use today's date"),
            ),
        }
    }
    let now = time::OffsetDateTime::now_utc().date();
    dates::iso(now)
}

/// What a build ended with: every diagnostic, and a summary if it wrote.
#[derive(Debug)]
pub struct Outcome {
    /// Errors and warnings, already complete.
    pub diags: Diagnostics,
    /// Present when the outputs were written.
    pub summary: Option<Summary>,
}

/// How a build reports back while it runs.
pub struct BuildHooks<'a> {
    /// Receives a line for each file written.
    pub log: &'a mut dyn Write,
    /// Called with (documents done, documents to render).
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    /// Called when a layout runs away, after this build's staged files are
    /// removed; it reports the problem and ends the process.
    pub abort: OnTimeout,
    /// Called once if another build holds the output folder, with its
    /// process id when known; the build then waits for it.
    pub waiting: &'a dyn Fn(Option<u32>),
}

/// The whole build: load, check, resolve, render, write. Nothing is
/// written unless every document resolved and rendered; documents whose
/// inputs have not changed since the last build are not rendered again.
pub fn build(opts: &BuildOptions, hooks: BuildHooks<'_>) -> Result<Outcome> {
    let started = Instant::now();
    let selection: Vec<String> = opts
        .schools
        .iter()
        .chain(&opts.audiences)
        .cloned()
        .collect();
    let mut diags = Diagnostics::default();
    let (project, loaded) = load_checked(&opts.project, &mut diags);
    if let Some(folder) = &project.folder {
        check_out_folder(folder, &opts.out, &mut diags);
    }
    // A shard builds its share of the schools (perhaps none), as --school
    // would, but its documents are the single build's: the shard is left
    // out of their input hashes, so the merge finds each one up to date.
    let shard_schools: Vec<String> = match opts.shard {
        Some(shard) => project
            .schools
            .iter()
            .map(|s| s.id.clone())
            .filter(|id| shard.holds(id))
            .collect(),
        None => Vec::new(),
    };
    if diags.has_errors() {
        // Resolve anyway, to report every problem in one run.
        resolve_selection(project, loaded, opts, &mut diags);
        return Ok(Outcome {
            diags,
            summary: None,
        });
    }
    let options = document_options(
        &project,
        opts.standards,
        (opts.pdf, opts.html),
        opts.timestamp,
        &selection,
    );
    let lock = OutputLock::acquire(&opts.out, Area::Public, |pid| (hooks.waiting)(pid))?;
    // The folder is open now: what it is, not what it was called, decides.
    if let Some(folder) = &project.folder {
        let lineage = lock.folder().lineage().unwrap_or_default();
        if let Some(problem) = guard::public_problem(folder, &lineage, true) {
            diags.push(misplaced(&opts.out, &problem));
            return Ok(Outcome {
                diags,
                summary: None,
            });
        }
    }
    let out = lock.folder().clone();
    // The trust index flags overdue reviews, so a new day is a new build
    // for the pages (documents depend only on `options`). A bad
    // POLICYC_TODAY is reported when the project is resolved.
    let day = today(&mut Diagnostics::default());
    // The indexes count signatures, so a ledger edit is a new build for them.
    let people = project
        .folder
        .as_ref()
        .map(people_digest)
        .unwrap_or_default();
    let shard_line = opts
        .shard
        .map(|s| format!("\nshard {s}"))
        .unwrap_or_default();
    let fingerprint = project_fingerprint(
        &project,
        &format!("{options}\ntoday {day}\npeople {people}{shard_line}"),
    );
    let record = opts.shard.map(|shard| ShardRecord {
        shard: shard.index,
        of: shard.count,
        schools: shard_schools,
        fingerprint: shard_fingerprint(&project, &options),
        options: ShardOptions {
            pdf: opts.pdf,
            html: opts.html,
            archival: opts.standards.archival,
            accessible: opts.standards.accessible,
            timestamp: opts.timestamp,
        },
    });
    let previous = output::read_previous(&out);
    if !opts.force
        && previous.cache.fingerprint == fingerprint
        && outputs_intact(&out, &previous.cache)
    {
        let documents = previous.manifest.documents.len();
        let summary = Summary {
            documents,
            skipped: documents,
            booklets: previous.manifest.booklets.len(),
            up_to_date: true,
            total_ms: ms(started),
            ..Summary::default()
        };
        return Ok(Outcome {
            diags,
            summary: Some(summary),
        });
    }
    let resolved = resolve_selection(project, loaded, opts, &mut diags);
    let Some(resolved) = resolved else {
        lock.tidy_after_failure();
        return Ok(Outcome {
            diags,
            summary: None,
        });
    };
    let result = render_and_commit(
        opts,
        &out,
        &resolved,
        previous,
        &options,
        fingerprint,
        hooks,
        &mut diags,
    );
    match result {
        Ok(Some(mut summary)) => {
            record_shard(&out, record.as_ref())?;
            summary.total_ms = ms(started);
            Ok(Outcome {
                diags,
                summary: Some(summary),
            })
        }
        Ok(None) => {
            atomic::remove_own_temporaries(&out);
            lock.tidy_after_failure();
            Ok(Outcome {
                diags,
                summary: None,
            })
        }
        Err(err) => {
            atomic::remove_own_temporaries(&out);
            lock.tidy_after_failure();
            Err(err)
        }
    }
}

/// Refuses an output folder that is the project itself or inside the
/// folders policyc reads: every later build would find its own outputs
/// among the inputs, and a failed build tidies its folder.
fn check_out_folder(project: &Folder, out: &Path, diags: &mut Diagnostics) {
    if let Some(problem) = guard::check_public(project, out) {
        diags.push(misplaced(out, &problem));
    }
}

/// The diagnostic for an output folder in the wrong place.
pub(crate) fn misplaced(out: &Path, problem: &guard::Misplaced) -> Diagnostic {
    let message = problem.message(out);
    let diagnostic = match problem {
        guard::Misplaced::InsidePublic => {
            Diagnostic::error(Code::PrivateOutPublic, "--out", message)
        }
        _ => Diagnostic::error(Code::OutInsideInputs, "--out", message),
    };
    diagnostic.with_hint(problem.hint())
}

/// Renders what is out of date and, if every document rendered, puts the
/// outputs, pages, manifest and cache in place. `None` when the project
/// had problems (in `diags`); an error when the output folder could not be
/// written.
#[allow(clippy::too_many_arguments)]
fn render_and_commit(
    opts: &BuildOptions,
    out: &Folder,
    resolved: &Resolved,
    previous: Previous,
    options: &str,
    fingerprint: String,
    hooks: BuildHooks<'_>,
    diags: &mut Diagnostics,
) -> Result<Option<Summary>> {
    let hashes: BTreeMap<DocKey, String> = resolved
        .documents()
        .map(|(i, doc)| {
            let logo = resolved.schools[i]
                .logo
                .as_ref()
                .map(|l| l.bytes.as_slice());
            (doc.key(), input_hash(doc, &resolved.project, logo, options))
        })
        .collect();
    let skip = |doc: &Document| !opts.force && up_to_date(&previous, out, doc, &hashes);
    let total = resolved.documents().filter(|(_, d)| !skip(d)).count();
    // The lock is held: any temporary here was left by a build that died.
    atomic::remove_temporaries(out, |_| true);
    let out_dir = out.clone();
    let stage = move |rel: &str, bytes: &[u8]| {
        atomic::stage(&out_dir, rel, bytes).map_err(|e| {
            Diagnostic::error(
                Code::WriteFailed,
                rel,
                format!("cannot write the output: {e:#}"),
            )
            .with_hint("check that the output folder is writable and the disk is not full")
        })
    };
    let sink =
        |doc: &Document, kind: OutputKind, bytes: &[u8]| stage(&doc.key().output_path(kind), bytes);
    let abort = Arc::clone(&hooks.abort);
    let out_dir = out.clone();
    let on_timeout: OnTimeout = Arc::new(move |d: &Diagnostic| {
        atomic::remove_own_temporaries(&out_dir);
        lock::remove_empty_folders(&out_dir);
        abort(d);
    });
    let render_hooks = RenderHooks {
        progress: &|done| (hooks.progress)(done, total),
        on_timeout: Arc::clone(&on_timeout),
    };
    let render_options = RenderOptions {
        pdf: opts.pdf,
        html: opts.html,
        pdf_settings: PdfSettings {
            standards: opts.standards,
            epoch: opts.timestamp,
        },
    };
    let mut rendered_booklets = Vec::new();
    let engine = PdfEngine::with_fonts(&resolved.project.fonts);
    let rendered = render_all(
        resolved,
        &engine,
        render_options,
        &|d| !skip(d),
        &sink,
        render_hooks,
        diags,
    );
    let booklet_hashes = booklets::booklet_hashes(resolved, &hashes, options);
    if !diags.has_errors() {
        let stale = booklets::out_of_date(&previous, out, resolved, &booklet_hashes, opts.force);
        rendered_booklets = render_booklets(
            resolved,
            &engine,
            render_options,
            &stale,
            &stage,
            on_timeout,
            diags,
        );
    }
    if let Some(failed) = diags.take(Code::WriteFailed).into_iter().next() {
        anyhow::bail!(
            "{}: {}",
            output::display_path(out, &failed.file),
            failed.message
        );
    }
    if diags.has_errors() {
        return Ok(None);
    }
    let complete = opts.schools.is_empty() && opts.audiences.is_empty();
    let booklet_build = records::BookletBuild {
        hashes: &booklet_hashes,
        rendered: &rendered_booklets,
    };
    let next = records::next_manifest(
        &previous.manifest,
        resolved,
        &rendered,
        &hashes,
        booklet_build,
        complete,
    );
    let page_list = HtmlRenderer::new(&resolved.project.templates).and_then(|renderer| {
        index_pages(
            &renderer,
            resolved,
            &next.manifest,
            out,
            Since::LatestPublished,
            &oversight_base(&opts.project, &opts.out),
            diags,
        )
    });
    let page_list = match page_list {
        Ok(pages) => pages,
        Err(d) => {
            diags.push(d);
            return Ok(None);
        }
    };
    let mut summary = Summary {
        documents: hashes.len(),
        built: rendered.len(),
        skipped: hashes.len() - rendered.len(),
        booklets: booklet_hashes.len(),
        booklets_built: rendered_booklets.len(),
        ..Summary::default()
    };
    let commit = output::Commit {
        rendered: &rendered,
        booklets: &rendered_booklets,
        dropped: &next.dropped,
        dropped_booklets: &next.dropped_booklets,
        pages: &page_list.public.write,
        stale_pages: &page_list.public.remove,
        manifest: &next.manifest,
        fingerprint,
    };
    output::commit(out, commit, previous.cache, hooks.log, &mut summary)?;
    // A shard's indexes cover its own schools only: the merge writes the
    // internal ones, for the whole trust.
    if let Some(internal) = page_list.internal.as_ref().filter(|_| opts.shard.is_none()) {
        let (written, removed) = write_oversight(&opts.project, &opts.out, internal)?;
        for path in written {
            writeln!(hooks.log, "  wrote {path} (internal)")?;
        }
        for path in removed {
            writeln!(hooks.log, "  removed {path} (internal)")?;
        }
    }
    let pdf_times: Vec<f64> = rendered.iter().filter_map(|r| r.pdf_ms).collect();
    if !pdf_times.is_empty() {
        summary.ms_per_pdf = pdf_times.iter().sum::<f64>() / pdf_times.len() as f64;
    }
    Ok(Some(summary))
}

/// What every document's input hash covers besides its own inputs: the
/// build's settings, the selection, and the project's own fonts, which
/// change every PDF. `formats` is (PDF, HTML).
pub(crate) fn document_options(
    project: &Project,
    standards: Standards,
    formats: (bool, bool),
    timestamp: Option<i64>,
    selection: &[String],
) -> String {
    let options = options_key(standards, formats.0, formats.1, timestamp, selection);
    format!("{options} fonts={}", fonts_digest(project))
}

/// Resolves what a build selects: its shard's schools, or those named
/// with `--school` (every school when none is).
fn resolve_selection(
    project: Project,
    loaded: Loaded,
    opts: &BuildOptions,
    diags: &mut Diagnostics,
) -> Option<Resolved> {
    match opts.shard {
        Some(shard) => {
            check::check_selection(&project, &[], &opts.audiences, diags);
            let selected = |id: &str| shard.holds(id);
            resolve_where(project, loaded, &selected, &opts.audiences, diags)
        }
        None => resolve_all(project, loaded, &opts.schools, &opts.audiences, diags),
    }
}

/// The fingerprint every shard of one build shares, and a merge checks
/// against: the project's files and the build's options, without the day,
/// the people or the shard, which decide no document.
pub(crate) fn shard_fingerprint(project: &Project, options: &str) -> String {
    project_fingerprint(project, &format!("{options}\nsharded"))
}

/// Records in a shard's output folder what it built, for `merge`; removes
/// the record of an earlier shard build from a folder built whole.
fn record_shard(out: &Folder, record: Option<&ShardRecord>) -> Result<()> {
    match record {
        Some(record) => {
            let json = serde_json::to_string_pretty(record)? + "\n";
            output::write_files(out, &[(SHARD_FILE.to_string(), json.as_bytes())], &[])?;
        }
        None if out.is_file(SHARD_FILE) => {
            output::write_files(out, &[], &[SHARD_FILE.to_string()])?;
        }
        None => {}
    }
    Ok(())
}

/// Where the trust's internal oversight pages go, beneath the project.
pub const OVERSIGHT_DIR: &str = "private/oversight";

/// Writes the trust's internal oversight pages into `private/oversight/`
/// of `project`, a private folder that is never inside the public `out`.
/// Returns the paths written and removed, as [`output::write_pages`] does.
pub(crate) fn write_oversight(
    project: &Path,
    out: &Path,
    pages: &pages::PageSet,
) -> Result<(Vec<String>, Vec<String>)> {
    let dir = project.join(OVERSIGHT_DIR);
    let lock = match guard::open_private(out, &dir)? {
        Ok(lock) => lock,
        Err(problem) => anyhow::bail!("{}: {}", dir.display(), problem.message(&dir)),
    };
    // A departures page of a school no longer built goes too.
    let folder = lock.folder();
    let mut stale = pages.remove.clone();
    for school in folder.list(".").unwrap_or_default() {
        let page = format!("{}/departures.html", school.name);
        if school.kind == crate::sealed::Kind::Folder
            && !pages.write.iter().any(|(path, _)| *path == page)
        {
            stale.push(page);
        }
    }
    output::write_pages(folder, &pages.write, &stale)
}

/// The link from the internal oversight pages of `project` to the public
/// output folder `out`: `../../out/` for the default folders.
pub(crate) fn oversight_base(project: &Path, out: &Path) -> String {
    relative_link(&project.join(OVERSIGHT_DIR), out)
}

/// A relative link from the folder `from` to the folder `to`, each made
/// absolute and tidied of `.` and `..` without touching the disk, with
/// each name percent-encoded as a URL needs it.
fn relative_link(from: &Path, to: &Path) -> String {
    let parts = |path: &Path| -> Vec<String> {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let mut parts: Vec<String> = Vec::new();
        for part in path.components() {
            match part {
                std::path::Component::Normal(name) => {
                    parts.push(name.to_string_lossy().into_owned())
                }
                std::path::Component::ParentDir => {
                    parts.pop();
                }
                _ => {}
            }
        }
        parts
    };
    let (from, to) = (parts(from), parts(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut link = "../".repeat(from.len() - common);
    for name in &to[common..] {
        link.push_str(&url_name(name));
        link.push('/');
    }
    link
}

/// A folder name as a URL path segment: unreserved characters as they
/// are, every other byte percent-encoded.
fn url_name(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// What the trust index counts changes from.
pub(crate) enum Since<'a> {
    /// The last published pack, if the project has one: each school's
    /// `changes.html` against it is written with the indexes.
    LatestPublished,
    /// The baseline `changes --write` compared with (its label), whose
    /// pages are written already.
    Baseline(&'a str, &'a Report),
}

/// The index pages a build writes: the public ones in the output folder,
/// and the trust's internal oversight pages when they are kept apart.
pub(crate) struct Indexes {
    /// The pack and trust indexes (and summaries of changes) in `out/`.
    pub public: pages::PageSet,
    /// The internal trust index and departures pages, for
    /// `private/oversight/`, when `policyc.yaml` keeps oversight internal.
    pub internal: Option<pages::PageSet>,
}

/// The pack and trust indexes for the documents and booklets in
/// `manifest`, with the sign-off counts, the audit of the trust and the
/// changes `since` a published pack. Kept internal (the default), the
/// counts and departures leave the public pages for an index of their
/// own, which reaches the public pages by `public_base`.
pub(crate) fn index_pages(
    renderer: &HtmlRenderer,
    resolved: &Resolved,
    manifest: &Manifest,
    out: &Folder,
    since: Since<'_>,
    public_base: &str,
    diags: &mut Diagnostics,
) -> Result<Indexes, Diagnostic> {
    let audit = audit_trust(&resolved.project);
    let order = audience_order(resolved);
    let sign_off = sign_off_counts(resolved, manifest, diags);
    let latest = match since {
        Since::LatestPublished => resolved
            .project
            .folder
            .as_ref()
            .and_then(load_latest_published)
            .map(|(label, pack)| (label, compare(&pack, manifest, &editorial_marks(resolved)))),
        Since::Baseline(..) => None,
    };
    let changes = match &latest {
        Some((_, report)) => Some(pages::changes_pages(renderer, resolved, report)?),
        None => None,
    };
    let summaries: Option<Vec<String>> = changes
        .as_ref()
        .map(|set| set.write.iter().map(|(path, _)| path.clone()).collect());
    // A school this build resolved has a summary when one was just made;
    // any other (outside a filtered build) keeps the one it has.
    let has_changes = |school: &str| match &summaries {
        Some(paths) if resolved.schools.iter().any(|s| s.id == school) => {
            paths.contains(&format!("{school}/changes.html"))
        }
        _ => output::has_changes_page(out, school),
    };
    let internal = resolved.project.oversight == Oversight::Internal;
    let (no_audit, no_counts) = (TrustAudit::default(), BTreeMap::new());
    let full = IndexFacts {
        today: &resolved.today,
        audit: &audit,
        has_changes: &has_changes,
        audience_order: &order,
        sign_off: &sign_off,
        since: match (&since, &latest) {
            (Since::Baseline(label, report), _) => Some((label, report)),
            (_, Some((label, report))) => Some((label.as_str(), report)),
            _ => None,
        },
        public_base: "",
    };
    let public_facts = IndexFacts {
        audit: if internal { &no_audit } else { &audit },
        sign_off: if internal { &no_counts } else { &sign_off },
        ..full
    };
    let mut public = pages::index_pages(renderer, manifest, &public_facts)?;
    if let Some(changes) = changes {
        public.write.extend(changes.write);
        public.remove.extend(changes.remove);
    }
    let internal = if internal {
        let facts = IndexFacts {
            public_base,
            ..full
        };
        let mut pages = pages::index_pages(renderer, manifest, &facts)?;
        pages
            .write
            .retain(|(path, _)| path == "index.html" || path.ends_with("/departures.html"));
        pages
            .remove
            .retain(|path| path.ends_with("/departures.html"));
        Some(pages)
    } else {
        None
    };
    Ok(Indexes { public, internal })
}

/// Each school's audiences in the order its (merged) file lists them.
pub(crate) fn audience_order(resolved: &Resolved) -> BTreeMap<String, Vec<String>> {
    resolved
        .schools
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                s.merged.school.audiences.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Whether a document's outputs can be kept: same inputs, files intact.
fn up_to_date(
    previous: &Previous,
    out: &Folder,
    doc: &Document,
    hashes: &BTreeMap<DocKey, String>,
) -> bool {
    let key = doc.key();
    let Some(entry) = previous.manifest.documents.iter().find(|d| d.key() == key) else {
        return false;
    };
    hashes.get(&key) == Some(&entry.input_hash)
        && !entry.outputs.is_empty()
        && entry
            .outputs
            .values()
            .all(|o| previous.cache.intact(out, &o.path, &o.sha256))
}

/// Whether every file the last build recorded is still as it wrote it.
fn outputs_intact(out: &Folder, cache: &Cache) -> bool {
    !cache.files.is_empty()
        && cache
            .files
            .iter()
            .all(|(rel, stamp)| cache.intact(out, rel, &stamp.sha256))
}
