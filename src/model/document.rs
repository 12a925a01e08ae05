//! The resolved document: everything a reader sees, as data, shared by both
//! renderers, the manifest and the reports. Resolving produces it; nothing
//! here reads or writes anything.

use serde::Serialize;

use crate::model::body::{default_body, BodyShape, Part};
use crate::model::files::{Layout, Masthead, NumberingStyle, Origin, Reading};
use crate::model::hash::hex_digest;
use crate::model::key::DocKey;
use crate::model::markdown::Block;

/// A resolved document: everything a reader sees, as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Short hash of everything below: printed on every page and the form.
    pub doc_id: String,
    /// School id.
    pub school_id: String,
    /// Policy id.
    pub policy_id: String,
    /// Audience id.
    pub audience_id: String,
    /// The school's facts for the header.
    pub school: SchoolInfo,
    /// The document title.
    pub title: String,
    /// The audience's label.
    pub audience_label: String,
    /// How a sentence names the audience.
    pub audience_noun: String,
    /// How the audience reads.
    pub reading: Reading,
    /// Page layout.
    pub layout: Layout,
    /// Clause numbering.
    pub numbering: NumberingStyle,
    /// Version and dates.
    pub meta: Meta,
    /// Introduction.
    pub intro: Vec<Block>,
    /// Values or mission statement.
    pub values: Vec<Block>,
    /// Sections with their clauses, in reading order.
    pub sections: Vec<Section>,
    /// Linked policies.
    pub linked_policies: Vec<String>,
    /// Statement above the signature block.
    pub agreement: Vec<Block>,
    /// The parts in reading order, with their headings and numbers. Hashed
    /// only when it differs from [`default_body`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<Part>,
    /// How ordered lists inside clauses are numbered, level by level (typst
    /// patterns such as `a.` or `(i)`); empty for `1.` at every level.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub list_numbering: Vec<String>,
    /// The signature block (empty for a notice).
    pub signature: Signature,
    /// Whether it is a notice: published and read, never signed. Left out
    /// of the JSON for an agreement, so agreements keep their IDs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub notice: bool,
    /// For a consent form, its purposes, each a yes-or-no choice printed
    /// above the signature; empty (and left out of the JSON, so other
    /// documents keep their IDs) for any other document.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consent: Vec<ConsentChoice>,
    /// The words printed around the school's text, by key (see
    /// `model::labels`), with `subtitle` and `facts` filled in. Left out of
    /// the JSON when empty, which only [`Document::compute_id`] makes it.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub labels: std::collections::BTreeMap<String, String>,
    /// Which labels a school or trust set: only those enter the ID.
    #[serde(skip)]
    pub labels_set: std::collections::BTreeSet<String>,
    /// For a role addendum, the roster `role` values of the people who
    /// sign it; empty when everyone in the audience does. Not printed, so
    /// not part of the ID.
    #[serde(skip)]
    pub signers: Vec<String>,
    /// When the audience signs a slip rather than the whole document:
    /// where the slip sends readers, and the public form link. How people
    /// sign is not what they sign, so this stays out of the ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slip: Option<crate::model::slips::SlipLinks>,
    /// For an agreement, the privacy notice the school publishes for the
    /// same audience, listed with the linked policies. Where to read about
    /// one's data is not what one signs, so this stays out of the ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_link: Option<NoticeLink>,
}

/// One purpose on a consent form: the reader ticks yes or no.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentChoice {
    /// The purpose id, as the consent ledger names it.
    pub id: String,
    /// What the reader is asked about.
    pub label: String,
}

/// An agreement's pointer to its audience's privacy notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeLink {
    /// The notice's title.
    pub title: String,
    /// The notice's HTML page, beside the agreement's.
    pub html: String,
    /// Where the notice is published online, for the PDF, if the school
    /// says (`privacy_notice_url`).
    pub url: Option<String>,
}

/// The school facts a document prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolInfo {
    /// Full name.
    pub name: String,
    /// The trust's name, if any.
    pub trust: Option<String>,
    /// Motto, if any.
    pub motto: Option<String>,
    /// Postal address, if any.
    pub address: Option<String>,
    /// Web site, if any.
    pub website: Option<String>,
    /// The logo, if any.
    pub logo: Option<LogoRef>,
    /// What the header names; at its default (the school) it is left out,
    /// so documents keep their IDs.
    #[serde(skip_serializing_if = "Masthead::is_school")]
    pub masthead: Masthead,
}

impl SchoolInfo {
    /// The name printed in the header, and the trust's under it, as the
    /// masthead asks: the school's (with its trust's), the trust's alone,
    /// or none.
    pub fn header(&self) -> (Option<&str>, Option<&str>) {
        match self.masthead {
            Masthead::School => (Some(&self.name), self.trust.as_deref()),
            Masthead::Trust => (Some(self.trust.as_deref().unwrap_or(&self.name)), None),
            Masthead::None => (None, None),
        }
    }
}

