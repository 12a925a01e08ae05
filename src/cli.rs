//! The command line: subcommands, options and their help text.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::shard::Shard;

/// The version line: policyc's own version and the typst it embeds.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{} (typst {})",
        env!("CARGO_PKG_VERSION"),
        crate::model::build::typst_version()
    )
});

/// Compile acceptable-use agreements and school policies from a clause
/// library into signature-ready PDF and accessible HTML.
#[derive(Debug, Parser)]
#[command(name = "policyc", version = VERSION.as_str(), about, long_about = None)]
#[command(
    after_help = "Examples:\n  policyc build                       build every school's pack into ./out\n  policyc check                       check the project without writing anything\n  policyc build --school wrenfold     build one school"
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
        after_help = "Examples:\n  policyc build\n  policyc build --school wrenfold --audience staff --audience ks2\n  policyc build --project . --out packs --format pdf\n  policyc build --shard 1/2 --out shard-1\n  policyc build --shard 2/2 --out shard-2"
    )]
    Build(BuildArgs),
    /// Check the whole project and report every problem, writing nothing.
    #[command(
        after_help = "Examples:\n  policyc check\n  policyc check --format json --deny-warnings
  policyc check --deny-overdue"
    )]
    Check(CheckArgs),
    /// List the clauses, schools or audiences of a project.
    #[command(
        after_help = "Examples:\n  policyc list clauses --audience ks2\n  policyc list clauses --tag passwords\n  policyc list schools\n  policyc list audiences
  policyc list modules"
    )]
    List(ListArgs),
    /// Show what a document is made of, or how a school departs from its trust.
    #[command(
        after_help = "Examples:\n  policyc explain --school wrenfold --audience staff\n  policyc explain --school oakhollow --diff-trust\n  policyc explain --school ravensmoor --audience secondary\n  policyc explain --trust\n  policyc explain --trust --format json"
    )]
    Explain(ExplainArgs),
    /// Compare with a published pack: what changed, and who must sign again.
    #[command(
        after_help = "--baseline published compares with the latest published pack (published/latest names it).\n\nExamples:\n  policyc changes --baseline published\n  policyc changes --baseline published/2026-spring --format json\n  policyc changes --baseline published/2026-spring/manifest.json --write"
    )]
    Changes(ChangesArgs),
    /// Start a new project, with the clause library and a school to fill in.
    #[command(
        after_help = "Examples:\n  policyc init my-school\n  policyc init trust-policies --trust"
    )]
    Init(InitArgs),
    /// Keep the pack just built as published/LABEL, so signatures on it are
    /// understood after the wording changes.
    #[command(
        after_help = "Examples:\n  policyc build && policyc publish 2026-autumn\n  policyc publish 2027-spring --out packs"
    )]
    Publish(PublishArgs),
    /// Assemble the output folders of `build --shard K/N`, one per shard,
    /// into the output folder one build would have made.
    #[command(
        after_help = "Examples:\n  policyc merge shard-1 shard-2 --out merged\n  policyc merge shard-1 shard-2 --out merged --format json"
    )]
    Merge(MergeArgs),
    /// Build, then rebuild the affected documents whenever an input changes.
    #[command(
        after_help = "Examples:\n  policyc watch\n  policyc watch --school wrenfold --format html"
    )]
    Watch(BuildArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  policyc completions bash > /etc/bash_completion.d/policyc\n  policyc completions zsh > ~/.zfunc/_policyc\n  policyc completions fish --project . > ~/.config/fish/completions/policyc.fish"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
        /// Offer this project's schools and audiences for `--school` and
        /// `--audience` (regenerate the script when schools change).
        #[arg(long, value_name = "DIR", default_value = ".")]
        project: PathBuf,
    },
    /// Preview bringing in the clause library built into this policyc, and
    /// who would sign again; --write brings it in.
    #[command(
        name = "upgrade-library",
        after_help = "Examples:\n  policyc upgrade-library\n  policyc upgrade-library --format json\n  policyc upgrade-library --write"
    )]
    UpgradeLibrary(UpgradeArgs),
    /// Who has signed which version, and registers, personal copies and
    /// print files to collect signatures: the rosters and ledgers in people/.
    #[command(
        subcommand,
        after_help = "Examples:\n  policyc signoff status\n  policyc signoff status --school wrenfold --names\n  policyc signoff status --format json --deny-outstanding\n  policyc signoff register --school wrenfold --audience ks2\n  policyc signoff print --school wrenfold --audience ks2 --class year-4-oak"
    )]
    Signoff(SignoffCommand),
    /// Who has consented to what: image and biometric consent per pupil
    /// and purpose, from the rosters and consent ledgers in people/.
    #[command(
        subcommand,
        after_help = "Examples:\n  policyc consent status\n  policyc consent status --school oakhollow --names\n  policyc consent status --format csv --names --out private/consent.csv\n  policyc consent list --school oakhollow"
    )]
    Consent(ConsentCommand),
    /// Print a man page (roff), or write them all to a folder.
    #[command(
        after_help = "Examples:\n  policyc man > policyc.1 && man ./policyc.1\n  policyc man build > policyc-build.1\n  policyc man --dir man"
    )]
    Man(ManArgs),
}

