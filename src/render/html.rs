//! HTML output: one self-contained page per document, a pack index per
//! school and a trust index, through minijinja with HTML auto-escaping.
//!
//! Clause text is turned into HTML here from the shared block model, with
//! every string escaped, and handed to the template as ready-made markup.

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::model::body::Part;
use crate::model::document::Document;
use crate::model::markdown::{Block, Inline};
use crate::model::numbering;
use crate::model::templates::{Layout, Templates};
use crate::report::audit::SchoolAudit;
use crate::report::changes::DocChange;

/// Renders HTML pages with a project's templates.
pub struct HtmlRenderer {
    env: Environment<'static>,
    /// Each template's file and text, for locating errors.
    sources: BTreeMap<Layout, (String, String)>,
}

/// One row of a school's pack index.
#[derive(Debug, Clone, Serialize)]
pub struct PackEntry {
    /// Document title.
    pub title: String,
    /// Audience label.
    pub audience_label: String,
    /// Document id.
    pub doc_id: String,
    /// Relative link to the PDF, if built.
    pub pdf: Option<String>,
    /// Relative link to the HTML page, if built.
    pub html: Option<String>,
    /// Relative link to the public acknowledgement slip, if the audience
    /// signs one.
    pub slip: Option<String>,
    /// Sign-off for this document, when the school has a roster.
    pub sign_off: Option<SignOffProgress>,
    /// A notice: published for reading, never signed.
    pub notice: bool,
    /// A consent form: its answers are tracked by `consent status`.
    pub consent_form: bool,
}

/// The other pages a pack index links to, when they exist.
#[derive(Debug, Clone, Default)]
pub struct PackLinks<'a> {
    /// `changes.html`, the summary of changes.
    pub changes: bool,
    /// `departures.html`, with this many policy departures.
    pub departures: Option<usize>,
    /// The school's booklets.
    pub booklets: Vec<BookletLink<'a>>,
}

/// A booklet as a pack index lists it.
#[derive(Debug, Clone, Serialize)]
pub struct BookletLink<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its file, relative to the pack index.
    pub href: String,
    /// Its ID.
    pub doc_id: &'a str,
    /// The audiences whose agreements it holds, by label, in order.
    pub audiences: Vec<&'a str>,
}

/// The facts a pack index prints under its heading, as the manifest
/// records them.
#[derive(Debug, Clone, Serialize)]
pub struct PackFacts {
    /// Version label.
    pub version: String,
    /// Approving body.
    pub approved_by: String,
    /// Approval date for readers.
    pub approved_on_text: String,
    /// Next review date for readers.
    pub review_by_text: String,
}

/// One row of the trust index.
#[derive(Debug, Clone, Serialize)]
pub struct TrustEntry {
    /// School id (its folder).
    pub id: String,
    /// School name.
    pub name: String,
    /// Number of documents.
    pub count: usize,
    /// Version, approval and review dates, as the manifest records them.
    pub facts: PackFacts,
    /// Whether the review date is before the day of the build.
    pub review_overdue: bool,
    /// How many policy departures from the trust defaults the school makes;
    /// `None` when there is no departures page (no defaults file, or the
    /// school is no longer in the project).
    pub policy_departures: Option<usize>,
    /// Each document's audience and ID.
    pub documents: Vec<TrustDocument>,
    /// How many of the people asked to sign have signed, in all; `None`
    /// when the school has no roster, so no record to count from.
    pub sign_off: Option<SignOffProgress>,
    /// What changed since the last published pack, when there is one.
    pub changes: Option<TrustChanges>,
    /// The trust's own documents, listed first, not a school's pack.
    pub trust_own: bool,
}

/// A school's changes since the last published pack, as the trust index
/// shows them.
#[derive(Debug, Clone, Serialize)]
pub struct TrustChanges {
    /// Whether any document is new, changed or withdrawn.
    pub changed: bool,
    /// The summary, as `changes` prints it without the school's id: `2 of
    /// 9 documents changed; must sign again: Staff`.
    pub summary: String,
    /// Whether the school's `changes.html` is there to link to.
    pub page: bool,
}

/// A document as the trust index lists it.
#[derive(Debug, Clone, Serialize)]
pub struct TrustDocument {
    /// Document title.
    pub title: String,
    /// Audience label.
    pub audience_label: String,
    /// Document ID.
    pub doc_id: String,
    /// Its sign-off, when the school has a roster.
    pub sign_off: Option<SignOffProgress>,
}

/// Sign-off completion for a document or a school, from the roster and
/// ledger in `people/`: counts only, never names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SignOffProgress {
    /// Signatures recorded against the current document IDs.
    pub signed: usize,
    /// Signatures expected.
    pub expected: usize,
    /// Of those not signed, who signed an earlier wording that has changed
    /// since, and so must sign again.
    pub sign_again: usize,
    /// Of those not signed, who never signed any wording.
    pub never: usize,
}

impl SignOffProgress {
    /// The counts of two documents (or schools) together.
    pub fn together(self, other: Self) -> Self {
        Self {
            signed: self.signed + other.signed,
            expected: self.expected + other.expected,
            sign_again: self.sign_again + other.sign_again,
            never: self.never + other.never,
        }
    }
}

