//! `policyc check`: everything a build checks, and every document and
//! booklet rendered in memory, with nothing written.

use std::io::Write;

use anyhow::Result;

use crate::cli::{CheckArgs, CheckFormat};
use crate::cmd::{abort_on_timeout, count_line, print_diagnostics, source_date_epoch};
use crate::diag::Code;
use crate::diag::{Diagnostics, Severity, EXIT_OK, EXIT_PROJECT};
use crate::load::people::project_people;
use crate::model::build::PdfSettings;
use crate::model::build::Standards;
use crate::model::project::Resolved;
use crate::pipeline::changes::check_versions;
use crate::pipeline::consent::{consent_report, ConsentFilter};
use crate::pipeline::prepare;
use crate::render::booklet::render_booklets;
use crate::render::pdf::PdfEngine;
use crate::render::{discard, discard_at, render_all, RenderHooks, RenderOptions};
use crate::signoff::run::{sign_off_report, unprintable_character, SignOffFilter};

/// Every roster and ledger read as sign-off and consent read them, and
/// every name on them checked against the fonts: a bad line, or a name
/// that cannot print, shows up in September, not at print time.
fn check_people(resolved: &Resolved, engine: &PdfEngine, diags: &mut Diagnostics) {
    sign_off_report(resolved, &SignOffFilter::default(), false, diags);
    if !resolved.project.consent.purposes.is_empty() {
        consent_report(resolved, &ConsentFilter::default(), false, diags);
    }
    // Everyone on a roster, whether or not a document waits for them yet,
    // and the children parents sign for: each may be printed.
    // Read once more, quietly: the reports above said what is wrong.
    let Some(people) = project_people(&resolved.project, &mut Diagnostics::default()) else {
        return;
    };
    for person in people.rosters.values().flat_map(|r| &r.people) {
        let names = std::iter::once(&person.name).chain(&person.child);
        if let Some(c) = names.filter_map(|n| engine.first_unprintable(n)).next() {
            diags.push(unprintable_character(&person.file, person.line, c));
        }
    }
}

/// `policyc check`.
pub fn check(args: &CheckArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let timestamp = source_date_epoch().unwrap_or_else(|d| {
        diags.push(d);
        None
    });
    let resolved = prepare(&args.project.project, &[], &[], &mut diags);
    if let Some(resolved) = resolved.as_ref() {
        check_versions(resolved, &mut diags);
    }
    if let Some(resolved) = resolved.as_ref().filter(|_| !diags.has_errors()) {
        let options = RenderOptions {
            pdf: true,
            html: true,
            pdf_settings: PdfSettings {
                standards: Standards::ALL,
                epoch: timestamp,
            },
        };
        let hooks = RenderHooks {
            progress: &|_| {},
            on_timeout: abort_on_timeout(),
        };
        let engine = PdfEngine::with_fonts(&resolved.project.fonts);
        render_all(
            resolved,
            &engine,
            options,
            &|_| true,
            &discard,
            hooks,
            &mut diags,
        );
        if !diags.has_errors() {
            let every: Vec<_> = resolved.booklets().collect();
            render_booklets(
                resolved,
                &engine,
                options,
                &every,
                &discard_at,
                abort_on_timeout(),
                &mut diags,
            );
        }
    }
    if let Some(resolved) = resolved.as_ref() {
        let engine = PdfEngine::with_fonts(&resolved.project.fonts);
        check_people(resolved, &engine, &mut diags);
    }
    if !args.names {
        // Counts only: a roster or ledger problem names its file, line and
        // column, never the cell, which holds a name.
        diags.redact_in("people/");
    }
    let (errors, warnings) = diags.counts();
    let sorted = diags.sorted();
    let denied = sorted
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .filter(|d| {
            if d.code == Code::ReviewOverdue {
                args.deny_overdue
            } else {
                args.deny_warnings
            }
        })
        .count();
    let failed = errors > 0 || denied > 0;
    match args.format {
        CheckFormat::Github => {
            let root = args.project.project.to_string_lossy();
            let mut out = std::io::stdout().lock();
            for d in &sorted {
                writeln!(out, "{}", d.github_annotation(&root))?;
            }
            let verdict = if failed { "failed" } else { "ok" };
            writeln!(out, "{verdict}: {}", count_line(errors, warnings))?;
        }
        CheckFormat::Json => {
            writeln!(
                std::io::stdout(),
                "{}",
                serde_json::to_string_pretty(&sorted)?
            )?;
        }
        CheckFormat::Human => {
            print_diagnostics(&diags);
            if errors == 0 {
                let docs = resolved.iter().flat_map(|r| r.documents()).count();
                let counts = format!("{docs} documents, {}", count_line(errors, warnings));
                let line = if denied > 0 {
                    let plural = if denied == 1 { "" } else { "s" };
                    format!("failed: {denied} warning{plural} denied ({counts})")
                } else {
                    format!("ok: {counts}")
                };
                writeln!(std::io::stdout(), "{line}")?;
            }
        }
    }
    Ok(if failed { EXIT_PROJECT } else { EXIT_OK })
}
