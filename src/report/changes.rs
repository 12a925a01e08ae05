//! What changed since a baseline (such as last year's published pack), and
//! who must sign again.
//!
//! The baseline is a manifest: it records every clause's resolved text, so
//! a comparison needs nothing else from the old build. A document must be
//! signed again exactly when its document ID changed, because the ID is a
//! hash of everything the signer read, unless the change is proved
//! editorial: with every edit its clauses mark as editorial undone, the
//! document has the published ID again. Clause changes are also grouped,
//! so one edit that reaches many documents is read once.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::model::key::DocKey;
use crate::model::manifest::{Manifest, ManifestDoc};
use crate::model::project::Resolved;
use crate::report::audit::plural;
use crate::resolve::editorial::{self, Unedited};

/// The comparison of a whole build with its baseline.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// One entry per document, sorted by school, policy, audience.
    pub documents: Vec<DocChange>,
    /// Each clause change once, with every document it is in.
    pub clauses: Vec<ClauseChange>,
    /// One line per school.
    pub schools: Vec<SchoolSummary>,
    /// Editorial marks that do not match their clause's change: each is
    /// ignored, and `changes` warns about it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale_marks: Vec<StaleMark>,
}

/// What the project's editorial marks say, for [`compare`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Editorial {
    /// The reason each marked clause gives, by clause id.
    pub reasons: BTreeMap<String, String>,
    /// Each current document with every marked edit undone.
    pub unedited: Unedited,
}

/// How one document changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocChange {
    /// School id.
    pub school: String,
    /// Policy id.
    pub policy: String,
    /// Audience id.
    pub audience: String,
    /// Audience label.
    pub audience_label: String,
    /// Whether the document is new, removed, changed or unchanged.
    pub status: ChangeStatus,
    /// Document ID in the baseline.
    pub old_id: Option<String>,
    /// Document ID now.
    pub new_id: Option<String>,
    /// Whether signers must sign again (never, for a notice).
    pub sign_again: bool,
    /// A notice: published, never signed, so a change asks nobody to sign.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub notice: bool,
    /// A consent form that changed in a way that matters: nobody signs it
    /// again, but consents given to the old wording must be renewed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub renew_consent: bool,
    /// The ID changed, but with every marked editorial edit undone the
    /// document is exactly the published one: nobody need sign again.
    pub editorial_only: bool,
    /// Clauses added.
    pub added: Vec<ClauseText>,
    /// Clauses removed.
    pub removed: Vec<ClauseText>,
    /// Clauses reworded, with a word-level diff.
    pub reworded: Vec<Reworded>,
}

/// How a document changed since the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeStatus {
    /// Not in the baseline.
    New,
    /// In the baseline only.
    Removed,
    /// Its document ID changed.
    Changed,
    /// Its document ID is the same.
    Unchanged,
}

impl std::fmt::Display for ChangeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ChangeStatus::New => "new",
            ChangeStatus::Removed => "removed",
            ChangeStatus::Changed => "changed",
            ChangeStatus::Unchanged => "unchanged",
        })
    }
}

/// What a run of words in a diff does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunKind {
    /// Words in both texts.
    Same,
    /// Words only in the old text.
    Removed,
    /// Words only in the new text.
    Added,
}

/// A clause and its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseText {
    /// Clause id.
    pub id: String,
    /// Resolved text.
    pub text: String,
}

/// A reworded clause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reworded {
    /// Clause id.
    pub id: String,
    /// The reason the clause gives for marking its edit editorial, when
    /// the mark was made for this change: undoing its edits gives the
    /// baseline's text. Whether the whole document's change is editorial is
    /// its `editorial_only`.
    pub editorial: Option<String>,
    /// The diff as runs of unchanged, removed and added words.
    pub diff: Vec<DiffRun>,
}

/// A run of words in a diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffRun {
    /// Whether the words stay, go or arrive.
    pub kind: RunKind,
    /// The words, with their spacing.
    pub text: String,
}

/// One school's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolSummary {
    /// School id.
    pub school: String,
    /// Whether the school is gone: it has documents only in the baseline.
    pub removed: bool,
    /// Documents now.
    pub documents: usize,
    /// Audiences that must sign again.
    pub sign_again: Vec<String>,
    /// Audiences whose documents changed only editorially.
    pub editorial: Vec<String>,
    /// Audiences whose documents are withdrawn.
    pub withdrawn: Vec<String>,
    /// The summary as a sentence.
    pub line: String,
}

