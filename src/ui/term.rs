//! The interactive terminal: single keys for revealing and rating, the
//! terminal's own line editing for typed answers (it handles wide characters
//! and input methods for Japanese), and dialoguer's Select for choices.

use std::io::{self, Write};

use dialoguer::Select;
use dialoguer::console::{self, Key};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};

use super::{Command, Prompter, Rated, Reply, line_command, parse_rating};
use crate::paint::Paint;
use crate::rating::Rating;

pub struct Term {
    term: console::Term,
    paint: Paint,
}

impl Term {
    pub fn new(paint: Paint) -> Self {
        Term {
            term: console::Term::stdout(),
            paint,
        }
    }

    fn key(&mut self) -> io::Result<Key> {
        let key = self.term.read_key();
        // A hidden cursor must never outlive a prompt.
        let _ = self.term.show_cursor();
        match key {
            // Ctrl-C interrupted the read: the interrupt handler is ending
            // the process (one exit path, code 130); give it the moment it
            // needs rather than racing it with an error.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                std::thread::sleep(std::time::Duration::from_secs(2));
                Ok(Key::CtrlC)
            }
            other => other,
        }
    }

    fn prompt(&mut self, prompt: &str) -> io::Result<()> {
        write!(self.term, "{} ", self.paint.cyan(prompt))?;
        self.term.flush()
    }
}

/// A key that is a session command.
fn command(key: &Key) -> Option<Command> {
    match key {
        Key::Char('q') | Key::Escape | Key::CtrlC => Some(Command::Quit),
        Key::Char('u') => Some(Command::Undo),
        Key::Char('s') => Some(Command::Bury),
        Key::Char('?') | Key::Char('h') => Some(Command::Help),
        _ => None,
    }
}

impl Prompter for Term {
    fn show(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.term, "{text}")
    }

    fn reveal(&mut self, prompt: &str) -> io::Result<Reply<()>> {
        self.prompt(prompt)?;
        loop {
            let key = self.key()?;
            if let Some(c) = command(&key) {
                writeln!(self.term)?;
                return Ok(Reply::Command(c));
            }
            if matches!(key, Key::Enter | Key::Char(' ')) {
                writeln!(self.term)?;
                return Ok(Reply::Value(()));
            }
        }
    }

    fn line(&mut self, prompt: &str) -> io::Result<Reply<String>> {
        self.prompt(prompt)?;
        let mut line = String::new();
        // Cooked mode: the terminal edits the line, so wide characters and
        // input methods work as in any shell prompt.
        if io::stdin().read_line(&mut line)? == 0 {
            return Ok(Reply::Command(Command::Quit));
        }
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        Ok(line_command(&line).map_or(Reply::Value(line), Reply::Command))
    }

    fn choose(&mut self, prompt: &str, options: &[String]) -> io::Result<Reply<usize>> {
        let colorful = ColorfulTheme::default();
        let simple = SimpleTheme;
        let theme: &dyn Theme = if self.paint.is_enabled() {
            &colorful
        } else {
            &simple
        };
        let picked = Select::with_theme(theme)
            .with_prompt(format!("{prompt} (Esc quits)"))
            .items(options)
            .default(0)
            .interact_on_opt(&self.term);
        let _ = self.term.show_cursor();
        match picked {
            Ok(Some(i)) => Ok(Reply::Value(i)),
            Ok(None) => Ok(Reply::Command(Command::Quit)),
            Err(dialoguer::Error::IO(e)) if e.kind() == io::ErrorKind::Interrupted => {
                Ok(Reply::Command(Command::Quit))
            }
            Err(dialoguer::Error::IO(e)) => Err(e),
        }
    }

    fn rate(&mut self, prompt: &str, suggested: Option<Rating>) -> io::Result<Reply<Rated>> {
        self.prompt(prompt)?;
        loop {
            let key = self.key()?;
            if let Some(c) = command(&key) {
                writeln!(self.term)?;
                return Ok(Reply::Command(c));
            }
            let rated = match (&key, suggested) {
                (Key::Enter, Some(s)) => Some(Rated::Rating(s)),
                (Key::Char('r'), Some(_)) => Some(Rated::IWasRight),
                (Key::Char(c), _) => parse_rating(&c.to_string()).map(Rated::Rating),
                _ => None,
            };
            if let Some(r) = rated {
                writeln!(self.term)?;
                return Ok(Reply::Value(r));
            }
        }
    }

    fn width(&self) -> usize {
        usize::from(self.term.size().1).clamp(20, 100)
    }
}
