//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz style, built on
//! stable with coverage flags: see fuzz/README.md), and the replay of their
//! corpus from `cargo test`, so CI exercises every saved input on stable.
//!
//! Each function takes arbitrary bytes, must never panic, and checks what
//! must hold for any input (an event reads back as itself once written).

use std::path::Path;

/// A deck file's bytes: parsed and checked, every diagnostic rendered.
pub fn deck(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let (parsed, diagnostics) = crate::deck::parse::parse_deck(Path::new("fuzz.toml"), &text);
    let paint = crate::paint::Paint::plain();
    for d in &diagnostics {
        let _ = d.render(&paint, Some(40));
    }
    if let Some(parsed) = parsed {
        for card in &parsed.deck.cards {
            let _ = card.key();
        }
    }
}

/// A progress log's bytes: read as a whole, and every event it yields
/// written back and read again unchanged.
pub fn log(bytes: &[u8]) {
    // Every line the one-pass reader takes reads as the general path reads it.
    if let Ok(text) = std::str::from_utf8(bytes) {
        for line in text.lines() {
            assert!(crate::progress::event::one_pass_agrees(line), "{line:?}");
        }
    }
    let Ok(log) = crate::progress::store::parse(Path::new("fuzz.log"), bytes) else {
        return;
    };
    for event in &log.events {
        let line = event.to_line();
        assert_eq!(
            crate::progress::Event::parse(&line).as_ref(),
            Ok(event),
            "{line}"
        );
    }
}

/// A settings file's bytes: read, and when valid, edited as `optimize` and
/// `exam set` edit it; the edited text must read back with the edit.
pub fn settings(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(config) = crate::config::Config::from_toml(text) else {
        return;
    };
    let exam = crate::config::ExamConfig {
        name: None,
        date: "2030-01-02".into(),
        decks: vec!["d".into()],
        minutes_per_day: 5,
    };
    let parameters = fsrs::DEFAULT_PARAMETERS.to_vec();
    let edited = crate::config::edit_text(text, |c| {
        c.parameters = parameters.clone();
        c.exams.retain(|e| e.date != exam.date);
        c.exams.push(exam.clone());
    });
    if let Ok(edited) = edited {
        let back = crate::config::Config::from_toml(&edited).expect("an edit reads back");
        assert_eq!(back.parameters, parameters);
        assert!(back.exams.contains(&exam));
        assert_eq!(back.new_per_day, config.new_per_day, "other keys are kept");
    }
}

/// What a user brings to `kioku import` other than a package: CSV or TSV
/// (Quizlet's export, Anki's plain text, a spreadsheet), the delimiter and
/// header options picked by the first byte; and the same text as an Anki
/// note's field (HTML, cloze). Nothing panics; every deck an import makes
/// reads back as a kioku deck with the imported text, and every card shows;
/// what an export writes, an import reads back.
pub fn import(bytes: &[u8]) {
    use crate::bridge::{delimited, write};
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    anki_field(&text);
    let options = delimited::Options {
        delimiter: [None, Some(b'\t'), Some(b','), Some(b';')][usize::from(pick & 3)],
        header: [None, Some(true), Some(false), None][usize::from((pick >> 2) & 3)],
    };
    let Ok(import) = delimited::parse(Path::new("fuzz.csv"), &text, options) else {
        return;
    };
    for deck in &import.decks {
        let toml = write::render(deck, 0);
        let (parsed, diagnostics) = crate::deck::parse::parse_deck(Path::new("fuzz.toml"), &toml);
        let Some(parsed) = parsed else {
            let paint = crate::paint::Paint::plain();
            let said: Vec<String> = diagnostics.iter().map(|d| d.render(&paint, None)).collect();
            panic!(
                "an imported deck must read back:\n{}\n{toml}",
                said.join("\n")
            );
        };
        let deck_read = &parsed.deck;
        for note in &deck.notes {
            imported_as_written(note, deck_read);
        }
        for card in &deck_read.cards {
            shows(card);
        }
        exported_and_read_back(deck_read);
    }
}

/// The cards kioku read from an imported note say what the note says.
fn imported_as_written(note: &crate::bridge::Note, deck: &crate::deck::Deck) {
    use crate::bridge::Body;
    use crate::deck::Content;
    let cards: Vec<&crate::deck::Card> =
        deck.cards.iter().filter(|c| c.note_id == note.id).collect();
    let first = cards.first().expect("every note makes a card");
    assert_eq!(first.explain(), note.explain.as_deref());
    let tags: Vec<&str> = first
        .tags()
        .iter()
        .map(compact_str::CompactString::as_str)
        .collect();
    assert_eq!(tags, note.tags);
    match (&note.body, &first.content()) {
        (
            Body::Basic {
                q,
                a,
                accept,
                typed,
                reverse,
            },
            Content::Basic {
                question,
                answer,
                accept: read,
                typed: read_typed,
            },
        ) => {
            assert_eq!(
                (q.as_str(), a.as_str()),
                (question.as_str(), answer.as_str())
            );
            assert_eq!(accept.len(), read.len());
            assert_eq!(typed, read_typed);
            assert_eq!(cards.len(), if *reverse { 2 } else { 1 });
        }
        (Body::Cloze { text }, Content::Cloze { segments, .. }) => {
            let again = crate::deck::cloze::parse_cloze(text).expect("checked on import");
            assert_eq!(&again, segments);
        }
        (body, content) => panic!("{body:?} was read as {content:?}"),
    }
}

