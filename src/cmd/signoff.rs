//! `policyc signoff status`: who has signed which version, from the
//! rosters and ledgers in `people/`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::check::messages::unknown_school;
use crate::cli::{
    SignoffCommand, SignoffFormat, SignoffImportArgs, SignoffPrintArgs, SignoffRegisterArgs,
    SignoffSelect, SignoffStatusArgs,
};
use crate::cmd::explain::resolved_or_report;
use crate::cmd::source_date_epoch;
use crate::cmd::{abort_on_timeout, pdf_standards, print_diagnostics};
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, EXIT_OK, EXIT_PROJECT};
use crate::load::form_export::{read_form_export, ColumnMap, DateOrder};
use crate::model::build::PdfSettings;
use crate::model::build::PrivateFile;
use crate::model::project::Resolved;
use crate::output::atomic::write_atomic;
use crate::output::guard;
use crate::output::lock::OutputLock;
use crate::render::pool::parallel_map;
use crate::sealed::{Area, Folder};
use crate::signoff::html::render_html;
use crate::signoff::print::print_copies;
use crate::signoff::print_layout::Sheets;
use crate::signoff::run::{import_responses, register_pdfs, sign_off_report, SignOffFilter};
use crate::signoff::text::{render_csv, render_text};

/// `policyc signoff …`.
pub fn signoff(command: &SignoffCommand) -> Result<i32> {
    match command {
        SignoffCommand::Status(args) => status(args),
        SignoffCommand::Register(args) => register(args),
        SignoffCommand::Print(args) => print(args),
        SignoffCommand::Import(args) => import(args),
    }
}

/// The project resolved and the selection checked, or the exit status.
fn selected(
    select: &SignoffSelect,
    diags: &mut Diagnostics,
) -> Result<(Resolved, SignOffFilter), i32> {
    let Some(resolved) = resolved_or_report(&select.project.project) else {
        return Err(EXIT_PROJECT);
    };
    let ids: Vec<&str> = resolved.schools.iter().map(|s| s.id.as_str()).collect();
    for school in select.schools.iter().filter(|s| !ids.contains(&s.as_str())) {
        diags.push(unknown_school(school, &ids));
    }
    let audiences: Vec<&str> = resolved
        .project
        .audiences
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    for audience in select
        .audiences
        .iter()
        .filter(|a| !audiences.contains(&a.as_str()))
    {
        diags.push(
            Diagnostic::error(
                Code::UnknownAudience,
                "--audience",
                format!("there is no audience `{audience}`"),
            )
            .with_hint(format!("the audiences are: {}", audiences.join(", "))),
        );
    }
    let filter = SignOffFilter {
        schools: select.schools.clone(),
        audiences: select.audiences.clone(),
        class: select.class.clone(),
        outstanding: select.outstanding,
    };
    Ok((resolved, filter))
}

