//! `policyc changes`: what changed since a published pack, and who must
//! sign again; with `--write`, a summary page in each pack.

use std::io::Write;

use anyhow::Result;

use crate::cli::{ChangesArgs, ReportFormat};
use crate::cmd::explain::resolved_or_report;
use crate::cmd::print_diagnostics;
use crate::diag::printable_lines;
use crate::diag::{Diagnostic, Diagnostics, EXIT_CHANGED, EXIT_OK, EXIT_PROJECT};
use crate::output::{read_baseline, records::current_manifest};
use crate::pipeline::{editorial_marks, write_changes};
use crate::report::changes::{compare, ChangeStatus};
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
                Diagnostic::error("baseline-unreadable", "--baseline", format!("{err:#}"))
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
        let (written, removed) = write_changes(&resolved, &report, &out, &waiting, &mut diags)?;
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
