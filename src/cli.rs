//! The command line: subcommands, options and their help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The version line: policyc's own version and the typst it embeds.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (typst ", "0.15.1", ")");

/// Compile acceptable-use agreements and school policies from a clause
/// library into signature-ready PDF and accessible HTML.
#[derive(Debug, Parser)]
#[command(name = "policyc", version = VERSION, about, long_about = None)]
#[command(
    after_help = "Examples:\n  policyc build                       build every school's pack into ./out\n  policyc check                       check the project without writing anything\n  policyc build --school hollybrook   build one school"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build PDF and HTML documents for every school, policy and audience.
    #[command(
        after_help = "Examples:\n  policyc build\n  policyc build --school hollybrook --audience staff --audience ks2\n  policyc build --project ../trust-policies --out /tmp/packs --format pdf"
    )]
    Build(BuildArgs),
    /// Check the whole project and report every problem, writing nothing.
    #[command(
        after_help = "Examples:\n  policyc check\n  policyc check --format json --deny-warnings"
    )]
    Check(CheckArgs),
}

/// Options shared by every subcommand that reads a project.
#[derive(Debug, Clone, Args)]
pub struct ProjectArgs {
    /// The project folder (holding clauses/, schools/, policies/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
}

/// `policyc build`.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The output folder [default: <project>/out].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Build only this school (repeat for more).
    #[arg(long = "school", value_name = "ID")]
    pub schools: Vec<String>,
    /// Build only this audience (repeat for more).
    #[arg(long = "audience", value_name = "ID")]
    pub audiences: Vec<String>,
    /// Output formats, comma-separated; add `json` for a JSON summary on stdout.
    #[arg(
        long,
        value_name = "FORMATS",
        value_delimiter = ',',
        default_value = "pdf,html"
    )]
    pub format: Vec<OutputFormat>,
    /// Rebuild every document, even those already up to date.
    #[arg(long)]
    pub force: bool,
    /// Render on at most N threads [default: all cores].
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// PDF standards: none, a-2b, ua-1 or a-2b,ua-1.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "a-2b,ua-1"
    )]
    pub pdf_standard: Vec<PdfStandardArg>,
    /// Print only errors and the summary; no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `policyc check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// How to print problems.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// An output format of `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Printable, signature-ready PDF.
    Pdf,
    /// Accessible web page.
    Html,
    /// A JSON summary of the build on stdout (documents built, skipped, failed, timings).
    Json,
}

/// A PDF standard choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// No standard: a plain tagged PDF.
    None,
    /// PDF/A-2b (archival).
    #[value(name = "a-2b")]
    A2b,
    /// PDF/UA-1 (accessible).
    #[value(name = "ua-1")]
    Ua1,
}

/// How `check` prints problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Excerpts for people.
    Human,
    /// A JSON array for CI.
    Json,
}
