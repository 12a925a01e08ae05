//! The people who sign: a school's roster and its sign-off ledger, as read
//! from `people/<school>/roster.csv` and `people/<school>/signed.csv`.
//!
//! This is personal data (names of children and staff). It never reaches
//! `out/`'s public pages, the manifest or the build log: only counts do.

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
    /// The 1-based line of the roster that lists them.
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
    /// Project-relative path of the file.
    pub file: String,
    /// Everyone on it, in file order.
    pub people: Vec<Person>,
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
