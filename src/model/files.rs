//! The project's input data as typed values: audiences, policies, clauses and
//! school files, exactly as written on disk (before inheritance or resolving).
//!
//! Every struct denies unknown fields, so a typo is an error, not a silent
//! default.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::model::blocks::{BlockDef, BlockEdit, SectionDef};
pub use crate::model::numbering::NumberingStyle;
pub use crate::model::per_audience::PerAudience;
pub use crate::model::signature::{DatePrecision, SignatureExtras, SignatureField};

/// How the audience reads: drives typography and the reading-level check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Reading {
    /// Adults: standard type.
    #[default]
    Adult,
    /// Pupils aged 7 to 11.
    Ks2,
    /// Pupils aged 5 to 7: large type, short lines.
    Ks1,
    /// Pupils aged 11 to 16 (KS3 and KS4), with a sixth form if any.
    Secondary,
}

/// An audience: a group that signs its own version of a policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// Short id, e.g. `staff`.
    pub id: String,
    /// Human label, e.g. "Staff".
    pub label: String,
    /// How a sentence names the audience, e.g. "staff" or "Key Stage 2
    /// pupils"; defaults to the label in lower case.
    #[serde(default)]
    pub noun: Option<String>,
    /// Reading style.
    #[serde(default)]
    pub reading: Reading,
    /// The signature fields, in order.
    pub signature: Vec<SignatureField>,
    /// For one document read by several audiences: the audiences it
    /// combines. Each reader gets the clauses meant for them, and a clause
    /// meant for only some of them says so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// The audiences every project has unless it redefines them.
pub fn builtin_audiences() -> Vec<Audience> {
    use SignatureField::*;
    let a = |id: &str, label: &str, reading, signature: &[SignatureField]| Audience {
        id: id.into(),
        label: label.into(),
        noun: label.starts_with("Key Stage").then(|| label.to_string()),
        reading,
        signature: signature.to_vec(),
        members: Vec::new(),
    };
    vec![
        a(
            "staff",
            "Staff",
            Reading::Adult,
            &[Name, Signature, Date, Role],
        ),
        a(
            "governor",
            "Governors",
            Reading::Adult,
            &[Name, Signature, Date, Position],
        ),
        a(
            "volunteer",
            "Volunteers",
            Reading::Adult,
            &[Name, Signature, Date],
        ),
        a(
            "ks2",
            "Key Stage 2 pupils",
            Reading::Ks2,
            &[Name, Class, Signature, Date],
        ),
        a("ks1", "Key Stage 1 pupils", Reading::Ks1, &[Name, Date]),
        a(
            "secondary",
            "Secondary pupils",
            Reading::Secondary,
            &[Name, Class, Signature, Date],
        ),
        a(
            "parent",
            "Parents and carers",
            Reading::Adult,
            &[Name, Child, Signature, Date],
        ),
        a(
            "visitor",
            "Visitors",
            Reading::Adult,
            &[Name, Organisation, Signature, Date],
        ),
        // Applicants read a privacy notice and sign nothing; the fields
        // serve a project that gives them a signed policy too.
        a("applicant", "Job applicants", Reading::Adult, &[Name, Date]),
    ]
}

impl Audience {
    /// How a sentence names the audience.
    pub fn noun(&self) -> String {
        self.noun
            .clone()
            .unwrap_or_else(|| self.label.to_lowercase())
    }
}

/// How people write a date such as 4 March 2026: `dmy` 04/03/2026 (UK,
/// the default), `mdy` 3/4/2026 (US), `ymd` 2026/03/04. An ISO date
/// (2026-03-04) is read as such whatever the order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Day, month, year.
    #[default]
    Dmy,
    /// Month, day, year.
    Mdy,
    /// Year, month, day.
    Ymd,
}

/// `policyc.yaml`: project-wide settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// Extra audiences, or redefinitions of built-in ones.
    #[serde(default)]
    pub audiences: Vec<Audience>,
    /// How the school writes dates in its ledgers (`dmy`, the default in
    /// the UK, `mdy` or `ymd`): a ledger Excel has saved again reads.
    #[serde(default)]
    pub date_order: DateOrder,
    /// The purposes schools ask consent for: images, biometrics.
    #[serde(default)]
    pub consent: crate::model::consent::ConsentSettings,
    /// The project is a demonstration whose schools and addresses are
    /// invented: reserved example domains (`.example`) are meant, so
    /// `check` does not warn about them.
    #[serde(default)]
    pub fictional: bool,
    /// Where the trust's oversight pages go: the sign-off counts and how
    /// each school departs from the trust defaults.
    #[serde(default)]
    pub oversight: Oversight,
}

