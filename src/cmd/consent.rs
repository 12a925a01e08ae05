//! `policyc consent status` and `consent list`: who has consented to what,
//! from the rosters and consent ledgers in `people/`, and the class lists
//! a teacher takes on a trip.

use std::io::Write;

use anyhow::Result;

use crate::check::messages::unknown_school;
use crate::cli::{
    ConsentCommand, ConsentFormat, ConsentListArgs, ConsentSelect, ConsentStatusArgs,
};
use crate::cmd::explain::resolved_or_report;
use crate::cmd::signoff::{write_report, PrivateTarget};
use crate::cmd::{abort_on_timeout, print_diagnostics};
use crate::diag::{Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::model::project::Resolved;
use crate::pipeline::consent::{consent_list_pdfs, consent_report, ConsentFilter};
use crate::report::consent::{render_consent_csv, render_consent_text};

/// `policyc consent …`.
pub fn consent(command: &ConsentCommand) -> Result<i32> {
    match command {
        ConsentCommand::Status(args) => status(args),
        ConsentCommand::List(args) => list(args),
    }
}

/// The project resolved and the schools named checked, with the filter,
/// or `None` with the problem printed.
fn selected(select: &ConsentSelect, diags: &mut Diagnostics) -> Option<(Resolved, ConsentFilter)> {
    let resolved = resolved_or_report(&select.project.project)?;
    let ids: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
    for school in select.schools.iter().filter(|s| !ids.contains(&s.as_str())) {
        diags.push(unknown_school(school, &ids));
    }
    let filter = ConsentFilter {
        schools: select.schools.clone(),
        class: select.class.clone(),
    };
    Some((resolved, filter))
}

/// `policyc consent list`: a PDF per class, written to the private folder.
fn list(args: &ConsentListArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let project = &args.select.project.project;
    let private = match PrivateTarget::prepare(project, args.out.as_ref(), &args.pdf_standard) {
        Ok(private) => private,
        Err(code) => return Ok(code),
    };
    let Some((resolved, filter)) = selected(&args.select, &mut diags) else {
        return Ok(EXIT_PROJECT);
    };
    let files = if diags.has_errors() {
        Vec::new()
    } else {
        let options = private.options;
        consent_list_pdfs(
            &resolved,
            &filter,
            options.standards,
            options.epoch,
            abort_on_timeout(),
            &mut diags,
        )
    };
    diags.redact_in("people/");
    print_diagnostics(&diags);
    if diags.has_errors() {
        return Ok(EXIT_PROJECT);
    }
    private.write(&files, "consent list")
}

fn status(args: &ConsentStatusArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let Some((resolved, filter)) = selected(&args.select, &mut diags) else {
        return Ok(EXIT_PROJECT);
    };
    let report =
        (!diags.has_errors()).then(|| consent_report(&resolved, &filter, args.names, &mut diags));
    if !args.names {
        // Counts only: a problem names its file, line and column, never
        // the cell, which holds a name.
        diags.redact_in("people/");
    }
    print_diagnostics(&diags);
    let Some(report) = report.filter(|_| !diags.has_errors()) else {
        return Ok(EXIT_PROJECT);
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ConsentFormat::Human => write!(
            stdout,
            "{}",
            crate::diag::printable_lines(&render_consent_text(&report))
        )?,
        ConsentFormat::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&report)?)?,
        ConsentFormat::Csv => {
            let csv = render_consent_csv(&report, args.names);
            match &args.out {
                Some(path) => {
                    let public = args.select.project.project.join("out");
                    let bytes = format!("{}{csv}", '\u{feff}');
                    if !write_report(path, &public, args.names, bytes.as_bytes())? {
                        return Ok(EXIT_PROJECT);
                    }
                }
                None => write!(stdout, "{csv}")?,
            }
        }
    }
    let unanswered: usize = report
        .schools
        .iter()
        .flat_map(|s| &s.purposes)
        .map(|p| p.unanswered())
        .sum();
    if args.deny_unanswered && unanswered > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "{unanswered} consent answer{} missing",
            if unanswered == 1 { "" } else { "s" }
        );
        return Ok(EXIT_PROJECT);
    }
    Ok(EXIT_OK)
}
