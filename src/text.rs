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
pub fn sanitize(text: &str, keep_newlines: bool) -> String {
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
pub fn pad(text: &str, columns: usize) -> String {
    let w = width(text);
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    out
}

/// Cuts `text` to at most `columns` display columns, ending in `…` when cut.
pub fn truncate(text: &str, columns: usize) -> String {
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

/// Wraps `text` to lines of at most `columns` display columns, breaking at
/// spaces where it can and anywhere in a run of wide characters (Japanese has
/// no spaces). Existing newlines are kept.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(8);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in split_keeping_spaces(paragraph) {
            let w = width(word);
            if used + w > columns && used > 0 {
                lines.push(line.trim_end().to_string());
                line.clear();
                used = 0;
                if word == " " {
                    continue;
                }
            }
            if w > columns {
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if used + cw > columns {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cw;
                }
            } else {
                line.push_str(word);
                used += w;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Splits into words and single spaces; each wide character is its own word
/// so that lines may break between them.
fn split_keeping_spaces(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let wide = c.width().unwrap_or(0) > 1;
        if c == ' ' || wide {
            if start < i {
                parts.push(&text[start..i]);
            }
            parts.push(&text[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts
}

#[cfg(test)]
mod tests {
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
        assert!(!clean.chars().any(|c| c.is_control()));
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
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("択捉島", 5), "択捉…");
    }
}
