//! Consent: a decision per child and purpose, unlike an acknowledgement
//! ("I have read this"). Given, refused or withdrawn, with a date and who
//! decided; the latest decision stands. For images each purpose stands
//! alone (UK GDPR consent). For biometrics the Protection of Freedoms Act
//! 2012, ss26–27, sets who decides: each parent is notified in writing, one
//! parent's written consent is needed, no parent may object, and the
//! child's own objection overrides everything.
//!
//! The decisions are personal data, read from `people/<school>/consent.csv`;
//! the rules here are pure functions over them.

use serde::Deserialize;

/// What a purpose is for, which sets the rule its decisions follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PurposeKind {
    /// Photos and video, per purpose: the latest decision stands.
    Image,
    /// Fingerprint or face recognition (Protection of Freedoms Act 2012).
    Biometric,
}

/// A purpose a school asks consent for, as `policyc.yaml` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Its id, as the ledger names it: `website`.
    pub id: String,
    /// What it is, for a reader: "Photos on the school website".
    pub label: String,
    /// Which rule its decisions follow.
    pub kind: PurposeKind,
}

/// The consent settings in `policyc.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentSettings {
    /// The purposes consent is asked for, in the order reports list them.
    #[serde(default)]
    pub purposes: Vec<Purpose>,
}

/// What a ledger line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Choice {
    /// Consent given.
    Given,
    /// Consent refused (for a biometric purpose: an objection).
    Refused,
    /// Consent withdrawn: it ends from this date.
    Withdrawn,
    /// A parent was told in writing of the biometric processing planned.
    Notified,
}

impl Choice {
    /// Reads a ledger cell: `given`, `refused`, `withdrawn` or `notified`
    /// (and the words a form export commonly uses: yes, no, objected).
    pub fn parse(cell: &str) -> Option<Self> {
        match cell.trim().to_lowercase().as_str() {
            "given" | "yes" | "consent" | "consented" => Some(Choice::Given),
            "refused" | "no" | "objected" | "objects" | "objection" => Some(Choice::Refused),
            "withdrawn" | "withdraw" => Some(Choice::Withdrawn),
            "notified" => Some(Choice::Notified),
            _ => None,
        }
    }
}

/// A consent ledger line as written: `people/<school>/consent.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRow {
    /// The child's name, as the roster has it.
    pub child: String,
    /// The child's class, to tell two children with one name apart.
    pub class: Option<String>,
    /// The purpose id.
    pub purpose: String,
    /// What was decided.
    pub choice: Choice,
    /// When, `YYYY-MM-DD`.
    pub date: String,
    /// Who decided: a parent's name as the roster has it, or `pupil`.
    pub by: String,
    /// The document ID of the consent form answered, when recorded: a
    /// consent is given to that wording.
    pub form: Option<String>,
    /// The 1-based line.
    pub line: usize,
}

/// A school's consent ledger.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConsentLedger {
    /// Project-relative path of the file.
    pub file: String,
    /// Every line, in file order.
    pub rows: Vec<ConsentRow>,
}

/// Who made a decision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Decider {
    /// A parent or carer on the roster, by normalised name.
    Parent(String),
    /// The pupil themself.
    Pupil,
}

/// One line of a consent ledger, checked against the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The child's roster line, as the key it is counted under.
    pub child_line: usize,
    /// The purpose id.
    pub purpose: String,
    /// What was decided.
    pub choice: Choice,
    /// When, `YYYY-MM-DD`.
    pub date: String,
    /// Who decided.
    pub by: Decider,
    /// The document ID of the consent form answered, when recorded.
    pub form: Option<String>,
    /// The 1-based ledger line.
    pub line: usize,
}

