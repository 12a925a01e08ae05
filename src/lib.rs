//! policyc compiles school policies from a clause library and per-school
//! YAML into signature-ready PDF and accessible HTML.
//!
//! The pipeline runs load → check → resolve → render → write, one module per
//! stage; only `load` and `write` touch the disk, and `resolve` is pure.

// Diagnostics travel in `Result::Err` on the cold path of a build that has
// already failed; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod cli;
pub mod dates;
pub mod diag;
pub mod frontmatter;
pub mod ids;
pub mod incremental;
pub mod inherit;
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
pub mod write;

use std::io::{IsTerminal, Write};

use cli::{BuildArgs, CheckArgs, Cli, Command, OutputFormat, PdfStandardArg, ReportFormat};
use diag::{Diagnostics, Severity};
use render_pdf::Standards;

/// The typst version built into this binary.
pub const TYPST_VERSION: &str = "0.15.1";

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: the project has errors (or warnings under `--deny-warnings`).
pub const EXIT_PROJECT: i32 = 1;
/// Exit status: outputs could not be written, or another failure outside the project.
pub const EXIT_FAILURE: i32 = 3;

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Build(args) => run_build(&args),
        Command::Check(args) => run_check(&args),
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

/// Prints diagnostics to stderr, then a count line.
fn print_diagnostics(diags: &Diagnostics) {
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

fn count_line(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn run_build(args: &BuildArgs) -> anyhow::Result<i32> {
    let project = args.project.project.clone();
    let standards = Standards {
        archival: args.pdf_standard.contains(&PdfStandardArg::A2b),
        accessible: args.pdf_standard.contains(&PdfStandardArg::Ua1),
    };
    let json = args.format.contains(&OutputFormat::Json);
    let documents_listed = args.format.iter().any(|f| *f != OutputFormat::Json);
    let wants = |f| !documents_listed || args.format.contains(&f);
    let opts = build::BuildOptions {
        out: args.out.clone().unwrap_or_else(|| project.join("out")),
        project,
        schools: args.schools.clone(),
        audiences: args.audiences.clone(),
        pdf: wants(OutputFormat::Pdf),
        html: wants(OutputFormat::Html),
        standards,
        force: args.force,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()?;
    let quiet = args.quiet || json;
    let bar = progress_bar(quiet);
    let mut stdout = std::io::stdout();
    let mut sink = std::io::sink();
    let log: &mut (dyn Write + Send) = if quiet { &mut sink } else { &mut stdout };
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let outcome = pool.install(|| build::build(&opts, log, &progress))?;
    bar.finish_and_clear();
    print_diagnostics(&outcome.diags);
    let (errors, warnings) = outcome.diags.counts();
    if json {
        let summary = outcome.summary.clone().unwrap_or_default();
        let report = serde_json::json!({
            "ok": outcome.summary.is_some(),
            "documents": summary.documents,
            "built": summary.built,
            "skipped": summary.skipped,
            "failed": if outcome.summary.is_some() { 0 } else { summary.documents.max(1) },
            "errors": errors,
            "warnings": warnings,
            "files_written": summary.written,
            "files_unchanged": summary.unchanged,
            "total_ms": summary.total_ms,
            "ms_per_pdf": summary.ms_per_pdf,
        });
        writeln!(
            std::io::stdout(),
            "{}",
            serde_json::to_string_pretty(&report)?
        )?;
    }
    let Some(summary) = outcome.summary else {
        let _ = writeln!(std::io::stderr(), "{}", diag::ProjectHasErrors { errors });
        return Ok(EXIT_PROJECT);
    };
    if !json {
        writeln!(std::io::stdout(), "{}", summary_line(&summary))?;
    }
    Ok(EXIT_OK)
}

fn summary_line(s: &build::Summary) -> String {
    if s.up_to_date {
        return format!(
            "up to date: {} documents, nothing changed ({:.0} ms)",
            s.documents, s.total_ms
        );
    }
    format!(
        "built {} of {} documents ({} up to date): {} files written, {} unchanged, in {:.0} ms ({:.1} ms per PDF)",
        s.built, s.documents, s.skipped, s.written, s.unchanged, s.total_ms, s.ms_per_pdf
    )
}

/// A progress bar on a terminal; hidden otherwise or when quiet.
fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} documents")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

fn run_check(args: &CheckArgs) -> anyhow::Result<i32> {
    let (resolved, mut diags) = build::prepare(&args.project.project, &[], &[]);
    if let Some(resolved) = &resolved {
        let options = render::RenderOptions {
            pdf: true,
            html: true,
            standards: Standards::ALL,
        };
        if let Err(problems) = render::render_all(resolved, options, &|_| true, &|_| {}) {
            diags.extend(problems);
        }
    }
    let (errors, warnings) = diags.counts();
    match args.format {
        ReportFormat::Json => {
            let items = diags.sorted();
            writeln!(
                std::io::stdout(),
                "{}",
                serde_json::to_string_pretty(&items)?
            )?;
        }
        ReportFormat::Human => {
            print_diagnostics(&diags);
            if errors == 0 {
                let docs: usize = resolved
                    .iter()
                    .flat_map(|r| r.schools.iter())
                    .map(|s| s.documents.len())
                    .sum();
                writeln!(
                    std::io::stdout(),
                    "ok: {docs} documents, {}",
                    count_line(errors, warnings)
                )?;
            }
        }
    }
    let failed = errors > 0
        || (args.deny_warnings
            && diags
                .sorted()
                .iter()
                .any(|d| d.severity == Severity::Warning));
    Ok(if failed { EXIT_PROJECT } else { EXIT_OK })
}
