//! `policyc completions` and `policyc man`: shell completion scripts and the
//! man page, generated from the command-line definition.

use anyhow::Result;
use clap::CommandFactory;

use std::io::Write;
use std::path::Path;

use crate::cli::{Cli, ManArgs};
use crate::diag::{Diagnostics, EXIT_OK, EXIT_USAGE};
use crate::load::load_project;
use crate::output::atomic::write_atomic;

/// `policyc completions`: the script for `shell`, offering the schools and
/// audiences of the project at `project` when it can be read.
pub fn completions(shell: clap_complete::Shell, project: &Path) -> Result<i32> {
    let mut cmd = with_project_values(Cli::command(), project);
    clap_complete::generate(shell, &mut cmd, "policyc", &mut std::io::stdout());
    Ok(EXIT_OK)
}

/// The command line with the project's school and audience ids as the
/// values `--school` and `--audience` offer. A project that cannot be read
/// leaves them free text.
fn with_project_values(cmd: clap::Command, project: &Path) -> clap::Command {
    let mut diags = Diagnostics::default();
    let loaded = load_project(project, &mut diags);
    let schools: Vec<String> = loaded.schools.iter().map(|s| s.id.clone()).collect();
    let audiences: Vec<String> = loaded.audiences.iter().map(|a| a.id.clone()).collect();
    if schools.is_empty() {
        return cmd;
    }
    let offer = |values: &[String]| {
        let values = values.to_vec();
        move |arg: clap::Arg| arg.value_parser(clap::builder::PossibleValuesParser::new(values))
    };
    let mut cmd = cmd;
    for name in ["build", "watch"] {
        cmd = cmd.mut_subcommand(name, |sub| {
            sub.mut_arg("schools", offer(&schools))
                .mut_arg("audiences", offer(&audiences))
        });
    }
    cmd.mut_subcommand("explain", |sub| {
        sub.mut_arg("school", offer(&schools))
            .mut_arg("audience", offer(&audiences))
    })
    .mut_subcommand("list", |sub| sub.mut_arg("audience", offer(&audiences)))
}

/// `policyc man`: policyc(1), a subcommand's page, or every page into a
/// folder.
pub fn man(args: &ManArgs) -> Result<i32> {
    let top = Cli::command();
    if let Some(dir) = &args.dir {
        let mut written = Vec::new();
        let (folder, _) = crate::sealed::Folder::create_root(dir, crate::sealed::Area::Public)?;
        for (name, page) in all_pages(&top)? {
            let path = dir.join(format!("{name}.1"));
            write_atomic(&folder, format!("{name}.1"), &page)?;
            written.push(path.display().to_string());
        }
        writeln!(
            std::io::stdout(),
            "wrote {} man pages in {}",
            written.len(),
            dir.display()
        )?;
        return Ok(EXIT_OK);
    }
    let page = match &args.command {
        None => page(&top, None)?,
        Some(name) => {
            let Some(sub) = top.find_subcommand(name) else {
                let names: Vec<&str> = top.get_subcommands().map(|c| c.get_name()).collect();
                writeln!(
                    std::io::stderr(),
                    "error: there is no command `{name}`; the commands are {}",
                    names.join(", ")
                )?;
                return Ok(EXIT_USAGE);
            };
            page(sub, Some(name))?
        }
    };
    std::io::stdout().write_all(&page)?;
    Ok(EXIT_OK)
}

/// Every page: policyc(1) and one per subcommand.
fn all_pages(top: &clap::Command) -> Result<Vec<(String, Vec<u8>)>> {
    let mut pages = vec![("policyc".to_string(), page(top, None)?)];
    for sub in top.get_subcommands() {
        let name = sub.get_name().to_string();
        pages.push((format!("policyc-{name}"), page(sub, Some(&name))?));
    }
    Ok(pages)
}

/// One man page in roff: clap's sections, then exit status, environment,
/// files and see-also sections of our own.
fn page(cmd: &clap::Command, sub: Option<&str>) -> Result<Vec<u8>> {
    let title = match sub {
        Some(name) => format!("policyc-{name}"),
        None => "policyc".to_string(),
    };
    let cmd = cmd
        .clone()
        .name(title.clone())
        .bin_name(title.replace('-', " "));
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    out.extend_from_slice(EXTRA_SECTIONS.as_bytes());
    if sub.is_some() {
        out.extend_from_slice(b".SH SEE ALSO\npolicyc(1)\n");
    }
    Ok(out)
}

/// Exit status, environment and files: the same for every command.
const EXTRA_SECTIONS: &str = r#".SH EXIT STATUS
.TP
0
Success.
.TP
1
The project has errors (or warnings, under \fB--deny-warnings\fR); nothing was written.
.TP
2
The command line was wrong.
.TP
3
The project was fine but outputs could not be written, or another failure.
.SH ENVIRONMENT
.TP
NO_COLOR
No colour in messages.
.TP
SOURCE_DATE_EPOCH
The PDFs' creation time, in seconds since 1970, for reproducible builds.
.TP
POLICYC_TODAY
Today's date (YYYY-MM-DD) for the overdue-review warning.
.TP
POLICYC_RENDER_TIMEOUT
Seconds the PDF layout may take over one document (default 60).
.SH FILES
.TP
clauses/, policies/, schools/, modules.yaml, policyc.yaml, templates/, fonts/, published/
.TP
people/
Rosters and sign-off ledgers: personal data, kept out of git by the .gitignore policyc init writes.
The project: see docs/FORMAT.md.
.TP
out/
What a build writes: the packs, out/manifest.json, and out/.policyc.lock while a build runs.
"#;
