//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::paint::ColorChoice;

/// Spaced-repetition flashcards and quizzes in the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "kioku",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 success, 1 problems or errors, 2 a mistake on the command line \
                  (also a deck path that does not exist or a --progress file that is not a log), \
                  130 interrupted by Ctrl-C.\n\
                  Files: `kioku paths` shows where the progress log, settings and caches live."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub(crate) struct GlobalArgs {
    /// The progress log [default: progress.log in the platform data
    /// folder; `kioku paths` shows where]
    #[arg(long, global = true, env = "KIOKU_PROGRESS", value_name = "FILE")]
    pub progress: Option<PathBuf>,
    /// The settings file [default: config.toml in the platform config
    /// folder; `kioku paths` shows where]
    #[arg(long, global = true, env = "KIOKU_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to use colour (NO_COLOR is honoured under `auto`)
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Study due and new cards (the default)
    Study(StudyArgs),
    /// Take an exam-style quiz: every answer graded, a score at the end
    Quiz(QuizArgs),
    /// Check deck files and report every problem
    Check(CheckArgs),
    /// List decks with their cards per kind
    List(DataArgs),
    /// Show statistics
    Stats(StatsArgs),
    /// Show what is due
    Due(DataArgs),
    /// Fit the memory model to your own reviews, or use parameters fitted
    /// elsewhere (--set, e.g. copied from Anki's deck options)
    Optimize(OptimizeArgs),
    /// Merge another copy of the progress log into this one
    Merge {
        /// The other copy (from another machine, a sync folder or git)
        #[arg(value_name = "OTHER")]
        other: PathBuf,
        /// Merge even if the other copy undoes your answers or suspends or
        /// buries your cards (without it, kioku asks, or refuses when it
        /// cannot ask)
        #[arg(long)]
        yes: bool,
    },
    /// Send and receive progress through a git remote (set it once with --init)
    Sync {
        /// The git remote to keep the progress log in (a URL or a path);
        /// set once per machine
        #[arg(long, value_name = "REMOTE")]
        init: Option<String>,
    },
    /// Results for a class: what an instructor sees over students' logs
    #[command(subcommand)]
    Class(ClassCommand),
    /// Find reviews that match no card and the card they probably belong to
    Doctor(DataArgs),
    /// Plan revision toward an exam date
    #[command(subcommand)]
    Exam(ExamCommand),
    /// The built-in decks: write them out as files to edit
    #[command(subcommand)]
    Decks(DecksCommand),
    /// Show where the progress log, settings and caches live
    Paths {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script, e.g. `kioku completions bash`
    Completions {
        /// The shell
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `kioku man | man -l -`
    Man,
    /// Import Anki packages (.apkg, .colpkg) and CSV/TSV files as kioku decks
    Import(ImportArgs),
    /// Export decks as an Anki package (.apkg) or a CSV file
    Export(ExportArgs),
    /// Draft a deck from documents (plain text, Markdown, HTML) to edit
    Draft(DraftArgs),
}

/// `kioku decks ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum DecksCommand {
    /// Write the built-in decks into DIR as TOML files you can edit and study
    /// (`kioku study DIR`); progress carries over, as it is kept by deck and
    /// card id
    Export {
        /// The folder to write (created if missing)
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Overwrite deck files already there
        #[arg(long)]
        force: bool,
    },
}

/// `kioku import`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ImportArgs {
    /// Anki packages (.apkg, .colpkg), or CSV/TSV files (Quizlet, Anki's
    /// "Notes in Plain Text", a spreadsheet with a header row)
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The folder the decks are written to
    #[arg(long, default_value = "decks", value_name = "DIR")]
    pub into: PathBuf,
    /// Replace decks in DIR that have the same id (progress is kept)
    #[arg(long)]
    pub force: bool,
    /// CSV/TSV: the delimiter (tab, comma, semicolon, pipe, or one character)
    /// [default: detected]
    #[arg(long, value_name = "DELIMITER", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// CSV/TSV: the first row names the columns (q, a, tags, explain, ...)
    #[arg(long, conflicts_with = "no_header")]
    pub header: bool,
    /// CSV/TSV: the first row is a card, not column names
    #[arg(long)]
    pub no_header: bool,
}

