//! `policyc consent status`, `consent list` and `consent print`: who has
//! consented to what, from the rosters and consent ledgers in `people/`,
//! the class lists a teacher takes on a trip, and the personalised forms.

use std::io::Write;

use anyhow::Result;

use crate::check::messages::unknown_school;
use crate::cli::{
    ConsentCommand, ConsentFormat, ConsentImportArgs, ConsentListArgs, ConsentPrintArgs,
    ConsentSelect, ConsentStatusArgs,
};
use crate::cmd::explain::resolved_or_report;
use crate::cmd::signoff::{lock_ledger, write_report, PrivateTarget};
use crate::cmd::{abort_on_timeout, print_diagnostics};
use crate::diag::{Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::load::consent_export::parse_consent_export;
use crate::load::form_export::{read_export_text, ColumnMap, DateOrder};
use crate::model::project::Resolved;
use crate::output::atomic::write_atomic;
use crate::pipeline::consent::{consent_list_pdfs, consent_report, ConsentFilter};
use crate::pipeline::consent_forms::{consent_form_pdfs, FormFilter};
use crate::pipeline::consent_import::import_consents;
use crate::report::consent::{render_consent_csv, render_consent_text};
use crate::sealed::{Area, Folder};

/// `policyc consent …`.
pub fn consent(command: &ConsentCommand) -> Result<i32> {
    match command {
        ConsentCommand::Status(args) => status(args),
        ConsentCommand::List(args) => list(args),
        ConsentCommand::Print(args) => print(args),
        ConsentCommand::Import(args) => import(args),
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
        consent_list_pdfs(&resolved, &filter, options, abort_on_timeout(), &mut diags)
    };
    diags.redact_in("people/");
    print_diagnostics(&diags);
    if diags.has_errors() {
        return Ok(EXIT_PROJECT);
    }
    private.write(&files, "consent list")
}

/// `policyc consent print`: each consent form personalised per pupil,
/// one print file per form and class, written to the private folder.
fn print(args: &ConsentPrintArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let project = &args.select.project.project;
    let private = match PrivateTarget::prepare(project, args.out.as_ref(), &args.pdf_standard) {
        Ok(private) => private,
        Err(code) => return Ok(code),
    };
    let Some((resolved, filter)) = selected(&args.select, &mut diags) else {
        return Ok(EXIT_PROJECT);
    };
    let forms = FormFilter {
        schools: filter.schools,
        class: filter.class,
        outstanding: args.outstanding,
        per_sheet: args.per_sheet.parse().unwrap_or(1),
    };
    let files = if diags.has_errors() {
        Vec::new()
    } else {
        let options = private.options;
        consent_form_pdfs(&resolved, &forms, options, &mut diags)
    };
    diags.redact_in("people/");
    print_diagnostics(&diags);
    if diags.has_errors() {
        return Ok(EXIT_PROJECT);
    }
    private.write(&files, "consent form file")
}

/// `policyc consent import`: an online form's export into the ledger, all
/// or nothing, under the ledger's lock.
fn import(args: &ConsentImportArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let select = ConsentSelect {
        project: args.project.clone(),
        schools: vec![args.school.clone()],
        class: None,
    };
    let Some((resolved, _)) = selected(&select, &mut diags) else {
        return Ok(EXIT_PROJECT);
    };
    let mut map = ColumnMap::default();
    ColumnMap::override_with(&mut [
        (&mut map.name, &args.name_column),
        (&mut map.child, &args.child_column),
        (&mut map.class, &args.class_column),
        (&mut map.date, &args.date_column),
        (&mut map.document, &args.document_column),
    ]);
    let order = DateOrder::from(args.date_order);
    let file = args.file.display().to_string();
    let export = if diags.has_errors() {
        None
    } else {
        read_export_text(&args.file, &mut diags).and_then(|text| {
            let purposes = &resolved.project.consent.purposes;
            parse_consent_export(&file, &text, &map, purposes, order, &mut diags).map(|r| (text, r))
        })
    };
    // The ledger is locked, then read again under the lock, so that two
    // imports at once each add to the latest ledger.
    let _lock = match (&export, args.write) {
        (Some(_), true) => Some(lock_ledger(&args.project.project, &args.school)?),
        _ => None,
    };
    let import = export
        .filter(|_| !diags.has_errors())
        .and_then(|(text, rows)| {
            import_consents(&resolved, &args.school, &file, &text, rows, &mut diags)
        });
    print_diagnostics(&diags);
    let mut stderr = std::io::stderr().lock();
    let Some(import) = import.filter(|_| !diags.has_errors()) else {
        writeln!(
            stderr,
            "nothing was saved: fix the export (or the roster) and run it again"
        )?;
        return Ok(EXIT_PROJECT);
    };
    let new = import.new_rows.len();
    let plural = if new == 1 { "" } else { "s" };
    let recorded = match import.already {
        0 => String::new(),
        n => format!("; {n} already recorded"),
    };
    if !args.write {
        writeln!(
            stderr,
            "{new} new consent answer{plural}{recorded}; run again with --write to add them to {}",
            import.ledger
        )?;
        return Ok(EXIT_OK);
    }
    if new > 0 {
        let project = Folder::open_root(&args.project.project, Area::Project)?;
        write_atomic(&project, &import.ledger, import.text.as_bytes())?;
    }
    writeln!(
        stderr,
        "added {new} consent answer{plural} to {}{recorded}",
        import.ledger
    )?;
    Ok(EXIT_OK)
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
