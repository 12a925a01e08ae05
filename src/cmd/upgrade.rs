//! `policyc upgrade-library`: what the clause library built into this
//! policyc would change in a project, document by document, and who would
//! have to sign again; with `--write`, the library's files are brought in.
//! A project's wording never changes unless someone asks for it and can
//! review the diff first (see `policyc init` for why).

use std::io::Write;

use anyhow::Result;

use crate::cli::{ReportFormat, UpgradeArgs};
use crate::cmd::print_diagnostics;
use crate::diag::{Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::output::write_into_project;
use crate::pipeline::library::preview;
use crate::report::changes_text::render_text;

/// `policyc upgrade-library`.
pub fn upgrade_library(args: &UpgradeArgs) -> Result<i32> {
    let root = &args.project.project;
    let mut diags = Diagnostics::default();
    let Some(preview) = preview(root, &mut diags)? else {
        print_diagnostics(&diags);
        let _ = writeln!(
            std::io::stderr(),
            "nothing was written: fix these problems (in the project, or as it would be with the new library) first"
        );
        return Ok(EXIT_PROJECT);
    };
    print_diagnostics(&diags);
    let mut out = std::io::stdout();
    match args.format {
        ReportFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "changes": preview.report,
                "changed_files": preview.changed_files,
                "kept_files": preview.kept_files,
                "written": args.write,
            }))?
        )?,
        ReportFormat::Human => {
            write!(
                out,
                "{}",
                crate::diag::printable_lines(&render_text(&preview.report))
            )?;
            writeln!(
                out,
                "\nthe new library changes {} file{}",
                preview.changed_files.len(),
                if preview.changed_files.len() == 1 {
                    ""
                } else {
                    "s"
                }
            )?;
            for file in &preview.kept_files {
                writeln!(
                    out,
                    "  kept (not in the new library; delete it if you no longer want it): {file}"
                )?;
            }
        }
    }
    if args.write {
        let written = write_into_project(root, &preview.files)?;
        for file in &written {
            writeln!(std::io::stderr(), "  wrote {file}")?;
        }
        writeln!(
            std::io::stderr(),
            "brought in the new library: {} file{} written; review them with your version control before you publish",
            written.len(),
            if written.len() == 1 { "" } else { "s" }
        )?;
    } else if !preview.changed_files.is_empty() {
        writeln!(
            std::io::stderr(),
            "nothing written: run again with --write to bring the new library in"
        )?;
    }
    Ok(EXIT_OK)
}