impl HtmlRenderer {
    /// Prepares the HTML templates; a broken override is reported at its line.
    pub fn new(templates: &Templates) -> Result<Self, Diagnostic> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        env.set_fuel(Some(5_000_000));
        let mut sources = BTreeMap::new();
        for layout in Layout::ALL.into_iter().filter(|l| l.is_html()) {
            let template = templates.get(layout);
            env.add_template_owned(layout.file_name(), template.text.clone())
                .map_err(|e| template_diagnostic(&e, &template.file, &template.text))?;
            sources.insert(layout, (template.file.clone(), template.text.clone()));
        }
        Ok(Self { env, sources })
    }

    /// The page for one document. `logo_src` is a `data:` URL when the
    /// school has a logo; `pdf_href` links to the matching PDF.
    pub fn document(
        &self,
        doc: &Document,
        logo_src: Option<&str>,
        pdf_href: &str,
    ) -> Result<String, Diagnostic> {
        let mut clauses = BTreeMap::new();
        for section in &doc.sections {
            for clause in &section.clauses {
                clauses.insert(
                    clause.id.clone(),
                    Value::from_safe_string(numbered_blocks_html(
                        &clause.blocks,
                        &doc.list_numbering,
                    )),
                );
            }
        }
        let mut prose = BTreeMap::new();
        for part in &doc.body {
            if let Part::Prose { id, blocks, .. } = part {
                prose.insert(
                    id.clone(),
                    Value::from_safe_string(numbered_blocks_html(blocks, &doc.list_numbering)),
                );
            }
        }
        let mut leads = BTreeMap::new();
        for section in &doc.sections {
            leads.insert(
                section.id.clone(),
                Value::from_safe_string(blocks_html(&section.lead)),
            );
            for sub in &section.subsections {
                leads.insert(
                    sub.id.clone(),
                    Value::from_safe_string(blocks_html(&sub.lead)),
                );
            }
        }
        let html = minijinja::context! {
            prose => prose,
            leads => leads,
            intro => Value::from_safe_string(blocks_html(&doc.intro)),
            values => if doc.values.is_empty() { Value::from(false) } else { Value::from_safe_string(blocks_html(&doc.values)) },
            agreement => Value::from_safe_string(blocks_html(&doc.agreement)),
            clauses => clauses,
        };
        let ctx = minijinja::context! { doc => doc, html => html, logo_src => logo_src, pdf_href => pdf_href };
        self.render(Layout::Document, ctx)
    }

    /// A school's pack index.
    pub fn pack(
        &self,
        school_name: &str,
        trust: Option<&str>,
        meta: &PackFacts,
        documents: &[PackEntry],
        links: PackLinks<'_>,
    ) -> Result<String, Diagnostic> {
        let school = minijinja::context! { name => school_name, trust => trust };
        self.render(
            Layout::Pack,
            minijinja::context! {
                school => school,
                meta => meta,
                documents => documents,
                sign_off => documents.iter().any(|d| d.sign_off.is_some()),
                notices => documents.iter().any(|d| d.notice),
                changes => links.changes,
                departures => links.departures,
                booklets => links.booklets,
            },
        )
    }

    /// A school's departures from the defaults it extends.
    /// `pack_href` links back to the school's pack index.
    pub fn departures(
        &self,
        trust: Option<&str>,
        audit: &SchoolAudit,
        pack_href: &str,
    ) -> Result<String, Diagnostic> {
        self.render(
            Layout::Departures,
            minijinja::context! { trust => trust, school => audit, pack_href => pack_href },
        )
    }

    /// A school's printable summary of changes.
    pub fn changes(
        &self,
        school_name: &str,
        trust: Option<&str>,
        changes: &[DocChange],
        summary: &str,
    ) -> Result<String, Diagnostic> {
        let school = minijinja::context! { name => school_name, trust => trust };
        self.render(
            Layout::Changes,
            minijinja::context! { school => school, documents => changes, summary => summary },
        )
    }

    /// The trust index. `today_text` is the day review dates were checked
    /// against, for readers.
    /// `since` is the label of the published pack changes are counted
    /// from, if there is one; `public_base` leads from the page to the
    /// public pages (empty when it is one of them).
    pub fn trust(
        &self,
        trust: Option<&str>,
        schools: &[TrustEntry],
        today_text: &str,
        since: Option<&str>,
        public_base: &str,
    ) -> Result<String, Diagnostic> {
        let total: usize = schools.iter().map(|s| s.count).sum();
        let school_count = schools.iter().filter(|s| !s.trust_own).count();
        let sign_off = schools.iter().any(|s| s.sign_off.is_some());
        let departures = schools.iter().any(|s| s.policy_departures.is_some());
        self.render(
            Layout::Trust,
            minijinja::context! {
                trust => trust,
                schools => schools,
                school_count => school_count,
                total => total,
                today_text => today_text,
                sign_off => sign_off,
                since => since,
                departures => departures,
                public_base => public_base,
                internal => !public_base.is_empty(),
            },
        )
    }

    fn render(&self, layout: Layout, ctx: Value) -> Result<String, Diagnostic> {
        let (file, text) = self.sources.get(&layout).cloned().unwrap_or_default();
        let template = self
            .env
            .get_template(layout.file_name())
            .map_err(|e| template_diagnostic(&e, &file, &text))?;
        template
            .render(ctx)
            .map_err(|e| template_diagnostic(&e, &file, &text))
    }
}

