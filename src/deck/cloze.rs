//! Cloze text: `{{...}}` deletions, numbered groups `{{c1::...}}`, hints
//! `{{c1::answer::hint}}` and accepted alternatives `{{c1::sixty|60}}` (the
//! first is the one displayed).

use std::ops::Range;

use super::model::ClozeSegment;

/// A mistake in cloze text, located by byte range within the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClozeError {
    pub at: Range<usize>,
    pub message: String,
    pub help: String,
}

fn err(at: Range<usize>, message: &str, help: &str) -> ClozeError {
    ClozeError {
        at,
        message: message.to_string(),
        help: help.to_string(),
    }
}

/// Splits cloze text into plain text and deletions. Unnumbered deletions are
/// numbered in order, each its own card; numbered and unnumbered may not mix.
pub fn parse_cloze(text: &str) -> Result<Vec<ClozeSegment>, ClozeError> {
    let mut segments = Vec::new();
    let mut rest_start = 0;
    let mut numbered: Option<bool> = None;
    let mut next_unnumbered = 1;
    loop {
        let rest = &text[rest_start..];
        let open = rest.find("{{");
        let close = rest.find("}}");
        match (open, close) {
            (None, None) => {
                if !rest.is_empty() {
                    segments.push(ClozeSegment::Text(rest.into()));
                }
                break;
            }
            (_, Some(c)) if open.is_none_or(|o| c < o) => {
                let at = rest_start + c;
                return Err(err(
                    at..at + 2,
                    "`}}` closes a deletion that was never opened",
                    "open the deletion with `{{` before the hidden text, or remove the `}}`",
                ));
            }
            (Some(o), close) => {
                let open_at = rest_start + o;
                let inner_start = open_at + 2;
                let after_open = &text[inner_start..];
                let Some(c) = close.map(|c| rest_start + c).filter(|c| *c >= inner_start) else {
                    return Err(err(
                        open_at..open_at + 2,
                        "this deletion is never closed",
                        "end the hidden text with `}}`",
                    ));
                };
                if let Some(nested) = after_open.find("{{")
                    && inner_start + nested < c
                {
                    let at = inner_start + nested;
                    return Err(err(
                        at..at + 2,
                        "deletions cannot be nested",
                        "close the first deletion with `}}` before opening another",
                    ));
                }
                if o > 0 {
                    segments.push(ClozeSegment::Text(rest[..o].into()));
                }
                let inner = &text[inner_start..c];
                let whole = open_at..c + 2;
                let (group, body) = match group_prefix(inner) {
                    Some((n, body)) => {
                        if numbered == Some(false) {
                            return Err(mixed(whole));
                        }
                        numbered = Some(true);
                        if n == 0 {
                            return Err(err(
                                whole,
                                "cloze groups are numbered from c1",
                                "use `{{c1::...}}` for the first group",
                            ));
                        }
                        (n, body)
                    }
                    None => {
                        if numbered == Some(true) {
                            return Err(mixed(whole));
                        }
                        numbered = Some(false);
                        next_unnumbered += 1;
                        (next_unnumbered - 1, inner)
                    }
                };
                let mut parts = body.split("::");
                let mut alternatives = parts.next().unwrap_or("").split('|').map(str::trim);
                let answer = alternatives.next().unwrap_or("");
                let accept: Vec<&str> = alternatives.collect();
                let hint = parts.next().map(str::trim);
                if parts.next().is_some() {
                    return Err(err(
                        whole,
                        "a deletion has at most an answer and a hint",
                        "write `{{c1::answer}}`, `{{c1::answer::hint}}` or `{{c1::answer|other accepted answer::hint}}`",
                    ));
                }
                if answer.is_empty() {
                    return Err(err(
                        whole,
                        "this deletion hides nothing",
                        "put the hidden text inside: `{{c1::Shimoda}}`",
                    ));
                }
                if accept.iter().any(|a| a.is_empty()) {
                    return Err(err(
                        whole,
                        "an alternative answer in this deletion is empty",
                        "write the other accepted answers after `|`, e.g. `{{c1::sixty|60}}`, or remove the extra `|`",
                    ));
                }
                if hint == Some("") {
                    return Err(err(
                        whole,
                        "this deletion's hint is empty",
                        "write the hint after `::`, or remove the `::`",
                    ));
                }
                segments.push(ClozeSegment::Deletion {
                    group,
                    answer: answer.into(),
                    accept: accept.into_iter().map(Into::into).collect(),
                    hint: hint.map(Into::into),
                });
                rest_start = c + 2;
            }
            (None, Some(_)) => unreachable!("handled by the guard above"),
        }
    }
    if !segments
        .iter()
        .any(|s| matches!(s, ClozeSegment::Deletion { .. }))
    {
        return Err(err(
            0..text.len(),
            "cloze text has no deletion",
            "mark the hidden part with `{{...}}`, e.g. `The {{c1::Shimoda}} Treaty`",
        ));
    }
    Ok(segments)
}

