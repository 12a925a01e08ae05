//! File-name slugs: a person's or a group's name made safe, bounded and
//! unique as a file name for the private folder.

/// A file-name-safe form of a group name: ASCII letters and digits, the
/// rest as single hyphens ("Year 4 Oak" → "year-4-oak"), other scripts
/// transliterated (deunicode).
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    // Letters from any script keep their sound: Łucja → lucja, Siân → sian,
    // 王小明 → wang-xiao-ming, so a file name says whose copy it is.
    for c in deunicode::deunicode(name).chars() {
        // A file name has at most 255 bytes; a slug keeps well inside it
        // (a 25-word name included), ending at a whole word.
        if slug.len() >= MAX_SLUG_BYTES {
            if let Some(cut) = slug.rfind('-').filter(|&cut| cut > 0) {
                slug.truncate(cut);
            }
            break;
        }
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "group".to_string()
    } else {
        slug
    }
}

/// The longest slug, in bytes (slugs are ASCII).
const MAX_SLUG_BYTES: usize = 60;

/// `stem`, or `stem-2`, `stem-3`… : the first that `taken` does not
/// already hold, so two groups whose names share a slug ("Year 4 Oak",
/// "Year 4 - Oak", or two names in a script slugs drop) never share a file.
pub fn unique_stem(stem: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = stem.to_string();
    let mut n = 1;
    while taken(&candidate) {
        n += 1;
        candidate = format!("{stem}-{n}");
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_make_bounded_slugs_and_alike_names_unique_stems() {
        let long = "Ada ".repeat(40);
        assert!(slug(&long).len() <= 60, "{}", slug(&long));
        assert!(!slug(&long).ends_with('-'));
        let used = ["s/print/aup-ks2-year-4-oak".to_string()];
        let stem = unique_stem("s/print/aup-ks2-year-4-oak", |p| {
            used.iter().any(|u| u == p)
        });
        assert_eq!(stem, "s/print/aup-ks2-year-4-oak-2");
    }

    #[test]
    fn group_names_become_safe_file_names() {
        assert_eq!(slug("Year 4 Oak"), "year-4-oak");
        assert_eq!(slug("  Support staff / site "), "support-staff-site");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("Ελένη"), "elene");
        assert_eq!(slug("Łucja Wiśniewska"), "lucja-wisniewska");
        assert_eq!(slug("Isla Ní Shúilleabháin"), "isla-ni-shuilleabhain");
        assert_eq!(slug("王小明"), "wang-xiao-ming");
        assert_eq!(slug("…"), "group");
    }
}