/// A located diagnostic for an HTML template error.
fn template_diagnostic(err: &minijinja::Error, file: &str, text: &str) -> Diagnostic {
    let detail = err.detail().unwrap_or("invalid template");
    let d = Diagnostic::error(Code::HtmlTemplate, file, format!("the HTML template cannot be used: {detail}"))
        .with_hint("HTML templates use minijinja: `{{ doc.title }}` for values, `{% if … %}…{% endif %}` for conditions");
    match (err.range(), err.line()) {
        (Some(range), _) => d.at_offset(text, range.start),
        (None, Some(line)) => d.at(text, line, 1),
        _ => d,
    }
}

/// Blocks as HTML, every string escaped.
pub fn blocks_html(blocks: &[Block]) -> String {
    numbered_blocks_html(blocks, &[])
}

/// Blocks as HTML, ordered lists numbered level by level with `patterns`
/// (see `Document::list_numbering`).
pub fn numbered_blocks_html(blocks: &[Block], patterns: &[String]) -> String {
    let mut out = String::new();
    let lists = Lists { patterns, depth: 0 };
    for block in blocks {
        block_html(block, lists, &mut out);
    }
    out
}

/// How deep in ordered lists a block is, and how each level is numbered.
#[derive(Clone, Copy)]
struct Lists<'a> {
    patterns: &'a [String],
    depth: usize,
}

fn block_html(block: &Block, lists: Lists<'_>, out: &mut String) {
    match block {
        Block::Para { c } => {
            out.push_str("<p>");
            inlines_html(c, out);
            out.push_str("</p>\n");
        }
        Block::List { ordered, items } => {
            let pattern = ordered.then(|| lists.patterns.get(lists.depth)).flatten();
            let inner = Lists {
                depth: lists.depth + usize::from(*ordered),
                ..lists
            };
            let tag = if *ordered { "ol" } else { "ul" };
            let class = if pattern.is_some() {
                " class=\"marked\""
            } else {
                ""
            };
            out.push_str(&format!("<{tag}{class}>\n"));
            for (n, item) in items.iter().enumerate() {
                out.push_str("<li>");
                if let Some(pattern) = pattern {
                    let label = numbering::list_label(pattern, n + 1);
                    out.push_str(&format!("<span class=\"marker\">{}</span>", escape(&label)));
                }
                for block in item {
                    block_html(block, inner, out);
                }
                out.push_str("</li>\n");
            }
            out.push_str(&format!("</{tag}>\n"));
        }
        Block::Quote { c } => {
            out.push_str("<blockquote>\n");
            for block in c {
                block_html(block, lists, out);
            }
            out.push_str("</blockquote>\n");
        }
    }
}

fn inlines_html(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { v } => out.push_str(&escape(v)),
            Inline::Code { v } => {
                out.push_str("<code>");
                out.push_str(&escape(v));
                out.push_str("</code>");
            }
            Inline::Strong { c } => wrap("strong", c, out),
            Inline::Emph { c } => wrap("em", c, out),
            Inline::Link { url, c } => {
                out.push_str(&format!("<a href=\"{}\">", escape(url)));
                inlines_html(c, out);
                out.push_str("</a>");
            }
            Inline::Break => out.push_str("<br>"),
        }
    }
}

fn wrap(tag: &str, content: &[Inline], out: &mut String) {
    out.push_str(&format!("<{tag}>"));
    inlines_html(content, out);
    out.push_str(&format!("</{tag}>"));
}

pub use crate::model::html_text::escape;

/// A `data:` URL embedding a logo, so each page is self-contained.
pub fn data_url(format: &str, bytes: &[u8]) -> String {
    let mime = match format {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "image/jpeg",
    };
    format!("data:{mime};base64,{}", base64(bytes))
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::markdown::parse;

    #[test]
    fn hostile_text_is_escaped() {
        let blocks = parse("<script>alert(1)</script> and \"quotes\" & 'x'");
        let html = blocks_html(&blocks);
        assert_eq!(html, "<p>&lt;script&gt;alert(1)&lt;/script&gt; and &quot;quotes&quot; &amp; &#39;x&#39;</p>\n");
    }

    #[test]
    fn lists_and_links() {
        let html = blocks_html(&parse("- [a](https://x.example/?q=1&r=2)\n- **b**"));
        assert_eq!(
            html,
            "<ul>\n<li><p><a href=\"https://x.example/?q=1&amp;r=2\">a</a></p>\n</li>\n<li><p><strong>b</strong></p>\n</li>\n</ul>\n"
        );
    }

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
