//! The only place that talks to the terminal. Sessions ask through the
//! [`Prompter`] trait; [`Plain`] reads lines (scripts, pipes, tests) and
//! [`Term`] reads keys interactively.
//!
//! Commands are the same everywhere: `q` quits (everything answered is
//! already saved), `u` undoes the last answer, `s` buries the card until
//! tomorrow, `?` shows help. Where a line of text is being typed (an answer),
//! they are written `:q`, `:u`, `:s`, `:?`, so an answer is never mistaken
//! for a command.

mod plain;
mod term;

pub use plain::Plain;
pub use term::Term;

use std::io;

use crate::rating::Rating;

/// A session command the learner can give instead of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Undo,
    Bury,
    Help,
}

/// An answer, or a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<T> {
    Value(T),
    Command(Command),
}

/// The learner's rating after seeing the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rated {
    Rating(Rating),
    /// "I was right": count it as Good and accept this answer from now on.
    IWasRight,
}

pub trait Prompter {
    /// Shows text (already sanitized and wrapped); a newline is added.
    fn show(&mut self, text: &str) -> io::Result<()>;
    /// Waits for the learner to reveal the answer.
    fn reveal(&mut self, prompt: &str) -> io::Result<Reply<()>>;
    /// Reads a typed answer.
    fn line(&mut self, prompt: &str) -> io::Result<Reply<String>>;
    /// Picks one of `options` (shown numbered).
    fn choose(&mut self, prompt: &str, options: &[String]) -> io::Result<Reply<usize>>;
    /// A rating 1–4; with a suggestion, Enter takes it and `r` is offered.
    fn rate(&mut self, prompt: &str, suggested: Option<Rating>) -> io::Result<Reply<Rated>>;
    /// Columns to wrap text to.
    fn width(&self) -> usize;
}

/// A command written in a typed line: `:q`, `:u`, `:s`, `:?`.
pub fn line_command(line: &str) -> Option<Command> {
    match line.trim() {
        ":q" | ":quit" => Some(Command::Quit),
        ":u" | ":undo" => Some(Command::Undo),
        ":s" | ":skip" | ":bury" => Some(Command::Bury),
        ":?" | ":h" | ":help" => Some(Command::Help),
        _ => None,
    }
}

/// A command given as a single key or word: `q`, `u`, `s`, `?`.
pub fn key_command(word: &str) -> Option<Command> {
    match word.trim() {
        "q" | "quit" => Some(Command::Quit),
        "u" | "undo" => Some(Command::Undo),
        "s" | "skip" | "bury" => Some(Command::Bury),
        "?" | "h" | "help" => Some(Command::Help),
        other => line_command(other),
    }
}

/// A rating from `1`–`4` or its name.
pub fn parse_rating(word: &str) -> Option<Rating> {
    let word = word.trim().to_lowercase();
    word.parse()
        .ok()
        .and_then(Rating::from_number)
        .or_else(|| Rating::from_name(&word))
}

/// Restores the terminal on Ctrl-C, wherever it comes: the cursor is shown
/// again and the process ends with 130. The terminal is in line mode except
/// during a single key read, which console restores itself. Every answer
/// was synced as it was given, so nothing is lost.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        use std::io::Write;
        let mut err = std::io::stderr();
        let _ = writeln!(err, "\x1b[?25h");
        let _ = err.flush();
        std::process::exit(130);
    });
}

/// The prompter for this run: plain when asked or when stdin or stdout is
/// not a terminal (dialoguer cannot run without one).
pub fn prompter(plain: bool, paint: crate::paint::Paint) -> Box<dyn Prompter> {
    use std::io::IsTerminal;
    if plain || !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        Box::new(Plain::new(
            io::BufReader::new(io::stdin()),
            io::stdout(),
            80,
        ))
    } else {
        install_interrupt_handler();
        Box::new(Term::new(paint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_ratings() {
        assert_eq!(line_command(":q"), Some(Command::Quit));
        assert_eq!(line_command("q"), None, "a typed answer `q` is an answer");
        assert_eq!(key_command("u"), Some(Command::Undo));
        assert_eq!(key_command(":s"), Some(Command::Bury));
        assert_eq!(parse_rating("3"), Some(Rating::Good));
        assert_eq!(parse_rating("Easy"), Some(Rating::Easy));
        assert_eq!(parse_rating("5"), None);
    }
}
