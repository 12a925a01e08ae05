//! The pages around the documents: each school's pack index, its
//! departures from the trust defaults and the trust index (made from the
//! manifest, so they list every document built so far, not only this
//! run's), and each school's summary of changes.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::model::dates;
use crate::model::key::DocKey;
use crate::model::key::OutputKind;
use crate::model::manifest::{Manifest, ManifestDoc};
use crate::model::project::Resolved;
use crate::render::html::{
    BookletLink, HtmlRenderer, PackEntry, PackFacts, PackLinks, SignOffProgress, TrustChanges,
    TrustDocument, TrustEntry,
};
use crate::report::audit::TrustAudit;
use crate::report::changes::{ChangeStatus, DocChange, Report};

/// A page to write: its path relative to the output folder and its HTML.
pub type Page = (String, String);

/// Pages to put in place, and pages that must no longer exist because
/// nothing links to them any more (the output stage removes them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageSet {
    /// Pages to write.
    pub write: Vec<Page>,
    /// Paths, relative to the output folder, to remove if present.
    pub remove: Vec<String>,
}

/// What the indexes show besides the manifest: the day the build checks
/// review dates against, each school's departures from its trust, and
/// which schools have a summary of changes.
pub struct IndexFacts<'a> {
    /// The day of the build, `YYYY-MM-DD` (passed in; never the clock).
    pub today: &'a str,
    /// The trust audit, made from the project.
    pub audit: &'a TrustAudit,
    /// Whether a school's folder holds a summary of changes to link to.
    pub has_changes: &'a dyn Fn(&str) -> bool,
    /// Each school's audiences in the order its file lists them: the order
    /// of its pack index.
    pub audience_order: &'a BTreeMap<String, Vec<String>>,
    /// Sign-off counts by document, for the schools with a roster.
    pub sign_off: &'a BTreeMap<DocKey, SignOffProgress>,
    /// The last published pack's label and the changes since it, when
    /// there is one.
    pub since: Option<(&'a str, &'a Report)>,
    /// The way from these pages to the public ones: empty when they are
    /// the public pages, `../../out/` (say) for the internal index.
    pub public_base: &'a str,
}

/// The path of a school's departures page.
pub fn departures_path(school: &str) -> String {
    format!("{school}/departures.html")
}

/// Every school's pack index and departures page, and the trust index.
/// The booklets of `school` for its pack index, each with the labels of
/// the audiences in it as `docs` (the school's documents) give them.
fn booklet_links<'m>(
    manifest: &'m Manifest,
    school: &str,
    docs: &[&'m ManifestDoc],
) -> Vec<BookletLink<'m>> {
    manifest
        .booklets
        .iter()
        .filter(|b| b.school == school)
        .map(|b| BookletLink {
            title: &b.title,
            href: b
                .output
                .path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            doc_id: &b.doc_id,
            audiences: b
                .audiences
                .iter()
                .map(|a| {
                    docs.iter()
                        .find(|d| d.policy == b.policy && &d.audience == a)
                        .map_or(a.as_str(), |d| d.audience_label.as_str())
                })
                .collect(),
        })
        .collect()
}

