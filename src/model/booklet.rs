//! Booklets as written, and where they go: one PDF holding a policy's preamble (headed prose, a contents
//! list) followed by the agreement of each audience, as a school or trust
//! asks for it under `booklets:`. Each agreement in a booklet is the same
//! document, with the same ID, as the agreement printed on its own. The
//! resolved booklet lives with the resolved schools, in `project`.

use serde::{Deserialize, Serialize};

use crate::model::blocks::BlockDef;

/// A booklet as a school or trust file writes it, under `booklets:` keyed
/// by policy id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookletDef {
    /// The booklet's title; default the policy's `default` title.
    #[serde(default)]
    pub title: Option<String>,
    /// The preamble: `prose` and `contents` blocks, in reading order.
    #[serde(default)]
    pub blocks: Vec<BlockDef>,
    /// A notice the school builds (such as the library's
    /// `online-safety` policy) whose text follows those blocks in the
    /// preamble, as its first audience's copy reads.
    #[serde(default)]
    pub text: Option<String>,
    /// The audiences whose agreements follow, in order; default every
    /// audience the school builds the policy for, in the school's order.
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
    /// For printing on both sides of the paper: each agreement starts on a
    /// right-hand (odd) page, so it can be taken out of the booklet whole.
    #[serde(default)]
    pub two_sided: bool,
    /// The file the booklet was written in (set while merging).
    #[serde(skip)]
    pub file: String,
}

/// The pseudo-audience a booklet's preamble is resolved for: per-audience
/// text in a preamble is read from its `booklet` entry, else `default`.
pub const BOOKLET_AUDIENCE: &str = "booklet";

/// Names one resolved booklet: its school's index in the resolved
/// project, and its index among that school's booklets.
pub type BookletAt = (usize, usize);

/// Where a booklet is written, relative to the output folder:
/// `<school>/<policy>.booklet.pdf` (a dot, so no audience id can clash).
pub fn booklet_path(school: &str, policy: &str) -> String {
    format!("{school}/{policy}.booklet.pdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_booklet_is_read_from_yaml_and_its_path_cannot_clash_with_a_document() {
        let yaml = "title: Online safety\nblocks:\n  - contents: {}\naudiences: [staff, ks2]\n";
        let def: BookletDef = serde_yaml::from_str(yaml).expect("parses");
        assert_eq!(def.title.as_deref(), Some("Online safety"));
        assert_eq!(def.blocks.len(), 1);
        assert_eq!(booklet_path("wrenfold", "aup"), "wrenfold/aup.booklet.pdf");
        let typo: Result<BookletDef, _> = serde_yaml::from_str("titel: x\n");
        assert!(typo.is_err());
    }
}
