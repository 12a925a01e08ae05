//! Editorial marks: a clause's claim that its wording differs from the
//! published one only editorially (a typo, a spelling), with the exact
//! edits, so `changes` can undo them and prove nothing else changed.

use serde::Deserialize;

/// An editorial mark on a clause: why the edit changes no meaning, and the
/// exact edits, so `changes` can undo them and check that nothing else in
/// a document changed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditorialMark {
    /// Why the edit changes no meaning, for the reader of `changes`.
    pub reason: String,
    /// Each edit: the text it was and the text it is now, as written in the
    /// clause file.
    pub fixes: Vec<EditorialFix>,
}

/// One editorial edit of a clause's text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditorialFix {
    /// The text before the edit.
    pub was: String,
    /// The text after the edit, as the clause file now has it.
    pub now: String,
}

impl EditorialMark {
    /// Whether the mark can be used at all: it gives a reason and at least
    /// one fix. `check` warns about one that cannot.
    pub fn is_usable(&self) -> bool {
        !self.reason.trim().is_empty() && !self.fixes.is_empty()
    }

    /// `text` with every fix undone, last fix first.
    pub fn undo(&self, text: &str) -> String {
        self.fixes
            .iter()
            .rev()
            .fold(text.to_string(), |acc, fix| acc.replace(&fix.now, &fix.was))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_reverses_fixes_last_first() {
        let mark = EditorialMark {
            reason: "spelling".into(),
            fixes: vec![
                EditorialFix {
                    was: "licence".into(),
                    now: "license".into(),
                },
                EditorialFix {
                    was: "license".into(),
                    now: "licence to".into(),
                },
            ],
        };
        assert_eq!(mark.undo("under licence to use"), "under licence use");
    }
}