/// `policyc upgrade-library`.
#[derive(Debug, Clone, Args)]
pub struct UpgradeArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// How to print the report.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Write the new library into clauses/ and modules.yaml. Without it,
    /// nothing is written.
    #[arg(long)]
    pub write: bool,
}

/// `policyc consent …`.
#[derive(Debug, Clone, Subcommand)]
pub enum ConsentCommand {
    /// Per school and purpose: how many pupils have consent, refused,
    /// withdrew, object, or have not answered; and for biometrics the
    /// parents not yet notified in writing.
    #[command(
        after_help = "Names are personal data: they are printed only with --names.\n\nExamples:\n  policyc consent status\n  policyc consent status --school oakhollow --class year-6-willow --names\n  policyc consent status --deny-unanswered"
    )]
    Status(ConsentStatusArgs),
    /// Print a consent list for each class: for each purpose, the pupils
    /// who must not be photographed (or published, or asked for a
    /// fingerprint), for a class teacher to take on a trip.
    #[command(
        after_help = "The lists hold names: they are written to private/ (never out/), which policyc init keeps out of git.\n\nExamples:\n  policyc consent list\n  policyc consent list --school oakhollow --class year-6-willow"
    )]
    List(ConsentListArgs),
    /// Print each school's consent forms for its pupils, the child's name
    /// and class written in: one print file per form and class.
    #[command(
        after_help = "With --per-sheet 1 each child gets the whole form, each starting on a new sheet; with 2 or 4, return slips with cut lines (the form itself is in out/, for every family to read). The forms hold names: they are written to private/ (never out/).\n\nExamples:\n  policyc consent print --school oakhollow\n  policyc consent print --school oakhollow --class year-6-willow --outstanding\n  policyc consent print --per-sheet 4"
    )]
    Print(ConsentPrintArgs),
    /// Add the answers exported from an online consent form (Microsoft
    /// Forms, Google Forms…) to a school's consent ledger, all or nothing;
    /// --write saves them.
    #[command(
        after_help = "Each response becomes one ledger line per purpose answered: a column headed with a purpose's label (or id) from policyc.yaml, answered yes or no. An answer already in the ledger is not added again. Nothing is saved unless every response is sound.\n\nExamples:\n  policyc consent import responses.csv --school oakhollow\n  policyc consent import responses.csv --school oakhollow --write"
    )]
    Import(ConsentImportArgs),
}

