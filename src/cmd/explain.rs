//! `policyc explain`: what one document is made of, or every way a school
//! departs from the defaults it extends.

use std::io::Write;

use anyhow::{bail, Result};

use crate::check::messages::unknown_school;
use crate::cli::ExplainArgs;
use crate::cmd::print_diagnostics;
use crate::diag::{Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::model::project::Resolved;
use crate::pipeline::prepare;
use crate::report::explain;

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
    let Some(index) = resolved.schools.iter().position(|s| s.id == args.school) else {
        let ids: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
        let mut diags = Diagnostics::default();
        diags.push(unknown_school(&args.school, &ids));
        print_diagnostics(&diags);
        return Ok(EXIT_PROJECT);
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
        explain::diff_trust(source, school)
    } else {
        let audience = args.audience.clone().unwrap_or_default();
        match explain::find_document(&resolved, &args.school, args.policy.as_deref(), &audience) {
            Some((_, doc)) => {
                explain::explain_document(doc, school.files.first().map_or("", String::as_str))
            }
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