/// Compares the current documents with a baseline.
pub fn compare(baseline: &Manifest, current: &Manifest, editorial: &Editorial) -> Report {
    let old: BTreeMap<_, _> = baseline.documents.iter().map(|d| (d.key(), d)).collect();
    let new: BTreeMap<_, _> = current.documents.iter().map(|d| (d.key(), d)).collect();
    let mut keys: Vec<_> = old.keys().chain(new.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    let documents: Vec<DocChange> = keys
        .iter()
        .map(|k| compare_doc(old.get(k).copied(), new.get(k).copied(), editorial))
        .collect();
    let schools = summarise(&documents);
    let clauses = group_by_clause(&documents);
    let stale_marks = stale_marks(baseline, current, editorial);
    Report {
        documents,
        clauses,
        schools,
        stale_marks,
    }
}

impl Editorial {
    /// The reason of the mark on clause `id` of the document `key`, if the
    /// mark was made for the change since `before` (the baseline's text):
    /// with its edits undone, the clause reads `before` again. A mark left
    /// over from an earlier change, or one a later change has outgrown,
    /// explains nothing.
    pub fn explains(&self, key: &DocKey, id: &str, before: &str) -> Option<&String> {
        let unedited = self.unedited.clauses.get(key)?.get(id)?;
        (unedited == before).then(|| self.reasons.get(id)).flatten()
    }
}

/// An editorial mark that no longer matches the change it is on: `changes`
/// warns, so that it is removed or remade for the change at hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleMark {
    /// Clause id.
    pub id: String,
    /// The clause's file, as the manifest records it.
    pub file: String,
    /// Why the mark no longer holds.
    pub why: StaleWhy,
}

/// Why an editorial mark no longer matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StaleWhy {
    /// The clause reads as in the baseline: the mark was for an edit
    /// already published.
    Unchanged,
    /// The clause changed by more than the marked edits.
    Outgrown,
}

/// Every editorial mark on a clause of these documents that does not match
/// the clause's change since the baseline: outgrown in any document, or
/// unchanged in every document it is in.
fn stale_marks(baseline: &Manifest, current: &Manifest, editorial: &Editorial) -> Vec<StaleMark> {
    let old: BTreeMap<_, _> = baseline.documents.iter().map(|d| (d.key(), d)).collect();
    // For each marked clause: its file, and how it changed in each document.
    let mut seen: BTreeMap<&str, (&str, BTreeSet<Option<StaleWhy>>)> = BTreeMap::new();
    for doc in &current.documents {
        let Some(before) = old.get(&doc.key()) else {
            continue;
        };
        let marked = doc
            .clauses
            .iter()
            .filter(|c| editorial.reasons.contains_key(&c.id));
        for clause in marked {
            let Some(was) = before.clauses.iter().find(|o| o.id == clause.id) else {
                continue;
            };
            let why = if was.text == clause.text {
                Some(StaleWhy::Unchanged)
            } else if editorial
                .explains(&doc.key(), &clause.id, &was.text)
                .is_none()
            {
                Some(StaleWhy::Outgrown)
            } else {
                None
            };
            let entry = seen
                .entry(&clause.id)
                .or_insert((&clause.file, BTreeSet::new()));
            entry.1.insert(why);
        }
    }
    seen.into_iter()
        .filter_map(|(id, (file, whys))| {
            let why = if whys.contains(&Some(StaleWhy::Outgrown)) {
                StaleWhy::Outgrown
            } else if whys.contains(&None) {
                return None;
            } else {
                StaleWhy::Unchanged
            };
            Some(StaleMark {
                id: id.to_string(),
                file: file.to_string(),
                why,
            })
        })
        .collect()
}

/// Whether a signature on the document `key` as it was (`old_id`) still
/// counts now that its ID is `new_id`: the same ID, or one that differs only
/// by edits marked editorial (with them undone, the ID is the old one).
pub fn still_counts(key: &DocKey, old_id: &str, new_id: &str, editorial: &Editorial) -> bool {
    old_id == new_id || editorial.unedited.ids.get(key).is_some_and(|u| u == old_id)
}

