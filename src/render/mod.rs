//! The render stage: resolved documents → PDF and HTML bytes, on all cores.
//!
//! Each output is handed to a [`Sink`] as soon as it is made (a build's
//! sink stages it on disk, `check`'s keeps nothing), so rendering itself
//! never writes and never holds thousands of documents in memory. A
//! template failure becomes a diagnostic against the template file,
//! reported once. A runaway layout is handed to the caller's
//! [`pool::OnTimeout`]; this stage never ends the process.

pub mod booklet;
pub mod consent_list;
pub mod fit;
pub mod html;
pub mod merge;
pub mod pages;
pub mod pdf;
pub mod pdf_options;
pub mod pool;
pub mod return_slips;
pub mod slip;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::build::PdfSettings;
use crate::model::build::{Rendered, Staged};
use crate::model::document::Document;
use crate::model::hash::hex_digest;
use crate::model::key::OutputKind;
use crate::model::project::Resolved;
use crate::model::templates::{Layout, Template};

use html::{data_url, HtmlRenderer};
use pdf::{PdfEngine, TemplateError};
use pool::{render_watched, timeout_diagnostic, OnTimeout};

/// Receives each output as soon as it is rendered, so a build of thousands
/// of documents never holds them all in memory.
pub type Sink<'a> = dyn Fn(&Document, OutputKind, &[u8]) -> Result<Staged, Diagnostic> + Sync + 'a;

/// Which formats to render, and how.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Render PDFs.
    pub pdf: bool,
    /// Render HTML pages.
    pub html: bool,
    /// How the PDFs are exported.
    pub pdf_settings: PdfSettings,
}

/// What a render run reports back to its caller while it works.
pub struct RenderHooks<'a> {
    /// Called with the number of documents done after each one.
    pub progress: &'a (dyn Fn(usize) + Sync),
    /// Called if a layout runs away (see [`pool::Watchdog`]).
    pub on_timeout: OnTimeout,
}

