//! Where an output folder may be. One rule for every command that writes:
//! the public output folder is neither the project folder itself nor
//! inside a folder policyc reads, and files that hold names never land
//! inside the public output folder.
//!
//! Each answer comes from opened folders' identities (device and inode,
//! walking up through the handles), never from the spelling of a path, so
//! `nonexist/../out`, a `.` or a linked folder cannot slip through.

use std::path::Path;

use crate::model::project::INPUT_FOLDERS;
use crate::sealed::{Area, Folder, Identity};

/// The folders no public output may land inside: the inputs, and the
/// private folder. (`published/` is where a build is copied or built to be
/// kept as a baseline, so it is not among them.)
fn guarded_folders() -> impl Iterator<Item = &'static str> {
    INPUT_FOLDERS.into_iter().chain(["private"])
}

/// Why an output folder is in the wrong place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misplaced {
    /// It is the project folder itself: a failed build would tidy the
    /// project's own folders away.
    ProjectFolder,
    /// It is inside one of the project's input folders.
    InsideInput(&'static str),
    /// Files that hold names would land in the published output folder.
    InsidePublic,
}

impl Misplaced {
    /// The problem in a sentence, naming the folder as the user gave it.
    pub fn message(&self, given: &Path) -> String {
        match self {
            Misplaced::ProjectFolder => format!(
                "the output folder {} is the project folder itself",
                given.display()
            ),
            Misplaced::InsideInput(input) => format!(
                "the output folder {} is inside the project's `{input}/` folder",
                given.display()
            ),
            Misplaced::InsidePublic => {
                format!("{} is inside out/, which is published", given.display())
            }
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            Misplaced::InsidePublic => "these files hold names: write them to private/ (the default) or a secure share outside out/",
            _ => "choose an output folder outside the project's input folders (clauses/, schools/, policies/, templates/, fonts/, people/ and private/), such as the default `out/`",
        }
    }
}

/// The identities of the folder at `path` and every folder above it, or,
/// when it does not exist yet, of the nearest folder above it that does.
/// `None` when nothing on the way can be opened.
pub fn landing(path: &Path) -> Option<Vec<Identity>> {
    let mut candidate = std::path::absolute(path).ok()?;
    loop {
        if let Ok(folder) = Folder::open_root(&candidate, Area::Public) {
            return folder.lineage().ok();
        }
        candidate = candidate.parent()?.to_path_buf();
    }
}

/// Whether a public output folder landing at `lineage` (its own identity
/// first when it exists) is misplaced in `project`. `exists` says whether
/// the first identity is the output folder itself or the folder above it.
pub fn public_problem(project: &Folder, lineage: &[Identity], exists: bool) -> Option<Misplaced> {
    if exists && project.identity().ok() == lineage.first().copied() {
        return Some(Misplaced::ProjectFolder);
    }
    guarded_folders().find_map(|input| {
        let id = project.folder(input).ok()?.identity().ok()?;
        lineage
            .contains(&id)
            .then_some(Misplaced::InsideInput(input))
    })
}

/// Whether the public output folder `out` (as the user gave it) is
/// misplaced in `project`.
pub fn check_public(project: &Folder, out: &Path) -> Option<Misplaced> {
    let exists = Folder::open_root(out, Area::Public).is_ok();
    let lineage = landing(out)?;
    public_problem(project, &lineage, exists)
}

/// Whether files that hold names, written to `target`, would land inside
/// the public output folder `public` (both as the user gave them).
pub fn check_private(public: &Path, target: &Path) -> Option<Misplaced> {
    let Ok(opened) = Folder::open_root(public, Area::Public) else {
        // No public folder yet, so nothing on disk can lead into it: only
        // the words can, once `.` and `..` are read.
        let inside = lexical(target)?.starts_with(lexical(public)?);
        return inside.then_some(Misplaced::InsidePublic);
    };
    let public = opened.identity().ok()?;
    let lineage = landing(target)?;
    lineage.contains(&public).then_some(Misplaced::InsidePublic)
}