pub fn index_pages(
    renderer: &HtmlRenderer,
    manifest: &Manifest,
    facts: &IndexFacts<'_>,
) -> Result<PageSet, Diagnostic> {
    let mut by_school: BTreeMap<&str, Vec<&ManifestDoc>> = BTreeMap::new();
    for doc in &manifest.documents {
        by_school.entry(doc.school.as_str()).or_default().push(doc);
    }
    // The trust's own documents say its name once, as their own.
    let trust = manifest.documents.iter().find_map(|d| {
        d.trust
            .clone()
            .or_else(|| d.trust_own.then(|| d.school_name.clone()))
    });
    let today = dates::parse(facts.today).ok();
    let mut pages = PageSet::default();
    let mut trust_rows = Vec::new();
    for (school_id, docs) in &by_school {
        let first = docs[0];
        let audit = facts
            .audit
            .schools
            .iter()
            .find(|a| a.school == *school_id && a.extends.is_some());
        match audit {
            Some(audit) => pages.write.push((
                departures_path(school_id),
                renderer.departures(
                    first.trust.as_deref(),
                    audit,
                    &pack_href(facts.public_base, school_id),
                )?,
            )),
            None => pages.remove.push(departures_path(school_id)),
        }
        let departures = audit.map(|a| a.policy_departures.len());
        let has_changes_page = (facts.has_changes)(school_id);
        let links = PackLinks {
            changes: has_changes_page,
            departures,
            booklets: booklet_links(manifest, school_id, docs),
        };
        let mut docs = docs.clone();
        if let Some(order) = facts.audience_order.get(*school_id) {
            let place = |a: &str| order.iter().position(|x| x == a).unwrap_or(order.len());
            docs.sort_by_key(|d| (d.policy.clone(), place(&d.audience)));
        }
        let rows: Vec<PackEntry> = docs
            .iter()
            .map(|d| pack_entry(d, facts.sign_off.get(&d.key()).copied()))
            .collect();
        let school_sign_off = rows
            .iter()
            .filter_map(|r| r.sign_off)
            .reduce(SignOffProgress::together);
        let page = renderer.pack(
            &first.school_name,
            first.trust.as_deref(),
            &pack_facts(first),
            &rows,
            links,
        )?;
        pages.write.push((format!("{school_id}/index.html"), page));
        let review = dates::parse_long_form(&first.review_by);
        trust_rows.push(TrustEntry {
            id: school_id.to_string(),
            name: first.school_name.clone(),
            count: docs.len(),
            facts: pack_facts(first),
            review_overdue: matches!((review, today), (Some(r), Some(t)) if r < t),
            policy_departures: departures,
            documents: docs
                .iter()
                .map(|d| trust_document(d, facts.sign_off.get(&d.key()).copied()))
                .collect(),
            sign_off: school_sign_off,
            changes: facts
                .since
                .map(|(_, report)| trust_changes(report, school_id, has_changes_page)),
            trust_own: first.trust_own,
        });
    }
    // The trust's own documents come first, then the schools by id.
    trust_rows.sort_by_key(|row| !row.trust_own);
    let today_text = dates::long_form(facts.today);
    pages.write.push((
        "index.html".to_string(),
        renderer.trust(
            trust.as_deref(),
            &trust_rows,
            &today_text,
            facts.since.map(|(label, _)| label),
            facts.public_base,
        )?,
    ));
    Ok(pages)
}

/// The link from a school's departures page to its pack index: beside it
/// among the public pages, or by `public_base` from the internal ones
/// (one folder further down, in the school's own).
fn pack_href(public_base: &str, school: &str) -> String {
    if public_base.is_empty() {
        "index.html".to_string()
    } else {
        format!("../{public_base}{school}/index.html")
    }
}

/// The version and dates of a school's pack, from one of its records.
fn pack_facts(d: &ManifestDoc) -> PackFacts {
    PackFacts {
        version: d.version.clone(),
        approved_by: d.approved_by.clone(),
        approved_on_text: d.approved_on.clone(),
        review_by_text: d.review_by.clone(),
    }
}

/// A document as the trust index lists it.
fn trust_document(d: &ManifestDoc, sign_off: Option<SignOffProgress>) -> TrustDocument {
    TrustDocument {
        title: d.title.clone(),
        audience_label: d.audience_label.clone(),
        doc_id: d.doc_id.clone(),
        sign_off: sign_off.filter(|_| !d.notice && d.consent.is_empty()),
    }
}

/// A school's line of the changes report, for the trust index.
fn trust_changes(report: &Report, school: &str, page: bool) -> TrustChanges {
    let summary = report.schools.iter().find(|s| s.school == school);
    let changed = report
        .documents
        .iter()
        .any(|d| d.school == school && d.status != ChangeStatus::Unchanged);
    TrustChanges {
        changed,
        summary: summary.map_or_else(
            || "new since then".to_string(),
            |s| {
                let line = s
                    .line
                    .strip_prefix(&format!("{school}: "))
                    .unwrap_or(&s.line);
                let mut chars = line.chars();
                chars
                    .next()
                    .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
            },
        ),
        page: page && changed,
    }
}

