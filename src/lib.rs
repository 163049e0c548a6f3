//! kioku (記憶, "memory"): spaced-repetition flashcards and quizzes in the
//! terminal. Data flows one way: deck files → [`deck`] model → queue →
//! session → progress log.

pub mod class;
pub mod cli;
pub mod commands;
pub mod config;
pub mod deck;
pub mod diagnostic;
pub mod error;
pub mod exam;
pub mod grade;
pub mod paint;
pub mod paths;
pub mod progress;
pub mod quiz;
pub mod rating;
pub mod schedule;
pub mod session;
pub mod stats;
pub mod suggest;
pub mod sync;
pub mod text;
pub mod ui;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, StudyArgs};
use commands::{Context, Outcome};
pub use error::Error;
use paint::Paint;

/// Runs kioku with these arguments (the first is the program name) and
/// returns the process exit code: 0 success, 1 problems or errors, 2 usage.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
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
        Command::Optimize => commands::optimize::run(ctx),
        Command::Merge { other } => commands::merge::run(ctx, &other),
        Command::Sync { init } => commands::sync::run(ctx, init.as_deref()),
        Command::Class(command) => commands::class::run(ctx, &command),
        Command::Doctor(args) => commands::doctor::run(ctx, &args),
        Command::Exam(command) => commands::exam::run(ctx, &command),
        Command::Decks(command) => commands::decks::run(ctx, &command),
        Command::Paths { json } => commands::paths::run(ctx, json),
        Command::Completions { shell } => commands::install::completions(shell),
        Command::Man => commands::install::man(),
    }
}

/// Prints an error once, with its help line.
fn report(paint: &Paint, e: &Error) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{}: {}",
        paint.red_bold("error"),
        text::sanitize(&e.to_string(), false)
    );
    if let Some(help) = e.help() {
        let _ = writeln!(err, "  {} {help}", paint.bold("help:"));
    }
}
