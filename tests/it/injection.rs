//! Hostile strings in school data and clause text come out as literal text
//! in both outputs, and nothing outside the project is read.

use std::fs;

use crate::support::*;

const HOSTILE_NAME: &str =
    r#"*Bold* #read("/etc/passwd") $x$ <script>alert(1)</script> "q" 'a' \n @ref <label> `tick`"#;

fn hostile_project() -> tempfile::TempDir {
    let project = fixture("basic");
    let school = format!(
        "extends: _trust.yaml\nname: '{}'\nmotto: '\"><img src=x onerror=alert(1)>'\nlinked_policies: ['#import \"@preview/evil:0.1.0\": *']\n",
        HOSTILE_NAME.replace('\'', "''")
    );
    fs::write(project.path().join("schools/alpha.yaml"), school).unwrap();
    let clause = "---\nid: hostile\nsection: safety\norder: 99\naudiences: [staff, ks2]\n---\n\
Typst: #read(\"/etc/passwd\") and #import \"@preview/x:0.1.0\" and $ x^2 $ and <label> and @ref and \\\\ back\\\\slash.\n\n\
HTML: <script>alert(2)</script> <img src=x onerror=alert(3)> [link](javascript:alert(4)).\n\n\
Name in clause: {{ school.name }}.\n";
    fs::write(project.path().join("clauses/core/hostile.md"), clause).unwrap();
    project
}

#[test]
fn hostile_strings_print_literally_in_the_pdf() {
    let project = hostile_project();
    let output = run_in(project.path(), &["build", "--school", "alpha"]);
    assert!(output.status.success(), "{:?}", texts(&output));
    let text = squash(&pdf_text(&project.path().join("out/alpha/aup-staff.pdf")));
    assert!(
        text.contains(&squash(HOSTILE_NAME)),
        "school name not literal:\n{text}"
    );
    assert!(
        text.contains(&format!("Name in clause: {}.", squash(HOSTILE_NAME))),
        "{text}"
    );
    assert!(text.contains(r#"Typst: #read("/etc/passwd") and #import "@preview/x:0.1.0" and $ x^2 $ and <label> and @ref and \ back\slash."#), "{text}");
    assert!(
        text.contains("HTML: <script>alert(2)</script> <img src=x onerror=alert(3)> link."),
        "{text}"
    );
    assert!(text.contains(r#""><img src=x onerror=alert(1)>"#), "{text}");
    assert!(
        text.contains(r#"#import "@preview/evil:0.1.0": *"#),
        "{text}"
    );
    assert!(
        !text.contains("root:"),
        "a file outside the project was read"
    );
}

#[test]
fn hostile_strings_are_escaped_in_the_html() {
    let project = hostile_project();
    let output = run_in(project.path(), &["build", "--school", "alpha"]);
    assert!(output.status.success(), "{:?}", texts(&output));
    let out = project.path().join("out/alpha");
    for page in ["aup-staff.html", "aup-ks2.html", "index.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("<script"), "{page} has a script tag");
        assert!(!html.contains("<img src=x"), "{page} has an injected image");
        assert!(
            !html.contains("javascript:"),
            "{page} has a javascript: link"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;"),
            "{page} lost the literal name"
        );
    }
    let staff = fs::read_to_string(out.join("aup-staff.html")).unwrap();
    assert!(
        staff.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "motto not escaped"
    );
    assert!(
        staff.contains("HTML: &lt;script&gt;alert(2)&lt;/script&gt;"),
        "clause HTML not escaped"
    );
    let title_line = staff.lines().find(|l| l.starts_with("<title>")).unwrap();
    assert!(title_line.contains("*Bold* #read(&quot;"), "{title_line}");
}

/// Builds the fixture's `alpha` PDFs with `layout` as the project's
/// `templates/policy.typ`; returns the exit status and stderr.
fn build_with_layout(project: &std::path::Path, layout: &str) -> (Option<i32>, String) {
    fs::create_dir_all(project.join("templates")).unwrap();
    fs::write(project.join("templates/policy.typ"), layout).unwrap();
    let output = run_in(project, &["build", "--school", "alpha", "--format", "pdf"]);
    (output.status.code(), texts(&output).1)
}

#[test]
fn a_template_cannot_read_files_or_import_packages() {
    let project = fixture("basic");
    assert!(run_in(
        project.path(),
        &["build", "--school", "alpha", "--format", "pdf"]
    )
    .status
    .success());
    let pdf = project.path().join("out/alpha/aup-staff.pdf");
    let before = fs::read(&pdf).unwrap();
    for layout in [
        "#read(\"/etc/passwd\")\n",
        "#import \"@preview/cetz:0.3.0\": *\nHello\n",
    ] {
        let (code, stderr) = build_with_layout(project.path(), layout);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("error[pdf-template]"), "{stderr}");
        assert!(stderr.contains("--> templates/policy.typ:1:"), "{stderr}");
        assert!(!stderr.contains("root:"), "{stderr}");
        assert_eq!(
            fs::read(&pdf).unwrap(),
            before,
            "a failed build left the earlier output intact"
        );
    }
}
