//! `kioku doctor`.

use super::{Context, Outcome};
use crate::cli::DataArgs;
use crate::error::Error;

pub fn run(_ctx: &Context, _args: &DataArgs) -> Result<Outcome, Error> {
    Err(Error::NotYet { command: "doctor" })
}
