//! PDF output: typst, in process, with fonts built into the binary.
//!
//! A [`PdfEngine`] holds what every document shares (the standard library
//! and fonts). Each document gets a tiny [`DocWorld`] holding three virtual
//! files: the layout (`/main.typ`), the document as JSON data
//! (`/data.json`) and the logo. Nothing else can be read: there is no disk
//! access and no package import, so clause and school text can only ever be
//! data.

use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontFlags};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::model::build::PdfSettings;

use super::fit::{last_page_fill, MOST_SPILL};
use super::pdf_options::{pdf_options, pdf_options_for};
use crate::model::document::Document;
use crate::model::project::FontFile;

/// What every document shares: the standard library, the fonts and the
/// parsed layout.
pub struct PdfEngine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// The layout last parsed, so that it is parsed once per build rather
    /// than once per document.
    main: Mutex<Option<Source>>,
}

/// A typst failure, located in the layout template where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// 1-based line in the template, if the error points into it.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// typst's message.
    pub message: String,
    /// typst's hints.
    pub hints: Vec<String>,
}

impl TemplateError {
    /// A failure with a message and no place.
    pub fn plain(message: String) -> Self {
        Self {
            line: None,
            column: None,
            message,
            hints: Vec::new(),
        }
    }
}

impl Default for PdfEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfEngine {
    /// Loads the embedded fonts; no system fonts are used.
    pub fn new() -> Self {
        Self::with_fonts(&[])
    }

    /// The embedded fonts and a project's own (`fonts/`), which typst falls
    /// back to for any character the built-in fonts lack.
    pub fn with_fonts(extra: &[FontFile]) -> Self {
        let fonts: Vec<Font> = typst_assets::fonts()
            .map(Bytes::new)
            .chain(extra.iter().map(|f| Bytes::new(f.bytes.clone())))
            .flat_map(Font::iter)
            .collect();
        let book = FontBook::from_fonts(&fonts);
        Self {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts,
            main: Mutex::new(None),
        }
    }

    /// `template` as a parsed source, reusing the last one parsed when the
    /// text is the same.
    fn source(&self, template: &str) -> Result<Source, String> {
        let mut cached = self.main.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(source) = cached.as_ref().filter(|s| s.text() == template) {
            return Ok(source.clone());
        }
        let source = Source::new(file_id("/main.typ")?, template.to_string());
        *cached = Some(source.clone());
        Ok(source)
    }

    /// The first character of `doc` that no font can print, if any. typst
    /// would otherwise fail inside the layout (PDF/A forbids a missing
    /// glyph) and blame the layout file.
    pub fn unprintable(&self, doc: &Document) -> Option<char> {
        let text = serde_json::to_string(doc).ok()?;
        let mut seen = std::collections::HashSet::new();
        text.chars()
            .filter(|c| !c.is_whitespace() && !c.is_ascii())
            .filter(|c| seen.insert(*c))
            .find(|c| !self.printable(*c))
    }

    /// Whether some font has a glyph for `c`.
    /// Whether a proportional face has `c`. The monospaced face is for
    /// code: a name (in Arabic, say) that only it covers would print in a
    /// typewriter face, so it counts as a font the project still needs.
    fn printable(&self, c: char) -> bool {
        self.fonts.iter().any(|font| {
            let info = font.info();
            !info.flags.contains(FontFlags::MONOSPACE) && info.coverage.contains(c as u32)
        })
    }

    /// Compiles one document with `template` (typst source) into PDF bytes.
    pub fn render(
        &self,
        template: &str,
        doc: &Document,
        logo: Option<(&str, &[u8])>,
        settings: PdfSettings,
    ) -> Result<Vec<u8>, TemplateError> {
        self.compile(template, doc, logo)?.export(doc, settings)
    }