/// Where the trust's oversight pages go: the sign-off counts and how each
/// school departs from the trust defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Oversight {
    /// In `private/oversight/`, an index of their own apart from the
    /// public pages (the default: see docs/FORMAT.md).
    #[default]
    Internal,
    /// In the public pages of `out/`, beside the documents.
    Public,
}

/// `policies/<id>.yaml`: a policy's titles, texts and sections.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// What kind of document it is: an agreement people sign (the
    /// default) or a notice that is published and never signed.
    #[serde(default)]
    pub kind: PolicyKind,
    /// Title, per audience.
    pub title: PerAudience<String>,
    /// Introduction (Markdown with placeholders), per audience.
    #[serde(default)]
    pub intro: Option<PerAudience<String>>,
    /// Statement above the signature block, per audience. An agreement
    /// and a consent form need one; a notice has none.
    #[serde(default)]
    pub agreement: Option<PerAudience<String>>,
    /// A consent form's purposes (ids from `policyc.yaml`'s `consent:`),
    /// each printed as a yes-or-no choice above the signature.
    #[serde(default)]
    pub purposes: Vec<String>,
    /// The elements every resolved document of this policy must contain,
    /// each given by a clause that `provides` it (`check` proves it).
    #[serde(default)]
    pub requires: Vec<RequiredElement>,
    /// Sections in reading order.
    #[serde(default)]
    pub sections: Vec<SectionDef>,
    /// The audiences the policy is written for; default every audience a
    /// school has.
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
    /// The document's blocks in reading order; default: introduction,
    /// values, the sections, linked policies, agreement.
    #[serde(default)]
    pub blocks: Option<Vec<BlockDef>>,
    /// Who signs it: everyone in its audience (the default), or, for a
    /// role addendum, only the people whose roster `role` the school lists
    /// for it under `roles:`.
    #[serde(default)]
    pub signed_by: SignedBy,
}

/// Who signs a policy's documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignedBy {
    /// Everyone in the document's audience.
    #[default]
    Audience,
    /// Only the people who hold a role the school names for the policy
    /// (`roles: { <policy>: [<roster role>, ...] }`): a role addendum.
    Role,
}

/// What kind of document a policy makes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    /// An agreement every reader signs: it ends with the agreement
    /// statement and the signature block, and sign-off tracks it.
    #[default]
    Agreement,
    /// A notice that is published and read, never signed: no agreement
    /// block, no sign-off, and a changed notice asks nobody to sign again.
    Notice,
    /// A consent form: a yes or a no for each of its `purposes`, signed by
    /// a parent (or a pupil), and recorded in the consent ledger rather
    /// than in sign-off.
    Consent,
}

impl PolicyKind {
    /// Whether documents of this kind end with a signature block.
    pub fn is_signed(self) -> bool {
        self != PolicyKind::Notice
    }
}

/// An element a policy's documents must contain, such as a privacy
/// notice's retention period.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredElement {
    /// The id clauses name under `provides:`.
    pub id: String,
    /// What the element is, as a reader would say it: "how long the
    /// information is kept".
    pub label: String,
    /// Only these audiences' documents need it (default: every audience).
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
}

/// A loaded policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Id, from the file name.
    pub id: String,
    /// The project-relative path of its file.
    pub file: String,
    /// The file's contents.
    pub def: PolicyFile,
}

impl Policy {
    /// Whether the policy is written for `audience`: it lists no
    /// audiences, lists this one, or lists a member of a combined one.
    pub fn written_for(&self, audience: &Audience) -> bool {
        self.def.audiences.as_ref().is_none_or(|list| {
            list.contains(&audience.id) || audience.members.iter().any(|m| list.contains(m))
        })
    }
}

