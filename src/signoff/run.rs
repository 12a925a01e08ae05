//! Sign-off: the people and the ledger read from `people/`, the earlier
//! packs from `published/`, set against the current build.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Code;
use crate::diag::{suggestion, Diagnostic, Diagnostics};
use crate::load::form_export::FormExport;
use crate::load::people::{ledger_columns, load_people, load_published, project_people};
use crate::model::build::PdfSettings;
use crate::model::build::PrivateFile;
use crate::model::files::Reading;
use crate::model::key::DocKey;
use crate::model::manifest::Manifest;
use crate::model::people::normalise;
use crate::model::project::Resolved;
use crate::model::templates::Layout;
use crate::output::records::current_manifest;
use crate::render::html::SignOffProgress;
use crate::render::pdf::PdfEngine;
use crate::render::pool::{OnTimeout, SheetRun};
use crate::report::changes::editorial_marks;
use crate::report::changes::Editorial;
use crate::signoff::register::registers;
use crate::signoff::status::{
    plan_import, sign_off, DocSignOff, ImportPlan, PersonStatus, SignOffReport, Standing,
};
use crate::signoff::text::{write_ledger_rows, LedgerStyle};

/// Which part of the report to keep.
#[derive(Debug, Clone, Default)]
pub struct SignOffFilter {
    /// Only these schools (none: all).
    pub schools: Vec<String>,
    /// Only these audiences (none: all).
    pub audiences: Vec<String>,
    /// Only the people in this class or staff group.
    pub class: Option<String>,
    /// Only the people still to sign (never signed, or must sign again).
    pub outstanding: bool,
}

/// Who has signed what at every school with a roster. Problems in the
/// rosters, ledgers and published manifests go to `diags`; `names` keeps
/// each person in the report (personal data: for the DPO's eyes).
pub fn sign_off_report(
    resolved: &Resolved,
    filter: &SignOffFilter,
    names: bool,
    diags: &mut Diagnostics,
) -> SignOffReport {
    let mut report = report_against(resolved, &current_manifest(resolved), diags);
    if let Some(class) = &filter.class {
        check_class(&report, class, diags);
    }
    report
        .schools
        .retain(|s| filter.schools.is_empty() || filter.schools.contains(&s.school));
    for school in &mut report.schools {
        school
            .documents
            .retain(|d| filter.audiences.is_empty() || filter.audiences.contains(&d.audience));
        for doc in &mut school.documents {
            if let Some(class) = &filter.class {
                let wanted = class_key(class);
                doc.people
                    .retain(|p| p.class.as_deref().is_some_and(|c| class_key(c) == wanted));
                recount(doc);
            }
            if filter.outstanding {
                doc.people.retain(|p| p.status != Standing::Signed);
                recount(doc);
            }
            if !names {
                doc.people.clear();
            }
        }
        school.documents.retain(|d| d.expected > 0);
    }
    report
}

/// The sign-off report (with names) against `manifest`: the current build,
/// or for a filtered build the whole pack as its indexes show it.
fn report_against(
    resolved: &Resolved,
    manifest: &Manifest,
    diags: &mut Diagnostics,
) -> SignOffReport {
    let (Some(root), Some(people)) = (
        resolved.project.folder.as_ref(),
        project_people(&resolved.project, diags),
    ) else {
        return SignOffReport::default();
    };
    // Earlier packs, and the editorial marks that say whether a signature on
    // one still counts, matter only for a ledger line that names an ID other
    // than a current one: undoing the marks resolves every school again.
    let current: BTreeSet<&str> = manifest
        .documents
        .iter()
        .map(|d| d.doc_id.as_str())
        .collect();
    let older = people
        .ledgers
        .values()
        .flat_map(|l| &l.rows)
        .any(|r| !current.contains(r.doc_id.as_str()));
    let (published, editorial) = if older {
        (load_published(root, diags), editorial_marks(resolved))
    } else {
        (Vec::new(), Editorial::default())
    };
    sign_off(&people, manifest, &published, &editorial, true, diags)
}

