//! The clause library built into this binary: the clauses, the policy and
//! the modules file that `policyc init` copies into a new project and
//! `policyc upgrade-library` compares a project with.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

/// The bundled clause library.
static CLAUSES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/clauses");
/// The bundled policy definitions.
static POLICIES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/policies");
/// The opt-in modules of the bundled library.
const MODULES_YAML: &str = include_str!("../../modules.yaml");

/// The clause files and `modules.yaml`, as (project-relative path, bytes):
/// what a library upgrade replaces.
pub fn library_files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    embedded(&CLAUSES, Path::new("clauses"), &mut files);
    files.push(("modules.yaml".into(), MODULES_YAML.into()));
    files
}

/// The library and the bundled policy: what a new project starts with.
pub fn starter_files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = library_files();
    embedded(&POLICIES, Path::new("policies"), &mut files);
    files
}

fn embedded(dir: &Dir<'_>, prefix: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for file in dir.files() {
        out.push((prefix.join(file.path()), file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        embedded(sub, prefix, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_holds_clauses_and_modules_and_the_starter_a_policy() {
        let library = library_files();
        assert!(
            library
                .iter()
                .filter(|(p, _)| p.starts_with("clauses"))
                .count()
                > 100
        );
        assert!(library.iter().any(|(p, _)| p == Path::new("modules.yaml")));
        let starter = starter_files();
        assert!(starter
            .iter()
            .any(|(p, _)| p == Path::new("policies/aup.yaml")));
    }
}
