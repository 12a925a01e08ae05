//! Reports on a project for people and CI: what it holds and how a school
//! departs from its trust ([`explain`]), and what changed since a published
//! pack and who must sign again ([`changes`]). Pure: data in, text or
//! serialisable data out.

pub mod changes;
pub mod explain;
