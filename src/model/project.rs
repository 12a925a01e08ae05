//! A project as loaded (its files, before inheritance), a school merged over
//! its defaults, and the project once every selected school is resolved.

use crate::sealed::Folder;
use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::model::document::Document;
use crate::model::files::{Audience, Clause, ModuleDef, Policy, SchoolFile};
use crate::model::templates::Templates;

/// The project's input folders: what policyc reads.
pub const INPUT_FOLDERS: [&str; 6] = [
    "clauses",
    "schools",
    "policies",
    "templates",
    "fonts",
    "people",
];

/// The project's input files at its top level.
pub const INPUT_FILES: [&str; 2] = ["policyc.yaml", "modules.yaml"];

/// Everything read from a project directory.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project directory, as given.
    pub root: PathBuf,
    /// The project directory, opened: every later read of the project
    /// happens beneath it. `None` when it could not be opened.
    pub folder: Option<Folder>,
    /// Built-in audiences plus the project's own.
    pub audiences: Vec<Audience>,
    /// How the school writes dates in its ledgers (`policyc.yaml`).
    pub date_order: crate::model::dates::DateOrder,
    /// The purposes schools ask consent for (`policyc.yaml`).
    pub consent: crate::model::consent::ConsentSettings,
    /// A demonstration project, with invented schools (`policyc.yaml`).
    pub fictional: bool,
    /// Where the trust's oversight pages go (`policyc.yaml`'s
    /// `oversight`).
    pub oversight: crate::model::files::Oversight,
    /// Policies, sorted by id.
    pub policies: Vec<Policy>,
    /// The clause library, sorted by file.
    pub clauses: Vec<Clause>,
    /// The opt-in modules `modules.yaml` defines, by id.
    pub modules: BTreeMap<String, ModuleDef>,
    /// Schools, sorted by id.
    pub schools: Vec<SchoolSource>,
    /// The layouts in force.
    pub templates: Templates,
    /// The project's own fonts (`fonts/`), for scripts the built-in fonts
    /// lack.
    pub fonts: Vec<FontFile>,
    /// The text of every file read, by project-relative path, for excerpts.
    pub sources: BTreeMap<String, String>,
}

impl Project {
    /// The text of a project file, or `""` if it was not read.
    pub fn source(&self, file: &str) -> &str {
        self.sources.get(file).map_or("", String::as_str)
    }
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
    /// Policies of the school's own (`schools/<id>/policies/`) and of the
    /// defaults files it extends (`schools/<defaults>/policies/`).
    pub local_policies: Vec<Policy>,
    /// The logo's bytes, when the merged file names a readable one.
    pub logo: Option<LogoFile>,
    /// The trust's own documents (`trust.documents` in a defaults file),
    /// not a school's: its chain starts with that overlay, then the
    /// defaults file itself.
    pub trust_own: bool,
}

impl SchoolSource {
    /// The school's own file, relative to the project.
    pub fn file(&self) -> &str {
        self.chain.first().map_or("", |(f, _)| f.as_str())
    }

    /// The school's own clauses (`schools/<id>/clauses/`), without those it
    /// inherits from the defaults files it extends.
    pub fn own_clauses(&self) -> impl Iterator<Item = &Clause> {
        self.local_clauses
            .iter()
            .filter(|c| !is_inherited(&self.id, c))
    }

    /// The local clauses the school inherits from the defaults files it
    /// extends (`schools/_trust/clauses/`).
    pub fn inherited_clauses(&self) -> impl Iterator<Item = &Clause> {
        self.local_clauses
            .iter()
            .filter(|c| is_inherited(&self.id, c))
    }

    /// The policies the school may build: the project's, then its own and
    /// its trust's.
    pub fn policies(&self, project: &[Policy]) -> Vec<Policy> {
        project
            .iter()
            .chain(&self.local_policies)
            .cloned()
            .collect()
    }

    /// The files the school's documents are built from besides clauses and
    /// the project's policies: its file chain and its local policies.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = Vec::new();
        let chain = self.chain.iter().map(|(f, _)| f.clone());
        // The trust's own documents name their defaults file twice.
        for file in chain.chain(self.local_policies.iter().map(|p| p.file.clone())) {
            if !files.contains(&file) {
                files.push(file);
            }
        }
        files
    }
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

/// A font file read from the project's `fonts/` folder.
#[derive(Debug, Clone)]
pub struct FontFile {
    /// Project-relative path.
    pub file: String,
    /// The font's bytes (TrueType, OpenType or a collection).
    pub bytes: Vec<u8>,
}

/// A merged school and where each of its keys was set.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged values.
    pub school: SchoolFile,
    /// For each key set anywhere in the chain, the nearest file that set it.
    pub provenance: BTreeMap<&'static str, String>,
}

