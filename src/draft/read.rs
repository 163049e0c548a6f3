//! Reading a document into paragraphs of plain text that remember the line
//! each piece came from. Plain text and Markdown are read a line at a time
//! (a 10 MB file is never held twice); HTML has its tags stripped first,
//! keeping its line breaks so lines still match the file.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::Error;

/// A document as paragraphs of clean text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Document {
    /// How cards cite the document: its file name.
    pub name: String,
    pub paragraphs: Vec<Paragraph>,
    /// The first heading, for the deck's title.
    pub title: Option<String>,
}

/// Consecutive lines of text, joined with spaces; Markdown markup removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Paragraph {
    pub text: String,
    /// `(byte offset in text, 1-based line in the file)` of each line start.
    pub lines: Vec<(usize, usize)>,
    /// The headings above the paragraph, outermost first.
    pub headings: Vec<String>,
}

impl Paragraph {
    /// The file line of a byte offset in the paragraph's text.
    pub(crate) fn line_at(&self, offset: usize) -> usize {
        let i = self.lines.partition_point(|(start, _)| *start <= offset);
        self.lines
            .get(i.saturating_sub(1))
            .map_or(0, |(_, line)| *line)
    }
}

/// Reads the document at `path`, telling `progress` how many bytes are read.
pub(crate) fn read_file(path: &Path, progress: &mut dyn FnMut(u64)) -> Result<Document, Error> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let head = reader.fill_buf().map_err(read_error)?.to_vec();
    if head.is_empty() {
        return Err(Error::EmptyDocument {
            path: path.to_path_buf(),
        });
    }
    if looks_binary(&head) {
        return Err(Error::NotText {
            path: path.to_path_buf(),
        });
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let html = matches!(ext.as_str(), "html" | "htm" | "xhtml");
    let mut doc = if html || (ext.is_empty() && is_html(&head)) {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(read_error)?;
        progress(bytes.len() as u64);
        let text = decode(&bytes).ok_or_else(|| Error::NotText {
            path: path.to_path_buf(),
        })?;
        read_text(&strip_html(&text))
    } else {
        let mut lines = Lines {
            plain: !matches!(ext.as_str(), "md" | "markdown" | "mdown" | "mkd"),
            ..Lines::default()
        };
        let mut buf = Vec::new();
        let mut bad = 0usize;
        let mut total = 0usize;
        loop {
            buf.clear();
            let n = reader.read_until(b'\n', &mut buf).map_err(read_error)?;
            if n == 0 {
                break;
            }
            progress(n as u64);
            total += 1;
            let line = match std::str::from_utf8(&buf) {
                Ok(s) => std::borrow::Cow::Borrowed(s),
                Err(_) => {
                    bad += 1;
                    String::from_utf8_lossy(&buf)
                }
            };
            lines.push(line.trim_end_matches(['\n', '\r']));
        }
        // A text in another encoding has an odd bad line; a binary file has
        // little else.
        if bad * 4 > total {
            return Err(Error::NotText {
                path: path.to_path_buf(),
            });
        }
        lines.finish()
    };
    doc.name = name;
    Ok(doc)
}

/// Reads a document held in memory (tests, and the provenance check of an
/// HTML file).
pub(crate) fn read_text(text: &str) -> Document {
    let mut lines = Lines::default();
    for line in text.split('\n') {
        lines.push(line.trim_end_matches('\r'));
    }
    lines.finish()
}

/// NUL bytes, or many control characters, in the first block.
fn looks_binary(head: &[u8]) -> bool {
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|b| b.is_ascii_control() && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > head.len()
}

fn is_html(head: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&head[..head.len().min(512)]).to_lowercase();
    let start = start.trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// UTF-8, or None when most of it is not.
fn decode(bytes: &[u8]) -> Option<String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let bad = text.chars().filter(|c| *c == '\u{FFFD}').count();
            (bad * 20 < text.chars().count()).then_some(text)
        }
    }
}