fn mixed(at: Range<usize>) -> ClozeError {
    err(
        at,
        "numbered `{{c1::...}}` and unnumbered `{{...}}` deletions are mixed",
        "number all deletions of this text, or none",
    )
}

/// `c12::rest` gives (12, rest).
fn group_prefix(inner: &str) -> Option<(u32, &str)> {
    let rest = inner
        .strip_prefix('c')
        .or_else(|| inner.strip_prefix('C'))?;
    let digits = rest.find("::")?;
    let n = rest[..digits].parse().ok()?;
    Some((n, &rest[digits + 2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deletion(group: u32, answer: &str, hint: Option<&str>) -> ClozeSegment {
        ClozeSegment::Deletion {
            group,
            answer: answer.into(),
            accept: Vec::new(),
            hint: hint.map(Into::into),
        }
    }

    #[test]
    fn alternatives_after_a_bar_are_accepted_answers() {
        let s = parse_cloze("Japan claims {{c1::four|4}} islands, {{c2::sixty | 60 ::a number}}.")
            .unwrap();
        assert_eq!(
            s[1],
            ClozeSegment::Deletion {
                group: 1,
                answer: "four".into(),
                accept: vec!["4".into()],
                hint: None,
            }
        );
        assert_eq!(
            s[3],
            ClozeSegment::Deletion {
                group: 2,
                answer: "sixty".into(),
                accept: vec!["60".into()],
                hint: Some("a number".into()),
            }
        );
        let s = parse_cloze("{{Etorofu|Iturup|Itorup}}").unwrap();
        assert!(
            matches!(&s[0], ClozeSegment::Deletion { answer, accept, .. } if answer == "Etorofu" && accept.len() == 2)
        );
        for bad in ["{{c1::sixty|}}", "{{c1::sixty||60}}", "{{c1::|60}}"] {
            assert!(parse_cloze(bad).is_err(), "{bad}");
        }
        assert!(
            parse_cloze("{{c1::sixty|::hint}}")
                .unwrap_err()
                .message
                .contains("alternative")
        );
    }

    #[test]
    fn numbered_groups_and_hints() {
        let s = parse_cloze("The {{c1::Shimoda}} Treaty of {{c2::1855::year}}.").unwrap();
        assert_eq!(
            s,
            vec![
                ClozeSegment::Text("The ".into()),
                deletion(1, "Shimoda", None),
                ClozeSegment::Text(" Treaty of ".into()),
                deletion(2, "1855", Some("year")),
                ClozeSegment::Text(".".into()),
            ]
        );
    }

    #[test]
    fn unnumbered_deletions_are_numbered_in_order() {
        let s = parse_cloze("{{a}} and {{b}}").unwrap();
        assert_eq!(s[0], deletion(1, "a", None));
        assert_eq!(s[2], deletion(2, "b", None));
    }

    #[test]
    fn mistakes_are_located() {
        let e = parse_cloze("The {{c1::Shimoda Treaty").unwrap_err();
        assert_eq!(e.at, 4..6);
        assert!(e.message.contains("never closed"));
        let e = parse_cloze("The Shimoda}} Treaty").unwrap_err();
        assert_eq!(e.at, 11..13);
        assert!(
            parse_cloze("No deletion here")
                .unwrap_err()
                .message
                .contains("no deletion")
        );
        assert!(
            parse_cloze("{{c1::a}} {{b}}")
                .unwrap_err()
                .message
                .contains("mixed")
        );
        assert!(
            parse_cloze("{{c0::a}}")
                .unwrap_err()
                .message
                .contains("from c1")
        );
        assert!(
            parse_cloze("{{ }}")
                .unwrap_err()
                .message
                .contains("hides nothing")
        );
        assert!(
            parse_cloze("{{c1::a {{c2::b}} }}")
                .unwrap_err()
                .message
                .contains("nested")
        );
    }
}
