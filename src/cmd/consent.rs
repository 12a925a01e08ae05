//! `policyc consent status` and `consent list`: who has consented to what,
//! from the rosters and consent ledgers in `people/`, and the class lists
//! a teacher takes on a trip.

use std::io::Write;

use anyhow::{Context, Result};

use crate::check::messages::unknown_school;
use crate::cli::{ConsentCommand, ConsentFormat, ConsentListArgs, ConsentStatusArgs};
use crate::cmd::explain::resolved_or_report;
use crate::cmd::signoff::{refuse_public, write_report};
use crate::cmd::{abort_on_timeout, pdf_standards, print_diagnostics, source_date_epoch};
use crate::diag::{Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::output::guard;
use crate::pipeline::consent::{consent_list_pdfs, consent_report, ConsentFilter};
use crate::report::consent::{render_consent_csv, render_consent_text};

/// `policyc consent …`.
pub fn consent(command: &ConsentCommand) -> Result<i32> {
    match command {
        ConsentCommand::Status(args) => status(args),
        ConsentCommand::List(args) => list(args),
    }
}

/// `policyc consent list`: a PDF per class, written to the private folder.
fn list(args: &ConsentListArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let project = &args.project.project;
    let out = args.out.clone().unwrap_or_else(|| project.join("private"));
    let public = project.join("out");
    if let Some(problem) = guard::check_private(&public, &out) {
        diags.push(refuse_public(&out, &problem));
        print_diagnostics(&diags);
        return Ok(EXIT_PROJECT);
    }
    let epoch = match source_date_epoch() {
        Ok(epoch) => epoch,
        Err(d) => {
            diags.push(d);
            print_diagnostics(&diags);
            return Ok(EXIT_PROJECT);
        }
    };
    let standards = match pdf_standards(&args.pdf_standard) {
        Ok(standards) => standards,
        Err(code) => return Ok(code),
    };
    let Some(resolved) = resolved_or_report(project) else {
        return Ok(EXIT_PROJECT);
    };
    let ids: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
    for school in args.schools.iter().filter(|s| !ids.contains(&s.as_str())) {
        diags.push(unknown_school(school, &ids));
    }
    let filter = ConsentFilter {
        schools: args.schools.clone(),
        class: args.class.clone(),
    };
    let files = if diags.has_errors() {
        Vec::new()
    } else {
        consent_list_pdfs(
            &resolved,
            &filter,
            standards,
            epoch,
            abort_on_timeout(),
            &mut diags,
        )
    };
    diags.redact_in("people/");
    print_diagnostics(&diags);
    if diags.has_errors() {
        return Ok(EXIT_PROJECT);
    }
    let lock = match guard::open_private(&public, &out)? {
        Ok(lock) => lock,
        Err(problem) => {
            diags.push(refuse_public(&out, &problem));
            print_diagnostics(&diags);
            return Ok(EXIT_PROJECT);
        }
    };
    let mut stderr = std::io::stderr().lock();
    for (rel, bytes) in &files {
        lock.folder()
            .write_atomic(rel, bytes)
            .with_context(|| format!("cannot write {}", out.join(rel).display()))?;
        writeln!(stderr, "  wrote {}", out.join(rel).display())?;
    }
    writeln!(
        stderr,
        "{} consent list{} written to {}: they hold names, so keep them securely",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        out.display()
    )?;
    Ok(EXIT_OK)
}

fn status(args: &ConsentStatusArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let Some(resolved) = resolved_or_report(&args.project.project) else {
        return Ok(EXIT_PROJECT);
    };
    let ids: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
    for school in args.schools.iter().filter(|s| !ids.contains(&s.as_str())) {
        diags.push(unknown_school(school, &ids));
    }
    let filter = ConsentFilter {
        schools: args.schools.clone(),
        class: args.class.clone(),
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
                    let public = args.project.project.join("out");
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
