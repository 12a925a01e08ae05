//! The subcommands: each parses nothing (clap has), runs a stage or two of
//! the library and prints the result. Errors go to stderr, results to stdout.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Result};
use clap::CommandFactory;

use crate::cli::{
    BuildArgs, ChangesArgs, CheckArgs, Cli, ExplainArgs, InitArgs, ListArgs, ListWhat,
    OutputFormat, PdfStandardArg, ReportFormat,
};
use crate::diag::{Diagnostics, Severity};
use crate::render_pdf::Standards;
use crate::{use_colour, EXIT_OK, EXIT_PROJECT};

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

fn count_line(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// `policyc build`.
pub fn build(args: &BuildArgs) -> anyhow::Result<i32> {
    thread_pool(args.jobs)?.install(|| build_once(args))
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

/// Stack size of a worker thread: typst recurses deeply on long documents.
pub const WORKER_STACK: usize = 64 << 20;

/// The build options a command line asks for.
fn build_options(args: &BuildArgs) -> crate::build::BuildOptions {
    let project = args.project.project.clone();
    let standards = Standards {
        archival: args.pdf_standard.contains(&PdfStandardArg::A2b),
        accessible: args.pdf_standard.contains(&PdfStandardArg::Ua1),
    };
    let documents_listed = args.format.iter().any(|f| *f != OutputFormat::Json);
    let wants = |f| !documents_listed || args.format.contains(&f);
    crate::build::BuildOptions {
        out: args.out.clone().unwrap_or_else(|| project.join("out")),
        project,
        schools: args.schools.clone(),
        audiences: args.audiences.clone(),
        pdf: wants(OutputFormat::Pdf),
        html: wants(OutputFormat::Html),
        standards,
        force: args.force,
    }
}

/// One build, printed.
fn build_once(args: &BuildArgs) -> anyhow::Result<i32> {
    let opts = build_options(args);
    let json = args.format.contains(&OutputFormat::Json);
    let quiet = args.quiet || json;
    let bar = progress_bar(quiet);
    let mut stdout = std::io::stdout();
    let mut sink = std::io::sink();
    let log: &mut (dyn Write + Send) = if quiet { &mut sink } else { &mut stdout };
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let outcome = crate::build::build(&opts, log, &progress)?;
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
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::diag::ProjectHasErrors { errors }
        );
        return Ok(EXIT_PROJECT);
    };
    if !json {
        writeln!(std::io::stdout(), "{}", summary_line(&summary))?;
    }
    Ok(EXIT_OK)
}

