//! Who has signed what: each person on a school's roster against the
//! documents of the current build, through the ledger.
//!
//! A signature counts for the current version when its document ID is the
//! current one, or an earlier published ID whose document has changed since
//! only by edits marked editorial (the rule `changes` uses). An earlier ID
//! whose wording has changed means the person must sign again. Pure: the
//! rosters, ledger, manifests and editorial marks come in; a report and the
//! problems found go out.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Code;
use crate::diag::{suggestion, Diagnostic, Diagnostics};
use crate::model::key::DocKey;
use crate::model::manifest::{Manifest, ManifestDoc};
use crate::model::people::{Identity, Ledger, People, Person, Roster, Signature};
use crate::report::changes::{still_counts, Editorial};

/// Sign-off across every school with a roster.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SignOffReport {
    /// One entry per school with a roster, by school id.
    pub schools: Vec<SchoolSignOff>,
}

/// One school's sign-off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolSignOff {
    /// School id.
    pub school: String,
    /// School name.
    pub school_name: String,
    /// One entry per current document someone on the roster must sign.
    pub documents: Vec<DocSignOff>,
}

/// Sign-off for one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocSignOff {
    /// Policy id.
    pub policy: String,
    /// Audience id.
    pub audience: String,
    /// Audience label.
    pub audience_label: String,
    /// Document title.
    pub title: String,
    /// The current document ID.
    pub doc_id: String,
    /// The current version label.
    pub version: String,
    /// People on the roster who must sign it.
    pub expected: usize,
    /// Of those, who signed the current wording.
    pub signed: usize,
    /// Who signed an earlier wording that has changed since.
    pub sign_again: usize,
    /// Who never signed it.
    #[serde(rename = "not_signed")]
    pub never: usize,
    /// Each person, when names are asked for (personal data).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonStatus>,
}

impl DocSignOff {
    /// Everyone still to sign: never signed, or must sign again.
    pub fn outstanding(&self) -> usize {
        self.sign_again + self.never
    }
}

/// Where one person stands on one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonStatus {
    /// Their name.
    pub name: String,
    /// Class or staff group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// On a parent's row: the child.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<String>,
    /// Signed, must sign again, or never signed.
    pub status: Standing,
    /// The document ID they signed, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_id: Option<String>,
    /// When they signed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_on: Option<String>,
    /// Role or job title, for a register.
    #[serde(skip)]
    pub role: Option<String>,
    /// The roster file that lists them, for messages.
    #[serde(skip)]
    pub file: String,
    /// The roster line that lists them, for messages.
    #[serde(skip)]
    pub line: usize,
}

/// Where a person stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// Signed an earlier wording that has changed since.
    SignAgain,
    /// Never signed any version.
    Never,
    /// Signed the current wording.
    Signed,
}

impl Standing {
    /// The words for a table cell.
    pub fn label(self) -> &'static str {
        match self {
            Standing::Signed => "signed",
            Standing::SignAgain => "must sign again",
            Standing::Never => "not signed",
        }
    }
}

/// What a known document ID stands for.
struct KnownId {
    key: DocKey,
    /// The current wording, or an earlier one that changed only editorially.
    counts: bool,
}

/// Every document ID a ledger may name: the current ones, and those in the
/// published manifests, each marked with whether it still counts.
fn known_ids(
    current: &Manifest,
    published: &[(String, Manifest)],
    editorial: &Editorial,
) -> BTreeMap<String, KnownId> {
    let now: BTreeMap<DocKey, &str> = current
        .documents
        .iter()
        .map(|d| (d.key(), d.doc_id.as_str()))
        .collect();
    let mut known = BTreeMap::new();
    for doc in published.iter().flat_map(|(_, m)| &m.documents) {
        let key = doc.key();
        let counts = now
            .get(&key)
            .is_some_and(|new| still_counts(&key, &doc.doc_id, new, editorial));
        known.insert(doc.doc_id.clone(), KnownId { key, counts });
    }
    for doc in &current.documents {
        known.insert(
            doc.doc_id.clone(),
            KnownId {
                key: doc.key(),
                counts: true,
            },
        );
    }
    known
}

