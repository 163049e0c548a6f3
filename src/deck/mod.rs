//! Deck files: the format ([`spec`]), reading and checking them ([`parse`],
//! [`load`]) and the validated model every later stage uses ([`model`]).

pub(crate) mod builtin;
pub mod cache;
pub(crate) mod cloze;
pub(crate) mod load;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod spec;

pub(crate) use load::{Collection, DeckSet, deck_files, load};
pub(crate) use model::{Card, CardKind, ClozeSegment, Content, Deck, NewOrder, Text};

/// Old card keys and the card each now belongs to, from the cards' `was`
/// (note keys: a cloze group's `:c2` follows its note). An old key that
/// is still some card's own key keeps its own history.
pub(crate) fn renames(decks: &[Deck]) -> std::collections::HashMap<String, String> {
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
pub(crate) fn current_key<'k>(
    renames: &std::collections::HashMap<String, String>,
    key: &'k str,
) -> std::borrow::Cow<'k, str> {
    let (note, suffix) = key.split_at(key.find(':').unwrap_or(key.len()));
    match renames.get(note) {
        Some(new) => format!("{new}{suffix}").into(),
        None => key.into(),
    }
}
