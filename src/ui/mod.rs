//! The only place that talks to the terminal. Sessions ask through the
//! [`Prompter`] trait; [`Plain`] reads lines (scripts, pipes, tests) and
//! [`Term`] reads keys interactively.
//!
//! Commands are the same at every prompt, menus included: `q` or Esc quits
//! (everything answered is saved), `u` undoes, `s` buries the card until
//! tomorrow, `?` shows help, Ctrl-C quits with exit code 130. Where a line
//! of text is being typed (an answer), they are written `:q`, `:u`, `:s`,
//! `:?`, so an answer is never mistaken for a command.
//!
//! Everything printed goes through [`Safe`]: the prompter's functions take
//! no other text, so nothing from a deck, a file name, the log or the
//! learner can reach the terminal unsanitised.

mod plain;
mod term;

pub(crate) use plain::Plain;
pub(crate) use term::Term;

use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};

use crate::rating::Rating;
use crate::text::Safe;

/// A session command the learner can give instead of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Command {
    Quit,
    Undo,
    Bury,
    Help,
    /// Ctrl-C: like Quit, but the process ends with exit code 130.
    Interrupt,
}

/// An answer, or a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply<T> {
    Value(T),
    Command(Command),
}

/// The learner's rating after seeing the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rated {
    Rating(Rating),
    /// "I was right": count it as Good and accept this answer from now on.
    IWasRight,
}

pub(crate) trait Prompter {
    /// Shows text (already wrapped); a newline is added.
    fn show(&mut self, text: &Safe) -> io::Result<()>;
    /// Waits for the learner to reveal the answer.
    fn reveal(&mut self, prompt: &Safe) -> io::Result<Reply<()>>;
    /// Reads a typed answer.
    fn line(&mut self, prompt: &Safe) -> io::Result<Reply<String>>;
    /// Picks one of `options` (shown numbered).
    fn choose(&mut self, prompt: &Safe, options: &[Safe]) -> io::Result<Reply<usize>>;
    /// A rating 1–4; with a suggestion, Enter takes it; `r` ("I was right")
    /// only when `claim` (a typed answer not graded right as typed).
    fn rate(
        &mut self,
        prompt: &Safe,
        suggested: Option<Rating>,
        claim: bool,
    ) -> io::Result<Reply<Rated>>;
    /// Columns to wrap text to.
    fn width(&self) -> usize;
}

/// A command written in a typed line: `:q`, `:u`, `:s`, `:?`.
pub(crate) fn line_command(line: &str) -> Option<Command> {
    match line.trim() {
        ":q" | ":quit" => Some(Command::Quit),
        ":u" | ":undo" => Some(Command::Undo),
        ":s" | ":skip" | ":bury" => Some(Command::Bury),
        ":?" | ":h" | ":help" => Some(Command::Help),
        _ => None,
    }
}

/// A command given as a single key or word: `q`, `u`, `s`, `?`.
pub(crate) fn key_command(word: &str) -> Option<Command> {
    match word.trim() {
        "q" | "quit" => Some(Command::Quit),
        "u" | "undo" => Some(Command::Undo),
        "s" | "skip" | "bury" => Some(Command::Bury),
        "?" | "h" | "help" => Some(Command::Help),
        other => line_command(other),
    }
}

/// A rating from `1`–`4` or its name.
pub(crate) fn parse_rating(word: &str) -> Option<Rating> {
    let word = word.trim().to_lowercase();
    word.parse()
        .ok()
        .and_then(Rating::from_number)
        .or_else(|| Rating::from_name(&word))
}

/// Set once Ctrl-C was pressed: the command ends with exit code 130 after
/// saving what was answered and printing its summary.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Wakes a plain prompt blocked on standard input when Ctrl-C comes.
static WAKE: Mutex<Option<Sender<Chunk>>> = Mutex::new(None);

