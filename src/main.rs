//! The `policyc` binary: parses the command line and hands over to the library.

use clap::Parser;

fn main() {
    let cli = policyc::cli::Cli::parse();
    std::process::exit(policyc::run(cli));
}