/// `policyc consent import`.
#[derive(Debug, Clone, Args)]
pub struct ConsentImportArgs {
    /// The exported responses, as CSV or an Excel workbook (.xlsx).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The school whose consent ledger they go into.
    #[arg(long, value_name = "ID")]
    pub school: String,
    /// The column holding the name of who answered [default: Name, Full name, …].
    #[arg(long, value_name = "HEADER")]
    pub name_column: Option<String>,
    /// The column holding the child's name [default: Child, Child's name, Pupil].
    #[arg(long, value_name = "HEADER")]
    pub child_column: Option<String>,
    /// The column holding the child's class [default: Class, Form].
    #[arg(long, value_name = "HEADER")]
    pub class_column: Option<String>,
    /// The column holding the date [default: Completion time, Timestamp, …].
    #[arg(long, value_name = "HEADER")]
    pub date_column: Option<String>,
    /// The column holding the form's document ID [default: Document ID, …].
    #[arg(long, value_name = "HEADER")]
    pub document_column: Option<String>,
    /// How the export writes dates: dmy (UK), mdy (US) or ymd. ISO dates
    /// are read whatever this says.
    #[arg(long, value_enum, default_value = "dmy")]
    pub date_order: DateOrderArg,
    /// Save the new answers into people/<school>/consent.csv.
    #[arg(long)]
    pub write: bool,
}

/// `policyc consent print`.
#[derive(Debug, Clone, Args)]
pub struct ConsentPrintArgs {
    #[command(flatten)]
    pub select: ConsentSelect,
    /// Only pupils with an answer missing, or a consent given to a wording
    /// that has since changed.
    #[arg(long)]
    pub outstanding: bool,
    /// Forms to an A4 sheet: 1 (the whole form), 2 or 4 (return slips).
    #[arg(long, value_name = "N", default_value = "1", value_parser = ["1", "2", "4"])]
    pub per_sheet: String,
    /// The folder for outputs that hold names [default: <project>/private].
    /// It must not be inside the public output folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// PDF standards: none, a-2b, ua-1 or a-2b,ua-1.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "a-2b,ua-1"
    )]
    pub pdf_standard: Vec<PdfStandardArg>,
}

/// `policyc consent list`.
#[derive(Debug, Clone, Args)]
pub struct ConsentListArgs {
    #[command(flatten)]
    pub select: ConsentSelect,
    /// The folder for outputs that hold names [default: <project>/private].
    /// It must not be inside the public output folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// PDF standards: none, a-2b, ua-1 or a-2b,ua-1.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "a-2b,ua-1"
    )]
    pub pdf_standard: Vec<PdfStandardArg>,
}

/// Which pupils a `consent` subcommand is about.
#[derive(Debug, Clone, Args)]
pub struct ConsentSelect {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Only this school (repeat for more).
    #[arg(long = "school", value_name = "ID")]
    pub schools: Vec<String>,
    /// Only pupils in this class, as the roster names it (case, spaces
    /// and hyphens aside).
    #[arg(long, value_name = "NAME")]
    pub class: Option<String>,
}

/// `policyc consent status`.
#[derive(Debug, Clone, Args)]
pub struct ConsentStatusArgs {
    #[command(flatten)]
    pub select: ConsentSelect,
    /// List each pupil who may not be photographed or processed, and why.
    /// Names are personal data: keep them out of CI logs.
    #[arg(long)]
    pub names: bool,
    /// How to print the report: human, csv (for the MIS) or json.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ConsentFormat,
    /// With `--format csv`, a file for a spreadsheet, written with a UTF-8
    /// byte-order mark. With --names it must not be inside the public
    /// output folder.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Exit with status 1 while any pupil has no answer for a purpose.
    #[arg(long)]
    pub deny_unanswered: bool,
}

/// How `consent status` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConsentFormat {
    /// A table for people.
    Human,
    /// CSV for a spreadsheet or the MIS (formula cells neutralised).
    Csv,
    /// JSON for CI.
    Json,
}

