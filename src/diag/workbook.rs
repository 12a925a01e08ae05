//! Workbook cells. A spreadsheet is read as the CSV text of its first
//! sheet, so a problem found in it is placed at a line and a column of that
//! text. The line is the sheet's row, but the column is a character offset
//! that means nothing to someone looking at the workbook in Excel: a
//! [`Workbook`] turns it into the sheet's name and the cell, `sheet
//! \`Pupils\`, cell B5`.

use super::Diagnostic;

/// A workbook read as CSV text: its first sheet's name and that text.
#[derive(Debug, Clone)]
pub struct Workbook {
    sheet: String,
    text: String,
}

impl Workbook {
    /// The workbook whose first sheet, named `sheet`, reads as `text`.
    pub fn new(sheet: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            sheet: sheet.into(),
            text: text.into(),
        }
    }

    /// Names the sheet and cell a diagnostic in this workbook points at,
    /// or the sheet and row when it has no column, and drops the text's
    /// column. A diagnostic already named is left as it is.
    pub fn name_cell(&self, d: &mut Diagnostic) {
        let Some(line) = d.line.filter(|_| d.cell.is_none()) else {
            return;
        };
        let place = match d.column {
            Some(column) => {
                let row = self.text.lines().nth(line.saturating_sub(1)).unwrap_or("");
                let before: String = row.chars().take(column.saturating_sub(1)).collect();
                format!("cell {}{line}", column_letters(cells_before(&before)))
            }
            None => format!("row {line}"),
        };
        d.cell = Some(format!("sheet `{}`, {place}", self.sheet));
        d.column = None;
    }
}

/// How many whole cells come before the end of `row_start`, the start of
/// a row of the CSV text policyc writes for a sheet (commas, and quotes
/// around a cell that has one).
fn cells_before(row_start: &str) -> usize {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(row_start.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map_or(0, |r| r.len().saturating_sub(1))
}

/// A spreadsheet column's letters: 0 is A, 26 is AA.
fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn a_problem_is_named_by_its_sheet_and_cell_once() {
        let text = "name,audience\n\"Lee, Amy\",ks9\n";
        let book = Workbook::new("Pupils", text);
        let mut d = Diagnostic::error(Code::BadValue, "people/a/roster.xlsx", "bad")
            .at_in_line(text, 2, "ks9");
        book.name_cell(&mut d);
        assert_eq!(d.cell.as_deref(), Some("sheet `Pupils`, cell B2"));
        assert_eq!(d.column, None);
        book.name_cell(&mut d);
        assert_eq!(d.cell.as_deref(), Some("sheet `Pupils`, cell B2"));
        assert_eq!(
            d.location(),
            "people/a/roster.xlsx:2 (sheet `Pupils`, cell B2)"
        );
    }

    #[test]
    fn a_problem_with_a_row_only_names_the_row() {
        let mut d = Diagnostic::error(Code::BadValue, "a.xlsx", "bad").at("a\nb\n", 2, 1);
        d.column = None;
        Workbook::new("Sheet1", "a\nb\n").name_cell(&mut d);
        assert_eq!(d.cell.as_deref(), Some("sheet `Sheet1`, row 2"));
    }

    #[test]
    fn columns_are_lettered_as_a_spreadsheet_letters_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(702), "AAA");
    }
}
