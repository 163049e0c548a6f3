//! Plain lines in, plain lines out: for scripts, pipes and tests.

use std::io::{self, BufRead, Write};

use super::{Command, Prompter, Rated, Reply, key_command, line_command, parse_rating};
use crate::rating::Rating;
use crate::text::Safe;

/// A line read, or why there is none.
enum Read {
    Line(String),
    End,
    CtrlC,
}

pub(crate) struct Plain<R, W> {
    input: R,
    output: W,
    width: usize,
    /// Write what was read after the prompt, so a piped session reads as a
    /// transcript (a terminal echoes by itself).
    echo: bool,
}

impl<R: BufRead, W: Write> Plain<R, W> {
    pub(crate) fn new(input: R, output: W, width: usize) -> Self {
        Plain {
            input,
            output,
            width,
            echo: true,
        }
    }

    /// For input typed on a terminal, which echoes it already.
    pub(crate) fn without_echo(mut self) -> Self {
        self.echo = false;
        self
    }

    /// The next line, or the end of input, or Ctrl-C.
    fn read(&mut self, prompt: &Safe) -> io::Result<Read> {
        write!(self.output, "{prompt} ")?;
        self.output.flush()?;
        let mut line = String::new();
        match self.input.read_line(&mut line) {
            Ok(0) => {
                writeln!(self.output)?;
                return Ok(Read::End);
            }
            Ok(_) => {}
            Err(e) if super::is_ctrl_c(&e) => {
                super::note_interrupt();
                writeln!(self.output)?;
                return Ok(Read::CtrlC);
            }
            Err(e) => return Err(e),
        }
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        if self.echo {
            writeln!(self.output, "{}", Safe::line(&line))?;
        }
        Ok(Read::Line(line))
    }

    #[cfg(test)]
    pub(crate) fn into_output(self) -> W {
        self.output
    }
}

/// Leaving instead of answering: end of input quits, Ctrl-C interrupts.
fn leave(read: &Read) -> Option<Command> {
    match read {
        Read::Line(_) => None,
        Read::End => Some(Command::Quit),
        Read::CtrlC => Some(Command::Interrupt),
    }
}

impl<R: BufRead, W: Write> Prompter for Plain<R, W> {
    fn show(&mut self, text: &Safe) -> io::Result<()> {
        writeln!(self.output, "{text}")
    }

    fn reveal(&mut self, prompt: &Safe) -> io::Result<Reply<()>> {
        Ok(match self.read(prompt)? {
            Read::Line(l) => key_command(&l).map_or(Reply::Value(()), Reply::Command),
            other => Reply::Command(leave(&other).unwrap_or(Command::Quit)),
        })
    }

    fn line(&mut self, prompt: &Safe) -> io::Result<Reply<String>> {
        Ok(match self.read(prompt)? {
            Read::Line(l) => line_command(&l).map_or(Reply::Value(l), Reply::Command),
            other => Reply::Command(leave(&other).unwrap_or(Command::Quit)),
        })
    }

    fn choose(&mut self, prompt: &Safe, options: &[Safe]) -> io::Result<Reply<usize>> {
        let indent = Safe::from("     ");
        for (i, option) in options.iter().enumerate() {
            let wrapped = Safe::wrapped(option.as_str(), self.width.saturating_sub(5));
            let lines: Vec<Safe> = wrapped.as_str().lines().map(Safe::line).collect();
            let number = Safe::from(format!("  {}) ", i + 1));
            for (j, line) in lines.iter().enumerate() {
                let lead = if j == 0 { &number } else { &indent };
                writeln!(self.output, "{lead}{line}")?;
            }
        }
        loop {
            let l = match self.read(prompt)? {
                Read::Line(l) => l,
                other => return Ok(Reply::Command(leave(&other).unwrap_or(Command::Quit))),
            };
            if let Some(c) = key_command(&l) {
                return Ok(Reply::Command(c));
            }
            match l.trim().parse::<usize>() {
                Ok(n) if (1..=options.len()).contains(&n) => return Ok(Reply::Value(n - 1)),
                _ => writeln!(self.output, "Type a number from 1 to {}.", options.len())?,
            }
        }
    }

