//! Cards in and out: Anki packages ([`anki_read`], [`anki_write`]), CSV and
//! TSV ([`delimited`]), HTML fields to plain text ([`html`]) and Anki's
//! review log to kioku's ([`history`]). Everything a source yields is first
//! gathered into an [`Import`] and checked whole; only then is anything
//! written ([`write`]), so bad input leaves nothing behind.

pub(crate) mod anki_read;
pub(crate) mod anki_write;
pub(crate) mod delimited;
pub(crate) mod history;
pub(crate) mod html;
pub(crate) mod write;

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::progress::Event;

/// One card note to write, in kioku's terms.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Note {
    /// The `[[card]]` id.
    pub id: String,
    pub body: Body,
    pub tags: Vec<String>,
    pub explain: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    Basic {
        q: String,
        a: String,
        accept: Vec<String>,
        typed: bool,
        reverse: bool,
    },
    Cloze {
        text: String,
    },
}

/// One deck file to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DeckOut {
    pub id: String,
    pub title: String,
    /// Where it goes under the target folder, without `.toml`: Anki's
    /// `Parent::Child` becomes `parent/child`.
    pub path: PathBuf,
    /// The deck's default citation: where it was imported from.
    pub source: Option<String>,
    pub notes: Vec<Note>,
}

/// Everything read from one source file, not yet written anywhere.
#[derive(Debug, Default)]
pub(crate) struct Import {
    pub source: PathBuf,
    pub decks: Vec<DeckOut>,
    /// Reviews, suspensions and burials for the progress log.
    pub events: Vec<Event>,
    /// Said to the user at the end (note types taken as basic, skipped notes).
    pub warnings: Vec<String>,
    /// Media files the cards refer to; kioku shows their names only.
    pub media: BTreeSet<String>,
}

impl Import {
    pub(crate) fn reviews(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e.kind, crate::progress::EventKind::Review { .. }))
            .count()
    }
}

/// FNV-1a, 64 bits: a fixed hash for ids that must be the same on every
/// machine and in every kioku version (std's hasher promises neither).
pub(crate) fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The card id for a note known by a stable identity (Anki's GUID, or a
/// CSV row's question): `a-` and 10 hex digits. Importing again gives the
/// same id, so the deck is updated rather than duplicated.
pub(crate) fn note_id(identity: &str) -> String {
    format!("a-{:010x}", fnv1a(identity) >> 24)
}

/// A deck id from a name such as `Languages::日本語`: each part as a slug
/// (a part with no Latin letters or digits as a hash), joined by `-`.
pub(crate) fn deck_id(name: &str) -> String {
    let parts: Vec<String> = name.split("::").map(part_slug).collect();
    parts.join("-")
}

fn part_slug(part: &str) -> String {
    let slug = crate::deck::parse::slugify(part);
    if slug.is_empty() {
        format!("x{:08x}", fnv1a(part) >> 32)
    } else {
        slug
    }
}

/// The folders and file for a deck name: `Parent::Child` is `parent/child`.
pub(crate) fn deck_path(name: &str) -> PathBuf {
    name.split("::").map(part_slug).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_valid() {
        assert_eq!(note_id("PwNL3W(=0$"), note_id("PwNL3W(=0$"));
        assert_ne!(note_id("PwNL3W(=0$"), note_id("z9u8z2?gyd"));
        assert_eq!(note_id("x").len(), 12);
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(deck_id("Geography::Capitals"), "geography-capitals");
        let jp = deck_id("Languages::日本語");
        assert!(jp.starts_with("languages-x"), "{jp}");
        assert_eq!(
            deck_path("Geography::Capitals"),
            PathBuf::from("geography/capitals")
        );
        for name in ["Default", "A::B::C", "日本語", "  ", "x::"] {
            assert!(
                crate::deck::parse::is_valid_id(&deck_id(name)),
                "{name} -> {}",
                deck_id(name)
            );
        }
    }
}
