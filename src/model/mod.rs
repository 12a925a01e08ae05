//! The model floor: the shapes of the data every stage passes on. Project
//! files as written ([`files`]), the project as loaded and resolved
//! ([`project`]), the resolved [`document`] both renderers share, its
//! [`key`] and output paths, the [`manifest`], editorial marks, and the small value types
//! documents are made of (the [`blocks`] a document is composed from and
//! its resolved [`body`], the [`booklet`]s that bind agreements together, Markdown blocks, numbering, dates, ids, hashes).
//!
//! Nothing here touches the disk; only `diag` lies below it.

pub mod blocks;
pub mod body;
pub mod booklet;
pub mod build;
pub mod consent;
pub mod dates;
pub mod document;
pub mod editorial;
pub mod files;
pub mod hash;
pub mod html_text;
pub mod ids;
pub mod key;
pub mod labels;
pub mod manifest;
pub mod markdown;
pub mod numbering;
pub mod people;
pub mod per_audience;
pub mod project;
pub mod shard;
pub mod signature;
pub mod slips;
pub mod slug;
pub mod systems;
pub mod templates;
