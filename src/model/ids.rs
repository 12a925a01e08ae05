//! The rules for ids: school, policy, clause, section and audience ids become
//! file names under `out/`, so they are kept to a safe, portable alphabet.

/// Names Windows reserves, which may not be used as file names anywhere.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "index",
    "manifest",
];

/// Checks an id: lower-case ASCII letters, digits and hyphens, starting with
/// a letter, at most 64 characters, and not a reserved name. Returns what is
/// wrong, phrased to follow the id in a sentence.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("is empty".into());
    }
    if id.len() > 64 {
        return Err("is longer than 64 characters".into());
    }
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("does not start with a lower-case letter".into());
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!("contains `{bad}`, which is not allowed"));
    }
    if RESERVED.contains(&id) {
        return Err(format!(
            "is a reserved name (con, prn, aux, nul, com1–9, lpt1–9 cannot be file names on Windows, and index and manifest are policyc's own): choose another, such as `{id}-school`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_id;

    #[test]
    fn accepts_plain_ids() {
        assert!(check_id("st-aldhelms").is_ok());
        assert!(check_id("aup2").is_ok());
    }

    #[test]
    fn rejects_paths_and_reserved_names() {
        for bad in [
            "", "../x", "a/b", "A", "1st", "con", "a b", "é", "index", "x\\y",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(check_id(&"a".repeat(65)).is_err());
    }
}
