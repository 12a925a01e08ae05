//! Personalised copies for printing: one PDF per person on a roster, with
//! their name (and class, role or child) written in the signature fields,
//! and one print file per school, document and class that puts them
//! together, each person's copy starting on an odd page, behind a cover
//! that lists who is in it. Whole document or slip, as the school chose
//! for the audience. Everything here holds names: it goes to the private
//! folder only.

use serde::Serialize;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::build::PdfSettings;
use crate::model::build::PrivateFile;
use crate::model::dates;
use crate::model::document::Document;
use crate::model::files::{Audience, Reading, SchoolFile};
use crate::model::project::{Resolved, ResolvedSchool};
use crate::model::slips::{sign_with, SignWith};
use crate::model::slug::{slug, unique_stem};
use crate::model::templates::{Layout, Template};
use crate::render::merge::PrintFile;
use crate::render::pdf::PdfEngine;
use crate::render::pool::{
    panicked, parallel_map, render_timeout, timeout_diagnostic, OnTimeout, Watchdog,
};
use crate::render::return_slips::{return_slips, SlipPeople};
use crate::render::slip::{filled_fields, signer_fields, slip_data, slip_person, Signer, SlipData};
use crate::signoff::print_layout::{
    cover_instructions, sheet_pages, starts, CoverData, CoverRow, Sheets,
};
use crate::signoff::run::{sign_off_report, unprintable_name, SignOffFilter};
use crate::signoff::status::{DocSignOff, PersonStatus};

/// How many copies typst's memo cache keeps an unused entry for.
const MEMO_AGE: usize = 10;

/// What printing made, for the summary line and the benchmark.
#[derive(Debug, Clone, Default)]
pub struct Printed {
    /// Every file, personal copies and print files.
    pub files: Vec<PrivateFile>,
    /// How many people got a copy.
    pub people: usize,
    /// How many print files there are.
    pub print_files: usize,
}

/// Everything needed to print one document's copies.
struct Job<'a> {
    school: &'a ResolvedSchool,
    doc: &'a Document,
    sign_off: &'a DocSignOff,
    audience: &'a Audience,
    with: SignWith,
    pupils: bool,
}

/// The layouts and engine shared by every job.
struct Tools<'a> {
    engine: PdfEngine,
    policy: &'a Template,
    slip: &'a Template,
    cover: &'a Template,
    return_slips: &'a Template,
    options: PdfSettings,
    sheets: Sheets,
    today: &'a str,
    /// Every copy and cover ticks it; a layout that stops finishing is
    /// handed to the caller's timeout.
    watchdog: Watchdog,
}