/// Counts a document's people again after some were filtered out.
fn recount(doc: &mut DocSignOff) {
    let count = |s: Standing| doc.people.iter().filter(|p| p.status == s).count();
    doc.expected = doc.people.len();
    doc.signed = count(Standing::Signed);
    doc.sign_again = count(Standing::SignAgain);
    doc.never = count(Standing::Never);
}

/// A class no roster has is an error, with the nearest one.
fn check_class(report: &SignOffReport, class: &str, diags: &mut Diagnostics) {
    let mut classes: Vec<&str> = report
        .schools
        .iter()
        .flat_map(|s| &s.documents)
        .flat_map(|d| &d.people)
        .filter_map(|p| p.class.as_deref())
        .collect();
    classes.sort_unstable();
    classes.dedup();
    if classes.iter().any(|c| class_key(c) == class_key(class)) {
        return;
    }
    let hint = match suggestion(class, classes.iter().copied()) {
        Some(s) => s,
        None if classes.is_empty() => "no roster has a `class` column".to_string(),
        None => format!("the rosters' classes are: {}", classes.join(", ")),
    };
    diags.push(
        Diagnostic::error(
            Code::UnknownClass,
            "--class",
            format!("no one on a roster is in the class `{class}`"),
        )
        .with_hint(hint),
    );
}

/// A class name for matching `--class`: case, spacing, hyphens and
/// underscores aside, so `--class year-4-oak` finds "Year 4 Oak" without
/// quotes in the shell.
fn class_key(class: &str) -> String {
    normalise(&class.replace(['-', '_'], " "))
}

/// Sign-off counts by document for the pack and trust indexes: counts only,
/// never names. If the rosters or ledgers have problems, the indexes show
/// no counts and one warning (which names no one) says where to look.
pub fn sign_off_counts(
    resolved: &Resolved,
    manifest: &Manifest,
    diags: &mut Diagnostics,
) -> BTreeMap<DocKey, SignOffProgress> {
    let mut problems = Diagnostics::default();
    let report = report_against(resolved, manifest, &mut problems);
    if problems.has_errors() {
        let (errors, _) = problems.counts();
        diags.push(
            Diagnostic::warning(
                Code::SignoffLeftOut,
                "people/",
                format!(
                    "the pack indexes show no sign-off counts: the rosters or ledgers have {errors} problem{}{}",
                    if errors == 1 { "" } else { "s" },
                    // Codes and places only: the messages may name people.
                    problems
                        .sorted()
                        .first()
                        .map(|d| format!(" (the first: {} at {})", d.code, d.location()))
                        .unwrap_or_default()
                ),
            )
            .with_hint("run `policyc signoff status` to see them"),
        );
        return BTreeMap::new();
    }
    report
        .schools
        .iter()
        .flat_map(|s| s.documents.iter().map(move |d| (s, d)))
        .map(|(s, d)| {
            let progress = SignOffProgress {
                signed: d.signed,
                expected: d.expected,
                sign_again: d.sign_again,
                never: d.never,
            };
            (DocKey::new(&s.school, &d.policy, &d.audience), progress)
        })
        .collect()
}