/// A clause's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseMeta {
    /// Unique id.
    pub id: String,
    /// Short title.
    #[serde(default)]
    pub title: Option<String>,
    /// The section it belongs to.
    pub section: String,
    /// Sort key within the section.
    pub order: i64,
    /// The audiences it speaks to.
    pub audiences: Vec<String>,
    /// Law and guidance it rests on.
    #[serde(default)]
    pub refs: Vec<String>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Per-audience replacements of the body.
    #[serde(default)]
    pub wording: BTreeMap<String, String>,
    /// One word for the KS1 poster layout.
    #[serde(default)]
    pub keyword: Option<String>,
    /// The opt-in module the clause belongs to: it is included only in the
    /// documents of schools that switch the module on.
    #[serde(default)]
    pub module: Option<String>,
    /// A claim that the clause's wording differs from the published one only
    /// editorially, so nobody need sign again (see `changes`).
    #[serde(default)]
    pub editorial: Option<crate::model::editorial::EditorialMark>,
    /// The elements of a policy's `requires:` list this clause's text
    /// gives, such as `retention` in a privacy notice.
    #[serde(default)]
    pub provides: Vec<String>,
    /// The facts this clause states, each through the placeholder that
    /// holds it (`signed-copy-retention: retention`, `breach-contact:
    /// contacts.dpo`): `check` warns when a rewording states one without
    /// its placeholder, or when one document states a fact through two.
    #[serde(default)]
    pub states: BTreeMap<String, String>,
}

/// Where a clause's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The shared clause library.
    Library,
    /// A school's own `clauses/` folder.
    Local,
    /// A library clause reworded by a school or trust file's `replace:`.
    Replaced,
}

impl Origin {
    /// The origin as the manifest and reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Library => "library",
            Origin::Local => "local",
            Origin::Replaced => "replaced",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A loaded clause.
#[derive(Debug, Clone)]
pub struct Clause {
    /// Front matter.
    pub meta: ClauseMeta,
    /// Markdown body (a minijinja template).
    pub body: String,
    /// Project-relative file path.
    pub file: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// Library or school-local.
    pub origin: Origin,
}

/// A person the documents name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Full name.
    pub name: String,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Job title, e.g. "Data Protection Officer".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The trust a school belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trust {
    /// The trust's name.
    pub name: String,
    /// The trust's own documents, in a defaults file only: an `id` (the
    /// folder under `out/` they are built in) and what differs from the
    /// defaults for them, in a school file's keys. Schools that extend the
    /// file do not inherit it.
    #[serde(default, skip_serializing)]
    pub documents: Option<Box<SchoolFile>>,
}

/// What a document's header names above the line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Masthead {
    /// The school's name, with its trust's under it.
    #[default]
    School,
    /// The trust's name alone: a document issued in the trust's name.
    Trust,
    /// No name: a model any school may adopt; the logo alone, if any.
    None,
}

impl Masthead {
    /// Whether this is the default, which a document's ID leaves out.
    pub fn is_school(&self) -> bool {
        *self == Masthead::School
    }
}

/// A school's logo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logo {
    /// Path relative to `schools/`.
    pub path: String,
    /// Alternative text; defaults to "<school name> logo".
    #[serde(default)]
    pub alt: Option<String>,
}

/// Who approved the policy, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The approving body, e.g. "Full governing body".
    pub by: String,
    /// The date, `YYYY-MM-DD`.
    pub date: String,
}

/// The page layout of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Headed sections and numbered clauses.
    #[default]
    Standard,
    /// A poster of big keywords, for KS1.
    Poster,
    /// A compact table of rules, a big letter and the rule in each row.
    Table,
}