fn summary_line(s: &crate::build::Summary) -> String {
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

/// `policyc check`.
pub fn check(args: &CheckArgs) -> anyhow::Result<i32> {
    let (resolved, mut diags) = crate::build::prepare(&args.project.project, &[], &[]);
    if let Some(resolved) = &resolved {
        let options = crate::render::RenderOptions {
            pdf: true,
            html: true,
            standards: Standards::ALL,
        };
        if let Err(problems) = crate::render::render_all(
            resolved,
            options,
            &|_| true,
            &crate::render::discard,
            &|_| {},
        ) {
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

/// Loads and checks a project, printing its problems; `None` if it has errors.
fn resolved_or_report(project: &Path) -> Option<crate::build::Resolved> {
    let (resolved, diags) = crate::build::prepare(project, &[], &[]);
    if resolved.is_none() {
        print_diagnostics(&diags);
    }
    resolved
}

/// `policyc list`.
pub fn list(args: &ListArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let project = crate::load::load_project(&args.project.project, &mut diags);
    if diags.has_errors() {
        print_diagnostics(&diags);
        return Ok(EXIT_PROJECT);
    }
    let text = match args.what {
        ListWhat::Clauses => {
            crate::explain::list_clauses(&project, args.audience.as_deref(), args.tag.as_deref())
        }
        ListWhat::Schools => crate::explain::list_schools(&project),
        ListWhat::Audiences => crate::explain::list_audiences(&project),
    };
    write!(std::io::stdout(), "{text}")?;
    Ok(EXIT_OK)
}

/// `policyc explain`.
pub fn explain(args: &ExplainArgs) -> Result<i32> {
    let Some(resolved) = resolved_or_report(&args.project.project) else {
        return Ok(EXIT_PROJECT);
    };
    let Some(index) = resolved.schools.iter().position(|s| s.id == args.school) else {
        let ids = resolved.schools.iter().map(|s| s.id.as_str());
        let hint = crate::diag::suggestion(&args.school, ids).unwrap_or_default();
        bail!("there is no school `{}`; {hint}", args.school);
    };
    let school = &resolved.schools[index];
    let text = if args.diff_trust {
        let Some(source) = resolved
            .project
            .schools
            .iter()
            .find(|s| s.id == args.school)
        else {
            bail!("school vanished")
        };
        crate::explain::diff_trust(source, school)
    } else {
        let audience = args.audience.clone().unwrap_or_default();
        match crate::explain::find_document(
            &resolved,
            &args.school,
            args.policy.as_deref(),
            &audience,
        ) {
            Some((_, doc)) => crate::explain::explain_document(
                doc,
                school.files.first().map_or("", String::as_str),
            ),
            None => {
                let have: Vec<&str> = school
                    .documents
                    .iter()
                    .map(|d| d.audience_id.as_str())
                    .collect();
                bail!(
                    "school `{}` has no `{audience}` document; it has {}",
                    args.school,
                    have.join(", ")
                )
            }
        }
    };
    write!(std::io::stdout(), "{text}")?;
    Ok(EXIT_OK)
}

/// `policyc changes`.
pub fn changes(args: &ChangesArgs) -> Result<i32> {
    let baseline_path = if args.baseline.is_dir() {
        args.baseline.join("manifest.json")
    } else {
        args.baseline.clone()
    };
    if !baseline_path.is_file() {
        bail!("no baseline manifest at {}; give a manifest.json or the output folder of a published build", baseline_path.display());
    }
    let baseline = crate::manifest::Manifest::read(&baseline_path)?;
    let Some(resolved) = resolved_or_report(&args.project.project) else {
        return Ok(EXIT_PROJECT);
    };
    let current = crate::write::current_manifest(&resolved);
    let report = crate::changes::compare(&baseline, &current);
    match args.format {
        ReportFormat::Json => writeln!(
            std::io::stdout(),
            "{}",
            serde_json::to_string_pretty(&report)?
        )?,
        ReportFormat::Human => write!(
            std::io::stdout(),
            "{}",
            crate::changes::render_text(&report)
        )?,
    }
    if args.write {
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| args.project.project.join("out"));
        for path in crate::write::write_changes(&resolved, &report, &out)? {
            writeln!(std::io::stderr(), "  wrote {path}")?;
        }
    }
    Ok(EXIT_OK)
}

/// `policyc init`.
pub fn init(args: &InitArgs) -> Result<i32> {
    let files = crate::init::init(&args.dir, args.trust)?;
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

/// `policyc watch`.
pub fn watch(args: &BuildArgs) -> Result<i32> {
    let pool = thread_pool(args.jobs)?;
    pool.install(|| build_once(args))?;
    let opts = build_options(args);
    let _ = std::fs::create_dir_all(&opts.out);
    let root = opts
        .project
        .canonicalize()
        .unwrap_or_else(|_| opts.project.clone());
    writeln!(
        std::io::stderr(),
        "watching {} for changes (Ctrl-C to stop)",
        opts.project.display()
    )?;
    crate::watch::watch(&root, &opts.out, |changed| {
        let names: Vec<String> = changed
            .iter()
            .map(|p| crate::diag::relative(&root, p))
            .collect();
        let _ = writeln!(std::io::stderr(), "changed: {}", names.join(", "));
        if let Err(err) = pool.install(|| build_once(args)) {
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
        }
    })?;
    Ok(EXIT_OK)
}

/// `policyc completions`.
pub fn completions(shell: clap_complete::Shell) -> Result<i32> {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "policyc",
        &mut std::io::stdout(),
    );
    Ok(EXIT_OK)
}

/// `policyc man`.
pub fn man() -> Result<i32> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
    Ok(EXIT_OK)
}