/// `policyc signoff …`.
#[derive(Debug, Clone, Subcommand)]
pub enum SignoffCommand {
    /// Per school and audience: who signed the current version, who signed
    /// an older wording and must sign again, and who never signed.
    #[command(
        after_help = "Names are personal data: they are printed only with --names.\n\nExamples:\n  policyc signoff status\n  policyc signoff status --school wrenfold --audience staff --names\n  policyc signoff status --audience ks2 --class Year-4-Oak --format csv --names\n  policyc signoff status --format json --deny-outstanding"
    )]
    Status(SignoffStatusArgs),
    /// Print a register for each class or staff group: everyone's name,
    /// who has already signed, and boxes to tick, sign and date.
    #[command(
        after_help = "Registers hold names: they are written to private/ (never out/), which policyc init keeps out of git.\n\nExamples:\n  policyc signoff register --school wrenfold\n  policyc signoff register --school wrenfold --audience ks2 --class year-4-oak\n  policyc signoff register --out private/autumn-2026"
    )]
    Register(SignoffRegisterArgs),
    /// Print a personal copy for each person (their name in the signature
    /// fields), and a print file per class or staff group, duplex-safe.
    #[command(
        after_help = "Each copy is the whole document or a slip, as the school's sign_with says. Copies hold names: they are written to private/ (never out/).\n\nExamples:\n  policyc signoff print --school wrenfold\n  policyc signoff print --school wrenfold --audience ks2 --class year-4-oak\n  policyc signoff print --school wrenfold --audience ks1 --per-sheet 4\n  policyc signoff print --audience staff --outstanding --one-sided\n  policyc signoff print --out private/autumn-2026"
    )]
    Print(SignoffPrintArgs),
    /// Add the responses exported from an online form (Microsoft Forms,
    /// Google Forms…) to a school's ledger; --write saves them.
    #[command(
        after_help = "Each response needs the signer's name, the date and the document ID they confirmed; the document ID settles the audience (a column or --audience may also give it), so a mixed staff-and-volunteer export imports as it is. Without --write nothing is saved.\n\nExamples:\n  policyc signoff import responses.csv --school wrenfold\n  policyc signoff import responses.csv --school wrenfold --audience staff --date-order mdy --write\n  policyc signoff import export.csv --school oakhollow --name-column \"Parent name\" --child-column \"Child name\" --audience parent"
    )]
    Import(SignoffImportArgs),
}

/// `policyc signoff import`.
#[derive(Debug, Clone, Args)]
pub struct SignoffImportArgs {
    /// The exported responses, as CSV or an Excel workbook (.xlsx).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The school whose ledger they go into.
    #[arg(long, value_name = "ID")]
    pub school: String,
    /// The audience of every response, when the export has no audience column.
    #[arg(long, value_name = "ID")]
    pub audience: Option<String>,
    /// The column holding the signer's name [default: Name, Full name, …].
    #[arg(long, value_name = "HEADER")]
    pub name_column: Option<String>,
    /// The column holding the date [default: Completion time, Timestamp, …].
    #[arg(long, value_name = "HEADER")]
    pub date_column: Option<String>,
    /// The column holding the document ID [default: Document ID, …].
    #[arg(long, value_name = "HEADER")]
    pub document_column: Option<String>,
    /// The column holding the audience [default: Audience].
    #[arg(long, value_name = "HEADER")]
    pub audience_column: Option<String>,
    /// The column holding the class [default: Class, Form].
    #[arg(long, value_name = "HEADER")]
    pub class_column: Option<String>,
    /// The column holding the child's name, on a parents' form [default: Child].
    #[arg(long, value_name = "HEADER")]
    pub child_column: Option<String>,
    /// How the export writes dates: dmy (UK), mdy (US) or ymd. ISO dates
    /// are read whatever this says.
    #[arg(long, value_enum, default_value = "dmy")]
    pub date_order: DateOrderArg,
    /// Save the new signatures into people/<school>/signed.csv.
    #[arg(long)]
    pub write: bool,
}

/// `--date-order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    /// Day, month, year: 14/09/2026.
    Dmy,
    /// Month, day, year: 9/14/2026.
    Mdy,
    /// Year, month, day: 2026/09/14.
    Ymd,
}

