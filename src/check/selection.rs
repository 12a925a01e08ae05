//! The command line's `--school` and `--audience` must name what exists.

use crate::check::messages::{unknown_audience, unknown_school};
use crate::diag::Diagnostics;
use crate::model::project::Project;

/// Checks the schools and audiences a build was asked for.
pub fn check_selection(
    project: &Project,
    schools: &[String],
    audiences: &[String],
    diags: &mut Diagnostics,
) {
    let ids: Vec<&str> = project.schools.iter().map(|s| s.id.as_str()).collect();
    for id in schools {
        if !ids.contains(&id.as_str()) {
            diags.push(unknown_school(id, &ids));
        }
    }
    let known: Vec<&str> = project.audiences.iter().map(|a| a.id.as_str()).collect();
    for id in audiences {
        if !known.contains(&id.as_str()) {
            diags.push(unknown_audience("--audience", "", "--audience", id, &known));
        }
    }
}
