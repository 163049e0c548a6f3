//! `kioku class report`.

use super::{Context, Outcome};
use crate::cli::ClassCommand;
use crate::error::Error;

pub fn run(_ctx: &Context, _command: &ClassCommand) -> Result<Outcome, Error> {
    Err(Error::NotYet { command: "class" })
}
