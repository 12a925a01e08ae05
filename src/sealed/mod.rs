//! Sealed file access: the one module that opens a path.
//!
//! A command opens its roots once, as directory handles: the project, the
//! public output folder (`out/`) and the private folder (`private/`, or a
//! `--out` for files that hold names). Every later read, write, listing
//! and removal happens *beneath* one of those handles, one path component
//! at a time, with links refused at every component and never followed.
//! So a linked folder, a planted link at a lock file or temporary, or a
//! link swapped in while policyc runs can never lead a read or a write
//! outside its root (the capability model of `cap-std`, which on Linux
//! uses `openat2` with `RESOLVE_BENEATH`).
//!
//! A root's own path is the user's choice (`--project`, `--out`) and is
//! resolved by the operating system up to its last component, which must
//! be a real folder, never a link. Whether a folder lies inside another
//! (an output folder inside the inputs, names inside the public folder) is
//! decided from the opened handles' identities, never from the spelling of
//! a path.
//!
//! Every read has a size cap per kind of file ([`Cap`]), opens without
//! blocking (a FIFO cannot hang a build) and refuses anything that is not
//! an ordinary file. Temporary files are created new (`O_EXCL`), never
//! through a link, under random names that hold no personal data.

use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt};
use cap_std::fs::{Dir, OpenOptions};

mod memory;

/// An open file, as [`Folder::open_lock`] hands it out.
pub use std::fs::File;
/// Why a lock could not be taken at once.
pub use std::fs::TryLockError;

pub use memory::MemoryTree;

/// What loading reads from: a folder on disk, or files held in memory.
pub trait Tree {
    /// Reads the file `rel`, at most `cap` bytes.
    fn read(&self, rel: &Path, cap: Cap) -> Result<Vec<u8>, ReadFailure>;
    /// What `rel` is, without following a link; `None` when absent.
    fn kind(&self, rel: &Path) -> Option<Kind>;
    /// The entries of the folder `rel`, sorted by name.
    fn list(&self, rel: &Path) -> io::Result<Vec<Entry>>;
}

impl Tree for Folder {
    fn read(&self, rel: &Path, cap: Cap) -> Result<Vec<u8>, ReadFailure> {
        Folder::read(self, rel, cap)
    }
    fn kind(&self, rel: &Path) -> Option<Kind> {
        Folder::kind(self, rel)
    }
    fn list(&self, rel: &Path) -> io::Result<Vec<Entry>> {
        Folder::list(self, rel)
    }
}

/// The suffix every temporary file policyc creates ends with.
pub const TEMP_SUFFIX: &str = ".tmp";
/// The prefix every temporary file policyc creates starts with.
pub const TEMP_PREFIX: &str = ".policyc-";

/// What a root holds, decided when it is opened and carried by every
/// folder opened beneath it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The project: inputs, read only (apart from the ledger and `init`).
    Project,
    /// The public output folder: published as it is.
    Public,
    /// Files that hold names: never inside the public folder.
    Private,
}

/// The largest file of each kind policyc reads. A cap keeps a pasted-in
/// document, a FIFO or a link to `/dev/zero` from taking the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// Clauses, school files, policies, layouts, labels: a few kilobytes.
    Text,
    /// Rosters, ledgers and form exports: ten years of a 2,000-pupil
    /// school's signatures, with their parents', fit easily.
    People,
    /// Manifests and the build cache: a national provider's 130,000
    /// documents fit.
    Record,
    /// Logos.
    Image,
    /// Fonts.
    Font,
    /// A previous output read back to compare (PDFs, pages).
    Output,
}

impl Cap {
    /// The cap in bytes.
    pub fn bytes(self) -> u64 {
        const MB: u64 = 1024 * 1024;
        match self {
            Cap::Text => 256 * 1024,
            Cap::People => 64 * MB,
            Cap::Record => 256 * MB,
            Cap::Image => 16 * MB,
            Cap::Font => 64 * MB,
            Cap::Output => 512 * MB,
        }
    }
}

