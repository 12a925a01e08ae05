//! Reading files safely: text files with the reason they cannot be read,
//! user-given paths fenced inside the project, and image formats sniffed
//! from their bytes.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::line_column;

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The diagnostic code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Where in the file, when a byte is to blame: the file as lossy text,
    /// with the 1-based line and column.
    pub position: Option<(String, usize, usize)>,
}

impl ReadError {
    fn new(code: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: hint.into(),
            position: None,
        }
    }
}

/// The largest text file (clause, school, policy, layout) policyc reads.
/// Real files are a few kilobytes; the cap keeps a pasted-in document from
/// taking gigabytes of memory during layout.
pub const MAX_TEXT_BYTES: u64 = 256 * 1024;

/// The largest logo or font policyc reads.
pub const MAX_BINARY_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a project file's bytes. Refuses a link that leads outside `fence`
/// (the project folder, already canonical), anything but a regular file
/// (a FIFO would hang the build), and a file over `limit` bytes.
pub fn read_fenced(fence: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    if link && !path.exists() {
        return Err(ReadError::new(
            "unreadable",
            "the file is a link to a file that does not exist",
            "replace the link with the file itself, or remove it",
        ));
    }
    if link {
        let inside = path
            .canonicalize()
            .is_ok_and(|real| real.starts_with(fence));
        if !inside {
            return Err(ReadError::new(
                "path-outside",
                "the file is a link to a file outside the project",
                "copy the file into the project instead of linking to it",
            ));
        }
    }
    let meta = fs::metadata(path).map_err(|err| unreadable(&err))?;
    if meta.is_dir() {
        return Err(ReadError::new(
            "is-directory",
            "expected a file but found a folder",
            "remove the folder or rename it without the file extension",
        ));
    }
    if !meta.is_file() {
        return Err(ReadError::new(
            "not-a-file",
            "this is not an ordinary file (it is a pipe, socket or device)",
            "replace it with an ordinary file",
        ));
    }
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    let mut bytes = Vec::new();
    let file = fs::File::open(path).map_err(|err| unreadable(&err))?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, limit + 1), &mut bytes)
        .map_err(|err| unreadable(&err))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn unreadable(err: &std::io::Error) -> ReadError {
    ReadError::new(
        "unreadable",
        format!("cannot read the file ({})", io_reason(err)),
        "check that the file exists and that you have permission to read it",
    )
}

fn too_large(size: u64, limit: u64) -> ReadError {
    ReadError::new(
        "too-large",
        format!(
            "the file is {}; policyc reads files of at most {}",
            human_size(size),
            human_size(limit)
        ),
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
pub fn read_text_file(fence: &Path, path: &Path) -> Result<String, ReadError> {
    let bytes = read_fenced(fence, path, MAX_TEXT_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&err.as_bytes()[..at]).into_owned();
        let (line, column) = line_column(&before, before.len());
        let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
        ReadError {
            position: Some((text, line, column)),
            ..ReadError::new(
                "not-utf8",
                format!("the file is not valid UTF-8: line {line}, column {column} holds a byte that is not text"),
                "the file was probably saved as ANSI or Windows-1252: save it again as UTF-8 in your editor",
            )
        }
    })?;
    if let Some((at, c)) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        let (line, column) = line_column(&text, at);
        return Err(ReadError {
            position: Some((text.clone(), line, column)),
            ..ReadError::new(
                "control-character",
                format!(
                    "line {line}, column {column} holds an invisible control character (U+{:04X}) that cannot be printed",
                    c as u32
                ),
                "delete it: it usually arrives with text pasted from another program",
            )
        });
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

/// Joins a user-given relative path onto `base`, refusing absolute paths,
/// `..` and anything (symlinks included) that lands outside `fence`.
pub fn safe_join(fence: &Path, base: &Path, given: &str) -> Result<PathBuf, &'static str> {
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
    let joined = base.join(given_path);
    if let (Ok(real), Ok(fence_real)) = (joined.canonicalize(), fence.canonicalize()) {
        if !real.starts_with(&fence_real) {
            return Err("points outside the project through a link");
        }
    }
    Ok(joined)
}

/// Decodes an image as the PDF layout will, so a damaged or incomplete
/// logo is reported against the school file that names it instead of
/// failing inside the layout. Returns why it cannot be used.
pub fn check_image(format: &str, bytes: &[u8]) -> Result<(), String> {
    use typst::foundations::Bytes;
    use typst::visualize::{ExchangeFormat, RasterImage, SvgImage};
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
        let fence = Path::new("/tmp/project/schools");
        assert!(safe_join(fence, fence, "../x.svg").is_err());
        assert!(safe_join(fence, fence, "/etc/passwd").is_err());
        assert!(safe_join(fence, fence, "").is_err());
        assert_eq!(
            safe_join(fence, fence, "a/logo.svg").unwrap(),
            PathBuf::from("/tmp/project/schools/a/logo.svg")
        );
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
