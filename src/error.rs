//! The errors kioku reports to the user: one enum, each variant saying what
//! went wrong and, through [`Error::help`], what to do about it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
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
    #[error("another kioku session is using the progress log `{}`", path.display())]
    ProgressLocked { path: PathBuf },
    #[error("cannot read the progress log `{}`: {source}", path.display())]
    ProgressRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot save to the progress log `{}`: {source}", path.display())]
    ProgressWrite {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("line {line} of the progress log `{}` is damaged: {reason}", path.display())]
    LogMalformed {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("the progress log `{}` was replaced during this session, and this session's answers cannot be added to the new file: {reason}", path.display())]
    LogReplaced { path: PathBuf, reason: String },
    #[error("the progress log `{}` cannot be read: {found}", path.display())]
    LogVersion { path: PathBuf, found: String },
    #[error("there is no home folder to keep the progress log in")]
    NoDataDir,
    #[error("the settings file `{}` is not valid: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("merge not done: {0}")]
    MergeRefused(String),
    #[error("cannot import `{}`: {reason}", path.display())]
    Import { path: PathBuf, reason: String },
    #[error("a deck with id `{id}` is already in `{}`", path.display())]
    DeckExists { id: String, path: PathBuf },
    #[error("cannot export to `{}`: {reason}", path.display())]
    Export { path: PathBuf, reason: String },
    #[error("`{}` is empty: there is nothing to draft", path.display())]
    EmptyDocument { path: PathBuf },
    #[error("`{}` is not a text document", path.display())]
    NotText { path: PathBuf },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Optimizer(String),
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` already exists", path.display())]
    WouldOverwrite { path: PathBuf },
    #[error("the progress log `{}` {problem}", path.display())]
    NotALog {
        path: PathBuf,
        problem: &'static str,
    },
    #[error("sync: {message}")]
    Sync { message: String, help: String },
    #[error("the remote `{remote}` refused the push: {message}")]
    SyncRejected { remote: String, message: String },
    #[error("{0}")]
    Class(String),
}

impl Error {
    /// One sentence on what to do, where there is something to say.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            Error::PathNotFound { .. } => "check the spelling of the path".into(),
            Error::NoDeckFiles { .. } => "deck files end in .toml; see docs/deck-format.md".into(),
            Error::InvalidDecks { .. } => "fix the problems shown above; `kioku check` lists them all".into(),
            Error::NotYet { .. } => "see README.md for what works today".into(),
            Error::ProgressLocked { .. } => "finish the other session first (press q there); every answer of both is kept".into(),
            Error::ProgressWrite { .. } => "free some disk space or fix the permissions; the answers saved before this one are safe".into(),
            Error::LogMalformed { .. } => "kioku never rewrites your log to get past damage: fix or remove that line by hand (keep a copy), or restore the file from a backup".into(),
            Error::LogReplaced { .. } => "whatever replaced the log wrote a file kioku cannot read; fix or restore it, then study again".into(),
            Error::MergeRefused { .. } => "check that the other copy is one you trust, then run `kioku merge OTHER --yes`".into(),
            Error::LogVersion { .. } => "use the kioku that wrote it, or a newer one".into(),
            Error::NoDataDir => "name a progress file with --progress FILE or KIOKU_PROGRESS".into(),
            Error::Config { .. } => "fix the file, or delete it to return to the defaults".into(),
            Error::WouldOverwrite { .. } => "choose an empty folder, or add --force to overwrite".into(),
            Error::Sync { help, .. } if !help.is_empty() => help.clone(),
            Error::SyncRejected { .. } => "your answers are all in your own log; ask whoever runs the remote to allow the push, then run `kioku sync` again".into(),
            Error::NotALog { .. } => "name a kioku progress log (or a new file) with --progress FILE or KIOKU_PROGRESS; `kioku paths` shows the default".into(),
            Error::Import { .. } => "nothing was imported; fix the file, or see README.md (Coming from Anki or Quizlet) for the formats kioku reads".into(),
            Error::DeckExists { .. } => "add --force to replace it (cards keep their ids, so progress is kept), or import --into another folder".into(),
            Error::Export { .. } => "nothing was written".into(),
            Error::NotText { .. } => "kioku drafts from plain text, Markdown or HTML in UTF-8; save other formats (PDF, Word) as text first".into(),
            Error::EmptyDocument { .. } => return None,
            Error::Read { .. } | Error::Output(_) | Error::ProgressRead { .. } | Error::Usage(_) | Error::Optimizer(_) | Error::Write { .. } | Error::Sync { .. } | Error::Class(_) => return None,
        })
    }
}

impl Error {
    /// The process exit code, as `--help` documents: 2 for a mistake on the
    /// command line (a value that does not parse, a path that does not
    /// exist, a progress file that is not a log), 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::PathNotFound { .. } | Error::NotALog { .. } => 2,
            _ => 1,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Output(e)
    }
}
