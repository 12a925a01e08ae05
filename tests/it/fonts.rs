//! A project's own fonts (`fonts/`): a name in a script the built-in fonts
//! lack, or an emoji, prints once a font that has it is added, and adding or
//! changing a font rebuilds the PDFs.
//!
//! `tests/fixtures/fonts/test-glyphs.ttf` is a tiny font made for these
//! tests (see `make_test_font.py` beside it) with glyphs for 学 and 😀 only.

use std::fs;
use std::path::Path;

use crate::support::*;

const TEST_FONT: &str = "tests/fixtures/fonts/test-glyphs.ttf";

/// Puts 学 in Alpha's name and 😀 in a Key Stage 2 clause.
fn write_non_latin_text(project: &Path) {
    let alpha = project.join("schools/alpha.yaml");
    let text = fs::read_to_string(&alpha).unwrap();
    let text = text.replacen(
        "name: Alpha Primary School",
        "name: Alpha 学 Primary School",
        1,
    );
    assert!(
        text.contains('学'),
        "the fixture names Alpha Primary School"
    );
    fs::write(&alpha, text).unwrap();
    fs::write(
        project.join("clauses/core/smile.md"),
        "---\nid: smile\nsection: safety\norder: 40\naudiences: [ks2]\n---\nI will smile 😀 at my friends online.\n",
    )
    .unwrap();
}

fn add_test_font(project: &Path) {
    fs::create_dir_all(project.join("fonts")).unwrap();
    fs::copy(
        repo().join(TEST_FONT),
        project.join("fonts/test-glyphs.ttf"),
    )
    .unwrap();
}

#[test]
fn a_font_in_fonts_prints_a_script_the_built_in_fonts_lack() {
    let project = fixture("basic");
    write_non_latin_text(project.path());

    let before = run_in(project.path(), &["check"]);
    let (_, stderr) = texts(&before);
    assert_eq!(before.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[unprintable-character]"), "{stderr}");

    add_test_font(project.path());
    let after = run_in(project.path(), &["build"]);
    let (_, stderr) = texts(&after);
    assert_eq!(after.status.code(), Some(0), "{stderr}");

    let staff = pdf_text(&project.path().join("out/alpha/aup-staff.pdf"));
    assert!(
        squash(&staff).contains("Alpha 学 Primary School"),
        "{staff}"
    );
    let ks2 = pdf_text(&project.path().join("out/alpha/aup-ks2.pdf"));
    assert!(
        squash(&ks2).contains("I will smile 😀 at my friends online."),
        "{ks2}"
    );

    ensure_tool("pdffonts", "poppler-utils");
    let fonts = std::process::Command::new("pdffonts")
        .arg(project.path().join("out/alpha/aup-ks2.pdf"))
        .output()
        .expect("pdffonts runs");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    let row = fonts
        .lines()
        .find(|l| l.contains("PolicycTestGlyphs"))
        .unwrap_or_else(|| panic!("the project's font is in the PDF:\n{fonts}"));
    assert!(
        row.contains(" yes "),
        "the project's font is embedded:\n{row}"
    );
}

#[test]
fn changing_the_fonts_rebuilds_every_pdf() {
    let project = fixture("basic");
    let first = run_in(project.path(), &["build"]);
    assert_eq!(first.status.code(), Some(0), "{}", texts(&first).1);
    let again = run_in(project.path(), &["build"]);
    let again = format!("{}{}", texts(&again).0, texts(&again).1);
    assert!(again.contains("up to date: 4 documents"), "{again}");

    add_test_font(project.path());
    let with_font = run_in(project.path(), &["build"]);
    let (stdout, stderr) = texts(&with_font);
    assert_eq!(with_font.status.code(), Some(0), "{stderr}");
    let said = format!("{stdout}{stderr}");
    assert!(
        said.contains("built 4 of 4 documents (0 up to date)"),
        "a new font rebuilds every PDF: {said}"
    );
}
