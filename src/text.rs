//! Text as the terminal shows it: display width (CJK is two columns wide),
//! wrapping, and removal of control characters a deck could smuggle in.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` with every control character made visible and harmless: a deck must
/// never move the cursor, set the title or write the clipboard. Tabs become
/// spaces; newlines are kept when `keep_newlines`.
pub(crate) fn sanitize(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_unsafe(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Characters a terminal may interpret: C0 and C1 controls, DEL, and the
/// bidirectional overrides that can make text lie about its order.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Pads `text` with spaces to `columns` display columns.
pub(crate) fn pad(text: &str, columns: usize) -> String {
    let w = width(text);
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    out
}

/// Cuts `text` to at most `columns` display columns, ending in `…` when cut.
pub(crate) fn truncate(text: &str, columns: usize) -> String {
    if width(text) <= columns {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The columns of the terminal that standard error is, when it is one
/// (messages to a file or a pipe keep their lines whole).
pub(crate) fn stderr_columns() -> Option<usize> {
    use std::io::IsTerminal;
    columns_of(
        std::io::stderr().is_terminal(),
        &dialoguer::console::Term::stderr(),
    )
}

/// The columns of the terminal that standard output is, when it is one.
pub(crate) fn stdout_columns() -> Option<usize> {
    use std::io::IsTerminal;
    columns_of(
        std::io::stdout().is_terminal(),
        &dialoguer::console::Term::stdout(),
    )
}

/// A terminal's width, 20 to 160 columns.
fn columns_of(terminal: bool, term: &dialoguer::console::Term) -> Option<usize> {
    terminal.then(|| usize::from(term.size().1).clamp(20, 160))
}

/// `text` wrapped between words to fit `columns` after `indent` columns
/// (whole lines when there are no columns to fit: a file or a pipe), each
/// line styled, the first after `lead` and the others indented by `indent`
/// spaces to stand under it. Ends with a newline.
pub(crate) fn hanging(
    lead: &str,
    indent: usize,
    text: &str,
    columns: Option<usize>,
    style: impl Fn(&str) -> String,
) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, line) in wrap_after(text, columns, indent).iter().enumerate() {
        out.push_str(if i == 0 { lead } else { &pad });
        out.push_str(&style(line));
        out.push('\n');
    }
    out
}

/// One line of a message wrapped to `columns`, its later parts indented
/// under its text: past its leading spaces and a leading label such as
/// `error:` or `tip:` (or only the spaces, when the label would leave
/// less than half the line). `error` is painted as kioku paints its own.
pub(crate) fn hanging_lines(line: &str, columns: usize, paint: &crate::paint::Paint) -> String {
    let body = line.trim_start();
    let lead = line.len() - body.len();
    let label = body
        .split_once(": ")
        .map(|(l, _)| l)
        .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphabetic()));
    let mut indent = lead + label.map_or(0, |l| l.len() + 2);
    if indent * 2 > columns {
        indent = lead;
    }
    let out = hanging(
        &" ".repeat(lead),
        indent,
        body,
        Some(columns),
        |part| match part.strip_prefix("error:") {
            Some(rest) => format!("{}:{rest}", paint.red_bold("error")),
            None => part.to_string(),
        },
    );
    if out.is_empty() {
        "\n".to_string()
    } else {
        out
    }
}

/// Writes a paragraph with [`hanging`]: every line after `indent` spaces.
pub(crate) fn say(
    out: &mut impl std::io::Write,
    columns: Option<usize>,
    indent: usize,
    text: &str,
    style: impl Fn(&str) -> String,
) -> std::io::Result<()> {
    let pad = " ".repeat(indent);
    write!(out, "{}", hanging(&pad, indent, text, columns, style))
}

/// A path on a line of its own, never broken (so it can be copied):
/// indented by two when it fits `columns`, else from the line's start.
pub(crate) fn path_line(path: &str, columns: Option<usize>) -> String {
    let fits = columns.is_none_or(|c| width(path) + 2 <= c);
    format!("{}{path}", if fits { "  " } else { "" })
}

