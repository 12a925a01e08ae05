//! Golden snapshots of what the renderers are given and produce: the typst
//! input data and the HTML page, for the fixture project.

use crate::support::repo;
use policyc::diag::Diagnostics;
use policyc::model::document::Document;
use policyc::model::project::Resolved;
use policyc::pipeline::prepare;
use policyc::render::html::HtmlRenderer;
use policyc::render::pdf::template_data;

fn fixture_documents() -> (Resolved, Vec<Document>) {
    let mut diags = Diagnostics::default();
    let resolved = prepare(&repo().join("tests/fixtures/basic"), &[], &[], &mut diags);
    let resolved = resolved.unwrap_or_else(|| panic!("fixture resolves: {:?}", diags.sorted()));
    let docs = resolved
        .schools
        .iter()
        .flat_map(|s| s.documents.clone())
        .collect();
    (resolved, docs)
}

#[test]
fn typst_input_data() {
    let (_, docs) = fixture_documents();
    for doc in docs {
        let data = serde_json::to_string_pretty(&template_data(&doc, None)).unwrap();
        let name = format!("{}-{}.data.json", doc.school_id, doc.audience_id);
        insta::assert_snapshot!(name, data);
    }
}

#[test]
fn html_pages() {
    let (resolved, docs) = fixture_documents();
    let renderer = HtmlRenderer::new(&resolved.project.templates).unwrap();
    for doc in docs {
        let page = renderer.document(&doc, None, "x.pdf").unwrap();
        let name = format!("{}-{}.html", doc.school_id, doc.audience_id);
        insta::assert_snapshot!(name, page);
    }
}