/// `kioku export`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub decks: DeckArgs,
    /// The file to write: FILE.apkg (Anki) or FILE.csv
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    /// .apkg: carry kioku's reviews over as Anki review history
    #[arg(long)]
    pub with_history: bool,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    crate::bridge::delimited::parse_delimiter(text).ok_or_else(|| {
        format!("`{text}` is not a delimiter; try tab, comma, semicolon or one character")
    })
}

/// `kioku check`.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Also check that every card's `quote` is still in its document, found
    /// in this folder, and that its answer is in the quote
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
}

/// `kioku draft`.
#[derive(Debug, Args, Clone)]
pub(crate) struct DraftArgs {
    /// The documents: plain text, Markdown or HTML
    #[arg(value_name = "DOC", required = true)]
    pub docs: Vec<PathBuf>,
    /// The deck's id [default: from the first document's name]
    #[arg(long, value_name = "ID", value_parser = parse_deck_id)]
    pub deck_id: Option<String>,
    /// Keep only the N best cards, spread across the documents
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max: Option<usize>,
    /// Write the deck here instead of to standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `kioku class ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum ClassCommand {
    /// Per card and per student figures over the students' progress logs and
    /// quiz results (files, folders, or a class git repository)
    Report(ClassReportArgs),
}

/// `kioku class report`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ClassReportArgs {
    /// Students' logs (*.log) and `kioku quiz --json` results (*.json),
    /// folders holding them, or a git repository (URL or path) of them
    #[arg(value_name = "PATH", required = true)]
    pub inputs: Vec<String>,
    /// The decks the class studies [default: ./decks if there is one, else
    /// the built-in decks]
    #[arg(long = "decks", value_name = "PATH")]
    pub decks: Vec<PathBuf>,
    /// The class's exam date (YYYY-MM-DD): predicted recall on that day
    #[arg(long, value_name = "DATE")]
    pub exam: Option<String>,
    /// Print JSON instead of a table
    #[arg(long, conflicts_with_all = ["csv", "html"])]
    pub json: bool,
    /// Print CSV (one row per card, then one per student)
    #[arg(long, conflicts_with = "html")]
    pub csv: bool,
    /// Write a self-contained HTML page with charts to FILE
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Only the per-card figures, with no student's name, figures or wrong
    /// answers given only once: a report to share with the class
    #[arg(long)]
    pub anonymous: bool,
}

/// `kioku study`.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct StudyArgs {
    #[command(flatten)]
    pub decks: DeckArgs,
    /// Ask with plain lines on stdin/stdout instead of interactive prompts
    /// (automatic when stdin or stdout is not a terminal)
    #[arg(long)]
    pub plain: bool,
}

/// `kioku quiz`.
#[derive(Debug, Args, Clone)]
pub(crate) struct QuizArgs {
    #[command(flatten)]
    pub decks: DeckArgs,
    /// How many questions
    #[arg(long, short = 'n', default_value_t = 20, value_name = "N")]
    pub count: usize,
    /// Only cards with this tag (repeat for several)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only cards of this kind (repeat for several)
    #[arg(long = "kind", value_name = "KIND", value_parser = ["basic", "cloze", "choice", "multi", "order", "truefalse"])]
    pub kinds: Vec<String>,
    /// Stop asking after this long, e.g. 10m, 90s, 1h
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub time_limit: Option<std::time::Duration>,
    /// No feedback until the end, as in an exam
    #[arg(long)]
    pub exam_style: bool,
    /// Do not log the answers (they inform scheduling otherwise)
    #[arg(long)]
    pub no_record: bool,
    /// The same seed gives the same questions in the same order
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Print the result as JSON (with the name, date, seed, deck versions
    /// and every question), for `kioku class report`
    #[arg(long)]
    pub json: bool,
    /// Ask with plain lines on stdin/stdout instead of interactive prompts
    #[arg(long)]
    pub plain: bool,
    /// The learner's name in the result [default: `name` in the settings]
    #[arg(long = "as", value_name = "NAME")]
    pub name: Option<String>,
}

/// `kioku stats`.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct StatsArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// One card's memory state and full history, e.g. `treaties/yalta-1945`
    #[arg(long, value_name = "DECK/CARD")]
    pub card: Option<String>,
    /// With --card: its predicted recall on this date too (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", requires = "card")]
    pub on: Option<String>,
}