/// A school file or a shared defaults file, as written: every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolFile {
    /// A defaults file, relative to this one.
    #[serde(default, skip_serializing)]
    pub extends: Option<String>,
    /// Only under a defaults file's `trust.documents`: the id of the
    /// trust's own pack (a school's id is its file's name).
    #[serde(default, skip_serializing)]
    pub id: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// Short name.
    pub short_name: Option<String>,
    /// The trust.
    pub trust: Option<Trust>,
    /// Postal address.
    pub address: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Motto.
    pub motto: Option<String>,
    /// Values or mission statement (Markdown), per audience.
    pub values: Option<PerAudience<String>>,
    /// Logo.
    pub logo: Option<Logo>,
    /// People named in documents, by role.
    pub contacts: Option<BTreeMap<String, Contact>>,
    /// Systems in use, by kind: a name, or a map with the facts a privacy
    /// notice lists.
    pub systems: Option<BTreeMap<String, crate::model::systems::SystemEntry>>,
    /// Who approved the policy, and when.
    pub approval: Option<Approval>,
    /// Next review date, `YYYY-MM-DD`.
    pub review_by: Option<String>,
    /// Version or revision label.
    pub version: Option<String>,
    /// The audiences the school produces documents for.
    pub audiences: Option<Vec<String>>,
    /// The policies it produces; default all.
    pub policies: Option<Vec<String>>,
    /// Numbering style, per audience.
    pub numbering: Option<PerAudience<NumberingStyle>>,
    /// Extra signatures.
    pub signature: Option<SignatureExtras>,
    /// Linked policies, listed at the end.
    pub linked_policies: Option<Vec<String>>,
    /// How long signed copies are kept, per audience.
    pub retention: Option<PerAudience<String>>,
    /// Introduction override, per audience.
    pub intro: Option<PerAudience<String>>,
    /// Layout, per audience.
    pub layout: Option<PerAudience<Layout>>,
    /// Library clauses left out.
    pub exclude: Option<Vec<String>>,
    /// Library clauses reworded.
    pub replace: Option<BTreeMap<String, PerAudience<String>>>,
    /// Clauses schools may not exclude or replace (in defaults files).
    pub locked: Option<Vec<String>>,
    /// The opt-in modules switched on (see `modules.yaml`).
    pub modules: Option<Vec<String>>,
    /// Free-form values for `{{ vars.* }}`.
    pub vars: Option<BTreeMap<String, serde_yaml::Value>>,
    /// The words printed around the school's text (headings, field
    /// labels…), by key, each for every audience or per audience.
    pub labels: Option<BTreeMap<String, PerAudience<String>>>,
    /// How exactly the facts line gives its dates: day, month or year.
    pub date_precision: Option<DatePrecision>,
    /// Changes to a policy's blocks, by policy id.
    pub blocks: Option<BTreeMap<String, Vec<BlockEdit>>>,
    /// How ordered lists inside clauses are numbered, level by level, e.g.
    /// `"a. i."`, per audience.
    pub list_numbering: Option<PerAudience<String>>,
    /// What each audience signs on paper: the document or a slip.
    pub sign_with: Option<PerAudience<crate::model::slips::SignWith>>,
    /// Where a slip's reader finds the whole text, per audience.
    pub full_text_url: Option<PerAudience<String>>,
    /// The online form that takes signatures, for pre-filled links.
    pub online_form: Option<crate::model::slips::OnlineForm>,
    /// Booklets, by policy id: a preamble and each audience's agreement in
    /// one PDF.
    pub booklets: Option<BTreeMap<String, crate::model::booklet::BookletDef>>,
    /// Where each audience reads its privacy notice online, for the link
    /// an agreement prints beside its linked policies.
    pub privacy_notice_url: Option<PerAudience<String>>,
    /// How long the school keeps each group's records, by group
    /// (`pupils`, `staff`…), for privacy notices' "how long" sections.
    pub retention_schedule: Option<BTreeMap<String, String>>,
    /// What the header names: the school (the default), the trust, or
    /// nobody.
    pub masthead: Option<Masthead>,
    /// For each role addendum the school builds (a policy with
    /// `signed_by: role`), the roster `role` values of the people who sign
    /// it.
    pub roles: Option<BTreeMap<String, Vec<String>>>,
}

impl SchoolFile {
    /// Whether the school builds `policy`: it lists it under `policies:`,
    /// or lists none and the policy is not a role addendum (which a school
    /// asks for by name, with the `roles:` that sign it).
    pub fn builds(&self, policy: &Policy) -> bool {
        match &self.policies {
            Some(ids) => ids.contains(&policy.id),
            None => policy.def.signed_by == SignedBy::Audience,
        }
    }
}

/// The keys a school file may have, for "did you mean" hints.
pub const SCHOOL_KEYS: &[&str] = &[
    "extends",
    "name",
    "short_name",
    "trust",
    "address",
    "website",
    "motto",
    "values",
    "logo",
    "contacts",
    "systems",
    "approval",
    "review_by",
    "version",
    "audiences",
    "policies",
    "numbering",
    "signature",
    "linked_policies",
    "retention",
    "intro",
    "layout",
    "exclude",
    "replace",
    "locked",
    "modules",
    "vars",
    "labels",
    "date_precision",
    "blocks",
    "list_numbering",
    "sign_with",
    "full_text_url",
    "online_form",
    "booklets",
    "privacy_notice_url",
    "retention_schedule",
    "masthead",
    "roles",
];

/// The keys a clause's front matter may have.
pub const CLAUSE_KEYS: &[&str] = &[
    "id",
    "title",
    "section",
    "order",
    "audiences",
    "refs",
    "tags",
    "wording",
    "keyword",
    "module",
    "editorial",
    "provides",
    "states",
];

