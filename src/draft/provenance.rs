//! `kioku check --sources DIR`: every card with a `quote` must still find it
//! in its document, and its answer in the quote. Both sides are compared
//! normalised (lowercase, punctuation and runs of spaces as one space), so
//! re-wrapping a paragraph or changing quote marks is not an edit; changed
//! words are, and are reported as warnings naming the card and the place in
//! the document that now reads closest.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use super::read;
use super::segment;
use crate::deck::model::{Content, Deck, cloze};
use crate::diagnostic::{Diagnostic, Severity, SourceFile};

/// Text reduced to lowercase letters and digits separated by single spaces.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A document's sentences, as written and normalised, with their lines.
struct Doc {
    name: String,
    paragraphs: Vec<String>,
    sentences: Vec<(String, usize)>,
}

/// `notes.md:12` → (`notes.md`, Some(12)).
pub(crate) fn split_source(source: &str) -> (&str, Option<usize>) {
    match source.rsplit_once(':') {
        Some((name, line)) if !name.is_empty() => match line.trim().parse() {
            Ok(n) => (name, Some(n)),
            Err(_) => (source, None),
        },
        _ => (source, None),
    }
}

/// The provenance warnings for the deck files `files`, whose valid decks
/// are `decks`, against the documents in `dir`.
pub(crate) fn check(files: &[PathBuf], decks: &[Deck], dir: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut docs: HashMap<PathBuf, Option<Doc>> = HashMap::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let deck = decks.iter().find(|d| d.path == *file);
        let src = SourceFile::new(file, &text);
        let (root, _) = DeTable::parse_recoverable(&text);
        let root = root.get_ref();
        let deck_source = root
            .get("deck")
            .and_then(|d| table(d.get_ref()))
            .and_then(|d| string(d, "source"));
        let Some(DeValue::Array(cards)) = root.get("card").map(toml::Spanned::get_ref) else {
            continue;
        };
        for card in cards {
            let Some(t) = table(card.get_ref()) else {
                continue;
            };
            let (Some(id), Some(quote)) = (string(t, "id"), string(t, "quote")) else {
                continue;
            };
            let span: Range<usize> = t.get("quote").map_or(0..0, toml::Spanned::span);
            let mut warn = |message: String, help: String| {
                out.push(src.diagnostic(Severity::Warning, span.clone(), message, help));
            };
            let Some(source) = string(t, "source").or(deck_source.clone()) else {
                warn(
                    format!("card `{id}` has a quote but no source to find it in"),
                    "add `source = \"document.md:LINE\"` to the card".into(),
                );
                continue;
            };
            let (name, line) = split_source(&source);
            let path = locate(dir, name);
            let doc = docs.entry(path.clone()).or_insert_with(|| load(&path));
            let Some(doc) = doc else {
                warn(
                    format!(
                        "card `{id}` quotes `{name}`, which is not in `{}`",
                        dir.display()
                    ),
                    "pass the folder that holds the document to --sources, or fix the card's `source`".into(),
                );
                continue;
            };
            let cited = line.map_or(doc.name.clone(), |l| format!("{}:{l}", doc.name));
            let quoted = normalise(&quote);
            if !doc.paragraphs.iter().any(|p| p.contains(&quoted)) {
                let help = match closest(doc, &quoted) {
                    Some((sentence, l)) => format!(
                        "the card cites {cited}; the closest passage is now {}:{l}: “{}”. Update the card and its quote to what the document says",
                        doc.name,
                        crate::text::truncate(sentence, 100)
                    ),
                    None => format!(
                        "the card cites {cited}; update the card and its quote to what the document says"
                    ),
                };
                warn(
                    format!(
                        "the quote of card `{id}` is no longer in `{}` (the document was edited)",
                        doc.name
                    ),
                    help,
                );
                continue;
            }
            for answer in answers(deck, &id) {
                let a = normalise(&answer);
                if !a.is_empty() && !contains_words(&quoted, &a) {
                    warn(
                        format!("the answer `{answer}` of card `{id}` is not in its quote"),
                        format!(
                            "a card should ask what {cited} says: fix the answer, or quote the sentence that says it"
                        ),
                    );
                }
            }
        }
    }
    out
}

