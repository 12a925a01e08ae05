//! The pipeline: load → check → resolve → render → write.
//!
//! [`prepare`] runs everything up to and including resolving and reports
//! every problem at once. [`render_all`] turns resolved documents into bytes
//! in memory; only when every document has rendered does [`build`] write
//! anything, so a failed build leaves the previous outputs untouched.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::check;
use crate::diag::{suggestion, Diagnostic, Diagnostics};
use crate::inherit::{merge_chain, Merged};
use crate::load::{load_project, LogoFile, Project};
use crate::manifest::{InputFile, Manifest, ManifestClause, ManifestDoc, OutputFile};
use crate::markdown::plain_text;
use crate::render_html::{data_url, HtmlRenderer, PackEntry, TrustEntry};
use crate::render_pdf::{PdfEngine, Standards};
use crate::resolve::{hex_digest, resolve_school, Document, Library, SchoolInput};
use crate::write::{unchanged, write_atomic};

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
    let mut diags = Diagnostics::default();
    let project = load_project(root, &mut diags);
    diags.extend(check::check_library(&project));
    diags.extend(check_selection(&project, schools, audiences));
    let lib = Library {
        audiences: &project.audiences,
        clauses: &project.clauses,
    };
    let mut resolved = Vec::new();
    for source in &project.schools {
        if !schools.is_empty() && !schools.contains(&source.id) {
            continue;
        }
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
                continue;
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
                diags.extend(check::check_documents(&school, file, text, &today()));
                resolved.push(school);
            }
            Err(problems) => diags.extend(problems),
        }
    }
    if diags.has_errors() {
        return (None, diags);
    }
    (
        Some(Resolved {
            project,
            schools: resolved,
        }),
        diags,
    )
}

/// Today's date, `YYYY-MM-DD` (UTC), for warnings about overdue reviews.
fn today() -> String {
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

/// One rendered document, in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The document.
    pub doc: Document,
    /// School index in [`Resolved::schools`].
    pub school: usize,
    /// PDF bytes, if asked for.
    pub pdf: Option<Vec<u8>>,
    /// HTML text, if asked for.
    pub html: Option<String>,
    /// Milliseconds spent on the PDF.
    pub pdf_ms: f64,
}

/// The relative output path of a document in `format`.
pub fn output_path(doc: &Document, format: &str) -> String {
    format!(
        "{}/{}-{}.{format}",
        doc.school_id, doc.policy_id, doc.audience_id
    )
}

