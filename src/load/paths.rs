//! Reading project files through the sealed file access: text files with
//! the reason they cannot be read, user-given relative paths checked, and
//! image formats sniffed from their bytes.

use std::path::{Path, PathBuf};

use crate::diag::line_column;
use crate::diag::text::is_bidi_control;
use crate::diag::Code;
use crate::sealed::{Cap, ReadFailure, Tree};

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The diagnostic code.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// What is wrong, said of a file another message names: the predicate
    /// of "logo `x.png` …", such as `is a link, and policyc never follows
    /// links`.
    pub fault: String,
    /// How to fix it.
    pub hint: String,
    /// Where in the file, when a byte is to blame: the file as lossy text,
    /// with the 1-based line and column.
    pub position: Option<(String, usize, usize)>,
}

impl ReadError {
    /// A problem with the file as a whole: `message` is said of "the file",
    /// `fault` of a file named elsewhere.
    fn of_file(
        code: Code,
        message: impl Into<String>,
        fault: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            code,
            message: message.into(),
            fault: fault.into(),
            hint: hint.into(),
            position: None,
        }
    }

    /// A problem at a place inside the file's text.
    fn in_text(
        code: Code,
        message: String,
        hint: &str,
        text: String,
        line: usize,
        column: usize,
    ) -> Self {
        Self {
            code,
            fault: format!("has a problem at line {line}, column {column}: {message}"),
            message,
            hint: hint.into(),
            position: Some((text, line, column)),
        }
    }
}

/// Reads a project file's bytes beneath `folder`: links refused at every
/// component (a linked folder included), an ordinary file only (a FIFO
/// would hang the build), at most `cap`'s bytes.
pub fn read_fenced(folder: &dyn Tree, rel: &Path, cap: Cap) -> Result<Vec<u8>, ReadError> {
    folder.read(rel, cap).map_err(|failure| match failure {
        ReadFailure::Missing => ReadError::of_file(
            Code::Unreadable,
            "cannot read the file (not found)",
            "cannot be read (not found)",
            "check that the file exists and that you have permission to read it",
        ),
        ReadFailure::Link => ReadError::of_file(
            Code::PathOutside,
            "the file is a link, and policyc never follows links",
            "is a link, and policyc never follows links",
            "replace the link with the file itself: copy it into the project",
        ),
        ReadFailure::LinkedFolder => ReadError::of_file(
            Code::PathOutside,
            "the file lies in a folder that is a link, and policyc never follows links",
            "lies in a folder that is a link, and policyc never follows links",
            "replace the linked folder with the folder itself: copy it into the project",
        ),
        ReadFailure::Outside => ReadError::of_file(
            Code::PathOutside,
            "the path leaves the project",
            "leaves the project",
            "give a path inside the project",
        ),
        ReadFailure::Folder => ReadError::of_file(
            Code::IsDirectory,
            "expected a file but found a folder",
            "is a folder",
            "remove the folder or rename it without the file extension",
        ),
        ReadFailure::NotAFile => ReadError::of_file(
            Code::NotAFile,
            "this is not an ordinary file (it is a pipe, socket or device)",
            "is not an ordinary file (it is a pipe, socket or device)",
            "replace it with an ordinary file",
        ),
        ReadFailure::TooLarge(size, limit) => too_large(size, limit),
        ReadFailure::Io(err) => unreadable(&err),
    })
}

fn unreadable(err: &std::io::Error) -> ReadError {
    ReadError::of_file(
        Code::Unreadable,
        format!("cannot read the file ({})", io_reason(err)),
        format!("cannot be read ({})", io_reason(err)),
        "check that the file exists and that you have permission to read it",
    )
}

fn too_large(size: u64, limit: u64) -> ReadError {
    let fault = format!(
        "is {}; policyc reads files of at most {}",
        human_size(size),
        human_size(limit)
    );
    ReadError::of_file(
        Code::TooLarge,
        format!("the file {fault}"),
        fault,
        "a clause or school file holds a few paragraphs: remove pasted-in material or split the file",
    )
}