/// Works out who has signed what, with every problem in the rosters and
/// ledgers. `names` keeps each person's line in the report.
pub fn sign_off(
    people: &People,
    current: &Manifest,
    published: &[(String, Manifest)],
    editorial: &Editorial,
    names: bool,
    diags: &mut Diagnostics,
) -> SignOffReport {
    let known = known_ids(current, published, editorial);
    let mut report = SignOffReport::default();
    for (school, ledger) in &people.ledgers {
        if !people.rosters.contains_key(school) {
            diags.push(
                Diagnostic::error(
                    Code::LedgerWithoutRoster,
                    &ledger.file,
                    "there is a ledger but no roster beside it",
                )
                .with_hint(format!(
                    "add people/{school}/roster.csv, listing everyone who must sign"
                )),
            );
        }
    }
    for (school, roster) in &people.rosters {
        let docs: Vec<&ManifestDoc> = current
            .documents
            .iter()
            .filter(|d| &d.school == school)
            .collect();
        let signed: Vec<&ManifestDoc> = docs
            .iter()
            .copied()
            .filter(|d| !d.notice && d.consent.is_empty())
            .collect();
        if docs.is_empty() {
            // Not built (a filtered build that never included it): nothing
            // to count against yet.
            continue;
        }
        check_audiences(roster, &docs, &people.sources, diags);
        let empty = Ledger::default();
        let ledger = people.ledgers.get(school).unwrap_or(&empty);
        let ledger_source = people.sources.get(&ledger.file).map_or("", String::as_str);
        let signatures = match_signatures(
            roster,
            ledger,
            &known,
            ledger_source,
            UnknownId::Warn,
            diags,
        );
        let school_name = docs
            .first()
            .map_or_else(|| school.clone(), |d| d.school_name.clone());
        let documents = signed
            .iter()
            .map(|doc| doc_sign_off(doc, roster, &signatures, &known, names))
            .filter(|d| d.expected > 0)
            .collect();
        report.schools.push(SchoolSignOff {
            school: school.clone(),
            school_name,
            documents,
        });
    }
    report
}

/// Reports a roster line whose audience has no document at the school.
fn check_audiences(
    roster: &Roster,
    docs: &[&ManifestDoc],
    sources: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) {
    let mut audiences: Vec<&str> = docs.iter().map(|d| d.audience.as_str()).collect();
    audiences.sort_unstable();
    audiences.dedup();
    for person in &roster.people {
        if audiences.contains(&person.audience.as_str()) {
            continue;
        }
        let hint = match suggestion(&person.audience, audiences.iter().copied()) {
            Some(s) => format!("{s} This school's audiences are: {}", audiences.join(", ")),
            None => format!("this school's audiences are: {}", audiences.join(", ")),
        };
        diags.push(
            Diagnostic::error(
                Code::RosterUnknownAudience,
                &person.file,
                format!(
                    "`{}` is not an audience this school has a document for",
                    person.audience
                ),
            )
            .at_in_line(
                sources.get(&person.file).map_or("", String::as_str),
                person.line,
                &person.audience,
            )
            .with_hint(hint),
        );
    }
}

/// How a row naming a document ID nobody knows is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnknownId {
    /// In the ledger: a warning, and the person counts as not signed, so one
    /// mistyped line (or a pack nobody kept in published/) never stops the
    /// count for everyone else.
    Warn,
    /// In responses being imported: an error, so nothing unknown is saved.
    Refuse,
}

