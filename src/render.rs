//! The render stage: resolved documents → PDF and HTML bytes in memory, on
//! all cores. Nothing is written here; a template failure becomes a
//! diagnostic against the template file, reported once.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::build::Resolved;
use crate::diag::Diagnostic;
use crate::render_html::{data_url, HtmlRenderer};
use crate::render_pdf::{PdfEngine, Standards, TemplateError};
use crate::resolve::Document;
use crate::templates::Template;

/// One rendered document. Its bytes have gone to the sink; what remains is
/// what the sink made of them (a staged file, for a build).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The document.
    pub doc: Document,
    /// School index in [`Resolved::schools`].
    pub school: usize,
    /// Each output, by format (`pdf`, `html`).
    pub outputs: Vec<(&'static str, Staged)>,
    /// Milliseconds spent on the PDF, if one was made.
    pub pdf_ms: Option<f64>,
}

/// An output handed to the sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    /// The output's path relative to the output folder.
    pub rel: String,
    /// Where the bytes wait to be moved into place, if anywhere.
    pub temp: Option<std::path::PathBuf>,
    /// SHA-256 of the bytes.
    pub sha256: String,
}

/// Receives each output as soon as it is rendered, so a build of thousands
/// of documents never holds them all in memory.
pub type Sink<'a> =
    dyn Fn(&Document, &'static str, &[u8]) -> Result<Staged, Diagnostic> + Sync + 'a;

/// Which formats to render, and how.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Render PDFs.
    pub pdf: bool,
    /// Render HTML pages.
    pub html: bool,
    /// PDF standards.
    pub standards: Standards,
}

/// The relative output path of a document in `format`.
pub fn output_path(doc: &Document, format: &str) -> String {
    format!(
        "{}/{}-{}.{format}",
        doc.school_id, doc.policy_id, doc.audience_id
    )
}

/// Renders the documents for which `wanted` is true, in parallel, calling
/// `progress` after each. Returns them in a stable order.
pub fn render_all(
    resolved: &Resolved,
    options: RenderOptions,
    wanted: &(dyn Fn(&Document) -> bool + Sync),
    sink: &Sink<'_>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    let templates = &resolved.project.templates;
    let html = HtmlRenderer::new(templates).map_err(|d| vec![d])?;
    let engine = PdfEngine::new();
    let typ = templates.get("policy.typ");
    let jobs: Vec<(usize, &Document)> = resolved
        .schools
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.documents.iter().map(move |d| (i, d)))
        .filter(|(_, d)| wanted(d))
        .collect();
    let done = AtomicUsize::new(0);
    let watchdog = Watchdog::start(typ);
    let results = parallel_map(&jobs, rayon::current_num_threads(), |(school, doc)| {
        let result = render_one(resolved, *school, doc, options, &engine, &html, typ, sink);
        watchdog.tick();
        progress(done.fetch_add(1, Ordering::Relaxed) + 1);
        result
    });
    watchdog.stop();
    let (ok, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    if failed.is_empty() {
        Ok(ok.into_iter().flatten().collect())
    } else {
        Err(failed.into_iter().filter_map(Result::err).collect())
    }
}

/// Maps `f` over `items` on `threads` plain threads, keeping the order.
///
/// Documents are rendered on threads of their own rather than as rayon
/// tasks: typst parallelises its layout with rayon, and a rayon worker
/// waiting inside typst would otherwise steal and start another whole
/// document on the same stack. That nesting multiplied the memory in use
/// and overflowed stacks.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, items.len().max(1));
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(crate::commands::WORKER_STACK)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            done.push((i, f(item)));
                        }
                        done
                    })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(Result::ok)
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Stops a runaway layout. typst has no time limit of its own, so a
/// project's layout with an endless loop would hang the build: if no
/// document finishes within the limit, the watchdog reports the layout and
/// ends the process. Nothing has been written at this stage.
struct Watchdog {
    last: Arc<AtomicU64>,
    finished: Arc<AtomicBool>,
    epoch: Instant,
}

/// Seconds a single document may take: `POLICYC_RENDER_TIMEOUT`, else 60.
fn render_timeout() -> u64 {
    std::env::var("POLICYC_RENDER_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
}

impl Watchdog {
    fn start(typ: &Template) -> Self {
        let epoch = Instant::now();
        let last = Arc::new(AtomicU64::new(0));
        let finished = Arc::new(AtomicBool::new(false));
        let (seen, stop) = (Arc::clone(&last), Arc::clone(&finished));
        let limit = render_timeout();
        let diagnostic = Diagnostic::error("pdf-template-timeout", &typ.file, format!("the PDF layout did not finish a document within {limit} seconds"))
            .with_hint("look for a loop that never ends (such as `while true`) or runaway recursion in the layout");
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
                let idle = epoch.elapsed().as_millis() as u64 - seen.load(Ordering::Relaxed);
                if idle > limit * 1000 && !stop.load(Ordering::Relaxed) {
                    let colour = crate::use_colour();
                    eprintln!(
                        "{}\n1 error, 0 warnings\nthe project has 1 error; nothing was written",
                        diagnostic.render(colour)
                    );
                    std::process::exit(crate::EXIT_PROJECT);
                }
            }
        });
        Self {
            last,
            finished,
            epoch,
        }
    }

    fn tick(&self) {
        self.last
            .store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn stop(&self) {
        self.finished.store(true, Ordering::Relaxed);
    }
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
        let started = Instant::now();
        let logo = logo_file.map(|l| (l.format, l.bytes.as_slice()));
        let bytes = engine
            .render(&typ.text, doc, logo, options.standards)
            .map_err(|e| typst_diagnostic(&e, typ))?;
        pdf_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
        outputs.push(("pdf", sink(doc, "pdf", &bytes)?));
    }
    if options.html {
        let logo_src = logo_file.map(|l| data_url(l.format, &l.bytes));
        let pdf_href = format!("{}-{}.pdf", doc.policy_id, doc.audience_id);
        let page = html.document(doc, logo_src.as_deref(), &pdf_href)?;
        outputs.push(("html", sink(doc, "html", page.as_bytes())?));
    }
    Ok(Rendered {
        doc: doc.clone(),
        school,
        outputs,
        pdf_ms,
    })
}

/// A sink that keeps nothing, for checking without writing.
pub fn discard(doc: &Document, format: &'static str, bytes: &[u8]) -> Result<Staged, Diagnostic> {
    Ok(Staged {
        rel: output_path(doc, format),
        temp: None,
        sha256: crate::resolve::hex_digest(bytes),
    })
}

/// A typst failure as a diagnostic in the layout file. The message does not
/// name the document, so the same mistake is reported once, not per PDF.
fn typst_diagnostic(err: &TemplateError, typ: &Template) -> Diagnostic {
    let hint = if err.hints.is_empty() {
        "fix the layout at this line; it receives the document as `json(\"/data.json\")`"
            .to_string()
    } else {
        err.hints.join("; ")
    };
    let mut d = Diagnostic::error(
        "pdf-template",
        &typ.file,
        format!("the PDF layout cannot be compiled: {}", err.message),
    )
    .with_hint(hint);
    if let Some(line) = err.line {
        d = d.at(&typ.text, line, err.column.unwrap_or(1));
    }
    d
}
