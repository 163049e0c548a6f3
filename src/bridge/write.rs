//! Writing what was imported: each deck as a kioku TOML file (checked with
//! kioku's own parser before anything is written), and the events appended
//! to the progress log through its writer, skipping those already there.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Body, DeckOut, Import};
use crate::error::Error;
use crate::progress::{Event, Store};

/// The schema file written beside imported decks, so editors check them.
use crate::deck::spec::SCHEMA_FILE;

#[derive(Serialize)]
struct FileOut<'a> {
    deck: DeckHead<'a>,
    card: Vec<CardOut<'a>>,
}

#[derive(Serialize)]
struct DeckHead<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct CardOut<'a> {
    id: &'a str,
    /// `basic` when the answer is the word true or false, which kioku
    /// would otherwise take for a true/false statement written in quotes.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    q: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    accept: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    typed: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reverse: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

/// The deck file's text, with the `#:schema` line pointing `up` folders up.
pub(crate) fn render(deck: &DeckOut, up: usize) -> String {
    let cards = deck
        .notes
        .iter()
        .map(|n| {
            let (q, a, accept, typed, reverse, text): (_, _, &[String], _, _, _) = match &n.body {
                Body::Basic {
                    q,
                    a,
                    accept,
                    typed,
                    reverse,
                } => (
                    Some(q.as_str()),
                    Some(a.as_str()),
                    accept,
                    *typed,
                    *reverse,
                    None,
                ),
                Body::Cloze { text } => (None, None, &[], false, false, Some(text.as_str())),
            };
            let word = a.is_some_and(|a| {
                ["true", "false"]
                    .iter()
                    .any(|w| a.trim().eq_ignore_ascii_case(w))
            });
            CardOut {
                id: &n.id,
                kind: word.then_some("basic"),
                q,
                a,
                accept,
                typed,
                reverse,
                text,
                explain: n.explain.as_deref(),
                source: n.source.as_deref(),
                tags: &n.tags,
            }
        })
        .collect();
    let file = FileOut {
        deck: DeckHead {
            id: &deck.id,
            title: &deck.title,
            source: deck.source.as_deref(),
        },
        card: cards,
    };
    let body = toml::to_string(&file).unwrap_or_default();
    format!("#:schema {}{SCHEMA_FILE}\n{body}", "../".repeat(up))
}

/// One file to write.
pub(crate) struct Planned {
    pub path: PathBuf,
    pub text: String,
    pub deck_id: String,
    pub cards: usize,
}

/// Decides where every deck goes under `into` and renders it, refusing (with
/// nothing written) a deck whose id a deck in `into` already has, unless
/// `force`, and any deck kioku itself would not accept.
pub(crate) fn plan(into: &Path, imports: &[Import], force: bool) -> Result<Vec<Planned>, Error> {
    let existing: HashMap<String, PathBuf> = if into.is_dir() {
        match crate::deck::deck_files(&[into.to_path_buf()]) {
            Ok(files) => crate::deck::load(&files, crate::deck::parse::Checks::ErrorsOnly)
                .decks
                .into_iter()
                .map(|d| (d.id, d.path))
                .collect(),
            Err(_) => HashMap::new(),
        }
    } else {
        HashMap::new()
    };
    let mut planned: Vec<Planned> = Vec::new();
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for import in imports {
        for deck in &import.decks {
            if let Some(other) = seen.insert(&deck.id, &import.source) {
                return Err(Error::Import {
                    path: import.source.clone(),
                    reason: format!(
                        "its deck `{}` has the same id as a deck from {} (rename one of them)",
                        deck.title,
                        other.display()
                    ),
                });
            }
            let fresh = into.join(&deck.path).with_extension("toml");
            let path = match existing.get(&deck.id) {
                Some(old) if !force => {
                    return Err(Error::DeckExists {
                        id: deck.id.clone(),
                        path: old.clone(),
                    });
                }
                Some(old) => old.clone(),
                None if fresh.exists() && !force => {
                    return Err(Error::DeckExists {
                        id: deck.id.clone(),
                        path: fresh,
                    });
                }
                None => fresh,
            };
            let up = path
                .strip_prefix(into)
                .map_or(0, |rel| rel.components().count().saturating_sub(1));
            let text = render(deck, up);
            let (parsed, diagnostics) = crate::deck::parse::parse_deck(&path, &text);
            let Some(parsed) = parsed else {
                let first = diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or_else(String::new, |d| {
                        d.render(&crate::paint::Paint::plain(), None)
                    });
                return Err(Error::Import {
                    path: import.source.clone(),
                    reason: format!(
                        "kioku could not turn deck `{}` into a valid deck file:\n{first}",
                        deck.title
                    ),
                });
            };
            planned.push(Planned {
                path,
                text,
                deck_id: deck.id.clone(),
                cards: parsed.deck.cards.len(),
            });
        }
    }
    Ok(planned)
}