fn compare_doc(
    old: Option<&ManifestDoc>,
    new: Option<&ManifestDoc>,
    editorial: &Editorial,
) -> DocChange {
    let any = new.or(old).map(|d| {
        (
            d.school.clone(),
            d.policy.clone(),
            d.audience.clone(),
            d.audience_label.clone(),
        )
    });
    let (school, policy, audience, audience_label) = any.unwrap_or_default();
    let notice = new.or(old).is_some_and(|d| d.notice);
    let consent_form = new.or(old).is_some_and(|d| !d.consent.is_empty());
    let old_clauses: BTreeMap<&str, &str> = old
        .iter()
        .flat_map(|d| d.clauses.iter())
        .map(|c| (c.id.as_str(), c.text.as_str()))
        .collect();
    let new_clauses: BTreeMap<&str, &str> = new
        .iter()
        .flat_map(|d| d.clauses.iter())
        .map(|c| (c.id.as_str(), c.text.as_str()))
        .collect();
    let text = |id: &&str, t: &&str| ClauseText {
        id: id.to_string(),
        text: t.to_string(),
    };
    let added = new_clauses
        .iter()
        .filter(|(id, _)| !old_clauses.contains_key(*id))
        .map(|(i, t)| text(i, t))
        .collect();
    let removed = old_clauses
        .iter()
        .filter(|(id, _)| !new_clauses.contains_key(*id))
        .map(|(i, t)| text(i, t))
        .collect();
    let key = DocKey::new(&school, &policy, &audience);
    let reworded = new_clauses
        .iter()
        .filter_map(|(id, now)| {
            let before = old_clauses.get(id)?;
            (before != now).then(|| Reworded {
                id: id.to_string(),
                editorial: editorial.explains(&key, id, before).cloned(),
                diff: word_diff(before, now),
            })
        })
        .collect();
    let (old_id, new_id) = (old.map(|d| d.doc_id.clone()), new.map(|d| d.doc_id.clone()));
    let status = match (&old_id, &new_id) {
        (None, Some(_)) => ChangeStatus::New,
        (Some(_), None) => ChangeStatus::Removed,
        (Some(a), Some(b)) if a != b => ChangeStatus::Changed,
        _ => ChangeStatus::Unchanged,
    };
    let editorial_only = status == ChangeStatus::Changed
        && matches!((&old_id, &new_id), (Some(o), Some(n)) if still_counts(&key, o, n, editorial));
    DocChange {
        school,
        policy,
        audience,
        audience_label,
        status,
        sign_again: matches!(status, ChangeStatus::New | ChangeStatus::Changed)
            && !editorial_only
            && !notice
            && !consent_form,
        notice,
        renew_consent: consent_form && status == ChangeStatus::Changed && !editorial_only,
        editorial_only,
        old_id,
        new_id,
        added,
        removed,
        reworded,
    }
}

/// A word-level diff of two texts.
pub fn word_diff(before: &str, after: &str) -> Vec<DiffRun> {
    let diff = TextDiff::from_words(before, after);
    let mut runs: Vec<DiffRun> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => RunKind::Same,
            ChangeTag::Delete => RunKind::Removed,
            ChangeTag::Insert => RunKind::Added,
        };
        match runs.last_mut() {
            Some(run) if run.kind == kind => run.text.push_str(change.value()),
            _ => runs.push(DiffRun {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    runs
}

/// The diff as text: `[-removed-]` and `{+added+}`.
pub fn diff_text(runs: &[DiffRun]) -> String {
    runs.iter()
        .map(|r| match r.kind {
            RunKind::Removed => format!("[-{}-]", r.text),
            RunKind::Added => format!("{{+{}+}}", r.text),
            RunKind::Same => r.text.clone(),
        })
        .collect()
}

/// What happened to a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseChangeKind {
    /// The clause is new in these documents.
    Added,
    /// The clause is gone from these documents.
    Removed,
    /// The clause's wording changed.
    Reworded,
}

/// A document a clause change reaches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DocRef {
    /// School id.
    pub school: String,
    /// Policy id.
    pub policy: String,
    /// Audience id.
    pub audience: String,
}

/// One clause change, with every document it is in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseChange {
    /// Clause id.
    pub id: String,
    /// Added, removed or reworded.
    pub change: ClauseChangeKind,
    /// The text added or removed; for a rewording, the diff as text with
    /// `[-removed-]` and `{+added+}`.
    pub text: String,
    /// For a rewording, the diff as runs of words.
    pub diff: Vec<DiffRun>,
    /// The reason given by the clause's editorial mark, if it has one.
    pub editorial: Option<String>,
    /// The documents with exactly this change, sorted.
    pub documents: Vec<DocRef>,
}

