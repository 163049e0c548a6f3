//! kioku (記憶, "memory"): spaced-repetition flashcards and quizzes in the
//! terminal. Data flows one way: deck files → deck model → daily plan →
//! session queue → session → progress log, and the log back into card
//! states by replay.

mod bridge;
mod class;
mod cli;
mod commands;
mod config;
mod deck;
mod diagnostic;
mod draft;
mod error;
mod exam;
mod fuzz;
mod grade;
mod paint;
mod paths;
mod progress;
mod quiz;
mod rating;
mod schedule;
mod session;
pub mod stats;
mod suggest;
mod sync;
mod text;
mod ui;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, StudyArgs};
use commands::{Context, Outcome};
pub use error::Error;
/// Used by the statistics' public API (and its tests).
pub use paint::Paint;
pub use rating::Rating;
/// Display width in terminal columns (wide characters count two).
pub use text::width as display_width;

/// Entry points for the fuzz targets in `fuzz/`; their saved corpus is
/// replayed by `cargo test`. Not part of kioku's interface.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::fuzz::{deck, import, log, settings};
}

/// What the benchmarks (`benches/large_collection.rs`, the import
/// benchmark) time, stage by stage, and build their data with. Not part of
/// kioku's interface.
#[doc(hidden)]
pub mod bench {
    pub use crate::bridge::anki_write::{CardHistory, write_apkg};
    pub use crate::config::{Config, ExamConfig};
    pub use crate::deck::cache;
    pub use crate::deck::load::{deck_files, load};
    pub use crate::deck::parse::Checks;
    pub use crate::progress::event::{Event, EventId, HEADER, format_time};
    pub use crate::progress::store::read;
    pub use crate::schedule::day::Days;
    pub use crate::schedule::introduce::order as introduce_order;
    pub use crate::schedule::scheduler::{Restored, Scheduler, Wanted};
    pub use crate::schedule::snapshot;
}

/// What the exam simulation (`crates/exam-sim`) drives: the planner that
/// `study` runs. Not part of kioku's interface.
#[doc(hidden)]
pub mod exam_planner {
    pub use crate::exam::sim::*;
}

/// Runs kioku with these arguments (the first is the program name) and
/// returns the process exit code: 0 success, 1 problems or errors, 2 usage,
/// 130 interrupted by Ctrl-C.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            print_parse_error(&e);
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let ctx = Context {
        out: Paint::for_stdout(cli.global.color),
        err: Paint::for_stderr(cli.global.color),
        global: cli.global,
    };
    match dispatch(&ctx, cli.command) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::FAILURE,
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        // `kioku list | head` closing the pipe early is not an error.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report(&ctx.err, &e);
            ExitCode::from(e.exit_code())
        }
    }
}

fn dispatch(ctx: &Context, command: Option<Command>) -> Result<Outcome, Error> {
    match command.unwrap_or(Command::Study(StudyArgs::default())) {
        Command::Check(args) => commands::check::run(ctx, &args),
        Command::List(args) => commands::list::run(ctx, &args),
        Command::Study(args) => commands::study::run(ctx, &args),
        Command::Quiz(args) => commands::quiz::run(ctx, &args),
        Command::Stats(args) => commands::stats::run(ctx, &args),
        Command::Due(args) => commands::due::run(ctx, &args),
        Command::Optimize(args) => commands::optimize::run(ctx, &args),
        Command::Merge { other, yes } => commands::merge::run(ctx, &other, yes),
        Command::Sync { init } => commands::sync::run(ctx, init.as_deref()),
        Command::Class(command) => commands::class::run(ctx, &command),
        Command::Doctor(args) => commands::doctor::run(ctx, &args),
        Command::Exam(command) => commands::exam::run(ctx, &command),
        Command::Decks(command) => commands::decks::run(ctx, &command),
        Command::Paths { json } => commands::paths::run(ctx, json),
        Command::Completions { shell } => commands::install::completions(shell),
        Command::Man => commands::install::man(),
        Command::Import(args) => commands::import::run(ctx, &args),
        Command::Export(args) => commands::export::run(ctx, &args),
        Command::Draft(args) => commands::draft::run(ctx, &args),
    }
}

/// Prints what clap says about the command line. clap wraps its help to
/// the terminal but not its errors, so on a terminal too narrow for them
/// they are wrapped here between words, each line's later parts under its
/// text (`tip: a similar argument exists: '--output'` broke inside the
/// argument at 40 columns).
fn print_parse_error(e: &clap::Error) {
    let columns = if e.use_stderr() {
        text::stderr_columns()
    } else {
        None
    };
    let plain = e.render().to_string();
    let Some(columns) = columns.filter(|c| plain.lines().any(|l| text::width(l) > *c)) else {
        let _ = e.print();
        return;
    };
    let paint = paint::Paint::for_stderr(paint::ColorChoice::Auto);
    let mut err = std::io::stderr().lock();
    for line in plain.lines() {
        let _ = err.write_all(text::hanging_lines(line, columns, &paint).as_bytes());
    }
}

/// Prints an error once, with its help line.
fn report(paint: &Paint, e: &Error) {
    let mut err = text::Gate::stderr(paint);
    // Wrapped between words on a terminal, whole lines otherwise.
    let columns = text::stderr_columns();
    let message = text::sanitize(&e.to_string(), false);
    for (i, line) in text::wrap_after(&message, columns, 7).iter().enumerate() {
        let _ = match i {
            0 => writeln!(err, "{}: {line}", paint.red_bold("error")),
            _ => writeln!(err, "       {line}"),
        };
    }
    if let Some(help) = e.help() {
        for (i, line) in text::wrap_after(&help, columns, 8).iter().enumerate() {
            let _ = match i {
                0 => writeln!(err, "  {} {line}", paint.bold("help:")),
                _ => writeln!(err, "        {line}"),
            };
        }
    }
}
