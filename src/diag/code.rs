//! Diagnostic codes: every kind of problem policyc reports, its stable
//! kebab-case name, how severe it usually is and what it means.
//!
//! The [`Code`] enum is the one list: a diagnostic cannot be made with a
//! code that is not on it, and docs/FORMAT.md's table of codes is generated
//! from it ([`Code::markdown_table`]), so the two cannot drift. Each
//! variant's doc comment is the table's "what it means".

use serde::{Serialize, Serializer};

/// Declares [`Code`] from one line per code: its doc comment (the
/// meaning), the variant, its kebab-case name and the severity column.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, $severity:literal; )+) => {
        /// A kind of problem, named by a stable kebab-case code (shown as
        /// `error[unknown-key]` and as `code` in JSON).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            /// Every code, in alphabetical order of its name.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )+ ];

            /// The stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )+ }
            }

            /// The variant's name as written in Rust (`UnknownKey`).
            pub fn variant_name(self) -> &'static str {
                match self { $( Code::$variant => stringify!($variant), )+ }
            }

            /// The severity column of the table: `error`, `warning`, or
            /// which is which when a command decides.
            pub fn severity_column(self) -> &'static str {
                match self { $( Code::$variant => $severity, )+ }
            }

            /// What the code means, one line of Markdown.
            pub fn meaning(self) -> String {
                let lines: &[&str] = match self { $( Code::$variant => &[$($doc),+], )+ };
                lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
            }
        }
    };
}