/// Personal copies and print files for everyone `filter` keeps. Problems
/// go to `diags`, and then nothing is returned.
pub fn print_copies(
    resolved: &Resolved,
    filter: &SignOffFilter,
    options: PdfSettings,
    sheets: Sheets,
    on_timeout: OnTimeout,
    diags: &mut Diagnostics,
) -> Printed {
    let report = sign_off_report(resolved, filter, true, diags);
    if diags.has_errors() {
        return Printed::default();
    }
    let templates = &resolved.project.templates;
    let tools = Tools {
        engine: PdfEngine::with_fonts(&resolved.project.fonts),
        policy: templates.get(Layout::Policy),
        slip: templates.get(Layout::Slip),
        cover: templates.get(Layout::PrintCover),
        return_slips: templates.get(Layout::ReturnSlips),
        options,
        sheets,
        today: &resolved.today,
        watchdog: Watchdog::start(
            render_timeout(),
            timeout_diagnostic(&templates.get(Layout::Policy).file),
            on_timeout,
        ),
    };
    let mut jobs = Vec::new();
    for school in &report.schools {
        for doc in &school.documents {
            for person in &doc.people {
                if let Some(c) = tools.engine.first_unprintable(&person.name) {
                    diags.push(unprintable_name(person, c));
                }
            }
            if let Some(job) = job(resolved, &school.school, doc) {
                if sheets.per_sheet > 1 && job.with == SignWith::Document {
                    diags.push(whole_copies(&job, sheets.per_sheet));
                }
                jobs.push(job);
            }
        }
    }
    if diags.has_errors() {
        return Printed::default();
    }
    let groups: Vec<(&Job, Option<&str>)> = jobs
        .iter()
        .flat_map(|job| groups(job.sign_off).into_iter().map(move |g| (job, g)))
        .collect();
    let mut stems: Vec<String> = Vec::new();
    for (job, group) in &groups {
        let name = group.unwrap_or(&job.doc.audience_label);
        let stem = format!(
            "{}/print/{}-{}-{}",
            job.school.id,
            job.doc.policy_id,
            job.doc.audience_id,
            slug(name)
        );
        stems.push(unique_stem(&stem, |s| stems.iter().any(|t| t == s)));
    }
    // Every core busy: with a group for each, the groups go in parallel,
    // each laying out its people, cover and merge on one core (the merge
    // and cover would otherwise leave the other cores idle); with fewer
    // groups than cores, one group at a time and its people in parallel.
    // Either way only a group or two is in memory at once.
    let threads = rayon::current_num_threads();
    let (outer, inner) = if groups.len() >= threads {
        (threads, 1)
    } else {
        (1, threads)
    };
    let work: Vec<_> = groups.iter().zip(&stems).collect();
    let results: Vec<Result<Vec<PrivateFile>, Diagnostic>> =
        parallel_map(&work, outer, |((job, group), stem)| {
            let files = print_group(&tools, job, *group, stem, inner);
            tools.watchdog.tick();
            files
        })
        .into_iter()
        .zip(&stems)
        .map(|(result, stem)| {
            result.map_err(|message| panicked(&format!("{stem}.pdf"), &message))?
        })
        .collect();
    tools.watchdog.stop();
    let mut printed = Printed::default();
    for result in results {
        match result {
            Ok(files) => {
                printed.people += files.len() - 1;
                printed.print_files += 1;
                printed.files.extend(files);
            }
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Printed::default();
    }
    printed
}

/// The resolved document and settings behind a report's document.
fn job<'a>(resolved: &'a Resolved, school: &str, sign_off: &'a DocSignOff) -> Option<Job<'a>> {
    let school = resolved.schools.iter().find(|s| s.id == school)?;
    let doc = school
        .documents
        .iter()
        .find(|d| d.policy_id == sign_off.policy && d.audience_id == sign_off.audience)?;
    let audience = resolved
        .project
        .audiences
        .iter()
        .find(|a| a.id == doc.audience_id)?;
    Some(Job {
        school,
        doc,
        sign_off,
        with: sign_with(school.merged.school.sign_with.as_ref(), &doc.audience_id),
        pupils: audience.reading != Reading::Adult,
        audience,
    })
}

/// The classes or staff groups of a document's people, in order; `None`
/// for people without one.
fn groups(doc: &DocSignOff) -> Vec<Option<&str>> {
    let mut groups: Vec<Option<&str>> = doc.people.iter().map(|p| p.class.as_deref()).collect();
    groups.sort_unstable();
    groups.dedup();
    groups
}

/// One group's personal copies and its print file.
fn print_group(
    tools: &Tools<'_>,
    job: &Job<'_>,
    group: Option<&str>,
    stem: &str,
    threads: usize,
) -> Result<Vec<PrivateFile>, Diagnostic> {
    let people: Vec<&PersonStatus> = job
        .sign_off
        .people
        .iter()
        .filter(|p| p.class.as_deref() == group)
        .collect();
    let name = group.unwrap_or(&job.doc.audience_label);
    // What every slip of the document shares (its QR code among it) is
    // made once, not once a person.
    let shared = match job.with {
        SignWith::Slip => Some(slip_data(job.doc).map_err(|e| layout_error(tools.slip, e))?),
        SignWith::Document => None,
    };
    let copies = parallel_map(&people, threads, |p| {
        let copy = copy(tools, job, shared.as_ref(), &signer(p));
        // Keep what the next person reuses; drop the rest, which bounds
        // memory however many people there are.
        comemo::evict(MEMO_AGE);
        tools.watchdog.tick();
        copy
    });
    let copies: Vec<Vec<u8>> = copies
        .into_iter()
        .map(|result| {
            // A panic's message never names the person.
            result.map_err(|message| panicked(&format!("{stem}.pdf"), &message))?
        })
        .collect::<Result<_, _>>()?;
    let heading = format!(
        "{name}: {} form{} for {}",
        people.len(),
        if people.len() == 1 { "" } else { "s" },
        job.doc.audience_label
    );
    let print = print_file(tools, job, &heading, &people, &copies)?;
    let mut files = vec![PrivateFile::shareable(format!("{stem}.pdf"), print)];
    for (i, (person, bytes)) in people.iter().zip(copies).enumerate() {
        let name = Some(slug(&person.name)).filter(|s| s != "group");
        let name = name.unwrap_or_else(|| "person".to_string());
        let file = format!("{stem}/{:03}-{name}.pdf", i + 1);
        files.push(PrivateFile::personal_copy(file, bytes));
    }
    Ok(files)
}

/// Who a copy is for.
fn signer(person: &PersonStatus) -> Signer {
    Signer {
        name: person.name.clone(),
        class: person.class.clone(),
        role: person.role.clone(),
        child: person.child.clone(),
    }
}

/// One person's copy: the slip (with the `shared` data of the document's
/// slips), or the whole document with their fields filled in.
fn copy(
    tools: &Tools<'_>,
    job: &Job<'_>,
    shared: Option<&SlipData>,
    signer: &Signer,
) -> Result<Vec<u8>, Diagnostic> {
    let school: &SchoolFile = &job.school.merged.school;
    let kinds = signer_fields(school, job.audience);
    match (job.with, shared) {
        (SignWith::Slip, Some(shared)) => {
            let person = slip_person(job.doc, &kinds, school.online_form.as_ref(), signer)
                .map_err(|e| layout_error(tools.slip, e))?;
            render_data(tools, tools.slip, shared, &person, job)
        }
        _ => {
            let filled = filled_fields(job.doc, &kinds, signer);
            let logo = job
                .school
                .logo
                .as_ref()
                .map(|l| (l.format, l.bytes.as_slice()));
            tools
                .engine
                .compile_for(&tools.policy.text, job.doc, logo, &filled)
                .and_then(|c| c.export(job.doc, tools.options))
                .map_err(|e| layout_error(tools.policy, e.message))
        }
    }
}

/// Renders a data layout (the slip or the cover) for `job`'s document.
fn render_data(
    tools: &Tools<'_>,
    template: &Template,
    data: &impl Serialize,
    person: &impl Serialize,
    job: &Job<'_>,
) -> Result<Vec<u8>, Diagnostic> {
    let ident = format!("print/{}", job.doc.key());
    tools
        .engine
        .render_data_for(
            &template.text,
            data,
            person,
            &ident,
            tools.today,
            tools.options,
        )
        .map_err(|e| layout_error(template, e.message))
}

/// A layout that failed.
pub(crate) fn layout_error(template: &Template, message: String) -> Diagnostic {
    Diagnostic::error(Code::PdfTemplate, &template.file, message)
        .with_hint("fix the layout, or delete the override to use the built-in one")
}

/// The print file: the cover, then each copy (on an odd page, unless
/// printed on one side), or sheets of return slips to cut apart.
fn print_file(
    tools: &Tools<'_>,
    job: &Job<'_>,
    heading: &str,
    people: &[&PersonStatus],
    copies: &[Vec<u8>],
) -> Result<Vec<u8>, Diagnostic> {
    let slips = match tools.sheets.per_sheet {
        n if n > 1 && job.with == SignWith::Slip => Some(slip_sheets(tools, job, heading, people)?),
        _ => None,
    };
    let pages: Vec<usize> = match &slips {
        Some(_) => Vec::new(),
        None => copies
            .iter()
            .map(|c| PrintFile::pages_of(c))
            .collect::<Result<_, _>>()
            .map_err(|e| layout_error(tools.cover, e))?,
    };
    let mut cover_pages = 1;
    loop {
        let at = match &slips {
            Some(_) => sheet_pages(cover_pages, people.len(), tools.sheets.per_sheet),
            None => starts(cover_pages, &pages, tools.sheets),
        };
        let data = cover_data(tools, job, heading, people, &at);
        let cover = render_data(tools, tools.cover, &data, &serde_json::Map::new(), job)?;
        let actual = PrintFile::pages_of(&cover).map_err(|e| layout_error(tools.cover, e))?;
        if actual != cover_pages && cover_pages < 64 {
            cover_pages = actual;
            continue;
        }
        let mut file = PrintFile::new();
        let merge = |file: &mut PrintFile| -> Result<(), String> {
            file.append(&cover)?;
            match &slips {
                Some(sheets) => file.append(sheets)?,
                None if tools.sheets.one_sided => copies.iter().try_for_each(|c| file.append(c))?,
                None => {
                    for copy in copies {
                        file.append_on_odd(copy)?;
                    }
                }
            }
            Ok(())
        };
        merge(&mut file).map_err(|e| layout_error(tools.cover, e))?;
        return file
            .finish(heading)
            .map_err(|e| layout_error(tools.cover, e));
    }
}

/// The group's slips, two or four to a sheet, each with its person's name
/// (and class, role or child) and the address of the whole text.
fn slip_sheets(
    tools: &Tools<'_>,
    job: &Job<'_>,
    group: &str,
    people: &[&PersonStatus],
) -> Result<Vec<u8>, Diagnostic> {
    let kinds = signer_fields(&job.school.merged.school, job.audience);
    let mut filled: Vec<String> = Vec::new();
    let mut values = Vec::with_capacity(people.len());
    for person in people {
        let fields = filled_fields(job.doc, &kinds, &signer(person));
        for (label, _) in &fields {
            if !filled.contains(label) {
                filled.push(label.clone());
            }
        }
        let value: Vec<&str> = fields.iter().map(|(_, v)| v.as_str()).collect();
        values.push(value.join(", "));
    }
    let label = filled.first().cloned().unwrap_or_default();
    let people = SlipPeople {
        label,
        filled,
        values,
    };
    let mut data = return_slips(job.doc, group, tools.sheets.per_sheet, people);
    data.read_at = job.doc.slip.as_ref().map(|l| l.full_text.clone());
    render_data(
        tools,
        tools.return_slips,
        &data,
        &serde_json::Map::new(),
        job,
    )
}

/// An audience that signs the whole document gets whole copies, however
/// many slips a sheet takes.
fn whole_copies(job: &Job<'_>, per_sheet: u8) -> Diagnostic {
    Diagnostic::warning(
        Code::PerSheetDocument,
        "--per-sheet",
        format!(
            "{} at {} sign the whole document, so their copies are printed whole, not {per_sheet} to a sheet",
            job.doc.audience_label, job.school.id
        ),
    )
    .with_hint(format!(
        "to print slips for them, set `sign_with: {{ {}: slip }}` in the school's file (docs/FORMAT.md, Slips or the whole document)",
        job.doc.audience_id
    ))
}

fn cover_data(
    tools: &Tools<'_>,
    job: &Job<'_>,
    heading: &str,
    people: &[&PersonStatus],
    starts: &[usize],
) -> CoverData {
    let instructions = cover_instructions(job.with, tools.sheets, job.pupils, &job.doc.doc_id);
    CoverData {
        school: job.doc.school.name.clone(),
        heading: heading.to_string(),
        title: job.doc.title.clone(),
        audience_label: job.doc.audience_label.clone(),
        doc_id: job.doc.doc_id.clone(),
        version: job.doc.meta.version.clone(),
        printed: dates::long_form(tools.today),
        instructions,
        people: people
            .iter()
            .zip(starts)
            .map(|(p, page)| CoverRow {
                name: p.name.clone(),
                detail: p
                    .role
                    .clone()
                    .or_else(|| p.child.as_ref().map(|c| format!("for {c}"))),
                page: *page,
            })
            .collect(),
    }
}
