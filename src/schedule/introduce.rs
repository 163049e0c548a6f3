//! The order in which new cards are introduced. Deck files group related
//! cards, so in file order one card's question often answers the next. By
//! default the new cards of a deck are spread instead: topics (a card's
//! first tag) take turns, and within a topic notes follow a stable
//! pseudo-random order, the same on every run and every machine. A deck
//! with `new_order = "file"` keeps its file order. Decks still come in the
//! order they were loaded.

use crate::deck::{Deck, NewOrder};

/// Sorts `(deck index, card index)` pairs of new cards into the order they
/// should be introduced. Siblings stay together; the queue takes one per day.
pub fn order(decks: &[Deck], candidates: &mut [(usize, usize)]) {
    // (deck, topic, note, card) for grouping, then each note's rank within
    // its topic.
    let mut keyed: Vec<(usize, u64, u64, usize)> = candidates
        .iter()
        .map(|&(d, c)| {
            let deck = &decks[d];
            let card = &deck.cards[c];
            match deck.new_order {
                NewOrder::File => (d, 0, 0, c),
                NewOrder::Spread => {
                    let topic = card.tags().first().map_or("", |t| t.as_str());
                    (d, hash(topic), hash(&card.note_id), c)
                }
            }
        })
        .collect();
    keyed.sort_unstable();
    let mut ranked: Vec<(usize, u64, u64, usize)> = Vec::with_capacity(keyed.len());
    let mut rank = 0u64;
    for (i, &(d, topic, note, c)) in keyed.iter().enumerate() {
        if decks[d].new_order == NewOrder::File {
            ranked.push((d, c as u64, 0, c));
            continue;
        }
        match i.checked_sub(1).map(|p| keyed[p]) {
            Some((pd, pt, pn, _)) if (pd, pt) == (d, topic) => {
                if pn != note {
                    rank += 1;
                }
            }
            _ => rank = 0,
        }
        ranked.push((d, rank, topic, c));
    }
    ranked.sort_unstable();
    for (slot, (d, .., c)) in candidates.iter_mut().zip(ranked) {
        *slot = (d, c);
    }
}

/// FNV-1a with a final mix: stable across runs, platforms and Rust
/// versions (the standard hasher promises none of that).
fn hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::deck::{Card, Content};

    fn card(note: &str, suffix: &str, topic: &str) -> Card {
        Card::new(
            "d".into(),
            format!("{note}{suffix}").into(),
            note.into(),
            1,
            crate::deck::Details {
                content: Content::TrueFalse {
                    statement: "S".into(),
                    answer: true,
                },
                explain: None,
                source: None,
                tags: vec![topic.into(), "deck-tag".into()],
            },
        )
    }

    fn deck(cards: Vec<Card>, new_order: NewOrder) -> Deck {
        Deck {
            id: "d".into(),
            title: "D".into(),
            description: String::new(),
            tags: Vec::new(),
            retention: None,
            path: PathBuf::new(),
            sources: Default::default(),
            new_order,
            renames: Vec::new(),
            cards,
        }
    }

    /// Twelve notes in three topics of four, written topic by topic as deck
    /// authors do; three notes have a second card (a sibling).
    fn topical() -> Vec<Card> {
        let mut cards = Vec::new();
        for topic in ["yalta", "treaty", "kanji"] {
            for n in 0..4 {
                let note = format!("{topic}-{n}");
                cards.push(card(&note, "", topic));
                if n == 1 {
                    cards.push(card(&note, ":reverse", topic));
                }
            }
        }
        cards
    }

    fn introduced(decks: &[Deck]) -> Vec<String> {
        let mut candidates: Vec<(usize, usize)> = decks
            .iter()
            .enumerate()
            .flat_map(|(d, deck)| (0..deck.cards.len()).map(move |c| (d, c)))
            .collect();
        order(decks, &mut candidates);
        candidates
            .iter()
            .map(|&(d, c)| decks[d].cards[c].id.to_string())
            .collect()
    }

    #[test]
    fn topics_take_turns_and_siblings_stay_together() {
        let decks = [deck(topical(), NewOrder::Spread)];
        let order = introduced(&decks);
        assert_eq!(order.len(), 15);
        let topic = |id: &str| id.split('-').next().unwrap_or("").to_string();
        // The first three cards are one of each topic, and so are the next
        // three (counting a sibling pair once).
        let mut notes: Vec<String> = order
            .iter()
            .map(|id| id.split(':').next().unwrap_or(id).to_string())
            .collect();
        notes.dedup();
        assert_eq!(notes.len(), 12, "siblings are adjacent: {order:?}");
        for round in notes.chunks(3) {
            let mut topics: Vec<String> = round.iter().map(|n| topic(n)).collect();
            topics.sort();
            assert_eq!(topics, ["kanji", "treaty", "yalta"], "{order:?}");
        }
        // No two cards of one topic follow each other, as they would in
        // file order.
        assert!(notes.windows(2).all(|w| topic(&w[0]) != topic(&w[1])));
    }

    #[test]
    fn the_order_is_stable_and_not_the_file_order() {
        let decks = [deck(topical(), NewOrder::Spread)];
        let first = introduced(&decks);
        assert_eq!(first, introduced(&decks));
        let file: Vec<String> = decks[0].cards.iter().map(|c| c.id.to_string()).collect();
        assert_ne!(first, file);
    }

    #[test]
    fn a_deck_may_ask_for_file_order_and_decks_keep_theirs() {
        let decks = [
            deck(topical(), NewOrder::File),
            deck(topical(), NewOrder::Spread),
        ];
        let order = introduced(&decks);
        let file: Vec<String> = decks[0].cards.iter().map(|c| c.id.to_string()).collect();
        assert_eq!(order[..15], file[..]);
        assert_ne!(order[15..], file[..]);
    }
}
