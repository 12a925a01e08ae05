//! The manifest's records, made from resolved and rendered documents: pure
//! functions, so `changes` can build the current manifest without writing
//! and a build can merge its new records with the ones it keeps.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::booklet::BookletAt;
use crate::model::build::{typst_version, Rendered, RenderedBooklet};
use crate::model::document::Document;
use crate::model::hash::hex_digest;
use crate::model::key::DocKey;
use crate::model::key::OutputKind;
use crate::model::manifest::{
    InputFile, Manifest, ManifestBooklet, ManifestClause, ManifestDoc, OutputFile,
};
use crate::model::markdown::plain_text;
use crate::model::project::{Resolved, ResolvedSchool};
use crate::model::templates::Layout;

/// The record of one document of `school`, with its outputs and input hash.
pub fn manifest_doc(
    resolved: &Resolved,
    school: &ResolvedSchool,
    doc: &Document,
    outputs: BTreeMap<OutputKind, OutputFile>,
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
        trust_own: school.trust_own,
        signers: doc.signers.clone(),
        policy: doc.policy_id.clone(),
        audience: doc.audience_id.clone(),
        audience_label: doc.audience_label.clone(),
        title: doc.title.clone(),
        doc_id: doc.doc_id.clone(),
        notice: doc.notice,
        consent: doc.consent.iter().map(|c| c.id.clone()).collect(),
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
    for name in Layout::DOCUMENT {
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

/// A manifest of these records, stamped with this binary's versions.
fn stamped(documents: Vec<ManifestDoc>, booklets: Vec<ManifestBooklet>) -> Manifest {
    let mut manifest = Manifest {
        policyc: env!("CARGO_PKG_VERSION").to_string(),
        typst: typst_version().to_string(),
        documents,
        booklets,
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
    stamped(documents, Vec::new())
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
    /// Old records of booklets that no longer exist (or could not be
    /// kept), whose PDFs the build removes.
    pub dropped_booklets: Vec<ManifestBooklet>,
}

/// The booklets' side of a build: every resolved booklet's input hash, and
/// the booklets this build rendered.
#[derive(Debug, Clone, Copy)]
pub struct BookletBuild<'a> {
    /// The input hash of each resolved booklet.
    pub hashes: &'a BTreeMap<BookletAt, String>,
    /// The booklets rendered.
    pub rendered: &'a [RenderedBooklet],
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
    booklets: BookletBuild<'_>,
    complete: bool,
) -> NextManifest {
    let mut outputs: BTreeMap<DocKey, BTreeMap<OutputKind, OutputFile>> = previous
        .documents
        .iter()
        .map(|d| (d.key(), d.outputs.clone()))
        .collect();
    for item in rendered {
        let files = item
            .outputs
            .iter()
            .map(|(kind, staged)| {
                let file = OutputFile {
                    path: staged.rel.clone(),
                    sha256: staged.sha256.clone(),
                };
                (*kind, file)
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
    let (booklets, dropped_booklets) = next_booklets(previous, resolved, booklets, complete);
    NextManifest {
        manifest: stamped(kept, booklets),
        dropped,
        dropped_booklets,
    }
}

/// The booklet records after a build, and the old ones it drops. A
/// resolved booklet keeps its old PDF when its inputs are unchanged.
fn next_booklets(
    previous: &Manifest,
    resolved: &Resolved,
    build: BookletBuild<'_>,
    complete: bool,
) -> (Vec<ManifestBooklet>, Vec<ManifestBooklet>) {
    let mut records = Vec::new();
    for (&at, hash) in build.hashes {
        let booklet = resolved.booklet(at);
        let old = previous
            .booklets
            .iter()
            .find(|b| b.school == booklet.school() && b.policy == booklet.policy());
        let output = match build.rendered.iter().find(|r| r.at == at) {
            Some(r) => OutputFile {
                path: r.staged.rel.clone(),
                sha256: r.staged.sha256.clone(),
            },
            None => match old.filter(|b| &b.input_hash == hash) {
                Some(b) => b.output.clone(),
                None => continue,
            },
        };
        let school = &resolved.schools[at.0];
        records.push(ManifestBooklet {
            school: booklet.school().to_string(),
            policy: booklet.policy().to_string(),
            title: booklet.preamble.title.clone(),
            doc_id: booklet.preamble.doc_id.clone(),
            audiences: booklet
                .members
                .iter()
                .map(|&i| school.documents[i].audience_id.clone())
                .collect(),
            input_hash: hash.clone(),
            output,
        });
    }
    let (kept, dropped): (Vec<_>, Vec<_>) = previous
        .booklets
        .iter()
        .filter(|old| {
            !records
                .iter()
                .any(|b| b.school == old.school && b.policy == old.policy)
        })
        .cloned()
        .partition(|_| !complete);
    records.extend(kept);
    (records, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;

    /// The basic fixture project, resolved.
    fn basic() -> Resolved {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut diags = Diagnostics::default();
        crate::pipeline::prepare(&root, &[], &[], &mut diags).expect("the fixture resolves")
    }

    fn output(path: &str) -> BTreeMap<OutputKind, OutputFile> {
        BTreeMap::from([(
            OutputKind::Pdf,
            OutputFile {
                path: path.into(),
                sha256: "0".repeat(64),
            },
        )])
    }

    #[test]
    fn the_current_manifest_records_every_document_and_what_it_was_made_from() {
        let resolved = basic();
        let manifest = current_manifest(&resolved);
        assert_eq!(manifest.policyc, env!("CARGO_PKG_VERSION"));
        assert_eq!(manifest.typst, typst_version());
        assert_eq!(manifest.documents.len(), resolved.documents().count());
        let mut sorted = manifest.documents.clone();
        sorted.sort_by_key(ManifestDoc::key);
        assert_eq!(sorted, manifest.documents, "records are in key order");
        let alpha = manifest
            .documents
            .iter()
            .find(|d| d.school == "alpha" && d.audience == "staff")
            .unwrap();
        assert!(alpha.outputs.is_empty() && alpha.input_hash.is_empty());
        let paths: Vec<&str> = alpha.inputs.iter().map(|i| i.path.as_str()).collect();
        for wanted in [
            "schools/alpha.yaml",
            "schools/_trust.yaml",
            "policies/aup.yaml",
        ] {
            assert!(paths.contains(&wanted), "{wanted} in {paths:?}");
        }
        assert!(paths.iter().any(|p| p.starts_with("clauses/")));
        assert!(paths.iter().any(|p| p.starts_with("<built-in>/")));
        assert!(alpha.clauses.iter().all(|c| !c.text.is_empty()));
    }

    #[test]
    fn a_complete_build_drops_stale_records_and_a_filtered_one_keeps_them() {
        let resolved = basic();
        let mut previous = current_manifest(&resolved);
        for doc in &mut previous.documents {
            doc.outputs = output(&format!("{}/{}.pdf", doc.school, doc.audience));
        }
        let mut gone = previous.documents[0].clone();
        gone.school = "closed-school".into();
        previous.documents.push(gone);
        let hashes: BTreeMap<DocKey, String> = resolved
            .documents()
            .map(|(_, d)| (d.key(), "h".to_string()))
            .collect();
        let booklets = BookletBuild {
            hashes: &BTreeMap::new(),
            rendered: &[],
        };

        let next = next_manifest(&previous, &resolved, &[], &hashes, booklets, true);
        assert_eq!(next.dropped.len(), 1);
        assert_eq!(next.dropped[0].school, "closed-school");
        assert_eq!(next.manifest.documents.len(), resolved.documents().count());
        for doc in &next.manifest.documents {
            assert_eq!(doc.input_hash, "h");
            let kept = &doc.outputs[&OutputKind::Pdf].path;
            assert_eq!(kept, &format!("{}/{}.pdf", doc.school, doc.audience));
        }

        let filtered = next_manifest(&previous, &resolved, &[], &hashes, booklets, false);
        assert!(filtered.dropped.is_empty());
        assert!(filtered
            .manifest
            .documents
            .iter()
            .any(|d| d.school == "closed-school"));
    }

    #[test]
    fn a_document_never_built_gets_no_record() {
        let resolved = basic();
        let next = next_manifest(
            &Manifest::default(),
            &resolved,
            &[],
            &BTreeMap::new(),
            BookletBuild {
                hashes: &BTreeMap::new(),
                rendered: &[],
            },
            true,
        );
        assert!(next.manifest.documents.is_empty());
        assert!(next.dropped.is_empty() && next.dropped_booklets.is_empty());
    }
}
