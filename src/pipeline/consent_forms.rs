//! Consent forms for printing: each school's consent forms (policies of
//! `kind: consent`) personalised from its roster, the child's name and
//! class written in, one print file per form and class. With one form to
//! a sheet each child gets the whole form, each copy starting on an odd
//! page; with two or four, return slips with cut lines. `outstanding`
//! keeps only the children with an answer missing or a consent to renew.
//! Everything here holds names: it goes to the private folder only.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::people::project_people;
use crate::model::build::PdfSettings;
use crate::model::build::PrivateFile;
use crate::model::consent::Standing;
use crate::model::document::Document;
use crate::model::files::Reading;
use crate::model::people::Person;
use crate::model::project::{Resolved, ResolvedSchool};
use crate::model::slug::slug;
use crate::model::templates::Layout;
use crate::pipeline::consent::{consent_report, ConsentFilter};
use crate::render::merge::PrintFile;
use crate::render::pdf::PdfEngine;
use crate::render::pool::{panicked, parallel_map};
use crate::render::return_slips::{return_slips, SlipPeople};
use crate::render::slip::{filled_fields, signer_fields, Signer};
use crate::report::consent::class_key;
use crate::signoff::print::layout_error;
use crate::signoff::run::unprintable_character;

/// Which forms to print, and how.
#[derive(Debug, Clone, Default)]
pub struct FormFilter {
    /// Only these schools (none: all).
    pub schools: Vec<String>,
    /// Only the pupils in this class.
    pub class: Option<String>,
    /// Only pupils with an answer missing, or a consent to renew.
    pub outstanding: bool,
    /// Forms to a sheet: 1 (the whole form), 2 or 4 (return slips).
    pub per_sheet: u8,
}

/// A pupil a form is printed for.
#[derive(Debug, Clone)]
struct Child<'p> {
    person: &'p Person,
    /// "Name, Class", as the form's child field prints it.
    line: String,
}

/// The print files, as `(path in the private folder, bytes)`: one per
/// school, consent form and class. Problems go to `diags`, and then
/// nothing is returned.
pub fn consent_form_pdfs(
    resolved: &Resolved,
    filter: &FormFilter,
    pdf: PdfSettings,
    diags: &mut Diagnostics,
) -> Vec<PrivateFile> {
    let project = &resolved.project;
    let Some(people) = project_people(project, diags) else {
        return Vec::new();
    };
    let pending = if filter.outstanding {
        let report_filter = ConsentFilter {
            schools: filter.schools.clone(),
            class: filter.class.clone(),
        };
        Some(pending_answers(resolved, &report_filter, diags))
    } else {
        None
    };
    if diags.has_errors() {
        return Vec::new();
    }
    let engine = PdfEngine::with_fonts(&project.fonts);
    let mut files = Vec::new();
    for school in &resolved.schools {
        if !filter.schools.is_empty() && !filter.schools.contains(&school.id) {
            continue;
        }
        let forms: Vec<&Document> = school
            .documents
            .iter()
            .filter(|d| !d.consent.is_empty())
            .collect();
        if forms.is_empty() {
            continue;
        }
        let Some(roster) = people.rosters.get(&school.id) else {
            diags.push(
                Diagnostic::warning(
                    Code::ConsentNoRoster,
                    format!("people/{}", school.id),
                    "this school has consent forms but no roster, so no form can be personalised",
                )
                .with_hint(format!(
                    "add people/{}/roster.csv, listing the pupils (and their parents)",
                    school.id
                )),
            );
            continue;
        };
        for form in forms {
            let children = children_for(resolved, form, &roster.people, filter, pending.as_ref());
            for c in &children {
                if let Some(ch) = engine.first_unprintable(&c.line) {
                    diags.push(unprintable_character(&c.person.file, c.person.line, ch));
                }
            }
            let mut classes: BTreeMap<&str, Vec<&Child>> = BTreeMap::new();
            for c in &children {
                classes
                    .entry(c.person.class.as_deref().unwrap_or("No class"))
                    .or_default()
                    .push(c);
            }
            for (class, group) in classes {
                let path = format!(
                    "{}/consent/forms/{}-{}-{}.pdf",
                    school.id,
                    form.policy_id,
                    form.audience_id,
                    slug(class)
                );
                match print_group(resolved, &engine, school, form, class, &group, filter, pdf) {
                    Ok(bytes) => files.push(PrivateFile::shareable(path, bytes)),
                    Err(problem) => diags.push(problem),
                }
            }
        }
    }
    if diags.has_errors() {
        return Vec::new();
    }
    files
}

/// For each school, the pupils (by roster name and class key) with a
/// purpose unanswered or to renew, by purpose.
type Pending = BTreeMap<String, BTreeSet<(String, String, String)>>;