/// Each ledger row matched to a person on the roster (by index), with the
/// problems of rows that match nobody or name an unknown document.
fn match_signatures<'l>(
    roster: &Roster,
    ledger: &'l Ledger,
    known: &BTreeMap<String, KnownId>,
    source: &str,
    unknown: UnknownId,
    diags: &mut Diagnostics,
) -> BTreeMap<usize, Vec<&'l Signature>> {
    let mut matched: BTreeMap<usize, Vec<&Signature>> = BTreeMap::new();
    for row in &ledger.rows {
        let at = |d: Diagnostic, cell: &str| d.at_in_line(source, row.line, cell);
        let Some(doc) = known.get(&row.doc_id) else {
            let message = format!("no document has the ID {}", row.doc_id);
            let diagnostic = match unknown {
                UnknownId::Warn => Diagnostic::warning(
                    Code::LedgerUnknownDocument,
                    &ledger.file,
                    format!("{message}, so this line counts for nobody"),
                ),
                UnknownId::Refuse => {
                    Diagnostic::error(Code::LedgerUnknownDocument, &ledger.file, message)
                }
            };
            diags.push(at(diagnostic
            .with_hint("copy the ID from the footer of the signed form; an ID from an earlier pack is known only while its manifest is kept in published/<label>/"), &row.doc_id));
            continue;
        };
        if doc.key.audience != row.audience {
            diags.push(at(
                Diagnostic::error(
                    Code::LedgerWrongDocument,
                    &ledger.file,
                    format!(
                        "{} is the {} document, not the {} one",
                        row.doc_id, doc.key.audience, row.audience
                    ),
                )
                .with_hint("check the audience and the ID on this line against the signed form"),
                &row.audience,
            ));
            continue;
        }
        match find_person(roster, ledger, row) {
            Ok(index) => matched.entry(index).or_default().push(row),
            Err(problem) => diags.push(at(problem, &row.name)),
        }
    }
    matched
}

/// The roster index of the person a ledger row names, or why there is none.
fn find_person(roster: &Roster, ledger: &Ledger, row: &Signature) -> Result<usize, Diagnostic> {
    let wanted = Identity::new(
        &row.audience,
        &row.name,
        row.class.as_deref(),
        row.child.as_deref(),
    );
    let candidates: Vec<usize> = roster
        .people
        .iter()
        .enumerate()
        .filter(|(_, p)| same_person(p, &wanted))
        .map(|(i, _)| i)
        .collect();
    match candidates.as_slice() {
        [one] => Ok(*one),
        [] => {
            let names = roster
                .people
                .iter()
                .filter(|p| p.audience == row.audience)
                .map(|p| p.name.as_str());
            let nearest = suggestion(&row.name, names)
                .map(|s| format!("{s} "))
                .unwrap_or_default();
            let class = row
                .class
                .as_deref()
                .map(|c| format!(", {c}"))
                .unwrap_or_default();
            Err(Diagnostic::error(
                Code::LedgerUnknownPerson,
                &ledger.file,
                format!(
                    "nobody called {} ({}{class}) is on the roster",
                    row.name, row.audience
                ),
            )
            .with_hint(format!(
                "{nearest}Spell the name as {} does, or add the person to it",
                roster.described()
            )))
        }
        _ => Err(Diagnostic::error(
            Code::LedgerAmbiguousPerson,
            &ledger.file,
            format!(
                "{} matches {} people on the roster",
                row.name,
                candidates.len()
            ),
        )
        .with_hint("add a `class` (or `child`) column to the ledger to say which")),
    }
}

/// Whether `person` fits `wanted`: the class and child count only when the
/// ledger gives them.
fn same_person(person: &Person, wanted: &Identity) -> bool {
    let id = person.identity();
    id.audience == wanted.audience
        && id.name == wanted.name
        && (wanted.class.is_none() || id.class == wanted.class)
        && (wanted.child.is_none() || id.child == wanted.child)
}

fn doc_sign_off(
    doc: &ManifestDoc,
    roster: &Roster,
    signatures: &BTreeMap<usize, Vec<&Signature>>,
    known: &BTreeMap<String, KnownId>,
    names: bool,
) -> DocSignOff {
    let key = doc.key();
    let mut sign_off = DocSignOff {
        policy: doc.policy.clone(),
        audience: doc.audience.clone(),
        audience_label: doc.audience_label.clone(),
        title: doc.title.clone(),
        doc_id: doc.doc_id.clone(),
        version: doc.version.clone(),
        expected: 0,
        signed: 0,
        sign_again: 0,
        never: 0,
        people: Vec::new(),
    };
    for (index, person) in roster.people.iter().enumerate() {
        if person.audience != doc.audience || !signs(doc, person) {
            continue;
        }
        sign_off.expected += 1;
        let rows = signatures.get(&index).map(Vec::as_slice).unwrap_or(&[]);
        let (standing, row) = standing(rows, &key, known);
        match standing {
            Standing::Signed => sign_off.signed += 1,
            Standing::SignAgain => sign_off.sign_again += 1,
            Standing::Never => sign_off.never += 1,
        }
        if names {
            sign_off.people.push(PersonStatus {
                name: person.name.clone(),
                class: person.class.clone(),
                child: person.child.clone(),
                status: standing,
                signed_id: row.map(|r| r.doc_id.clone()),
                signed_on: row.map(|r| r.signed_on.clone()),
                role: person.role.clone(),
                file: person.file.clone(),
                line: person.line,
            });
        }
    }
    sign_off
}

