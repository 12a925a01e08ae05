//! The readers of what a previous build left in `out/`: `manifest.json` and
//! `.policyc-cache.json`. Both arrive from outside (a restored CI cache, a
//! downloaded artefact), so any bytes must parse or be refused without a
//! panic, and whatever survives must name only paths inside `out/`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use policyc::model::ids::check_id;
use policyc::model::manifest::Manifest;
use policyc::output::cache::{is_plain_relative, Cache};
use policyc::output::trusted_records;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cache = Cache::parse(text);
    for rel in cache.files.keys() {
        assert!(is_plain_relative(rel), "kept {rel:?}");
        assert!(!rel.split('/').any(|p| p == ".."), "kept {rel:?}");
    }
    if let Ok(manifest) = Manifest::from_json(text) {
        for doc in trusted_records(manifest).documents {
            let key = doc.key();
            for id in [&key.school, &key.policy, &key.audience] {
                assert!(check_id(id).is_ok(), "kept the id {id:?}");
            }
            for (format, file) in &doc.outputs {
                assert_eq!(file.path, key.output_path(format));
                assert!(is_plain_relative(&file.path), "kept {:?}", file.path);
            }
        }
    }
});
