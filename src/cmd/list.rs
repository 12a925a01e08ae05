//! `policyc list`: the clause library, the schools or the audiences.

use std::io::Write;

use anyhow::Result;

use crate::check::messages::unknown_audience;
use crate::cli::{ListArgs, ListWhat};
use crate::cmd::print_diagnostics;
use crate::diag::{Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::load::load_project;
use crate::report::explain;

/// `policyc list`.
pub fn list(args: &ListArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let project = load_project(&args.project.project, &mut diags);
    if diags.has_errors() {
        print_diagnostics(&diags);
        return Ok(EXIT_PROJECT);
    }
    if let Some(audience) = &args.audience {
        let known: Vec<&str> = project.audiences.iter().map(|a| a.id.as_str()).collect();
        if !known.contains(&audience.as_str()) {
            diags.push(unknown_audience(
                "--audience",
                "",
                "--audience",
                audience,
                &known,
            ));
            print_diagnostics(&diags);
            return Ok(EXIT_PROJECT);
        }
    }
    let text = match args.what {
        ListWhat::Clauses => {
            explain::list_clauses(&project, args.audience.as_deref(), args.tag.as_deref())
        }
        ListWhat::Schools => explain::list_schools(&project),
        ListWhat::Audiences => explain::list_audiences(&project),
        ListWhat::Modules => explain::list_modules(&project),
    };
    write!(std::io::stdout(), "{text}")?;
    Ok(EXIT_OK)
}
