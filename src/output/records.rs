//! The manifest's records, made from resolved and rendered documents: pure
//! functions, so `changes` can build the current manifest without writing
//! and a build can merge its new records with the ones it keeps.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::build::{Rendered, TYPST_VERSION};
use crate::model::document::Document;
use crate::model::hash::hex_digest;
use crate::model::key::DocKey;
use crate::model::manifest::{InputFile, Manifest, ManifestClause, ManifestDoc, OutputFile};
use crate::model::markdown::plain_text;
use crate::model::project::{Resolved, ResolvedSchool};
use crate::model::templates::Templates;

/// The record of one document of `school`, with its outputs and input hash.
pub fn manifest_doc(
    resolved: &Resolved,
    school: &ResolvedSchool,
    doc: &Document,
    outputs: BTreeMap<String, OutputFile>,
    input_hash: String,
) -> ManifestDoc {
    let inputs = document_inputs(resolved, school, doc);
    let clauses = doc
        .clauses()
        .map(|(s, c)| ManifestClause {
            id: c.id.clone(),
            section: s.id.clone(),
            label: c.label.clone(),
            origin: c.provenance.origin,
            file: c.provenance.file.clone(),
            placeholders: c.provenance.placeholders.clone(),
            text: plain_text(&c.blocks),
        })
        .collect();
    ManifestDoc {
        school: doc.school_id.clone(),
        school_name: doc.school.name.clone(),
        trust: doc.school.trust.clone(),
        policy: doc.policy_id.clone(),
        audience: doc.audience_id.clone(),
        audience_label: doc.audience_label.clone(),
        title: doc.title.clone(),
        doc_id: doc.doc_id.clone(),
        version: doc.meta.version.clone(),
        approved_by: doc.meta.approved_by.clone(),
        approved_on: doc.meta.approved_on_text.clone(),
        review_by: doc.meta.review_by_text.clone(),
        input_hash,
        outputs,
        inputs,
        clauses,
    }
}

/// The files a document was built from, with hashes.
fn document_inputs(resolved: &Resolved, school: &ResolvedSchool, doc: &Document) -> Vec<InputFile> {
    let project = &resolved.project;
    let mut paths: Vec<String> = school.files.clone();
    paths.extend(doc.clauses().map(|(_, c)| c.provenance.file.clone()));
    paths.extend(
        project
            .policies
            .iter()
            .filter(|p| p.id == doc.policy_id)
            .map(|p| p.file.clone()),
    );
    let mut inputs: Vec<InputFile> = paths
        .into_iter()
        .filter_map(|p| {
            project.sources.get(&p).map(|text| InputFile {
                sha256: hex_digest(text.as_bytes()),
                path: p,
            })
        })
        .collect();
    for name in Templates::DOCUMENT {
        let t = project.templates.get(name);
        inputs.push(InputFile {
            path: t.file.clone(),
            sha256: hex_digest(t.text.as_bytes()),
        });
    }
    if let Some(logo) = &school.logo {
        inputs.push(InputFile {
            path: logo.file.clone(),
            sha256: hex_digest(&logo.bytes),
        });
    }
    inputs.sort();
    inputs.dedup();
    inputs
}

/// An empty manifest stamped with this binary's versions.
fn stamped(documents: Vec<ManifestDoc>) -> Manifest {
    let mut manifest = Manifest {
        policyc: env!("CARGO_PKG_VERSION").to_string(),
        typst: TYPST_VERSION.to_string(),
        documents,
    };
    manifest.sort();
    manifest
}

/// Records for every resolved document, without outputs: what `changes`
/// compares with a baseline.
pub fn current_manifest(resolved: &Resolved) -> Manifest {
    let documents = resolved
        .documents()
        .map(|(i, doc)| {
            let school = &resolved.schools[i];
            manifest_doc(resolved, school, doc, BTreeMap::new(), String::new())
        })
        .collect();
    stamped(documents)
}

/// The manifest after a build, and the records it drops.
#[derive(Debug, Clone, PartialEq)]
pub struct NextManifest {
    /// The new manifest: the records of rendered documents, plus the old
    /// records of documents skipped as up to date (or outside a filter).
    pub manifest: Manifest,
    /// Old records of documents that no longer exist, whose outputs the
    /// build removes.
    pub dropped: Vec<ManifestDoc>,
}

/// Merges this build's records into the previous manifest. Every document
/// in the selection gets a fresh record (rendered ones with their new
/// outputs, up-to-date ones with the outputs they already have), so an
/// incremental build's manifest is the same as a clean build's. `hashes`
/// holds the input hash of every document in the selection; `complete` is
/// true when nothing was filtered out, so old records outside it are stale.
pub fn next_manifest(
    previous: &Manifest,
    resolved: &Resolved,
    rendered: &[Rendered],
    hashes: &BTreeMap<DocKey, String>,
    complete: bool,
) -> NextManifest {
    let mut outputs: BTreeMap<DocKey, BTreeMap<String, OutputFile>> = previous
        .documents
        .iter()
        .map(|d| (d.key(), d.outputs.clone()))
        .collect();
    for item in rendered {
        let files = item
            .outputs
            .iter()
            .map(|(format, staged)| {
                let file = OutputFile {
                    path: staged.rel.clone(),
                    sha256: staged.sha256.clone(),
                };
                (format.to_string(), file)
            })
            .collect();
        outputs.insert(item.doc.key(), files);
    }
    let entries: Vec<ManifestDoc> = resolved
        .documents()
        .filter_map(|(i, doc)| {
            let key = doc.key();
            let files = outputs.get(&key)?.clone();
            let hash = hashes.get(&key).cloned().unwrap_or_default();
            Some(manifest_doc(
                resolved,
                &resolved.schools[i],
                doc,
                files,
                hash,
            ))
        })
        .collect();
    let rewritten: BTreeSet<DocKey> = entries.iter().map(ManifestDoc::key).collect();
    let (mut kept, dropped): (Vec<ManifestDoc>, Vec<ManifestDoc>) = previous
        .documents
        .iter()
        .filter(|d| !rewritten.contains(&d.key()))
        .cloned()
        .partition(|d| !complete || hashes.contains_key(&d.key()));
    kept.extend(entries);
    NextManifest {
        manifest: stamped(kept),
        dropped,
    }
}