/// Why a read failed: what a diagnostic needs to say and hint.
#[derive(Debug)]
pub enum ReadFailure {
    /// Nothing at that path.
    Missing,
    /// The path is a link.
    Link,
    /// A folder on the way to the path is a link.
    LinkedFolder,
    /// The path names a folder.
    Folder,
    /// A pipe, socket or device.
    NotAFile,
    /// Over the cap: the size seen and the cap.
    TooLarge(u64, u64),
    /// The path leaves its root (`..`, an absolute path).
    Outside,
    /// Any other I/O error.
    Io(io::Error),
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadFailure::Missing => write!(f, "not found"),
            ReadFailure::Link => write!(f, "it is a link, and policyc never follows links"),
            ReadFailure::LinkedFolder => write!(
                f,
                "it lies in a folder that is a link, and policyc never follows links"
            ),
            ReadFailure::Folder => write!(f, "it is a folder"),
            ReadFailure::NotAFile => {
                write!(f, "it is not an ordinary file (a pipe, socket or device)")
            }
            ReadFailure::TooLarge(size, cap) => write!(
                f,
                "it is {size} bytes, over the {cap}-byte limit for this kind of file"
            ),
            ReadFailure::Outside => write!(f, "the path leaves its folder"),
            ReadFailure::Io(e) => write!(f, "{e}"),
        }
    }
}

/// What a directory entry is, read without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An ordinary file.
    File,
    /// A folder.
    Folder,
    /// A symbolic link (never followed).
    Link,
    /// A pipe, socket or device.
    Other,
}

/// An entry of a listed folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's name (lossily decoded when not UTF-8).
    pub name: String,
    /// What it is.
    pub kind: Kind,
}

/// The identity of an opened folder: device and inode, so two handles can
/// be compared whatever paths led to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Identity(u64, u64);

/// An opened folder: a directory handle, the path it is shown as, and the
/// area of the root it was opened under. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Folder {
    dir: Arc<Dir>,
    shown: PathBuf,
    area: Area,
}

fn link_error() -> io::Error {
    io::Error::other("a link is in the way, and policyc never follows links")
}

/// The plain components of a relative path; `..`, roots and prefixes are
/// refused.
fn parts(rel: &Path) -> io::Result<Vec<&OsStr>> {
    let mut out = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} leaves its folder", rel.display()),
                ))
            }
        }
    }
    Ok(out)
}

/// Whether an error means a link stood in the way (`ELOOP`, or `ENOTDIR`
/// from a link opened as a folder).
fn is_link_refusal(dir: &Dir, name: &OsStr, err: &io::Error) -> bool {
    if err.to_string().contains("link is in the way") {
        return true;
    }
    dir.symlink_metadata(name)
        .is_ok_and(|m| m.file_type().is_symlink())
}

impl Folder {
    /// Opens the root folder at `path` (the user's choice, resolved by the
    /// system up to its last component, which must not be a link).
    pub fn open_root(path: &Path, area: Area) -> io::Result<Folder> {
        let (parent, name) = split_root(path)?;
        let parent = Dir::open_ambient_dir(&parent, cap_std::ambient_authority())?;
        let dir = match name {
            Some(name) => open_dir_nofollow(&parent, &name)?,
            None => parent,
        };
        Ok(Folder {
            dir: Arc::new(dir),
            shown: path.to_path_buf(),
            area,
        })
    }

