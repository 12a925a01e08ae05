//! What a build is made of, shared by the pipeline and the stages: the PDF
//! standards asked for, outputs as they are staged, rendered documents, the
//! summary, and the facts of this binary (typst version, worker stacks).

use std::path::PathBuf;

use crate::model::document::Document;
use crate::model::key::OutputKind;

/// The typst version built into this binary, as typst itself reports it.
pub fn typst_version() -> &'static str {
    typst::utils::version().raw()
}

/// Which PDF standards to conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standards {
    /// PDF/A-2b, for archiving.
    pub archival: bool,
    /// PDF/UA-1, for accessibility.
    pub accessible: bool,
}

impl Standards {
    /// PDF/A-2b and PDF/UA-1: the default.
    pub const ALL: Standards = Standards {
        archival: true,
        accessible: true,
    };
}

/// How every PDF policyc makes is exported: the standards it meets and the
/// creation time it records, so that the same inputs give the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfSettings {
    /// PDF/A-2b and PDF/UA-1, as asked for.
    pub standards: Standards,
    /// The creation time, seconds since 1970 (`SOURCE_DATE_EPOCH`); `None`:
    /// the document's own date (its approval date).
    pub epoch: Option<i64>,
}

/// An output handed to the sink as soon as it is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    /// The output's path relative to the output folder.
    pub rel: String,
    /// Where the bytes wait to be moved into place, if anywhere.
    pub temp: Option<PathBuf>,
    /// SHA-256 of the bytes.
    pub sha256: String,
}

/// Whether a private file's name may be shown in a log or an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileName {
    /// Named after a school, a document or a class: fine to show.
    Shareable,
    /// Named after the person it is for (a personal copy): never shown.
    NamesAPerson,
}

/// A file made for the private folder (it holds names), with its path
/// beneath that folder and whether the path itself names a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateFile {
    /// The path beneath the private folder, `/` separated.
    pub rel: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Whether the path may be shown.
    pub name: FileName,
}

impl PrivateFile {
    /// A file whose path names no person: a register, a print file, a
    /// class's list.
    pub fn shareable(rel: String, bytes: Vec<u8>) -> Self {
        Self {
            rel,
            bytes,
            name: FileName::Shareable,
        }
    }

    /// A personal copy, whose path is made from its person's name.
    pub fn personal_copy(rel: String, bytes: Vec<u8>) -> Self {
        Self {
            rel,
            bytes,
            name: FileName::NamesAPerson,
        }
    }

    /// Whether the path names a person, and so must stay out of every log.
    pub fn names_a_person(&self) -> bool {
        self.name == FileName::NamesAPerson
    }
}

/// One rendered document. Its bytes have gone to the sink; what remains is
/// what the sink made of them (a staged file, for a build).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The document.
    pub doc: Document,
    /// School index in the resolved project's schools.
    pub school: usize,
    /// Each output, by format (`pdf`, `html`).
    pub outputs: Vec<(OutputKind, Staged)>,
    /// Milliseconds spent on the PDF, if one was made.
    pub pdf_ms: Option<f64>,
}

/// A booklet rendered and handed to the sink.
#[derive(Debug, Clone)]
pub struct RenderedBooklet {
    /// Which booklet.
    pub at: crate::model::booklet::BookletAt,
    /// What the sink made of its bytes.
    pub staged: Staged,
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
    /// Booklets in the selection.
    pub booklets: usize,
    /// Booklets rendered (the others were up to date).
    pub booklets_built: usize,
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