/// Whether `person` is asked to sign `doc`: everyone in its audience, or
/// for a role addendum only those whose roster role the school names for
/// it (compared without case or surrounding spaces).
pub fn signs(doc: &ManifestDoc, person: &Person) -> bool {
    doc.signers.is_empty()
        || person.role.as_deref().is_some_and(|role| {
            doc.signers
                .iter()
                .any(|s| s.trim().eq_ignore_ascii_case(role.trim()))
        })
}

/// A person's best standing on the document `key`: a signature that counts
/// beats one that must be renewed, which beats none; the latest wins a tie.
fn standing<'s>(
    rows: &[&'s Signature],
    key: &DocKey,
    known: &BTreeMap<String, KnownId>,
) -> (Standing, Option<&'s Signature>) {
    rows.iter()
        .filter_map(|row| {
            let id = known.get(&row.doc_id).filter(|k| &k.key == key)?;
            let standing = if id.counts {
                Standing::Signed
            } else {
                Standing::SignAgain
            };
            Some((standing, *row))
        })
        .max_by(|a, b| (a.0, &a.1.signed_on).cmp(&(b.0, &b.1.signed_on)))
        .map_or((Standing::Never, None), |(s, r)| (s, Some(r)))
}

/// What importing form responses into a school's ledger would do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportPlan {
    /// Signatures to add, each spelt as the roster spells the person.
    pub new_rows: Vec<Signature>,
    /// Responses the ledger already records (or that repeat another).
    pub already: usize,
}