    /// Opens the root folder at `path`, creating it (and its missing
    /// parents, as the user named them) first. Returns whether it was
    /// created.
    pub fn create_root(path: &Path, area: Area) -> io::Result<(Folder, bool)> {
        let (parent, name) = split_root(path)?;
        let created = !parent.as_os_str().is_empty() && !parent.exists();
        if created {
            // `missing/../x` would be created through the folder it names
            // and land wherever `..` then leads: refused.
            if path.components().any(|c| c == Component::ParentDir) {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    "the path goes up with `..` from a folder that does not exist",
                ));
            }
            std::fs::create_dir_all(&parent)?;
        }
        let parent_dir = Dir::open_ambient_dir(&parent, cap_std::ambient_authority())?;
        let Some(name) = name else {
            return Ok((
                Folder {
                    dir: Arc::new(parent_dir),
                    shown: path.to_path_buf(),
                    area,
                },
                false,
            ));
        };
        let made = match parent_dir.create_dir(&name) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => false,
            Err(e) => return Err(e),
        };
        let dir = open_dir_nofollow(&parent_dir, &name)?;
        Ok((
            Folder {
                dir: Arc::new(dir),
                shown: path.to_path_buf(),
                area,
            },
            made || created,
        ))
    }

    /// The path this folder is shown as in messages.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// The area of the root this folder was opened under.
    pub fn area(&self) -> Area {
        self.area
    }

    /// `rel` joined onto this folder's shown path, for messages only.
    pub fn shown(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.shown.join(rel)
    }

    /// Opens the folder `rel` beneath this one, refusing links.
    pub fn folder(&self, rel: impl AsRef<Path>) -> io::Result<Folder> {
        self.walk(rel.as_ref(), false)
    }

    /// Opens the folder `rel` beneath this one, creating what is missing,
    /// refusing links.
    pub fn create_folder(&self, rel: impl AsRef<Path>) -> io::Result<Folder> {
        self.walk(rel.as_ref(), true)
    }

    /// Walks down `rel` one component at a time, never through a link,
    /// creating missing folders when `create` is set.
    fn walk(&self, rel: &Path, create: bool) -> io::Result<Folder> {
        let mut dir: Option<Dir> = None;
        for part in parts(rel)? {
            let base = dir.as_ref().unwrap_or(&self.dir);
            if create {
                match base.create_dir(part) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(e),
                }
            }
            dir = Some(open_dir_nofollow(base, part)?);
        }
        let dir = match dir {
            Some(dir) => dir,
            None => self.dir.try_clone()?,
        };
        Ok(Folder {
            dir: Arc::new(dir),
            shown: self.shown.join(rel),
            area: self.area,
        })
    }

    /// The folder holding `rel` and `rel`'s last component.
    fn parent_of(&self, rel: &Path, create: bool) -> io::Result<(Folder, OsString)> {
        let mut all = parts(rel)?;
        let name = all.pop().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "an empty path names no file")
        })?;
        let inner: PathBuf = all.iter().collect();
        let parent = if create {
            self.create_folder(&inner)?
        } else {
            self.folder(&inner)?
        };
        Ok((parent, name.to_os_string()))
    }

    /// What `rel` is, without following a link; `None` when it is absent
    /// or cannot be reached without following a link.
    pub fn kind(&self, rel: impl AsRef<Path>) -> Option<Kind> {
        let (parent, name) = self.parent_of(rel.as_ref(), false).ok()?;
        let meta = parent.dir.symlink_metadata(&name).ok()?;
        Some(kind_of(meta.file_type()))
    }

    /// The size and modification time of the ordinary file `rel` (not a
    /// link).
    pub fn stamp(&self, rel: impl AsRef<Path>) -> Option<(u64, std::time::SystemTime)> {
        let (parent, name) = self.parent_of(rel.as_ref(), false).ok()?;
        let meta = parent.dir.symlink_metadata(&name).ok()?;
        if !meta.is_file() {
            return None;
        }
        Some((meta.len(), meta.modified().ok()?.into_std()))
    }

    /// Whether `rel` is an ordinary file (not a link).
    pub fn is_file(&self, rel: impl AsRef<Path>) -> bool {
        self.kind(rel) == Some(Kind::File)
    }

    /// Whether `rel` is a folder (not a link).
    pub fn is_folder(&self, rel: impl AsRef<Path>) -> bool {
        self.kind(rel) == Some(Kind::Folder)
    }

    /// The entries of the folder `rel`, sorted by name. A missing folder
    /// lists nothing; a linked one is an error.
    pub fn list(&self, rel: impl AsRef<Path>) -> io::Result<Vec<Entry>> {
        let folder = match self.folder(rel) {
            Ok(folder) => folder,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut entries = Vec::new();
        for entry in folder.dir.entries()? {
            let entry = entry?;
            let kind = kind_of(entry.file_type()?);
            entries.push(Entry {
                name: entry.file_name().to_string_lossy().into_owned(),
                kind,
            });
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// Reads the file `rel`: links refused at every component, an
    /// ordinary file only, at most `cap` bytes.
    pub fn read(&self, rel: impl AsRef<Path>, cap: Cap) -> Result<Vec<u8>, ReadFailure> {
        let rel = rel.as_ref();
        if parts(rel).is_err() {
            return Err(ReadFailure::Outside);
        }
        let (parent, name) = match self.parent_of(rel, false) {
            Ok(found) => found,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadFailure::Missing),
            Err(e) => {
                return Err(if self.reaches_link(rel) {
                    ReadFailure::LinkedFolder
                } else {
                    ReadFailure::Io(e)
                })
            }
        };
        let mut options = OpenOptions::new();
        options.read(true).follow(FollowSymlinks::No);
        nonblocking(&mut options);
        let file = match parent.dir.open_with(&name, &options) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadFailure::Missing),
            Err(e) if is_link_refusal(&parent.dir, &name, &e) => return Err(ReadFailure::Link),
            Err(e) => return Err(ReadFailure::Io(e)),
        };
        let meta = file.metadata().map_err(ReadFailure::Io)?;
        if meta.is_dir() {
            return Err(ReadFailure::Folder);
        }
        if !meta.is_file() {
            return Err(ReadFailure::NotAFile);
        }
        let limit = cap.bytes();
        if meta.len() > limit {
            return Err(ReadFailure::TooLarge(meta.len(), limit));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.into_std()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(ReadFailure::Io)?;
        if bytes.len() as u64 > limit {
            return Err(ReadFailure::TooLarge(bytes.len() as u64, limit));
        }
        Ok(bytes)
    }

    /// Whether some component of `rel` is a link.
    fn reaches_link(&self, rel: &Path) -> bool {
        let Ok(all) = parts(rel) else { return false };
        let mut so_far = PathBuf::new();
        for part in all {
            so_far.push(part);
            match self.kind(&so_far) {
                Some(Kind::Link) => return true,
                Some(Kind::Folder) => {}
                _ => return false,
            }
        }
        false
    }

    /// Writes `bytes` to `rel` atomically: a new temporary beside it,
    /// flushed, then renamed over it. Missing folders are created; links
    /// are refused at every component.
    pub fn write_atomic(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
        let temp = self.stage(rel.as_ref(), bytes, "")?;
        self.commit(&temp, rel)
    }

    /// Writes `bytes` to a new temporary beside `rel` and returns the
    /// temporary's path relative to this folder, to be moved into place by
    /// [`Folder::commit`]. `tag` marks what kind of temporary it is.
    pub fn stage(&self, rel: &Path, bytes: &[u8], tag: &str) -> io::Result<PathBuf> {
        let (parent, _) = self.parent_of(rel, true)?;
        let inner = rel.parent().map(Path::to_path_buf).unwrap_or_default();
        let (name, mut file) = parent.create_temporary(tag)?;
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = parent.dir.remove_file(&name);
            return Err(e);
        }
        Ok(inner.join(name))
    }

    /// Creates a new temporary file in this folder: create-new, never
    /// through a link, a random name with this process's id in it.
    fn create_temporary(&self, tag: &str) -> io::Result<(String, std::fs::File)> {
        for _ in 0..16 {
            let name = format!(
                "{TEMP_PREFIX}{}-{:016x}{tag}{TEMP_SUFFIX}",
                std::process::id(),
                random()
            );
            let mut options = OpenOptions::new();
            options
                .write(true)
                .create_new(true)
                .follow(FollowSymlinks::No);
            private_mode(&mut options, self.area);
            match self.dir.open_with(&name, &options) {
                Ok(file) => return Ok((name, file.into_std())),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("cannot find a free temporary file name"))
    }

    /// Moves the temporary `temp` (from [`Folder::stage`]) to `rel`,
    /// removing the temporary if that fails.
    pub fn commit(&self, temp: &Path, rel: impl AsRef<Path>) -> io::Result<()> {
        let (from_dir, from) = self.parent_of(temp, false)?;
        let (to_dir, to) = self.parent_of(rel.as_ref(), true)?;
        if to_dir.dir.symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            let _ = from_dir.dir.remove_file(&from);
            return Err(io::Error::other("a folder stands where the file goes"));
        }
        from_dir
            .dir
            .rename(&from, &to_dir.dir, &to)
            .inspect_err(|_| {
                let _ = from_dir.dir.remove_file(&from);
            })
    }

    /// Removes the file (or link) `rel`; never follows a link.
    pub fn remove_file(&self, rel: impl AsRef<Path>) -> io::Result<()> {
        let (parent, name) = self.parent_of(rel.as_ref(), false)?;
        parent.dir.remove_file(name)
    }

    /// Removes the folder `rel` if it is empty.
    pub fn remove_empty_folder(&self, rel: impl AsRef<Path>) -> io::Result<()> {
        let (parent, name) = self.parent_of(rel.as_ref(), false)?;
        parent.dir.remove_dir(name)
    }

    /// Opens (creating if needed) the file `rel` for reading and writing,
    /// never through a link: for lock files.
    pub fn open_lock(&self, rel: impl AsRef<Path>) -> io::Result<File> {
        let (parent, name) = self.parent_of(rel.as_ref(), true)?;
        let mut options = OpenOptions::new();
        options
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .follow(FollowSymlinks::No);
        nonblocking(&mut options);
        let file = parent.dir.open_with(&name, &options).map_err(|e| {
            if is_link_refusal(&parent.dir, &name, &e) {
                link_error()
            } else {
                e
            }
        })?;
        if !file.metadata()?.is_file() {
            return Err(io::Error::other("it is not an ordinary file"));
        }
        Ok(file.into_std())
    }

    /// This folder's identity.
    pub fn identity(&self) -> io::Result<Identity> {
        identity_of(&self.dir)
    }

    /// The identities of this folder and every folder above it, up to the
    /// file system's root, read through the handles.
    pub fn lineage(&self) -> io::Result<Vec<Identity>> {
        lineage(&self.dir)
    }

    /// Whether this folder is `other` or lies anywhere beneath it.
    pub fn is_within(&self, other: &Folder) -> io::Result<bool> {
        let target = other.identity()?;
        Ok(self.lineage()?.contains(&target))
    }
}

