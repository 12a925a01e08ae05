//! Reports on a project for people and CI: what it holds and how a school
//! departs from its trust ([`explain`]), how every school departs from it
//! ([`audit`]), and what changed since a published pack and who must sign
//! again ([`changes`]), who has signed ([`signoff`]) and who has consented
//! to what ([`consent`]). Pure: data in, text or serialisable data out.

pub mod audit;
pub mod changes;
pub mod changes_text;
pub mod consent;
pub mod explain;
pub mod signoff;
pub mod signoff_html;
pub mod signoff_text;