/// Groups the clause changes of every changed document: the same change
/// to the same clause (same old and new text) appears once. New and
/// withdrawn documents are left out: every clause in them is new or gone,
/// and their own lines say so.
pub fn group_by_clause(documents: &[DocChange]) -> Vec<ClauseChange> {
    let mut groups: BTreeMap<(String, ClauseChangeKind, String), ClauseChange> = BTreeMap::new();
    for doc in documents
        .iter()
        .filter(|d| d.status == ChangeStatus::Changed)
    {
        let at = DocRef {
            school: doc.school.clone(),
            policy: doc.policy.clone(),
            audience: doc.audience.clone(),
        };
        let added = doc.added.iter().map(|c| {
            (
                ClauseChangeKind::Added,
                &c.id,
                c.text.clone(),
                Vec::new(),
                None,
            )
        });
        let removed = doc.removed.iter().map(|c| {
            (
                ClauseChangeKind::Removed,
                &c.id,
                c.text.clone(),
                Vec::new(),
                None,
            )
        });
        let reworded = doc.reworded.iter().map(|c| {
            let editorial = c.editorial.clone();
            (
                ClauseChangeKind::Reworded,
                &c.id,
                diff_text(&c.diff),
                c.diff.clone(),
                editorial,
            )
        });
        for (change, id, text, diff, editorial) in added.chain(removed).chain(reworded) {
            groups
                .entry((id.clone(), change, text.clone()))
                .or_insert_with(|| ClauseChange {
                    id: id.clone(),
                    change,
                    text,
                    diff,
                    editorial,
                    documents: Vec::new(),
                })
                .documents
                .push(at.clone());
        }
    }
    groups.into_values().collect()
}

