//! The consent report: for each school with a consent ledger, each purpose
//! and each pupil on the roster, where they stand (consented, refused,
//! withdrawn, objecting or not answered), and for biometrics the parents
//! not yet notified in writing. Every ledger line is checked against the
//! roster and the purposes first; a line that names nobody on the roster,
//! an unknown purpose, or someone who is not that child's parent is an
//! error at its line, and then no report is made for that school.
//!
//! Names are personal data: the report keeps them only when asked
//! (`--names`), and its text renderers print counts otherwise.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diag::Code;
use crate::diag::{suggestion, Diagnostic, Diagnostics};
use crate::model::consent::{
    biometric_standing, image_standing, withdrawn_first, Choice, ConsentLedger, ConsentRow,
    Decider, Decision, Purpose, PurposeKind, Standing,
};
use crate::model::people::{normalise, Person, Roster};

/// Where every school stands.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ConsentReport {
    /// One entry per school with a consent ledger.
    pub schools: Vec<SchoolConsent>,
}

/// One school's consent, purpose by purpose.
#[derive(Debug, Clone, Serialize)]
pub struct SchoolConsent {
    /// School id.
    pub school: String,
    /// The school's name, for people reading the report.
    pub name: String,
    /// Each purpose, in `policyc.yaml`'s order.
    pub purposes: Vec<PurposeConsent>,
}

/// One purpose at one school.
#[derive(Debug, Clone, Serialize)]
pub struct PurposeConsent {
    /// Purpose id.
    pub purpose: String,
    /// What it is.
    pub label: String,
    /// How many pupils stand each way, by [`Standing::label`].
    pub counts: BTreeMap<String, usize>,
    /// How many parents on the roster have not been notified in writing
    /// (biometric purposes only).
    pub not_notified: usize,
    /// Each pupil, when names were asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pupils: Vec<PupilConsent>,
}

/// One pupil's standing for one purpose.
#[derive(Debug, Clone, Serialize)]
pub struct PupilConsent {
    /// Their name, as the roster has it.
    pub name: String,
    /// Their class.
    pub class: Option<String>,
    /// Where they stand.
    pub standing: String,
    /// Since when, for a withdrawal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Whether the school may use the purpose for them.
    pub allowed: bool,
    /// Parents on the roster not notified in writing (biometrics).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_notified: Vec<String>,
}

impl PurposeConsent {
    /// How many pupils have not answered.
    pub fn unanswered(&self) -> usize {
        self.counts
            .get(Standing::Unanswered.label())
            .copied()
            .unwrap_or(0)
    }
}

/// One school's report, or `None` with the errors in its ledger pushed to
/// `diags`. `pupil_audiences`
/// are the audiences whose roster lines are pupils; `class` keeps only
/// that class (already normalised), `names` keeps each pupil's line.
pub fn school_consent(
    school: &str,
    roster: &Roster,
    ledger: &ConsentLedger,
    source: &str,
    purposes: &[Purpose],
    select: &Select<'_>,
    diags: &mut Diagnostics,
) -> Option<SchoolConsent> {
    let pupils: Vec<&Person> = roster
        .people
        .iter()
        .filter(|p| select.pupil_audiences.contains(&p.audience.as_str()))
        .collect();
    let mut problems = Vec::new();
    let mut decisions = Vec::new();
    for row in &ledger.rows {
        match decision(row, &pupils, roster, purposes, &ledger.file) {
            Ok(d) => decisions.push(d),
            Err((problem, cell)) => problems.push(problem.at_in_line(source, row.line, &cell)),
        }
    }
    let mut by_key: BTreeMap<(usize, &str), Vec<&Decision>> = BTreeMap::new();
    for d in &decisions {
        by_key
            .entry((d.child_line, d.purpose.as_str()))
            .or_default()
            .push(d);
    }
    for list in by_key.values() {
        for w in withdrawn_first(list) {
            problems.push(
                Diagnostic::error(Code::ConsentWithdrawnFirst, &ledger.file, "this line withdraws a consent that the same person had not given before it")
                    .at(source, w.line, 1)
                    .with_hint("check the date and who decided: a withdrawal follows that person's consent; a first answer of no is `refused`"),
            );
        }
    }
    if !problems.is_empty() {
        diags.extend(problems);
        return None;
    }
    let shown: Vec<&&Person> = pupils
        .iter()
        .filter(|p| {
            select
                .class
                .is_none_or(|c| p.class.as_deref().is_some_and(|pc| class_key(pc) == c))
        })
        .collect();
    let purposes = purposes
        .iter()
        .map(|purpose| {
            let mut entry = PurposeConsent {
                purpose: purpose.id.clone(),
                label: purpose.label.clone(),
                counts: BTreeMap::new(),
                not_notified: 0,
                pupils: Vec::new(),
            };
            for pupil in &shown {
                let list = by_key
                    .get(&(pupil.line, purpose.id.as_str()))
                    .cloned()
                    .unwrap_or_default();
                let current = select
                    .current_forms
                    .get(&purpose.id)
                    .map_or(&[][..], Vec::as_slice);
                let (standing, unnotified) = match purpose.kind {
                    PurposeKind::Image => (image_standing(&list, current), Vec::new()),
                    PurposeKind::Biometric => {
                        let parents: Vec<String> = parents_of(pupil, roster)
                            .iter()
                            .map(|p| normalise(&p.name))
                            .collect();
                        biometric_standing(&list, &parents, current)
                    }
                };
                *entry
                    .counts
                    .entry(standing.label().to_string())
                    .or_default() += 1;
                entry.not_notified += unnotified.len();
                if select.names {
                    entry.pupils.push(PupilConsent {
                        name: pupil.name.clone(),
                        class: pupil.class.clone(),
                        standing: standing.label().to_string(),
                        since: match &standing {
                            Standing::Withdrawn(date) => Some(date.clone()),
                            _ => None,
                        },
                        allowed: standing.allows(),
                        not_notified: parents_of(pupil, roster)
                            .iter()
                            .filter(|p| unnotified.contains(&normalise(&p.name)))
                            .map(|p| p.name.clone())
                            .collect(),
                    });
                }
            }
            entry
        })
        .collect();
    Some(SchoolConsent {
        school: school.to_string(),
        name: school.to_string(),
        purposes,
    })
}