fn status(args: &SignoffStatusArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let project = &args.select.project.project;
    // HTML always goes to a file; CSV goes to one when --out names it, with
    // a byte-order mark so Excel reads "Siân" as Siân.
    let file_out = match args.format {
        SignoffFormat::Html => Some(
            args.out
                .clone()
                .unwrap_or_else(|| project.join("private").join("signoff-status.html")),
        ),
        SignoffFormat::Csv => args.out.clone(),
        SignoffFormat::Human | SignoffFormat::Json => None,
    };
    let public = project.join("out");
    if let Some(path) = file_out.as_ref().filter(|_| args.names) {
        if let Some(problem) = guard::check_private(&public, path) {
            diags.push(refuse_public(path, &problem));
            print_diagnostics(&diags);
            return Ok(EXIT_PROJECT);
        }
    }
    let (resolved, filter) = match selected(&args.select, &mut diags) {
        Ok(selected) => selected,
        Err(code) => return Ok(code),
    };
    let report = if diags.has_errors() {
        None
    } else {
        Some(sign_off_report(&resolved, &filter, args.names, &mut diags))
    };
    if !args.names {
        // Counts only: a roster or ledger problem names its file, line and
        // column, never the cell, which holds a name.
        diags.redact_in("people/");
    }
    print_diagnostics(&diags);
    let Some(report) = report.filter(|_| !diags.has_errors()) else {
        return Ok(EXIT_PROJECT);
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        SignoffFormat::Human => write!(
            stdout,
            "{}",
            crate::diag::printable_lines(&render_text(&report))
        )?,
        SignoffFormat::Csv => {
            let csv = render_csv(&report, args.names);
            match &file_out {
                Some(path) => {
                    let bytes = format!("{}{csv}", '\u{feff}');
                    if !write_report(path, &public, args.names, bytes.as_bytes())? {
                        return Ok(EXIT_PROJECT);
                    }
                }
                None => write!(stdout, "{csv}")?,
            }
        }
        SignoffFormat::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&report)?)?,
        SignoffFormat::Html => {
            let page = render_html(&report, args.names, &resolved.today);
            let path = file_out
                .as_deref()
                .unwrap_or(Path::new("signoff-status.html"));
            if !write_report(path, &public, args.names, page.as_bytes())? {
                return Ok(EXIT_PROJECT);
            }
        }
    }
    let outstanding: usize = report
        .schools
        .iter()
        .flat_map(|s| &s.documents)
        .map(|d| d.outstanding())
        .sum();
    if args.deny_outstanding && outstanding > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "{outstanding} signature{} outstanding",
            if outstanding == 1 { "" } else { "s" }
        );
        return Ok(EXIT_PROJECT);
    }
    Ok(EXIT_OK)
}

/// Writes a status report to `path`, atomically: beneath the locked private
/// folder when it names people (false, with the refusal printed, if that
/// folder is public), anywhere otherwise.
pub(crate) fn write_report(path: &Path, public: &Path, names: bool, bytes: &[u8]) -> Result<bool> {
    let (dir, name) = split_file(path)?;
    let folder = if names {
        match guard::open_private(public, &dir)? {
            Ok(lock) => lock.folder().clone(),
            Err(problem) => {
                let mut refused = Diagnostics::default();
                refused.push(refuse_public(path, &problem));
                print_diagnostics(&refused);
                return Ok(false);
            }
        }
    } else {
        Folder::create_root(&dir, Area::Public)?.0
    };
    write_atomic(&folder, name, bytes)?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote {}{}",
        path.display(),
        if names {
            ": it names people, so keep it securely"
        } else {
            ""
        }
    );
    Ok(true)
}

/// Threads writing private files at once.
const WRITE_THREADS: usize = 4;

/// `policyc signoff register`: a PDF register per class or staff group,
/// written to the private folder.
fn register(args: &SignoffRegisterArgs) -> Result<i32> {
    private_outputs(args, "register", |resolved, filter, options, diags| {
        let on_timeout = abort_on_timeout();
        register_pdfs(resolved, filter, options, on_timeout, diags)
    })
}

/// `policyc signoff print`: a personal copy per person and a print file
/// per class or staff group, written to the private folder.
fn print(args: &SignoffPrintArgs) -> Result<i32> {
    let mut summary = (0, 0);
    let sheets = Sheets {
        per_sheet: args.per_sheet.parse().unwrap_or(1),
        one_sided: args.one_sided,
    };
    let code = private_outputs(&args.base, "file", |resolved, filter, options, diags| {
        let printed = print_copies(resolved, filter, options, sheets, abort_on_timeout(), diags);
        summary = (printed.people, printed.print_files);
        printed.files
    })?;
    if code == EXIT_OK {
        let (people, files) = summary;
        let _ = writeln!(
            std::io::stderr(),
            "{people} personal cop{} in {files} print file{}",
            if people == 1 { "y" } else { "ies" },
            if files == 1 { "" } else { "s" }
        );
    }
    Ok(code)
}