/// What is at a path the user gave, without following its last component.
pub fn given_kind(path: &Path) -> Option<Kind> {
    let (parent, name) = split_root(path).ok()?;
    let dir = Dir::open_ambient_dir(&parent, cap_std::ambient_authority()).ok()?;
    match name {
        Some(name) => Some(kind_of(dir.symlink_metadata(name).ok()?.file_type())),
        None => Some(Kind::Folder),
    }
}

/// Reads a file at a path the user gave (a baseline, a form export): the
/// folder holding it is the user's choice, the file itself must be an
/// ordinary file, not a link, of at most `cap` bytes.
pub fn read_given(path: &Path, cap: Cap) -> Result<Vec<u8>, ReadFailure> {
    let (parent, name) = split_root(path).map_err(ReadFailure::Io)?;
    let Some(name) = name else {
        return Err(ReadFailure::Folder);
    };
    let folder = match Folder::open_root(&parent, Area::Project) {
        Ok(folder) => folder,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadFailure::Missing),
        Err(e) => return Err(ReadFailure::Io(e)),
    };
    folder.read(Path::new(&name), cap)
}

/// Removes the root folder at `path` if it is empty: a first build that
/// failed leaves no output folder behind.
pub fn remove_empty_root(path: &Path) -> io::Result<()> {
    std::fs::remove_dir(path)
}