/// `text` in lines that fit `columns` after `indent` columns, or whole
/// when there are no columns to fit.
pub(crate) fn wrap_after(text: &str, columns: Option<usize>, indent: usize) -> Vec<String> {
    match columns {
        Some(columns) => wrap(text, columns.saturating_sub(indent)),
        None => vec![text.to_string()],
    }
}

/// Wraps `text` to lines of at most `columns` display columns, never inside
/// a word: lines break at spaces and between wide characters (Japanese has
/// no spaces); only a word longer than a whole line is cut. Existing
/// newlines are kept. textwrap measures the columns (wide characters count
/// two, colour codes none).
pub(crate) fn wrap(text: &str, columns: usize) -> Vec<String> {
    // No breaks at hyphens: names (Russia-Japan) and file names
    // (progress.sync-conflict-…) stay whole and can be copied.
    let options = textwrap::Options::new(columns.max(8))
        .word_separator(textwrap::WordSeparator::Custom(words))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true);
    text.split('\n')
        .flat_map(|paragraph| {
            let lines = textwrap::wrap(paragraph, &options);
            if lines.is_empty() {
                vec![String::new()]
            } else {
                lines
                    .into_iter()
                    .map(|l| l.trim_end().to_string())
                    .collect()
            }
        })
        .collect()
}

/// Words for [`wrap`]: runs up to and including the spaces after them, and
/// each wide character on its own, so a line may break between two.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut out = Vec::new();
    let mut start = 0;
    let (mut after_space, mut after_wide) = (false, false);
    for (i, c) in line.char_indices() {
        let space = c == ' ';
        let wide = c.width().unwrap_or(0) > 1;
        if i > start && !space && (after_space || after_wide || wide) {
            out.push(textwrap::core::Word::from(&line[start..i]));
            start = i;
        }
        after_space = space;
        after_wide = wide;
    }
    if start < line.len() {
        out.push(textwrap::core::Word::from(&line[start..]));
    }
    Box::new(out.into_iter())
}

/// Text that may be printed: the one gate to the terminal. It can only be
/// built by sanitising (every control character, C1, DEL and bidi override
/// made harmless), and styling is added only by [`Paint`](crate::paint::Paint)
/// through [`Safe::styled`]. The UI's print functions take `&Safe`, so deck
/// text, file names, log lines and typed input cannot reach the terminal
/// raw by accident: there is no constructor that skips the check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Safe(String);

impl Safe {
    /// Untrusted text, newlines kept (tabs become spaces).
    pub fn new(text: &str) -> Safe {
        Safe(sanitize(text, true))
    }

    /// Untrusted text for one line: newlines are neutralised too.
    pub fn line(text: &str) -> Safe {
        Safe(sanitize(text, false))
    }

    /// Text that was styled with SGR colour codes (a diff from the grader):
    /// only well-formed `ESC [ digits ; m` sequences survive; any other
    /// control character is neutralised as in [`Safe::new`].
    pub fn keep_colours(text: &str) -> Safe {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('\u{1b}') {
            out.push_str(&sanitize(&rest[..at], true));
            let tail = &rest[at + 1..];
            let sgr = tail.strip_prefix('[').and_then(|t| {
                let end = t.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
                t[end..].starts_with('m').then_some(end + 2)
            });
            match sgr {
                Some(len) => {
                    out.push_str(&rest[at..at + 1 + len]);
                    rest = &tail[len..];
                }
                None => {
                    out.push('\u{FFFD}');
                    rest = tail;
                }
            }
        }
        out.push_str(&sanitize(rest, true));
        Safe(out)
    }

