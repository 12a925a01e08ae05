//! The small document model clause text becomes, which both renderers
//! share: [`Block`]s and [`Inline`]s holding plain strings, and the walks
//! over them. Resolving parses Markdown into it (`resolve::markdown`).
//!
//! The PDF template receives these as JSON data and the HTML renderer
//! escapes every string, so no clause or school text is ever interpreted
//! as typst or HTML markup.

use serde::Serialize;

mod text;

pub use text::{depth, each_inline, escape, inline_text, plain_text};

/// A block of clause text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Block {
    /// A paragraph.
    Para {
        /// Its content.
        c: Vec<Inline>,
    },
    /// A bulleted or numbered list.
    List {
        /// Whether the list is numbered.
        ordered: bool,
        /// Each item's blocks.
        items: Vec<Vec<Block>>,
    },
    /// A block quotation.
    Quote {
        /// Its blocks.
        c: Vec<Block>,
    },
}

/// A run of text within a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The characters, literally.
        v: String,
    },
    /// Strong emphasis.
    Strong {
        /// Its content.
        c: Vec<Inline>,
    },
    /// Emphasis.
    Emph {
        /// Its content.
        c: Vec<Inline>,
    },
    /// Inline code.
    Code {
        /// The characters, literally.
        v: String,
    },
    /// A hyperlink.
    Link {
        /// The target.
        url: String,
        /// The link text.
        c: Vec<Inline>,
    },
    /// A hard line break.
    Break,
}

/// How deeply lists, block quotes, emphasis and links may nest inside each
/// other. Deeper ones keep their text but not their structure, so the block
/// model, and every recursive walk over it (HTML, the JSON typst reads, plain
/// text, dropping it), stays shallow whatever a clause contains. Real clauses
/// nest three or four deep; typst's layout gives up at about sixteen quotes.
pub const MAX_NESTING: usize = 10;