/// Renders the documents for which `wanted` is true, in parallel, handing
/// each output to `sink`. Returns them in a stable order; problems go to
/// `diags`.
pub fn render_all(
    resolved: &Resolved,
    engine: &PdfEngine,
    options: RenderOptions,
    wanted: &(dyn Fn(&Document) -> bool + Sync),
    sink: &Sink<'_>,
    hooks: RenderHooks<'_>,
    diags: &mut Diagnostics,
) -> Vec<Rendered> {
    let templates = &resolved.project.templates;
    let html = match HtmlRenderer::new(templates) {
        Ok(html) => html,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let typ = templates.get(Layout::Policy);
    let jobs: Vec<(usize, &Document)> = resolved.documents().filter(|(_, d)| wanted(d)).collect();
    let order = alike_together(&jobs);
    let sorted: Vec<(usize, &Document)> = order.iter().map(|&i| jobs[i]).collect();
    let done = AtomicUsize::new(0);
    let timeout = timeout_diagnostic(&typ.file);
    let results = render_watched(&sorted, timeout, hooks.on_timeout, |(school, doc)| {
        let result = render_one(resolved, *school, doc, options, engine, &html, typ, sink);
        comemo::evict(MEMO_AGE);
        (hooks.progress)(done.fetch_add(1, Ordering::Relaxed) + 1);
        result
    });
    let mut results: Vec<_> = order.into_iter().zip(results).collect();
    results.sort_by_key(|(i, _)| *i);
    let mut rendered = Vec::new();
    for (i, result) in results {
        match result {
            Ok(Ok(r)) => rendered.push(r),
            Ok(Err(d)) => diags.push(d),
            Err(message) => diags.push(pool::panicked(
                &jobs[i].1.key().output_path(OutputKind::Pdf),
                &message,
            )),
        }
    }
    rendered
}

/// How many documents typst's memo cache keeps an unused entry for.
/// Documents alike are rendered one after another, so what the next one
/// can reuse is always recent; older entries are dropped, which bounds the
/// memory a build of any size uses.
pub(crate) const MEMO_AGE: usize = 10;

/// The order to render `jobs` in, as indices: documents of the same policy
/// and audience together, and among them those with the same sections and
/// clauses (whose wording may still differ by a school's name or contacts),
/// so that typst reuses the layout of every clause that reads the same as in
/// the document before. The outputs do not depend on the order.
fn alike_together(jobs: &[(usize, &Document)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_cached_key(|&i| {
        let doc = jobs[i].1;
        let mut shape = String::new();
        for section in &doc.sections {
            shape.push_str(&section.id);
            shape.push('\n');
            for clause in &section.clauses {
                shape.push_str(&clause.id);
                shape.push(' ');
            }
        }
        (
            doc.policy_id.clone(),
            doc.audience_id.clone(),
            hex_digest(shape.as_bytes()),
            i,
        )
    });
    order
}

#[allow(clippy::too_many_arguments)]
fn render_one(
    resolved: &Resolved,
    school: usize,
    doc: &Document,
    options: RenderOptions,
    engine: &PdfEngine,
    html: &HtmlRenderer,
    typ: &Template,
    sink: &Sink<'_>,
) -> Result<Rendered, Diagnostic> {
    let logo_file = resolved.schools[school].logo.as_ref();
    let mut outputs = Vec::new();
    let mut pdf_ms = None;
    if options.pdf {
        if let Some(c) = engine.unprintable(doc) {
            return Err(unprintable(c, resolved, school, doc));
        }
        let started = Instant::now();
        let logo = logo_file.map(|l| (l.format, l.bytes.as_slice()));
        let bytes = engine
            .render(&typ.text, doc, logo, options.pdf_settings)
            .map_err(|e| typst_diagnostic(&e, typ))?;
        pdf_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
        outputs.push((OutputKind::Pdf, sink(doc, OutputKind::Pdf, &bytes)?));
        if doc.slip.is_some() {
            let bytes = public_slip(resolved, doc, options, engine)?;
            outputs.push((OutputKind::SlipPdf, sink(doc, OutputKind::SlipPdf, &bytes)?));
        }
    }
    if options.html {
        let logo_src = logo_file.map(|l| data_url(l.format, &l.bytes));
        let pdf_href = doc.key().file_name(OutputKind::Pdf);
        let page = html.document(doc, logo_src.as_deref(), &pdf_href)?;
        outputs.push((
            OutputKind::Html,
            sink(doc, OutputKind::Html, page.as_bytes())?,
        ));
    }
    Ok(Rendered {
        doc: doc.clone(),
        school,
        outputs,
        pdf_ms,
    })
}

/// The public slip of a document whose audience signs one: no one named.
fn public_slip(
    resolved: &Resolved,
    doc: &Document,
    options: RenderOptions,
    engine: &PdfEngine,
) -> Result<Vec<u8>, Diagnostic> {
    let template = resolved.project.templates.get(Layout::Slip);
    let fail = |message: String| {
        Diagnostic::error(Code::PdfTemplate, &template.file, message)
            .with_hint("fix the slip layout, or delete the override to use the built-in one")
    };
    let data = slip::slip_data(doc).map_err(fail)?;
    let ident = format!("slip/{}", doc.key());
    engine
        .render_data(
            &template.text,
            &data,
            &ident,
            &doc.meta.approved_on,
            options.pdf_settings,
        )
        .map_err(|e| fail(e.message))
}

/// A character no font has, reported in the input file that holds it: a
/// clause, the school's files or the policy.
pub(crate) fn unprintable(
    c: char,
    resolved: &Resolved,
    school: usize,
    doc: &Document,
) -> Diagnostic {
    let project = &resolved.project;
    let mut files: Vec<&str> = doc
        .clauses()
        .map(|(_, cl)| cl.provenance.file.as_str())
        .collect();
    files.extend(resolved.schools[school].files.iter().map(String::as_str));
    files.extend(
        project
            .policies
            .iter()
            .filter(|p| p.id == doc.policy_id)
            .map(|p| p.file.as_str()),
    );
    let file = files
        .into_iter()
        .find(|f| project.source(f).contains(c))
        .unwrap_or_else(|| {
            resolved.schools[school]
                .files
                .first()
                .map_or("", String::as_str)
        });
    Diagnostic::error(
        Code::UnprintableCharacter,
        file,
        format!("`{c}` (U+{:04X}) cannot be printed: neither the fonts built into policyc nor any in fonts/ has it", c as u32),
    )
    .at_text(project.source(file), &c.to_string())
    .with_hint("put a font that has it in the project's fonts/ folder (a .ttf or .otf, such as the Noto font for that script), or write it another way")
}

/// A sink that keeps nothing, for checking without writing.
pub fn discard(doc: &Document, kind: OutputKind, bytes: &[u8]) -> Result<Staged, Diagnostic> {
    discard_at(&doc.key().output_path(kind), bytes)
}

/// A sink for any output (a booklet, say) that keeps nothing.
pub fn discard_at(rel: &str, bytes: &[u8]) -> Result<Staged, Diagnostic> {
    Ok(Staged {
        rel: rel.to_string(),
        temp: None,
        sha256: hex_digest(bytes),
    })
}

/// A typst failure as a diagnostic in the layout file. The message does not
/// name the document, so the same mistake is reported once, not per PDF.
pub(crate) fn typst_diagnostic(err: &TemplateError, typ: &Template) -> Diagnostic {
    let hint = if err.hints.is_empty() {
        "fix the layout at this line; it receives the document as `json(\"/data.json\")`"
            .to_string()
    } else {
        err.hints.join("; ")
    };
    let mut d = Diagnostic::error(
        Code::PdfTemplate,
        &typ.file,
        format!("the PDF layout cannot be compiled: {}", err.message),
    )
    .with_hint(hint);
    if let Some(line) = err.line {
        d = d.at(&typ.text, line, err.column.unwrap_or(1));
    }
    d
}
