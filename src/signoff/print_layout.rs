//! How a print file is laid out for the printer: its sheets (one or both
//! sides, slips to a sheet), the page each person's copy starts on behind
//! the cover, and the cover's text. `signoff/print.rs` renders the pieces
//! and puts them together with `render::merge`.

use serde::Serialize;

use crate::model::slips::SignWith;

/// How the print files are laid out for the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sheets {
    /// Slips to an A4 sheet: 1 (each on its own page), 2 or 4 (cut apart).
    pub per_sheet: u8,
    /// Printed on one side only: no blank page keeps a copy on the front
    /// of a sheet.
    pub one_sided: bool,
}

impl Default for Sheets {
    fn default() -> Self {
        Self {
            per_sheet: 1,
            one_sided: false,
        }
    }
}

/// What `print-cover.typ` reads as `/data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct CoverData {
    /// School name.
    pub school: String,
    /// "Year 4 Oak: 30 KS2 forms".
    pub heading: String,
    /// Document title.
    pub title: String,
    /// Audience label.
    pub audience_label: String,
    /// Document ID.
    pub doc_id: String,
    /// Version label.
    pub version: String,
    /// The day it was printed, long form.
    pub printed: String,
    /// How to use the file.
    pub instructions: String,
    /// Who is in it, in order.
    pub people: Vec<CoverRow>,
}

/// One person on a cover.
#[derive(Debug, Clone, Serialize)]
pub struct CoverRow {
    /// Their name.
    pub name: String,
    /// Their role, or the child a parent signs for.
    pub detail: Option<String>,
    /// The page of the print file their copy starts on.
    pub page: usize,
}

/// The page of the sheet each of `people` slips is on, `per_sheet` to a
/// sheet, after a cover of `cover` pages.
pub fn sheet_pages(cover: usize, people: usize, per_sheet: u8) -> Vec<usize> {
    let per = usize::from(per_sheet.max(1));
    (0..people).map(|i| cover + 1 + i / per).collect()
}

/// The page each person's copy starts on, after a cover of `cover` pages:
/// on the front of a sheet when printed on both sides.
pub fn starts(cover: usize, pages: &[usize], sheets: Sheets) -> Vec<usize> {
    let mut next = cover + 1;
    let mut out = Vec::with_capacity(pages.len());
    for n in pages {
        if !sheets.one_sided && next.is_multiple_of(2) {
            next += 1;
        }
        out.push(next);
        next += n;
    }
    out
}

/// What the cover tells whoever prints the file: how to print it, and
/// what to do with the signed forms.
pub fn cover_instructions(with: SignWith, sheets: Sheets, pupils: bool, doc_id: &str) -> String {
    let what = match with {
        SignWith::Slip => "slip",
        SignWith::Document => "copy of the agreement",
    };
    let per_sheet = sheets.per_sheet;
    let layout = if with == SignWith::Slip && per_sheet > 1 {
        format!("Print on one side only, then cut along the dashed lines: {per_sheet} slips to a sheet, each with a name filled in.")
    } else if sheets.one_sided {
        format!("Print on one side only. Each {what} has a name filled in.")
    } else {
        format!("Print on both sides. Each {what} starts on a new sheet, with a name filled in.")
    };
    if pupils {
        format!("{layout} Hand them out, read the agreement together and collect them once signed. Then record each signature against document ID {doc_id}.")
    } else {
        format!(
            "{layout} Record each signature against document ID {doc_id} when the forms come back."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{sheet_pages, starts, Sheets};

    #[test]
    fn every_copy_starts_on_an_odd_page() {
        let duplex = Sheets::default();
        assert_eq!(starts(1, &[1, 1, 1], duplex), [3, 5, 7]);
        assert_eq!(starts(1, &[3, 2, 1], duplex), [3, 7, 9]);
        assert_eq!(starts(2, &[4], duplex), [3]);
    }

    #[test]
    fn one_sided_copies_follow_on_and_slips_share_their_sheet() {
        let one_sided = Sheets {
            per_sheet: 1,
            one_sided: true,
        };
        assert_eq!(starts(1, &[1, 1, 2, 1], one_sided), [2, 3, 4, 6]);
        assert_eq!(sheet_pages(1, 6, 4), [2, 2, 2, 2, 3, 3]);
    }
}
