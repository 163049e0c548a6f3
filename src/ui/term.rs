//! The interactive terminal: single keys for revealing, rating and choice
//! menus, and a line editor (rustyline) for typed answers: cursor keys,
//! Home/End, Delete, Ctrl-W and Alt-Backspace, wide characters and input
//! methods for Japanese. Ctrl-C is read as a key everywhere, so it ends the
//! session through the same path as `q` (with exit code 130).

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use dialoguer::console::{self, Key};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{
    Cmd, ConditionalEventHandler, Editor, Event, EventContext, EventHandler, KeyCode, KeyEvent,
    Modifiers, RepeatCount,
};

use super::{Command, Prompter, Rated, Reply, line_command, parse_rating};
use crate::paint::{Paint, Style};
use crate::rating::Rating;
use crate::text::Safe;

type LineEditor = Editor<(), DefaultHistory>;

pub(crate) struct Term {
    term: console::Term,
    paint: Paint,
    /// Made on the first typed answer (a session of flip cards needs none).
    editor: Option<LineEditor>,
    /// Set by the editor's Esc binding: Esc quits, like `:q`.
    escaped: Arc<AtomicBool>,
}

/// Esc in the line editor: remembered, then the line is abandoned.
struct EscQuits(Arc<AtomicBool>);

impl ConditionalEventHandler for EscQuits {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, _: &EventContext) -> Option<Cmd> {
        self.0.store(true, Ordering::SeqCst);
        Some(Cmd::Interrupt)
    }
}

impl Term {
    pub(crate) fn new(paint: Paint) -> Self {
        Term {
            term: console::Term::stdout(),
            paint,
            editor: None,
            escaped: Arc::new(AtomicBool::new(false)),
        }
    }

    fn editor(&mut self) -> io::Result<&mut LineEditor> {
        if self.editor.is_none() {
            let config = rustyline::Config::builder()
                .auto_add_history(false)
                .edit_mode(rustyline::EditMode::Emacs)
                // A lone Esc is told from an arrow key's escape sequence by
                // the pause after it.
                .keyseq_timeout(Some(50))
                .build();
            let mut editor = LineEditor::with_config(config).map_err(readline_io)?;
            editor.bind_sequence(
                KeyEvent(KeyCode::Esc, Modifiers::NONE),
                EventHandler::Conditional(Box::new(EscQuits(self.escaped.clone()))),
            );
            self.editor = Some(editor);
        }
        self.editor
            .as_mut()
            .ok_or_else(|| io::Error::other("no line editor"))
    }

    /// One key, with Ctrl-C read as a key rather than a signal. A Ctrl-C
    /// that came as a signal just before (the terminal is raw only while a
    /// key is read) is taken as that key.
    fn key(&mut self) -> io::Result<Key> {
        if super::interrupted() {
            return Ok(Key::CtrlC);
        }
        let key = self.term.read_key_raw();
        // A hidden cursor must never outlive a prompt.
        let _ = self.term.show_cursor();
        key
    }

    fn prompt(&mut self, prompt: &Safe) -> io::Result<()> {
        write!(self.term, "{} ", self.paint.safe(Style::Cyan, prompt))?;
        self.term.flush()
    }

    /// Draws a submitted answer again wrapped between words under its
    /// prompt, where the editor's echo ran past the edge and the terminal
    /// broke it inside a word (`Shikota` / `n, Habomai` at 40 columns).
    /// What stays on screen is what the student reads beside the feedback.
    fn rewrap(&mut self, prompt: &Safe, painted: &str, line: &str) -> io::Result<()> {
        let columns = usize::from(self.term.size().1);
        let indent = crate::text::width(prompt.as_str()) + 1;
        let echoed = format!("{} {line}", prompt.as_str());
        let rows = echoed_rows(&echoed, columns);
        // One row needs nothing; too narrow a terminal keeps the echo.
        if rows <= 1 || columns < indent + 16 {
            return Ok(());
        }
        self.term.clear_last_lines(rows)?;
        let answer = crate::text::sanitize(line, false);
        let text = crate::text::hanging(painted, indent, &answer, Some(columns), str::to_string);
        write!(self.term, "{text}")?;
        self.term.flush()
    }
}

/// The rows above the cursor after the line editor echoed `text` in
/// `columns` and Enter moved to the next row: rustyline's own layout (a
/// wide character that does not fit goes to the next row; a row filled to
/// the edge puts the cursor on a row of its own).
fn echoed_rows(text: &str, columns: usize) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    let (mut row, mut col) = (0, 0);
    for g in text.graphemes(true) {
        let w = crate::text::width(g);
        col += w;
        if col > columns {
            row += 1;
            col = w;
        }
    }
    if col == columns {
        row += 1;
    }
    row + 1
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.term.show_cursor();
        let _ = self.term.flush();
    }
}

