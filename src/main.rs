//! The `policyc` binary: parses the command line and hands over to the library.

use clap::Parser;

/// mimalloc, not the system allocator: typst allocates and frees many small
/// values per page, and with glibc's allocator that cost a sixth of a print
/// run's time, more when both cores share its arenas (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = policyc::cli::Cli::parse();
    std::process::exit(policyc::run(cli));
}