/// `256 KB`, `20.0 MB`.
fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Reads a project text file: fenced as [`read_fenced`], UTF-8, and free of
/// control characters (which no font can print and YAML rejects without
/// saying where).
pub fn read_text_file(folder: &dyn Tree, rel: &Path, cap: Cap) -> Result<String, ReadError> {
    let bytes = read_fenced(folder, rel, cap)?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&err.as_bytes()[..at]).into_owned();
        let (line, column) = line_column(&before, before.len());
        let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
        ReadError::in_text(
            Code::NotUtf8,
            format!("the file is not valid UTF-8: line {line}, column {column} holds a byte that is not text"),
            "the file was probably saved as ANSI or Windows-1252: save it again as UTF-8 in your editor",
            text,
            line,
            column,
        )
    })?;
    if let Some((at, c)) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        let (line, column) = line_column(&text, at);
        return Err(ReadError::in_text(
            Code::ControlCharacter,
            format!(
                "line {line}, column {column} holds an invisible control character (U+{:04X}) that cannot be printed",
                c as u32
            ),
            "delete it: it usually arrives with text pasted from another program",
            text.clone(),
            line,
            column,
        ));
    }
    // Bidirectional controls reorder what a reader sees (a U+202E can make
    // text in a published page read backwards); no project text needs
    // them. Names in rosters, which never reach a public page, may.
    if cap == Cap::Text {
        if let Some((at, c)) = text.char_indices().find(|&(_, c)| is_bidi_control(c)) {
            let (line, column) = line_column(&text, at);
            return Err(ReadError::in_text(
                Code::BidiControl,
                format!(
                    "line {line}, column {column} holds an invisible bidirectional control (U+{:04X}) that can make the text read in a different order than it is written",
                    c as u32
                ),
                "delete it: right-to-left words display correctly without it",
                text.clone(),
                line,
                column,
            ));
        }
    }
    Ok(text)
}

/// A short reason for an I/O error, in plain words.
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

/// Joins a user-given relative path onto `base`, refusing absolute paths
/// and `..`. Links are refused when the file is read.
pub fn safe_join(base: &Path, given: &str) -> Result<PathBuf, &'static str> {
    let given_path = Path::new(given);
    if given.is_empty() {
        return Err("is empty");
    }
    if given_path.is_absolute()
        || given.starts_with('/')
        || given.starts_with('\\')
        || given.contains(':')
    {
        return Err("is an absolute path; paths must be relative");
    }
    if given_path
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err("leaves the folder with `..`");
    }
    Ok(base.join(given_path))
}

/// Decodes an image as the PDF layout will, so a damaged or incomplete
/// logo is reported against the school file that names it instead of
/// failing inside the layout. Returns why it cannot be used.
pub fn check_image(format: &str, bytes: &[u8]) -> Result<(), String> {
    use typst::foundations::Bytes;
    use typst::visualize::{ExchangeFormat, RasterImage, SvgImage};
    if let Some((width, height)) = raster_size(format, bytes) {
        if u64::from(width) * u64::from(height) > MAX_LOGO_PIXELS {
            return Err(format!(
                "is {width} × {height} pixels; a logo may have at most {} million pixels (about 5,000 × 5,000)",
                MAX_LOGO_PIXELS / 1_000_000
            ));
        }
    }
    if format == "svg" {
        if let Some(href) = linked_image(&String::from_utf8_lossy(bytes)) {
            return Err(format!(
                "links to another file (`{href}`), which the PDF cannot embed; embed the picture in the SVG (or export the logo as PNG)"
            ));
        }
    }
    let data = Bytes::new(bytes.to_vec());
    match format {
        "svg" => SvgImage::new(data)
            .map(|_| ())
            .map_err(|_| "is a damaged or incomplete SVG image".to_string()),
        "png" | "jpg" => {
            let kind = if format == "png" {
                ExchangeFormat::Png
            } else {
                ExchangeFormat::Jpg
            };
            RasterImage::plain(data, kind).map(|_| ()).map_err(|e| {
                let cause = e.to_string();
                let cause = cause
                    .strip_prefix("failed to decode image (")
                    .and_then(|c| c.strip_suffix(')'))
                    .unwrap_or(&cause)
                    .to_string();
                format!("is a damaged or incomplete image ({cause})")
            })
        }
        _ => Err("is not an SVG, PNG or JPEG image".into()),
    }
}

