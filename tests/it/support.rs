//! Helpers shared by the integration tests: run the real binary on a copy of
//! a fixture project and read back what it wrote.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command running the built `policyc` binary, with colour off.
pub fn policyc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_policyc"));
    cmd.env("NO_COLOR", "1")
        .env("POLICYC_TODAY", "2026-11-22")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Runs `policyc` with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    policyc()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the policyc binary runs")
}

/// Stdout and stderr of an output, as text.
pub fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A temporary copy of `tests/fixtures/<name>`, or of the repo's bundled
/// example when `name` is `"example"`.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    if name == "example" {
        for part in ["policies", "clauses", "schools", "people", "published"] {
            copy_dir(&repo().join(part), &dir.path().join(part));
        }
        for file in ["policyc.yaml", "modules.yaml"] {
            if repo().join(file).exists() {
                fs::copy(repo().join(file), dir.path().join(file)).unwrap();
            }
        }
    } else {
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    }
    dir
}

/// Copies a folder recursively over `to`. A file named `NAME.symlink`
/// becomes a symbolic link named `NAME` to the path the file holds, and a
/// file named `NAME.fifo` becomes a named pipe `NAME`, so the corpora can
/// describe links and pipes without committing them.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else if special_file(&name, &path, to) {
        } else {
            fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// Makes the named pipe (`NAME.fifo`) or link (`NAME.symlink`) that `name`
/// describes in `to`; false when `name` describes an ordinary file.
#[cfg(unix)]
fn special_file(name: &str, path: &Path, to: &Path) -> bool {
    if let Some(pipe) = name.strip_suffix(".fifo") {
        let path = std::ffi::CString::new(to.join(pipe).to_string_lossy().as_bytes()).unwrap();
        // SAFETY: `path` is a valid NUL-terminated string.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0, "mkfifo");
    } else if let Some(link) = name.strip_suffix(".symlink") {
        let target = fs::read_to_string(path).unwrap();
        let _ = fs::remove_file(to.join(link));
        std::os::unix::fs::symlink(target.trim(), to.join(link)).unwrap();
    } else {
        return false;
    }
    true
}

/// Pipes and links in a corpus are Unix-only cases.
#[cfg(not(unix))]
fn special_file(name: &str, _path: &Path, _to: &Path) -> bool {
    assert!(
        !name.ends_with(".fifo") && !name.ends_with(".symlink"),
        "{name}: pipes and links need Unix"
    );
    false
}

/// The text of a PDF, as poppler's `pdftotext -layout` extracts it.
/// Installs poppler-utils first if it is missing and this is a Debian
/// machine we may install on, so `cargo test` needs no manual step.
pub fn pdf_text(path: &Path) -> String {
    ensure_tool("pdftotext", "poppler-utils");
    let output = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// One word of a PDF page and where it stands, in points from the top left.
#[derive(Debug, Clone)]
pub struct WordBox {
    /// The word.
    pub word: String,
    /// Its left edge.
    pub left: f64,
    /// Its right edge.
    pub right: f64,
    /// Its top.
    pub top: f64,
    /// Its bottom.
    pub bottom: f64,
}

/// Each word of a PDF with its box, from `pdftotext -bbox`, in reading
/// order.
pub fn word_boxes(pdf: &Path) -> Vec<WordBox> {
    ensure_tool("pdftotext", "poppler-utils");
    let output = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8_lossy(&output.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            WordBox {
                word: rest.split('<').next().unwrap().to_string(),
                left: attr(tag, "xMin"),
                right: attr(tag, "xMax"),
                top: attr(tag, "yMin"),
                bottom: attr(tag, "yMax"),
            }
        })
        .collect()
}

/// Fails with what to install when `tool` is not on PATH. The tests install
/// nothing themselves: `bash .ci/test`, the README's test command, does.
pub fn ensure_tool(tool: &str, package: &str) {
    let present = Command::new(tool).arg("-v").output().is_ok();
    assert!(
        present,
        "`{tool}` is needed: install the `{package}` package, or run the tests with `bash .ci/test`, which does"
    );
}

/// The names of the files in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Collapses runs of white space, so layout does not matter to assertions.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The names in the rosters of `schools` in a project: every
/// `roster*.csv` and `roster*.xlsx`, read here without policyc's loader
/// (a roster it failed to read must not empty a privacy check), with the
/// name cells a `columns.yaml` joins joined the same way.
pub fn roster_names(project: &Path, schools: &[&str]) -> Vec<String> {
    use policyc::model::people::{Headers, RosterLayout};
    use std::collections::BTreeMap;
    let mut names = Vec::new();
    for school in schools {
        let folder = project.join("people").join(school);
        let layouts: BTreeMap<String, RosterLayout> =
            fs::read_to_string(folder.join("columns.yaml"))
                .map(|text| serde_yaml::from_str(&text).unwrap())
                .unwrap_or_default();
        let mut found = 0;
        for name in file_names(&folder) {
            let lower = name.to_lowercase();
            if !lower.starts_with("roster") {
                continue;
            }
            let bytes = fs::read(folder.join(&name)).unwrap();
            let text = if lower.ends_with(".xlsx") {
                policyc::load::form_export::spreadsheet_as_csv(&bytes).unwrap()
            } else {
                String::from_utf8(bytes)
                    .unwrap()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            };
            let delimiter = if text.lines().next().unwrap_or("").contains(';') {
                b';'
            } else {
                b','
            };
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .from_reader(text.as_bytes());
            let header: Vec<String> = reader
                .headers()
                .unwrap()
                .iter()
                .map(str::to_lowercase)
                .collect();
            let cells: Vec<String> = match layouts.get(&name).and_then(|l| l.columns.get("name")) {
                Some(Headers::One(h)) => vec![h.to_lowercase()],
                Some(Headers::Joined(hs)) => hs.iter().map(|h| h.to_lowercase()).collect(),
                None => vec!["name".to_string()],
            };
            let at: Vec<usize> = cells
                .iter()
                .map(|c| header.iter().position(|h| h == c).unwrap())
                .collect();
            for row in reader.records() {
                let row = row.unwrap();
                names.push(
                    at.iter()
                        .map(|i| row[*i].trim())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                found += 1;
            }
        }
        assert!(found > 0, "no roster names read for {school}");
    }
    names
}

/// Builds `project` into a fresh folder and returns it.
pub fn build_to_temp(project: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = run_in(project, &["build", "--out", out.path().to_str().unwrap()]);
    assert!(output.status.success(), "{:?}", texts(&output));
    out
}

/// Asserts that `needles` come in this order in `text`.
pub fn in_order(text: &str, needles: &[&str]) {
    let mut at = 0;
    for needle in needles {
        match text[at..].find(needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("`{needle}` not found after byte {at} in:\n{text}"),
        }
    }
}

/// The pages of a PDF's text (pdftotext ends each with a form feed).
pub fn page_texts(path: &Path) -> Vec<String> {
    let text = pdf_text(path);
    let mut pages: Vec<String> = text.split('\u{c}').map(squash).collect();
    if pages.last().is_some_and(|p| p.is_empty()) {
        pages.pop();
    }
    pages
}

/// Replaces each `(from, to)` in the file at `path`, asserting that each
/// was there, and returns the new text.
pub fn edit_file(path: &Path, replacements: &[(&str, &str)]) -> String {
    let mut text = fs::read_to_string(path).unwrap();
    for (from, to) in replacements {
        assert!(text.contains(from), "{} has no `{from}`", path.display());
        text = text.replace(from, to);
    }
    fs::write(path, &text).unwrap();
    text
}

/// Every file below `dir`, at any depth.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Writes an Excel workbook (`.xlsx`) with one sheet of `rows`, as an
/// online form's export would be. A cell written `date:SERIAL` is an Excel
/// date and time (days since 30 December 1899), styled as one; every other
/// cell is text.
pub fn write_xlsx(path: &Path, rows: &[&[&str]]) {
    use std::io::Write;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut sheet = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, value) in row.iter().enumerate() {
            let cell = format!("{}{}", char::from(b'A' + c as u8), r + 1);
            if value.is_empty() {
                continue;
            }
            match value.strip_prefix("date:") {
                Some(serial) => {
                    sheet.push_str(&format!("<c r=\"{cell}\" s=\"1\"><v>{serial}</v></c>"))
                }
                None => sheet.push_str(&format!(
                    "<c r=\"{cell}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    escape(value)
                )),
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let ns = "http://schemas.openxmlformats.org";
    let parts = [
        ("[Content_Types].xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"{ns}/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>")),
        ("_rels/.rels", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{ns}/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{ns}/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
        ("xl/workbook.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{ns}/spreadsheetml/2006/main\" xmlns:r=\"{ns}/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")),
        ("xl/_rels/workbook.xml.rels", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{ns}/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{ns}/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"{ns}/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>")),
        // Style 1 is built-in number format 22, a date and time.
        ("xl/styles.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"{ns}/spreadsheetml/2006/main\"><fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" xfId=\"0\"/><xf numFmtId=\"22\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>")),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// Adds a clause of the trust's own, `trust-helpdesk` for staff, beside the
/// defaults file `schools/_trust.yaml` of `project`.
pub fn add_trust_clause(project: &Path) {
    let trust = project.join("schools/_trust/clauses");
    fs::create_dir_all(&trust).unwrap();
    fs::write(
        trust.join("trust-helpdesk.md"),
        "---\nid: trust-helpdesk\ntitle: The trust helpdesk\nsection: safety\norder: 90\naudiences: [staff]\n---\nI will report a fault to the trust's helpdesk, not fix it myself.\n",
    )
    .unwrap();
}

/// Says `oversight: public` in `project`'s policyc.yaml: sign-off counts
/// and departures pages in `out/`, beside the documents.
pub fn publish_oversight(project: &Path) {
    let settings = project.join("policyc.yaml");
    let text = fs::read_to_string(&settings).unwrap_or_default();
    fs::write(&settings, format!("{text}\noversight: public\n")).unwrap();
}