/// What a report is about.
#[derive(Debug, Clone, Default)]
pub struct Select<'a> {
    /// The audiences whose roster lines are pupils.
    pub pupil_audiences: Vec<&'a str>,
    /// Only this class, as [`class_key`] spells it.
    pub class: Option<&'a str>,
    /// Keep each pupil's line (personal data).
    pub names: bool,
    /// For each purpose, the document IDs of the school's consent forms
    /// that ask about it now (and each with its editorial edits undone):
    /// a consent given to any other recorded form must be renewed.
    pub current_forms: BTreeMap<String, Vec<String>>,
}

/// A class name for comparing: case, spaces, hyphens and underscores
/// aside, as `signoff --class` compares them.
pub fn class_key(class: &str) -> String {
    normalise(&class.replace(['-', '_'], " "))
}

/// The roster's parent lines for `pupil`.
fn parents_of<'r>(pupil: &Person, roster: &'r Roster) -> Vec<&'r Person> {
    let child = normalise(&pupil.name);
    roster
        .people
        .iter()
        .filter(|p| {
            p.audience == "parent" && p.child.as_deref().map(normalise) == Some(child.clone())
        })
        .collect()
}

/// Checks one ledger line against the roster and the purposes.
fn decision(
    row: &ConsentRow,
    pupils: &[&Person],
    roster: &Roster,
    purposes: &[Purpose],
    file: &str,
) -> Result<Decision, (Diagnostic, String)> {
    let Some(purpose) = purposes.iter().find(|p| p.id == row.purpose) else {
        let known: Vec<&str> = purposes.iter().map(|p| p.id.as_str()).collect();
        return Err((
            Diagnostic::error(
                Code::ConsentUnknownPurpose,
                file,
                format!("`{}` is not a purpose in policyc.yaml", row.purpose),
            )
            .with_hint(
                suggestion(&row.purpose, known.iter().copied()).unwrap_or_else(|| {
                    format!(
                    "the purposes are: {}; add new ones under `consent: purposes:` in policyc.yaml",
                    known.join(", ")
                )
                }),
            ),
            row.purpose.clone(),
        ));
    };
    let name = normalise(&row.child);
    let matches: Vec<&&Person> = pupils
        .iter()
        .filter(|p| normalise(&p.name) == name)
        .filter(|p| {
            row.class.as_deref().is_none_or(|c| {
                p.class
                    .as_deref()
                    .is_some_and(|pc| class_key(pc) == class_key(c))
            })
        })
        .collect();
    let pupil = match matches.as_slice() {
        [one] => *one,
        [] => {
            return Err((
                Diagnostic::error(
                    Code::ConsentUnknownChild,
                    file,
                    "the child on this line is not a pupil on the roster".to_string(),
                )
                .with_hint(
                    "spell the name (and class) as roster.csv does, or add the pupil to the roster"
                        .to_string(),
                ),
                row.child.clone(),
            ))
        }
        _ => {
            return Err((
                Diagnostic::error(
                    Code::ConsentAmbiguousChild,
                    file,
                    "two pupils on the roster have the name on this line".to_string(),
                )
                .with_hint("add a `class` column, with the pupil's class on this line".to_string()),
                row.child.clone(),
            ))
        }
    };
    let by = normalise(&row.by);
    let decider = if by == "pupil" || by == name {
        Decider::Pupil
    } else if parents_of(pupil, roster)
        .iter()
        .any(|p| normalise(&p.name) == by)
    {
        Decider::Parent(by)
    } else {
        return Err((Diagnostic::error(Code::ConsentNotAParent, file, "the person who decided on this line is not a parent of this child on the roster".to_string()).with_hint("write the parent's name as the roster's parent line for this child has it (audience `parent`, the child in `child`), or `pupil` for the pupil's own decision".to_string()), row.by.clone()));
    };
    if row.choice == Choice::Notified
        && (decider == Decider::Pupil || purpose.kind != PurposeKind::Biometric)
    {
        let problem = Diagnostic::error(
            Code::ConsentDecision,
            file,
            "`notified` records a parent told in writing of biometric processing".to_string(),
        )
        .with_hint(format!(
            "use `notified` only for a parent and a biometric purpose; `{}` is not one",
            purpose.id
        ));
        return Err((problem, "notified".to_string()));
    }
    Ok(Decision {
        child_line: pupil.line,
        purpose: purpose.id.clone(),
        choice: row.choice,
        date: row.date.clone(),
        by: decider,
        form: row.form.clone(),
        line: row.line,
    })
}

