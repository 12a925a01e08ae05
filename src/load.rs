//! Reads a project from disk: settings, policies, the clause library, school
//! files with their `extends` chains, local clauses, logos and template
//! overrides.
//!
//! This is one of the two modules that touch the disk (the other is
//! `write`). Every problem becomes a [`Diagnostic`] naming the file and line;
//! loading goes on past a bad file so one run reports every mistake.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diag::{relative, suggestion, Diagnostic, Diagnostics};
use crate::frontmatter;
use crate::ids::check_id;
use crate::model::{
    builtin_audiences, Audience, Clause, ClauseMeta, Origin, Policy, PolicyFile, ProjectFile,
    SchoolFile, CLAUSE_KEYS, SCHOOL_KEYS,
};
use crate::templates::Templates;

/// Everything read from a project directory.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project directory.
    pub root: PathBuf,
    /// Built-in audiences plus the project's own.
    pub audiences: Vec<Audience>,
    /// Policies, sorted by id.
    pub policies: Vec<Policy>,
    /// The clause library, sorted by file.
    pub clauses: Vec<Clause>,
    /// Schools, sorted by id.
    pub schools: Vec<SchoolSource>,
    /// The layouts in force.
    pub templates: Templates,
    /// The text of every file read, by project-relative path, for excerpts.
    pub sources: BTreeMap<String, String>,
}

/// One school's files, before inheritance is applied.
#[derive(Debug, Clone)]
pub struct SchoolSource {
    /// Id, from the file name.
    pub id: String,
    /// The school file and then each file it extends, nearest first.
    pub chain: Vec<(String, SchoolFile)>,
    /// The school's own clauses.
    pub local_clauses: Vec<Clause>,
    /// The logo's bytes, when the merged file names a readable one.
    pub logo: Option<LogoFile>,
}

/// A logo read from disk.
#[derive(Debug, Clone)]
pub struct LogoFile {
    /// Project-relative path.
    pub file: String,
    /// The image bytes.
    pub bytes: Vec<u8>,
    /// `svg`, `png` or `jpg`.
    pub format: &'static str,
}

/// Reads the project at `root`, collecting every problem in `diags`.
pub fn load_project(root: &Path, diags: &mut Diagnostics) -> Project {
    let mut loader = Loader {
        root: root.to_path_buf(),
        sources: BTreeMap::new(),
        diags,
    };
    let audiences = loader.audiences();
    let policies = loader.policies();
    let clauses = loader.clauses(&root.join("clauses"), Origin::Library);
    let schools = loader.schools();
    let templates = loader.templates();
    Project {
        root: root.to_path_buf(),
        audiences,
        policies,
        clauses,
        schools,
        templates,
        sources: loader.sources,
    }
}

struct Loader<'d> {
    root: PathBuf,
    sources: BTreeMap<String, String>,
    diags: &'d mut Diagnostics,
}