/// Every register to print for the people `filter` keeps, as PDFs with
/// their paths relative to the private folder. A name no font can print is
/// reported at its roster line; nothing is returned if anything failed.
pub fn register_pdfs(
    resolved: &Resolved,
    filter: &SignOffFilter,
    pdf: PdfSettings,
    on_timeout: OnTimeout,
    diags: &mut Diagnostics,
) -> Vec<PrivateFile> {
    let report = sign_off_report(resolved, filter, true, diags);
    if diags.has_errors() {
        return Vec::new();
    }
    let pupils: Vec<&str> = resolved
        .project
        .audiences
        .iter()
        .filter(|a| a.reading != Reading::Adult)
        .map(|a| a.id.as_str())
        .collect();
    let engine = PdfEngine::with_fonts(&resolved.project.fonts);
    let template = resolved.project.templates.get(Layout::Register);
    let mut all = Vec::new();
    for school in &report.schools {
        for doc in &school.documents {
            for person in &doc.people {
                if let Some(c) = engine.first_unprintable(&person.name) {
                    diags.push(unprintable_name(person, c));
                }
            }
        }
        if diags.has_errors() {
            continue;
        }
        all.extend(registers(school, &pupils, &resolved.today));
    }
    let run = SheetRun {
        engine: &engine,
        template,
        ident: "register",
        layout_name: "register layout",
        today: &resolved.today,
        pdf,
    };
    run.render(&all, |r| (r.path.as_str(), &r.data), on_timeout, diags)
}

/// A name on a roster that no font can print.
pub(crate) fn unprintable_name(person: &PersonStatus, c: char) -> Diagnostic {
    unprintable_character(&person.file, person.line, c)
}

/// A character in a name on `roster`'s `line` that no font can print.
pub(crate) fn unprintable_character(roster: &str, line: usize, c: char) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        Code::UnprintableCharacter,
        roster,
        format!("`{c}` (U+{:04X}) in a name cannot be printed: neither the fonts built into policyc nor any in fonts/ has it", c as u32),
    )
    .with_hint("put a font that has it in the project's fonts/ folder (a .ttf or .otf, such as the Noto font for that script)");
    diagnostic.line = Some(line);
    diagnostic
}

/// Form responses matched to a school's roster, and the ledger they make.
#[derive(Debug, Clone)]
pub struct Import {
    /// What is new and what was already recorded.
    pub plan: ImportPlan,
    /// The ledger's path relative to the project.
    pub ledger: String,
    /// The ledger's whole new text: the old text with the new lines after it.
    pub text: String,
}

/// Plans adding `export`'s responses to `school`'s ledger. Nothing is
/// written here; problems go to `diags`.
pub fn import_responses(
    resolved: &Resolved,
    school: &str,
    export: FormExport,
    diags: &mut Diagnostics,
) -> Import {
    let schools: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
    let (people, published) = match resolved.project.folder.as_ref() {
        Some(root) => (
            load_people(root, &schools, resolved.project.date_order, diags),
            load_published(root, diags),
        ),
        None => (Default::default(), Vec::new()),
    };
    let plan = plan_import(
        &people,
        school,
        &export.file,
        &export.text,
        export.rows,
        &current_manifest(resolved),
        &published,
        &editorial_marks(resolved),
        diags,
    );
    let ledger = format!("people/{school}/signed.csv");
    if let Some(workbook) = people.ledgers.get(school).filter(|l| l.file != ledger) {
        diags.push(
            Diagnostic::error(Code::LedgerWorkbook, &workbook.file, "policyc adds imported signatures to the ledger as CSV, and this school's ledger is a workbook")
                .with_hint(format!("save {} as CSV UTF-8 named signed.csv in the same folder, delete the workbook, and import again", workbook.file)),
        );
    }
    let old = people.sources.get(&ledger).cloned().unwrap_or_default();
    let mut text = if old.trim().is_empty() {
        "name,audience,class,child,document_id,signed_on\n".to_string()
    } else {
        old
    };
    let style = LedgerStyle::of(&text);
    if !text.ends_with('\n') {
        text.push_str(style.newline());
    }
    let columns = ledger_columns(&text);
    let rows: Vec<Vec<String>> = plan
        .new_rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| match c.as_str() {
                    "name" => r.name.clone(),
                    "audience" => r.audience.clone(),
                    "class" => r.class.clone().unwrap_or_default(),
                    "child" => r.child.clone().unwrap_or_default(),
                    "document_id" => r.doc_id.clone(),
                    "signed_on" => r.signed_on.clone(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    text.push_str(&write_ledger_rows(&rows, style));
    Import { plan, ledger, text }
}
