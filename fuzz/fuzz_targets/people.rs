//! The readers of personal data: rosters, ledgers and form exports. They
//! arrive from spreadsheets, MIS and HR exports and online forms, so any
//! bytes must parse or be refused with diagnostics, never a panic, and
//! every diagnostic must name the file it came from.

#![no_main]

use libfuzzer_sys::fuzz_target;
use policyc::diag::Diagnostics;
use policyc::load::form_export::{parse_export, ColumnMap, DateOrder};
use policyc::load::people::{parse_ledger, parse_roster};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Diagnostics::default();
    let roster = parse_roster("people/s/roster.csv", text, &mut diags);
    let ledger = parse_ledger("people/s/signed.csv", text, &mut diags);
    for order in [DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd] {
        let _ = parse_export(
            "responses.csv",
            text,
            &ColumnMap::default(),
            order,
            None,
            &mut diags,
        );
    }
    let _ = (roster, ledger);
    for d in diags.sorted() {
        assert!(!d.file.is_empty(), "a diagnostic without a file: {}", d.message);
    }
});
