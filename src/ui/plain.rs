//! Plain lines in, plain lines out: for scripts, pipes and tests.

use std::io::{self, BufRead, Write};

use super::{Command, Prompter, Rated, Reply, key_command, line_command, parse_rating};
use crate::rating::Rating;

pub struct Plain<R, W> {
    input: R,
    output: W,
    width: usize,
    /// Write what was read after the prompt, so a piped session reads as a
    /// transcript (a terminal echoes by itself).
    echo: bool,
}

impl<R: BufRead, W: Write> Plain<R, W> {
    pub fn new(input: R, output: W, width: usize) -> Self {
        Plain {
            input,
            output,
            width,
            echo: true,
        }
    }

    /// For input typed on a terminal, which echoes it already.
    pub fn without_echo(mut self) -> Self {
        self.echo = false;
        self
    }

    /// The next line, or Quit at the end of input.
    fn read(&mut self, prompt: &str) -> io::Result<Option<String>> {
        write!(self.output, "{prompt} ")?;
        self.output.flush()?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            writeln!(self.output)?;
            return Ok(None);
        }
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        if self.echo {
            writeln!(self.output, "{}", crate::text::sanitize(&line, false))?;
        }
        Ok(Some(line))
    }

    pub fn into_output(self) -> W {
        self.output
    }
}

impl<R: BufRead, W: Write> Prompter for Plain<R, W> {
    fn show(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.output, "{text}")
    }

    fn reveal(&mut self, prompt: &str) -> io::Result<Reply<()>> {
        Ok(match self.read(prompt)? {
            None => Reply::Command(Command::Quit),
            Some(l) => key_command(&l).map_or(Reply::Value(()), Reply::Command),
        })
    }

    fn line(&mut self, prompt: &str) -> io::Result<Reply<String>> {
        Ok(match self.read(prompt)? {
            None => Reply::Command(Command::Quit),
            Some(l) => line_command(&l).map_or(Reply::Value(l), Reply::Command),
        })
    }

    fn choose(&mut self, prompt: &str, options: &[String]) -> io::Result<Reply<usize>> {
        for (i, option) in options.iter().enumerate() {
            writeln!(self.output, "  {}) {option}", i + 1)?;
        }
        loop {
            let Some(l) = self.read(prompt)? else {
                return Ok(Reply::Command(Command::Quit));
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

    fn rate(&mut self, prompt: &str, suggested: Option<Rating>) -> io::Result<Reply<Rated>> {
        loop {
            let Some(l) = self.read(prompt)? else {
                return Ok(Reply::Command(Command::Quit));
            };
            if let Some(c) = key_command(&l) {
                return Ok(Reply::Command(c));
            }
            match (l.trim(), suggested) {
                ("", Some(s)) => return Ok(Reply::Value(Rated::Rating(s))),
                ("r", Some(_)) => return Ok(Reply::Value(Rated::IWasRight)),
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
        assert_eq!(p.line("Answer:").expect("io"), Reply::Value("Yalta".into()));
        assert_eq!(
            p.line("Answer:").expect("io"),
            Reply::Command(Command::Undo)
        );
        assert_eq!(p.line("Answer:").expect("io"), Reply::Value("q".into()));
        assert_eq!(
            p.line("Answer:").expect("io"),
            Reply::Command(Command::Quit),
            "end of input quits"
        );
    }

    #[test]
    fn ratings_with_a_suggestion_and_retries() {
        let mut p = plain("\n7\n4\nr\n");
        assert_eq!(
            p.rate(">", Some(Rating::Hard)).expect("io"),
            Reply::Value(Rated::Rating(Rating::Hard))
        );
        assert_eq!(
            p.rate(">", None).expect("io"),
            Reply::Value(Rated::Rating(Rating::Easy))
        );
        assert_eq!(
            p.rate(">", Some(Rating::Again)).expect("io"),
            Reply::Value(Rated::IWasRight)
        );
        let shown = String::from_utf8(p.into_output()).expect("utf-8");
        assert!(
            shown.contains("Type 1 (again)"),
            "a bad rating is explained: {shown}"
        );
    }

    #[test]
    fn choices_by_number() {
        let mut p = plain("9\n2\n");
        let options = vec!["Potsdam".to_string(), "Yalta".to_string()];
        assert_eq!(p.choose(">", &options).expect("io"), Reply::Value(1));
        let shown = String::from_utf8(p.into_output()).expect("utf-8");
        assert!(shown.contains("  1) Potsdam\n  2) Yalta\n"));
    }
}