/// Where a child stands for one purpose.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// Consent stands: the school may use the purpose.
    Consented,
    /// Refused: the school may not.
    Refused,
    /// Withdrawn on this date: the school may not from then.
    Withdrawn(String),
    /// (Biometric) the child objects, whatever any parent decided.
    ChildObjects,
    /// (Biometric) a parent objects.
    ParentObjects,
    /// Consent was given to a form whose wording has since changed in a
    /// way that matters: the school asks again, and until the new answer
    /// may not rely on it.
    Renew,
    /// Nobody has answered yet: the school may not.
    Unanswered,
}

impl Standing {
    /// Whether the school may use the purpose for this child.
    pub fn allows(&self) -> bool {
        *self == Standing::Consented
    }

    /// The word reports use.
    pub fn label(&self) -> &'static str {
        match self {
            Standing::Consented => "consented",
            Standing::Refused => "refused",
            Standing::Withdrawn(_) => "withdrawn",
            Standing::ChildObjects => "child objects",
            Standing::ParentObjects => "parent objects",
            Standing::Renew => "to renew",
            Standing::Unanswered => "not answered",
        }
    }
}

/// The latest decision (not a notification) in `decisions`, by date and
/// then by ledger line: a later line on the same day wins.
fn latest<'a>(decisions: impl IntoIterator<Item = &'a Decision>) -> Option<&'a Decision> {
    decisions
        .into_iter()
        .filter(|d| d.choice != Choice::Notified)
        .max_by(|a, b| (&a.date, a.line).cmp(&(&b.date, b.line)))
}

/// Whether `d` gave consent to a wording that is no longer current.
/// `current` holds the IDs of the forms that ask about its purpose now
/// (with any editorial edit undone as well); a decision with no recorded
/// form, or a purpose no form asks about, is never outdated.
pub fn outdated(d: &Decision, current: &[String]) -> bool {
    d.choice == Choice::Given
        && !current.is_empty()
        && d.form.as_ref().is_some_and(|f| !current.contains(f))
}

/// The standing of one image purpose: the latest decision, whoever made
/// it, stands; a withdrawal ends consent from its date; a consent to a
/// changed wording must be renewed.
pub fn image_standing(decisions: &[&Decision], current: &[String]) -> Standing {
    match latest(decisions.iter().copied()) {
        None => Standing::Unanswered,
        Some(d) => match d.choice {
            Choice::Given if outdated(d, current) => Standing::Renew,
            Choice::Given => Standing::Consented,
            Choice::Refused => Standing::Refused,
            Choice::Withdrawn => Standing::Withdrawn(d.date.clone()),
            Choice::Notified => Standing::Unanswered,
        },
    }
}

/// The standing of one biometric purpose, and the parents on the roster
/// (normalised names) who have not been notified. The child's latest
/// objection wins over everything; then any parent's latest objection;
/// then at least one parent's latest consent, to the current wording (a
/// consent only to a changed wording must be renewed).
pub fn biometric_standing(
    decisions: &[&Decision],
    parents: &[String],
    current: &[String],
) -> (Standing, Vec<String>) {
    let of = |who: &Decider| latest(decisions.iter().copied().filter(|d| &d.by == who));
    let objects = |d: Option<&Decision>| {
        d.is_some_and(|d| matches!(d.choice, Choice::Refused | Choice::Withdrawn))
    };
    let unnotified: Vec<String> = parents
        .iter()
        .filter(|p| {
            !decisions
                .iter()
                .any(|d| d.choice == Choice::Notified && d.by == Decider::Parent((*p).clone()))
        })
        .cloned()
        .collect();
    let parent_latest: Vec<&Decision> = parents
        .iter()
        .filter_map(|p| of(&Decider::Parent(p.clone())))
        .collect();
    let standing = if objects(of(&Decider::Pupil)) {
        Standing::ChildObjects
    } else if parent_latest
        .iter()
        .any(|d| matches!(d.choice, Choice::Refused | Choice::Withdrawn))
    {
        Standing::ParentObjects
    } else if parent_latest
        .iter()
        .any(|d| d.choice == Choice::Given && !outdated(d, current))
    {
        Standing::Consented
    } else if parent_latest.iter().any(|d| d.choice == Choice::Given) {
        Standing::Renew
    } else {
        Standing::Unanswered
    };
    (standing, unnotified)
}

