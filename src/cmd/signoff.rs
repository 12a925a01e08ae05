//! `policyc signoff status`: who has signed which version, from the
//! rosters and ledgers in `people/`.

use std::io::Write;

use anyhow::Result;

use crate::check::messages::unknown_school;
use crate::cli::{SignoffCommand, SignoffFormat, SignoffStatusArgs};
use crate::cmd::explain::resolved_or_report;
use crate::cmd::print_diagnostics;
use crate::diag::{Diagnostic, Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::pipeline::signoff::{sign_off_report, SignOffFilter};
use crate::report::signoff_text::{render_csv, render_text};

/// `policyc signoff …`.
pub fn signoff(command: &SignoffCommand) -> Result<i32> {
    match command {
        SignoffCommand::Status(args) => status(args),
    }
}

fn status(args: &SignoffStatusArgs) -> Result<i32> {
    let Some(resolved) = resolved_or_report(&args.project.project) else {
        return Ok(EXIT_PROJECT);
    };
    let mut diags = Diagnostics::default();
    let ids: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
    for school in args.schools.iter().filter(|s| !ids.contains(&s.as_str())) {
        diags.push(unknown_school(school, &ids));
    }
    let audiences: Vec<&str> = resolved
        .project
        .audiences
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    for audience in args
        .audiences
        .iter()
        .filter(|a| !audiences.contains(&a.as_str()))
    {
        diags.push(
            Diagnostic::error(
                "unknown-audience",
                "--audience",
                format!("there is no audience `{audience}`"),
            )
            .with_hint(format!("the audiences are: {}", audiences.join(", "))),
        );
    }
    let filter = SignOffFilter {
        schools: args.schools.clone(),
        audiences: args.audiences.clone(),
        class: args.class.clone(),
    };
    let report = if diags.has_errors() {
        None
    } else {
        Some(sign_off_report(&resolved, &filter, args.names, &mut diags))
    };
    print_diagnostics(&diags);
    let Some(report) = report.filter(|_| !diags.has_errors()) else {
        return Ok(EXIT_PROJECT);
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        SignoffFormat::Human => write!(stdout, "{}", render_text(&report))?,
        SignoffFormat::Csv => write!(stdout, "{}", render_csv(&report, args.names))?,
        SignoffFormat::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&report)?)?,
    }
    let outstanding: usize = report
        .schools
        .iter()
        .flat_map(|s| &s.documents)
        .map(|d| d.outstanding())
        .sum();
    if args.deny_outstanding && outstanding > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "{outstanding} signature{} outstanding",
            if outstanding == 1 { "" } else { "s" }
        );
        return Ok(EXIT_PROJECT);
    }
    Ok(EXIT_OK)
}