/// `path` made absolute with `.` and `..` read as words: for paths that
/// do not exist, which no link can redirect.
fn lexical(path: &Path) -> Option<std::path::PathBuf> {
    let mut out = std::path::PathBuf::new();
    for component in std::path::absolute(path).ok()?.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// Opens (creating it if needed) the folder `dir` for files that hold
/// names, locks it, and clears the temporaries a killed run left there.
/// Refused, before anything is written, when the opened folder lies
/// inside the public output folder `public`.
pub fn open_private(
    public: &Path,
    dir: &Path,
) -> anyhow::Result<Result<super::lock::OutputLock, Misplaced>> {
    use anyhow::Context;
    if let Some(problem) = check_private(public, dir) {
        return Ok(Err(problem));
    }
    let (folder, created) = Folder::create_root(dir, Area::Private)
        .with_context(|| format!("cannot open the folder {}", dir.display()))?;
    let public_id = Folder::open_root(public, Area::Public)
        .ok()
        .and_then(|f| f.identity().ok());
    if let Some(public_id) = public_id {
        if folder.lineage()?.contains(&public_id) {
            if created {
                let _ = crate::sealed::remove_empty_root(dir);
            }
            return Ok(Err(Misplaced::InsidePublic));
        }
    }
    let lock = super::lock::OutputLock::acquire_in(folder, created, |_| {})?;
    // The lock is held: any temporary here was left by a run that died.
    super::atomic::remove_temporaries(lock.folder(), |_| true);
    Ok(Ok(lock))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, Folder) {
        let dir = tempfile::tempdir().unwrap();
        for input in ["clauses", "schools", "out"] {
            std::fs::create_dir(dir.path().join(input)).unwrap();
        }
        let folder = Folder::open_root(dir.path(), Area::Project).unwrap();
        (dir, folder)
    }

    #[test]
    fn the_default_output_folder_is_fine() {
        let (dir, project) = project();
        assert_eq!(check_public(&project, &dir.path().join("out")), None);
        assert_eq!(check_public(&project, &dir.path().join("new/deep")), None);
    }

    #[test]
    fn spelling_does_not_hide_an_input_folder() {
        let (dir, project) = project();
        let sneaky = dir.path().join("out/../schools");
        assert_eq!(
            check_public(&project, &sneaky),
            Some(Misplaced::InsideInput("schools"))
        );
        let beneath = dir.path().join("nonexist/../clauses/adult");
        assert!(Folder::create_root(&beneath, Area::Public).is_err());
        assert!(!dir.path().join("clauses/adult").exists());
        assert!(!dir.path().join("nonexist").exists());
        assert_eq!(
            check_public(&project, &dir.path().join(".")),
            Some(Misplaced::ProjectFolder)
        );
    }

    #[test]
    fn names_never_land_in_the_public_folder() {
        let (dir, _) = project();
        let out = dir.path().join("out");
        assert_eq!(
            check_private(&out, &dir.path().join("./out/../out/names")),
            Some(Misplaced::InsidePublic)
        );
        // Through a folder that does not exist, `..` leads nowhere: the
        // folder is never opened, so nothing is written anywhere.
        assert!(open_private(&out, &dir.path().join("nonexist/../out")).is_err());
        assert!(!dir.path().join("nonexist").exists());
        std::fs::create_dir(dir.path().join("private")).unwrap();
        std::os::unix::fs::symlink(&out, dir.path().join("private/linked")).unwrap();
        // A linked folder is never opened: nothing lands in out/.
        assert!(open_private(&out, &dir.path().join("private/linked")).is_err());
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
        assert_eq!(check_private(&out, &dir.path().join("private/s")), None);
        let lock = open_private(&out, &dir.path().join("private/s")).unwrap();
        assert!(lock.is_ok());
        assert!(matches!(
            open_private(&out, &dir.path().join("out/names")).unwrap(),
            Err(Misplaced::InsidePublic)
        ));
        assert!(!dir.path().join("out/names").exists());
    }
}
