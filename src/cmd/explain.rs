//! `policyc explain`: what one document is made of, every way a school
//! departs from the defaults it extends, or (`--trust`) an audit of every
//! school's departures.

use std::io::Write;

use anyhow::{bail, Result};

use crate::check::messages::{unknown_audience, unknown_school};
use crate::cli::{ExplainArgs, ReportFormat};
use crate::cmd::print_diagnostics;
use crate::diag::{Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::model::project::Resolved;
use crate::pipeline::prepare;
use crate::report::{audit, explain};

/// Loads and resolves a whole project, printing its problems; `None` if it
/// has errors.
pub fn resolved_or_report(project: &std::path::Path) -> Option<Resolved> {
    let mut diags = Diagnostics::default();
    let resolved = prepare(project, &[], &[], &mut diags);
    if resolved.is_none() {
        print_diagnostics(&diags);
    }
    resolved
}

/// `policyc explain`.
pub fn explain(args: &ExplainArgs) -> Result<i32> {
    let Some(resolved) = resolved_or_report(&args.project.project) else {
        return Ok(EXIT_PROJECT);
    };
    if args.trust {
        return print_trust_audit(&resolved, args.format);
    }
    let school_id = args.school.clone().unwrap_or_default();
    let Some(index) = resolved.schools.iter().position(|s| s.id == school_id) else {
        let ids: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
        let mut diags = Diagnostics::default();
        diags.push(unknown_school(&school_id, &ids));
        print_diagnostics(&diags);
        return Ok(EXIT_PROJECT);
    };
    let school = &resolved.schools[index];
    let text = if args.diff_trust {
        let Some(source) = resolved.project.schools.iter().find(|s| s.id == school_id) else {
            bail!("school vanished")
        };
        crate::report::audit::diff_trust(&resolved.project, source, school)
    } else {
        let audience = args.audience.clone().unwrap_or_default();
        match explain::find_document(&resolved, &school_id, args.policy.as_deref(), &audience) {
            Some((_, doc)) => {
                explain::explain_document(doc, school.files.first().map_or("", String::as_str))
            }
            None => {
                let have: Vec<&str> = school
                    .documents
                    .iter()
                    .map(|d| d.audience_id.as_str())
                    .collect();
                let mut diags = Diagnostics::default();
                diags.push(unknown_audience(
                    "--audience",
                    "",
                    "--audience",
                    &audience,
                    &have,
                ));
                print_diagnostics(&diags);
                return Ok(EXIT_PROJECT);
            }
        }
    };
    write!(std::io::stdout(), "{text}")?;
    Ok(EXIT_OK)
}

/// `policyc explain --trust`: every school's departures, as a table or JSON.
fn print_trust_audit(resolved: &Resolved, format: ReportFormat) -> Result<i32> {
    let report = audit::audit_trust(&resolved.project);
    let text = match format {
        ReportFormat::Human => audit::render_audit_text(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    write!(std::io::stdout(), "{text}")?;
    Ok(EXIT_OK)
}
