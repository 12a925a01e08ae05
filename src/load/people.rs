//! Reading the people who sign: `people/<school>/roster.csv`, the ledger
//! `people/<school>/signed.csv`, and the manifests of earlier published
//! packs in `published/` (which say what each older document ID was).
//!
//! CSV is read as spreadsheets write it: quoted fields, a byte-order mark
//! (Excel's "CSV UTF-8"), or semicolons instead of commas (European
//! locales). Every problem names the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Code;
use crate::diag::{did_you_mean, suggestion, Diagnostic, Diagnostics, Workbook};
use crate::model::consent::{Choice, ConsentLedger, ConsentRow};
use crate::model::dates::{self, DateOrder};
use crate::model::manifest::Manifest;
use crate::model::people::{Identity, Ledger, People, Person, Roster, RosterLayout, Signature};

use crate::sealed::{Cap, Folder, Kind};

use super::paths::{read_fenced, read_text_file};

/// The folder of personal data, one subfolder per school.
pub const PEOPLE_DIR: &str = "people";
/// The folder of earlier packs' manifests.
pub const PUBLISHED_DIR: &str = "published";

/// The columns of a roster: the first two are required.
const ROSTER_COLUMNS: [&str; 6] = ["name", "audience", "class", "role", "email", "child"];
/// The columns of a ledger: `class` and `child` are optional.
const LEDGER_COLUMNS: [&str; 6] = [
    "name",
    "audience",
    "class",
    "child",
    "document_id",
    "signed_on",
];
const LEDGER_REQUIRED: [&str; 4] = ["name", "audience", "document_id", "signed_on"];

/// Reads every school's roster and ledger, and the published manifests,
/// beneath the opened project folder. `schools` are the project's school
/// ids: a folder for any other is an error.
pub fn load_people(
    project: &Folder,
    schools: &[&str],
    order: DateOrder,
    diags: &mut Diagnostics,
) -> People {
    let mut people = People::default();
    let Ok(entries) = project.list(PEOPLE_DIR) else {
        diags.push(linked_folder(PEOPLE_DIR));
        return people;
    };
    for entry in entries {
        let id = entry.name;
        let folder = Path::new(PEOPLE_DIR).join(&id);
        match entry.kind {
            Kind::Folder => {}
            Kind::Link => {
                diags.push(linked_folder(&folder.to_string_lossy()));
                continue;
            }
            _ => continue,
        }
        if !schools.contains(&id.as_str()) {
            diags.push(unknown_school(&folder, &id, schools));
            continue;
        }
        load_school(project, &folder, &id, order, &mut people, diags);
    }
    people
}

/// Every school's people in `project` (see [`load_people`]), or `None`
/// when the project's folder could not be opened.
pub fn project_people(
    project: &crate::model::project::Project,
    diags: &mut Diagnostics,
) -> Option<People> {
    let root = project.folder.as_ref()?;
    let schools: Vec<&str> = project.schools.iter().map(|s| s.id.as_str()).collect();
    Some(load_people(root, &schools, project.date_order, diags))
}

/// The file that maps each roster file's columns to policyc's.
pub const COLUMNS_FILE: &str = "columns.yaml";

/// Whether `name` is a roster file: `roster*.csv` or `roster*.xlsx`.
fn is_roster_file(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.starts_with("roster") && (lower.ends_with(".csv") || lower.ends_with(".xlsx"))
}

/// Reads one school's folder of people: every roster file (with its
/// column map), the ledger and the consent decisions. Any other file is
/// a warning, so an export saved under the wrong name is not lost in
/// silence; subfolders are the school's own (form exports, for example).
fn load_school(
    project: &Folder,
    folder: &Path,
    id: &str,
    order: DateOrder,
    people: &mut People,
    diags: &mut Diagnostics,
) {
    let mut entries = project.list(folder).unwrap_or_default();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let layouts = read_layouts(project, folder, diags);
    let mut parts = Vec::new();
    for entry in &entries {
        let name = entry.name.as_str();
        let path = folder.join(name);
        if name.starts_with('.') || entry.kind == Kind::Folder {
            continue;
        }
        if is_roster_file(name) {
            let layout = layouts.as_ref().and_then(|(_, l)| l.get(name));
            if let Some((rel, text)) = read_sheet_text(project, &path, diags) {
                let found = parse_roster(&rel, &text, layout, diags);
                people.sources.insert(rel.clone(), text);
                parts.push((rel, found));
            }
            continue;
        }
        match name {
            COLUMNS_FILE => {}
            "signed.csv" | "signed.xlsx" => {
                if let Some(first) = people.ledgers.get(id) {
                    diags.push(
                        Diagnostic::error(Code::LedgerTwice, path.to_string_lossy(), format!("the school already has a ledger, {}", first.file))
                            .with_hint("keep one ledger: policyc adds to signed.csv itself, so move the rows of the workbook into it and delete signed.xlsx"),
                    );
                    continue;
                }
                if let Some((rel, text)) = read_sheet_text(project, &path, diags) {
                    let ledger = parse_ledger(&rel, &text, order, diags);
                    people.sources.insert(rel, text);
                    people.ledgers.insert(id.to_string(), ledger);
                }
            }
            "consent.csv" => {
                if let Some((rel, text)) = read_csv_text(project, &path, diags) {
                    let ledger = parse_consent(&rel, &text, order, diags);
                    people.sources.insert(rel, text);
                    people.consents.insert(id.to_string(), ledger);
                }
            }
            _ => diags.push(unread_file(&path, name)),
        }
    }
    if let Some((source, layouts)) = &layouts {
        let rel = folder.join(COLUMNS_FILE).to_string_lossy().into_owned();
        for file in layouts.keys() {
            if !parts.iter().any(|(r, _)| Path::new(r).ends_with(file)) {
                diags.push(
                    Diagnostic::warning(Code::RosterLayoutUnused, &rel, format!("there is no roster file `{file}` in {}", folder.to_string_lossy()))
                        .at_key_in(source, &[file])
                        .with_hint("name a roster file in this folder (roster*.csv or roster*.xlsx), or delete these lines"),
                );
            }
        }
    }
    if !parts.is_empty() {
        let roster = merge_rosters(parts, &people.sources, diags);
        people.rosters.insert(id.to_string(), roster);
    }
}

