//! Sign-off, in one place: who must sign which document, who has, and the
//! papers and reports for the rest.
//!
//! It sits on a floor of its own, below the pipeline and above the stages:
//! it reads rosters and ledgers through `load`, sets them against the
//! resolved documents and the published packs, and lays out what it prints
//! through `render`'s engine. The commands in `cmd/signoff.rs` call it; a
//! build calls [`run::sign_off_counts`] for the pack indexes.
//!
//! - [`status`]: the report, pure: each person's standing against each
//!   document ID (signed, to sign again, outstanding).
//! - [`text`] and [`html`]: the report as a terminal table, CSV and a page.
//! - [`run`]: the report against the project on disk, the counts for the
//!   indexes, registers, and importing a form export into the ledger.
//! - [`register`]: the data of a class's sign-off register.
//! - [`print`] and [`print_layout`]: personal copies and print files,
//!   sheets and covers.

pub mod html;
pub mod print;
pub mod print_layout;
pub mod register;
pub mod run;
pub mod status;
pub mod text;
