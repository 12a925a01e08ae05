//! The people who sign: a school's roster and its sign-off ledger, as read
//! from `people/<school>/roster.csv` and `people/<school>/signed.csv`.
//!
//! This is personal data (names of children and staff). It never reaches
//! `out/`'s public pages, the manifest or the build log: only counts do.

use serde::Deserialize;
use std::collections::BTreeMap;

/// One person on a school's roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Their name as it should be printed, in any script.
    pub name: String,
    /// The audience whose agreement they sign (`staff`, `ks2`, `parent`…).
    pub audience: String,
    /// Class or form (pupils), or staff group.
    pub class: Option<String>,
    /// Role or job title.
    pub role: Option<String>,
    /// Email address, for a pre-filled form link.
    pub email: Option<String>,
    /// On a parent's row: the child they sign for.
    pub child: Option<String>,
    /// The project-relative path of the roster file that lists them.
    pub file: String,
    /// The 1-based line (a workbook's row) of that file that lists them.
    pub line: usize,
}

impl Person {
    /// Who they are for matching a ledger row: audience, name, class and
    /// child, compared without regard to case or spacing.
    pub fn identity(&self) -> Identity {
        Identity::new(
            &self.audience,
            &self.name,
            self.class.as_deref(),
            self.child.as_deref(),
        )
    }
}

/// A person's identity, normalised: lower case, single spaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Identity {
    /// Audience id.
    pub audience: String,
    /// Normalised name.
    pub name: String,
    /// Normalised class, if given.
    pub class: Option<String>,
    /// Normalised child's name, if given.
    pub child: Option<String>,
}

impl Identity {
    /// Builds a normalised identity.
    pub fn new(audience: &str, name: &str, class: Option<&str>, child: Option<&str>) -> Self {
        Self {
            audience: audience.trim().to_string(),
            name: normalise(name),
            class: class.map(normalise).filter(|c| !c.is_empty()),
            child: child.map(normalise).filter(|c| !c.is_empty()),
        }
    }
}

/// Lower case with runs of white space made one space, so "Amira  KHAN"
/// and "amira khan" are the same person.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A school's roster.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roster {
    /// Project-relative paths of the files read, in name order.
    pub files: Vec<String>,
    /// Everyone on it, in file order.
    pub people: Vec<Person>,
}

/// How one roster file's columns read as policyc's, from the school's
/// `people/<school>/columns.yaml`: an HR or MIS export is read as it is
/// exported, never edited by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterLayout {
    /// policyc's column → the export's header cell, or several cells
    /// joined with a space (`name: [Forename, Surname]`).
    #[serde(default)]
    pub columns: BTreeMap<String, Headers>,
    /// The audience of everyone in a file that has no audience column
    /// (an HR export lists only staff).
    #[serde(default)]
    pub audience: Option<String>,
    /// The export's values of the audience column → audience ids
    /// (`Year 3: ks2`); a value not listed is read as it is.
    #[serde(default)]
    pub audiences: BTreeMap<String, String>,
}

/// One header cell, or several joined in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Headers {
    /// One cell.
    One(String),
    /// Several cells, joined with a space.
    Joined(Vec<String>),
}

impl RosterLayout {
    /// Each of `known` columns this layout maps, with a header cell it
    /// reads, in the layout's order (one entry per joined cell).
    pub fn header_map(&self, known: &[&'static str]) -> Vec<(&'static str, String)> {
        let mut map = Vec::new();
        for column in known {
            match self.columns.get(*column) {
                Some(Headers::One(h)) => map.push((*column, h.clone())),
                Some(Headers::Joined(hs)) => map.extend(hs.iter().map(|h| (*column, h.clone()))),
                None => {}
            }
        }
        map
    }

    /// A row's audience: its cell read through `audiences`, or the file's
    /// one audience when it has no audience column.
    pub fn audience_of(&self, cell: Option<String>) -> Option<String> {
        match cell {
            Some(value) => Some(
                self.audiences
                    .iter()
                    .find(|(from, _)| from.trim().eq_ignore_ascii_case(value.trim()))
                    .map_or(value, |(_, to)| to.clone()),
            ),
            None => self.audience.clone(),
        }
    }
}

impl Roster {
    /// The roster's files for a message: `people/a/roster.csv`, or
    /// `people/a/roster-hr.csv and people/a/roster-mis.xlsx`.
    pub fn described(&self) -> String {
        match self.files.split_last() {
            None => "the roster".into(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}

/// One recorded signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The signer's name as recorded.
    pub name: String,
    /// Their audience.
    pub audience: String,
    /// Their class, when the ledger records it.
    pub class: Option<String>,
    /// On a parent's row: the child.
    pub child: Option<String>,
    /// The document ID they signed, as printed in its footer.
    pub doc_id: String,
    /// When they signed, `YYYY-MM-DD`.
    pub signed_on: String,
    /// The 1-based line of the ledger.
    pub line: usize,
}

/// A school's sign-off ledger.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ledger {
    /// Project-relative path of the file.
    pub file: String,
    /// Every signature, in file order.
    pub rows: Vec<Signature>,
}

/// Every school's roster and ledger, by school id, with the text of each
/// file read (for excerpts in diagnostics).
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Rosters by school id.
    pub rosters: BTreeMap<String, Roster>,
    /// Ledgers by school id.
    pub ledgers: BTreeMap<String, Ledger>,
    /// Consent ledgers by school id.
    pub consents: BTreeMap<String, crate::model::consent::ConsentLedger>,
    /// The text of each file, by project-relative path.
    pub sources: BTreeMap<String, String>,
}

impl People {
    /// Whether the project has any roster at all.
    pub fn is_empty(&self) -> bool {
        self.rosters.is_empty() && self.ledgers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_regard_to_case_or_spacing() {
        let a = Identity::new("ks2", "Amira  KHAN", Some("Year 4 Oak"), None);
        let b = Identity::new("ks2", " amira khan", Some("year 4  oak"), None);
        assert_eq!(a, b);
        let other_class = Identity::new("ks2", "Amira Khan", Some("Year 5 Ash"), None);
        assert_ne!(a, other_class);
    }

    #[test]
    fn names_in_any_script_survive_normalising() {
        assert_eq!(normalise("Łucja  Wiśniewska"), "łucja wiśniewska");
        assert_eq!(normalise("王 芳"), "王 芳");
        assert_eq!(normalise("Siân ap Rhys"), "siân ap rhys");
    }
}