    /// Compiles (evaluates and lays out) one document with `template`,
    /// ready to be exported. [`PdfEngine::render`] is this and
    /// [`Compiled::export`]; they are apart so that each can be timed.
    pub fn compile<'e>(
        &'e self,
        template: &str,
        doc: &Document,
        logo: Option<(&str, &[u8])>,
    ) -> Result<Compiled<'e>, TemplateError> {
        self.compile_for(template, doc, logo, &[])
    }

    /// [`PdfEngine::compile`] for one person's copy: `filled` pairs a
    /// signature field's label with what is written in it, and reaches the
    /// layout as `/person.json`, apart from the document, so that typst
    /// reuses the document's layout from one person to the next.
    pub fn compile_for<'e>(
        &'e self,
        template: &str,
        doc: &Document,
        logo: Option<(&str, &[u8])>,
        filled: &[(String, String)],
    ) -> Result<Compiled<'e>, TemplateError> {
        let compiled = self.compile_as(template, doc, logo, filled, false)?;
        if compiled.pages() != 2 || last_page_fill(&compiled.paged) > MOST_SPILL {
            return Ok(compiled);
        }
        // A short form that spills a little onto a second sheet: set a
        // little tighter, it may fit on one. Kept only if it does.
        let compact = self.compile_as(template, doc, logo, filled, true)?;
        Ok(if compact.pages() == 1 {
            compact
        } else {
            compiled
        })
    }

    /// One compilation, in the normal or the compact setting.
    fn compile_as<'e>(
        &'e self,
        template: &str,
        doc: &Document,
        logo: Option<(&str, &[u8])>,
        filled: &[(String, String)],
        compact: bool,
    ) -> Result<Compiled<'e>, TemplateError> {
        let mut world =
            DocWorld::new(self, template, doc, logo, compact).map_err(TemplateError::plain)?;
        let person: serde_json::Map<String, serde_json::Value> = filled
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        let person = serde_json::to_vec(&person)
            .map_err(|e| TemplateError::plain(format!("cannot serialise the person: {e}")))?;
        world.person = Bytes::new(person);
        let result = typst::compile::<PagedDocument>(&world);
        let mut paged = result.output.map_err(|errors| world.describe(&errors))?;
        document_info(&mut paged, doc);
        Ok(Compiled {
            world,
            paged,
            compact,
        })
    }
}

impl PdfEngine {
    /// Compiles `template` over ready-made `/data.json` and `/page.json`
    /// bytes (a booklet's) into PDF bytes, with `doc`'s title, identifier
    /// and date.
    pub fn render_files(
        &self,
        template: &str,
        (data, page): (Vec<u8>, Vec<u8>),
        logo: Option<(&str, &[u8])>,
        doc: &Document,
        settings: PdfSettings,
    ) -> Result<Vec<u8>, TemplateError> {
        let world =
            DocWorld::with_files(self, template, data, page, logo).map_err(TemplateError::plain)?;
        let result = typst::compile::<PagedDocument>(&world);
        let mut paged = result.output.map_err(|errors| world.describe(&errors))?;
        document_info(&mut paged, doc);
        let compiled = Compiled {
            world,
            paged,
            compact: false,
        };
        compiled.export(doc, settings)
    }
}

/// A document laid out by typst, not yet exported.
pub struct Compiled<'e> {
    world: DocWorld<'e>,
    paged: PagedDocument,
    /// Whether the layout was set compact to keep a short form on one
    /// sheet.
    pub compact: bool,
}

impl Compiled<'_> {
    /// The number of pages.
    pub fn pages(&self) -> usize {
        self.paged.pages().len()
    }

    /// Exports the PDF, with the options policyc always uses.
    pub fn export(&self, doc: &Document, settings: PdfSettings) -> Result<Vec<u8>, TemplateError> {
        let options = pdf_options(doc, settings).map_err(TemplateError::plain)?;
        self.export_with(&options)
    }

    /// Exports the PDF with any options (the benchmark uses this to time
    /// tagging, by turning it off).
    pub fn export_with(&self, options: &PdfOptions) -> Result<Vec<u8>, TemplateError> {
        typst_pdf::pdf(&self.paged, options).map_err(|errors| self.world.describe(&errors))
    }
}