    fn rate(
        &mut self,
        prompt: &Safe,
        suggested: Option<Rating>,
        claim: bool,
    ) -> io::Result<Reply<Rated>> {
        loop {
            let l = match self.read(prompt)? {
                Read::Line(l) => l,
                other => return Ok(Reply::Command(leave(&other).unwrap_or(Command::Quit))),
            };
            if let Some(c) = key_command(&l) {
                return Ok(Reply::Command(c));
            }
            match (l.trim(), suggested) {
                ("", Some(s)) => return Ok(Reply::Value(Rated::Rating(s))),
                ("r", Some(_)) if claim => return Ok(Reply::Value(Rated::IWasRight)),
                (word, _) => {
                    if let Some(r) = parse_rating(word) {
                        return Ok(Reply::Value(Rated::Rating(r)));
                    }
                    writeln!(
                        self.output,
                        "Type 1 (again), 2 (hard), 3 (good) or 4 (easy)."
                    )?;
                }
            }
        }
    }

    fn width(&self) -> usize {
        self.width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(input: &str) -> Plain<&[u8], Vec<u8>> {
        Plain::new(input.as_bytes(), Vec::new(), 80)
    }

    #[test]
    fn lines_answers_and_commands() {
        let mut p = plain("Yalta\n:u\nq\n");
        assert_eq!(
            p.line(&"Answer:".into()).expect("io"),
            Reply::Value("Yalta".into())
        );
        assert_eq!(
            p.line(&"Answer:".into()).expect("io"),
            Reply::Command(Command::Undo)
        );
        assert_eq!(
            p.line(&"Answer:".into()).expect("io"),
            Reply::Value("q".into())
        );
        assert_eq!(
            p.line(&"Answer:".into()).expect("io"),
            Reply::Command(Command::Quit),
            "end of input quits"
        );
    }

    #[test]
    fn ratings_with_a_suggestion_and_retries() {
        let mut p = plain("\n7\n4\nr\n");
        assert_eq!(
            p.rate(&">".into(), Some(Rating::Hard), true).expect("io"),
            Reply::Value(Rated::Rating(Rating::Hard))
        );
        assert_eq!(
            p.rate(&">".into(), None, false).expect("io"),
            Reply::Value(Rated::Rating(Rating::Easy))
        );
        assert_eq!(
            p.rate(&">".into(), Some(Rating::Again), true).expect("io"),
            Reply::Value(Rated::IWasRight)
        );
        let shown = String::from_utf8(p.into_output()).expect("utf-8");
        assert!(
            shown.contains("Type 1 (again)"),
            "a bad rating is explained: {shown}"
        );
    }

    #[test]
    fn i_was_right_only_where_an_answer_was_typed() {
        let mut p = plain("r\n1\n");
        assert_eq!(
            p.rate(&">".into(), Some(Rating::Good), false).expect("io"),
            Reply::Value(Rated::Rating(Rating::Again)),
            "r is not a rating on a choice card"
        );
    }

    #[test]
    fn menus_take_the_same_commands() {
        let options = vec![Safe::from("Potsdam"), Safe::from("Yalta")];
        for (key, command) in [
            ("u", Command::Undo),
            ("s", Command::Bury),
            ("?", Command::Help),
            ("q", Command::Quit),
        ] {
            let input = format!("{key}\n");
            let mut p = plain(&input);
            assert_eq!(
                p.choose(&">".into(), &options).expect("io"),
                Reply::Command(command)
            );
        }
    }

    #[test]
    fn ctrl_c_on_standard_input_interrupts_a_prompt() {
        struct Interrupted;
        impl io::Read for Interrupted {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other(super::super::CtrlC))
            }
        }
        let mut p = Plain::new(io::BufReader::new(Interrupted), Vec::new(), 80);
        assert_eq!(
            p.line(&"Answer:".into()).expect("io"),
            Reply::Command(Command::Interrupt)
        );
    }

    #[test]
    fn choices_by_number() {
        let mut p = plain("9\n2\n");
        let options = vec![Safe::from("Potsdam"), Safe::from("Yalta")];
        assert_eq!(
            p.choose(&">".into(), &options).expect("io"),
            Reply::Value(1)
        );
        let shown = String::from_utf8(p.into_output()).expect("utf-8");
        assert!(shown.contains("  1) Potsdam\n  2) Yalta\n"));
    }
}
