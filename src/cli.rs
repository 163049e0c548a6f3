//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::paint::ColorChoice;

/// Spaced-repetition flashcards and quizzes in the terminal.
#[derive(Debug, Parser)]
#[command(name = "kioku", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// The progress log [default: the platform data folder, e.g.
    /// ~/.local/share/kioku/progress.log]
    #[arg(long, global = true, env = "KIOKU_PROGRESS", value_name = "FILE")]
    pub progress: Option<PathBuf>,
    /// When to use colour (NO_COLOR is honoured under `auto`)
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Study due and new cards (the default)
    Study(DeckArgs),
    /// Take an exam-style quiz
    Quiz(DeckArgs),
    /// Check deck files and report every problem
    Check(DataArgs),
    /// List decks with their cards per kind
    List(DataArgs),
    /// Show statistics
    Stats(DataArgs),
    /// Show what is due
    Due(DataArgs),
    /// Fit the memory model to your own reviews
    Optimize,
}

/// Deck files or folders.
#[derive(Debug, Args, Clone, Default)]
pub struct DeckArgs {
    /// Deck files, or folders searched for *.toml [default: ./decks]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Deck paths, for a command whose output is data.
#[derive(Debug, Args, Clone, Default)]
pub struct DataArgs {
    #[command(flatten)]
    pub decks: DeckArgs,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}
