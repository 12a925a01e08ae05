//! `policyc completions` and `policyc man`: shell completion scripts and the
//! man page, generated from the command-line definition.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::diag::EXIT_OK;

/// `policyc completions`.
pub fn completions(shell: clap_complete::Shell) -> Result<i32> {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "policyc",
        &mut std::io::stdout(),
    );
    Ok(EXIT_OK)
}

/// `policyc man`.
pub fn man() -> Result<i32> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
    Ok(EXIT_OK)
}