/// A withdrawal by someone with no earlier consent for the same child and
/// purpose: nothing to withdraw, so usually a wrong line or a wrong date.
/// `decisions` are one child's for one purpose.
pub fn withdrawn_first<'a>(decisions: &[&'a Decision]) -> Vec<&'a Decision> {
    decisions
        .iter()
        .copied()
        .filter(|w| w.choice == Choice::Withdrawn)
        .filter(|w| {
            !decisions.iter().any(|d| {
                d.choice == Choice::Given && d.by == w.by && (&d.date, d.line) < (&w.date, w.line)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(line: usize, choice: Choice, date: &str, by: Decider) -> Decision {
        Decision {
            child_line: 2,
            purpose: "p".into(),
            choice,
            date: date.into(),
            by,
            form: None,
            line,
        }
    }

    fn parent(name: &str) -> Decider {
        Decider::Parent(name.into())
    }

    fn refs(all: &[Decision]) -> Vec<&Decision> {
        all.iter().collect()
    }

    #[test]
    fn for_images_the_latest_decision_stands_and_a_withdrawal_ends_consent_from_its_date() {
        let all = [
            d(2, Choice::Given, "2026-09-10", parent("a")),
            d(3, Choice::Withdrawn, "2026-11-02", parent("a")),
        ];
        assert_eq!(
            image_standing(&refs(&all), &[]),
            Standing::Withdrawn("2026-11-02".into())
        );
        assert_eq!(image_standing(&refs(&all[..1]), &[]), Standing::Consented);
        assert_eq!(image_standing(&[], &[]), Standing::Unanswered);
        let again = [
            d(2, Choice::Withdrawn, "2026-11-02", parent("a")),
            d(3, Choice::Given, "2026-11-20", parent("a")),
        ];
        assert_eq!(
            image_standing(&refs(&again), &[]),
            Standing::Consented,
            "a new consent after a withdrawal"
        );
    }

    #[test]
    fn the_latest_decision_is_by_date_whatever_the_line_order() {
        let all = [
            d(5, Choice::Refused, "2026-09-01", parent("a")),
            d(2, Choice::Given, "2026-10-01", parent("a")),
        ];
        assert_eq!(image_standing(&refs(&all), &[]), Standing::Consented);
    }

    #[test]
    fn one_parent_s_written_consent_is_enough_for_biometrics_when_nobody_objects() {
        let parents = ["a".to_string(), "b".to_string()];
        let all = [
            d(2, Choice::Notified, "2026-09-01", parent("a")),
            d(3, Choice::Notified, "2026-09-01", parent("b")),
            d(4, Choice::Given, "2026-09-05", parent("a")),
        ];
        assert_eq!(
            biometric_standing(&refs(&all), &parents, &[]),
            (Standing::Consented, vec![])
        );
    }

    #[test]
    fn any_parent_s_objection_stops_biometrics_even_with_the_other_s_consent() {
        let parents = ["a".to_string(), "b".to_string()];
        let all = [
            d(2, Choice::Given, "2026-09-05", parent("a")),
            d(3, Choice::Refused, "2026-09-06", parent("b")),
        ];
        let (standing, unnotified) = biometric_standing(&refs(&all), &parents, &[]);
        assert_eq!(standing, Standing::ParentObjects);
        assert_eq!(unnotified, ["a", "b"], "neither was notified in writing");
    }

    #[test]
    fn the_child_s_objection_wins_over_every_parent_s_consent() {
        let parents = ["a".to_string()];
        let all = [
            d(2, Choice::Given, "2026-09-05", parent("a")),
            d(3, Choice::Refused, "2026-09-04", Decider::Pupil),
        ];
        assert_eq!(
            biometric_standing(&refs(&all), &parents, &[]).0,
            Standing::ChildObjects
        );
        let later = [
            d(2, Choice::Refused, "2026-09-04", Decider::Pupil),
            d(3, Choice::Given, "2026-09-20", Decider::Pupil),
            d(4, Choice::Given, "2026-09-05", parent("a")),
        ];
        assert_eq!(
            biometric_standing(&refs(&later), &parents, &[]).0,
            Standing::Consented,
            "a child who withdraws the objection no longer objects"
        );
    }

    #[test]
    fn a_parent_s_withdrawal_is_an_objection_and_no_answer_is_no_consent() {
        let parents = ["a".to_string()];
        let all = [
            d(2, Choice::Given, "2026-09-05", parent("a")),
            d(3, Choice::Withdrawn, "2026-10-05", parent("a")),
        ];
        assert_eq!(
            biometric_standing(&refs(&all), &parents, &[]).0,
            Standing::ParentObjects
        );
        assert_eq!(
            biometric_standing(&[], &parents, &[]).0,
            Standing::Unanswered
        );
    }

    #[test]
    fn a_withdrawal_needs_an_earlier_consent_by_the_same_person() {
        let all = [
            d(2, Choice::Given, "2026-09-05", parent("a")),
            d(3, Choice::Withdrawn, "2026-09-01", parent("a")),
            d(4, Choice::Withdrawn, "2026-10-01", parent("b")),
            d(5, Choice::Withdrawn, "2026-10-01", parent("a")),
        ];
        let lines: Vec<usize> = withdrawn_first(&refs(&all))
            .iter()
            .map(|d| d.line)
            .collect();
        assert_eq!(lines, [3, 4]);
    }

    #[test]
    fn a_consent_to_a_changed_wording_must_be_renewed_but_a_refusal_stands() {
        let current = ["NEW".to_string()];
        let mut given = d(2, Choice::Given, "2026-09-05", parent("a"));
        given.form = Some("OLD".into());
        assert_eq!(image_standing(&[&given], &current), Standing::Renew);
        assert!(!Standing::Renew.allows());
        assert_eq!(
            image_standing(&[&given], &[]),
            Standing::Consented,
            "no form asks about it now"
        );
        let mut refused = d(3, Choice::Refused, "2026-09-06", parent("a"));
        refused.form = Some("OLD".into());
        assert_eq!(image_standing(&[&refused], &current), Standing::Refused);
        let mut renewed = d(4, Choice::Given, "2026-10-01", parent("a"));
        renewed.form = Some("NEW".into());
        assert_eq!(
            image_standing(&[&given, &renewed], &current),
            Standing::Consented
        );
        let unrecorded = d(5, Choice::Given, "2026-09-05", parent("a"));
        assert_eq!(
            image_standing(&[&unrecorded], &current),
            Standing::Consented,
            "no form recorded"
        );
    }

    #[test]
    fn biometric_consent_needs_one_parent_s_consent_to_the_current_wording() {
        let parents = ["a".to_string(), "b".to_string()];
        let current = ["NEW".to_string()];
        let mut old = d(2, Choice::Given, "2026-09-05", parent("a"));
        old.form = Some("OLD".into());
        assert_eq!(
            biometric_standing(&[&old], &parents, &current).0,
            Standing::Renew
        );
        let mut new = d(3, Choice::Given, "2026-10-05", parent("b"));
        new.form = Some("NEW".into());
        assert_eq!(
            biometric_standing(&[&old, &new], &parents, &current).0,
            Standing::Consented
        );
    }

    #[test]
    fn ledger_words_read_as_choices() {
        assert_eq!(Choice::parse(" Yes "), Some(Choice::Given));
        assert_eq!(Choice::parse("objected"), Some(Choice::Refused));
        assert_eq!(Choice::parse("Withdrawn"), Some(Choice::Withdrawn));
        assert_eq!(Choice::parse("maybe"), None);
    }
}
