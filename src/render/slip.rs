//! Acknowledgement slips: one page that quotes a document's title, version
//! and ID, says where to read the whole text (with a QR code), and carries
//! the agreement statement and the signature fields in the school's order.
//!
//! Everything the slip prints reaches `slip.typ` as data: what every copy
//! shares in `/data.json`, and on a personal copy the signer's values in
//! `/person.json`, so typst reuses the shared layout from one person to the
//! next. The QR codes arrive as their module rows, never as markup.

use serde::Serialize;

use crate::model::document::Document;
use crate::model::files::{Audience, SchoolFile};
use crate::model::markdown::plain_text;
use crate::model::signature::SignatureField;
use crate::model::slips::OnlineForm;

/// The person a personalised copy is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signer {
    /// Their name.
    pub name: String,
    /// Class or staff group.
    pub class: Option<String>,
    /// Role or job title.
    pub role: Option<String>,
    /// On a parent's line: the child they sign for.
    pub child: Option<String>,
}

/// A QR code as rows of dark runs (each run is `[first column, length]`),
/// and the same as an SVG image with its quiet zone, which typst draws
/// faster than shapes it lays out one by one.
#[derive(Debug, Clone, Serialize)]
pub struct Qr {
    /// Modules per side, without the quiet zone.
    pub size: usize,
    /// For each row, its dark runs.
    pub runs: Vec<Vec<[usize; 2]>>,
    /// An SVG image of the code, made here from the runs alone.
    pub svg: String,
}

/// A link printed with its QR code.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The address.
    pub url: String,
    /// Its QR code.
    pub qr: Qr,
}

/// The countersignature block of a slip.
#[derive(Debug, Clone, Serialize)]
pub struct SlipCountersign {
    /// Its heading.
    pub heading: String,
    /// What the countersigner confirms.
    pub statement: String,
    /// Its fields' labels.
    pub fields: Vec<String>,
}

/// What `slip.typ` reads as `/data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct SlipData {
    /// School name.
    pub school: String,
    /// Document title.
    pub title: String,
    /// Audience label.
    pub audience_label: String,
    /// Version label.
    pub version: String,
    /// The document ID the signature is for.
    pub doc_id: String,
    /// Approval, for readers ("9 September 2026").
    pub approved_on: String,
    /// Where to read the whole text, with its QR code.
    pub full_text: Link,
    /// The heading over the agreement.
    pub agreement_heading: String,
    /// The agreement statement, a paragraph a line.
    pub agreement: Vec<String>,
    /// The labels of the signer's fields, in the school's order.
    pub fields: Vec<String>,
    /// The labels of a parent's or carer's fields, when the audience has
    /// them.
    pub parent_fields: Option<Vec<String>>,
    /// The countersignature, when the audience has one.
    pub countersign: Option<SlipCountersign>,
    /// The note under the fields; empty for none.
    pub signature_note: String,
    /// The online form with the document ID pre-filled, when the school
    /// has one.
    pub form: Option<Link>,
}

/// The signer's fields for `audience` as the school orders them.
pub fn signer_fields(school: &SchoolFile, audience: &Audience) -> Vec<SignatureField> {
    school
        .signature
        .as_ref()
        .and_then(|s| s.fields.as_ref())
        .and_then(|f| f.get(&audience.id))
        .unwrap_or(&audience.signature)
        .clone()
}

/// What a signer's copy fills in for a field: the name, class, role or
/// child; the signature and date stay blank.
pub fn field_value(field: SignatureField, signer: &Signer) -> Option<String> {
    match field {
        SignatureField::Name => Some(signer.name.clone()),
        SignatureField::Class => signer.class.clone(),
        SignatureField::Role | SignatureField::Position => signer.role.clone(),
        SignatureField::Child => signer.child.as_ref().map(|child| match &signer.class {
            Some(class) => format!("{child}, {class}"),
            None => child.clone(),
        }),
        SignatureField::Signature | SignatureField::Date | SignatureField::Organisation => None,
    }
}

/// The label each of a signer's filled fields has in `doc`, with its value:
/// what a personalised whole document reads as `/person.json`.
pub fn filled_fields(
    doc: &Document,
    kinds: &[SignatureField],
    signer: &Signer,
) -> Vec<(String, String)> {
    // By label, not by position: a document for several audiences has a
    // "Signing as" row among the fields that no kind stands for.
    kinds
        .iter()
        .filter_map(|kind| {
            let label = doc.labels.get(kind.label_key())?;
            let value = field_value(*kind, signer)?;
            doc.signature
                .fields
                .contains(label)
                .then(|| (label.clone(), value))
        })
        .collect()
}