/// The law and guidance clauses may cite, with their display names.
pub const KNOWN_REFS: &[(&str, &str)] = &[
    ("uk-gdpr", "UK GDPR"),
    ("dpa-2018", "Data Protection Act 2018"),
    ("kcsie", "KCSIE 2025"),
    ("prevent", "The Prevent duty"),
    ("cdpa-1988", "Copyright, Designs and Patents Act 1988"),
    ("computer-misuse-act", "Computer Misuse Act 1990"),
    ("online-safety-act", "Online Safety Act 2023"),
    ("equality-act", "Equality Act 2010"),
    ("ico-children-code", "ICO Age Appropriate Design Code"),
    ("hmrc-benefits", "HMRC rules on benefits in kind"),
    ("education-act-2011", "Education Act 2011"),
    (
        "rip-act",
        "Investigatory Powers (Interception by Businesses etc.) Regulations 2018",
    ),
    ("ukcis-nudes", "UKCIS, Sharing nudes and semi-nudes (2024)"),
    (
        "dfe-genai",
        "DfE, Generative artificial intelligence in education",
    ),
    ("dfe-phones", "DfE, Mobile phones in schools"),
    (
        "dfe-searching",
        "DfE, Searching, screening and confiscation",
    ),
    ("dfe-filtering", "DfE, Filtering and monitoring standards"),
    (
        "dfe-cyber",
        "DfE, Cyber security standards for schools and colleges",
    ),
    ("ico-monitoring", "ICO, Monitoring workers (2023)"),
    ("education-act-1996", "Education Act 1996"),
    ("soa-2003", "Sexual Offences Act 2003"),
    ("terrorism-acts", "Terrorism Acts 2000 and 2006"),
    ("tra", "Teaching Regulation Agency: teacher misconduct"),
    ("pca-1978", "Protection of Children Act 1978"),
    ("pida", "Public Interest Disclosure Act 1998"),
    ("jcq-ai", "JCQ, AI use in assessments"),
    ("duaa-2025", "Data (Use and Access) Act 2025"),
    (
        "dfe-teaching-online-safety",
        "DfE, Teaching online safety in schools",
    ),
];

/// `modules.yaml`: one opt-in module, which a school switches on with
/// `modules: [<id>]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleDef {
    /// A short title for lists.
    pub title: String,
    /// What the module covers and who switches it on.
    pub description: String,
    /// Every audience its clauses speak to.
    pub audiences: Vec<String>,
    /// `school`: everyone in the audience signs it once the school switches
    /// it on; `role`: only some staff hold the role it is for.
    #[serde(default)]
    pub applies_to: ModuleScope,
}

/// Who a module is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleScope {
    /// Everyone in the module's audiences.
    #[default]
    School,
    /// Only the staff who hold a role (trainees, IT administrators…).
    Role,
}

/// The display name of a known reference.
pub fn ref_label(id: &str) -> Option<&'static str> {
    KNOWN_REFS.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_audience_reads_a_plain_value_or_a_map() {
        let all: PerAudience<String> = serde_yaml::from_str("Hello").unwrap();
        assert_eq!(all.get("ks1").map(String::as_str), Some("Hello"));
        let map: PerAudience<String> =
            serde_yaml::from_str("default: Adults\nks1: Children").unwrap();
        assert_eq!(map.get("ks1").map(String::as_str), Some("Children"));
        assert_eq!(map.get("staff").map(String::as_str), Some("Adults"));
        assert_eq!(map.audience_keys(), vec!["ks1"]);
    }

    #[test]
    fn per_audience_enum_values_are_checked() {
        let ok: PerAudience<NumberingStyle> = serde_yaml::from_str("staff: roman").unwrap();
        assert_eq!(ok.get("staff"), Some(&NumberingStyle::Roman));
        let err = serde_yaml::from_str::<PerAudience<NumberingStyle>>("staff: romen").unwrap_err();
        assert!(err.to_string().contains("unknown variant `romen`"), "{err}");
    }

    #[test]
    fn per_audience_merge_keeps_school_values_first() {
        let school: PerAudience<String> = serde_yaml::from_str("staff: S").unwrap();
        let trust: PerAudience<String> = serde_yaml::from_str("default: T\nstaff: X").unwrap();
        let merged = school.merged_over(trust);
        assert_eq!(merged.get("staff").map(String::as_str), Some("S"));
        assert_eq!(merged.get("ks2").map(String::as_str), Some("T"));
    }

    #[test]
    fn school_file_rejects_unknown_keys() {
        let err = serde_yaml::from_str::<SchoolFile>("name: A\ncontcts: {}\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `contcts`"), "{err}");
        assert_eq!(err.location().map(|l| l.line()), Some(2));
    }
}