/// The PDF's title and author, unless the layout set its own with
/// `set document`. They are set here rather than in the layout because a
/// `set document` rule is a style on every element after it: with the
/// school's name in it, no clause's layout could be reused from the
/// previous school's document.
fn document_info(paged: &mut PagedDocument, doc: &Document) {
    let info = paged.info_mut();
    if info.title.is_none() {
        info.title = Some(
            format!(
                "{} ({}), {}",
                doc.title, doc.audience_label, doc.school.name
            )
            .into(),
        );
    }
    if info.author.is_empty() {
        info.author = vec![doc.school.name.as_str().into()];
    }
}

impl PdfEngine {
    /// Compiles a layout that reads other data than a policy document (a
    /// register, say): `data` becomes `/data.json`; `ident` and `date`
    /// (`YYYY-MM-DD`) pin the PDF's identifier and timestamp.
    pub fn render_data(
        &self,
        template: &str,
        data: &impl Serialize,
        ident: &str,
        date: &str,
        settings: PdfSettings,
    ) -> Result<Vec<u8>, TemplateError> {
        let empty = serde_json::Map::new();
        self.render_data_for(template, data, &empty, ident, date, settings)
    }

    /// [`PdfEngine::render_data`] for one person's copy: `person` becomes
    /// `/person.json`, apart from the data every copy shares, so that typst
    /// reuses the shared layout from one person to the next.
    pub fn render_data_for(
        &self,
        template: &str,
        data: &impl Serialize,
        person: &impl Serialize,
        ident: &str,
        date: &str,
        settings: PdfSettings,
    ) -> Result<Vec<u8>, TemplateError> {
        let fail =
            |e: serde_json::Error| TemplateError::plain(format!("cannot serialise the data: {e}"));
        let bytes = serde_json::to_vec(data).map_err(fail)?;
        let person = serde_json::to_vec(person).map_err(fail)?;
        let mut world = DocWorld::from_data(self, template, bytes).map_err(TemplateError::plain)?;
        world.person = Bytes::new(person);
        let result = typst::compile::<PagedDocument>(&world);
        let paged = result.output.map_err(|errors| world.describe(&errors))?;
        let options = pdf_options_for(ident, date, settings).map_err(TemplateError::plain)?;
        let pdf = typst_pdf::pdf(&paged, &options).map_err(|errors| world.describe(&errors))?;
        Ok(pdf)
    }

    /// The first character of `text` that no font can print, if any.
    pub fn first_unprintable(&self, text: &str) -> Option<char> {
        text.chars()
            .filter(|c| !c.is_whitespace() && !c.is_ascii())
            .find(|c| !self.printable(*c))
    }
}

/// The data handed to the layout as `/data.json`.
#[derive(Debug, Serialize)]
pub struct TemplateData<'a> {
    doc: &'a Document,
    logo: Option<String>,
    /// Set a little tighter, so that a short form keeps to one sheet.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    compact: bool,
}

/// What the layout reads as `/data.json` for `doc`, whose logo (if any)
/// has the given format. This, with the layout, is the whole typst input.
pub fn template_data<'a>(doc: &'a Document, logo_format: Option<&str>) -> TemplateData<'a> {
    TemplateData {
        doc,
        logo: logo_format.map(logo_path),
        compact: false,
    }
}

/// What the running header and footer print, read by the layout as
/// `/page.json`. The header and footer are page styles, which every element
/// of the document carries: they read these few values from a file of
/// their own, inside `context`, so that a school's name or a document id
/// never becomes part of the styles, and the layout of clauses that do not
/// mention them is reused from one school's document to the next.
#[derive(Debug, Serialize)]
pub struct PageData<'a> {
    school: Option<&'a str>,
    trust: Option<&'a str>,
    logo: Option<String>,
    logo_alt: Option<&'a str>,
    title: &'a str,
    audience_label: &'a str,
    version: &'a str,
    doc_id: &'a str,
}

/// What the layout reads as `/page.json` for `doc`.
pub fn page_data<'a>(doc: &'a Document, logo_format: Option<&str>) -> PageData<'a> {
    let (school, trust) = doc.school.header();
    PageData {
        school,
        trust,
        logo: logo_format.map(logo_path),
        logo_alt: doc.school.logo.as_ref().map(|l| l.alt.as_str()),
        title: &doc.title,
        audience_label: &doc.audience_label,
        version: &doc.meta.version,
        doc_id: &doc.doc_id,
    }
}

