//! `kioku export PATH... --to FILE.apkg|FILE.csv`.

use super::{Context, Outcome};
use crate::cli::ExportArgs;
use crate::error::Error;

pub fn run(_ctx: &Context, _args: &ExportArgs) -> Result<Outcome, Error> {
    Err(Error::NotYet { command: "export" })
}