impl From<DateOrderArg> for crate::model::dates::DateOrder {
    fn from(order: DateOrderArg) -> Self {
        match order {
            DateOrderArg::Dmy => Self::Dmy,
            DateOrderArg::Mdy => Self::Mdy,
            DateOrderArg::Ymd => Self::Ymd,
        }
    }
}

/// Which people a `signoff` subcommand is about.
#[derive(Debug, Clone, Args)]
pub struct SignoffSelect {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Only this school (repeat for more).
    #[arg(long = "school", value_name = "ID")]
    pub schools: Vec<String>,
    /// Only this audience (repeat for more).
    #[arg(long = "audience", value_name = "ID")]
    pub audiences: Vec<String>,
    /// Only people in this class or staff group, as the roster names it
    /// (case, spaces and hyphens aside: `year-4-oak` finds "Year 4 Oak").
    #[arg(long, value_name = "NAME")]
    pub class: Option<String>,
    /// Only people still to sign: those who never signed and those who
    /// signed an earlier wording that has changed. Print and register
    /// copies only for them.
    #[arg(long)]
    pub outstanding: bool,
}

/// `policyc merge`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// Each shard's output folder, from `build --shard K/N`: all N of them.
    #[arg(required = true, value_name = "SHARD_OUT")]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The output folder to assemble [default: <project>/out].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// How to report: a line per file written, or a JSON summary.
    #[arg(long, value_enum, default_value = "human")]
    pub format: MergeFormat,
    /// Print only problems and the summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How `merge` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// A line per file written, then a summary.
    Human,
    /// The build's JSON summary on stdout.
    Json,
}

/// Reads `--shard K/N`.
fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse()
}

/// `policyc publish`.
#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// The pack's label, such as `2026-autumn`: its folder in published/.
    /// A label already used is refused.
    pub label: String,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The output folder the pack was built into [default: <project>/out].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `policyc signoff status`.
#[derive(Debug, Clone, Args)]
pub struct SignoffStatusArgs {
    #[command(flatten)]
    pub select: SignoffSelect,
    /// List each person, not only the counts. Names are personal data:
    /// keep them out of CI logs.
    #[arg(long)]
    pub names: bool,
    /// How to print the report.
    #[arg(long, value_enum, default_value = "human")]
    pub format: SignoffFormat,
    /// Exit with status 1 while anyone has still to sign.
    #[arg(long)]
    pub deny_outstanding: bool,
    /// Where `--format html` writes its page [default:
    /// <project>/private/signoff-status.html]; with `--format csv`, a file
    /// for a spreadsheet, written with a UTF-8 byte-order mark so Excel
    /// shows every letter (without it, CSV goes to standard output, with
    /// no mark). With --names it must not be inside the public output
    /// folder.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `policyc signoff register`.
#[derive(Debug, Clone, Args)]
pub struct SignoffRegisterArgs {
    #[command(flatten)]
    pub select: SignoffSelect,
    /// The folder for outputs that hold names [default: <project>/private].
    /// It must not be inside the public output folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// PDF standards: none, a-2b, ua-1 or a-2b,ua-1.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "a-2b,ua-1"
    )]
    pub pdf_standard: Vec<PdfStandardArg>,
}

/// `policyc signoff print`.
#[derive(Debug, Clone, Args)]
pub struct SignoffPrintArgs {
    #[command(flatten)]
    pub base: SignoffRegisterArgs,
    /// Slips to an A4 sheet: 1, or 2 or 4 with cut lines (for audiences
    /// that sign a slip; whole documents stay one to a copy).
    #[arg(long, value_name = "N", default_value = "1", value_parser = ["1", "2", "4"])]
    pub per_sheet: String,
    /// Print files for a printer that prints on one side: no blank pages
    /// to keep each copy on the front of a sheet.
    #[arg(long)]
    pub one_sided: bool,
}

/// How `signoff status` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignoffFormat {
    /// A table for people.
    Human,
    /// CSV for a spreadsheet (formula cells neutralised).
    Csv,
    /// JSON for CI (the shape is in docs/FORMAT.md).
    Json,
    /// A web page, written to a file (see --out).
    Html,
}

