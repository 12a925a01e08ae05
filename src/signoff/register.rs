//! Sign-off registers: one printable sheet per document and class (or staff
//! group), listing each person with boxes to tick, sign and date, for a
//! staff meeting or a class session. They hold names, so they are written
//! to the private folder, never to `out/`.

use serde::Serialize;

use crate::model::dates;
use crate::model::slug::{slug, unique_stem};
use crate::signoff::status::{DocSignOff, PersonStatus, SchoolSignOff, Standing};

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