/// A logo as the renderers see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogoRef {
    /// Alternative text.
    pub alt: String,
    /// SHA-256 of the image, so a new logo changes the document id.
    pub sha256: String,
}

/// Version and dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Version label.
    pub version: String,
    /// Approving body.
    pub approved_by: String,
    /// Approval date, `YYYY-MM-DD`.
    pub approved_on: String,
    /// Approval date for readers, e.g. "9 September 2026".
    pub approved_on_text: String,
    /// Next review date, `YYYY-MM-DD`.
    pub review_by: String,
    /// Next review date for readers.
    pub review_by_text: String,
}

/// A headed section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Section id.
    pub id: String,
    /// Heading text.
    pub heading: String,
    /// Heading number, for section numbering.
    pub label: Option<String>,
    /// Clauses in order: the section's own, then each subsection's.
    pub clauses: Vec<ResolvedClause>,
    /// A lead-in before the clauses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lead: Vec<Block>,
    /// Headed groups of the clauses, each a run of `clauses`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subsections: Vec<Subsection>,
}

/// A headed group of clauses within a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subsection {
    /// Its id, also its anchor in the HTML.
    pub id: String,
    /// Heading text.
    pub heading: String,
    /// Heading number, if the section is numbered.
    pub label: Option<String>,
    /// A lead-in before its clauses.
    pub lead: Vec<Block>,
    /// The index in the section's `clauses` of its first clause.
    pub first: usize,
    /// How many clauses it has.
    pub count: usize,
}

/// A clause as it reads in one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedClause {
    /// Clause id.
    pub id: String,
    /// Short title.
    pub title: Option<String>,
    /// Its number or bullet.
    pub label: String,
    /// Its text.
    pub blocks: Vec<Block>,
    /// The poster keyword, for KS1.
    pub keyword: Option<String>,
    /// In a document for several audiences, a clause meant for only some
    /// of them says which ("For staff only").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only: Option<String>,
    /// Law and guidance, as display names.
    pub refs: Vec<String>,
    /// Where the text came from.
    #[serde(skip)]
    pub provenance: Provenance,
}

/// Where a clause's text came from: for `explain`, the manifest and diffs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The clause file.
    pub file: String,
    /// Whether it is the library's text, a school's own clause or a
    /// school's rewording.
    pub origin: Origin,
    /// The placeholders its text used.
    pub placeholders: Vec<String>,
    /// The opt-in module it belongs to, if any.
    pub module: Option<String>,
}

/// The signature block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signature {
    /// Field labels for the signer.
    pub fields: Vec<String>,
    /// Field labels for a parent or carer, if asked for.
    pub parent: Option<Vec<String>>,
    /// The countersignature, if asked for.
    pub countersign: Option<Countersign>,
    /// The labels of fields printed side by side where they come together;
    /// left out when none are, so documents keep their IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub side_by_side: Vec<String>,
}

impl Signature {
    /// No signature block: a notice's.
    pub fn none() -> Self {
        Signature {
            fields: Vec::new(),
            parent: None,
            countersign: None,
            side_by_side: Vec::new(),
        }
    }
}

/// A headteacher's or deputy's countersignature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Countersign {
    /// What the countersigner confirms.
    pub statement: String,
    /// Field labels.
    pub fields: Vec<String>,
}

impl Document {
    /// The key that names this document: school, policy, audience.
    pub fn key(&self) -> DocKey {
        DocKey::new(&self.school_id, &self.policy_id, &self.audience_id)
    }

    /// The document id: the first 8 hex digits of the SHA-256 of everything
    /// the reader sees, grouped `XXXX-XXXX`.
    pub fn compute_id(&self) -> String {
        let mut unhashed = self.clone();
        unhashed.doc_id.clear();
        if unhashed.body == default_body(&self.shape()) {
            // As documents were before blocks: their IDs stay.
            unhashed.body.clear();
        }
        unhashed.slip = None;
        unhashed.notice_link = None;
        // A label at its default is policyc's wording, not the school's:
        // changing policyc's default must not ask everyone to sign again.
        unhashed
            .labels
            .retain(|key, _| self.labels_set.contains(key));
        let bytes = serde_json::to_vec(&unhashed).unwrap_or_default();
        let hex = hex_digest(&bytes);
        format!("{}-{}", &hex[..4], &hex[4..8]).to_uppercase()
    }

    /// What [`default_body`] needs to know of this document.
    pub fn shape(&self) -> BodyShape<'_> {
        BodyShape {
            intro: !self.intro.is_empty(),
            values: !self.values.is_empty(),
            sections: self.sections.len(),
            linked_policies: !self.linked_policies.is_empty(),
            labels: &self.labels,
        }
    }

    /// Every clause, with the section it stands in, in reading order.
    pub fn clauses(&self) -> impl Iterator<Item = (&Section, &ResolvedClause)> {
        self.sections
            .iter()
            .flat_map(|s| s.clauses.iter().map(move |c| (s, c)))
    }
}
