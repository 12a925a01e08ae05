//! CSV for spreadsheets. Every cell is neutralised: a cell a spreadsheet
//! would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return) gets a leading apostrophe, so opening the file can never
//! run anything.

/// Writes rows as CSV, every cell neutralised.
pub fn write_csv(rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row.iter().map(|c| neutralise(c)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A cell a spreadsheet will show as text, never run as a formula.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for hostile in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert!(neutralise(hostile).starts_with('\''), "{hostile:?}");
        }
        assert_eq!(neutralise("Amira Khan"), "Amira Khan");
        assert_eq!(neutralise("O'Neill"), "O'Neill");
    }

    #[test]
    fn csv_quotes_commas_and_neutralises_every_cell() {
        let csv = write_csv(&[vec!["Nowak, Łucja".into(), "=1+1".into()]]);
        assert_eq!(csv, "\"Nowak, Łucja\",'=1+1\n");
    }
}