/// Matches imported `rows` (from `file`, whose text is `source`) to the
/// school's roster and the known document IDs, and leaves out those the
/// ledger already has. Problems are reported at the export's lines.
#[allow(clippy::too_many_arguments)]
pub fn plan_import(
    people: &People,
    school: &str,
    file: &str,
    source: &str,
    rows: Vec<Signature>,
    current: &Manifest,
    published: &[(String, Manifest)],
    editorial: &Editorial,
    diags: &mut Diagnostics,
) -> ImportPlan {
    let known = known_ids(current, published, editorial);
    let Some(roster) = people.rosters.get(school) else {
        diags.push(
            Diagnostic::error(
                Code::LedgerWithoutRoster,
                file,
                format!("school `{school}` has no roster to match the responses to"),
            )
            .with_hint(format!(
                "add people/{school}/roster.csv, listing everyone who must sign"
            )),
        );
        return ImportPlan::default();
    };
    let empty = Ledger::default();
    let ledger = people.ledgers.get(school).unwrap_or(&empty);
    let ledger_source = people.sources.get(&ledger.file).map_or("", String::as_str);
    let mut recorded: Vec<(usize, String)> = match_signatures(
        roster,
        ledger,
        &known,
        ledger_source,
        UnknownId::Warn,
        // The ledger's own problems are the status report's to give.
        &mut Diagnostics::default(),
    )
    .into_iter()
    .flat_map(|(i, rows)| rows.into_iter().map(move |r| (i, r.doc_id.clone())))
    .collect();
    let rows = rows
        .into_iter()
        .map(|mut row| {
            if row.audience.is_empty() {
                if let Some(doc) = known.get(&row.doc_id) {
                    row.audience.clone_from(&doc.key.audience);
                }
            }
            row
        })
        .collect();
    let imported = Ledger {
        file: file.to_string(),
        rows,
    };
    let mut plan = ImportPlan::default();
    let matched = match_signatures(roster, &imported, &known, source, UnknownId::Refuse, diags);
    let mut by_line: Vec<(usize, &Signature)> = matched
        .into_iter()
        .flat_map(|(i, rows)| rows.into_iter().map(move |r| (i, r)))
        .collect();
    by_line.sort_by_key(|(_, r)| r.line);
    for (index, row) in by_line {
        let key = (index, row.doc_id.clone());
        if recorded.contains(&key) {
            plan.already += 1;
            continue;
        }
        recorded.push(key);
        let person = &roster.people[index];
        plan.new_rows.push(Signature {
            name: person.name.clone(),
            audience: person.audience.clone(),
            class: person.class.clone(),
            child: person.child.clone(),
            ..row.clone()
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(school: &str, audience: &str, id: &str) -> ManifestDoc {
        ManifestDoc {
            school: school.into(),
            school_name: "Alpha Primary".into(),
            trust: None,
            trust_own: false,
            signers: Vec::new(),
            policy: "aup".into(),
            audience: audience.into(),
            audience_label: audience.to_uppercase(),
            title: "Acceptable use agreement".into(),
            doc_id: id.into(),
            notice: false,
            consent: Vec::new(),
            version: "2026.1".into(),
            approved_by: "Governors".into(),
            approved_on: "1 September 2026".into(),
            review_by: "1 September 2027".into(),
            input_hash: String::new(),
            outputs: BTreeMap::new(),
            inputs: Vec::new(),
            clauses: Vec::new(),
        }
    }

    fn person(name: &str, audience: &str, class: Option<&str>, line: usize) -> Person {
        Person {
            name: name.into(),
            audience: audience.into(),
            class: class.map(Into::into),
            role: None,
            email: None,
            child: None,
            file: "people/alpha/roster.csv".into(),
            line,
        }
    }

    fn signed(name: &str, audience: &str, id: &str, on: &str, line: usize) -> Signature {
        Signature {
            name: name.into(),
            audience: audience.into(),
            class: None,
            child: None,
            doc_id: id.into(),
            signed_on: on.into(),
            line,
        }
    }

    /// A school with three staff and two pupils (two called Sam, in two
    /// classes), and a ledger of `rows`.
    fn people(rows: Vec<Signature>) -> People {
        let mut people = People::default();
        people.rosters.insert(
            "alpha".into(),
            Roster {
                files: vec!["people/alpha/roster.csv".into()],
                people: vec![
                    person("Ada Testperson", "staff", None, 2),
                    person("Ben Sample", "staff", None, 3),
                    person("Cy Example", "staff", None, 4),
                    person("Sam Dummy", "ks2", Some("4A"), 5),
                    person("Sam Dummy", "ks2", Some("4B"), 6),
                ],
            },
        );
        people.ledgers.insert(
            "alpha".into(),
            Ledger {
                file: "people/alpha/signed.csv".into(),
                rows,
            },
        );
        people
    }

    fn current() -> Manifest {
        Manifest {
            documents: vec![
                doc("alpha", "staff", "NEW0-0001"),
                doc("alpha", "ks2", "KS20-0001"),
            ],
            ..Manifest::default()
        }
    }

    fn spring() -> Vec<(String, Manifest)> {
        let old = Manifest {
            documents: vec![doc("alpha", "staff", "OLD0-0001")],
            ..Manifest::default()
        };
        vec![("2026-spring".into(), old)]
    }

    fn staff(report: &SignOffReport) -> &DocSignOff {
        report.schools[0]
            .documents
            .iter()
            .find(|d| d.audience == "staff")
            .unwrap()
    }

    /// Sign-off of `people` against the current manifest, with its
    /// problems sorted.
    fn report_of(
        people: &People,
        published: &[(String, Manifest)],
        editorial: &Editorial,
        names: bool,
    ) -> (SignOffReport, Vec<Diagnostic>) {
        let mut found = Diagnostics::default();
        let report = sign_off(people, &current(), published, editorial, names, &mut found);
        (report, found.sorted())
    }

    #[test]
    fn current_earlier_and_missing_signatures_are_counted_apart() {
        let rows = vec![
            signed("Ada Testperson", "staff", "NEW0-0001", "2026-09-07", 2),
            signed("Ben Sample", "staff", "OLD0-0001", "2026-03-02", 3),
        ];
        let (report, diags) = report_of(&people(rows), &spring(), &Editorial::default(), true);
        assert!(diags.is_empty(), "{diags:?}");
        let staff = staff(&report);
        assert_eq!(
            (staff.expected, staff.signed, staff.sign_again, staff.never),
            (3, 1, 1, 1)
        );
        assert_eq!(staff.outstanding(), 2);
        let ben = staff
            .people
            .iter()
            .find(|p| p.name == "Ben Sample")
            .unwrap();
        assert_eq!(ben.status, Standing::SignAgain);
        assert_eq!(ben.signed_id.as_deref(), Some("OLD0-0001"));
    }

    #[test]
    fn an_earlier_wording_changed_only_editorially_still_counts() {
        let rows = vec![signed("Ben Sample", "staff", "OLD0-0001", "2026-03-02", 2)];
        let mut editorial = Editorial::default();
        editorial
            .unedited
            .ids
            .insert(doc("alpha", "staff", "x").key(), "OLD0-0001".into());
        let (report, _) = report_of(&people(rows), &spring(), &editorial, false);
        assert_eq!(staff(&report).signed, 1);
        assert!(staff(&report).people.is_empty(), "no names unless asked");
    }

    #[test]
    fn an_unknown_id_in_the_ledger_warns_and_counts_for_nobody() {
        let rows = vec![
            signed("Ada Testperson", "staff", "TYPO-0001", "2026-09-07", 2),
            signed("Ben Sample", "staff", "NEW0-0001", "2026-09-07", 3),
        ];
        let (report, diags) = report_of(&people(rows), &[], &Editorial::default(), false);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "ledger-unknown-document");
        assert_eq!(diags[0].severity, crate::diag::Severity::Warning);
        assert_eq!((staff(&report).signed, staff(&report).never), (1, 2));
    }

    #[test]
    fn a_row_for_the_wrong_audience_or_an_unclear_person_is_an_error() {
        let rows = vec![
            signed("Ada Testperson", "ks2", "NEW0-0001", "2026-09-07", 2),
            signed("Sam Dummy", "ks2", "KS20-0001", "2026-09-08", 3),
        ];
        let (_, diags) = report_of(&people(rows), &[], &Editorial::default(), false);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["ledger-wrong-document", "ledger-ambiguous-person"]);
    }

    #[test]
    fn a_ledger_without_a_roster_is_reported() {
        let mut people = people(Vec::new());
        people.rosters.clear();
        let (report, diags) = report_of(&people, &[], &Editorial::default(), false);
        assert!(report.schools.is_empty());
        assert_eq!(diags[0].code, "ledger-without-roster");
    }

    #[test]
    fn an_import_adds_each_signature_once_and_refuses_unknown_ids() {
        let ledger = vec![signed(
            "Ada Testperson",
            "staff",
            "NEW0-0001",
            "2026-09-07",
            2,
        )];
        let responses = vec![
            signed("Ada Testperson", "staff", "NEW0-0001", "2026-09-07", 2),
            signed("Ben Sample", "staff", "NEW0-0001", "2026-09-08", 3),
            signed("Ben Sample", "staff", "NEW0-0001", "2026-09-08", 4),
        ];
        let mut found = Diagnostics::default();
        let plan = plan_import(
            &people(ledger.clone()),
            "alpha",
            "responses.csv",
            "",
            responses,
            &current(),
            &[],
            &Editorial::default(),
            &mut found,
        );
        let diags = found.sorted();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(plan.already, 2);
        assert_eq!(plan.new_rows.len(), 1);
        assert_eq!(plan.new_rows[0].name, "Ben Sample");
        let unknown = vec![signed("Ben Sample", "staff", "TYPO-0001", "2026-09-08", 2)];
        let mut found = Diagnostics::default();
        let plan = plan_import(
            &people(ledger),
            "alpha",
            "responses.csv",
            "",
            unknown,
            &current(),
            &[],
            &Editorial::default(),
            &mut found,
        );
        let diags = found.sorted();
        assert!(plan.new_rows.is_empty());
        assert_eq!(diags[0].severity, crate::diag::Severity::Error);
    }
}