/// HTML with its tags removed and its entities decoded. Newlines inside tags
/// are kept, so every line stays where it was; headings become Markdown
/// headings and block elements end paragraphs.
pub(crate) fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with("</");
        let newlines = tag.matches('\n').count();
        rest = &rest[end..];
        // Skip what is not text at all.
        if !closing && matches!(name.as_str(), "script" | "style" | "head" | "title") {
            let close = format!("</{name}");
            let at = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
            let skipped = rest[..at].matches('\n').count();
            rest = &rest[at..];
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            rest = &rest[end..];
            out.extend(std::iter::repeat_n('\n', newlines + skipped));
            continue;
        }
        out.extend(std::iter::repeat_n('\n', newlines));
        match name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if !closing => {
                out.push(BREAK);
                let level = name[1..].parse().unwrap_or(1);
                out.extend(std::iter::repeat_n('#', level));
                out.push(' ');
            }
            "p" | "div" | "li" | "br" | "tr" | "table" | "ul" | "ol" | "section" | "article"
            | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => out.push(BREAK),
            _ => {}
        }
    }
    push_decoded(&mut out, rest);
    out
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[..rest.len().min(10)].find(';');
        let decoded = semi.and_then(|s| {
            let entity = &rest[1..s];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "mdash" => '—',
                "ndash" => '–',
                "rsquo" => '’',
                "lsquo" => '‘',
                "ldquo" => '“',
                "rdquo" => '”',
                _ => {
                    let num = entity.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, s + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Ends a paragraph without ending the line, so HTML's block elements keep
/// the file's line numbers.
const BREAK: char = '\u{1E}';

/// The line-by-line reader: blank lines end paragraphs, `#` lines and
/// setext underlines are headings, list items are paragraphs of their own,
/// code blocks are skipped, inline markup is removed.
#[derive(Default)]
struct Lines {
    doc: Document,
    line: usize,
    current: Paragraph,
    headings: Vec<(usize, String)>,
    fence: Option<String>,
    /// Plain text, where a short line without a full stop is a heading.
    plain: bool,
    title_level: usize,
}

/// A plain-text heading: a short line that starts with a capital, has no
/// digits and does not end like a sentence ("Prospects for peace").
fn looks_like_heading(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=10).contains(&words)
        && text.chars().next().is_some_and(char::is_uppercase)
        && text.chars().any(char::is_lowercase)
        && !text
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '|' | ';'))
        && !text.contains("  ")
        && !text
            .trim_end()
            .ends_with(['.', '!', '?', ',', ';', ':', '。', '！', '？', '"', '”'])
}

impl Lines {
    fn push(&mut self, raw: &str) {
        self.line += 1;
        // Block breaks that HTML had inside a line.
        for (i, piece) in raw.split(BREAK).enumerate() {
            if i > 0 {
                self.flush();
            }
            self.piece(piece);
        }
    }

    fn piece(&mut self, raw: &str) {
        let trimmed = raw.trim();
        if let Some(fence) = &self.fence {
            if trimmed.starts_with(fence.as_str()) {
                self.fence = None;
            }
            return;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            self.flush();
            self.fence = Some(trimmed[..3].to_string());
            return;
        }
        if trimmed.is_empty() {
            self.flush();
            return;
        }
        // Setext heading: a one-line paragraph underlined with = or -.
        if (trimmed.chars().all(|c| c == '=') || trimmed.chars().all(|c| c == '-'))
            && trimmed.len() >= 2
        {
            if self.current.lines.len() == 1 {
                let level = if trimmed.starts_with('=') { 1 } else { 2 };
                let text = std::mem::take(&mut self.current.text);
                self.current = Paragraph::default();
                self.heading(level, &text);
            } else {
                self.flush();
            }
            return;
        }
        if let Some(level) = heading_level(trimmed) {
            self.flush();
            let text = trimmed[level..].trim().trim_end_matches('#').trim();
            self.heading(level, &clean_inline(text));
            return;
        }
        // Table rules and HTML comments carry nothing.
        if trimmed.starts_with("|--") || trimmed.starts_with("|:-") || trimmed.starts_with("<!--") {
            return;
        }
        let mut body = trimmed.trim_start_matches('>').trim_start();
        if let Some(item) = list_item(body) {
            self.flush();
            body = item;
        }
        let clean = clean_inline(body);
        if clean.trim().is_empty() {
            return;
        }
        // "Domestic resentment and partisan politics" on the line before
        // its section's first sentence.
        if self.plain && clean.trim().chars().next().is_some_and(char::is_uppercase) {
            self.heading_from_last_line();
        }
        if !self.current.text.is_empty() {
            self.current.text.push(' ');
        }
        self.current
            .lines
            .push((self.current.text.len(), self.line));
        self.current.text.push_str(clean.trim());
    }