/// The report as a table for people: counts per purpose, and with names
/// each pupil who may not be photographed or processed, and why.
pub fn render_consent_text(report: &ConsentReport) -> String {
    let mut out = String::new();
    for school in &report.schools {
        let _ = writeln!(out, "{} ({})", school.name, school.school);
        let width = school
            .purposes
            .iter()
            .map(|p| p.label.chars().count())
            .max()
            .unwrap_or(0);
        for purpose in &school.purposes {
            let counts: Vec<String> = [
                "consented",
                "refused",
                "withdrawn",
                "parent objects",
                "child objects",
                "to renew",
                "not answered",
            ]
            .iter()
            .filter_map(|k| purpose.counts.get(*k).map(|n| format!("{n} {k}")))
            .collect();
            let mut line = format!("  {:width$}  {}", purpose.label, counts.join("; "));
            if purpose.not_notified > 0 {
                let _ = write!(
                    line,
                    "; {} parent{} not notified",
                    purpose.not_notified,
                    if purpose.not_notified == 1 { "" } else { "s" }
                );
            }
            let _ = writeln!(out, "{line}");
            for pupil in purpose
                .pupils
                .iter()
                .filter(|p| !p.allowed || !p.not_notified.is_empty())
            {
                let since = pupil
                    .since
                    .as_deref()
                    .map(|d| format!(" on {d}"))
                    .unwrap_or_default();
                let class = pupil
                    .class
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                let mut text = format!("      {}{class}: {}{since}", pupil.name, pupil.standing);
                if !pupil.not_notified.is_empty() {
                    let _ = write!(text, "; not notified: {}", pupil.not_notified.join(", "));
                }
                let _ = writeln!(out, "{text}");
            }
        }
    }
    out
}

/// The report as CSV for the MIS: one row per pupil and purpose with
/// names, else one row per purpose and standing with counts. Cells a
/// spreadsheet would run as a formula are neutralised.
pub fn render_consent_csv(report: &ConsentReport, names: bool) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    if names {
        rows.push(
            [
                "school", "purpose", "pupil", "class", "standing", "since", "allowed",
            ]
            .map(String::from)
            .to_vec(),
        );
        for school in &report.schools {
            for purpose in &school.purposes {
                for p in &purpose.pupils {
                    rows.push(vec![
                        school.school.clone(),
                        purpose.purpose.clone(),
                        p.name.clone(),
                        p.class.clone().unwrap_or_default(),
                        p.standing.clone(),
                        p.since.clone().unwrap_or_default(),
                        if p.allowed { "yes" } else { "no" }.to_string(),
                    ]);
                }
            }
        }
    } else {
        rows.push(
            ["school", "purpose", "standing", "pupils"]
                .map(String::from)
                .to_vec(),
        );
        for school in &report.schools {
            for purpose in &school.purposes {
                for (standing, n) in &purpose.counts {
                    rows.push(vec![
                        school.school.clone(),
                        purpose.purpose.clone(),
                        standing.clone(),
                        n.to_string(),
                    ]);
                }
            }
        }
    }
    crate::report::csv::write_csv(&rows)
}