/// A path split into the folder to open ambiently and the last component.
fn split_root(path: &Path) -> io::Result<(PathBuf, Option<OsString>)> {
    let absolute = std::path::absolute(path)?;
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name))
            if !matches!(
                absolute.components().next_back(),
                Some(Component::ParentDir | Component::CurDir)
            ) =>
        {
            Ok((parent.to_path_buf(), Some(name.to_os_string())))
        }
        _ => Ok((absolute, None)),
    }
}

fn open_dir_nofollow(base: &Dir, name: impl AsRef<Path>) -> io::Result<Dir> {
    let name = name.as_ref();
    base.open_dir_nofollow(name).map_err(|e| {
        if e.kind() != io::ErrorKind::NotFound
            && base
                .symlink_metadata(name)
                .is_ok_and(|m| m.file_type().is_symlink())
        {
            link_error()
        } else {
            e
        }
    })
}

fn kind_of(file_type: cap_std::fs::FileType) -> Kind {
    if file_type.is_symlink() {
        Kind::Link
    } else if file_type.is_dir() {
        Kind::Folder
    } else if file_type.is_file() {
        Kind::File
    } else {
        Kind::Other
    }
}

/// 64 random bits from the standard library's randomly keyed hasher.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    hasher.finish()
}

#[cfg(unix)]
fn nonblocking(options: &mut OpenOptions) {
    use cap_std::fs::OpenOptionsExt;
    options.custom_flags(libc::O_NONBLOCK);
}

#[cfg(not(unix))]
fn nonblocking(_: &mut OpenOptions) {}

#[cfg(unix)]
fn private_mode(options: &mut OpenOptions, area: Area) {
    use cap_std::fs::OpenOptionsExt;
    if area == Area::Private {
        options.mode(0o600);
    }
}

#[cfg(not(unix))]
fn private_mode(_: &mut OpenOptions, _: Area) {}

#[cfg(unix)]
fn identity_of(dir: &Dir) -> io::Result<Identity> {
    use cap_std::fs::MetadataExt;
    let meta = dir.dir_metadata()?;
    Ok(Identity(meta.dev(), meta.ino()))
}