/// A card as study shows it, at 40 and 80 columns: no control character
/// but the line breaks.
fn shows(card: &crate::deck::Card) {
    let question = crate::session::ask::question(card);
    for width in [40, 80] {
        let shown = crate::session::present::block(&question, width);
        assert!(
            !shown.as_str().chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
    }
    let _ = card.key();
}

/// A deck exported to CSV and imported again: each basic card comes back
/// with its question, answer, explanation, tags and source.
fn exported_and_read_back(deck: &crate::deck::Deck) {
    use crate::bridge::{Body, delimited};
    use crate::deck::Content;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("export.csv");
    let rows = crate::bridge::delimited::write_csv(&out, std::slice::from_ref(deck))
        .expect("the export is written");
    assert_eq!(rows, deck.cards.len());
    let back = delimited::read(&out, delimited::Options::default()).expect("the export reads back");
    let notes: Vec<&crate::bridge::Note> = back.decks.iter().flat_map(|d| &d.notes).collect();
    assert_eq!(notes.len(), deck.cards.len());
    for (card, note) in deck.cards.iter().zip(notes) {
        let Content::Basic {
            question, answer, ..
        } = &card.content()
        else {
            continue;
        };
        let Body::Basic { q, a, .. } = &note.body else {
            panic!("a basic card came back as {:?}", note.body);
        };
        assert_eq!(
            (question.as_str(), answer.as_str()),
            (q.as_str(), a.as_str())
        );
        assert_eq!(card.explain(), note.explain.as_deref());
        assert_eq!(card.source(), note.source.as_deref());
        let tags: Vec<&str> = card
            .tags()
            .iter()
            .map(compact_str::CompactString::as_str)
            .collect();
        assert_eq!(tags, note.tags);
    }
}

/// An Anki note's field: turned into card text; text an export puts in a
/// field comes back the same (but `[sound:...]`, which Anki plays), and so
/// does a cloze text, but for the answers a blank also accepts (`|`), which
/// Anki has no place for and the export leaves out.
fn anki_field(field: &str) {
    use crate::bridge::{anki_write, html};
    use crate::deck::ClozeSegment;
    let mut media = std::collections::BTreeSet::new();
    let text = html::to_text(field, &mut media);
    if text.contains("[sound:") {
        return;
    }
    let again = html::to_text(&anki_write::html(&text), &mut media);
    assert_eq!(again, text, "plain text through an Anki field");
    let Ok(segments) = crate::deck::cloze::parse_cloze(&text) else {
        return;
    };
    let card = crate::deck::Card::new(
        "fuzz".into(),
        "c:c1".into(),
        "c".into(),
        1,
        crate::deck::Details {
            content: crate::deck::Content::Cloze {
                segments: segments.clone(),
                active: 1,
            },
            explain: None,
            source: None,
            tags: Vec::new(),
        },
    );
    let (_, fields) = anki_write::note_fields(&[&card]);
    let read = html::to_text(&fields[0], &mut media);
    let without_accepted = |segments: Vec<ClozeSegment>| -> Vec<ClozeSegment> {
        segments
            .into_iter()
            .map(|mut s| {
                if let ClozeSegment::Deletion { accept, .. } = &mut s {
                    accept.clear();
                }
                s
            })
            .collect()
    };
    assert_eq!(
        crate::deck::cloze::parse_cloze(&read)
            .ok()
            .map(without_accepted),
        Some(without_accepted(segments)),
        "a cloze through an Anki field: {read:?}"
    );
}

#[cfg(test)]
mod tests {
    /// Every input in fuzz/corpus/TARGET, through its target.
    fn replay(target: &str, run: fn(&[u8])) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus")
            .join(target);
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).expect("the corpus is in the repository") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            run(&bytes);
            count += 1;
        }
        assert!(count > 0, "{} is empty", dir.display());
    }

    use std::path::Path;

    #[test]
    fn the_deck_corpus_replays() {
        replay("deck", super::deck);
    }

    #[test]
    fn the_log_corpus_replays() {
        replay("log", super::log);
    }

    #[test]
    fn the_settings_corpus_replays() {
        replay("settings", super::settings);
    }

    #[test]
    fn the_import_corpus_replays() {
        replay("import", super::import);
    }
}
