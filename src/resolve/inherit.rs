//! Inheritance: folds a school file over the defaults files it `extends`.
//!
//! The nearer file wins. Maps (`contacts`, `systems`, `vars`, `replace`,
//! per-audience values, `signature`, `booklets` by policy) merge key by key; `blocks` edits run
//! the farther file's first, then the nearer's; every other value,
//! lists included, is taken whole from the nearest file that sets it. The
//! merge also records which file each top-level key came from, so messages
//! and `explain` can point at it.

use std::collections::BTreeMap;

use crate::model::files::{SchoolFile, SignatureExtras};
use crate::model::project::Merged;

/// Merges a chain of files, nearest (the school's own) first.
pub fn merge_chain(chain: &[(String, SchoolFile)]) -> Merged {
    let mut merged = Merged {
        school: SchoolFile::default(),
        provenance: BTreeMap::new(),
    };
    for (file, layer) in chain.iter().rev() {
        merge_layer(&mut merged, layer.clone(), file);
    }
    merged
}

/// Lays `top` over `acc`: `top`'s values win.
fn merge_layer(acc: &mut Merged, top: SchoolFile, file: &str) {
    // Every field, by name and without `..`: a field added to SchoolFile
    // fails to compile here until it is merged below (or, like `extends`,
    // deliberately not inherited).
    let SchoolFile {
        extends: _,
        id: _,
        name: _,
        short_name: _,
        trust: _,
        address: _,
        website: _,
        motto: _,
        values: _,
        logo: _,
        contacts: _,
        systems: _,
        approval: _,
        review_by: _,
        version: _,
        audiences: _,
        policies: _,
        numbering: _,
        signature: _,
        linked_policies: _,
        retention: _,
        intro: _,
        layout: _,
        exclude: _,
        replace: _,
        locked: _,
        modules: _,
        vars: _,
        labels: _,
        date_precision: _,
        blocks: _,
        list_numbering: _,
        sign_with: _,
        full_text_url: _,
        online_form: _,
        booklets: _,
        privacy_notice_url: _,
        retention_schedule: _,
        masthead: _,
        roles: _,
    } = &top;
    let base = &mut acc.school;
    let prov = &mut acc.provenance;
    macro_rules! whole {
        ($($field:ident),*) => {$(
            if let Some(value) = top.$field {
                base.$field = Some(value);
                prov.insert(stringify!($field), file.to_string());
            }
        )*};
    }
    macro_rules! keyed {
        ($($field:ident),*) => {$(
            if let Some(value) = top.$field {
                base.$field = Some(merge_maps(value, base.$field.take()));
                prov.insert(stringify!($field), file.to_string());
            }
        )*};
    }
    macro_rules! per_audience {
        ($($field:ident),*) => {$(
            if let Some(value) = top.$field {
                base.$field = Some(match base.$field.take() {
                    Some(below) => value.merged_over(below),
                    None => value,
                });
                prov.insert(stringify!($field), file.to_string());
            }
        )*};
    }
    whole!(
        name,
        short_name,
        trust,
        address,
        website,
        motto,
        logo,
        approval,
        review_by,
        version,
        audiences,
        policies,
        linked_policies,
        exclude,
        locked,
        modules,
        date_precision,
        online_form,
        masthead
    );
    // The trust's own documents belong to the trust, not to a school
    // that extends its defaults.
    if let Some(trust) = base.trust.as_mut() {
        trust.documents = None;
    }
    keyed!(contacts, systems, replace, vars, retention_schedule, roles);
    per_audience!(
        numbering,
        retention,
        intro,
        layout,
        values,
        list_numbering,
        sign_with,
        full_text_url,
        privacy_notice_url
    );
    if let Some(edits) = top.blocks {
        // Per policy, the nearer file's edits apply after the farther's.
        let mut merged = base.blocks.take().unwrap_or_default();
        for (policy, list) in edits {
            merged
                .entry(policy)
                .or_default()
                .extend(list.into_iter().map(|mut edit| {
                    edit.file = file.to_string();
                    edit
                }));
        }
        base.blocks = Some(merged);
        prov.insert("blocks", file.to_string());
    }
    if let Some(booklets) = top.booklets {
        // Per policy, the nearer file's booklet replaces the farther's.
        let booklets = booklets
            .into_iter()
            .map(|(policy, mut def)| {
                def.file = file.to_string();
                (policy, def)
            })
            .collect();
        base.booklets = Some(merge_maps(booklets, base.booklets.take()));
        prov.insert("booklets", file.to_string());
    }
    if let Some(labels) = top.labels {
        // Key by key, and within a key audience by audience.
        let mut merged = base.labels.take().unwrap_or_default();
        for (key, value) in labels {
            let value = match merged.remove(&key) {
                Some(below) => value.merged_over(below),
                None => value,
            };
            merged.insert(key, value);
        }
        base.labels = Some(merged);
        prov.insert("labels", file.to_string());
    }
    if let Some(signature) = top.signature {
        let below = base.signature.take().unwrap_or_default();
        base.signature = Some(SignatureExtras {
            parent: signature.parent.or(below.parent),
            countersign: signature.countersign.or(below.countersign),
            countersign_fields: signature.countersign_fields.or(below.countersign_fields),
            side_by_side: signature.side_by_side.or(below.side_by_side),
            fields: match (signature.fields, below.fields) {
                (Some(top), below) => Some(merge_maps(top, below)),
                (None, below) => below,
            },
        });
        prov.insert("signature", file.to_string());
    }
}

