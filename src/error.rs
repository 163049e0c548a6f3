//! The errors kioku reports to the user: one enum, each variant saying what
//! went wrong and, through [`Error::help`], what to do about it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no decks given, and there is no `decks` folder here")]
    NoDecks,
    #[error("`{}` does not exist", path.display())]
    PathNotFound { path: PathBuf },
    #[error("there are no deck files (*.toml) in `{}`", path.display())]
    NoDeckFiles { path: PathBuf },
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the decks have {errors} error{}", if *errors == 1 { "" } else { "s" })]
    InvalidDecks { errors: usize },
    #[error("`kioku {command}` is not available yet")]
    NotYet { command: &'static str },
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
}

impl Error {
    /// One sentence on what to do, where there is something to say.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            Error::NoDecks => "name deck files or folders, e.g. `kioku study path/to/decks`, or run kioku where a `decks` folder is".into(),
            Error::PathNotFound { .. } => "check the spelling of the path".into(),
            Error::NoDeckFiles { .. } => "deck files end in .toml; see docs/deck-format.md".into(),
            Error::InvalidDecks { .. } => "fix the problems shown above; `kioku check` lists them all".into(),
            Error::NotYet { .. } => "see README.md for what works today".into(),
            Error::Read { .. } | Error::Output(_) => return None,
        })
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Output(e)
    }
}
