//! Deck files: the format ([`spec`]), reading and checking them ([`parse`],
//! [`load`]) and the validated model every later stage uses ([`model`]).

pub mod builtin;
pub mod cache;
pub mod cloze;
pub mod load;
pub mod model;
pub mod parse;
pub mod spec;

pub use load::{Collection, DeckSet, deck_files, load};
pub use model::{Card, CardKind, ClozeSegment, Content, Deck, Text};

/// Old card keys and the card each now belongs to, from the cards' `was`
/// (note keys: a cloze group's `:c2` follows its note). An old key that
/// is still some card's own key keeps its own history.
pub fn renames(decks: &[Deck]) -> std::collections::HashMap<String, String> {
    let live: std::collections::HashSet<String> = decks
        .iter()
        .flat_map(|d| d.cards.iter().map(|c| format!("{}/{}", d.id, c.note_id)))
        .collect();
    decks
        .iter()
        .flat_map(|d| d.renames.iter().cloned())
        .filter(|(old, _)| !live.contains(old))
        .collect()
}

/// The key a logged event's card is kept under now: `deck/old:c2` becomes
/// `deck/new:c2` when `old` was renamed.
pub fn current_key<'k>(
    renames: &std::collections::HashMap<String, String>,
    key: &'k str,
) -> std::borrow::Cow<'k, str> {
    let (note, suffix) = key.split_at(key.find(':').unwrap_or(key.len()));
    match renames.get(note) {
        Some(new) => format!("{new}{suffix}").into(),
        None => key.into(),
    }
}
