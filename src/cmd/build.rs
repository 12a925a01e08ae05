//! `policyc build`, `policyc watch` and `policyc merge`: run the pipeline
//! and print what it wrote, with a progress bar on a terminal and a JSON summary for CI.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use crate::cli::{BuildArgs, MergeArgs, MergeFormat, OutputFormat};
use crate::cmd::watch;
use crate::cmd::{
    abort_on_timeout, pdf_standards, print_diagnostics, source_date_epoch, thread_pool,
};
use crate::diag::{Diagnostic, Diagnostics, ProjectHasErrors, EXIT_OK, EXIT_PROJECT};
use crate::model::build::{Standards, Summary};
use crate::pipeline::merge::MergeOptions;
use crate::pipeline::{self, BuildHooks, BuildOptions};

/// `policyc build`.
pub fn build(args: &BuildArgs) -> Result<i32> {
    thread_pool(args.jobs)?.install(|| build_once(args))
}

/// The build options a command line (and the environment) asks for.
fn build_options(args: &BuildArgs, standards: Standards) -> Result<BuildOptions, Diagnostic> {
    let project = args.project.project.clone();
    let documents_listed = args.format.iter().any(|f| *f != OutputFormat::Json);
    let wants = |f| !documents_listed || args.format.contains(&f);
    Ok(BuildOptions {
        timestamp: source_date_epoch()?,
        out: args.out.clone().unwrap_or_else(|| project.join("out")),
        project,
        schools: args.schools.clone(),
        audiences: args.audiences.clone(),
        pdf: wants(OutputFormat::Pdf),
        html: wants(OutputFormat::Html),
        standards,
        force: args.force,
        shard: args.shard,
    })
}

/// One build, printed.
fn build_once(args: &BuildArgs) -> Result<i32> {
    let standards = match pdf_standards(&args.pdf_standard) {
        Ok(standards) => standards,
        Err(code) => return Ok(code),
    };
    let opts = match build_options(args, standards) {
        Ok(opts) => opts,
        Err(d) => {
            let mut diags = Diagnostics::default();
            diags.push(d);
            print_diagnostics(&diags);
            let _ = writeln!(std::io::stderr(), "{}", ProjectHasErrors { errors: 1 });
            return Ok(EXIT_PROJECT);
        }
    };
    let json = args.format.contains(&OutputFormat::Json);
    let quiet = args.quiet || json;
    run_printed(&opts.out, json, quiet, |hooks| {
        pipeline::build(&opts, hooks)
    })
}

/// `policyc merge`: the shards' output folders assembled into one, printed
/// as a build is.
pub fn merge(args: &MergeArgs) -> Result<i32> {
    let project = args.project.project.clone();
    let opts = MergeOptions {
        out: args.out.clone().unwrap_or_else(|| project.join("out")),
        project,
        shards: args.shards.clone(),
    };
    let json = args.format == MergeFormat::Json;
    thread_pool(None)?.install(|| {
        run_printed(&opts.out, json, args.quiet || json, |hooks| {
            pipeline::merge::merge(&opts, hooks)
        })
    })
}

/// Runs a build (or a merge, which ends in one) into `out` and prints what
/// it wrote, its problems and its summary, or with `json` the summary as
/// JSON. Returns the exit status.
fn run_printed(
    out: &std::path::Path,
    json: bool,
    quiet: bool,
    run: impl FnOnce(BuildHooks<'_>) -> Result<pipeline::Outcome>,
) -> Result<i32> {
    let bar = progress_bar(quiet);
    let mut stdout = std::io::stdout();
    let mut sink = std::io::sink();
    let log: &mut (dyn Write + Send) = if quiet { &mut sink } else { &mut stdout };
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let waiting = |pid: Option<u32>| {
        let holder = pid.map(|p| format!(" (process {p})")).unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "waiting for another policyc build{holder} to finish with {}",
            out.display()
        );
    };
    let hooks = BuildHooks {
        log,
        progress: &progress,
        abort: abort_on_timeout(),
        waiting: &waiting,
    };
    let outcome = run(hooks)?;
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
            "booklets": summary.booklets,
            "booklets_built": summary.booklets_built,
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
        let _ = writeln!(std::io::stderr(), "{}", ProjectHasErrors { errors });
        return Ok(EXIT_PROJECT);
    };
    if !json {
        writeln!(std::io::stdout(), "{}", summary_line(&summary))?;
    }
    Ok(EXIT_OK)
}

/// The last line of a build.
fn summary_line(s: &Summary) -> String {
    if s.up_to_date {
        return format!(
            "up to date: {} document{}, nothing changed ({:.0} ms)",
            s.documents,
            if s.documents == 1 { "" } else { "s" },
            s.total_ms
        );
    }
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let documents = if s.documents == 1 {
        "document"
    } else {
        "documents"
    };
    let booklets = match s.booklets {
        0 => String::new(),
        1 => format!(" and {} of 1 booklet", s.booklets_built),
        n => format!(" and {} of {n} booklets", s.booklets_built),
    };
    format!(
        "built {} of {} {documents} ({} up to date){booklets}: {} {} written, {} unchanged, in {:.0} ms ({:.1} ms per PDF)",
        s.built,
        s.documents,
        s.skipped,
        s.written,
        files(s.written),
        s.unchanged,
        s.total_ms,
        s.ms_per_pdf
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

/// `policyc watch`.
pub fn watch(args: &BuildArgs) -> Result<i32> {
    let pool = thread_pool(args.jobs)?;
    let first = pool.install(|| build_once(args))?;
    let project = args.project.project.clone();
    if crate::sealed::given_kind(&project) != Some(crate::sealed::Kind::Folder) {
        // No project to watch: the first build has said so, with its code.
        return Ok(first);
    }
    let out = args.out.clone().unwrap_or_else(|| project.join("out"));
    writeln!(
        std::io::stderr(),
        "watching {} for changes (Ctrl-C to stop)",
        project.display()
    )?;
    watch::watch(&project, &out, |changed| {
        let _ = writeln!(std::io::stderr(), "changed: {}", changed.join(", "));
        if let Err(err) = pool.install(|| build_once(args)) {
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
        }
    })?;
    Ok(EXIT_OK)
}