/// `kioku exam ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum ExamCommand {
    /// Record an exam on DATE (YYYY-MM-DD) for these decks
    Set {
        /// The exam's date
        #[arg(value_name = "DATE")]
        date: String,
        #[command(flatten)]
        decks: DeckArgs,
        /// Study time you can give each day
        #[arg(long, default_value_t = 20, value_name = "M")]
        minutes_per_day: u32,
        /// A name to find the exam by (`exam drop finals`)
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Replace an exam with the same name or date
        #[arg(long)]
        replace: bool,
    },
    /// List the exams
    List {
        #[arg(long)]
        json: bool,
    },
    /// Forget an exam (the reviews stay)
    Drop {
        /// The exam's name or date, as listed
        #[arg(value_name = "NAME|DATE")]
        exam: String,
    },
    /// Predicted recall on exam day and the daily plan
    Status {
        #[command(flatten)]
        decks: DeckArgs,
        /// Only this exam (its name or date)
        #[arg(long, value_name = "NAME|DATE")]
        exam: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// A deck id as the format wants it.
fn parse_deck_id(text: &str) -> Result<String, String> {
    if crate::deck::parse::is_valid_id(text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a valid deck id: use lowercase letters, digits and '-'"
        ))
    }
}

/// `90s`, `10m`, `1h`, `1h30m`, or plain minutes (`15`).
pub(crate) fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    if let Ok(minutes) = text.parse::<u64>() {
        return Ok(std::time::Duration::from_secs(minutes * 60));
    }
    let mut total = 0u64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u64 = number
            .parse()
            .map_err(|_| format!("`{text}` is not a duration; try 10m, 90s or 1h"))?;
        number.clear();
        total += n * match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return Err(format!("`{text}` is not a duration; try 10m, 90s or 1h")),
        };
    }
    if !number.is_empty() || total == 0 {
        return Err(format!("`{text}` is not a duration; try 10m, 90s or 1h"));
    }
    Ok(std::time::Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("90s"),
            Ok(std::time::Duration::from_secs(90))
        );
        assert_eq!(
            parse_duration("1h30m"),
            Ok(std::time::Duration::from_secs(5400))
        );
        assert_eq!(
            parse_duration("15"),
            Ok(std::time::Duration::from_secs(900))
        );
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("10x").is_err());
        assert!(parse_duration("0m").is_err());
    }
}

/// Deck files or folders.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct DeckArgs {
    /// Deck files, or folders searched for *.toml [default: ./decks if there
    /// is one, else the built-in decks]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `kioku optimize`: fit, or take parameters as they are.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct OptimizeArgs {
    /// Use these FSRS parameters instead of fitting: 21 numbers (FSRS-6),
    /// or 19 or 17 from older versions, separated by commas or spaces, as
    /// Anki's deck options show them
    #[arg(
        long,
        value_name = "NUMBERS",
        allow_hyphen_values = true,
        conflicts_with = "reset"
    )]
    pub set: Option<String>,
    /// Go back to FSRS's default parameters
    #[arg(long)]
    pub reset: bool,
}

/// Deck paths, for a command whose output is data.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct DataArgs {
    #[command(flatten)]
    pub decks: DeckArgs,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}
