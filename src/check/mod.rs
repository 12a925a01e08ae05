//! The check stage: every rule a project must keep, in one place, run by
//! the pipeline at four points of a build:
//!
//! 1. [`library`], once the project is loaded: the clause library, the
//!    policies and TODO values;
//! 2. [`selection`]: the schools and audiences the command line names;
//! 3. [`school`], before each school is resolved: required keys, audiences,
//!    clause ids, locks and dates;
//! 4. [`documents`], after resolving: reading level and overdue reviews;
//!    and [`completeness`]: every element a policy requires is in each of
//!    its documents, and every processor a notice lists has its facts.
//!
//! Each check pushes what it finds into the run's `Diagnostics`.

pub mod completeness;
pub mod documents;
pub mod library;
pub mod messages;
pub mod readability;
pub mod school;
pub mod selection;
pub mod signing;

pub use documents::check_documents;
pub use library::check_library;
pub use school::check_school;
pub use selection::check_selection;