impl Loader<'_> {
    fn rel(&self, path: &Path) -> String {
        relative(&self.root, path)
    }

    /// Reads a text file, reporting why it cannot be read.
    fn read_text(&mut self, path: &Path) -> Option<String> {
        let rel = self.rel(path);
        match read_text_file(path) {
            Ok(text) => {
                self.sources.insert(rel, text.clone());
                Some(text)
            }
            Err((code, message, hint)) => {
                let mut d = Diagnostic::error(code, rel, message).with_hint(hint);
                if code == "not-utf8" {
                    d = locate_bad_byte(d, path);
                }
                self.diags.push(d);
                None
            }
        }
    }

    fn parse_yaml<T: DeserializeOwned>(
        &mut self,
        rel: &str,
        text: &str,
        first_line: usize,
        keys: &[&str],
    ) -> Option<T> {
        let yaml = if text.trim().is_empty() { "{}" } else { text };
        match serde_yaml::from_str::<T>(yaml) {
            Ok(value) => Some(value),
            Err(err) => {
                let whole = self.sources.get(rel).cloned().unwrap_or_default();
                self.diags
                    .push(yaml_diagnostic(rel, &whole, &err, first_line, keys));
                None
            }
        }
    }

    fn audiences(&mut self) -> Vec<Audience> {
        let mut audiences = builtin_audiences();
        let path = self.root.join("policyc.yaml");
        if !path.exists() {
            return audiences;
        }
        let Some(text) = self.read_text(&path) else {
            return audiences;
        };
        let rel = self.rel(&path);
        let Some(file) = self.parse_yaml::<ProjectFile>(&rel, &text, 1, &["audiences"]) else {
            return audiences;
        };
        for audience in file.audiences {
            if let Err(problem) = check_id(&audience.id) {
                self.diags.push(
                    Diagnostic::error(
                        "bad-id",
                        &rel,
                        format!("audience id `{}` {problem}", audience.id),
                    )
                    .near(&text, &audience.id)
                    .with_hint(
                        "use lower-case letters, digits and hyphens, starting with a letter",
                    ),
                );
                continue;
            }
            match audiences.iter_mut().find(|a| a.id == audience.id) {
                Some(existing) => *existing = audience,
                None => audiences.push(audience),
            }
        }
        audiences
    }

    fn policies(&mut self) -> Vec<Policy> {
        let dir = self.root.join("policies");
        let mut policies = Vec::new();
        for path in self.list_files(&dir, "yaml") {
            let Some(id) = self.file_id(&path) else {
                continue;
            };
            let Some(text) = self.read_text(&path) else {
                continue;
            };
            let rel = self.rel(&path);
            let keys = ["title", "intro", "agreement", "sections"];
            if let Some(def) = self.parse_yaml::<PolicyFile>(&rel, &text, 1, &keys) {
                policies.push(Policy { id, file: rel, def });
            }
        }
        if policies.is_empty() && self.diags.is_empty() {
            self.diags.push(
                Diagnostic::error("no-policies", "policies", "the project defines no policy")
                    .with_hint("add a file such as `policies/aup.yaml` with a title, an agreement and sections (see docs/FORMAT.md)"),
            );
        }
        policies
    }

    /// Reads every `*.md` below `dir` as a clause.
    fn clauses(&mut self, dir: &Path, origin: Origin) -> Vec<Clause> {
        let mut paths = Vec::new();
        self.walk(dir, "md", &mut paths);
        paths
            .iter()
            .filter_map(|path| self.clause(path, origin))
            .collect()
    }

    fn clause(&mut self, path: &Path, origin: Origin) -> Option<Clause> {
        let text = self.read_text(path)?;
        let rel = self.rel(path);
        let split = match frontmatter::split(&text) {
            Ok(split) => split,
            Err(err) => {
                let (message, hint) = err.message_and_hint();
                self.diags.push(
                    Diagnostic::error("front-matter", &rel, message)
                        .at(&text, 1, 1)
                        .with_hint(hint),
                );
                return None;
            }
        };
        let meta: ClauseMeta = self.parse_yaml(&rel, split.yaml, split.yaml_line, CLAUSE_KEYS)?;
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        if let Err(problem) = check_id(&meta.id) {
            self.diags.push(
                Diagnostic::error("bad-id", &rel, format!("clause id `{}` {problem}", meta.id))
                    .near(&text, &meta.id)
                    .with_hint(
                        "use lower-case letters, digits and hyphens, starting with a letter",
                    ),
            );
            return None;
        }
        if stem.as_deref() != Some(meta.id.as_str()) {
            self.diags.push(
                Diagnostic::error(
                    "id-file-mismatch",
                    &rel,
                    format!("clause id `{}` does not match its file name", meta.id),
                )
                .near(&text, &meta.id)
                .with_hint(format!(
                    "rename the file to `{}.md` or the id to `{}`",
                    meta.id,
                    stem.unwrap_or_default()
                )),
            );
        }
        Some(Clause {
            body: split.body.to_string(),
            body_line: split.body_line,
            meta,
            file: rel,
            origin,
        })
    }

    fn schools(&mut self) -> Vec<SchoolSource> {
        let dir = self.root.join("schools");
        let mut schools = Vec::new();
        for path in self.list_files(&dir, "yaml") {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.is_some_and(|n| n.starts_with('_')) {
                continue;
            }
            let Some(id) = self.file_id(&path) else {
                continue;
            };
            let Some(chain) = self.school_chain(&path) else {
                continue;
            };
            let local_dir = dir.join(&id).join("clauses");
            let local_clauses = if local_dir.is_dir() {
                self.clauses(&local_dir, Origin::Local)
            } else {
                Vec::new()
            };
            let logo = self.logo(&chain);
            schools.push(SchoolSource {
                id,
                chain,
                local_clauses,
                logo,
            });
        }
        if schools.is_empty() && !self.diags.has_errors() {
            self.diags.push(
                Diagnostic::error("no-schools", "schools", "the project has no school files")
                    .with_hint("add `schools/<school-id>.yaml` with at least `name:` (run `policyc init` for a starting point)"),
            );
        }
        schools
    }

    /// Reads a school file and the files it extends, refusing cycles.
    fn school_chain(&mut self, path: &Path) -> Option<Vec<(String, SchoolFile)>> {
        let schools_dir = self.root.join("schools");
        let mut chain: Vec<(String, SchoolFile)> = Vec::new();
        let mut seen = HashSet::new();
        let mut current = path.to_path_buf();
        loop {
            let rel = self.rel(&current);
            if !seen.insert(rel.clone()) {
                let names: Vec<_> = chain.iter().map(|(f, _)| f.as_str()).collect();
                let from = chain.last().map(|(f, _)| f.clone()).unwrap_or_default();
                let text = self.sources.get(&from).cloned().unwrap_or_default();
                self.diags.push(
                    Diagnostic::error(
                        "extends-cycle",
                        &from,
                        format!(
                            "`extends` goes round in a circle: {} → {rel}",
                            names.join(" → ")
                        ),
                    )
                    .near(&text, "extends")
                    .with_hint("remove the `extends` line from one of these files"),
                );
                return None;
            }
            let text = self.read_text(&current)?;
            let file: SchoolFile = self.parse_yaml(&rel, &text, 1, SCHOOL_KEYS)?;
            let next = file.extends.clone();
            chain.push((rel.clone(), file));
            let Some(next) = next else { return Some(chain) };
            let base_dir = current.parent().unwrap_or(&schools_dir).to_path_buf();
            match safe_join(&schools_dir, &base_dir, &next) {
                Ok(target) if target.is_file() => current = target,
                Ok(_) => {
                    let hint = self.extends_hint(&next);
                    self.diags.push(
                        Diagnostic::error(
                            "extends-missing",
                            &rel,
                            format!("`extends` names `{next}`, which does not exist"),
                        )
                        .near(&text, &next)
                        .with_hint(hint),
                    );
                    return None;
                }
                Err(why) => {
                    self.diags.push(
                        Diagnostic::error("path-outside", &rel, format!("`extends: {next}` {why}"))
                            .near(&text, &next)
                            .with_hint(
                                "name a defaults file inside `schools/`, such as `_trust.yaml`",
                            ),
                    );
                    return None;
                }
            }
        }
    }

    fn extends_hint(&self, wanted: &str) -> String {
        let found: Vec<String> = fs::read_dir(self.root.join("schools"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml"))
            .collect();
        suggestion(wanted, found.iter().map(String::as_str)).unwrap_or_else(|| {
            "check the file name; it is relative to the school file's folder".into()
        })
    }

    /// Reads the logo the nearest file in the chain names.
    fn logo(&mut self, chain: &[(String, SchoolFile)]) -> Option<LogoFile> {
        let (owner, logo) = chain
            .iter()
            .find_map(|(file, school)| school.logo.as_ref().map(|l| (file.clone(), l.clone())))?;
        let text = self.sources.get(&owner).cloned().unwrap_or_default();
        let schools_dir = self.root.join("schools");
        let path = match safe_join(&schools_dir, &schools_dir, &logo.path) {
            Ok(path) => path,
            Err(why) => {
                self.diags.push(
                    Diagnostic::error(
                        "path-outside",
                        &owner,
                        format!("logo path `{}` {why}", logo.path),
                    )
                    .near(&text, &logo.path)
                    .with_hint(
                        "put the logo inside `schools/` and give its path relative to that folder",
                    ),
                );
                return None;
            }
        };
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) => {
                let what = if path.is_dir() {
                    "is a folder".to_string()
                } else {
                    format!("cannot be read ({})", io_reason(&err))
                };
                self.diags.push(
                    Diagnostic::error(
                        "logo-unreadable",
                        &owner,
                        format!("logo `{}` {what}", logo.path),
                    )
                    .near(&text, &logo.path)
                    .with_hint("the path is relative to `schools/`, e.g. `hollybrook/logo.svg`"),
                );
                return None;
            }
        };
        let Some(format) = image_format(&bytes) else {
            self.diags.push(
                Diagnostic::error(
                    "logo-format",
                    &owner,
                    format!("logo `{}` is not an SVG, PNG or JPEG image", logo.path),
                )
                .near(&text, &logo.path)
                .with_hint("export the logo as SVG, PNG or JPEG"),
            );
            return None;
        };
        Some(LogoFile {
            file: self.rel(&path),
            bytes,
            format,
        })
    }

    fn templates(&mut self) -> Templates {
        let dir = self.root.join("templates");
        let mut templates = Templates::builtin();
        for name in Templates::NAMES {
            let path = dir.join(name);
            if path.exists() {
                if let Some(text) = self.read_text(&path) {
                    templates.set(name, text, self.rel(&path));
                }
            }
        }
        templates
    }

    /// The sorted `*.ext` files directly in `dir`.
    fn list_files(&mut self, dir: &Path, ext: &str) -> Vec<PathBuf> {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(_) => return Vec::new(),
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        paths.sort();
        paths
    }

    /// Every `*.ext` file below `dir`, sorted, recursing into folders.
    fn walk(&mut self, dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let has_ext = path.extension().is_some_and(|e| e == ext);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.eq_ignore_ascii_case("README.md") || name.starts_with('.') {
                continue;
            }
            if has_ext {
                // A folder named `x.md` is reported by read_text as a folder.
                out.push(path);
            } else if path.is_dir() {
                self.walk(&path, ext, out);
            } else {
                self.diags.push(
                    Diagnostic::warning(
                        "ignored-file",
                        self.rel(&path),
                        format!("`{name}` is not read: clause files must end in `.{ext}`"),
                    )
                    .at("", 1, 1)
                    .with_hint(format!(
                        "rename it to end in `.{ext}`, or move it out of this folder"
                    )),
                );
            }
        }
    }

    /// The id a file name gives, if it is a valid one.
    fn file_id(&mut self, path: &Path) -> Option<String> {
        let stem = path.file_stem()?.to_string_lossy().into_owned();
        match check_id(&stem) {
            Ok(()) => Some(stem),
            Err(problem) => {
                self.diags.push(
                    Diagnostic::error("bad-id", self.rel(path), format!("the file name gives the id `{stem}`, which {problem}"))
                        .with_hint("rename the file: ids use lower-case letters, digits and hyphens, and start with a letter"),
                );
                None
            }
        }
    }
}

