//! A quiz result as `kioku quiz --json` prints it and `kioku class report`
//! reads it back: who took it, when, with which seed and deck versions, and
//! every question with the answer given.

use serde::{Deserialize, Serialize};

use crate::deck::Deck;
use crate::quiz::Answered;

/// The format tag at the top of every result.
pub(crate) const FORMAT: &str = "kioku-quiz 1";

/// A deck and the version of its cards a quiz was taken on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DeckVersion {
    pub id: String,
    /// [`deck_version`]: changes whenever a card's id or content changes.
    pub version: String,
}

/// What the class report reads from a quiz result (the score and
/// breakdowns printed beside these are derived from `questions`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct QuizResult {
    pub format: String,
    pub name: Option<String>,
    /// When the quiz started (RFC 3339, UTC).
    pub date: jiff::Timestamp,
    pub seed: u64,
    pub seconds: u64,
    pub decks: Vec<DeckVersion>,
    /// Every question, in the order asked.
    pub questions: Vec<Answered>,
}

/// A short fingerprint of a deck's cards (ids and content; not comments,
/// layout or line numbers): the version a quiz result names, so a report can
/// tell when a student answered another version of the deck. FNV-1a, so it
/// is the same on every machine and every build.
pub(crate) fn deck_version(deck: &Deck) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(deck.id.as_bytes());
    for card in &deck.cards {
        feed(card.id.as_bytes());
        feed(&postcard::to_allocvec(&card.content()).unwrap_or_default());
    }
    format!("{:08x}", hash >> 32)
}