fn readline_io(e: ReadlineError) -> io::Error {
    match e {
        ReadlineError::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

/// A key that is a session command.
fn command(key: &Key) -> Option<Command> {
    match key {
        Key::Char('q') | Key::Escape => Some(Command::Quit),
        Key::CtrlC => {
            super::note_interrupt();
            Some(Command::Interrupt)
        }
        Key::Char('u') => Some(Command::Undo),
        Key::Char('s') => Some(Command::Bury),
        Key::Char('?' | 'h') => Some(Command::Help),
        _ => None,
    }
}

impl Prompter for Term {
    fn show(&mut self, text: &Safe) -> io::Result<()> {
        writeln!(self.term, "{text}")
    }

    fn reveal(&mut self, prompt: &Safe) -> io::Result<Reply<()>> {
        if super::interrupted() {
            return Ok(Reply::Command(Command::Interrupt));
        }
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

    fn line(&mut self, prompt: &Safe) -> io::Result<Reply<String>> {
        if super::interrupted() {
            return Ok(Reply::Command(Command::Interrupt));
        }
        let painted = format!("{} ", self.paint.safe(Style::Cyan, prompt));
        self.escaped.store(false, Ordering::SeqCst);
        let read = self.editor()?.readline(&painted);
        match read {
            Ok(line) => {
                self.rewrap(prompt, &painted, &line)?;
                Ok(line_command(&line).map_or(Reply::Value(line), Reply::Command))
            }
            Err(ReadlineError::Interrupted) if self.escaped.load(Ordering::SeqCst) => {
                Ok(Reply::Command(Command::Quit))
            }
            Err(ReadlineError::Interrupted) => {
                super::note_interrupt();
                Ok(Reply::Command(Command::Interrupt))
            }
            // Ctrl-D on an empty line: the end of input.
            Err(ReadlineError::Eof) => Ok(Reply::Command(Command::Quit)),
            Err(e) => Err(readline_io(e)),
        }
    }

    /// A menu: a digit picks at once; ↑ ↓ move the marker and Enter picks;
    /// u, s, ?, q, Esc and Ctrl-C are commands as at every prompt.
    fn choose(&mut self, prompt: &Safe, options: &[Safe]) -> io::Result<Reply<usize>> {
        if super::interrupted() {
            return Ok(Reply::Command(Command::Interrupt));
        }
        let width = self.width().saturating_sub(6).max(10);
        // The prompt must fit on one line to be redrawn in place.
        let last = options.len().min(9);
        let long = format!("{prompt} (1–{last}, or ↑ ↓ and Enter)");
        let hint = if crate::text::width(&long) < self.width() {
            Safe::from(long)
        } else {
            Safe::from(format!("{prompt} (1–{last})"))
        };
        let mut at = 0;
        loop {
            let mut drawn = 0;
            for (i, option) in options.iter().enumerate() {
                let wrapped = Safe::wrapped(option.as_str(), width);
                for (j, line) in wrapped.as_str().lines().enumerate() {
                    let lead = match (j, i == at) {
                        (0, true) => format!("› {}) ", i + 1),
                        (0, false) => format!("  {}) ", i + 1),
                        _ => "     ".to_string(),
                    };
                    let line = Safe::line(&format!("{lead}{line}"));
                    let line = if i == at {
                        self.paint.safe(Style::Cyan, &line)
                    } else {
                        line
                    };
                    writeln!(self.term, "{line}")?;
                    drawn += 1;
                }
            }
            self.prompt(&hint)?;
            let key = self.key()?;
            if let Some(c) = command(&key) {
                writeln!(self.term)?;
                return Ok(Reply::Command(c));
            }
            let picked = match key {
                Key::Char(c) => c
                    .to_digit(10)
                    .map(|d| d as usize)
                    .filter(|d| (1..=options.len()).contains(d))
                    .map(|d| d - 1),
                Key::Enter => Some(at),
                Key::ArrowUp | Key::BackTab => {
                    at = at.checked_sub(1).unwrap_or(options.len().saturating_sub(1));
                    None
                }
                Key::ArrowDown | Key::Tab => {
                    at = (at + 1) % options.len().max(1);
                    None
                }
                _ => None,
            };
            if let Some(i) = picked {
                writeln!(self.term)?;
                return Ok(Reply::Value(i));
            }
            // Draw the menu again with the marker where it is now.
            self.term.clear_line()?;
            self.term.clear_last_lines(drawn)?;
        }
    }

    fn rate(
        &mut self,
        prompt: &Safe,
        suggested: Option<Rating>,
        claim: bool,
    ) -> io::Result<Reply<Rated>> {
        if super::interrupted() {
            return Ok(Reply::Command(Command::Interrupt));
        }
        self.prompt(prompt)?;
        loop {
            let key = self.key()?;
            if let Some(c) = command(&key) {
                writeln!(self.term)?;
                return Ok(Reply::Command(c));
            }
            let rated = match (&key, suggested) {
                (Key::Enter, Some(s)) => Some(Rated::Rating(s)),
                (Key::Char('r'), Some(_)) if claim => Some(Rated::IWasRight),
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

#[cfg(test)]
mod tests {
    use super::echoed_rows;

    #[test]
    fn echoed_rows_follow_the_editors_layout() {
        assert_eq!(echoed_rows("Your answer: Tokyo", 40), 1);
        // Filled to the edge: the cursor went to a row of its own.
        assert_eq!(echoed_rows(&"x".repeat(40), 40), 2);
        assert_eq!(echoed_rows(&"x".repeat(41), 40), 2);
        assert_eq!(echoed_rows(&"x".repeat(80), 40), 3);
        // A wide character that would straddle the edge starts the next row.
        let wide = format!("{}択捉島", "x".repeat(39));
        assert_eq!(echoed_rows(&wide, 40), 2);
        assert_eq!(echoed_rows(&format!("{}択", "x".repeat(38)), 40), 2);
    }
}