/// The documents of a group for people: by school, each with its audiences
/// (`policy-audience` when the group spans more than one policy).
pub fn documents_text(documents: &[DocRef]) -> String {
    let policies: BTreeSet<&str> = documents.iter().map(|d| d.policy.as_str()).collect();
    let mut by_school: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in documents {
        let name = if policies.len() > 1 {
            format!("{}-{}", d.policy, d.audience)
        } else {
            d.audience.clone()
        };
        by_school.entry(d.school.as_str()).or_default().push(name);
    }
    by_school
        .iter()
        .map(|(school, names)| format!("{school} ({})", names.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn summarise(documents: &[DocChange]) -> Vec<SchoolSummary> {
    let mut by_school: BTreeMap<&str, Vec<&DocChange>> = BTreeMap::new();
    for d in documents {
        by_school.entry(d.school.as_str()).or_default().push(d);
    }
    by_school
        .into_iter()
        .map(|(school, docs)| summarise_school(school, &docs))
        .collect()
}

/// One school's summary: what changed, who signs again, what is withdrawn.
fn summarise_school(school: &str, docs: &[&DocChange]) -> SchoolSummary {
    let audiences = |keep: &dyn Fn(&DocChange) -> bool| -> Vec<String> {
        docs.iter()
            .filter(|d| keep(d))
            .map(|d| d.audience.clone())
            .collect()
    };
    let current = docs
        .iter()
        .filter(|d| d.status != ChangeStatus::Removed)
        .count();
    let changed = docs
        .iter()
        .filter(|d| matches!(d.status, ChangeStatus::New | ChangeStatus::Changed))
        .count();
    let sign_again = audiences(&|d| d.sign_again);
    let editorial = audiences(&|d| d.editorial_only);
    let withdrawn = audiences(&|d| d.status == ChangeStatus::Removed);
    let removed = current == 0 && !withdrawn.is_empty();
    let line = if removed {
        format!(
            "{school}: removed from the project; {} withdrawn ({})",
            plural(withdrawn.len(), "document"),
            withdrawn.join(", ")
        )
    } else {
        let mut parts = vec![if changed == 0 {
            format!("{}, none changed", plural(current, "document"))
        } else {
            format!("{changed} of {} changed", plural(current, "document"))
        }];
        parts.push(if sign_again.is_empty() {
            "nobody needs to sign again".to_string()
        } else {
            format!("must sign again: {}", sign_again.join(", "))
        });
        if !editorial.is_empty() {
            parts.push(format!("editorial changes only: {}", editorial.join(", ")));
        }
        if !withdrawn.is_empty() {
            parts.push(format!("withdrawn: {}", withdrawn.join(", ")));
        }
        format!("{school}: {}", parts.join("; "))
    };
    SchoolSummary {
        school: school.to_string(),
        removed,
        documents: current,
        sign_again,
        editorial,
        withdrawn,
        line,
    }
}

/// Each document's ID with its editorial edits undone, and each marked
/// clause's reason: what `changes` needs to tell an editorial change from
/// one people must sign again.
pub fn editorial_marks(resolved: &Resolved) -> Editorial {
    Editorial {
        reasons: editorial::reasons(&resolved.project),
        unedited: editorial::unedited(&resolved.project, &resolved.schools),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::manifest::ManifestClause;

    fn doc(audience: &str, id: &str, clauses: &[(&str, &str)]) -> ManifestDoc {
        ManifestDoc {
            school: "s".into(),
            school_name: "S".into(),
            trust: None,
            trust_own: false,
            signers: Vec::new(),
            policy: "aup".into(),
            audience: audience.into(),
            audience_label: audience.into(),
            title: "T".into(),
            doc_id: id.into(),
            notice: false,
            consent: Vec::new(),
            version: "1".into(),
            approved_by: "B".into(),
            approved_on: "1 September 2026".into(),
            review_by: "1 September 2027".into(),
            input_hash: String::new(),
            outputs: BTreeMap::new(),
            inputs: Vec::new(),
            clauses: clauses
                .iter()
                .map(|(id, text)| ManifestClause {
                    id: id.to_string(),
                    section: "x".into(),
                    label: "1.".into(),
                    origin: crate::model::files::Origin::Library,
                    file: String::new(),
                    placeholders: Vec::new(),
                    text: text.to_string(),
                })
                .collect(),
        }
    }

    fn manifest(docs: Vec<ManifestDoc>) -> Manifest {
        Manifest {
            policyc: String::new(),
            typst: String::new(),
            documents: docs,
            booklets: Vec::new(),
        }
    }

    #[test]
    fn reports_added_removed_and_reworded_clauses() {
        let old = manifest(vec![
            doc(
                "staff",
                "A",
                &[("a", "I will lock my screen."), ("b", "Gone soon.")],
            ),
            doc("ks2", "K", &[("p", "Be kind.")]),
        ]);
        let new = manifest(vec![
            doc(
                "staff",
                "B",
                &[("a", "I will always lock my screen."), ("c", "Brand new.")],
            ),
            doc("ks2", "K", &[("p", "Be kind.")]),
        ]);
        let report = compare(&old, &new, &Editorial::default());
        let staff = report
            .documents
            .iter()
            .find(|d| d.audience == "staff")
            .unwrap();
        assert_eq!(staff.status, ChangeStatus::Changed);
        assert!(staff.sign_again);
        assert_eq!(staff.added[0].id, "c");
        assert_eq!(staff.removed[0].id, "b");
        assert_eq!(
            diff_text(&staff.reworded[0].diff),
            "I will {+always +}lock my screen."
        );
        let ks2 = report
            .documents
            .iter()
            .find(|d| d.audience == "ks2")
            .unwrap();
        assert_eq!(ks2.status, ChangeStatus::Unchanged);
        assert_eq!(
            report.schools[0].line,
            "s: 1 of 2 documents changed; must sign again: staff"
        );
    }

    #[test]
    fn a_changed_consent_form_asks_for_renewal_not_signatures() {
        let form = |id: &str, text: &str| {
            let mut d = doc("parent", id, &[("uses", text)]);
            d.consent = vec!["website".into()];
            d
        };
        let old = manifest(vec![form("A", "Photos on the website.")]);
        let new = manifest(vec![form("B", "Photos on the website and in the press.")]);
        let report = compare(&old, &new, &Editorial::default());
        let change = &report.documents[0];
        assert!(!change.sign_again && change.renew_consent, "{change:?}");
        let same = compare(&old, &old, &Editorial::default());
        assert!(!same.documents.iter().any(|d| d.renew_consent));
    }

    #[test]
    fn new_and_removed_documents() {
        let old = manifest(vec![doc("volunteer", "V", &[])]);
        let new = manifest(vec![doc("parent", "P", &[("x", "Hi.")])]);
        let report = compare(&old, &new, &Editorial::default());
        let statuses: Vec<_> = report
            .documents
            .iter()
            .map(|d| (d.audience.as_str(), d.status, d.sign_again))
            .collect();
        assert_eq!(
            statuses,
            vec![
                ("parent", ChangeStatus::New, true),
                ("volunteer", ChangeStatus::Removed, false)
            ]
        );
    }
}
