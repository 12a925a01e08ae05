//! Consent lists: one printable sheet per class, naming for each purpose
//! the pupils whose photographs must not be taken or published for it (or
//! who must be offered the alternative to biometrics). A class teacher
//! takes it on a trip. It holds names, so it is written to the private
//! folder, never to `out/`.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::consent::{PurposeKind, Standing};
use crate::model::dates;
use crate::model::slug::slug;
use crate::report::consent::SchoolConsent;

/// What `consent-list.typ` reads as `/data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentListData {
    /// School id, or its name where the caller has it.
    pub school: String,
    /// The class.
    pub class: String,
    /// The day the list was printed, long form.
    pub printed: String,
    /// How to use the sheet.
    pub instructions: String,
    /// What to do with it afterwards.
    pub note: String,
    /// Each purpose with the pupils it excludes.
    pub purposes: Vec<ListPurpose>,
}

/// One purpose on a consent list.
#[derive(Debug, Clone, Serialize)]
pub struct ListPurpose {
    /// What it is.
    pub label: String,
    /// The sentence before its pupils.
    pub lead: String,
    /// What the sheet says when no pupil is excluded.
    pub none: String,
    /// The pupils excluded, and why.
    pub pupils: Vec<ListPupil>,
}

/// A pupil on a consent list.
#[derive(Debug, Clone, Serialize)]
pub struct ListPupil {
    /// Their name.
    pub name: String,
    /// Why: refused, withdrawn on a date, not answered…
    pub why: String,
}

/// One list to print: its path in the private folder and its data.
#[derive(Debug, Clone)]
pub struct ConsentList {
    /// `<school>/consent/<class>.pdf`.
    pub path: String,
    /// The layout's data.
    pub data: ConsentListData,
}

/// A list for each class of `school`, from a report made with names.
/// `kinds` tells each purpose's kind by id.
pub fn consent_lists(
    school: &SchoolConsent,
    school_name: &str,
    kinds: &dyn Fn(&str) -> Option<PurposeKind>,
    today: &str,
) -> Vec<ConsentList> {
    let classes: BTreeSet<String> = school
        .purposes
        .iter()
        .flat_map(|p| &p.pupils)
        .map(|p| p.class.clone().unwrap_or_else(|| "No class".to_string()))
        .collect();
    let printed = dates::long_form(today);
    classes
        .into_iter()
        .map(|class| {
            let purposes = school
                .purposes
                .iter()
                .map(|purpose| {
                    let biometric = kinds(&purpose.purpose) == Some(PurposeKind::Biometric);
                    ListPurpose {
                        label: purpose.label.clone(),
                        lead: if biometric {
                            "Offer these pupils the other way (a PIN or a card); never take their fingerprint or face:".into()
                        } else {
                            "Do not photograph or film these pupils for this purpose, and leave them out of any image used for it:".into()
                        },
                        none: "Every pupil in this class has consent.".into(),
                        pupils: purpose
                            .pupils
                            .iter()
                            .filter(|p| !p.allowed)
                            .filter(|p| p.class.as_deref().unwrap_or("No class") == class)
                            .map(|p| ListPupil {
                                name: p.name.clone(),
                                why: match &p.since {
                                    Some(date) => format!("withdrawn on {}", dates::long_form(date)),
                                    None if p.standing == Standing::Renew.label() => {
                                        "the form changed: not yet renewed".to_string()
                                    }
                                    None => p.standing.clone(),
                                },
                            })
                            .collect(),
                    }
                })
                .collect();
            ConsentList {
                path: format!("{}/consent/{}.pdf", school.school, slug(&class)),
                data: ConsentListData {
                    school: school_name.to_string(),
                    class,
                    printed: printed.clone(),
                    instructions: "A pupil not answered has no consent: treat them as refused until the office records an answer. Check the office's latest list before each trip or event.".into(),
                    note: "This list names pupils: keep it with you, never on display, and shred it when a newer one is printed.".into(),
                    purposes,
                },
            }
        })
        .collect()
}