/// Makes files that hold names with `make` and writes them to the private
/// folder, refusing one inside out/.
fn private_outputs(
    args: &SignoffRegisterArgs,
    noun: &str,
    make: impl FnOnce(&Resolved, &SignOffFilter, PdfSettings, &mut Diagnostics) -> Vec<PrivateFile>,
) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let project = &args.select.project.project;
    let private = match PrivateTarget::prepare(project, args.out.as_ref(), &args.pdf_standard) {
        Ok(private) => private,
        Err(code) => return Ok(code),
    };
    let (resolved, filter) = match selected(&args.select, &mut diags) {
        Ok(selected) => selected,
        Err(code) => return Ok(code),
    };
    let files = if diags.has_errors() {
        Vec::new()
    } else {
        make(&resolved, &filter, private.options, &mut diags)
    };
    print_diagnostics(&diags);
    if diags.has_errors() {
        return Ok(EXIT_PROJECT);
    }
    private.write(&files, noun)
}

/// Where files that hold names go, checked before anything is made: the
/// private folder (never inside out/), with the PDF options to make them.
pub(crate) struct PrivateTarget {
    /// The private folder.
    out: PathBuf,
    /// The public output folder it must stay out of.
    public: PathBuf,
    /// PDF standards and `SOURCE_DATE_EPOCH`.
    pub options: PdfSettings,
}

impl PrivateTarget {
    /// The target for `project`, or the exit status with the problem
    /// printed: a folder inside out/, a bad `SOURCE_DATE_EPOCH` or an
    /// unknown PDF standard.
    pub(crate) fn prepare(
        project: &Path,
        out: Option<&PathBuf>,
        pdf_standard: &[crate::cli::PdfStandardArg],
    ) -> Result<Self, i32> {
        let mut diags = Diagnostics::default();
        let out = out.cloned().unwrap_or_else(|| project.join("private"));
        let public = project.join("out");
        if let Some(problem) = guard::check_private(&public, &out) {
            diags.push(refuse_public(&out, &problem));
            print_diagnostics(&diags);
            return Err(EXIT_PROJECT);
        }
        let epoch = match source_date_epoch() {
            Ok(epoch) => epoch,
            Err(d) => {
                diags.push(d);
                print_diagnostics(&diags);
                return Err(EXIT_PROJECT);
            }
        };
        let standards = pdf_standards(pdf_standard)?;
        Ok(Self {
            out,
            public,
            options: PdfSettings { standards, epoch },
        })
    }

    /// Writes `files` beneath the locked private folder, each atomically,
    /// never naming a person in the log.
    pub(crate) fn write(&self, files: &[PrivateFile], noun: &str) -> Result<i32> {
        let (out, public) = (&self.out, &self.public);
        let lock = match guard::open_private(public, out)? {
            Ok(lock) => lock,
            Err(problem) => {
                let mut diags = Diagnostics::default();
                diags.push(refuse_public(out, &problem));
                print_diagnostics(&diags);
                return Ok(EXIT_PROJECT);
            }
        };
        // Each file is synced to disk before it is renamed into place: a
        // few threads keep the disk busy while one waits on a sync.
        let written = parallel_map(files, WRITE_THREADS, |file| {
            lock.folder().write_atomic(&file.rel, &file.bytes)
        });
        let mut stderr = std::io::stderr().lock();
        for (file, result) in files.iter().zip(written) {
            let result = result.unwrap_or_else(|panic| Err(std::io::Error::other(panic)));
            // A personal copy's file name is its person's name: kept out of
            // the log and out of any error, which may end up anywhere.
            if let Err(e) = result {
                let shown = if file.names_a_person() {
                    "a personal copy".to_string()
                } else {
                    out.join(&file.rel).display().to_string()
                };
                anyhow::bail!("cannot write {shown} in {}: {e}", out.display());
            }
            if !file.names_a_person() {
                writeln!(stderr, "  wrote {}", out.join(&file.rel).display())?;
            }
        }
        writeln!(
            stderr,
            "{} {noun}{} written to {}: they hold names, so keep them securely",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            out.display()
        )?;
        Ok(EXIT_OK)
    }
}