/// The virtual path of a logo in `format`.
pub fn logo_path(format: &str) -> String {
    format!("/logo.{format}")
}

/// A world of five virtual files: the layout, the data, the page data, a
/// person's filled fields and the logo.
struct DocWorld<'e> {
    engine: &'e PdfEngine,
    main: Source,
    data_id: FileId,
    data: Bytes,
    page_id: FileId,
    page: Bytes,
    person_id: FileId,
    person: Bytes,
    logo: Option<(FileId, Bytes)>,
}

/// `value` as JSON bytes for the layout to read.
fn to_json(value: &impl Serialize) -> Result<Vec<u8>, String> {
    serde_json::to_vec(value).map_err(|e| format!("cannot serialise the document: {e}"))
}

fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("bad virtual path {path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl<'e> DocWorld<'e> {
    fn new(
        engine: &'e PdfEngine,
        template: &str,
        doc: &Document,
        logo: Option<(&str, &[u8])>,
        compact: bool,
    ) -> Result<Self, String> {
        let format = logo.map(|(format, _)| format);
        let data = to_json(&TemplateData {
            compact,
            ..template_data(doc, format)
        })?;
        let page = to_json(&page_data(doc, format))?;
        Self::with_files(engine, template, data, page, logo)
    }

    /// A world of the layout, the data, the page data and the logo.
    fn with_files(
        engine: &'e PdfEngine,
        template: &str,
        data: Vec<u8>,
        page: Vec<u8>,
        logo: Option<(&str, &[u8])>,
    ) -> Result<Self, String> {
        let main = engine.source(template)?;
        let logo = match logo {
            Some((format, bytes)) => {
                Some((file_id(&logo_path(format))?, Bytes::new(bytes.to_vec())))
            }
            None => None,
        };
        Ok(Self {
            engine,
            main,
            data_id: file_id("/data.json")?,
            data: Bytes::new(data),
            page_id: file_id("/page.json")?,
            page: Bytes::new(page),
            person_id: file_id("/person.json")?,
            person: Bytes::new(b"{}".to_vec()),
            logo,
        })
    }

    /// A world whose `/data.json` holds `data`, with an empty `/page.json`
    /// and no logo.
    fn from_data(engine: &'e PdfEngine, template: &str, data: Vec<u8>) -> Result<Self, String> {
        Ok(Self {
            engine,
            main: engine.source(template)?,
            data_id: file_id("/data.json")?,
            data: Bytes::new(data),
            page_id: file_id("/page.json")?,
            page: Bytes::new(b"{}".to_vec()),
            person_id: file_id("/person.json")?,
            person: Bytes::new(b"{}".to_vec()),
            logo: None,
        })
    }

    /// Turns typst diagnostics into one message located in the template.
    fn describe(&self, diagnostics: &[SourceDiagnostic]) -> TemplateError {
        let first = diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .or(diagnostics.first());
        let Some(first) = first else {
            return TemplateError::plain("typst failed without a message".into());
        };
        let message = first.message.to_string();
        let hints = first.hints.iter().map(|h| h.v.to_string()).collect();
        let (line, column) = match (first.span.id(), self.range(first.span)) {
            (Some(id), Some(range)) if id == self.main.id() => {
                let lines = self.main.lines();
                let line = lines.byte_to_line(range.start).map(|l| l + 1);
                let column = lines.byte_to_column(range.start).map(|c| c + 1);
                (line, column)
            }
            _ => (None, None),
        };
        TemplateError {
            line,
            column,
            message,
            hints,
        }
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(refuse(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if id == self.page_id {
            return Ok(self.page.clone());
        }
        if id == self.person_id {
            return Ok(self.person.clone());
        }
        match &self.logo {
            Some((logo_id, bytes)) if *logo_id == id => Ok(bytes.clone()),
            _ => Err(refuse(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// Every file but the virtual ones is refused: no disk, no packages.
fn refuse(id: FileId) -> FileError {
    if matches!(id.get().root(), VirtualRoot::Package(_)) {
        FileError::Other(Some(
            "packages are not available in policyc templates".into(),
        ))
    } else {
        FileError::AccessDenied
    }
}