/// `policyc man`.
#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print [default: the page for policyc itself].
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
    /// Write every page (policyc.1, policyc-build.1, …) into this folder instead.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

/// `policyc list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// What to list.
    #[arg(value_enum)]
    pub what: ListWhat,
    /// Only clauses for this audience.
    #[arg(long, value_name = "ID")]
    pub audience: Option<String>,
    /// Only clauses with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

/// What `list` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    /// The clause library.
    Clauses,
    /// The schools.
    Schools,
    /// The audiences.
    Audiences,
    /// The opt-in modules a school can switch on.
    Modules,
}

/// `policyc explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The school.
    #[arg(long, value_name = "ID", required_unless_present = "trust")]
    pub school: Option<String>,
    /// The audience whose document to explain.
    #[arg(
        long,
        value_name = "ID",
        required_unless_present_any = ["diff_trust", "trust"]
    )]
    pub audience: Option<String>,
    /// The policy [default: the first that has the audience].
    #[arg(long, value_name = "ID")]
    pub policy: Option<String>,
    /// List every way the school departs from the defaults it extends.
    #[arg(long, conflicts_with = "audience")]
    pub diff_trust: bool,
    /// Audit every school: its policy departures from the trust defaults,
    /// apart from routine facts such as its name, address and contacts.
    #[arg(long, conflicts_with_all = ["school", "audience", "policy", "diff_trust"])]
    pub trust: bool,
    /// How to print the trust audit (--trust only).
    #[arg(long, value_enum, default_value = "human", requires = "trust")]
    pub format: ReportFormat,
}

/// `policyc changes`.
#[derive(Debug, Clone, Args)]
pub struct ChangesArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The baseline: a manifest.json, or an output folder holding one.
    #[arg(long, value_name = "PATH")]
    pub baseline: PathBuf,
    /// How to print the report: text, or one JSON object with `documents`,
    /// `clauses` and `schools`.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Exit with status 4 when any document changed (1 stays for errors),
    /// as `git diff --exit-code` exits 1 for a difference.
    #[arg(long)]
    pub exit_code: bool,
    /// Also write out/<school>/changes.html and link it from the pack index.
    #[arg(long)]
    pub write: bool,
    /// The output folder for --write [default: <project>/out].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `policyc init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The new project's folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Add a trust defaults file that the school extends.
    #[arg(long)]
    pub trust: bool,
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
    /// Build only the Kth of N shards of the schools (a school's shard
    /// comes from its id alone), for `policyc merge` to assemble: one CI
    /// job per shard.
    #[arg(long, value_name = "K/N", conflicts_with = "schools", value_parser = parse_shard)]
    pub shard: Option<Shard>,
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
    /// Render on at most N threads, 1 to 256 [default: all cores].
    #[arg(long, short, value_name = "N", value_parser = parse_jobs)]
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
    pub format: CheckFormat,
    /// Fail on warnings too, except an overdue review date, so CI does not
    /// start failing on its own the day a review falls due.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Fail when a policy's review date has passed (for a scheduled job).
    #[arg(long)]
    pub deny_overdue: bool,
    /// Show the cells of a roster or ledger problem (personal data: for
    /// the DPO's own terminal, never a CI log). Without it, such a problem
    /// names only its file, line and kind.
    #[arg(long)]
    pub names: bool,
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

/// How `check`, `changes` and `explain --trust` print their reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Text for people.
    Human,
    /// JSON for CI (each command's shape is in docs/FORMAT.md).
    Json,
}

/// How `check` prints its problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Text for people.
    Human,
    /// JSON for CI (the shape is in docs/FORMAT.md).
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…::…`), so each
    /// problem shows on the pull request's changed line.
    Github,
}

/// `--jobs`: a whole number from 1 to 256. More threads than that only add
/// memory (each has a 64 MB stack) and can exhaust the system's threads.
fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=256).contains(&n) => Ok(n),
        _ => Err(format!("`{text}` is not a number of threads from 1 to 256")),
    }
}
