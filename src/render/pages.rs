//! The pages around the documents: each school's pack index and the trust
//! index (made from the manifest, so they list every document built so far,
//! not only this run's), and each school's summary of changes.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::model::manifest::{Manifest, ManifestDoc};
use crate::model::project::Resolved;
use crate::render::html::{HtmlRenderer, PackEntry, PackFacts, TrustEntry};
use crate::report::changes::{DocChange, Report};

/// A page to write: its path relative to the output folder and its HTML.
pub type Page = (String, String);

/// Every school's pack index and the trust index. `has_changes` says
/// whether a school's folder holds a summary of changes to link to.
pub fn index_pages(
    renderer: &HtmlRenderer,
    manifest: &Manifest,
    has_changes: &dyn Fn(&str) -> bool,
) -> Result<Vec<Page>, Diagnostic> {
    let mut by_school: BTreeMap<&str, Vec<&ManifestDoc>> = BTreeMap::new();
    for doc in &manifest.documents {
        by_school.entry(doc.school.as_str()).or_default().push(doc);
    }
    let mut pages = Vec::new();
    let mut trust_rows = Vec::new();
    for (school_id, docs) in &by_school {
        let first = docs[0];
        let rows: Vec<PackEntry> = docs.iter().map(|d| pack_entry(d)).collect();
        let facts = PackFacts {
            version: first.version.clone(),
            approved_by: first.approved_by.clone(),
            approved_on_text: first.approved_on.clone(),
            review_by_text: first.review_by.clone(),
        };
        let page = renderer.pack(
            &first.school_name,
            first.trust.as_deref(),
            &facts,
            &rows,
            has_changes(school_id),
        )?;
        pages.push((format!("{school_id}/index.html"), page));
        trust_rows.push(TrustEntry {
            id: school_id.to_string(),
            name: first.school_name.clone(),
            count: docs.len(),
            version: first.version.clone(),
        });
    }
    let trust = manifest.documents.first().and_then(|d| d.trust.clone());
    pages.push((
        "index.html".to_string(),
        renderer.trust(trust.as_deref(), &trust_rows)?,
    ));
    Ok(pages)
}

/// A pack index row for one manifest record.
fn pack_entry(d: &ManifestDoc) -> PackEntry {
    let key = d.key();
    PackEntry {
        title: d.title.clone(),
        audience_label: d.audience_label.clone(),
        doc_id: d.doc_id.clone(),
        pdf: d.outputs.contains_key("pdf").then(|| key.file_name("pdf")),
        html: d
            .outputs
            .contains_key("html")
            .then(|| key.file_name("html")),
    }
}

/// `<school>/changes.html` for each school of `resolved` that the report
/// has a summary for.
pub fn changes_pages(
    renderer: &HtmlRenderer,
    resolved: &Resolved,
    report: &Report,
) -> Result<Vec<Page>, Diagnostic> {
    let mut pages = Vec::new();
    for summary in &report.schools {
        let Some(school) = resolved.schools.iter().find(|s| s.id == summary.school) else {
            continue;
        };
        let docs: Vec<DocChange> = report
            .documents
            .iter()
            .filter(|d| d.school == summary.school)
            .cloned()
            .collect();
        let name = school.merged.school.name.clone().unwrap_or_default();
        let trust = school.merged.school.trust.as_ref().map(|t| t.name.clone());
        let page = renderer.changes(&name, trust.as_deref(), &docs, &summary.line)?;
        pages.push((format!("{}/changes.html", summary.school), page));
    }
    Ok(pages)
}
