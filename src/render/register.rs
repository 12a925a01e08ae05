//! Sign-off registers: one printable sheet per document and class (or staff
//! group), listing each person with boxes to tick, sign and date, for a
//! staff meeting or a class session. They hold names, so they are written
//! to the private folder, never to `out/`.

use serde::Serialize;

use crate::model::dates;
use crate::report::signoff::{DocSignOff, PersonStatus, SchoolSignOff, Standing};

/// What `register.typ` reads as `/data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterData {
    /// School name.
    pub school: String,
    /// Document title.
    pub title: String,
    /// Audience label.
    pub audience_label: String,
    /// The class or staff group, or the audience when there is none.
    pub group: String,
    /// Version label.
    pub version: String,
    /// The document ID people sign.
    pub doc_id: String,
    /// The day the register was printed, long form.
    pub printed: String,
    /// How to use the sheet.
    pub instructions: String,
    /// What to do with it afterwards.
    pub note: String,
    /// Everyone in the group.
    pub people: Vec<RegisterRow>,
}

/// One person on a register.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow {
    /// Their name.
    pub name: String,
    /// Their role, or the child a parent signs for.
    pub detail: Option<String>,
    /// When they signed the current wording, if they have.
    pub signed_on: Option<String>,
    /// Whether they signed an older wording and must sign again.
    pub older: bool,
}

/// One register to print: where it goes (relative to the private folder)
/// and its data.
#[derive(Debug, Clone)]
pub struct Register {
    /// `<school>/registers/<policy>-<audience>-<group>.pdf`.
    pub path: String,
    /// The layout's data.
    pub data: RegisterData,
}

/// A register for each class or group of each document of `school`.
pub fn registers(school: &SchoolSignOff, pupils: &[&str], today: &str) -> Vec<Register> {
    let mut out: Vec<Register> = Vec::new();
    for doc in &school.documents {
        let mut groups: Vec<Option<&str>> = doc.people.iter().map(|p| p.class.as_deref()).collect();
        groups.sort_unstable();
        groups.dedup();
        for group in groups {
            let people: Vec<&PersonStatus> = doc
                .people
                .iter()
                .filter(|p| p.class.as_deref() == group)
                .collect();
            let name = group.unwrap_or(&doc.audience_label).to_string();
            let stem = format!(
                "{}/registers/{}-{}-{}",
                school.school,
                doc.policy,
                doc.audience,
                slug(&name)
            );
            // Two groups whose names share a slug ("Ελένη", "Ωμέγα") get -2, -3.
            let stem = unique_stem(&stem, |p| out.iter().any(|r| r.path == format!("{p}.pdf")));
            let path = format!("{stem}.pdf");
            let data = register_data(
                school,
                doc,
                &name,
                &people,
                pupils.contains(&doc.audience.as_str()),
                today,
            );
            out.push(Register { path, data });
        }
    }
    out
}

fn register_data(
    school: &SchoolSignOff,
    doc: &DocSignOff,
    group: &str,
    people: &[&PersonStatus],
    pupils: bool,
    today: &str,
) -> RegisterData {
    let instructions = if pupils {
        "Read the agreement together. Then each pupil ticks Read and signs or writes their name, and an adult adds the date. Pupils who have already signed this version need not sign again."
    } else {
        "Each person reads the agreement, ticks Read, signs and dates. Anyone shown as already signed has signed this version and need not sign again."
    };
    RegisterData {
        school: school.school_name.clone(),
        title: doc.title.clone(),
        audience_label: doc.audience_label.clone(),
        group: group.to_string(),
        version: doc.version.clone(),
        doc_id: doc.doc_id.clone(),
        printed: dates::long_form(today),
        instructions: instructions.to_string(),
        note: format!(
            "Record each signature in the school's sign-off ledger against document ID {}, then keep or destroy this sheet as the school's retention schedule says.",
            doc.doc_id
        ),
        people: people
            .iter()
            .map(|p| RegisterRow {
                name: p.name.clone(),
                detail: p.role.clone().or_else(|| p.child.as_ref().map(|c| format!("for {c}"))),
                signed_on: (p.status == Standing::Signed)
                    .then(|| p.signed_on.as_deref().map(dates::long_form))
                    .flatten(),
                older: p.status == Standing::SignAgain,
            })
            .collect(),
    }
}

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
    use super::{slug, unique_stem};

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
