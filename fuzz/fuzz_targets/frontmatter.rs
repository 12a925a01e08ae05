//! Arbitrary bytes → `frontmatter::split`, then the YAML into `ClauseMeta`.
//!
//! Checks that the parts are slices of the input, in order, with sane line
//! numbers, and that neither step panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policyc::load::frontmatter::split;
use policyc::model::files::ClauseMeta;

/// Byte offset of `part` within `whole`; panics if it is not a sub-slice.
fn offset_in(whole: &str, part: &str) -> usize {
    let start = part.as_ptr() as usize;
    let base = whole.as_ptr() as usize;
    assert!(
        start >= base && start + part.len() <= base + whole.len(),
        "not a slice of the input: {part:?}"
    );
    start - base
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = split(text) else {
        return;
    };
    let yaml_at = offset_in(text, s.yaml);
    let body_at = offset_in(text, s.body);
    assert!(
        yaml_at + s.yaml.len() <= body_at,
        "yaml and body overlap or are out of order"
    );
    assert_eq!(&text[yaml_at..yaml_at + s.yaml.len()], s.yaml);
    assert_eq!(
        &text[body_at..],
        s.body,
        "the body runs to the end of the file"
    );
    assert_eq!(s.yaml_line, 2);
    assert!(s.body_line >= 3, "body_line {}", s.body_line);

    // Between the YAML and the body there is exactly one fence line.
    let fence = &text[yaml_at + s.yaml.len()..body_at];
    assert_eq!(fence.trim_end(), "---", "closing fence {fence:?}");
    // The YAML starts right after the opening fence.
    assert_eq!(
        text[..yaml_at]
            .strip_prefix('\u{feff}')
            .unwrap_or(&text[..yaml_at])
            .trim_end(),
        "---"
    );
    // When the closing fence ends its line, body_line counts the lines before it.
    if fence.ends_with('\n') {
        let newlines = text[..body_at].matches('\n').count();
        assert_eq!(s.body_line, newlines + 1);
    }

    // Deserialising untrusted front matter must fail cleanly, never panic.
    let _ = serde_yaml::from_str::<ClauseMeta>(s.yaml);
});