/// What a personal slip reads as `/person.json`: the values of the
/// signer's fields, in the order of [`SlipData::fields`], and the form link
/// with their name in it. The public slip reads `{}`.
#[derive(Debug, Clone, Serialize)]
pub struct SlipPerson {
    /// Each field's value, `none` for those left blank.
    pub fields: Vec<Option<String>>,
    /// The online form, pre-filled with the name and the document ID.
    pub form: Option<Link>,
}

/// The personal part of `doc`'s slip for `signer`.
pub fn slip_person(
    doc: &Document,
    kinds: &[SignatureField],
    form: Option<&OnlineForm>,
    signer: &Signer,
) -> Result<SlipPerson, String> {
    let form = form.map(|f| f.prefilled(&doc.doc_id, Some(&signer.name)));
    Ok(SlipPerson {
        fields: kinds.iter().map(|k| field_value(*k, signer)).collect(),
        form: form.map(link).transpose()?,
    })
}

/// The slip for `doc`: public (no one named) when `signer` is `None`.
pub fn slip_data(doc: &Document) -> Result<SlipData, String> {
    let Some(links) = &doc.slip else {
        return Err(format!(
            "{} has no slip: its audience does not sign one, or has no full_text_url",
            doc.key()
        ));
    };
    let label = |key: &str| doc.labels.get(key).cloned().unwrap_or_default();
    Ok(SlipData {
        school: doc.school.name.clone(),
        title: doc.title.clone(),
        audience_label: doc.audience_label.clone(),
        version: doc.meta.version.clone(),
        doc_id: doc.doc_id.clone(),
        approved_on: doc.meta.approved_on_text.clone(),
        full_text: link(links.full_text.clone())?,
        agreement_heading: label("agreement_heading"),
        agreement: plain_text(&doc.agreement)
            .lines()
            .map(str::to_string)
            .collect(),
        fields: doc.signature.fields.clone(),
        parent_fields: doc.signature.parent.clone(),
        countersign: doc.signature.countersign.as_ref().map(|c| SlipCountersign {
            heading: label("countersign_heading"),
            statement: c.statement.clone(),
            fields: c.fields.clone(),
        }),
        signature_note: label("signature_note"),
        form: links.form.clone().map(link).transpose()?,
    })
}

/// `url` with its QR code.
fn link(url: String) -> Result<Link, String> {
    let qr = qr(&url)?;
    Ok(Link { url, qr })
}

/// The QR code of `text`, at medium error correction, as dark runs.
pub fn qr(text: &str) -> Result<Qr, String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| format!("cannot make a QR code of this address: {e}"))?;
    let size = code.width();
    let colors = code.to_colors();
    let runs: Vec<Vec<[usize; 2]>> = colors
        .chunks(size)
        .map(|row| {
            let mut runs: Vec<[usize; 2]> = Vec::new();
            for (x, c) in row.iter().enumerate() {
                if *c != qrcode::Color::Dark {
                    continue;
                }
                match runs.last_mut() {
                    Some(run) if run[0] + run[1] == x => run[1] += 1,
                    _ => runs.push([x, 1]),
                }
            }
            runs
        })
        .collect();
    let svg = svg(size, &runs);
    Ok(Qr { size, runs, svg })
}

/// An SVG of the runs: one path, a unit square a module, four modules of
/// quiet zone. Only numbers go into it.
fn svg(size: usize, runs: &[Vec<[usize; 2]>]) -> String {
    let side = size + 8;
    let mut path = String::new();
    for (y, row) in runs.iter().enumerate() {
        for [x, n] in row {
            path.push_str(&format!("M{} {}h{n}v1h-{n}z", x + 4, y + 4));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_square_runs_of_dark_modules() {
        let code = qr("https://hollybrook.example/policies/aup-ks2.html").unwrap();
        assert_eq!(code.runs.len(), code.size);
        // The top-left finder pattern: a row of seven dark modules.
        assert_eq!(code.runs[0][0], [0, 7]);
        for row in &code.runs {
            for [x, n] in row {
                assert!(x + n <= code.size);
            }
        }
    }

    #[test]
    fn a_parent_form_names_the_child_and_class() {
        let signer = Signer {
            name: "Dara Quinn".into(),
            class: Some("Year 4 Oak".into()),
            child: Some("Rowan Quinn".into()),
            role: None,
        };
        assert_eq!(
            field_value(SignatureField::Child, &signer).as_deref(),
            Some("Rowan Quinn, Year 4 Oak")
        );
        assert_eq!(field_value(SignatureField::Signature, &signer), None);
    }
}