/// The first `href` in an SVG that points at another file: anything but
/// embedded data (`data:`) or a part of the same SVG (`#id`).
pub fn linked_image(svg: &str) -> Option<String> {
    let mut rest = svg;
    while let Some(at) = rest.find("href") {
        rest = &rest[at + 4..];
        let value = rest.trim_start();
        let Some(value) = value.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let inner = &value[1..];
        let target = inner.split(quote).next().unwrap_or("").trim();
        if !target.is_empty() && !target.starts_with("data:") && !target.starts_with('#') {
            return Some(target.chars().take(80).collect());
        }
    }
    None
}

/// The most pixels a logo may have: decoding takes four bytes a pixel, so
/// this keeps a logo under 100 MB of memory however small its file.
pub const MAX_LOGO_PIXELS: u64 = 25_000_000;

/// The width and height a PNG or JPEG declares in its header, read
/// before anything is decoded.
pub fn raster_size(format: &str, bytes: &[u8]) -> Option<(u32, u32)> {
    let be16 = |at: usize| Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
    match format {
        "png" => {
            let field =
                |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
            (bytes.get(12..16)? == b"IHDR").then_some(())?;
            Some((field(16)?, field(20)?))
        }
        "jpg" => {
            let mut at = 2;
            while at + 9 < bytes.len() {
                if bytes[at] != 0xFF {
                    return None;
                }
                let marker = bytes[at + 1];
                let length = usize::from(be16(at + 2)?);
                // Start-of-frame markers: C0–CF except C4, C8 and CC.
                if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
                    return Some((u32::from(be16(at + 7)?), u32::from(be16(at + 5)?)));
                }
                at += 2 + length;
            }
            None
        }
        _ => None,
    }
}

/// Recognises SVG, PNG and JPEG by their first bytes.
pub fn image_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("jpg");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    if head.contains("<svg") {
        return Some("svg");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escapes() {
        let base = Path::new("/tmp/project/schools");
        assert!(safe_join(base, "../x.svg").is_err());
        assert!(safe_join(base, "/etc/passwd").is_err());
        assert!(safe_join(base, "").is_err());
        assert_eq!(
            safe_join(base, "a/logo.svg").unwrap(),
            PathBuf::from("/tmp/project/schools/a/logo.svg")
        );
    }

    #[test]
    fn an_svg_that_links_a_file_is_found() {
        let linked = r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="crest.png"/></svg>"#;
        assert_eq!(linked_image(linked).as_deref(), Some("crest.png"));
        let old = r#"<svg><image xlink:href = 'file:///etc/x.png'/></svg>"#;
        assert_eq!(linked_image(old).as_deref(), Some("file:///etc/x.png"));
        let inside = r##"<svg><use href="#a"/><image href="data:image/png;base64,AAAA"/></svg>"##;
        assert_eq!(linked_image(inside), None);
        assert!(check_image("svg", linked.as_bytes())
            .unwrap_err()
            .contains("crest.png"));
    }

    #[test]
    fn raster_sizes_come_from_the_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(50_000u32.to_be_bytes());
        png.extend(50_000u32.to_be_bytes());
        assert_eq!(raster_size("png", &png), Some((50_000, 50_000)));
        let refused = check_image("png", &png).unwrap_err();
        assert!(refused.contains("50000 × 50000 pixels"), "{refused}");
        let jpg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x01, 0x2C, 0x02, 0x58, 3, 0,
        ];
        assert_eq!(raster_size("jpg", &jpg), Some((600, 300)));
    }

    #[test]
    fn image_formats_are_sniffed() {
        assert_eq!(image_format(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(
            image_format(b"<?xml version='1.0'?><svg></svg>"),
            Some("svg")
        );
        assert_eq!(image_format(b"GIF89a"), None);
    }
}