/// Reads a UTF-8 text file, or says why it cannot be read: (code, message, hint).
fn read_text_file(path: &Path) -> Result<String, (&'static str, String, String)> {
    if path.is_dir() {
        return Err((
            "is-directory",
            "expected a file but found a folder".into(),
            "remove the folder or rename it without the file extension".into(),
        ));
    }
    let bytes = fs::read(path).map_err(|err| {
        let dangling = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
            && !path.exists();
        if dangling {
            return (
                "unreadable",
                "the file is a link to a file that does not exist".into(),
                "replace the link with the file itself, or remove it".into(),
            );
        }
        (
            "unreadable",
            format!("cannot read the file ({})", io_reason(&err)),
            "check that the file exists and that you have permission to read it".into(),
        )
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&err.as_bytes()[..at]).into_owned();
        let (line, column) = crate::diag::line_column(&before, before.len());
        (
            "not-utf8",
            format!("the file is not valid UTF-8: line {line}, column {column} holds a byte that is not text"),
            "the file was probably saved as ANSI or Windows-1252: save it again as UTF-8 in your editor".into(),
        )
    })
}

/// Points a `not-utf8` diagnostic at the first byte that is not UTF-8.
fn locate_bad_byte(d: Diagnostic, path: &Path) -> Diagnostic {
    let Ok(bytes) = fs::read(path) else { return d };
    let Err(err) = std::str::from_utf8(&bytes) else {
        return d;
    };
    let at = err.valid_up_to();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let before = String::from_utf8_lossy(&bytes[..at]).into_owned();
    let (line, column) = crate::diag::line_column(&before, before.len());
    d.at(&text, line, column)
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

/// Turns a serde_yaml error into a located diagnostic with a hint.
/// `first_line` is the file line where `yaml` starts (front matter is offset).
pub fn yaml_diagnostic(
    rel: &str,
    whole: &str,
    err: &serde_yaml::Error,
    first_line: usize,
    keys: &[&str],
) -> Diagnostic {
    let raw = err.to_string();
    let message = raw
        .split(" at line ")
        .next()
        .unwrap_or(&raw)
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    let (message, hint, code) = explain_yaml_message(&message, keys);
    let mut d = Diagnostic::error(code, rel, message).with_hint_opt(hint);
    if code == "duplicate-key" {
        if let Some(line) = second_key_line(whole, &raw) {
            return d.at(whole, line, 1);
        }
    }
    if let Some(loc) = err.location() {
        d = d.at(whole, loc.line() + first_line - 1, loc.column());
    }
    d
}

fn explain_yaml_message(message: &str, keys: &[&str]) -> (String, Option<String>, &'static str) {
    // Nested errors arrive as `path.to[1]: unknown field …`; keep the path as context.
    let (path, message) = split_yaml_path(message);
    let inside = if path.is_empty() {
        String::new()
    } else {
        format!(" in `{path}`")
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected = rest.split("expected ").nth(1).unwrap_or("");
        let own: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let candidates: Vec<&str> = if path.is_empty() {
            own.iter().copied().chain(keys.iter().copied()).collect()
        } else {
            own.clone()
        };
        let hint = suggestion(field, candidates.iter().copied()).or_else(|| {
            (!own.is_empty()).then(|| format!("the keys allowed here are {}", list(&own)))
        });
        return (
            format!("unknown key `{field}`{inside}"),
            hint,
            "unknown-key",
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or("");
        let expected = rest.split("expected ").nth(1).unwrap_or("");
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = suggestion(value, candidates.iter().copied())
            .or_else(|| Some(format!("use one of {}", list(&candidates))));
        return (
            format!("unknown value `{value}`{inside}"),
            hint,
            "bad-value",
        );
    }
    if let Some(field) = message.strip_prefix("missing field `") {
        let field = field.split('`').next().unwrap_or("");
        return (
            format!("missing required key `{field}`{inside}"),
            Some(format!("add `{field}:` (see docs/FORMAT.md)")),
            "missing-key",
        );
    }
    if let Some(field) = message.strip_prefix("duplicate field `") {
        let field = field.split('`').next().unwrap_or("");
        return (
            format!("`{field}` is given twice{inside}"),
            Some(format!("keep one `{field}:` line and delete the other")),
            "duplicate-key",
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let what = if path.is_empty() {
            "this value".to_string()
        } else {
            format!("`{path}`")
        };
        let message = format!(
            "{what} should be {}, not {}",
            plain_type(expected),
            plain_type(found)
        );
        return (message, Some(type_hint(expected)), "wrong-type");
    }
    (
        message.to_string(),
        Some(syntax_hint(message)),
        "yaml-syntax",
    )
}

/// The line of a key's second appearance, for `duplicate field` errors.
fn second_key_line(whole: &str, raw: &str) -> Option<usize> {
    let key = raw.split("duplicate field `").nth(1)?.split('`').next()?;
    let mut seen = 0;
    for (i, line) in whole.lines().enumerate() {
        if line.trim_start().starts_with(&format!("{key}:")) {
            seen += 1;
            if seen == 2 {
                return Some(i + 1);
            }
        }
    }
    None
}

/// Splits serde's `a.b[1]: message` into the path and the message.
fn split_yaml_path(message: &str) -> (&str, &str) {
    const STARTS: [&str; 6] = [
        "unknown field",
        "unknown variant",
        "missing field",
        "duplicate field",
        "invalid type",
        "invalid value",
    ];
    if let Some((path, rest)) = message.split_once(": ") {
        if !path.contains(' ') && STARTS.iter().any(|s| rest.starts_with(s)) {
            return (path, rest);
        }
    }
    ("", message)
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// serde's type words, as a school administrator would say them.
fn plain_type(serde: &str) -> String {
    let serde = serde.trim();
    if let Some(rest) = serde.strip_prefix("integer ") {
        return format!("the number {}", rest.trim_matches('`'));
    }
    if let Some(rest) = serde.strip_prefix("string ") {
        return format!("the text {rest}");
    }
    match serde {
        "a string" | "string" => "one piece of text".into(),
        "a sequence" | "sequence" => "a list".into(),
        "a map" | "map" => "a map of keys and values".into(),
        "i64" | "u64" | "i32" | "usize" | "an integer" => "a whole number".into(),
        "a boolean" | "boolean" => "true or false".into(),
        "unit value" => "empty".into(),
        s if s.starts_with("struct ") => "a map of keys and values".into(),
        s if s.starts_with("a value, or a map from audience") => {
            "a value, or a map from audience to value".into()
        }
        s => s.trim_start_matches("a ").to_string(),
    }
}

fn type_hint(expected: &str) -> String {
    match plain_type(expected).as_str() {
        "a list" => "write a list as `[a, b]` or as lines starting with `- `".into(),
        "one piece of text" => "write plain text; put it in quotes if it contains `:` or `#`".into(),
        "a whole number" => "write a whole number, e.g. `order: 20`".into(),
        "a map of keys and values" => "write keys under it, e.g. `approval: { by: Governing body, date: 2026-09-09 }` (see docs/FORMAT.md)".into(),
        _ => "see docs/FORMAT.md for the shape of this value".into(),
    }
}

/// A hint for a YAML syntax error, from libyaml's wording.
fn syntax_hint(message: &str) -> String {
    if message.contains("cannot start any token") {
        return "YAML cannot be indented with tabs, and some characters (`@`, `` ` ``) cannot start a value: use spaces, and put such values in quotes".into();
    }
    if message.contains("expected ',' or ']'") {
        return "a list opened with `[` is never closed: add `]`".into();
    }
    if message.contains("expected ',' or '}'") {
        return "a map opened with `{` is never closed: add `}`".into();
    }
    if message.contains("end of stream") || message.contains("quoted scalar") {
        return "a quoted value is never closed: add the closing quote".into();
    }
    if message.contains("mapping values are not allowed") {
        return "a value contains `: `: put the whole value in quotes".into();
    }
    "check the YAML near this line: indentation (spaces only), colons after keys, and matching quotes and brackets".into()
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

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let err = serde_yaml::from_str::<SchoolFile>("name: A\ncontcts: {}\n").unwrap_err();
        let d = yaml_diagnostic(
            "schools/a.yaml",
            "name: A\ncontcts: {}\n",
            &err,
            1,
            SCHOOL_KEYS,
        );
        assert_eq!(d.message, "unknown key `contcts`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `contacts`?"));
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn front_matter_errors_are_offset_to_file_lines() {
        let whole = "---\nid: a\nsection: [x\n---\n";
        let err = serde_yaml::from_str::<ClauseMeta>("id: a\nsection: [x\n").unwrap_err();
        let d = yaml_diagnostic("c.md", whole, &err, 2, CLAUSE_KEYS);
        assert!(d.line.unwrap() >= 3, "{d:?}");
    }
}
