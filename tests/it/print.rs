//! `policyc signoff print` and the public slips on the bundled example:
//! whose names reach which file, one page per slip, every copy on an odd
//! page of its print file, and hostile names that stay text.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::*;

/// Runs `policyc signoff print` with `args`; returns its exit code and
/// standard error.
fn print(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["signoff", "print"];
    all.extend_from_slice(args);
    let output = run_in(dir, &all);
    let (_, stderr) = texts(&output);
    (output.status.code(), stderr)
}

/// The text of page `n` of a PDF.
fn page_text(pdf: &Path, n: usize) -> String {
    ensure_tool("pdftotext", "poppler-utils");
    let n = n.to_string();
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-f", &n, "-l", &n])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The number of pages of a PDF, from pdftotext's page breaks.
fn pages(pdf: &Path) -> usize {
    pdf_text(pdf).matches('\u{c}').count()
}

#[test]
fn a_class_gets_a_named_slip_each_and_one_duplex_safe_print_file() {
    let project = fixture("example");
    let (code, stderr) = print(
        project.path(),
        &[
            "--school",
            "wrenfold",
            "--audience",
            "ks2",
            "--class",
            "year-4-oak",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("5 personal copies in 1 print file"),
        "{stderr}"
    );
    assert!(stderr.contains("print/aup-ks2-year-4-oak.pdf"), "{stderr}");
    for name in [
        "Amira Khan",
        "amira-khan",
        "Jacob Ellery",
        "Chloe Pennington",
    ] {
        assert!(!stderr.contains(name), "{name} is in the log: {stderr}");
    }
    let folder = project.path().join("private/wrenfold/print");
    let slip = folder.join("aup-ks2-year-4-oak/001-amira-khan.pdf");
    assert_eq!(pages(&slip), 1, "a slip is one page");
    let text = squash(&pdf_text(&slip));
    for expected in [
        "My name Amira Khan",
        "My class Year 4 Oak",
        "Acknowledgement slip",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Long addresses wrap, so they are compared without spaces. The form
    // link carries the ID and the name, percent-encoded.
    let joined = text.replace(' ', "");
    for expected in [
        "https://policies.kestrelvalley.example/wrenfold/aup-ks2.html",
        "viewform?entry.1002=B43E-A7C2&entry.1001=Amira%20Khan",
    ] {
        assert!(
            joined.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }

    let file = folder.join("aup-ks2-year-4-oak.pdf");
    let cover = squash(&page_text(&file, 1));
    assert!(cover.contains("Year 4 Oak: 5 forms for"), "{cover}");
    let total = pages(&file);
    let mut starts = Vec::new();
    for n in 2..=total {
        let text = squash(&page_text(&file, n));
        if text.is_empty() {
            continue;
        }
        assert!(n % 2 == 1, "a copy starts on the even page {n}: {text}");
        let name = text.split("My name ").nth(1).unwrap_or("").to_string();
        starts.push(name.split(" My class").next().unwrap_or("").to_string());
    }
    assert_eq!(
        starts,
        [
            "Amira Khan",
            "Jacob Ellery",
            "Nia Williams",
            "Mateusz Kowalczyk",
            "Chloe Pennington"
        ],
        "each pupil once, in roster order"
    );
    assert!(!project.path().join("out").exists(), "nothing goes to out/");
}

#[test]
fn adults_get_the_whole_document_with_their_name_in_its_fields() {
    let project = fixture("example");
    let (code, stderr) = print(
        project.path(),
        &[
            "--school",
            "wrenfold",
            "--audience",
            "staff",
            "--class",
            "teaching-staff",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let folder = project.path().join("private/wrenfold/print");
    let copy = folder.join("aup-staff-teaching-staff/002-gethin-pryce.pdf");
    let text = squash(&pdf_text(&copy));
    assert!(text.contains("Full name (printed) Gethin Pryce"), "{text}");
    assert!(text.contains("Year 4 teacher"), "{text}");
    assert!(pages(&copy) > 1, "the whole document, not a slip");
    let file = folder.join("aup-staff-teaching-staff.pdf");
    let per_copy = pages(&copy);
    // Cover, blank, then four copies each padded to an even length.
    assert_eq!(pages(&file), 2 + 4 * (per_copy + per_copy % 2));
    for (i, name) in [
        "Hannah Okafor",
        "Gethin Pryce",
        "Oliver Bramley",
        "Priya Raman",
    ]
    .iter()
    .enumerate()
    {
        let first = 3 + i * (per_copy + per_copy % 2);
        let last = squash(&page_text(&file, first + per_copy - 1));
        assert!(
            last.contains(&format!("Full name (printed) {name}")),
            "{last}"
        );
    }
}

#[test]
fn personal_copies_are_named_with_every_letter_transliterated() {
    let project = fixture("example");
    let (code, stderr) = print(
        project.path(),
        &[
            "--school",
            "wrenfold",
            "--audience",
            "staff",
            "--class",
            "support-staff",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let folder = project
        .path()
        .join("private/wrenfold/print/aup-staff-support-staff");
    let names = file_names(&folder);
    assert!(
        names.iter().any(|n| n.ends_with("-sian-ap-rhys.pdf")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.ends_with("-tomasz-zielinski.pdf")),
        "{names:?}"
    );
}

#[test]
fn public_slips_go_beside_their_document_and_name_no_one() {
    let project = fixture("example");
    let output = run_in(project.path(), &["build"]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let out = project.path().join("out");
    let slip = out.join("wrenfold/aup-ks2.slip.pdf");
    assert_eq!(pages(&slip), 1);
    let text = squash(&pdf_text(&slip));
    assert!(text.contains("My name My class"), "blank fields: {text}");
    assert!(
        text.contains("viewform?entry.1002="),
        "ID pre-filled: {text}"
    );
    assert!(!text.contains("entry.1001"), "no name parameter: {text}");
    assert!(
        !out.join("wrenfold/aup-staff.slip.pdf").exists(),
        "staff sign the document"
    );
    let index = fs::read_to_string(out.join("wrenfold/index.html")).unwrap();
    assert!(index.contains("href=\"aup-ks2.slip.pdf\""), "{index}");
    let page = fs::read_to_string(out.join("wrenfold/aup-ks2.html")).unwrap();
    assert!(page.contains("href=\"aup-ks2.slip.pdf\""), "{page}");
    assert!(page.contains("viewform?entry.1002="), "{page}");

    let names = roster_names(project.path(), &["wrenfold", "oakhollow"]);
    for file in &files_under(&out) {
        let bytes = fs::read(file).unwrap();
        let text = if file.extension().is_some_and(|e| e == "pdf") {
            pdf_text(file)
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        for name in &names {
            assert!(
                !text.contains(name.as_str()),
                "{name} is in {}",
                file.display()
            );
            assert!(!stdout.contains(name.as_str()) && !stderr.contains(name.as_str()));
        }
    }
}

#[test]
fn hostile_names_stay_text_and_print_refuses_out() {
    let project = fixture("example");
    let people = project.path().join("people/oakhollow");
    fs::write(
        people.join("roster.csv"),
        "name,audience,class\n\"#set page(width: 1pt)\",ks2,Year 6 Willow\n\"]}<script>alert(1)</script>\",ks2,Year 6 Willow\n",
    )
    .unwrap();
    fs::remove_file(people.join("signed.csv")).unwrap();
    let (code, stderr) = print(project.path(), &["--school", "oakhollow"]);
    assert_eq!(code, Some(0), "{stderr}");
    let folder = project.path().join("private/oakhollow/print");
    let first = squash(&pdf_text(
        &folder.join("aup-ks2-year-6-willow/001-set-page-width-1pt.pdf"),
    ));
    assert!(first.contains("My name #set page(width: 1pt)"), "{first}");
    let second = squash(&pdf_text(
        &folder.join("aup-ks2-year-6-willow/002-script-alert-1-script.pdf"),
    ));
    assert!(second.contains("]}<script>alert(1)</script>"), "{second}");
    let joined = second.replace(' ', "");
    assert!(
        joined.contains("entry.1001=%5D%7D%3Cscript%3Ealert%281%29%3C%2Fscript%3E"),
        "{second}"
    );

    let (code, stderr) = print(project.path(), &["--out", "out/print"]);
    assert_eq!(code, Some(1));
    assert!(stderr.starts_with("error[private-out-public]"), "{stderr}");
    assert!(!project.path().join("out").exists());
}

#[test]
fn the_status_page_names_people_only_in_private() {
    let project = fixture("example");
    let output = run_in(
        project.path(),
        &[
            "signoff", "status", "--school", "wrenfold", "--format", "html",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    let page = fs::read_to_string(project.path().join("private/signoff-status.html")).unwrap();
    assert!(page.contains("<progress"), "{page}");
    assert!(!page.contains("Gethin Pryce"), "no names without --names");

    let output = run_in(
        project.path(),
        &[
            "signoff",
            "status",
            "--format",
            "html",
            "--names",
            "--out",
            "out/status.html",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(texts(&output).1.starts_with("error[private-out-public]"));
    let output = run_in(
        project.path(),
        &[
            "signoff", "status", "--school", "wrenfold", "--format", "html", "--names",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    let page = fs::read_to_string(project.path().join("private/signoff-status.html")).unwrap();
    assert!(page.contains("Still to sign"), "{page}");
}

#[test]
fn outstanding_prints_and_registers_only_those_still_to_sign() {
    let project = fixture("example");
    let (code, stderr) = print(
        project.path(),
        &[
            "--school",
            "wrenfold",
            "--audience",
            "staff",
            "--outstanding",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    // Of eight staff, five signed today's wording: one must sign again
    // (Gethin Pryce signed last spring's) and two never signed.
    assert!(
        stderr.contains("3 personal copies in 2 print files"),
        "{stderr}"
    );
    let teaching = project
        .path()
        .join("private/wrenfold/print/aup-staff-teaching-staff");
    let copies = file_names(&teaching);
    assert_eq!(
        copies,
        ["001-gethin-pryce.pdf", "002-priya-raman.pdf"],
        "{copies:?}"
    );
    let register = run_in(
        project.path(),
        &[
            "signoff",
            "register",
            "--school",
            "wrenfold",
            "--audience",
            "staff",
            "--outstanding",
        ],
    );
    assert!(register.status.success(), "{:?}", texts(&register));
    let text =
        squash(&pdf_text(&project.path().join(
            "private/wrenfold/registers/aup-staff-teaching-staff.pdf",
        )));
    assert!(text.contains("Priya Raman"), "{text}");
    assert!(!text.contains("Hannah Okafor"), "{text}");
}

#[test]
fn four_slips_to_a_sheet_make_a_class_of_five_three_pages_not_eleven() {
    let project = fixture("example");
    let (code, stderr) = print(
        project.path(),
        &[
            "--school",
            "wrenfold",
            "--audience",
            "ks2",
            "--class",
            "year-4-oak",
            "--per-sheet",
            "4",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let file = project
        .path()
        .join("private/wrenfold/print/aup-ks2-year-4-oak.pdf");
    // The cover, a sheet of four and a sheet of one: no blank backs.
    assert_eq!(pages(&file), 3);
    let cover = page_text(&file, 1);
    assert!(
        cover.contains("cut along the dashed lines: 4 slips to a sheet"),
        "{cover}"
    );
    let first = squash(&page_text(&file, 2));
    let second = squash(&page_text(&file, 3));
    for name in [
        "Amira Khan",
        "Jacob Ellery",
        "Nia Williams",
        "Mateusz Kowalczyk",
    ] {
        assert!(
            first.contains(&format!("{name}, Year 4 Oak")),
            "{name}: {first}"
        );
    }
    assert!(second.contains("Chloe Pennington, Year 4 Oak"), "{second}");
    // Each slip carries the document ID, and where the whole text is.
    assert_eq!(first.matches("Document ID").count(), 4, "{first}");
    assert_eq!(
        first.matches("Read the whole text first").count(),
        4,
        "{first}"
    );
}

#[test]
fn one_sided_print_files_have_no_blank_pages_and_whole_documents_stay_whole() {
    let project = fixture("example");
    let args = [
        "--school",
        "wrenfold",
        "--audience",
        "staff",
        "--outstanding",
    ];
    let (code, stderr) = print(project.path(), &args);
    assert_eq!(code, Some(0), "{stderr}");
    let file = project
        .path()
        .join("private/wrenfold/print/aup-staff-support-staff.pdf");
    let duplex = pages(&file);
    let copies: usize = fs::read_dir(
        project
            .path()
            .join("private/wrenfold/print/aup-staff-support-staff"),
    )
    .unwrap()
    .map(|e| pages(&e.unwrap().path()))
    .sum();
    let mut one_sided = args.to_vec();
    one_sided.extend(["--one-sided", "--per-sheet", "2"]);
    let (code, stderr) = print(project.path(), &one_sided);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("warning[per-sheet-document]: Staff at wrenfold sign the whole document"),
        "{stderr}"
    );
    let cover = page_text(&file, 1);
    assert!(cover.contains("Print on one side only"), "{cover}");
    // The cover and every page of every copy, and nothing else.
    assert_eq!(pages(&file), 1 + copies);
    assert!(duplex > 1 + copies, "duplex {duplex}, copies {copies}");
}
