//! Arbitrary UTF-8 → `markdown::parse`, then the HTML and JSON renderings.
//!
//! Checks that nesting stays within `MAX_NESTING`, that no markup in the
//! input survives into the HTML (every `<` is one of our own tags), that the
//! block model always serialises to JSON (which is how clause text reaches
//! typst), and that a placeholder value escaped with `markdown::escape` reads
//! back literally.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policyc::model::markdown::{depth, escape, plain_text, MAX_NESTING};
use policyc::resolve::markdown::parse;
use policyc::render::html::blocks_html;

/// The tags `blocks_html` itself writes (each may also be a closing tag).
const OUR_TAGS: [&str; 10] = [
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "a",
    "br",
    "blockquote",
];

fn check_html(html: &str) {
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "script tag in {html:?}"
    );
    for (at, _) in html.match_indices('<') {
        let rest = html[at + 1..].strip_prefix('/').unwrap_or(&html[at + 1..]);
        let ours = OUR_TAGS.iter().any(|tag| {
            rest.strip_prefix(tag).is_some_and(|after| {
                after.starts_with('>') || (*tag == "a" && after.starts_with(" href=\""))
            })
        });
        assert!(ours, "raw `<` at byte {at} of {html:?}");
    }
    // Attribute values cannot be broken out of: the only `"` are our own.
    for (at, _) in html.match_indices('"') {
        let before = &html[..at];
        let after = &html[at + 1..];
        assert!(
            before.ends_with("<a href=") || after.starts_with('>'),
            "stray `\"` at byte {at} of {html:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };

    let blocks = parse(s);
    // A heading's bold wrapper may add one level on top of the limit.
    assert!(depth(&blocks) <= MAX_NESTING + 1, "nested too deeply");
    check_html(&blocks_html(&blocks));
    serde_json::to_string(&blocks).expect("blocks serialise to JSON");
    let _ = plain_text(&blocks);

    // A placeholder value comes back literally, apart from white space: line
    // breaks and tabs become spaces, and white space at the end of the
    // paragraph is dropped.
    let blocks = parse(&format!("x {}", escape(s)));
    let expected = format!("x {}", s.replace(['\n', '\r', '\t'], " "));
    assert_eq!(
        plain_text(&blocks),
        expected.trim_end(),
        "escaped value {s:?}"
    );
});
