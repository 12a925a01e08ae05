//! policyc compiles school policies from a clause library and per-school
//! YAML into signature-ready PDF and accessible HTML.
//!
//! The crate is built in floors; imports only go down:
//!
//! ```text
//! cmd/        one file per subcommand: arguments in, exit code out
//! pipeline    the orchestration of a build: load → check → resolve → render → output
//! signoff/    sign-off in one place: who must sign what and who has, the
//!             status report, registers, print runs and importing responses
//! load/ resolve/ check/ render/ output/ report/     the stages
//! model/      the data every stage passes on: project files, the resolved
//!             document, keys, manifest, Markdown blocks, numbering, dates
//! diag/       diagnostics, their codes and exit statuses
//! sealed/     the one module that opens a path: directory handles, links
//!             refused at every component, capped reads, safe temporaries
//! ```
//!
//! Only `load` (reading the project) and `output` (writing `out/`) touch the
//! disk, and both do it through `sealed`; `resolve`, `check`, `render` and `report` are pure apart from the
//! sink `render` hands each output to. Nothing below `cmd` ends the process.

// Diagnostics travel in `Result::Err` on the cold path of a build that has
// already failed; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod load;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod resolve;
pub mod sealed;
pub mod signoff;

pub use cmd::run;
