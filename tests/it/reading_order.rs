//! What a screen reader speaks: the extracted text of a PDF comes in reading
//! order, header, title, clauses in order, then the signature labels, with
//! no hyphenation debris and no ligature characters.

use crate::support::*;

fn position(text: &str, needle: &str, from: usize) -> usize {
    text[from..]
        .find(needle)
        .map(|i| from + i)
        .unwrap_or_else(|| panic!("`{needle}` not found after byte {from} in:\n{text}"))
}

#[test]
fn extracted_text_reads_in_order() {
    let project = fixture("example");
    let out = tempfile::tempdir().unwrap();
    let output = run_in(
        project.path(),
        &[
            "build",
            "--format",
            "pdf",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{:?}", texts(&output));
    let mut diags = policyc::diag::Diagnostics::default();
    let resolved = policyc::pipeline::prepare(project.path(), &[], &[], &mut diags);
    let resolved = resolved.unwrap();
    let mut checked = 0;
    for school in &resolved.schools {
        for doc in &school.documents {
            let path = out.path().join(format!(
                "{}/{}-{}.pdf",
                doc.school_id, doc.policy_id, doc.audience_id
            ));
            let raw = pdf_text(&path);
            let text = squash(&raw);
            let mut at = position(&text, &doc.school.name, 0);
            at = position(&text, &doc.title, at);
            for clause in doc.sections.iter().flat_map(|s| &s.clauses) {
                let plain = policyc::model::markdown::plain_text(&clause.blocks);
                let words: Vec<&str> = plain.split_whitespace().take(6).collect();
                at = position(&text, &words.join(" "), at);
            }
            for label in &doc.signature.fields {
                at = position(&text, label, at);
            }
            assert!(
                !raw.chars().any(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)),
                "{}: ligature characters",
                path.display()
            );
            assert!(
                !raw.contains('\u{00AD}'),
                "{}: soft hyphens",
                path.display()
            );
            let debris = raw
                .lines()
                .filter(|l| {
                    l.trim_end().ends_with('-')
                        && l.trim_end()
                            .chars()
                            .rev()
                            .nth(1)
                            .is_some_and(char::is_alphabetic)
                })
                .count();
            assert_eq!(debris, 0, "{}: words split by hyphenation", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 15, "checked {checked} documents");
}