impl Code {
    /// The code named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// FORMAT.md's table of codes: a header and one row per code.
    pub fn markdown_table() -> String {
        let mut table = String::from("| code | severity | what it means |\n| --- | --- | --- |\n");
        for code in Code::ALL {
            table.push_str(&format!(
                "| `{}` | {} | {} |\n",
                code.as_str(),
                code.severity_column(),
                code.meaning()
            ));
        }
        table
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// Codes order by name, so sorted diagnostics read alphabetically.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A code serializes as its name, as `check --format json` has always
/// given it.
impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

codes! {
    /// a block in `blocks` has no kind, or more than one (`- contents: {}` is one block), or
    /// `skip` on a block other than `contents`
    BadBlock = "bad-block", "error";
    /// a `blocks` edit gives none, or more than one, of `before`, `after`, `replace` and
    /// `remove`, or no `block` to place
    BadBlockEdit = "bad-block-edit", "error";
    /// a booklet names a policy the school does not build, an audience it does not build that
    /// policy for (or one twice), no audience at all, or a preamble block other than `prose`
    /// and `contents`
    BadBooklet = "bad-booklet", "error";
    /// a date is not `YYYY-MM-DD` or not a day in the calendar
    BadDate = "bad-date", "error";
    /// an environment variable policyc reads (`SOURCE_DATE_EPOCH`, `POLICYC_TODAY`) has a value
    /// it cannot use
    BadEnv = "bad-env", "error";
    /// an id (clause, section, audience or file name) is not lower-case letters, digits and
    /// hyphens starting with a letter
    BadId = "bad-id", "error";
    /// a link has no address, or an address over 2,000 characters
    BadLink = "bad-link", "error";
    /// a `list_numbering` pattern is not one of 1. a. A. i. I. a) i) (a) (i) (1)
    BadListNumbering = "bad-list-numbering", "error";
    /// a value is not one of those allowed here (for example a numbering style)
    BadValue = "bad-value", "error";
    /// `full_text_url`, `privacy_notice_url` or `online_form.url` is not a web address
    /// (`https://` and a host, no spaces)
    BadWebAddress = "bad-web-address", "error";
    /// `changes --baseline` names no manifest, or a file that is not a policyc manifest
    BaselineUnreadable = "baseline-unreadable", "error";
    /// a clause, school, policy or layout file holds a bidirectional control character
    /// (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which can make published text
    /// read in another order than it is written
    BidiControl = "bidi-control", "error";
    /// a value a reader will see (a name, an email, a title) is empty or only spaces
    BlankValue = "blank-value", "error";
    /// two pupils on the roster have the name on a consent ledger line: add their class
    ConsentAmbiguousChild = "consent-ambiguous-child", "error";
    /// a consent ledger line has a decision policyc does not know, or `notified` for a pupil or
    /// an image purpose
    ConsentDecision = "consent-decision", "error";
    /// a consent form (`kind: consent`) lists no purpose, a purpose `policyc.yaml` does not
    /// define, or one twice; or a policy that is not a consent form lists `purposes`
    ConsentFormPurposes = "consent-form-purposes", "error";
    /// there is a consent ledger, but `policyc.yaml` lists no consent purposes
    ConsentNoPurposes = "consent-no-purposes", "error";
    /// a school has consent forms but no roster, so `consent print` cannot personalise them
    ConsentNoRoster = "consent-no-roster", "warning";
    /// the person who decided on a consent ledger line is neither that pupil's parent on the
    /// roster nor `pupil`
    ConsentNotAParent = "consent-not-a-parent", "error";
    /// a consent ledger line names a pupil who is not on the roster
    ConsentUnknownChild = "consent-unknown-child", "error";
    /// a consent ledger line names a purpose `policyc.yaml` does not list
    ConsentUnknownPurpose = "consent-unknown-purpose", "error";
    /// a consent ledger line withdraws a consent the same person had not given before it
    ConsentWithdrawnFirst = "consent-withdrawn-first", "error";
    /// a file holds an invisible control character (such as NUL or BEL) that cannot be printed
    ControlCharacter = "control-character", "error";
    /// a required cell of a roster or ledger line is blank
    CsvBlankCell = "csv-blank-cell", "error";
    /// a roster or ledger header lacks a required column
    CsvColumnMissing = "csv-column-missing", "error";
    /// a roster or ledger header names a column twice
    CsvColumnTwice = "csv-column-twice", "error";
    /// a roster or ledger header names a column policyc does not know
    CsvColumnUnknown = "csv-column-unknown", "error";
    /// a roster or ledger file is empty
    CsvEmpty = "csv-empty", "error";
    /// a roster or ledger line is not valid CSV (usually an unclosed quote)
    CsvSyntax = "csv-syntax", "error";
    /// a `blocks` edit places a block whose id the document already has
    DuplicateBlock = "duplicate-block", "error";
    /// a policy's `requires:` lists the same element twice
    DuplicateElement = "duplicate-element", "error";
    /// a list (`audiences`, `exclude`, `locked`, `policies`, `refs`…) names the same entry
    /// twice
    DuplicateEntry = "duplicate-entry", "error";
    /// two clauses share an id, or a local clause reuses a library id
    DuplicateId = "duplicate-id", "error";
    /// a key is given twice in one map
    DuplicateKey = "duplicate-key", "error";
    /// a school's or trust's own policy has the id (file name) of another policy it can build
    DuplicatePolicy = "duplicate-policy", "error";
    /// a policy defines the same section twice
    DuplicateSection = "duplicate-section", "error";
    /// a clause's `editorial` mark has no reason or fixes, a fix that changes nothing, or a
    /// `now` text the clause lacks
    EditorialMismatch = "editorial-mismatch", "warning";
    /// `changes`: a clause's `editorial` mark does not match its change since the baseline: the
    /// clause reads as it did (the mark is left from an edit already published), or it changed
    /// by more than the marked edits; the mark is ignored
    EditorialStale = "editorial-stale", "warning";
    /// a clause file has no text after its front matter
    EmptyClause = "empty-clause", "error";
    /// a school × policy × audience would have no clauses
    EmptyDocument = "empty-document", "error";
    /// a section heading is empty (for every audience, or for one)
    EmptyHeading = "empty-heading", "error";
    /// a school file gives an email or web address at a reserved example domain, where nobody
    /// can be reached (not in a `fictional: true` project)
    ExampleAddress = "example-address", "warning";
    /// `extends` chains go round in a circle
    ExtendsCycle = "extends-cycle", "error";
    /// `extends` names a file that does not exist
    ExtendsMissing = "extends-missing", "error";
    /// one document states a fact (`states:` in clause front matter) through two different
    /// placeholders
    FactConflict = "fact-conflict", "warning";
    /// a clause that states a fact does so, as the school has it, without the fact's
    /// placeholder (a `replace` that writes a retention period or a contact by hand)
    FactRestated = "fact-restated", "warning";
    /// a file in `fonts/` is not a TrueType or OpenType font
    FontUnreadable = "font-unreadable", "error";
    /// a clause file does not open with `---` front matter, or never closes it
    FrontMatter = "front-matter", "error";
    /// an HTML layout cannot be parsed or fails while rendering
    HtmlTemplate = "html-template", "error";
    /// a clause's id differs from its file name
    IdFileMismatch = "id-file-mismatch", "error";
    /// a file in a clause folder does not end in `.md`, or a file in `people/<school>/` is not
    /// a roster, ledger, consent ledger or `columns.yaml`, so it is not read
    IgnoredFile = "ignored-file", "warning";
    /// a form response leaves the name, date, document ID or audience blank
    ImportBlankCell = "import-blank-cell", "error";
    /// a form export has no column for the name, date, document ID or audience
    ImportColumnMissing = "import-column-missing", "error";
    /// a form response's date cannot be read in the `--date-order` given
    ImportDate = "import-date", "error";
    /// a form export cannot be read as UTF-8 CSV or as an Excel workbook (.xlsx)
    ImportUnreadable = "import-unreadable", "error";
    /// a folder stands where a file is expected
    IsDirectory = "is-directory", "error";
    /// a ledger line's name fits two people on the roster: add its `class` or `child`
    LedgerAmbiguousPerson = "ledger-ambiguous-person", "error";
    /// a ledger's `signed_on` is not a date: not `YYYY-MM-DD`, not a day in the calendar in the
    /// project's `date_order`, or a two-digit year
    LedgerDate = "ledger-date", "error";
    /// a school has both `signed.csv` and `signed.xlsx`: keep one ledger
    LedgerTwice = "ledger-twice", "error";
    /// a ledger line names a document ID that is neither current nor in `published/`: the line
    /// counts for nobody, and everyone else is still counted; an import refuses it, so nothing
    /// unknown is saved
    LedgerUnknownDocument = "ledger-unknown-document", "warning (error in `signoff import`)";
    /// a ledger line names nobody on the school's roster
    LedgerUnknownPerson = "ledger-unknown-person", "error";
    /// `people/<school>/signed.csv` has no `roster.csv` beside it
    LedgerWithoutRoster = "ledger-without-roster", "error";
    /// `signoff import` would add to a ledger kept as a workbook (`signed.xlsx`), which policyc
    /// writes only as CSV
    LedgerWorkbook = "ledger-workbook", "error";
    /// a ledger line's document ID belongs to another audience
    LedgerWrongDocument = "ledger-wrong-document", "error";
    /// `{{ processors }}` or `{{ transfers }}` shares its paragraph with other text; it prints
    /// a list and must stand alone
    ListNotAlone = "list-not-alone", "error";
    /// a school excludes or replaces a clause its trust has locked
    LockedClause = "locked-clause", "error";
    /// the logo cannot be decoded: a damaged or incomplete SVG, PNG or JPEG
    LogoDamaged = "logo-damaged", "error";
    /// the logo is not SVG, PNG or JPEG
    LogoFormat = "logo-format", "error";
    /// the logo file cannot be read
    LogoUnreadable = "logo-unreadable", "error";
    /// a word over 70 characters will run off the printed line
    LongWord = "long-word", "warning";
    /// `masthead: trust` in a school with no `trust:` to name
    MastheadWithoutTrust = "masthead-without-trust", "error";
    /// a resolved document lacks an element its policy `requires:` (a school excluded the
    /// clause that gave it, or none gives it for that audience)
    MissingElement = "missing-element", "error";
    /// a required key is absent
    MissingKey = "missing-key", "error";
    /// a module clause speaks to an audience its module is not for
    ModuleAudience = "module-audience", "error";
    /// an audience's `members` name an audience that combines audiences itself
    NestedAudience = "nested-audience", "error";
    /// a clause or school lists no audience
    NoAudiences = "no-audiences", "error";
    /// the project has no `policies/*.yaml`
    NoPolicies = "no-policies", "error";
    /// `--project` names a folder that does not exist
    NoProject = "no-project", "error";
    /// the project has no school file
    NoSchools = "no-schools", "error";
    /// a pipe, socket or device stands where a file is expected
    NotAFile = "not-a-file", "error";
    /// a file is not UTF-8 text
    NotUtf8 = "not-utf8", "error";
    /// a notice (`kind: notice`) has an `agreement:` statement or an `agreement` block; notices
    /// are never signed
    NoticeAgreement = "notice-agreement", "error";
    /// a folder `schools/<id>/` has no `schools/<id>.yaml` beside it (often a school file
    /// renamed without its folder), so its clauses, logo and policies are not read
    OrphanedSchoolFolder = "orphaned-school-folder", "warning";
    /// `--out` is the project folder itself, or lands (however it is spelt, and through any
    /// link) inside `clauses/`, `schools/`, `policies/`, `templates/`, `fonts/`, `people/` or
    /// `private/`
    OutInsideInputs = "out-inside-inputs", "error";
    /// a path (`extends`, `logo`) leaves the project, or a file or folder policyc would read is
    /// a link: policyc never follows links
    PathOutside = "path-outside", "error";
    /// the typst layout fails to compile
    PdfTemplate = "pdf-template", "error";
    /// the typst layout did not finish a document in time
    PdfTemplateTimeout = "pdf-template-timeout", "error";
    /// a folder in `people/` is named after no school
    PeopleUnknownSchool = "people-unknown-school", "error";
    /// `signoff print --per-sheet 2` or `4` selected an audience that signs the whole document,
    /// so its copies are printed whole
    PerSheetDocument = "per-sheet-document", "warning";
    /// a placeholder uses a statement, operator or filter that placeholder text may not use
    /// (see Placeholders)
    PlaceholderNotAllowed = "placeholder-not-allowed", "error";
    /// an agreement policy has no `agreement:` statement to print above the signature block
    PolicyNoAgreement = "policy-no-agreement", "error";
    /// a rule on a KS1 poster has no `keyword`, so a bullet stands where its big letter goes
    PosterNoKeyword = "poster-no-keyword", "warning";
    /// `signoff register`, `signoff print` or `signoff status --format html --names` would
    /// write inside `out/`, which is published; these hold names
    PrivateOutPublic = "private-out-public", "error";
    /// `policyc publish` was given a label that `published/` already holds: a published pack is
    /// never replaced
    PublishExists = "publish-exists", "error";
    /// a `policyc publish` label is not lower-case letters, digits and hyphens
    PublishLabel = "publish-label", "error";
    /// `policyc publish` found `out/` different from the project (a document changed, missing
    /// or no longer there): build, then publish
    PublishStale = "publish-stale", "error";
    /// `policyc publish` found no `out/manifest.json` to record
    PublishUnbuilt = "publish-unbuilt", "error";
    /// a `published/…/manifest.json` cannot be read as a manifest
    PublishedUnreadable = "published-unreadable", "error";
    /// pupil pledges read above their audience's reading level
    ReadingLevel = "reading-level", "warning";
    /// rendering one document stopped with an internal error (a bug): that document is reported
    /// and nothing is recorded for it, the others render as usual
    RenderPanicked = "render-panicked", "error";
    /// a per-audience `replace` gives text for an audience the clause does not speak to
    ReplaceAudienceIgnored = "replace-audience-ignored", "warning";
    /// `review_by` is not after the approval date
    ReviewBeforeApproval = "review-before-approval", "error";
    /// the review date has passed
    ReviewOverdue = "review-overdue", "warning";
    /// a school builds a role addendum (`signed_by: role`) but names no roster roles for it
    /// under `roles:`
    RoleSignersMissing = "role-signers-missing", "error";
    /// `roles:` names a policy that is not a role addendum the school builds
    RoleSignersUnused = "role-signers-unused", "warning";
    /// a roster lists the same person twice, in one file or in two
    RosterDuplicatePerson = "roster-duplicate-person", "error";
    /// `columns.yaml` names a column policyc does not have, a file that is not a roster, or
    /// both `audience` and an audience column
    RosterLayout = "roster-layout", "error";
    /// `columns.yaml` describes a roster file that is not in the folder
    RosterLayoutUnused = "roster-layout-unused", "warning";
    /// a roster line's audience has no document at that school
    RosterUnknownAudience = "roster-unknown-audience", "error";
    /// a roster workbook (`.xlsx`) cannot be read
    RosterUnreadable = "roster-unreadable", "error";
    /// a section has clauses for an audience but the blocks place neither it nor `sections`
    SectionNotPlaced = "section-not-placed", "error";
    /// `merge`: the shards do not make one build: a shard missing or given twice, shards of
    /// different N, built from another state of the project or with other options, or a school
    /// in two
    ShardMismatch = "shard-mismatch", "error";
    /// `merge`: a folder given is not the output of `build --shard K/N` (no readable
    /// `.policyc-shard.json` or manifest)
    ShardUnreadable = "shard-unreadable", "error";
    /// the rosters or ledgers have problems, so the pack indexes show no sign-off counts
    /// (`policyc signoff status` lists them)
    SignoffLeftOut = "signoff-left-out", "warning";
    /// an audience signs a slip (`sign_with`) but `full_text_url` gives it no address
    SlipWithoutAddress = "slip-without-address", "error";
    /// a school builds a notice, and a system holding its readers' information lacks `purpose`,
    /// `data`, `hosted` or `kept`
    SystemFactsMissing = "system-facts-missing", "error";
    /// a placeholder fails for another reason
    TemplateError = "template-error", "error";
    /// a placeholder or condition is malformed
    TemplateSyntax = "template-syntax", "error";
    /// the placeholders in a text take too long to fill
    TemplateTooSlow = "template-too-slow", "error";
    /// a text is longer than 64 KB once its placeholders are filled
    TextTooLong = "text-too-long", "error";
    /// a school file still holds a `TODO` value
    Todo = "todo", "warning";
    /// a file is larger than policyc reads (256 KB for text, 16 MB for a logo)
    TooLarge = "too-large", "error";
    /// `trust.documents` has no `id`, an id that cannot be a folder name, or the id of a school
    /// or of another trust's documents
    TrustDocumentsId = "trust-documents-id", "error";
    /// `trust.documents` sets `extends` or `trust`, or a school's own file sets `id` or
    /// `trust.documents`
    TrustDocumentsKey = "trust-documents-key", "error";
    /// a placeholder names a value the school does not have
    UndefinedPlaceholder = "undefined-placeholder", "error";
    /// a name is not a known audience
    UnknownAudience = "unknown-audience", "error";
    /// a `blocks` edit names a block the document does not have (the hint lists them)
    UnknownBlock = "unknown-block", "error";
    /// `--class` names a class no roster has
    UnknownClass = "unknown-class", "error";
    /// `exclude`, `replace` or `locked` names no library clause
    UnknownClause = "unknown-clause", "error";
    /// a clause `provides` an element no policy requires (usually a typo)
    UnknownElement = "unknown-element", "warning";
    /// a key is not one the file allows (often a typo)
    UnknownKey = "unknown-key", "error";
    /// `labels` names a label policyc does not print
    UnknownLabel = "unknown-label", "error";
    /// the `subtitle` or `facts` label uses a `{token}` policyc does not fill in
    UnknownLabelToken = "unknown-label-token", "error";
    /// a school or clause names a module `modules.yaml` does not define
    UnknownModule = "unknown-module", "error";
    /// `policies` names no policy
    UnknownPolicy = "unknown-policy", "error";
    /// a clause cites an unknown reference
    UnknownRef = "unknown-ref", "error";
    /// `--school` names no school
    UnknownSchool = "unknown-school", "error";
    /// a clause names a section no policy has
    UnknownSection = "unknown-section", "error";
    /// a character (an emoji, a script) that neither the built-in fonts nor any in `fonts/` can
    /// print
    UnprintableCharacter = "unprintable-character", "error";
    /// a file cannot be read (permissions, a broken link)
    Unreadable = "unreadable", "error";
    /// a document's wording has changed since a published pack (beyond edits marked editorial)
    /// but its `version` label has not: give the new wording a new version, so a signed copy
    /// shows which it is
    VersionUnchanged = "version-unchanged", "warning";
    /// a word over 1,000 characters, which cannot be laid out at all
    WordTooLong = "word-too-long", "error";
    /// `wording` gives text for an audience the clause does not list
    WordingAudience = "wording-audience", "error";
    /// an output could not be staged under `out/` (a full disk, a folder without write
    /// permission): the build stops with that one message and exit status 3, and the
    /// previous outputs stay as they were
    WriteFailed = "write-failed", "error";
    /// a value has the wrong shape (text for a list, say)
    WrongType = "wrong-type", "error";
    /// the YAML cannot be parsed
    YamlSyntax = "yaml-syntax", "error";
    /// a YAML file nests more than 64 levels deep (refused before parsing, which would take
    /// minutes)
    YamlTooDeep = "yaml-too-deep", "error";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_once_in_alphabetical_order() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn a_name_is_kebab_case_and_its_variant_is_the_same_words() {
        for code in Code::ALL {
            let name = code.as_str();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name}"
            );
            let camel: String = name
                .split('-')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            assert_eq!(code.variant_name(), camel);
            assert_eq!(Code::from_name(name), Some(*code));
        }
    }

    #[test]
    fn the_table_has_a_row_per_code_with_its_meaning_on_one_line() {
        let table = Code::markdown_table();
        assert_eq!(table.lines().count(), Code::ALL.len() + 2);
        assert!(table.contains("| `unknown-key` | error | "));
        assert!(!Code::YamlSyntax.meaning().contains("  "));
    }
}
