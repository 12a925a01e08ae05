//! Reads a project from disk: settings, policies, the clause library, school
//! files with their `extends` chains, local clauses, logos and template
//! overrides.
//!
//! Loading is one of the two stages that touch the disk (the other is
//! `output`). Every problem becomes a [`Diagnostic`] naming the file and
//! line; loading goes on past a bad file so one run reports every mistake.

pub mod bundled;
pub mod consent_export;
mod fonts;
pub mod form_export;
pub mod paths;
pub mod people;
mod policies;
pub mod yaml;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diag::frontmatter;
use crate::diag::Code;
use crate::diag::{relative, suggestion, Diagnostic, Diagnostics};
use crate::model::consent::ConsentSettings;
use crate::model::dates::DateOrder;
use crate::model::files::{
    builtin_audiences, Audience, Clause, ClauseMeta, ModuleDef, Origin, ProjectFile, SchoolFile,
    CLAUSE_KEYS, SCHOOL_KEYS,
};
use crate::model::ids::check_id;
use crate::model::project::{LogoFile, Project, SchoolSource};
use crate::model::templates::{Layout, Templates};
use crate::sealed::{Area, Cap, Folder, Kind, MemoryTree, Tree};

use paths::{check_image, image_format, read_fenced, read_text_file, safe_join};
use yaml::{duplicate_key_diagnostic, yaml_diagnostic};

/// Reads the project at `root`, collecting every problem in `diags`.
pub fn load_project(root: &Path, diags: &mut Diagnostics) -> Project {
    let opened = Folder::open_root(root, Area::Project);
    let Ok(project) = opened else {
        let what = match crate::sealed::given_kind(root) {
            None => "does not exist",
            Some(Kind::Link) => "is a link (give the folder it points to)",
            Some(_) => "is not a folder",
        };
        diags.push(
            Diagnostic::error(
                Code::NoProject,
                "--project",
                format!("the project folder {} {what}", root.display()),
            )
            .with_hint("give --project the folder that holds clauses/, schools/ and policies/ (run `policyc init` to start one)"),
        );
        return Project {
            root: root.to_path_buf(),
            folder: None,
            audiences: builtin_audiences(),
            date_order: DateOrder::default(),
            consent: ConsentSettings::default(),
            fictional: false,
            oversight: Default::default(),
            policies: Vec::new(),
            clauses: Vec::new(),
            modules: BTreeMap::new(),
            schools: Vec::new(),
            templates: Templates::builtin(),
            fonts: Vec::new(),
            sources: BTreeMap::new(),
        };
    };
    load_tree(&project, root, Some(project.clone()), diags)
}

/// Reads a project held in memory (the clause library built into the
/// binary), collecting every problem in `diags`. Nothing touches the disk.
pub fn load_memory(tree: &MemoryTree, diags: &mut Diagnostics) -> Project {
    load_tree(tree, Path::new(""), None, diags)
}

/// Reads a project from `tree`, shown as `root` in messages.
fn load_tree(
    tree: &dyn Tree,
    root: &Path,
    folder: Option<Folder>,
    diags: &mut Diagnostics,
) -> Project {
    let mut loader = Loader {
        root: root.to_path_buf(),
        project: tree,
        sources: BTreeMap::new(),
        diags,
        shared_clauses: BTreeMap::new(),
    };
    let (audiences, settings) = loader.settings();
    let policies = loader.policies();
    let clauses = loader.clauses(&root.join("clauses"), Origin::Library);
    let modules = loader.modules();
    let schools = loader.schools();
    let templates = loader.templates();
    let fonts = loader.fonts();
    Project {
        root: root.to_path_buf(),
        folder,
        audiences,
        date_order: settings.date_order,
        consent: settings.consent,
        fictional: settings.fictional,
        oversight: settings.oversight,
        policies,
        clauses,
        modules,
        schools,
        templates,
        fonts,
        sources: loader.sources,
    }
}