/// Writes the planned files (each through a temporary file renamed into
/// place) and the schema file beside them.
pub(crate) fn write_files(into: &Path, planned: &[Planned]) -> Result<(), Error> {
    let write_error = |path: &Path, source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(into).map_err(|e| write_error(into, e))?;
    let schema = into.join(SCHEMA_FILE);
    if !schema.exists() {
        std::fs::write(&schema, crate::deck::spec::SCHEMA).map_err(|e| write_error(&schema, e))?;
    }
    for p in planned {
        let dir = p.path.parent().unwrap_or(into);
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| write_error(dir, e))?;
        std::io::Write::write_all(&mut tmp, p.text.as_bytes())
            .map_err(|e| write_error(&p.path, e))?;
        tmp.persist(&p.path)
            .map_err(|e| write_error(&p.path, e.error))?;
    }
    Ok(())
}

/// Appends the events the log does not have yet (by id). Returns how many
/// were added.
pub(crate) fn append_events(
    store: &mut Store,
    known: &HashSet<u64>,
    events: &[Event],
) -> Result<usize, Error> {
    let mut fresh: Vec<Event> = events
        .iter()
        .filter(|e| !known.contains(&e.id.0))
        .cloned()
        .collect();
    fresh.sort_by_key(|e| e.time);
    fresh.dedup_by_key(|e| e.id);
    if !fresh.is_empty() {
        store.append(&fresh)?;
    }
    Ok(fresh.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bridge::Note;

    fn deck() -> DeckOut {
        DeckOut {
            id: "geo".into(),
            title: "Geo \"quoted\"".into(),
            path: "geo".into(),
            source: Some("Anki".into()),
            notes: vec![
                Note {
                    id: "a-1".into(),
                    body: Body::Basic {
                        q: "Line one\nline two".into(),
                        a: "Tokyo".into(),
                        accept: vec![],
                        typed: true,
                        reverse: true,
                    },
                    tags: vec!["geo".into()],
                    explain: None,
                    source: None,
                },
                Note {
                    id: "a-2".into(),
                    body: Body::Cloze {
                        text: "The {{c1::Yalta}} Conference".into(),
                    },
                    tags: vec![],
                    explain: Some("Crimea".into()),
                    source: None,
                },
            ],
        }
    }

    #[test]
    fn rendered_decks_are_valid_kioku_decks() {
        let text = render(&deck(), 1);
        assert!(text.starts_with("#:schema ../deck.schema.json\n"), "{text}");
        let (parsed, diagnostics) = crate::deck::parse::parse_deck(Path::new("geo.toml"), &text);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{text}");
        let parsed = parsed.expect("valid");
        let ids: Vec<&str> = parsed.deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a-1", "a-1:reverse", "a-2:c1"]);
    }

    /// Found by fuzzing: a row `Is the sky blue?,true` made the whole
    /// import fail, its card taken for a true/false statement in quotes.
    #[test]
    fn an_answer_that_is_the_word_true_stays_a_basic_card() {
        let mut deck = deck();
        let Body::Basic { a, .. } = &mut deck.notes[0].body else {
            panic!("basic");
        };
        *a = " FALSE".into();
        let text = render(&deck, 0);
        let (parsed, diagnostics) = crate::deck::parse::parse_deck(Path::new("geo.toml"), &text);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{text}");
        let card = &parsed.expect("valid").deck.cards[0];
        assert!(
            matches!(&card.content(), crate::deck::Content::Basic { answer, .. } if answer == " FALSE"),
            "{card:?}"
        );
    }

    #[test]
    fn an_existing_deck_id_needs_force() {
        let dir = tempfile::tempdir().expect("dir");
        let import = Import {
            source: "x.apkg".into(),
            decks: vec![deck()],
            ..Import::default()
        };
        let planned = plan(dir.path(), std::slice::from_ref(&import), false).expect("plan");
        write_files(dir.path(), &planned).expect("write");
        assert!(dir.path().join("geo.toml").exists());
        assert!(dir.path().join(SCHEMA_FILE).exists());
        match plan(dir.path(), std::slice::from_ref(&import), false) {
            Err(Error::DeckExists { id, .. }) => assert_eq!(id, "geo"),
            other => panic!("expected DeckExists, got {:?}", other.map(|p| p.len())),
        }
        assert_eq!(plan(dir.path(), &[import], true).expect("forced").len(), 1);
    }
}