    fn heading(&mut self, level: usize, text: &str) {
        if text.is_empty() {
            return;
        }
        self.headings.retain(|(l, _)| *l < level);
        self.headings.push((level, text.to_string()));
        // The first heading of the highest level names the document.
        let opens = self.doc.paragraphs.is_empty() && self.current.text.is_empty();
        if (self.doc.title.is_none() && (opens || level == 1)) || level < self.title_level {
            self.doc.title = Some(text.to_string());
            self.title_level = level;
        }
    }

    /// Makes the paragraph's last line a heading when it looks like one and
    /// the line before it ended a sentence.
    fn heading_from_last_line(&mut self) {
        let Some(&(start, _)) = self.current.lines.last() else {
            return;
        };
        let before = self.current.text[..start].trim_end();
        if !looks_like_heading(&self.current.text[start..])
            || !(before.is_empty() || before.ends_with(['.', '!', '?', '。', '！', '？', '"', '”']))
        {
            return;
        }
        let text = self.current.text.split_off(start);
        self.current.lines.pop();
        self.current
            .text
            .truncate(self.current.text.trim_end().len());
        self.flush();
        self.heading(self.plain_level(), &text);
    }

    fn heading_from_paragraph(&mut self) {
        let text = std::mem::take(&mut self.current).text;
        self.heading(self.plain_level(), &text);
    }

    /// Plain-text headings are all sections, but for one that opens the
    /// document: its title.
    fn plain_level(&self) -> usize {
        if self.doc.paragraphs.is_empty() && self.headings.is_empty() {
            1
        } else {
            2
        }
    }

    fn flush(&mut self) {
        if self.plain && self.current.lines.len() == 1 && looks_like_heading(&self.current.text) {
            self.heading_from_paragraph();
        }
        if self.current.text.is_empty() {
            self.current = Paragraph::default();
            return;
        }
        let mut p = std::mem::take(&mut self.current);
        p.headings = self.headings.iter().map(|(_, h)| h.clone()).collect();
        self.doc.paragraphs.push(p);
    }

    fn finish(mut self) -> Document {
        self.flush();
        self.doc
    }
}

/// `## Heading` → 2. A `#` must be followed by a space (`#hashtag` is text).
fn heading_level(line: &str) -> Option<usize> {
    let level = line.chars().take_while(|c| *c == '#').count();
    ((1..=6).contains(&level) && line[level..].starts_with([' ', '\t'])).then_some(level)
}

/// The text of a list item, without its marker (`- `, `* `, `1. `).
fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ ", "• "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest);
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(rest);
        }
    }
    None
}