struct Loader<'d> {
    root: PathBuf,
    /// The project folder, opened once: every read happens beneath it.
    project: &'d dyn Tree,
    sources: BTreeMap<String, String>,
    diags: &'d mut Diagnostics,
    /// Each defaults file's clause folder, read once however many schools
    /// extend it.
    shared_clauses: BTreeMap<PathBuf, Vec<Clause>>,
}

impl Loader<'_> {
    fn rel(&self, path: &Path) -> String {
        relative(&self.root, path)
    }

    /// `path` (the root joined with a relative path) relative to the root.
    fn inner<'p>(&self, path: &'p Path) -> &'p Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// Whether anything (a link included) is at `path`, or a link stands
    /// on the way to it: reading it then reports the link.
    fn exists(&self, path: &Path) -> bool {
        let inner = self.inner(path);
        if self.project.kind(inner).is_some() {
            return true;
        }
        let mut so_far = PathBuf::new();
        inner.components().any(|part| {
            so_far.push(part);
            self.project.kind(&so_far) == Some(Kind::Link)
        })
    }

    /// Reads a text file, reporting why it cannot be read.
    fn read_text(&mut self, path: &Path) -> Option<String> {
        let rel = self.rel(path);
        match read_text_file(self.project, self.inner(path), Cap::Text) {
            Ok(text) => {
                self.sources.insert(rel, text.clone());
                Some(text)
            }
            Err(err) => {
                let mut d = Diagnostic::error(err.code, rel, err.message).with_hint(err.hint);
                if let Some((text, line, column)) = &err.position {
                    d = d.at(text, *line, *column);
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
        if let Some(at) = yaml::too_deep(yaml) {
            let whole = self.sources.get(rel).cloned().unwrap_or_default();
            let (line, column) = crate::diag::line_column(yaml, at);
            self.diags.push(
                Diagnostic::error(
                    Code::YamlTooDeep,
                    rel,
                    format!(
                        "the YAML nests more than {} levels deep here",
                        yaml::MAX_YAML_DEPTH
                    ),
                )
                .at(&whole, line + first_line - 1, column)
                .with_hint("a policyc file nests a few levels at most: look for brackets that are never closed, or text pasted in by mistake"),
            );
            return None;
        }
        // serde fills a map from the last of two equal keys without a word;
        // reading the YAML as plain values first catches them at any depth.
        if let Err(err) = serde_yaml::from_str::<serde_yaml::Value>(yaml) {
            let whole = self.sources.get(rel).cloned().unwrap_or_default();
            if let Some(d) = duplicate_key_diagnostic(rel, &whole, &err, first_line) {
                self.diags.push(d);
                return None;
            }
        }
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

    /// `policyc.yaml`: the audiences (built-in ones, with the project's
    /// additions), and the file's other settings (its audiences taken).
    fn settings(&mut self) -> (Vec<Audience>, ProjectFile) {
        let mut audiences = builtin_audiences();
        let path = self.root.join("policyc.yaml");
        if !self.exists(&path) {
            return (audiences, ProjectFile::default());
        }
        let Some(text) = self.read_text(&path) else {
            return (audiences, ProjectFile::default());
        };
        let rel = self.rel(&path);
        let Some(file) = self.parse_yaml::<ProjectFile>(
            &rel,
            &text,
            1,
            &[
                "audiences",
                "date_order",
                "consent",
                "fictional",
                "oversight",
            ],
        ) else {
            // Unread, so whether the project is a demonstration is not
            // known: its error is enough, with no example-address warnings.
            let unknown = ProjectFile {
                fictional: true,
                ..ProjectFile::default()
            };
            return (audiences, unknown);
        };
        let mut file = file;
        for audience in std::mem::take(&mut file.audiences) {
            if let Err(problem) = check_id(&audience.id) {
                self.diags.push(
                    Diagnostic::error(
                        Code::BadId,
                        &rel,
                        format!("audience id `{}` {problem}", audience.id),
                    )
                    .near_under(&text, "audiences", &audience.id)
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
        (audiences, file)
    }

    /// `modules.yaml`, if the project has one: the opt-in modules.
    fn modules(&mut self) -> BTreeMap<String, ModuleDef> {
        let path = self.root.join("modules.yaml");
        if !self.exists(&path) {
            return BTreeMap::new();
        }
        let Some(text) = self.read_text(&path) else {
            return BTreeMap::new();
        };
        let rel = self.rel(&path);
        let keys = ["title", "description", "audiences", "applies_to"];
        let modules: BTreeMap<String, ModuleDef> =
            self.parse_yaml(&rel, &text, 1, &keys).unwrap_or_default();
        for id in modules.keys() {
            if let Err(problem) = check_id(id) {
                self.diags.push(
                    Diagnostic::error(Code::BadId, &rel, format!("module id `{id}` {problem}"))
                        .at_key(&text, id)
                        .with_hint(
                            "use lower-case letters, digits and hyphens, starting with a letter",
                        ),
                );
            }
        }
        modules
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
                    Diagnostic::error(Code::FrontMatter, &rel, message)
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
                Diagnostic::error(
                    Code::BadId,
                    &rel,
                    format!("clause id `{}` {problem}", meta.id),
                )
                .near_under(&text, "id", &meta.id)
                .with_hint("use lower-case letters, digits and hyphens, starting with a letter"),
            );
            return None;
        }
        if stem.as_deref() != Some(meta.id.as_str()) {
            self.diags.push(
                Diagnostic::error(
                    Code::IdFileMismatch,
                    &rel,
                    format!("clause id `{}` does not match its file name", meta.id),
                )
                .near_under(&text, "id", &meta.id)
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
        let mut defaults = Vec::new();
        for path in self.list_files(&dir, "yaml") {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.is_some_and(|n| n.starts_with('_')) {
                defaults.push(path);
                continue;
            }
            let Some(id) = self.file_id(&path) else {
                continue;
            };
            let Some(chain) = self.school_chain(&path) else {
                continue;
            };
            self.refuse_trust_keys(&chain);
            let local_clauses = self.chain_clauses(&chain);
            let logo = self.logo(&chain);
            let local_policies = self.local_policies(&chain);
            schools.push(SchoolSource {
                id,
                chain,
                local_clauses,
                local_policies,
                logo,
                trust_own: false,
            });
        }
        for path in defaults {
            schools.extend(self.trust_documents(&path));
        }
        self.same_pack_twice(&schools);
        self.orphaned_school_folders(&dir);
        if schools.is_empty() && !self.diags.has_errors() {
            self.diags.push(
                Diagnostic::error(Code::NoSchools, "schools", "the project has no school files")
                    .with_hint("add `schools/<school-id>.yaml` with at least `name:` (run `policyc init` for a starting point)"),
            );
        }
        schools
    }

    /// The trust's own documents, when the defaults file at `path` asks for
    /// them under `trust.documents`: built like a school whose file is that
    /// overlay and which extends the defaults file itself, so they take the
    /// trust's clauses, policies, contacts and settings.
    fn trust_documents(&mut self, path: &Path) -> Option<SchoolSource> {
        // A defaults file is read as a school's only when it asks for the
        // trust's documents: otherwise it is read (and its problems told)
        // through the schools that extend it, as before.
        let text = read_text_file(self.project, self.inner(path), Cap::Text).ok()?;
        let value: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
        value.get("trust")?.get("documents")?;
        let chain = self.school_chain(path)?;
        let (file, defaults) = chain.first()?;
        let trust = defaults.trust.as_ref()?;
        let mut own = (*trust.documents.clone()?).clone();
        let text = self.sources.get(file).cloned().unwrap_or_default();
        let Some(id) = own.id.take() else {
            self.diags.push(
                Diagnostic::error(
                    Code::TrustDocumentsId,
                    file,
                    "`trust.documents` has no `id`, so its documents have no folder to go in",
                )
                .at_key(&text, "trust.documents")
                .with_hint("add `id:` under `documents:`, such as the trust's name in lower case with hyphens (`id: kestrel-valley`); its documents are built in `out/<id>/`"),
            );
            return None;
        };
        if let Err(why) = crate::model::ids::check_id(&id) {
            self.diags.push(
                Diagnostic::error(
                    Code::TrustDocumentsId,
                    file,
                    format!("the trust's documents' id `{id}` {why}"),
                )
                .at_value(&text, "trust.documents.id")
                .with_hint("use lower-case letters, digits and hyphens, starting with a letter, such as `kestrel-valley`"),
            );
            return None;
        }
        for (key, set) in [
            ("extends", own.extends.is_some()),
            ("trust", own.trust.is_some()),
        ] {
            if set {
                self.diags.push(
                    Diagnostic::error(
                        Code::TrustDocumentsKey,
                        file,
                        format!("`trust.documents` cannot set `{key}`: the trust's documents always extend the file they are in, and are the trust's"),
                    )
                    .at_key(&text, &format!("trust.documents.{key}"))
                    .with_hint(format!("remove `{key}` from under `documents:`")),
                );
                return None;
            }
        }
        own.name = own.name.or_else(|| Some(trust.name.clone()));
        let local_clauses = self.chain_clauses(&chain);
        let local_policies = self.local_policies(&chain);
        let mut full = vec![(file.clone(), own)];
        full.extend(chain);
        let logo = self.logo(&full);
        Some(SchoolSource {
            id,
            chain: full,
            local_clauses,
            local_policies,
            logo,
            trust_own: true,
        })
    }

    /// Refuses, in a school's own file, the keys only the trust's own
    /// documents take: `id` (a school's is its file's name) and
    /// `trust.documents` (a school builds its own documents, not the trust's).
    fn refuse_trust_keys(&mut self, chain: &[(String, SchoolFile)]) {
        let Some((file, own)) = chain.first() else {
            return;
        };
        let text = self.sources.get(file).cloned().unwrap_or_default();
        if own.id.is_some() {
            self.diags.push(
                Diagnostic::error(
                    Code::TrustDocumentsKey,
                    file,
                    "a school file cannot set `id`: a school's id is its file's name",
                )
                .at_key(&text, "id")
                .with_hint("remove `id:`, or rename the file to change the school's id"),
            );
        }
        if own.trust.as_ref().is_some_and(|t| t.documents.is_some()) {
            self.diags.push(
                Diagnostic::error(
                    Code::TrustDocumentsKey,
                    file,
                    "`trust.documents` belongs in a defaults file (`schools/_trust.yaml`), not a school's",
                )
                .at_key(&text, "trust.documents")
                .with_hint("move `documents:` under `trust:` in the defaults file the school extends"),
            );
        }
    }

    /// Refuses two packs with one id, such as a school named like the
    /// trust's own documents: they would be built into one folder.
    fn same_pack_twice(&mut self, schools: &[SchoolSource]) {
        for (i, school) in schools.iter().enumerate() {
            if let Some(other) = schools[..i].iter().find(|s| s.id == school.id) {
                let (trust, named) = if school.trust_own {
                    (school, other)
                } else {
                    (other, school)
                };
                let text = self.sources.get(trust.file()).cloned().unwrap_or_default();
                self.diags.push(
                    Diagnostic::error(
                        Code::TrustDocumentsId,
                        trust.file(),
                        format!("the trust's documents' id `{}` is also the id of `{}`, and both would be built in `out/{}/`", school.id, named.file(), school.id),
                    )
                    .at_value(&text, "trust.documents.id")
                    .with_hint("choose another `id` under `trust.documents`"),
                );
            }
        }
    }

    /// The local clauses of a school and of every defaults file it extends:
    /// `schools/<id>/clauses/` and `schools/_trust/clauses/`, the nearer
    /// first. A trust's own clause reaches every school that extends it; a
    /// school's clause of the same id stands in its place.
    fn chain_clauses(&mut self, chain: &[(String, SchoolFile)]) -> Vec<Clause> {
        let mut clauses: Vec<Clause> = Vec::new();
        for (index, (file, _)) in chain.iter().enumerate() {
            let dir = self
                .root
                .join(Path::new(file).with_extension(""))
                .join("clauses");
            let found = match self.shared_clauses.get(&dir) {
                Some(read) => read.clone(),
                None if !self.exists(&dir) => Vec::new(),
                None => {
                    let read = self.clauses(&dir, Origin::Local);
                    // A school's own folder is read by it alone; a
                    // defaults file's is kept for the next school.
                    if index > 0 {
                        self.shared_clauses.insert(dir, read.clone());
                    }
                    read
                }
            };
            for clause in found {
                if !clauses.iter().any(|c| c.meta.id == clause.meta.id) {
                    clauses.push(clause);
                }
            }
        }
        clauses
    }

    /// Warns about each folder in `schools/` with no `schools/<id>.yaml`
    /// beside it: renaming a school's file leaves its own clauses, logo
    /// and policies behind, unread, without a word otherwise.
    fn orphaned_school_folders(&mut self, dir: &Path) {
        let entries = self.entries(dir);
        let stems: Vec<&str> = entries
            .iter()
            .filter_map(|e| e.name.strip_suffix(".yaml"))
            .collect();
        for entry in &entries {
            // A folder named like a school file is reported as such.
            if entry.kind != Kind::Folder
                || entry.name.starts_with('.')
                || entry.name.ends_with(".yaml")
            {
                continue;
            }
            if stems.contains(&entry.name.as_str()) {
                continue;
            }
            let hint = match crate::diag::suggestion(&entry.name, stems.iter().copied()) {
                Some(nearest) => format!("{nearest} Rename the folder to match its school's file, or add `schools/{}.yaml`", entry.name),
                None => format!("rename the folder to match its school's file, or add `schools/{}.yaml`", entry.name),
            };
            self.diags.push(
                Diagnostic::warning(
                    Code::OrphanedSchoolFolder,
                    format!("schools/{}", entry.name),
                    format!("no school file `schools/{}.yaml` goes with this folder, so nothing in it is read", entry.name),
                )
                .with_hint(hint),
            );
        }
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
                        Code::ExtendsCycle,
                        &from,
                        format!(
                            "`extends` goes round in a circle: {} → {rel}",
                            names.join(" → ")
                        ),
                    )
                    .at_key(&text, "extends")
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
            match safe_join(&base_dir, &next) {
                Ok(target) if self.exists(&target) => current = target,
                Ok(_) => {
                    let hint = self.extends_hint(&next);
                    self.diags.push(
                        Diagnostic::error(
                            Code::ExtendsMissing,
                            &rel,
                            format!("`extends` names `{next}`, which does not exist"),
                        )
                        .near_under(&text, "extends", &next)
                        .with_hint(hint),
                    );
                    return None;
                }
                Err(why) => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::PathOutside,
                            &rel,
                            format!("`extends: {next}` {why}"),
                        )
                        .near_under(&text, "extends", &next)
                        .with_hint("name a defaults file inside `schools/`, such as `_trust.yaml`"),
                    );
                    return None;
                }
            }
        }
    }

    fn extends_hint(&self, wanted: &str) -> String {
        let found: Vec<String> = self
            .project
            .list(Path::new("schools"))
            .into_iter()
            .flatten()
            .map(|e| e.name)
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
        let path = match safe_join(&schools_dir, &logo.path) {
            Ok(path) => path,
            Err(why) => {
                self.diags.push(
                    Diagnostic::error(
                        Code::PathOutside,
                        &owner,
                        format!("logo path `{}` {why}", logo.path),
                    )
                    .near_under(&text, "logo", &logo.path)
                    .with_hint(
                        "put the logo inside `schools/` and give its path relative to that folder",
                    ),
                );
                return None;
            }
        };
        let bytes = match read_fenced(self.project, self.inner(&path), Cap::Image) {
            Ok(bytes) => bytes,
            Err(err) => {
                let what = err.fault;
                self.diags.push(
                    Diagnostic::error(
                        Code::LogoUnreadable,
                        &owner,
                        format!("logo `{}` {what}", logo.path),
                    )
                    .near_under(&text, "logo", &logo.path)
                    .with_hint("the path is relative to `schools/`, e.g. `hollybrook/logo.svg`"),
                );
                return None;
            }
        };
        let Some(format) = image_format(&bytes) else {
            self.diags.push(
                Diagnostic::error(
                    Code::LogoFormat,
                    &owner,
                    format!("logo `{}` is not an SVG, PNG or JPEG image", logo.path),
                )
                .near_under(&text, "logo", &logo.path)
                .with_hint("export the logo as SVG, PNG or JPEG"),
            );
            return None;
        };
        if let Err(why) = check_image(format, &bytes) {
            self.diags.push(
                Diagnostic::error(
                    Code::LogoDamaged,
                    &owner,
                    format!("logo `{}` {why}", logo.path),
                )
                .near_under(&text, "logo", &logo.path)
                .with_hint("export the logo again from the original artwork, as SVG, PNG or JPEG"),
            );
            return None;
        }
        Some(LogoFile {
            file: self.rel(&path),
            bytes,
            format,
        })
    }

    fn templates(&mut self) -> Templates {
        let dir = self.root.join("templates");
        let mut templates = Templates::builtin();
        if self.project.kind(self.inner(&dir)) == Some(Kind::Link) {
            // Reported once, for the folder.
            self.entries(&dir);
            return templates;
        }
        for layout in Layout::ALL {
            let path = dir.join(layout.file_name());
            if self.exists(&path) {
                if let Some(text) = self.read_text(&path) {
                    templates.set(layout, text, self.rel(&path));
                }
            }
        }
        templates
    }

    /// The sorted `*.ext` entries directly in `dir` (links included, so
    /// that reading them reports the link). A linked `dir` is reported.
    fn list_files(&mut self, dir: &Path, ext: &str) -> Vec<PathBuf> {
        let suffix = format!(".{ext}");
        self.entries(dir)
            .into_iter()
            .filter(|e| e.name.ends_with(&suffix))
            .map(|e| dir.join(e.name))
            .collect()
    }

    /// The entries of `dir`, reporting a folder that is a link, lies in
    /// one, or cannot be read. A folder that is not there has none.
    fn entries(&mut self, dir: &Path) -> Vec<crate::sealed::Entry> {
        match self.project.list(self.inner(dir)) {
            Ok(entries) => entries,
            Err(err) => {
                let rel = self.rel(dir);
                let linked = if self.project.kind(self.inner(dir)) == Some(Kind::Link) {
                    Some("this folder is a link, and policyc never follows links")
                } else if err.to_string().contains("link") {
                    Some("this folder lies in a folder that is a link, and policyc never follows links")
                } else {
                    None
                };
                self.diags.push(match linked {
                    Some(message) => Diagnostic::error(Code::PathOutside, rel, message)
                        .with_hint("copy the folder into the project instead of linking to it"),
                    None => Diagnostic::error(
                        Code::Unreadable,
                        rel,
                        format!("cannot read this folder ({})", paths::io_reason(&err)),
                    )
                    .with_hint("check that it is a folder and that you have permission to read it"),
                });
                Vec::new()
            }
        }
    }

    /// Every `*.ext` file below `dir`, sorted, recursing into folders.
    fn walk(&mut self, dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        let suffix = format!(".{ext}");
        for entry in self.entries(dir) {
            let name = entry.name;
            let path = dir.join(&name);
            if name.eq_ignore_ascii_case("README.md") || name.starts_with('.') {
                continue;
            }
            if name.ends_with(&suffix) {
                // A folder or link named `x.md` is reported by read_text.
                out.push(path);
            } else if matches!(entry.kind, Kind::Folder | Kind::Link) {
                self.walk(&path, ext, out);
            } else {
                self.diags.push(
                    Diagnostic::warning(
                        Code::IgnoredFile,
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
                    Diagnostic::error(Code::BadId, self.rel(path), format!("the file name gives the id `{stem}`, which {problem}"))
                        .with_hint("rename the file: ids use lower-case letters, digits and hyphens, and start with a letter"),
                );
                None
            }
        }
    }
}