/// Whether Ctrl-C was pressed during this run.
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Records that the learner pressed Ctrl-C (read as a key, or as SIGINT).
fn note_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Ctrl-C as a signal (outside a raw-mode key read, which sees it as a
/// key): the first one is turned into [`Command::Interrupt`] at the next
/// prompt, so the session saves, prints its summary and exits with 130.
/// A second one, if the first goes unanswered, exits at once with 130;
/// every answer is synced as it is given, so nothing is lost either way.
pub(crate) fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            use std::io::{IsTerminal, Write};
            let mut err = std::io::stderr();
            if err.is_terminal() {
                // The cursor, in case a menu had hidden it.
                let _ = writeln!(err, "\x1b[?25h");
            }
            let _ = err.flush();
            std::process::exit(130);
        }
        if let Ok(wake) = WAKE.lock()
            && let Some(tx) = wake.as_ref()
        {
            let _ = tx.send(Chunk::Interrupt);
        }
    });
}

/// What the standard-input reader thread passes on.
enum Chunk {
    Data(Vec<u8>),
    End,
    Interrupt,
}

/// The error a read returns when Ctrl-C interrupts it (std's own
/// `Interrupted` kind is retried by `read_line`, so it cannot be used).
#[derive(Debug)]
struct CtrlC;

impl std::fmt::Display for CtrlC {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted by Ctrl-C")
    }
}

impl std::error::Error for CtrlC {}

/// Whether a read failed because of Ctrl-C.
pub(crate) fn is_ctrl_c(e: &io::Error) -> bool {
    e.get_ref().is_some_and(
        <dyn std::error::Error + std::marker::Send + std::marker::Sync + 'static>::is::<CtrlC>,
    )
}

/// Standard input read on a thread of its own, so that Ctrl-C can end a
/// plain prompt that is waiting for a line.
pub(crate) struct Stdin {
    rx: Receiver<Chunk>,
    pending: Vec<u8>,
    at: usize,
    ended: bool,
}

impl Stdin {
    pub(crate) fn new() -> Stdin {
        let (tx, rx) = std::sync::mpsc::channel();
        if let Ok(mut wake) = WAKE.lock() {
            *wake = Some(tx.clone());
        }
        std::thread::spawn(move || {
            use std::io::Read;
            let mut stdin = io::stdin().lock();
            let mut buf = vec![0u8; 8192];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        let _ = tx.send(Chunk::End);
                        break;
                    }
                    Ok(n) => {
                        if tx.send(Chunk::Data(buf[..n].to_vec())).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Stdin {
            rx,
            pending: Vec::new(),
            at: 0,
            ended: false,
        }
    }
}

impl Default for Stdin {
    fn default() -> Self {
        Stdin::new()
    }
}

impl io::Read for Stdin {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.pending.len() {
            if self.ended {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Chunk::Data(d)) => {
                    self.pending = d;
                    self.at = 0;
                }
                Ok(Chunk::End) | Err(_) => self.ended = true,
                Ok(Chunk::Interrupt) => return Err(io::Error::other(CtrlC)),
            }
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The prompter for this run: plain when asked or when stdin or stdout is
/// not a terminal, interactive otherwise. Either way Ctrl-C ends the
/// session cleanly with exit code 130.
pub(crate) fn prompter(plain: bool, paint: crate::paint::Paint) -> Box<dyn Prompter> {
    use std::io::IsTerminal;
    install_interrupt_handler();
    if plain || !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        // `--plain` in a terminal wraps to it; pipes get 80 columns.
        let width = if io::stdout().is_terminal() {
            usize::from(dialoguer::console::Term::stdout().size().1).clamp(20, 100)
        } else {
            80
        };
        let plain = Plain::new(
            io::BufReader::new(Stdin::new()),
            crate::text::Gate::new(io::stdout(), paint.is_enabled()),
            width,
        );
        // A terminal echoes what is typed; a pipe does not.
        if io::stdin().is_terminal() {
            Box::new(plain.without_echo())
        } else {
            Box::new(plain)
        }
    } else {
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
