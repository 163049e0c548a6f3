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
pub(crate) use model::{Card, CardKind, ClozeSegment, Content, Deck, Details, NewOrder, Text};

/// Old card keys and the card each now belongs to, from the cards' `was`
/// (note keys: a cloze group's `:c2` follows its note). An old key that
/// is still some card's own key keeps its own history.
pub(crate) fn renames(decks: &[Deck]) -> std::collections::HashMap<String, String> {
    // Called on every launch: with no `was` anywhere (the usual case) no
    // card key is built at all, and otherwise only the old keys are checked.
    let claimed: Vec<&(String, String)> = decks.iter().flat_map(|d| &d.renames).collect();
    if claimed.is_empty() {
        return std::collections::HashMap::new();
    }
    let still_a_card = |old: &str| {
        old.split_once('/').is_some_and(|(deck, note)| {
            decks
                .iter()
                .filter(|d| d.id == deck)
                .any(|d| d.cards.iter().any(|c| c.note_id == note))
        })
    };
    claimed
        .into_iter()
        .filter(|(old, _)| !still_a_card(old))
        .cloned()
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