fn pending_answers(
    resolved: &Resolved,
    filter: &ConsentFilter,
    diags: &mut Diagnostics,
) -> Pending {
    let report = consent_report(resolved, filter, true, diags);
    let mut pending = Pending::new();
    for school in &report.schools {
        let set = pending.entry(school.school.clone()).or_default();
        for purpose in &school.purposes {
            for pupil in &purpose.pupils {
                if pupil.standing == Standing::Unanswered.label()
                    || pupil.standing == Standing::Renew.label()
                {
                    set.insert((
                        purpose.purpose.clone(),
                        pupil.name.clone(),
                        class_key(pupil.class.as_deref().unwrap_or("")),
                    ));
                }
            }
        }
    }
    pending
}

/// The pupils a form goes to: every pupil for a parents' form, the
/// audience's own pupils for a pupils' form; in the class asked for; and
/// with `outstanding`, only those with an answer missing or to renew (all
/// of them at a school with no consent ledger yet).
fn children_for<'p>(
    resolved: &Resolved,
    form: &Document,
    roster: &'p [Person],
    filter: &FormFilter,
    pending: Option<&Pending>,
) -> Vec<Child<'p>> {
    let pupil_audiences: Vec<&str> = resolved
        .project
        .audiences
        .iter()
        .filter(|a| a.reading != Reading::Adult && a.members.is_empty())
        .map(|a| a.id.as_str())
        .collect();
    let wanted = filter.class.as_deref().map(class_key);
    roster
        .iter()
        .filter(|p| pupil_audiences.contains(&p.audience.as_str()))
        .filter(|p| form.reading == Reading::Adult || p.audience == form.audience_id)
        .filter(|p| {
            wanted
                .as_deref()
                .is_none_or(|w| p.class.as_deref().is_some_and(|c| class_key(c) == w))
        })
        .filter(|p| match pending.and_then(|all| all.get(&form.school_id)) {
            None => true,
            Some(set) => form.consent.iter().any(|c| {
                set.contains(&(
                    c.id.clone(),
                    p.name.clone(),
                    class_key(p.class.as_deref().unwrap_or("")),
                ))
            }),
        })
        .map(|p| Child {
            person: p,
            line: match &p.class {
                Some(class) => format!("{}, {class}", p.name),
                None => p.name.clone(),
            },
        })
        .collect()
}

/// One class's print file for one form.
#[allow(clippy::too_many_arguments)]
fn print_group(
    resolved: &Resolved,
    engine: &PdfEngine,
    school: &ResolvedSchool,
    form: &Document,
    class: &str,
    children: &[&Child],
    filter: &FormFilter,
    pdf: PdfSettings,
) -> Result<Vec<u8>, Diagnostic> {
    let templates = &resolved.project.templates;
    if filter.per_sheet > 1 {
        let template = templates.get(Layout::ReturnSlips);
        let lines: Vec<String> = children.iter().map(|c| c.line.clone()).collect();
        let people = SlipPeople::for_consent(form, lines);
        let data = return_slips(form, class, filter.per_sheet, people);
        let ident = format!("consent-forms/{}/{}", form.key(), slug(class));
        return engine
            .render_data(&template.text, &data, &ident, &resolved.today, pdf)
            .map_err(|e| layout_error(template, e.message));
    }
    let template = templates.get(Layout::Policy);
    let audience = resolved
        .project
        .audiences
        .iter()
        .find(|a| a.id == form.audience_id);
    let kinds = audience.map_or_else(Vec::new, |a| signer_fields(&school.merged.school, a));
    let logo = school.logo.as_ref().map(|l| (l.format, l.bytes.as_slice()));
    let copies = parallel_map(children, rayon::current_num_threads(), |child| {
        let signer = if form.reading == Reading::Adult {
            Signer {
                child: Some(child.person.name.clone()),
                class: child.person.class.clone(),
                ..Signer::default()
            }
        } else {
            Signer {
                name: child.person.name.clone(),
                class: child.person.class.clone(),
                ..Signer::default()
            }
        };
        let mut filled = filled_fields(form, &kinds, &signer);
        filled.retain(|(_, value)| !value.is_empty());
        engine
            .compile_for(&template.text, form, logo, &filled)
            .and_then(|c| c.export(form, pdf))
            .map_err(|e| layout_error(template, e.message))
    });
    let mut file = PrintFile::new();
    for copy in copies {
        let bytes =
            copy.map_err(|message| panicked(&format!("{}.pdf", form.key()), &message))??;
        file.append_on_odd(&bytes)
            .map_err(|e| layout_error(template, e))?;
    }
    file.finish(&format!("{}: {class}", form.title))
        .map_err(|e| layout_error(template, e))
}
