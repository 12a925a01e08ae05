//! The commands: one file per subcommand. Each takes its parsed arguments
//! (clap has done the parsing), runs the pipeline or a stage or two, and
//! prints: problems to stderr, results to stdout. Only this floor decides
//! exit codes and ends the process.

pub mod build;
pub mod changes;
pub mod check;
pub mod consent;
pub mod explain;
pub mod init;
pub mod list;
pub mod publish;
pub mod shell;
pub mod signoff;
pub mod upgrade;
pub mod watch;

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;

use crate::cli::{Cli, Command, PdfStandardArg};
use crate::diag::Code;
use crate::diag::{use_colour, Diagnostic, Diagnostics, EXIT_FAILURE, EXIT_PROJECT, EXIT_USAGE};
use crate::model::build::Standards;
use crate::render::pool::OnTimeout;
use crate::render::pool::WORKER_STACK;

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> i32 {
    // Every stage may run on rayon's workers; typst needs deep stacks.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build_global();
    let result = match cli.command {
        Command::Build(args) => build::build(&args),
        Command::Check(args) => check::check(&args),
        Command::List(args) => list::list(&args),
        Command::Explain(args) => explain::explain(&args),
        Command::Changes(args) => changes::changes(&args),
        Command::Publish(args) => publish::publish(&args),
        Command::Merge(args) => build::merge(&args),
        Command::Init(args) => init::init(&args),
        Command::Watch(args) => build::watch(&args),
        Command::Completions { shell, project } => shell::completions(shell, &project),
        Command::Man(args) => shell::man(&args),
        Command::UpgradeLibrary(args) => upgrade::upgrade_library(&args),
        Command::Signoff(command) => signoff::signoff(&command),
        Command::Consent(command) => consent::consent(&command),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            EXIT_FAILURE
        }
    }
}

/// Prints diagnostics to stderr, then a count line.
pub fn print_diagnostics(diags: &Diagnostics) {
    let colour = use_colour();
    let mut err = std::io::stderr().lock();
    for d in diags.sorted() {
        let _ = writeln!(err, "{}", d.render(colour));
    }
    let (errors, warnings) = diags.counts();
    if errors + warnings > 0 {
        let _ = writeln!(err, "{}", count_line(errors, warnings));
    }
}

/// "1 error, 2 warnings".
pub fn count_line(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The worker threads: `jobs` of them (0 or none: one per core), each with
/// a stack deep enough for typst's layout of long documents.
pub fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .stack_size(WORKER_STACK)
        .build()?;
    Ok(pool)
}

/// `SOURCE_DATE_EPOCH`, the PDFs' creation time for reproducible builds:
/// `None` when unset; a value that is not a time is an error, never
/// silently ignored.
pub fn source_date_epoch() -> Result<Option<i64>, Diagnostic> {
    let Ok(text) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    // From 1970 to the last second of the year 9999, as PDF dates allow.
    match text.trim().parse::<i64>() {
        Ok(seconds) if (0..=253_402_300_799).contains(&seconds) => Ok(Some(seconds)),
        _ => Err(Diagnostic::error(
            Code::BadEnv,
            "SOURCE_DATE_EPOCH",
            format!("`SOURCE_DATE_EPOCH` is `{text}`, which is not a number of seconds since 1 January 1970"),
        )
        .with_hint("unset it, or set it to a time such as 1788220800 (1 September 2026)")),
    }
}

/// The PDF standards `--pdf-standard` asks for, the same for every command
/// that writes PDFs. `none` combined with a standard is a usage error,
/// reported here; the exit code to end with is returned.
pub fn pdf_standards(asked: &[PdfStandardArg]) -> Result<Standards, i32> {
    if asked.len() > 1 && asked.contains(&PdfStandardArg::None) {
        let _ = writeln!(
            std::io::stderr(),
            "error: `--pdf-standard none` cannot be combined with a standard: give `none` alone, or `a-2b`, `ua-1` or `a-2b,ua-1`"
        );
        return Err(EXIT_USAGE);
    }
    Ok(Standards {
        archival: asked.contains(&PdfStandardArg::A2b),
        accessible: asked.contains(&PdfStandardArg::Ua1),
    })
}

/// What a command does when a layout runs away: report the problem and
/// end the process, since typst cannot be interrupted. Nothing has been
/// written by then.
pub fn abort_on_timeout() -> OnTimeout {
    Arc::new(|d: &Diagnostic| {
        eprintln!(
            "{}\n1 error, 0 warnings\nthe project has 1 error; nothing was written",
            d.render(use_colour())
        );
        std::process::exit(EXIT_PROJECT);
    })
}