    /// `inner` wrapped in an SGR style; `code` is one of Paint's own.
    pub(crate) fn styled(code: &'static str, inner: &Safe) -> Safe {
        // Anything but an SGR parameter list would be a new escape.
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit() || b == b';') {
            return inner.clone();
        }
        Safe(format!("\x1b[{code}m{}\x1b[0m", inner.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends another safe text.
    pub fn push(&mut self, other: &Safe) {
        self.0.push_str(&other.0);
    }

    /// Safe texts joined by a separator (itself checked).
    pub fn join(parts: &[Safe], separator: &str) -> Safe {
        let separator = sanitize(separator, true);
        Safe(
            parts
                .iter()
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>()
                .join(&separator),
        )
    }

    /// Wrapped to `columns`, breaking between words; the styling of a
    /// whole line survives because a Safe text is styled line by line.
    pub fn wrapped(text: &str, columns: usize) -> Safe {
        Safe(wrap(&sanitize(text, true), columns).join("\n"))
    }
}

impl std::fmt::Display for Safe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Safe {
    fn from(text: &str) -> Safe {
        Safe::new(text)
    }
}

impl From<String> for Safe {
    fn from(text: String) -> Safe {
        Safe::new(&text)
    }
}

/// The one sanitising writer every command prints through: whatever is
/// written, only text and (when colour is on) well-formed SGR colour codes
/// come out; any other control character, C1, DEL or bidi control becomes
/// `�`. Output is passed on line by line, and at each flush (so prompts
/// show), so an escape sequence or a UTF-8 character is never split.
pub(crate) struct Gate<W: std::io::Write> {
    inner: W,
    colour: bool,
    pending: Vec<u8>,
}

impl<W: std::io::Write> Gate<W> {
    pub(crate) fn new(inner: W, colour: bool) -> Self {
        Gate {
            inner,
            colour,
            pending: Vec::new(),
        }
    }

    /// Passes on the first `len` pending bytes, cleaned.
    fn pass(&mut self, len: usize) -> std::io::Result<()> {
        if len == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.pending[..len]);
        let clean = if self.colour {
            Safe::keep_colours(&text)
        } else {
            Safe::new(&text)
        };
        self.inner.write_all(clean.as_str().as_bytes())?;
        self.pending.drain(..len);
        Ok(())
    }
}

impl Gate<std::io::StdoutLock<'static>> {
    /// Standard output, with colour codes as `paint` decided.
    pub(crate) fn stdout(paint: &crate::paint::Paint) -> Self {
        Gate::new(std::io::stdout().lock(), paint.is_enabled())
    }
}

impl Gate<std::io::StderrLock<'static>> {
    /// Standard error, with colour codes as `paint` decided.
    pub(crate) fn stderr(paint: &crate::paint::Paint) -> Self {
        Gate::new(std::io::stderr().lock(), paint.is_enabled())
    }
}

