//! Reports on a project for people and CI: what it holds and how a school
//! departs from its trust ([`explain`]), how every school departs from it
//! ([`audit`]), and what changed since a published pack and who must sign
//! again ([`changes`]) and who has consented to what ([`consent`]), with
//! CSV for spreadsheets ([`csv`]). Pure: data in, text or serialisable data
//! out. Who has signed belongs to the sign-off floor, `src/signoff/`.

pub mod audit;
pub mod changes;
pub mod changes_text;
pub mod consent;
pub mod csv;
pub mod explain;
