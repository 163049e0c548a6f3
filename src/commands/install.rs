//! `kioku completions SHELL` and `kioku man`: generated from the same clap
//! definitions as the command line itself, so they never drift from it.

use std::io::Write;

use clap::CommandFactory;

use super::Outcome;
use crate::cli::Cli;
use crate::error::Error;

pub(crate) fn completions(shell: clap_complete::Shell) -> Result<Outcome, Error> {
    let mut command = Cli::command();
    // clap_complete panics when its writer fails (a closed pipe), so the
    // script is built in memory and written here, where errors are handled.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "kioku", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(Outcome::Success)
}

pub(crate) fn man() -> Result<Outcome, Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    std::io::stdout().lock().write_all(&page)?;
    Ok(Outcome::Success)
}
