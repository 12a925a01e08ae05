//! Messages more than one check gives, each worded in one place.

use crate::diag::Code;
use crate::diag::{suggestion, Diagnostic};

/// `a`, `a and b`, `a, b and c` (or with `or`).
pub fn join_list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// `key` in `file` (whose text is `source`) names an audience that does not
/// exist; `known` lists those that do. `key` may be a dotted path
/// (`signature.parent`), and the diagnostic points at the value beneath it.
pub fn unknown_audience(
    file: &str,
    source: &str,
    key: &str,
    id: &str,
    known: &[&str],
) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownAudience,
        file,
        format!("`{key}` names the audience `{id}`, which does not exist"),
    )
    .near_under(source, key, id)
    .with_hint(suggestion(id, known.iter().copied()).unwrap_or_else(|| {
        format!(
            "known audiences: {}; add new ones in policyc.yaml",
            known.join(", ")
        )
    }))
}

/// `key` in `file` names a clause that is not in the library.
pub fn unknown_clause(file: &str, source: &str, key: &str, id: &str, ids: &[&str]) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownClause,
        file,
        format!("`{key}` names the clause `{id}`, which is not in the library"),
    )
    .near_under(source, key, id)
    .with_hint(
        suggestion(id, ids.iter().copied())
            .unwrap_or_else(|| "run `policyc list clauses` to see the ids".into()),
    )
}

/// The first entry a list holds twice, if any.
pub fn repeated<'a>(items: impl IntoIterator<Item = &'a String>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .find(|item| !seen.insert(item.as_str()))
        .map(String::as_str)
}

/// `key` in `file` lists `entry` twice.
pub fn duplicate_entry(file: &str, source: &str, key: &str, entry: &str) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateEntry,
        file,
        format!("`{key}` lists `{entry}` twice"),
    )
    .near_second(source, entry)
    .with_hint(format!("remove the second `{entry}`"))
}

/// `--school` names a school the project does not have.
pub fn unknown_school(id: &str, ids: &[&str]) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownSchool,
        "--school",
        format!("there is no school `{id}`"),
    )
    .with_hint(
        suggestion(id, ids.iter().copied())
            .unwrap_or_else(|| format!("schools: {}", ids.join(", "))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_list(&items(&["a"]), "and"), "a");
        assert_eq!(join_list(&items(&["a", "b", "c"]), "or"), "a, b or c");
    }

    #[test]
    fn unknown_audiences_suggest_the_closest() {
        let d = unknown_audience(
            "schools/a.yaml",
            "audiences: [staf]\n",
            "audiences",
            "staf",
            &["staff", "ks2"],
        );
        assert_eq!(
            d.message,
            "`audiences` names the audience `staf`, which does not exist"
        );
        assert_eq!(d.hint.as_deref(), Some("did you mean `staff`?"));
        assert_eq!(d.line, Some(1));
    }
}
