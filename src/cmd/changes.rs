//! `policyc changes`: what changed since a published pack, and who must
//! sign again; with `--write`, a summary page in each pack.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::{ChangesArgs, ReportFormat};
use crate::cmd::explain::resolved_or_report;
use crate::cmd::print_diagnostics;
use crate::diag::printable_lines;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, EXIT_CHANGED, EXIT_OK, EXIT_PROJECT};
use crate::model::project::Resolved;
use crate::output::{read_baseline, records::current_manifest};
use crate::pipeline::write_changes;
use crate::report::changes::editorial_marks;
use crate::report::changes::{compare, ChangeStatus, StaleMark, StaleWhy};
use crate::report::changes_text::render_text;

/// `policyc changes`.
pub fn changes(args: &ChangesArgs) -> Result<i32> {
    let Some(resolved) = resolved_or_report(&args.project.project) else {
        return Ok(EXIT_PROJECT);
    };
    let baseline = match read_baseline(&args.baseline) {
        Ok(baseline) => baseline,
        Err(err) => {
            // A baseline that is missing or not a manifest is an input to
            // fix, like any project file: exit 1, not a failure of policyc.
            let mut diags = Diagnostics::default();
            diags.push(
                Diagnostic::error(Code::BaselineUnreadable, "--baseline", format!("{err:#}"))
                    .with_hint("give --baseline the manifest.json of a published pack, or the folder that holds it (see published/)"),
            );
            print_diagnostics(&diags);
            return Ok(EXIT_PROJECT);
        }
    };
    let report = compare(
        &baseline,
        &current_manifest(&resolved),
        &editorial_marks(&resolved),
    );
    let mut warnings = Diagnostics::default();
    for mark in &report.stale_marks {
        warnings.push(stale_mark(&resolved, mark, &args.baseline));
    }
    print_diagnostics(&warnings);
    match args.format {
        ReportFormat::Json => writeln!(
            std::io::stdout(),
            "{}",
            serde_json::to_string_pretty(&report)?
        )?,
        // The baseline comes from outside (published/ is committed): its
        // strings are shown, never obeyed, by the terminal.
        ReportFormat::Human => write!(
            std::io::stdout(),
            "{}",
            printable_lines(&render_text(&report))
        )?,
    }
    if args.write {
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| args.project.project.join("out"));
        let mut diags = Diagnostics::default();
        let waiting = |pid: Option<u32>| {
            let holder = pid.map(|p| format!(" (process {p})")).unwrap_or_default();
            let _ = writeln!(
                std::io::stderr(),
                "waiting for a policyc build{holder} to finish with {}",
                out.display()
            );
        };
        let baseline = args.baseline.display().to_string();
        let (written, removed) =
            write_changes(&resolved, &report, &baseline, &out, &waiting, &mut diags)?;
        if diags.has_errors() {
            print_diagnostics(&diags);
            return Ok(EXIT_PROJECT);
        }
        for path in written {
            writeln!(std::io::stderr(), "  wrote {path}")?;
        }
        for path in removed {
            writeln!(
                std::io::stderr(),
                "  removed {path} (no change since the baseline)"
            )?;
        }
    }
    let changed = report
        .documents
        .iter()
        .any(|d| d.status != ChangeStatus::Unchanged);
    Ok(if args.exit_code && changed {
        EXIT_CHANGED
    } else {
        EXIT_OK
    })
}

/// The warning for an editorial mark that no longer matches its clause's
/// change: it is ignored, so the documents it is in must be signed again.
fn stale_mark(resolved: &Resolved, mark: &StaleMark, baseline: &Path) -> Diagnostic {
    let since = baseline.display();
    let (message, hint) = match mark.why {
        StaleWhy::Unchanged => (
            format!("clause `{}` is marked editorial, but it reads as it did in {since}: the mark is left from an edit already published", mark.id),
            "remove the `editorial:` mark; mark an edit only until the pack that has it is published",
        ),
        StaleWhy::Outgrown => (
            format!("clause `{}` is marked editorial, but it has changed since {since} by more than the marked edits, so the mark is ignored and its documents must be signed again", mark.id),
            "if the other changes are editorial too, list each under `fixes:`; otherwise remove the mark",
        ),
    };
    Diagnostic::warning(Code::EditorialStale, &mark.file, message)
        .at_key(resolved.project.source(&mark.file), "editorial")
        .with_hint(hint)
}