impl<W: std::io::Write> std::io::Write for Gate<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(at) = self.pending.iter().rposition(|b| *b == b'\n') {
            self.pass(at + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // Hold back only a UTF-8 character still being written.
        let len = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        self.pass(len)?;
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for Gate<W> {
    fn drop(&mut self) {
        let len = self.pending.len();
        let _ = self.pass(len);
        let _ = self.inner.flush();
    }
}

/// Whether a character must be written as `\uXXXX` in JSON output: serde
/// escapes C0 itself; DEL, C1 and bidi controls are escaped here, so a
/// `--json` output piped to a terminal cannot drive it either.
fn json_escaped(c: char) -> bool {
    is_unsafe(c)
}

/// serde_json's pretty printer, with [`json_escaped`] characters escaped.
struct SafeJson(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if json_escaped(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Writes `value` as pretty JSON followed by a newline, with DEL, C1 and
/// bidi controls escaped (`\u009b`): the one way `--json` output is written.
pub(crate) fn write_json<W: std::io::Write>(
    out: &mut W,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, SafeJson(Default::default()));
    value.serialize(&mut ser).map_err(std::io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_line_wraps_under_its_label() {
        let plain = crate::paint::Paint::plain();
        let line = "  tip: a similar argument exists: '--output'";
        assert_eq!(
            hanging_lines(line, 40, &plain),
            "  tip: a similar argument exists:\n       '--output'\n"
        );
        assert_eq!(hanging_lines(line, 80, &plain), format!("{line}\n"));
        assert_eq!(hanging_lines("", 40, &plain), "\n");
        assert_eq!(
            hanging_lines("error: unexpected argument '--out' found", 30, &plain),
            "error: unexpected\n       argument '--out' found\n"
        );
    }

    use super::*;

    #[test]
    fn japanese_is_double_width() {
        assert_eq!(width("択捉島"), 6);
        assert_eq!(width("Etorofu"), 7);
        assert_eq!(pad("択捉", 6), "択捉  ");
    }

    #[test]
    fn control_characters_are_neutralised() {
        let evil = "a\u{1b}]0;title\u{7}b\u{1b}[2Jc\u{202E}d";
        let clean = sanitize(evil, false);
        assert!(!clean.chars().any(char::is_control));
        assert!(clean.starts_with('a') && clean.ends_with('d'));
        assert_eq!(sanitize("x\ny", true), "x\ny");
        assert_eq!(sanitize("x\ny", false), "x\u{FFFD}y");
    }

    #[test]
    fn wrap_respects_columns_and_wide_text() {
        let lines = wrap("the quick brown fox jumps over the lazy dog", 10);
        assert!(lines.iter().all(|l| width(l) <= 10), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "the quick brown fox jumps over the lazy dog"
        );
        let jp = wrap("択捉島国後島色丹島歯舞群島", 8);
        assert!(jp.iter().all(|l| width(l) <= 8), "{jp:?}");
        assert_eq!(jp.concat(), "択捉島国後島色丹島歯舞群島");
    }

    #[test]
    fn wrap_never_breaks_inside_a_word() {
        let text = "1 Again · 1m   2 Hard · 2d   3 Good · 4d   4 Easy · 9d";
        for line in wrap(text, 20) {
            assert!(width(&line) <= 20, "{line}");
            assert!(
                !line.starts_with(|c: char| c.is_alphabetic() && c.is_lowercase()),
                "{line}"
            );
        }
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("  - indented item", 40), ["  - indented item"]);
        assert_eq!(wrap("択捉島 と 国後島", 40), ["択捉島 と 国後島"]);
        assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
    }

    #[test]
    fn safe_text_has_no_control_but_paint_s_colours() {
        let evil = "x\u{1b}]52;c;aGk=\u{7}\u{9b}31m\u{202e}y\u{7f}";
        let safe = Safe::new(evil);
        assert!(!safe.as_str().chars().any(is_unsafe), "{safe:?}");
        let diff = Safe::keep_colours("a\u{1b}[4;32mb\u{1b}[0m\u{1b}]0;t\u{7}");
        assert_eq!(diff.as_str(), "a\u{1b}[4;32mb\u{1b}[0m\u{FFFD}]0;t\u{FFFD}");
        assert_eq!(Safe::keep_colours("\u{1b}[").as_str(), "\u{FFFD}[");
    }

    #[test]
    fn the_gate_lets_only_text_and_colours_through() {
        use std::io::Write;
        let mut plain = Vec::new();
        {
            let mut gate = Gate::new(&mut plain, false);
            write!(gate, "a\u{1b}]52;c;x\u{7}b\n\u{9b}2J").expect("write");
            gate.flush().expect("flush");
            // A character split across writes is not mangled.
            gate.write_all(&"é".as_bytes()[..1]).expect("write");
            gate.flush().expect("flush");
            gate.write_all(&"é".as_bytes()[1..]).expect("write");
            write!(gate, "\u{1b}[1mbold\u{1b}[0m").expect("write");
        }
        let plain = String::from_utf8(plain).expect("utf-8");
        assert_eq!(
            plain,
            "a\u{FFFD}]52;c;x\u{FFFD}b\n\u{FFFD}2Jé\u{FFFD}[1mbold\u{FFFD}[0m"
        );
        let mut coloured = Vec::new();
        {
            let mut gate = Gate::new(&mut coloured, true);
            writeln!(gate, "\u{1b}[1mbold\u{1b}[0m \u{1b}]0;t\u{7}").expect("write");
        }
        let coloured = String::from_utf8(coloured).expect("utf-8");
        assert_eq!(coloured, "\u{1b}[1mbold\u{1b}[0m \u{FFFD}]0;t\u{FFFD}\n");
    }

    #[test]
    fn json_escapes_c1_del_and_bidi() {
        let mut out = Vec::new();
        write_json(
            &mut out,
            &serde_json::json!({"t": "a\u{9b}b\u{7f}\u{202e}\u{1b}c"}),
        )
        .expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains(r"a\u009bb\u007f\u202e\u001bc"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back["t"], "a\u{9b}b\u{7f}\u{202e}\u{1b}c");
    }

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("択捉島", 5), "択捉…");
    }
}
