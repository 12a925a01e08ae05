//! The project's own fonts, `fonts/`: read, fenced like every input, and
//! checked to hold a font typst can use.

use typst::foundations::Bytes;
use typst::text::Font;

use super::paths::read_fenced;
use super::Loader;
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::model::project::FontFile;
use crate::sealed::Cap;

/// The extensions read from `fonts/`.
const FONT_EXTENSIONS: [&str; 4] = ["ttf", "otf", "ttc", "otc"];

/// Whether `bytes` hold at least one font typst can use.
fn holds_a_font(bytes: &[u8]) -> bool {
    Font::iter(Bytes::new(bytes.to_vec())).next().is_some()
}

impl Loader<'_> {
    /// The project's own fonts, `fonts/*.ttf`, `.otf`, `.ttc` or `.otc`.
    pub(super) fn fonts(&mut self) -> Vec<FontFile> {
        let dir = self.root.join("fonts");
        let mut paths = Vec::new();
        for ext in FONT_EXTENSIONS {
            paths.extend(self.list_files(&dir, ext));
        }
        paths.sort();
        let mut fonts = Vec::new();
        for path in paths {
            let rel = self.rel(&path);
            let bytes = match read_fenced(self.project, self.inner(&path), Cap::Font) {
                Ok(bytes) => bytes,
                Err(err) => {
                    self.diags
                        .push(Diagnostic::error(err.code, rel, err.message).with_hint(err.hint));
                    continue;
                }
            };
            if !holds_a_font(&bytes) {
                self.diags.push(
                    Diagnostic::error(Code::FontUnreadable, rel, "this file holds no TrueType or OpenType font policyc can read")
                        .with_hint("put the font file itself here (.ttf, .otf, .ttc or .otc): unzip a download first, and convert a web font (.woff, .woff2)"),
                );
                continue;
            }
            fonts.push(FontFile { file: rel, bytes });
        }
        fonts
    }
}

#[cfg(test)]
mod tests {
    use super::holds_a_font;

    #[test]
    fn a_built_in_font_is_a_font_and_text_is_not() {
        let built_in = typst_assets::fonts()
            .next()
            .expect("typst-assets has fonts");
        assert!(holds_a_font(built_in));
        assert!(!holds_a_font(b"not a font at all"));
        assert!(!holds_a_font(&[]));
    }
}
