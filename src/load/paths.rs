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

/// Reads a UTF-8 text file, or says why it cannot be read.
pub fn read_text_file(path: &Path) -> Result<String, ReadError> {
    if path.is_dir() {
        return Err(ReadError::new(
            "is-directory",
            "expected a file but found a folder",
            "remove the folder or rename it without the file extension",
        ));
    }
    let bytes = fs::read(path).map_err(|err| {
        let dangling = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
            && !path.exists();
        if dangling {
            return ReadError::new(
                "unreadable",
                "the file is a link to a file that does not exist",
                "replace the link with the file itself, or remove it",
            );
        }
        ReadError::new(
            "unreadable",
            format!("cannot read the file ({})", io_reason(&err)),
            "check that the file exists and that you have permission to read it",
        )
    })?;
    String::from_utf8(bytes).map_err(|err| {
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
    })
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
