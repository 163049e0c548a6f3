//! Problems found in deck files, located by file, line and column, and shown
//! the way a compiler shows them: the line, a caret under the spot, and one
//! sentence on how to fix it.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::paint::Paint;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters as editors count them.
    pub column: usize,
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The offending line, control characters made harmless.
    #[serde(skip)]
    pub source_line: String,
    /// Display columns before the caret and under it.
    #[serde(skip)]
    pub caret: (usize, usize),
}

/// A file's text with the byte offsets of its line starts, to turn spans
/// into lines and columns.
pub(crate) struct SourceFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceFile<'a> {
    pub(crate) fn new(path: &'a Path, text: &'a str) -> Self {
        use rayon::prelude::*;
        /// Larger files are read on every core, a slice each.
        const SLICE: usize = 1 << 20;
        let b = text.as_bytes();
        let line_starts = if b.len() <= SLICE {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', b).map(|i| i + 1))
                .collect()
        } else {
            let mut starts = vec![0];
            starts.par_extend(b.par_chunks(SLICE).enumerate().flat_map_iter(|(k, slice)| {
                memchr::memchr_iter(b'\n', slice).map(move |i| k * SLICE + i + 1)
            }));
            starts
        };
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = self.floor_char(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    fn floor_char(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// A diagnostic pointing at `span`.
    pub(crate) fn diagnostic(
        &self,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        let start = self.floor_char(span.start.min(self.text.len()));
        let (line, column) = self.locate(start);
        let line_start = self.line_starts[line - 1];
        let line_end = self.text[line_start..]
            .find('\n')
            .map_or(self.text.len(), |i| line_start + i);
        let raw_line = self.text[line_start..line_end].trim_end_matches('\r');
        let before = text::sanitize(&self.text[line_start..start.min(line_end)], false);
        let end = self.floor_char(span.end.clamp(start, line_end));
        let under = text::sanitize(&self.text[start.min(line_end)..end], false);
        Diagnostic {
            severity,
            file: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: help.into(),
            source_line: text::sanitize(raw_line, false),
            caret: (text::width(&before), text::width(&under).max(1)),
        }
    }
}

impl Diagnostic {
    /// A problem with the file as a whole (unreadable, for instance).
    pub fn whole_file(path: &Path, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            help: help.into(),
            source_line: String::new(),
            caret: (0, 0),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The compiler-style rendering, several lines ending in a newline;
    /// with `width` (a terminal's), the message and the help are wrapped
    /// to it between words (the file's own line is shown as it is).
    pub fn render(&self, paint: &Paint, width: Option<usize>) -> String {
        let mut out = String::new();
        let name = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let message = text::sanitize(&self.message, false);
        let lead = format!("{}: ", self.in_colour(paint, name));
        out.push_str(&text::hanging(
            &lead,
            name.len() + 2,
            &message,
            width,
            |l| paint.bold(l),
        ));
        // A file name is text from outside like any other.
        let file = text::sanitize(&self.file.display().to_string(), false);
        if self.line == 0 {
            let _ = writeln!(out, "  {} {file}", paint.blue("-->"));
        } else {
            let number = self.line.to_string();
            let gutter = " ".repeat(number.len());
            let bar = paint.blue("|");
            let _ = writeln!(
                out,
                "{gutter}{} {file}:{}:{}",
                paint.blue("-->"),
                self.line,
                self.column
            );
            let _ = writeln!(out, "{gutter} {bar}");
            let _ = writeln!(out, "{} {bar} {}", paint.blue(&number), self.source_line);
            let carets = self.in_colour(paint, &"^".repeat(self.caret.1));
            let _ = writeln!(out, "{gutter} {bar} {}{carets}", " ".repeat(self.caret.0));
        }
        if !self.help.is_empty() {
            let help = text::sanitize(&self.help, false);
            let gutter = " ".repeat(self.line.max(1).to_string().len());
            let lead = format!("{gutter} {} ", paint.bold("= help:"));
            let indent = gutter.len() + " = help: ".len();
            out.push_str(&text::hanging(&lead, indent, &help, width, str::to_string));
        }
        out
    }

    /// `text` in the severity's colour: red for errors, yellow for warnings.
    fn in_colour(&self, paint: &Paint, text: &str) -> String {
        match self.severity {
            Severity::Error => paint.red_bold(text),
            Severity::Warning => paint.yellow_bold(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns_in_characters() {
        let src = SourceFile::new(Path::new("d.toml"), "a = 1\nq = \"択捉\" x\n");
        assert_eq!(src.locate(0), (1, 1));
        assert_eq!(src.locate(6), (2, 1));
        let x = src.text.find('x').unwrap();
        assert_eq!(src.locate(x), (2, 10));
    }

    #[test]
    fn caret_sits_under_wide_text() {
        let text = "q = \"択捉島\" oops\n";
        let src = SourceFile::new(Path::new("d.toml"), text);
        let at = text.find("oops").unwrap();
        let d = src.diagnostic(Severity::Error, at..at + 4, "bad", "fix it");
        // `q = "` is 5 columns, 択捉島 is 6, `" ` is 2.
        assert_eq!(d.caret, (13, 4));
        let shown = d.render(&Paint::plain(), None);
        let lines: Vec<&str> = shown.lines().collect();
        let code = lines.iter().find(|l| l.contains("oops")).unwrap();
        let carets = lines.iter().find(|l| l.contains('^')).unwrap();
        let code_col = text::width(&code[..code.find("oops").unwrap()]);
        let caret_col = text::width(&carets[..carets.find('^').unwrap()]);
        assert_eq!(code_col, caret_col);
        assert!(shown.contains("d.toml:1:11"), "{shown}");
        assert!(shown.contains("= help: fix it"));
    }

    #[test]
    fn message_and_help_wrap_between_words_at_40_columns() {
        let text = "[deck]\nid = \"same\"\n";
        let src = SourceFile::new(Path::new("decks/b.toml"), text);
        let at = text.find("\"same").unwrap();
        let d = src.diagnostic(
            Severity::Error,
            at..at + 6,
            "deck id `same` is already used by decks/a.toml",
            "give each deck its own id: progress is stored under it",
        );
        let shown = d.render(&Paint::plain(), Some(40));
        for line in shown.lines() {
            assert!(text::width(line) <= 40, "{line:?} in\n{shown}");
        }
        // Every word whole on some line.
        for word in "give each deck its own id: progress is stored under it decks/a.toml".split(' ')
        {
            assert!(
                shown.lines().any(|l| l.split(' ').any(|w| w == word)),
                "{word:?} cut in\n{shown}"
            );
        }
        // Without a width, as before: one line each.
        let whole = d.render(&Paint::plain(), None);
        assert!(whole.contains("= help: give each deck its own id: progress is stored under it"));
    }
}