/// A school with its resolved documents.
#[derive(Debug, Clone)]
pub struct ResolvedSchool {
    /// School id.
    pub id: String,
    /// The merged school data.
    pub merged: Merged,
    /// Its logo, if any.
    pub logo: Option<LogoFile>,
    /// Its documents, in policy then audience order.
    pub documents: Vec<Document>,
    /// Its booklets, in policy order.
    pub booklets: Vec<Booklet>,
    /// The school file and the files it extends.
    pub files: Vec<String>,
    /// The trust's own documents, not a school's.
    pub trust_own: bool,
}

/// A resolved booklet: its preamble, laid out like a document with no
/// clauses and no signature, and the agreements that follow it.
#[derive(Debug, Clone, PartialEq)]
pub struct Booklet {
    /// The preamble. Its `doc_id` is the booklet's ID, which changes when
    /// the preamble or any agreement in the booklet changes.
    pub preamble: Document,
    /// The agreements, as indices into the school's documents, in order.
    pub members: Vec<usize>,
    /// Whether each agreement starts on a right-hand page.
    pub two_sided: bool,
}

impl Booklet {
    /// The school id.
    pub fn school(&self) -> &str {
        &self.preamble.school_id
    }

    /// The policy id.
    pub fn policy(&self) -> &str {
        &self.preamble.policy_id
    }

    /// The booklet's path relative to the output folder.
    pub fn output_path(&self) -> String {
        crate::model::booklet::booklet_path(self.school(), self.policy())
    }
}

/// A project, loaded and resolved.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The project as read.
    pub project: Project,
    /// The selected schools.
    pub schools: Vec<ResolvedSchool>,
    /// The day the project was checked against (`YYYY-MM-DD`): today, or
    /// `POLICYC_TODAY`. Pages flag overdue reviews against it.
    pub today: String,
}

impl Resolved {
    /// The booklet at `at`.
    pub fn booklet(&self, (school, index): crate::model::booklet::BookletAt) -> &Booklet {
        &self.schools[school].booklets[index]
    }

    /// Where every booklet of the selected schools is.
    pub fn booklets(&self) -> impl Iterator<Item = crate::model::booklet::BookletAt> + '_ {
        self.schools
            .iter()
            .enumerate()
            .flat_map(|(s, school)| (0..school.booklets.len()).map(move |b| (s, b)))
    }

    /// Every document with the index of its school, in a stable order.
    pub fn documents(&self) -> impl Iterator<Item = (usize, &Document)> {
        self.schools
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.documents.iter().map(move |d| (i, d)))
    }
}

/// What a document is resolved from, besides the school.
#[derive(Debug, Clone, Copy)]
pub struct Library<'a> {
    /// Every audience the project knows.
    pub audiences: &'a [Audience],
    /// The shared clause library.
    pub clauses: &'a [Clause],
    /// The opt-in modules, by id.
    pub modules: &'a BTreeMap<String, ModuleDef>,
    /// The purposes consent forms ask about (`policyc.yaml`).
    pub purposes: &'a [crate::model::consent::Purpose],
    /// False when some clause file failed to load: ids that name no clause
    /// are then not reported, since the missing clause may be the broken one.
    pub complete: bool,
}

/// One school, merged, with its local clauses and logo.
#[derive(Debug, Clone, Copy)]
pub struct SchoolInput<'a> {
    /// The school id.
    pub id: &'a str,
    /// The school file, relative to the project.
    pub file: &'a str,
    /// The school file's text, for locating problems.
    pub source: &'a str,
    /// The school merged over its defaults.
    pub merged: &'a Merged,
    /// The school's own clauses.
    pub local_clauses: &'a [Clause],
    /// The logo's SHA-256, when it has one.
    pub logo_hash: Option<&'a str>,
    /// Every project file's text, for locating problems in any of them.
    pub sources: &'a BTreeMap<String, String>,
}

impl SchoolInput<'_> {
    /// Whether `clause` is a local clause this school inherits from a
    /// defaults file it extends (`schools/_trust/clauses/`), rather than
    /// one of its own: such a clause may be excluded, like a library one.
    pub fn inherits(&self, clause: &Clause) -> bool {
        is_inherited(self.id, clause)
    }
}

/// Whether `clause`, a local clause of school `id`, comes from a defaults
/// file the school extends rather than from its own folder.
fn is_inherited(id: &str, clause: &Clause) -> bool {
    clause.origin == crate::model::files::Origin::Local
        && !clause.file.starts_with(&format!("schools/{id}/"))
}

impl<'a> SchoolInput<'a> {
    /// The file that set `key` and its text: the school's own file when it
    /// set the key itself or nothing did.
    pub fn setting(&self, key: &str) -> (String, &'a str) {
        match self.merged.provenance.get(key) {
            Some(file) if file != self.file => {
                let text = self.sources.get(file).map_or("", String::as_str);
                (file.clone(), text)
            }
            _ => (self.file.to_string(), self.source),
        }
    }
}
