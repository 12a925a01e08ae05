//! policyc compiles school policies from a clause library and per-school
//! YAML into signature-ready PDF and accessible HTML.
//!
//! The pipeline runs load → check → resolve → render → write, one module per
//! stage; only `load` and `write` touch the disk, and `resolve` is pure.

// Diagnostics travel in `Result::Err` on the cold path of a build that has
// already failed; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod changes;
pub mod check;
pub mod cli;
pub mod commands;
pub mod dates;
pub mod diag;
pub mod explain;
pub mod frontmatter;
pub mod ids;
pub mod incremental;
pub mod inherit;
pub mod init;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod model;
pub mod numbering;
pub mod readability;
pub mod render;
pub mod render_html;
pub mod render_pdf;
pub mod resolve;
pub mod templates;
pub mod watch;
pub mod write;

use std::io::{IsTerminal, Write};

use cli::{Cli, Command};

/// The typst version built into this binary.
pub const TYPST_VERSION: &str = env!("POLICYC_TYPST_VERSION");

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: the project has errors (or warnings under `--deny-warnings`).
pub const EXIT_PROJECT: i32 = 1;
/// Exit status: outputs could not be written, or another failure outside the project.
pub const EXIT_FAILURE: i32 = 3;

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> i32 {
    // Every stage may run on rayon's workers; typst needs deep stacks.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(commands::WORKER_STACK)
        .build_global();
    let result = match cli.command {
        Command::Build(args) => commands::build(&args),
        Command::Check(args) => commands::check(&args),
        Command::List(args) => commands::list(&args),
        Command::Explain(args) => commands::explain(&args),
        Command::Changes(args) => commands::changes(&args),
        Command::Init(args) => commands::init(&args),
        Command::Watch(args) => commands::watch(&args),
        Command::Completions { shell } => commands::completions(shell),
        Command::Man => commands::man(),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            EXIT_FAILURE
        }
    }
}

/// Whether to colour stderr: a terminal, and `NO_COLOR` unset.
pub fn use_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}