/// Renders every document. Any template failure is a diagnostic against
/// the template file.
pub fn render_all(
    resolved: &Resolved,
    pdf: bool,
    html: bool,
    standards: Standards,
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    let templates = &resolved.project.templates;
    let engine = PdfEngine::new();
    let html_renderer = match HtmlRenderer::new(templates) {
        Ok(r) => r,
        Err(e) => return Err(vec![template_diagnostic(&e.to_string())]),
    };
    let typ = templates.get("policy.typ");
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (index, school) in resolved.schools.iter().enumerate() {
        let logo = school.logo.as_ref().map(|l| (l.format, l.bytes.as_slice()));
        let logo_src = school.logo.as_ref().map(|l| data_url(l.format, &l.bytes));
        for doc in &school.documents {
            let started = Instant::now();
            let pdf_bytes = if pdf {
                match engine.render(&typ.text, doc, logo, standards) {
                    Ok(bytes) => Some(bytes),
                    Err(e) => {
                        let mut d = Diagnostic::error(
                            "template-error",
                            &typ.file,
                            format!(
                                "the PDF template failed for {}: {}",
                                output_path(doc, "pdf"),
                                e.message
                            ),
                        )
                        .with_hint("fix the template; run `policyc check` to see every problem");
                        d.line = e.line;
                        d.column = e.column;
                        d.excerpt = e
                            .line
                            .and_then(|l| typ.text.lines().nth(l - 1))
                            .map(str::to_owned);
                        problems.push(d);
                        continue;
                    }
                }
            } else {
                None
            };
            let pdf_ms = started.elapsed().as_secs_f64() * 1000.0;
            let page = if html {
                let pdf_href = format!("{}-{}.pdf", doc.policy_id, doc.audience_id);
                match html_renderer.document(doc, logo_src.as_deref(), &pdf_href) {
                    Ok(page) => Some(page),
                    Err(e) => {
                        problems.push(template_diagnostic(&e.to_string()));
                        continue;
                    }
                }
            } else {
                None
            };
            out.push(Rendered {
                doc: doc.clone(),
                school: index,
                pdf: pdf_bytes,
                html: page,
                pdf_ms,
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A diagnostic for an HTML template failure reported as `file:line: message`.
fn template_diagnostic(text: &str) -> Diagnostic {
    let mut parts = text.splitn(3, ':');
    let file = parts.next().unwrap_or("templates").to_string();
    let second = parts.next().unwrap_or("");
    let (line, message) = match second.trim().parse::<usize>() {
        Ok(line) => (Some(line), parts.next().unwrap_or("").trim().to_string()),
        Err(_) => (
            None,
            format!(
                "{second}{}",
                parts.next().map(|r| format!(":{r}")).unwrap_or_default()
            )
            .trim()
            .to_string(),
        ),
    };
    let mut d = Diagnostic::error(
        "template-error",
        file,
        format!("the HTML template failed: {message}"),
    )
    .with_hint("fix the template; built-in templates are listed in docs/FORMAT.md");
    d.line = line;
    d
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Documents rendered.
    pub documents: usize,
    /// Files written (changed on disk).
    pub written: usize,
    /// Files already up to date.
    pub unchanged: usize,
    /// Total milliseconds.
    pub total_ms: f64,
    /// Mean milliseconds per PDF.
    pub ms_per_pdf: f64,
}

/// Writes rendered documents, indexes and the manifest; prints a line per
/// file written to `log`.
pub fn write_outputs(
    resolved: &Resolved,
    rendered: &[Rendered],
    out_dir: &Path,
    log: &mut dyn Write,
) -> Result<Summary> {
    let manifest_path = out_dir.join("manifest.json");
    let mut manifest = Manifest::read(&manifest_path).unwrap_or_default();
    let mut summary = Summary {
        documents: rendered.len(),
        ..Summary::default()
    };
    let mut entries = Vec::new();
    for item in rendered {
        let mut outputs = BTreeMap::new();
        for (format, bytes) in [
            ("pdf", item.pdf.as_deref()),
            ("html", item.html.as_deref().map(str::as_bytes)),
        ] {
            let Some(bytes) = bytes else { continue };
            let rel = output_path(&item.doc, format);
            write_file(out_dir, &rel, bytes, log, &mut summary)?;
            outputs.insert(
                format.to_string(),
                OutputFile {
                    path: rel,
                    sha256: hex_digest(bytes),
                },
            );
        }
        entries.push(manifest_doc(resolved, item, outputs));
    }
    let built: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| (e.school.clone(), e.policy.clone(), e.audience.clone()))
        .collect();
    manifest
        .documents
        .retain(|d| !built.contains(&(d.school.clone(), d.policy.clone(), d.audience.clone())));
    manifest.documents.extend(entries);
    manifest.policyc = env!("CARGO_PKG_VERSION").to_string();
    manifest.typst = crate::TYPST_VERSION.to_string();
    manifest.sort();
    write_indexes(resolved, &manifest, out_dir, log, &mut summary)?;
    write_file(
        out_dir,
        "manifest.json",
        manifest.to_json().as_bytes(),
        log,
        &mut summary,
    )?;
    let pdfs: Vec<f64> = rendered
        .iter()
        .filter(|r| r.pdf.is_some())
        .map(|r| r.pdf_ms)
        .collect();
    summary.ms_per_pdf = if pdfs.is_empty() {
        0.0
    } else {
        pdfs.iter().sum::<f64>() / pdfs.len() as f64
    };
    Ok(summary)
}

fn write_file(
    out_dir: &Path,
    rel: &str,
    bytes: &[u8],
    log: &mut dyn Write,
    summary: &mut Summary,
) -> Result<()> {
    let path = out_dir.join(rel);
    if unchanged(&path, bytes) {
        summary.unchanged += 1;
        return Ok(());
    }
    write_atomic(&path, bytes)?;
    summary.written += 1;
    let shown = display_path(out_dir, rel);
    writeln!(log, "  wrote {shown}").context("cannot print progress")?;
    Ok(())
}

fn display_path(out_dir: &Path, rel: &str) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let full = out_dir.join(rel);
    let shown = full
        .strip_prefix(&cwd)
        .unwrap_or(&full)
        .display()
        .to_string();
    shown.strip_prefix("./").map(str::to_owned).unwrap_or(shown)
}

fn manifest_doc(
    resolved: &Resolved,
    item: &Rendered,
    outputs: BTreeMap<String, OutputFile>,
) -> ManifestDoc {
    let doc = &item.doc;
    let school = &resolved.schools[item.school];
    let inputs = document_inputs(resolved, school, doc);
    let input_hash = hex_digest(
        serde_json::to_string(&inputs)
            .unwrap_or_default()
            .as_bytes(),
    );
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

fn write_indexes(
    resolved: &Resolved,
    manifest: &Manifest,
    out_dir: &Path,
    log: &mut dyn Write,
    summary: &mut Summary,
) -> Result<()> {
    let renderer = HtmlRenderer::new(&resolved.project.templates)?;
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
        let page = renderer.pack(&first.school_name, first.trust.as_deref(), &meta, &rows)?;
        write_file(
            out_dir,
            &format!("{school_id}/index.html"),
            page.as_bytes(),
            log,
            summary,
        )?;
        trust_rows.push(TrustEntry {
            id: school_id.to_string(),
            name: first.school_name.clone(),
            count: docs.len(),
            version: first.version.clone(),
        });
    }
    let trust = manifest.documents.first().and_then(|d| d.trust.clone());
    let page = renderer.trust(trust.as_deref(), &trust_rows)?;
    write_file(out_dir, "index.html", page.as_bytes(), log, summary)
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// What a build ended with: every diagnostic, and a summary if it wrote.
#[derive(Debug)]
pub struct Outcome {
    /// Errors and warnings, already complete.
    pub diags: Diagnostics,
    /// Present when the outputs were written.
    pub summary: Option<Summary>,
}

/// The whole build: prepare, render, write. Nothing is written unless every
/// document resolved and rendered.
pub fn build(opts: &BuildOptions, log: &mut dyn Write) -> Result<Outcome> {
    let started = Instant::now();
    let (resolved, mut diags) = prepare(&opts.project, &opts.schools, &opts.audiences);
    let Some(resolved) = resolved else {
        return Ok(Outcome {
            diags,
            summary: None,
        });
    };
    let rendered = match render_all(&resolved, opts.pdf, opts.html, opts.standards) {
        Ok(r) => r,
        Err(problems) => {
            diags.extend(problems);
            return Ok(Outcome {
                diags,
                summary: None,
            });
        }
    };
    let mut summary = write_outputs(&resolved, &rendered, &opts.out, log)?;
    summary.total_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(Outcome {
        diags,
        summary: Some(summary),
    })
}