fn table<'a, 'i>(v: &'a DeValue<'i>) -> Option<&'a DeTable<'i>> {
    match v {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

fn string(t: &DeTable, key: &str) -> Option<String> {
    match t.get(key).map(toml::Spanned::get_ref) {
        Some(DeValue::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

/// `dir/name`, else `dir/` + the name's last part.
fn locate(dir: &Path, name: &str) -> PathBuf {
    let direct = dir.join(name);
    if direct.is_file() {
        return direct;
    }
    match Path::new(name).file_name() {
        Some(file) => dir.join(file),
        None => direct,
    }
}

fn load(path: &Path) -> Option<Doc> {
    let doc = read::read_file(path, &mut |_| {}).ok()?;
    let mut sentences = Vec::new();
    for p in &doc.paragraphs {
        for s in segment::sentences(p, 0) {
            sentences.push((s.text, s.line));
        }
    }
    Some(Doc {
        paragraphs: doc.paragraphs.iter().map(|p| normalise(&p.text)).collect(),
        name: doc.name,
        sentences,
    })
}

/// The sentence sharing the most words with the quote.
fn closest<'d>(doc: &'d Doc, quoted: &str) -> Option<(&'d str, usize)> {
    let words: HashSet<&str> = quoted.split(' ').collect();
    doc.sentences
        .iter()
        .map(|(s, line)| {
            let n = normalise(s);
            let common = n.split(' ').filter(|w| words.contains(w)).count();
            (common, s.as_str(), *line)
        })
        .filter(|(common, _, _)| *common * 3 >= words.len())
        .max_by_key(|(common, _, line)| (*common, std::cmp::Reverse(*line)))
        .map(|(_, s, line)| (s, line))
}

/// Whether `part` occurs in `whole` on word boundaries (both normalised):
/// 1855 is not in 18550, but is in 1855年, since Japanese does not space
/// its words.
fn contains_words(whole: &str, part: &str) -> bool {
    let joins = |a: char, b: char| {
        (a.is_ascii_digit() && b.is_ascii_digit())
            || ((a.is_uppercase() || a.is_lowercase()) && (b.is_uppercase() || b.is_lowercase()))
    };
    let (Some(first), Some(last)) = (part.chars().next(), part.chars().last()) else {
        return false;
    };
    whole.match_indices(part).any(|(at, _)| {
        let before = whole[..at].chars().next_back();
        let after = whole[at + part.len()..].chars().next();
        !before.is_some_and(|b| joins(b, first)) && !after.is_some_and(|a| joins(last, a))
    })
}

/// The answers of the cards of note `id`.
fn answers(deck: Option<&Deck>, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for card in deck.iter().flat_map(|d| d.cards.iter()) {
        if card.note_id != id || card.id.ends_with(":reverse") {
            continue;
        }
        match &card.content() {
            Content::Basic { answer, .. } | Content::Choice { answer, .. } => {
                out.push(answer.to_string());
            }
            Content::Cloze { segments, active } => {
                out.extend(
                    cloze::answers(segments, *active)
                        .into_iter()
                        .map(str::to_string),
                );
            }
            Content::Multi { answers, .. } => {
                out.extend(answers.iter().map(std::string::ToString::to_string));
            }
            Content::Order { items, .. } => {
                out.extend(items.iter().map(std::string::ToString::to_string));
            }
            Content::TrueFalse { .. } => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_text_ignores_spacing_case_and_punctuation() {
        assert_eq!(
            normalise("The  “Treaty of Shimoda” (1855),\nsigned."),
            "the treaty of shimoda 1855 signed"
        );
        assert_eq!(normalise("Итуруп, 択捉島!"), "итуруп 択捉島");
    }

    #[test]
    fn sources_split_into_document_and_line() {
        assert_eq!(split_source("notes.md:12"), ("notes.md", Some(12)));
        assert_eq!(
            split_source("Lecture notes, week 3"),
            ("Lecture notes, week 3", None)
        );
        assert_eq!(split_source("C:notes"), ("C:notes", None));
    }

    #[test]
    fn answers_match_whole_words() {
        assert!(contains_words("signed in 1855 at shimoda", "1855"));
        assert!(!contains_words("signed in 18550", "1855"));
        assert!(contains_words("1855年に日本と", "1855"));
        assert!(!contains_words("the yaltan", "yalta"));
    }
}