/// A file in a school's people folder that policyc does not read.
fn unread_file(path: &Path, name: &str) -> Diagnostic {
    let lower = name.to_lowercase();
    let hint = if lower.starts_with("signed") || lower.starts_with("consent") {
        "policyc reads the ledger as signed.csv (or signed.xlsx) and consent decisions as consent.csv: save the file under that name".to_string()
    } else {
        "name a roster roster*.csv or roster*.xlsx (roster-staff.csv, roster-pupils.xlsx); keep form exports and other files in a subfolder, such as imports/".to_string()
    };
    Diagnostic::warning(
        Code::IgnoredFile,
        path.to_string_lossy(),
        format!("`{name}` is not read: it is not a roster, the ledger or consent decisions"),
    )
    .with_hint(hint)
}

/// A folder of people or packs that is a link: never followed.
fn linked_folder(rel: &str) -> Diagnostic {
    Diagnostic::error(
        Code::PathOutside,
        rel,
        "this folder is a link, and policyc never follows links",
    )
    .with_hint("keep the files in the project itself (people/ stays out of git; see .gitignore)")
}

/// A digest of every file under `people/` and `published/`, so a build
/// knows when the sign-off counts on its indexes may have changed. Files
/// that cannot be read count by name only; the sign-off stage reports them.
pub fn people_digest(project: &Folder) -> String {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    for dir in [PEOPLE_DIR, PUBLISHED_DIR] {
        collect_files(project, Path::new(dir), 0, &mut files);
    }
    files.sort();
    let mut hasher = Sha256::new();
    for path in files {
        hasher.update(path.to_string_lossy().as_bytes());
        if let Ok(bytes) = read_fenced(project, &path, Cap::People) {
            hasher.update(Sha256::digest(&bytes));
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The files below `dir` (four folders deep at most), never through a link.
fn collect_files(project: &Folder, dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
    for entry in project.list(dir).unwrap_or_default() {
        // Lock files and temporaries are not data.
        if entry.name.starts_with('.') {
            continue;
        }
        let path = dir.join(&entry.name);
        match entry.kind {
            Kind::Folder if depth < 4 => collect_files(project, &path, depth + 1, found),
            Kind::File => found.push(path),
            _ => {}
        }
    }
}

/// Reads every `published/**/manifest.json`, sorted by path.
pub fn load_published(project: &Folder, diags: &mut Diagnostics) -> Vec<(String, Manifest)> {
    if project.kind(PUBLISHED_DIR) == Some(Kind::Link) {
        diags.push(linked_folder(PUBLISHED_DIR));
        return Vec::new();
    }
    let mut files = Vec::new();
    collect_files(project, Path::new(PUBLISHED_DIR), 0, &mut files);
    files.retain(|p| p.file_name().is_some_and(|n| n == "manifest.json"));
    files.sort();
    let mut manifests = Vec::new();
    for path in files {
        let rel = path.to_string_lossy().into_owned();
        let parsed = read_fenced(project, &path, Cap::Record)
            .map_err(|e| e.message)
            .and_then(|bytes| {
                serde_json::from_slice::<Manifest>(&bytes).map_err(|e| e.to_string())
            });
        match parsed {
            Ok(manifest) => manifests.push((rel, manifest)),
            Err(why) => diags.push(
                Diagnostic::error(Code::PublishedUnreadable, rel, format!("this published manifest cannot be read: {why}"))
                    .with_hint("copy it again from the out/ folder of the build you published (out/manifest.json), or delete it"),
            ),
        }
    }
    manifests
}

/// The latest published pack, the one `published/latest` names, with its
/// label: `None` when the project has published none. The pack's manifest
/// is among those [`load_published`] reads; a problem with it is reported
/// there.
pub fn load_latest_published(project: &Folder) -> Option<(String, Manifest)> {
    let latest = Path::new(PUBLISHED_DIR).join("latest");
    let label = read_text_file(project, &latest, Cap::Text).ok()?;
    let label = label.trim();
    if label.is_empty() || label.contains(['/', '\\']) || label.starts_with('.') {
        return None;
    }
    let path = Path::new(PUBLISHED_DIR).join(label).join("manifest.json");
    let bytes = read_fenced(project, &path, Cap::Record).ok()?;
    let manifest = serde_json::from_slice::<Manifest>(&bytes).ok()?;
    Some((label.to_string(), manifest))
}

/// Reads `columns.yaml` in a school's people folder, if there is one:
/// its text and each roster file's layout, by file name.
fn read_layouts(
    project: &Folder,
    folder: &Path,
    diags: &mut Diagnostics,
) -> Option<(String, BTreeMap<String, RosterLayout>)> {
    let path = folder.join(COLUMNS_FILE);
    project.kind(&path)?;
    let (rel, text) = read_csv_text(project, &path, diags)?;
    let layouts = parse_layouts(&rel, &text, diags)?;
    Some((text, layouts))
}

/// Parses a `columns.yaml`: pure, for tests. Every column named must be
/// one of a roster's, and a file's layout must say something. `None`, with
/// the problems in `diags`, when it cannot be used.
pub fn parse_layouts(
    rel: &str,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<BTreeMap<String, RosterLayout>> {
    let layouts: BTreeMap<String, RosterLayout> = if text.trim().is_empty() {
        BTreeMap::new()
    } else {
        match serde_yaml::from_str(text) {
            Ok(layouts) => layouts,
            Err(err) => {
                let keys = ["columns", "audience", "audiences"];
                diags.push(super::yaml::yaml_diagnostic(rel, text, &err, 1, &keys));
                return None;
            }
        }
    };
    let mut problems = Vec::new();
    for (file, layout) in &layouts {
        if !is_roster_file(file) {
            problems.push(
                Diagnostic::error(
                    Code::RosterLayout,
                    rel,
                    format!("`{file}` is not a roster file's name"),
                )
                .at_key_in(text, &[file])
                .with_hint(
                    "name each roster file as it is in this folder: roster*.csv or roster*.xlsx",
                ),
            );
        }
        for column in layout.columns.keys() {
            if !ROSTER_COLUMNS.contains(&column.as_str()) {
                let hint = match suggestion(column, ROSTER_COLUMNS.iter().copied()) {
                    Some(s) => format!("{s} The columns are: {}", ROSTER_COLUMNS.join(", ")),
                    None => format!("policyc's columns are: {}", ROSTER_COLUMNS.join(", ")),
                };
                problems.push(
                    Diagnostic::error(
                        Code::RosterLayout,
                        rel,
                        format!("`{column}` is not a roster column"),
                    )
                    .near_under_in(text, &[file, "columns"], column)
                    .with_hint(hint),
                );
            }
        }
        if layout.audience.is_some() && layout.columns.contains_key("audience") {
            problems.push(
                Diagnostic::error(Code::RosterLayout, rel, format!("`{file}` gives both an audience for everyone and an audience column"))
                    .at_key_in(text, &[file, "audience"])
                    .with_hint("keep `audience:` when everyone in the file signs the same agreement (staff, say); map the column when it varies"),
            );
        }
    }
    let usable = problems.is_empty();
    diags.extend(problems);
    usable.then_some(layouts)
}

/// A roster's or ledger's text: a CSV file's, or a workbook's first
/// sheet as CSV, one row a line. A workbook is made known to `diags`, so
/// that every problem found in it names its sheet and cell.
fn read_sheet_text(
    project: &Folder,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<(String, String)> {
    let rel = path.to_string_lossy().into_owned();
    if !rel.to_lowercase().ends_with(".xlsx") {
        return read_csv_text(project, path, diags);
    }
    let read = read_fenced(project, path, Cap::People)
        .map_err(|e| e.message)
        .and_then(|bytes| super::form_export::first_sheet(&bytes));
    match read {
        Ok((sheet, text)) => {
            diags.read_as_workbook(&rel, Workbook::new(sheet, &text));
            Some((rel, text))
        }
        Err(why) => {
            diags.push(
                Diagnostic::error(Code::RosterUnreadable, rel, why)
                    .with_hint("save it again from Excel as an .xlsx workbook, or as CSV UTF-8"),
            );
            None
        }
    }
}

/// One school's roster from its files, in name order: someone listed
/// twice, in one file or two, is an error at the second place.
fn merge_rosters(
    parts: Vec<(String, Vec<Person>)>,
    sources: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Roster {
    let mut roster = Roster::default();
    let mut seen: BTreeMap<Identity, (String, usize)> = BTreeMap::new();
    for (rel, found) in parts {
        let text = sources.get(&rel).map_or("", String::as_str);
        for person in found {
            let here = (person.file.clone(), person.line);
            if let Some((file, line)) = seen.get(&person.identity()) {
                let first = if *file == rel {
                    format!("first on line {line}")
                } else {
                    format!("first in {file}, line {line}")
                };
                diags.push(
                    Diagnostic::error(Code::RosterDuplicatePerson, &rel, format!("{} is listed twice ({first})", person.name))
                        .at(text, person.line, 1)
                        .with_hint("delete one of the two lines; two different people with one name need their class (or child) to tell them apart"),
                );
                continue;
            }
            seen.insert(person.identity(), here);
            roster.people.push(person);
        }
        roster.files.push(rel);
    }
    roster
}

fn unknown_school(folder: &Path, id: &str, schools: &[&str]) -> Diagnostic {
    let hint = match suggestion(id, schools.iter().copied()) {
        Some(s) => format!("{s} Name the folder after the school file, schools/<id>.yaml"),
        None => format!(
            "name the folder after a school file in schools/: {}",
            schools.join(", ")
        ),
    };
    Diagnostic::error(
        Code::PeopleUnknownSchool,
        folder.to_string_lossy(),
        format!("there is no school `{id}` for these people"),
    )
    .with_hint(hint)
}

/// Reads a CSV file as text: fenced, UTF-8, with any byte-order mark
/// removed.
fn read_csv_text(
    project: &Folder,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<(String, String)> {
    let rel = path.to_string_lossy().into_owned();
    match read_text_file(project, path, Cap::People) {
        Ok(text) => Some((
            rel,
            text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(),
        )),
        Err(err) => {
            let hint = if err.code == "not-utf8" {
                "save it again as \"CSV UTF-8\" (Excel: File › Save As › CSV UTF-8; LibreOffice: Character set Unicode (UTF-8))".to_string()
            } else {
                err.hint
            };
            let mut d = Diagnostic::error(err.code, rel, err.message).with_hint(hint);
            if let Some((text, line, column)) = &err.position {
                d = d.at(text, *line, *column);
            }
            diags.push(d);
            None
        }
    }
}

/// A CSV file's rows, with the header mapped to known column names.
struct Table {
    /// Column name → the indexes of its cells (several when a layout
    /// joins them, as forename and surname make a name).
    columns: BTreeMap<&'static str, Vec<usize>>,
    /// Each row with its 1-based line.
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn get(&self, row: &[String], column: &str) -> Option<String> {
        let cells: Vec<&str> = self
            .columns
            .get(column)?
            .iter()
            .filter_map(|i| row.get(*i).map(|v| v.trim()))
            .filter(|v| !v.is_empty())
            .collect();
        (!cells.is_empty()).then(|| cells.join(" "))
    }
}

/// Parses `text` as CSV with a header naming some of `known` columns, of
/// which `required` must all be there. With a `layout`, header cells are
/// first matched to the columns it maps them to, and any other cell that
/// is not one of `known` is left unread (an export's date of birth, say).
fn parse_table(
    rel: &str,
    text: &str,
    known: &[&'static str],
    required: &[&'static str],
    layout: Option<&RosterLayout>,
    diags: &mut Diagnostics,
) -> Option<Table> {
    let mut reader = csv_reader(text);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(err)) => {
            diags.push(csv_error(rel, text, &err));
            return None;
        }
        None => {
            diags.push(
                Diagnostic::error(Code::CsvEmpty, rel, "the file is empty").with_hint(format!(
                    "start it with a header line: {}",
                    required.join(",")
                )),
            );
            return None;
        }
    };
    let mut columns: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    // Columns an unknown header cell was probably meant to be: already
    // reported, so not reported again as missing.
    let mut misspelt: Vec<&str> = Vec::new();
    let mut ok = true;
    let mapped = layout.map(|l| l.header_map(known)).unwrap_or_default();
    // The layout's columns first, in its order (forename before surname).
    for (column, wanted) in &mapped {
        match header.iter().position(|raw| same_header(wanted, raw)) {
            Some(i) => columns.entry(*column).or_default().push(i),
            None => {
                diags.push(
                    Diagnostic::error(
                        Code::CsvColumnMissing,
                        rel,
                        format!("the header has no column `{wanted}`, which columns.yaml reads as `{column}`"),
                    )
                    .at(text, 1, 1)
                    .with_hint(format!(
                        "write the header cell in columns.yaml as the export names it; its header cells are: {}",
                        header.iter().map(str::trim).filter(|h| !h.is_empty()).collect::<Vec<_>>().join(", ")
                    )),
                );
                misspelt.push(column);
                ok = false;
            }
        }
    }
    for (i, raw) in header.iter().enumerate() {
        let name = column_name(raw);
        if mapped.iter().any(|(_, h)| same_header(h, raw)) {
            continue;
        }
        let by_name = known
            .iter()
            .find(|k| **k == name && !mapped.iter().any(|(c, _)| c == *k));
        match by_name {
            Some(k) if columns.contains_key(k) => {
                diags.push(
                    Diagnostic::error(
                        Code::CsvColumnTwice,
                        rel,
                        format!("the column `{k}` appears twice"),
                    )
                    .at(text, 1, 1)
                    .with_hint("keep one of them"),
                );
                ok = false;
            }
            Some(k) => {
                columns.insert(*k, vec![i]);
            }
            _ if name.is_empty() || layout.is_some() => {}
            None => {
                misspelt.extend(did_you_mean(&name, known.iter().copied()));
                let hint = match suggestion(&name, known.iter().copied()) {
                    Some(s) => format!("{s} The columns are: {}", known.join(", ")),
                    None => format!("the columns are: {}", known.join(", ")),
                };
                diags.push(
                    Diagnostic::error(
                        Code::CsvColumnUnknown,
                        rel,
                        format!("unknown column `{}`", raw.trim()),
                    )
                    .at_in_line(text, 1, raw.trim())
                    .with_hint(hint),
                );
                ok = false;
            }
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(c) && !misspelt.contains(c))
        .collect();
    if !missing.is_empty() {
        let plural = if missing.len() == 1 { "" } else { "s" };
        let hint = if layout.is_some() {
            "map them in this folder's columns.yaml (see docs/FORMAT.md, Rosters from two systems)"
                .to_string()
        } else {
            format!(
                "the first line names the columns, for example: {}",
                required.join(",")
            )
        };
        diags.push(
            Diagnostic::error(
                Code::CsvColumnMissing,
                rel,
                format!(
                    "the header lacks the column{plural} {}",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            )
            .at(text, 1, 1)
            .with_hint(hint),
        );
        ok = false;
    }
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(r) if r.iter().all(|f| f.trim().is_empty()) => {}
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                rows.push((line, r.iter().map(str::to_string).collect()));
            }
            Err(err) => {
                diags.push(csv_error(rel, text, &err));
                ok = false;
            }
        }
    }
    ok.then_some(Table { columns, rows })
}

/// Whether a header cell is the one a layout names: case and surrounding
/// spaces aside.
fn same_header(wanted: &str, raw: &str) -> bool {
    wanted.trim().eq_ignore_ascii_case(raw.trim())
}

/// The column names of a ledger's header line, as policyc reads them
/// (`Document ID` is `document_id`), to append rows in the file's order.
pub fn ledger_columns(text: &str) -> Vec<String> {
    let first = text.lines().next().unwrap_or("");
    match csv_reader(first).records().next() {
        Some(Ok(header)) => header.iter().map(column_name).collect(),
        _ => Vec::new(),
    }
}

/// A CSV reader for `text` as spreadsheets write it: cells separated by
/// commas, or by semicolons when the header line has those and no comma
/// (European locales); rows of any length; the header read as a row.
pub fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes())
}

/// A header cell as a column name: lower case, spaces and hyphens as `_`,
/// with a few names spreadsheets commonly use.
fn column_name(raw: &str) -> String {
    let name = raw.trim().to_lowercase().replace([' ', '-'], "_");
    match name.as_str() {
        "form" | "group" | "class_or_form" => "class".into(),
        "job_title" | "job" => "role".into(),
        "doc_id" | "document" => "document_id".into(),
        "date" | "signed" | "date_signed" => "signed_on".into(),
        "child_name" | "pupil" => "child".into(),
        "full_name" => "name".into(),
        _ => name,
    }
}

fn csv_error(rel: &str, text: &str, err: &csv::Error) -> Diagnostic {
    let line = err.position().map_or(1, |p| p.line() as usize);
    Diagnostic::error(Code::CsvSyntax, rel, format!("this line is not valid CSV: {err}"))
        .at(text, line.max(1), 1)
        .with_hint("check the quotes: a field with a comma in it is written in double quotes, and a quote inside it is doubled")
}

/// Parses one roster file, read through its `layout` from columns.yaml
/// if it has one, reporting blank names and audiences at their line.
/// People listed twice are found when the school's files are merged.
pub fn parse_roster(
    rel: &str,
    text: &str,
    layout: Option<&RosterLayout>,
    diags: &mut Diagnostics,
) -> Vec<Person> {
    let required: &[&'static str] = match layout.and_then(|l| l.audience.as_ref()) {
        Some(_) => &ROSTER_COLUMNS[..1],
        None => &ROSTER_COLUMNS[..2],
    };
    let Some(table) = parse_table(rel, text, &ROSTER_COLUMNS, required, layout, diags) else {
        return Vec::new();
    };
    let mut people = Vec::new();
    for (line, row) in &table.rows {
        let audience = match layout {
            Some(layout) => layout.audience_of(table.get(row, "audience")),
            None => table.get(row, "audience"),
        };
        let (Some(name), Some(audience)) = (table.get(row, "name"), audience) else {
            let column = if table.get(row, "name").is_none() {
                "name"
            } else {
                "audience"
            };
            diags.push(blank(rel, text, *line, column));
            continue;
        };
        people.push(Person {
            name,
            audience,
            class: table.get(row, "class"),
            role: table.get(row, "role"),
            email: table.get(row, "email"),
            child: table.get(row, "child"),
            file: rel.to_string(),
            line: *line,
        });
    }
    people
}

/// Parses a ledger, reporting blank cells and dates that are not dates.
/// Dates may be ISO or written in `order` (as Excel saves them again), and
/// are kept as `YYYY-MM-DD`.
pub fn parse_ledger(rel: &str, text: &str, order: DateOrder, diags: &mut Diagnostics) -> Ledger {
    let mut ledger = Ledger {
        file: rel.to_string(),
        rows: Vec::new(),
    };
    let Some(table) = parse_table(rel, text, &LEDGER_COLUMNS, &LEDGER_REQUIRED, None, diags) else {
        return ledger;
    };
    for (line, row) in &table.rows {
        let cells: Vec<Option<String>> =
            LEDGER_REQUIRED.iter().map(|c| table.get(row, c)).collect();
        if let Some(i) = cells.iter().position(Option::is_none) {
            diags.push(blank(rel, text, *line, LEDGER_REQUIRED[i]));
            continue;
        }
        let [name, audience, doc_id, signed_on] =
            [0, 1, 2, 3].map(|i| cells[i].clone().unwrap_or_default());
        let signed_on = match dates::parse_written(&signed_on, order) {
            Ok(iso) => iso,
            Err(why) => {
                diags.push(
                    Diagnostic::error(Code::LedgerDate, rel, format!("the date `{signed_on}` {why}"))
                        .at_in_line(text, *line, &signed_on)
                        .with_hint(format!("write the day they signed as YYYY-MM-DD (2026-09-14) or as {} (14/09/2026); `date_order` in policyc.yaml sets the order", order.words())),
                );
                continue;
            }
        };
        ledger.rows.push(Signature {
            name,
            audience,
            class: table.get(row, "class"),
            child: table.get(row, "child"),
            doc_id: doc_id.to_uppercase(),
            signed_on,
            line: *line,
        });
    }
    ledger
}

/// The columns of a consent ledger; `class` is optional. (`date` reads as
/// `signed_on`, as in the sign-off ledger.)
const CONSENT_COLUMNS: [&str; 7] = [
    "child",
    "class",
    "purpose",
    "decision",
    "signed_on",
    "by",
    "document_id",
];
const CONSENT_REQUIRED: [&str; 5] = ["child", "purpose", "decision", "signed_on", "by"];

/// Parses a consent ledger: one decision a line, with its date read as a
/// sign-off ledger's is. Blank cells, unknown decisions and impossible
/// dates are errors at their line.
pub fn parse_consent(
    rel: &str,
    text: &str,
    order: DateOrder,
    diags: &mut Diagnostics,
) -> ConsentLedger {
    let mut ledger = ConsentLedger {
        file: rel.to_string(),
        rows: Vec::new(),
    };
    let Some(table) = parse_table(rel, text, &CONSENT_COLUMNS, &CONSENT_REQUIRED, None, diags)
    else {
        return ledger;
    };
    for (line, row) in &table.rows {
        let cells: Vec<Option<String>> =
            CONSENT_REQUIRED.iter().map(|c| table.get(row, c)).collect();
        if let Some(i) = cells.iter().position(Option::is_none) {
            let column = CONSENT_REQUIRED[i].replace("signed_on", "date");
            diags.push(blank(rel, text, *line, &column));
            continue;
        }
        let [child, purpose, decision, date, by] =
            [0, 1, 2, 3, 4].map(|i| cells[i].clone().unwrap_or_default());
        let Some(choice) = Choice::parse(&decision) else {
            diags.push(
                Diagnostic::error(Code::ConsentDecision, rel, format!("`{decision}` is not a decision policyc knows"))
                    .at_in_line(text, *line, &decision)
                    .with_hint("write `given`, `refused` or `withdrawn` (or `notified` for a parent told in writing of biometric processing)"),
            );
            continue;
        };
        let date = match dates::parse_written(&date, order) {
            Ok(iso) => iso,
            Err(why) => {
                diags.push(
                    Diagnostic::error(Code::LedgerDate, rel, format!("the date `{date}` {why}"))
                        .at_in_line(text, *line, &date)
                        .with_hint(format!("write the day of the decision as YYYY-MM-DD (2026-09-14) or as {} (14/09/2026); `date_order` in policyc.yaml sets the order", order.words())),
                );
                continue;
            }
        };
        ledger.rows.push(ConsentRow {
            child,
            class: table.get(row, "class"),
            purpose,
            choice,
            date,
            by,
            form: table.get(row, "document_id").map(|d| d.to_uppercase()),
            line: *line,
        });
    }
    ledger
}

fn blank(rel: &str, text: &str, line: usize, column: &str) -> Diagnostic {
    Diagnostic::error(
        Code::CsvBlankCell,
        rel,
        format!("the `{column}` cell on this line is blank"),
    )
    .at(text, line, 1)
    .with_hint(format!("fill in the {column}, or delete the line"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(text: &str) -> (Roster, Vec<String>) {
        let mut diags = Diagnostics::default();
        let rel = "people/a/roster.csv".to_string();
        let found = parse_roster(&rel, text, None, &mut diags);
        let sources = BTreeMap::from([(rel.clone(), text.to_string())]);
        let roster = merge_rosters(vec![(rel, found)], &sources, &mut diags);
        let codes = diags
            .sorted()
            .iter()
            .map(|d| format!("{} {}", d.code, d.location()))
            .collect();
        (roster, codes)
    }

    #[test]
    fn a_roster_reads_quoted_fields_and_names_in_any_script() {
        let (r, codes) = roster(
            "name,audience,class\n\"Nowak, Łucja\",ks2,Year 4 Oak\n王芳,ks2,Year 4 Oak\nSiân Hughes,staff,\n",
        );
        assert!(codes.is_empty(), "{codes:?}");
        let names: Vec<&str> = r.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Nowak, Łucja", "王芳", "Siân Hughes"]);
        assert_eq!(r.people[2].class, None);
        assert_eq!(r.people[1].line, 3);
    }

    #[test]
    fn semicolons_from_a_european_spreadsheet_are_read_too() {
        let (r, codes) = roster("Name;Audience;Form\nJan de Vries;ks2;Year 5 Ash\n");
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(r.people[0].class.as_deref(), Some("Year 5 Ash"));
    }

    #[test]
    fn blank_names_duplicates_and_missing_columns_are_reported_at_their_line() {
        let (_, codes) = roster("name,audience\nAmy Lee,staff\n,staff\namy  lee,staff\n");
        assert_eq!(
            codes,
            [
                "csv-blank-cell people/a/roster.csv:3:1",
                "roster-duplicate-person people/a/roster.csv:4:1"
            ]
        );
        let (_, codes) = roster("name,class\nAmy Lee,4O\n");
        assert_eq!(codes, ["csv-column-missing people/a/roster.csv:1:1"]);
        let (_, codes) = roster("name,audiance\nAmy Lee,staff\n");
        assert_eq!(codes, ["csv-column-unknown people/a/roster.csv:1:6"]);
    }

    #[test]
    fn a_ledger_reads_dates_as_a_uk_office_writes_them() {
        let mut diags = Diagnostics::default();
        let ledger = parse_ledger(
            "people/a/signed.csv",
            "name,audience,document_id,signed_on\nAmy Lee,staff,e133-a03c,2026-09-10\nBo Tan,staff,E133-A03C,19/09/2026\nCy Roe,staff,E133-A03C,09/19/2026\nDi Poe,staff,E133-A03C,19/09/26\n",
            DateOrder::Dmy,
            &mut diags,
        );
        assert_eq!(ledger.rows.len(), 2);
        assert_eq!(ledger.rows[0].doc_id, "E133-A03C");
        assert_eq!(ledger.rows[1].signed_on, "2026-09-19");
        let codes: Vec<String> = diags.sorted().iter().map(|d| d.location()).collect();
        assert_eq!(
            codes,
            ["people/a/signed.csv:4:24", "people/a/signed.csv:5:24"]
        );
    }

    #[test]
    fn a_ledger_in_us_order_reads_when_the_project_says_so() {
        let mut diags = Diagnostics::default();
        let ledger = parse_ledger(
            "people/a/signed.csv",
            "name,audience,document_id,signed_on\nCy Roe,staff,E133-A03C,09/19/2026\n",
            DateOrder::Mdy,
            &mut diags,
        );
        assert!(diags.sorted().is_empty());
        assert_eq!(ledger.rows[0].signed_on, "2026-09-19");
    }

    fn layouts(yaml: &str) -> BTreeMap<String, RosterLayout> {
        let mut diags = Diagnostics::default();
        let layouts = parse_layouts("people/a/columns.yaml", yaml, &mut diags);
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        layouts.expect("a valid layout")
    }

    #[test]
    fn an_hr_export_reads_through_its_layout_and_other_columns_stay_unread() {
        let layout = layouts(
            "roster-hr.csv:\n  audience: staff\n  columns:\n    name: [Known As, Surname]\n    role: Post\n",
        );
        let mut diags = Diagnostics::default();
        let people = parse_roster(
            "people/a/roster-hr.csv",
            "Employee No;Surname;Known As;Post;NI Number\nE1;ap Rhys;Siân;Teaching assistant;QQ123456C\n",
            layout.get("roster-hr.csv"),
            &mut diags,
        );
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        assert_eq!(people[0].name, "Siân ap Rhys");
        assert_eq!(people[0].audience, "staff");
        assert_eq!(people[0].role.as_deref(), Some("Teaching assistant"));
        assert_eq!(people[0].file, "people/a/roster-hr.csv");
    }

    #[test]
    fn an_mis_export_maps_its_year_groups_to_audiences() {
        let layout = layouts(
            "roster-mis.xlsx:\n  columns: { name: Forename, audience: Year, class: Reg }\n  audiences: { Year 1: ks1, Year 4: ks2 }\n",
        );
        let mut diags = Diagnostics::default();
        let people = parse_roster(
            "people/a/roster-mis.xlsx",
            "Forename,Year,Reg,class\nAmy,year 1,1H,x\nBo,Year 4,4O,y\nCy,ks2,5A,z\n",
            layout.get("roster-mis.xlsx"),
            &mut diags,
        );
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let read: Vec<(&str, &str)> = people
            .iter()
            .map(|p| (p.audience.as_str(), p.class.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(read, [("ks1", "1H"), ("ks2", "4O"), ("ks2", "5A")]);
    }

    #[test]
    fn a_layout_naming_a_missing_header_or_an_unknown_column_is_an_error_at_its_line() {
        let layout = layouts("roster-hr.csv:\n  columns: { name: Known As }\n");
        let mut diags = Diagnostics::default();
        parse_roster(
            "people/a/roster-hr.csv",
            "Preferred Name,audience\nAmy,staff\n",
            layout.get("roster-hr.csv"),
            &mut diags,
        );
        let found: Vec<String> = diags.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            found,
            ["the header has no column `Known As`, which columns.yaml reads as `name`"]
        );
        let mut problems = Diagnostics::default();
        let layouts = parse_layouts(
            "people/a/columns.yaml",
            "roster-hr.csv:\n  audience: staff\n  columns:\n    nmae: Known As\nnotes.csv: {}\n",
            &mut problems,
        );
        assert!(layouts.is_none());
        let at: Vec<String> = problems
            .sorted()
            .iter()
            .map(|d| format!("{} {}", d.code, d.location()))
            .collect();
        assert_eq!(
            at,
            [
                "roster-layout people/a/columns.yaml:4:5",
                "roster-layout people/a/columns.yaml:5:1"
            ]
        );
    }

    #[test]
    fn the_same_wrong_column_in_two_files_is_found_in_each() {
        let mut problems = Diagnostics::default();
        let yaml = "roster-a.csv:\n  audience: staff\n  columns:\n    nmae: A\nroster-b.csv:\n  audience: staff\n  columns:\n    nmae: B\n";
        assert!(parse_layouts("people/a/columns.yaml", yaml, &mut problems).is_none());
        let at: Vec<String> = problems.sorted().iter().map(|d| d.location()).collect();
        assert_eq!(
            at,
            ["people/a/columns.yaml:4:5", "people/a/columns.yaml:8:5"]
        );
    }

    #[test]
    fn someone_in_two_roster_files_is_listed_twice() {
        let mut diags = Diagnostics::default();
        let a = (
            "people/a/roster-hr.csv".to_string(),
            "name,audience\nAmy Lee,staff\n",
        );
        let b = (
            "people/a/roster.csv".to_string(),
            "name,audience\nBo Tan,staff\nAmy Lee,staff\n",
        );
        let parts: Vec<(String, Vec<Person>)> = [&a, &b]
            .iter()
            .map(|(rel, text)| (rel.clone(), parse_roster(rel, text, None, &mut diags)))
            .collect();
        let sources = BTreeMap::from([
            (a.0.clone(), a.1.to_string()),
            (b.0.clone(), b.1.to_string()),
        ]);
        let roster = merge_rosters(parts, &sources, &mut diags);
        assert_eq!(roster.people.len(), 2);
        assert_eq!(
            roster.described(),
            "people/a/roster-hr.csv and people/a/roster.csv"
        );
        let found: Vec<String> = diags
            .sorted()
            .iter()
            .map(|d| format!("{} {}", d.location(), d.message))
            .collect();
        assert_eq!(
            found,
            ["people/a/roster.csv:3:1 Amy Lee is listed twice (first in people/a/roster-hr.csv, line 2)"]
        );
    }
}