/// A pack index row for one manifest record.
fn pack_entry(d: &ManifestDoc, sign_off: Option<SignOffProgress>) -> PackEntry {
    let key = d.key();
    PackEntry {
        notice: d.notice,
        consent_form: !d.consent.is_empty(),
        title: d.title.clone(),
        audience_label: d.audience_label.clone(),
        doc_id: d.doc_id.clone(),
        pdf: d
            .outputs
            .contains_key(&OutputKind::Pdf)
            .then(|| key.file_name(OutputKind::Pdf)),
        html: d
            .outputs
            .contains_key(&OutputKind::Html)
            .then(|| key.file_name(OutputKind::Html)),
        slip: d
            .outputs
            .contains_key(&OutputKind::SlipPdf)
            .then(|| key.file_name(OutputKind::SlipPdf)),
        sign_off,
    }
}

/// `<school>/changes.html` for each school of `resolved` with a change
/// since the baseline; the same path, to remove, for each school without
/// one, so a summary of a change since reverted does not stay linked.
pub fn changes_pages(
    renderer: &HtmlRenderer,
    resolved: &Resolved,
    report: &Report,
) -> Result<PageSet, Diagnostic> {
    let mut pages = PageSet::default();
    for summary in &report.schools {
        let Some(school) = resolved.schools.iter().find(|s| s.id == summary.school) else {
            continue;
        };
        let path = format!("{}/changes.html", summary.school);
        let docs: Vec<DocChange> = report
            .documents
            .iter()
            .filter(|d| d.school == summary.school)
            .cloned()
            .collect();
        if docs.iter().all(|d| d.status == ChangeStatus::Unchanged) {
            pages.remove.push(path);
            continue;
        }
        let name = school.merged.school.name.clone().unwrap_or_default();
        let trust = school.merged.school.trust.as_ref().map(|t| t.name.clone());
        let page = renderer.changes(&name, trust.as_deref(), &docs, &reader_summary(&docs))?;
        pages.write.push((path, page));
    }
    Ok(pages)
}

/// The summary a reader sees at the top of a school's changes page: labels
/// ("Staff", "Key Stage 2 pupils"), not the ids the command line prints.
fn reader_summary(docs: &[DocChange]) -> String {
    let current = docs
        .iter()
        .filter(|d| d.status != ChangeStatus::Removed)
        .count();
    let labels = |keep: &dyn Fn(&DocChange) -> bool| -> Vec<String> {
        docs.iter()
            .filter(|d| keep(d))
            .map(|d| d.audience_label.clone())
            .collect()
    };
    let again = labels(&|d| d.sign_again);
    let editorial = labels(&|d| d.editorial_only);
    let withdrawn = labels(&|d| d.status == ChangeStatus::Removed);
    let plural = |n: usize| if n == 1 { "document" } else { "documents" };
    let mut parts = Vec::new();
    if again.is_empty() {
        parts.push(format!(
            "{current} {}; nobody needs to sign again.",
            plural(current)
        ));
    } else {
        parts.push(format!(
            "{} of {current} {} changed. Everyone who signed the agreement for {} must sign the new version.",
            again.len(),
            plural(current),
            join_labels(&again)
        ));
    }
    if !editorial.is_empty() {
        parts.push(format!(
            "Editorial corrections only, with nothing new to sign, for {}.",
            join_labels(&editorial)
        ));
    }
    if !withdrawn.is_empty() {
        parts.push(format!(
            "Withdrawn: the agreement for {}.",
            join_labels(&withdrawn)
        ));
    }
    parts.join(" ")
}

/// `a`, `a and b`, `a, b and c`.
fn join_labels(labels: &[String]) -> String {
    match labels {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
