//! Anki fields are HTML; kioku cards are plain text. Line breaks are kept
//! (`<br>`, and the end of a block such as `<div>` or `<li>`), tags dropped,
//! entities decoded (through `html-escape`), and media references turned
//! into visible placeholders so no part of a card silently disappears.

use std::collections::BTreeSet;

/// Plain text of an HTML field, and the media files it refers to.
pub(crate) fn to_text(html: &str, media: &mut BTreeSet<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_text(&mut out, &rest[..open], media);
        let after = &rest[open..];
        // Comments may hold `>`; skip them whole.
        if let Some(body) = after.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |end| &body[end + 3..]);
            continue;
        }
        let Some(close) = after.find('>') else {
            // A lone `<` is text (`1 < 2`).
            push_text(&mut out, after, media);
            rest = "";
            break;
        };
        let tag = &after[1..close];
        rest = &after[close + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            // `< 2` or `<>`: not a tag.
            push_text(&mut out, &after[..close + 1], media);
            continue;
        }
        let closing = tag.starts_with('/');
        match name.as_str() {
            "br" => out.push('\n'),
            "img" if !closing => {
                if let Some(src) = attribute(tag, "src") {
                    let src = html_escape::decode_html_entities(&src).into_owned();
                    out.push_str(&format!("[image: {src}]"));
                    media.insert(src);
                }
            }
            "script" | "style" if !closing => {
                // Their content is not text a learner reads.
                let end = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = lower
                    .find(&end)
                    .and_then(|i| rest[i..].find('>').map(|j| &rest[i + j + 1..]))
                    .unwrap_or("");
            }
            "div" | "p" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol"
            | "table" | "blockquote" | "pre" | "hr" => {
                newline(&mut out);
                if name == "li" && !closing {
                    out.push_str("- ");
                }
            }
            "td" | "th" if closing => out.push(' '),
            _ => {}
        }
    }
    push_text(&mut out, rest, media);
    tidy(&out)
}

/// Text between tags: entities decoded, `[sound:x.mp3]` noted as media.
fn push_text(out: &mut String, text: &str, media: &mut BTreeSet<String>) {
    if text.is_empty() {
        return;
    }
    let decoded = html_escape::decode_html_entities(text);
    let mut rest: &str = &decoded;
    while let Some(start) = rest.find("[sound:") {
        let Some(end) = rest[start..].find(']') else {
            break;
        };
        let name = &rest[start + 7..start + end];
        media.insert(name.to_string());
        out.push_str(&rest[..start]);
        out.push_str(&format!("[sound: {name}]"));
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// The value of `name="..."` (or `'...'`, or bare) in a tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = tag[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

/// Non-breaking spaces become spaces, trailing spaces go, and no more than
/// one blank line is kept; the whole is trimmed.
fn tidy(text: &str) -> String {
    let text = text.replace(['\u{a0}', '\r'], " ");
    let mut lines: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.is_empty() && lines.last().is_some_and(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        to_text(html, &mut BTreeSet::new())
    }

    #[test]
    fn line_breaks_are_kept_tags_dropped_entities_decoded() {
        assert_eq!(
            text("Tokyo<br>東京 &amp; its 23&nbsp;wards"),
            "Tokyo\n東京 & its 23 wards"
        );
        assert_eq!(text("<div>Paris</div><div>France</div>"), "Paris\nFrance");
        assert_eq!(text("What is <b>this</b>?"), "What is this?");
        assert_eq!(text("&lt;Crimea&gt; &#x41;&#66;"), "<Crimea> AB");
        assert_eq!(text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
        assert_eq!(text("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
        assert_eq!(text("a<!-- x > y -->b"), "ab");
        assert_eq!(text("a<style>.x{}</style>b"), "ab");
        assert_eq!(text("<br><br><br>x<br><br><br><br>y"), "x\n\ny");
    }

    #[test]
    fn media_is_named_not_dropped() {
        let mut media = BTreeSet::new();
        let t = to_text(
            r#"<img src="map.png">Where? [sound:hokkaido.mp3] <IMG SRC='a&amp;b.jpg' />"#,
            &mut media,
        );
        assert_eq!(
            t,
            "[image: map.png]Where? [sound: hokkaido.mp3] [image: a&b.jpg]"
        );
        assert_eq!(
            media.into_iter().collect::<Vec<_>>(),
            ["a&b.jpg", "hokkaido.mp3", "map.png"]
        );
    }

    #[test]
    fn cloze_markers_survive() {
        assert_eq!(
            text("The {{c1::<b>Yalta</b>}} Conference of {{c2::1945::year}}"),
            "The {{c1::Yalta}} Conference of {{c2::1945::year}}"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(html in "\\PC{0,60}") {
            let _ = text(&html);
        }
    }
}
