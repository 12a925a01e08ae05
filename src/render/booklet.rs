//! Booklets rendered: the preamble and each agreement of a policy in one
//! PDF, with the same layout as the documents (`policy.typ` receives the
//! booklet in `/data.json` and lays each part out as it lays out a
//! document). Booklets are rendered after the documents, in parallel, and
//! handed to a sink like them.

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::booklet::BookletAt;
use crate::model::build::{RenderedBooklet, Staged};
use crate::model::document::Document;
use crate::model::project::Resolved;
use crate::model::templates::Layout;

use super::pdf::{logo_path, page_data, PageData, PdfEngine, TemplateError};
use super::pool::{render_watched, timeout_diagnostic, OnTimeout};
use super::{typst_diagnostic, unprintable, RenderOptions};

/// Receives a booklet's bytes with its path in the output folder.
pub type BookletSink<'a> = dyn Fn(&str, &[u8]) -> Result<Staged, Diagnostic> + Sync + 'a;

/// What the layout reads as `/data.json` for a booklet: the preamble
/// (laid out as a document with no clauses) and the agreements after it.
#[derive(Debug, Serialize)]
struct BookletData<'a> {
    booklet: &'a Document,
    docs: &'a [&'a Document],
    logo: Option<String>,
    two_sided: bool,
    /// For each agreement, whether it is set compact, as it is when
    /// printed alone (see [`PdfEngine::compile`]).
    compact: Vec<bool>,
}

/// What the layout reads as `/page.json` for a booklet: the header's and
/// footer's facts for each part, the preamble first.
#[derive(Debug, Serialize)]
struct BookletPages<'a> {
    parts: Vec<PageData<'a>>,
}

/// Renders the booklets in `wanted`, in parallel, handing each to `sink`.
/// Nothing is rendered unless PDFs are asked for. Problems go to `diags`.
pub fn render_booklets(
    resolved: &Resolved,
    engine: &PdfEngine,
    options: RenderOptions,
    wanted: &[BookletAt],
    sink: &BookletSink<'_>,
    on_timeout: OnTimeout,
    diags: &mut Diagnostics,
) -> Vec<RenderedBooklet> {
    if !options.pdf || wanted.is_empty() {
        return Vec::new();
    }
    let layout = &resolved.project.templates.get(Layout::Policy).file;
    let timeout = timeout_diagnostic(layout);
    let results = render_watched(wanted, timeout, on_timeout, |&at| {
        let staged = render_one(resolved, at, options, engine)
            .and_then(|bytes| sink(&resolved.booklet(at).output_path(), &bytes))?;
        comemo::evict(super::MEMO_AGE);
        Ok(RenderedBooklet { at, staged })
    });
    let mut rendered = Vec::new();
    for (result, &at) in results.into_iter().zip(wanted) {
        match result {
            Ok(Ok(r)) => rendered.push(r),
            Ok(Err(d)) => diags.push(d),
            Err(message) => diags.push(super::pool::panicked(
                &resolved.booklet(at).output_path(),
                &message,
            )),
        }
    }
    rendered
}

fn render_one(
    resolved: &Resolved,
    at: BookletAt,
    options: RenderOptions,
    engine: &PdfEngine,
) -> Result<Vec<u8>, Diagnostic> {
    let school = &resolved.schools[at.0];
    let booklet = resolved.booklet(at);
    let preamble = &booklet.preamble;
    if let Some(c) = engine.unprintable(preamble) {
        return Err(unprintable(c, resolved, at.0, preamble));
    }
    let docs: Vec<&Document> = booklet
        .members
        .iter()
        .map(|&i| &school.documents[i])
        .collect();
    let logo = school.logo.as_ref().map(|l| (l.format, l.bytes.as_slice()));
    let format = logo.map(|(format, _)| format);
    let typ = resolved.project.templates.get(Layout::Policy);
    let compact = docs
        .iter()
        .map(|doc| engine.compile(&typ.text, doc, logo).map(|c| c.compact))
        .collect::<Result<Vec<bool>, _>>()
        .map_err(|e| typst_diagnostic(&e, typ))?;
    let data = BookletData {
        booklet: preamble,
        docs: &docs,
        logo: format.map(logo_path),
        two_sided: booklet.two_sided,
        compact,
    };
    let parts = std::iter::once(preamble)
        .chain(docs.iter().copied())
        .map(|doc| page_data(doc, format))
        .collect();
    let files = json(&data)
        .and_then(|data| Ok((data, json(&BookletPages { parts })?)))
        .and_then(|files| {
            engine.render_files(&typ.text, files, logo, preamble, options.pdf_settings)
        });
    files.map_err(|e| {
        let mut d = typst_diagnostic(&e, typ);
        // A layout of the project's own, perhaps from before booklets.
        if !typ.file.starts_with("<built-in>") {
            d.message = format!(
                "the PDF layout cannot lay out a booklet: {}",
                e.message
            );
            d = d.with_hint("a booklet's `json(\"/data.json\")` has `booklet` (the preamble, laid out as a document) and `docs` (the agreements) in place of `doc`; lay out each as the built-in policy.typ's `policy-document` does, or stop asking for `booklets`");
        }
        d
    })
}

/// `value` as JSON bytes for the layout to read.
fn json(value: &impl Serialize) -> Result<Vec<u8>, TemplateError> {
    serde_json::to_vec(value)
        .map_err(|e| TemplateError::plain(format!("cannot serialise the booklet: {e}")))
}