fn merge_maps<V>(
    top: BTreeMap<String, V>,
    below: Option<BTreeMap<String, V>>,
) -> BTreeMap<String, V> {
    let mut merged = below.unwrap_or_default();
    merged.extend(top);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(yaml: &str) -> SchoolFile {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn school_values_win_and_maps_merge() {
        let trust = file(
            "name: Trust default\ncontacts:\n  dpo: {name: D}\n  it: {name: I}\nnumbering: {default: decimal, ks2: bullet}\nexclude: [a, b]\n",
        );
        let school = file(
            "extends: _trust.yaml\nname: School\ncontacts:\n  dpo: {name: Local}\nnumbering: {staff: roman}\nexclude: [c]\n",
        );
        let merged = merge_chain(&[
            ("schools/s.yaml".into(), school),
            ("schools/_trust.yaml".into(), trust),
        ]);
        let s = &merged.school;
        assert_eq!(s.name.as_deref(), Some("School"));
        let contacts = s.contacts.as_ref().unwrap();
        assert_eq!(contacts["dpo"].name, "Local");
        assert_eq!(contacts["it"].name, "I");
        let numbering = s.numbering.as_ref().unwrap();
        assert_eq!(
            numbering.get("staff"),
            Some(&crate::model::files::NumberingStyle::Roman)
        );
        assert_eq!(
            numbering.get("ks2"),
            Some(&crate::model::files::NumberingStyle::Bullet)
        );
        assert_eq!(
            numbering.get("ks1"),
            Some(&crate::model::files::NumberingStyle::Decimal)
        );
        assert_eq!(s.exclude.as_deref(), Some(&["c".to_string()][..]));
        assert_eq!(merged.provenance["contacts"], "schools/s.yaml");
    }

    #[test]
    fn signature_extras_merge_per_kind() {
        let trust = file("signature: {parent: [ks1, ks2]}\n");
        let school = file("signature: {countersign: [staff]}\n");
        let merged = merge_chain(&[("s".into(), school), ("t".into(), trust)]);
        let sig = merged.school.signature.unwrap();
        assert_eq!(sig.parent.unwrap(), vec!["ks1", "ks2"]);
        assert_eq!(sig.countersign.unwrap(), vec!["staff"]);
    }
}
