//! `policyc init`: a new project that builds straight away.
//!
//! A new project gets its own copy of the bundled clause library and
//! policy, not a reference to them. A signed agreement is a record the
//! school must be able to reproduce years later, so its wording has to live
//! in the school's own repository and change only when the school changes
//! it. Upgrading policyc then never rewrites a policy silently: new library
//! wording arrives as a reviewable diff, and `policyc changes` says who
//! must sign again.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::InitArgs;
use crate::diag::EXIT_OK;
use crate::load::bundled::starter_files;
use crate::output::write_new_project;

/// The starting school file, with every field explained.
const SCHOOL_YAML: &str = include_str!("init/school.yaml");
/// The starting trust defaults file.
const TRUST_YAML: &str = include_str!("init/trust.yaml");
/// A school file that stands alone, for a project without a trust.
const STANDALONE_YAML: &str = include_str!("init/standalone.yaml");
/// Example local clauses.
const LOCAL_CLAUSE: &str = include_str!("init/local-clause.md");
/// The project settings file.
const POLICYC_YAML: &str = include_str!("init/policyc.yaml");

/// `policyc init`.
pub fn init(args: &InitArgs) -> Result<i32> {
    let files = write_project(&args.dir, args.trust)?;
    let mut out = std::io::stdout();
    writeln!(
        out,
        "created a policyc project in {} ({} files)",
        args.dir.display(),
        files.len()
    )?;
    writeln!(out, "next:\n  cd {}\n  policyc check      # lists the TODO values to fill in\n  policyc build      # builds out/ straight away", args.dir.display())?;
    Ok(EXIT_OK)
}

/// Writes a new project into `dir`, which must be empty or absent. With
/// `trust`, the school extends a trust defaults file. Returns the files
/// written, relative to `dir`.
pub fn write_project(dir: &Path, trust: bool) -> Result<Vec<PathBuf>> {
    let mut files = starter_files();
    files.push(("policyc.yaml".into(), POLICYC_YAML.into()));
    let school = if trust {
        files.push(("schools/_trust.yaml".into(), TRUST_YAML.into()));
        SCHOOL_YAML
    } else {
        STANDALONE_YAML
    };
    files.push(("schools/my-school.yaml".into(), school.into()));
    files.push((
        "schools/my-school/clauses/my-school-visitor-lanyards.md".into(),
        LOCAL_CLAUSE.into(),
    ));
    files.push((".gitignore".into(), b"/out\n".to_vec()));
    write_new_project(dir, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