/// Inline Markdown removed: emphasis markers, code ticks, links and images
/// reduced to their text, inline HTML tags dropped.
pub(crate) fn clean_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' | '`' => {}
            '_' => {
                // Only emphasis: `snake_case` keeps its underscore.
                let inner = i > 0
                    && i + 1 < chars.len()
                    && chars[i - 1].is_alphanumeric()
                    && chars[i + 1].is_alphanumeric();
                if inner {
                    out.push('_');
                }
            }
            '!' if chars.get(i + 1) == Some(&'[') => {}
            '[' => {
                // [text](url): keep the text, drop the url.
                if let Some(close) = chars[i..].iter().position(|c| *c == ']') {
                    let close = i + close;
                    if chars.get(close + 1) == Some(&'(')
                        && let Some(end) = chars[close..].iter().position(|c| *c == ')')
                    {
                        out.extend(&chars[i + 1..close]);
                        i = close + end + 1;
                        continue;
                    }
                }
                out.push('[');
            }
            '<' => {
                let end = chars[i..].iter().position(|c| *c == '>');
                let is_tag = chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/');
                match end {
                    Some(end) if is_tag => {
                        i += end + 1;
                        continue;
                    }
                    _ => out.push('<'),
                }
            }
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_keep_their_lines_and_headings() {
        let doc = read_text(
            "# Treaties\n\nThe Treaty of Shimoda\nwas signed in 1855.\n\n## Later\n- **Yalta** was in [1945](http://x).\n",
        );
        assert_eq!(doc.title.as_deref(), Some("Treaties"));
        assert_eq!(doc.paragraphs.len(), 2);
        let p = &doc.paragraphs[0];
        assert_eq!(p.text, "The Treaty of Shimoda was signed in 1855.");
        assert_eq!(p.line_at(0), 3);
        assert_eq!(p.line_at(25), 4);
        assert_eq!(p.headings, ["Treaties"]);
        let q = &doc.paragraphs[1];
        assert_eq!(q.text, "Yalta was in 1945.");
        assert_eq!(q.headings, ["Treaties", "Later"]);
        assert_eq!(q.line_at(0), 7);
    }

    #[test]
    fn html_loses_its_tags_but_not_its_lines() {
        let text = strip_html(
            "<html><head><title>x</title></head>\n<body><h1>Islands</h1>\n<p>Iturup &amp; Kunashir\nare large.</p></body>",
        );
        let doc = read_text(&text);
        assert_eq!(doc.title.as_deref(), Some("Islands"));
        let p = &doc.paragraphs[0];
        assert_eq!(p.text, "Iturup & Kunashir are large.");
        assert_eq!(p.line_at(0), 3);
    }

    #[test]
    fn plain_text_headings_are_short_lines_without_a_full_stop() {
        let mut lines = Lines {
            plain: true,
            ..Lines::default()
        };
        for l in "The Rocky Road\n\nIt began in 1855.\nPrespects for peace\nThe end came.\nshort line\nwrapped here.".split('\n') {
            lines.push(l);
        }
        let doc = lines.finish();
        assert_eq!(doc.title.as_deref(), Some("The Rocky Road"));
        let texts: Vec<(&str, &[String])> = doc
            .paragraphs
            .iter()
            .map(|p| (p.text.as_str(), p.headings.as_slice()))
            .collect();
        assert_eq!(texts[0].0, "It began in 1855.");
        assert_eq!(texts[1].0, "The end came. short line wrapped here.");
        assert_eq!(texts[1].1, ["The Rocky Road", "Prespects for peace"]);
    }

    #[test]
    fn code_blocks_are_skipped() {
        let doc = read_text("Before.\n\n```\nlet x = 1945;\n```\nAfter.\n");
        let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Before.", "After."]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// Any bytes in a file, with any of the extensions read differently,
        /// are read or refused, never a panic; what is read drafts.
        #[test]
        fn any_file_is_read_or_refused(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000),
            ext in proptest::sample::select(vec!["txt", "md", "html", ""]),
        ) {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join(format!("doc.{ext}"));
            std::fs::write(&path, &bytes).expect("write");
            if let Ok(doc) = read_file(&path, &mut |_| {}) {
                let _ = crate::draft::draft(&[doc], Some(10));
            }
        }
    }

    #[test]
    fn binary_is_recognised() {
        assert!(looks_binary(b"PK\x03\x04\x00\x00"));
        assert!(!looks_binary("Итуруп 択捉島\n".as_bytes()));
    }
}
