//! A build's booklets: their input hashes, and which of them are out of
//! date. A booklet depends on its preamble and on every agreement in it,
//! so it is rendered again whenever one of them changes.

use std::collections::BTreeMap;

use crate::model::booklet::BookletAt;
use crate::model::hash::hex_digest;
use crate::model::key::DocKey;
use crate::model::project::Resolved;
use crate::output::cache::input_hash;
use crate::output::Previous;

/// The input hash of every resolved booklet: its preamble's, with the
/// input hashes of the documents in it (`doc_hashes`).
pub fn booklet_hashes(
    resolved: &Resolved,
    doc_hashes: &BTreeMap<DocKey, String>,
    options: &str,
) -> BTreeMap<BookletAt, String> {
    resolved
        .booklets()
        .map(|at| {
            let school = &resolved.schools[at.0];
            let booklet = resolved.booklet(at);
            let logo = school.logo.as_ref().map(|l| l.bytes.as_slice());
            let mut hashed = input_hash(&booklet.preamble, &resolved.project, logo, options);
            if booklet.two_sided {
                hashed.push_str(" two-sided");
            }
            for &i in &booklet.members {
                let key = school.documents[i].key();
                hashed.push(' ');
                hashed.push_str(doc_hashes.get(&key).map_or("", String::as_str));
            }
            (at, hex_digest(hashed.as_bytes()))
        })
        .collect()
}

/// The booklets to render: those whose inputs changed since the last build
/// or whose PDF is gone or altered; every one when `force`.
pub fn out_of_date(
    previous: &Previous,
    out: &crate::sealed::Folder,
    resolved: &Resolved,
    hashes: &BTreeMap<BookletAt, String>,
    force: bool,
) -> Vec<BookletAt> {
    hashes
        .iter()
        .filter(|(&at, hash)| {
            let booklet = resolved.booklet(at);
            let kept = previous.manifest.booklets.iter().find(|b| {
                b.school == booklet.school()
                    && b.policy == booklet.policy()
                    && &&b.input_hash == hash
            });
            force
                || kept
                    .is_none_or(|b| !previous.cache.intact(out, &b.output.path, &b.output.sha256))
        })
        .map(|(&at, _)| at)
        .collect()
}