/// Files that hold names, refused where they would be published.
pub(crate) fn refuse_public(out: &Path, problem: &guard::Misplaced) -> Diagnostic {
    Diagnostic::error(Code::PrivateOutPublic, "--out", problem.message(out))
        .with_hint(problem.hint())
}

/// Locks `people/<school>/` for a ledger write (waiting for another
/// import), creating the folder if needed.
pub(crate) fn lock_ledger(project: &Path, school: &str) -> Result<OutputLock> {
    let folder = Folder::open_root(project, Area::Project)
        .with_context(|| format!("cannot open the project folder {}", project.display()))?
        .create_folder(Path::new("people").join(school))
        .with_context(|| format!("cannot open people/{school}"))?;
    OutputLock::acquire_in(folder, false, |_| {})
}

/// A file path split into its folder and its name.
fn split_file(path: &Path) -> Result<(PathBuf, String)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .with_context(|| format!("{} names no file", path.display()))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok((dir.to_path_buf(), name))
}

/// `policyc signoff import`: form responses into a school's ledger.
fn import(args: &SignoffImportArgs) -> Result<i32> {
    let mut diags = Diagnostics::default();
    let select = SignoffSelect {
        project: args.project.clone(),
        schools: vec![args.school.clone()],
        audiences: args.audience.iter().cloned().collect(),
        class: None,
        outstanding: false,
    };
    let (resolved, _) = match selected(&select, &mut diags) {
        Ok(selected) => selected,
        Err(code) => return Ok(code),
    };
    let mut map = ColumnMap::default();
    ColumnMap::override_with(&mut [
        (&mut map.name, &args.name_column),
        (&mut map.date, &args.date_column),
        (&mut map.document, &args.document_column),
        (&mut map.audience, &args.audience_column),
        (&mut map.class, &args.class_column),
        (&mut map.child, &args.child_column),
    ]);
    let order = DateOrder::from(args.date_order);
    let export = if diags.has_errors() {
        None
    } else {
        read_form_export(
            &args.file,
            &map,
            order,
            args.audience.as_deref(),
            &mut diags,
        )
    };
    // Writing: the school's ledger is locked first and read again under
    // the lock, so concurrent imports each add their rows to the latest
    // ledger and none is lost.
    let _lock = match (&export, args.write) {
        (Some(_), true) => Some(lock_ledger(&args.project.project, &args.school)?),
        _ => None,
    };
    let import = export.map(|e| import_responses(&resolved, &args.school, e, &mut diags));
    print_diagnostics(&diags);
    let Some(import) = import.filter(|_| !diags.has_errors()) else {
        let _ = writeln!(
            std::io::stderr(),
            "nothing was saved: fix the export (or the roster) and run it again"
        );
        return Ok(EXIT_PROJECT);
    };
    let new = import.plan.new_rows.len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut stderr = std::io::stderr().lock();
    let already = import.plan.already;
    let recorded = if already > 0 {
        format!("; {already} already recorded")
    } else {
        String::new()
    };
    if !args.write {
        writeln!(
            stderr,
            "{new} new signature{}{recorded}; run again with --write to add them to {}",
            plural(new),
            import.ledger
        )?;
        return Ok(EXIT_OK);
    }
    if new > 0 {
        let project = Folder::open_root(&args.project.project, Area::Project)?;
        write_atomic(&project, &import.ledger, import.text.as_bytes())?;
    }
    writeln!(
        stderr,
        "added {new} signature{} to {}{recorded}",
        plural(new),
        import.ledger
    )?;
    Ok(EXIT_OK)
}