#[cfg(unix)]
fn lineage(dir: &Dir) -> io::Result<Vec<Identity>> {
    use std::os::fd::AsFd;
    let mut chain = vec![identity_of(dir)?];
    let mut current = rustix::fs::openat(
        dir.as_fd(),
        ".",
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )?;
    for _ in 0..4096 {
        let parent = rustix::fs::openat(
            &current,
            "..",
            rustix::fs::OFlags::RDONLY
                | rustix::fs::OFlags::DIRECTORY
                | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?;
        let stat = rustix::fs::fstat(&parent)?;
        let id = Identity(stat.st_dev, stat.st_ino);
        if chain.last() == Some(&id) {
            break;
        }
        chain.push(id);
        current = parent;
    }
    Ok(chain)
}

#[cfg(not(unix))]
fn identity_of(dir: &Dir) -> io::Result<Identity> {
    let _ = dir;
    Err(io::Error::other("folder identities are read on Unix only"))
}

#[cfg(not(unix))]
fn lineage(dir: &Dir) -> io::Result<Vec<Identity>> {
    Ok(vec![identity_of(dir)?])
}

/// Whether a file name is one of policyc's temporaries, and the process id
/// in it.
pub fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    rest.split('-').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, Folder) {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::open_root(dir.path(), Area::Project).unwrap();
        (dir, folder)
    }

    #[test]
    fn reads_and_writes_beneath_the_root() {
        let (_dir, root) = root();
        root.write_atomic("a/b/c.txt", b"hello").unwrap();
        assert_eq!(root.read("a/b/c.txt", Cap::Text).unwrap(), b"hello");
        assert_eq!(root.kind("a/b"), Some(Kind::Folder));
        let names: Vec<_> = root
            .list("a/b")
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["c.txt"], "no temporary is left behind");
    }

    #[test]
    fn parent_folders_and_absolute_paths_are_refused() {
        let (_dir, root) = root();
        assert!(matches!(
            root.read("../x", Cap::Text),
            Err(ReadFailure::Outside)
        ));
        assert!(matches!(
            root.read("/etc/passwd", Cap::Text),
            Err(ReadFailure::Outside)
        ));
        assert!(root.write_atomic("../x", b"no").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_refused_at_every_component() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir(outside.path().join("sub")).unwrap();
        std::fs::write(outside.path().join("sub/secret.txt"), "secret").unwrap();
        let (dir, root) = root();
        std::os::unix::fs::symlink(outside.path().join("sub"), dir.path().join("linked")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("sub/secret.txt"),
            dir.path().join("file"),
        )
        .unwrap();
        assert!(matches!(
            root.read("linked/secret.txt", Cap::Text),
            Err(ReadFailure::LinkedFolder)
        ));
        assert!(matches!(
            root.read("file", Cap::Text),
            Err(ReadFailure::Link)
        ));
        assert!(root.write_atomic("linked/new.txt", b"x").is_err());
        assert!(
            root.write_atomic("file", b"x").is_ok(),
            "the link itself is replaced"
        );
        assert_eq!(
            std::fs::read(outside.path().join("sub/secret.txt")).unwrap(),
            b"secret"
        );
        assert!(!outside.path().join("sub/new.txt").exists());
        assert!(root.open_lock("linked/lock").is_err());
        assert_eq!(root.kind("linked"), Some(Kind::Link));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let (dir, root) = root();
        let path = dir.path().join("pipe");
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(matches!(
            root.read("pipe", Cap::Text),
            Err(ReadFailure::NotAFile)
        ));
    }

    #[test]
    fn reads_are_capped() {
        let (_dir, root) = root();
        root.write_atomic("big", &vec![b'a'; 300 * 1024]).unwrap();
        assert!(matches!(
            root.read("big", Cap::Text),
            Err(ReadFailure::TooLarge(..))
        ));
        assert!(root.read("big", Cap::People).is_ok());
    }

    #[test]
    fn temporaries_carry_the_process_id_and_no_name() {
        let (_dir, root) = root();
        let temp = root
            .stage(Path::new("Ada Lovelace.pdf"), b"x", ".staged")
            .unwrap();
        let name = temp.file_name().unwrap().to_str().unwrap();
        assert!(!name.contains("Ada"));
        assert_eq!(temporary_pid(name), Some(std::process::id()));
    }

    #[cfg(unix)]
    #[test]
    fn lineage_sees_through_spelling() {
        let (dir, root) = root();
        let out = root.create_folder("out/school").unwrap();
        let again = Folder::open_root(&dir.path().join("nonexist/../out"), Area::Public);
        assert!(
            again.is_err()
                || again.unwrap().identity().unwrap()
                    == root.folder("out").unwrap().identity().unwrap()
        );
        assert!(out.is_within(&root.folder("out").unwrap()).unwrap());
        assert!(!root.folder("out").unwrap().is_within(&out).unwrap());
    }
}
