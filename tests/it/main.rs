//! The integration tests: one binary, so typst links once.
//!
//! Each module runs the real `policyc` binary on fixture projects and
//! asserts on what it prints and writes. The bad-input corpus has its own
//! binary (`tests/bad_input.rs`), one test per case.

mod support;

mod atomic;
mod blocks;
mod booklets;
mod build;
mod cli;
mod consent;
mod docs;
mod fonts;
mod hostile;
mod injection;
mod layers;
mod library;
mod notices;
mod oversight;
mod print;
mod reading_order;
mod schemas;
mod shards;
mod signoff;
mod snapshots;
mod trust;
