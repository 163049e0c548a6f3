//! One module per subcommand. Each takes its arguments and a [`Context`] and
//! returns whether it succeeded; errors propagate to `lib.rs`, which reports
//! them once.

pub mod check;
pub mod list;

use std::io::Write;

use crate::cli::GlobalArgs;
use crate::deck::{self, Collection};
use crate::error::Error;
use crate::paint::Paint;

/// What every command gets besides its own arguments.
pub struct Context {
    pub global: GlobalArgs,
    pub out: Paint,
    pub err: Paint,
}

/// A command's result: success, or problems that were already shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Problems,
}

/// Loads the decks under `paths` for commands that need valid decks: problems
/// are printed to stderr, and errors stop the command.
pub fn load_valid(ctx: &Context, paths: &[std::path::PathBuf]) -> Result<Collection, Error> {
    let files = deck::deck_files(paths)?;
    let collection = deck::cache::load_cached(&files, deck::cache::cache_dir().as_deref());
    // Warnings are for `kioku check`; here only what stops the command.
    let mut stderr = std::io::stderr().lock();
    for d in collection.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = write!(stderr, "{}", d.render(&ctx.err));
    }
    match collection.errors() {
        0 => Ok(collection),
        errors => Err(Error::InvalidDecks { errors }),
    }
}
