//! Choosing a quiz's questions: sampled across the decks, filtered by tag and
//! kind, one card per note (siblings would give each other away), and every
//! question auto-graded, so flip cards are asked as typed or multiple choice.

use std::collections::{BTreeMap, HashSet};

use rand::seq::SliceRandom;
use rand::{Rng, RngExt};

use crate::deck::{Card, CardKind, Content, Deck, Text};

/// How many options a multiple-choice question shows at most.
pub(crate) const MAX_OPTIONS: usize = 4;

/// Answers longer than this are impractical to type; such flip cards are
/// asked as multiple choice when the deck offers distractors.
const TYPEABLE: usize = 40;

/// Which cards may appear.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// A card must carry at least one of these tags (its own or its deck's).
    pub tags: Vec<String>,
    /// A card must be of one of these kinds.
    pub kinds: Vec<CardKind>,
}

impl Filter {
    fn admits(&self, card: &Card) -> bool {
        (self.tags.is_empty() || card.tags().iter().any(|t| self.tags.iter().any(|s| s == t)))
            && (self.kinds.is_empty() || self.kinds.contains(&card.kind()))
    }
}

/// How a question is put to the learner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ask {
    /// Type the answer (basic cards, and cloze with their own prompt).
    Typed,
    /// Pick one of `options`; `correct` is the index of the answer.
    Choice {
        options: Vec<String>,
        correct: usize,
    },
    /// Everything else is asked as its kind asks.
    AsKind,
}

/// One question of a quiz.
#[derive(Debug, Clone)]
pub(crate) struct Question<'d> {
    pub deck: &'d Deck,
    pub card: &'d Card,
    pub ask: Ask,
}

/// Picks up to `count` questions. Decks take turns, so a quiz over several
/// decks covers them all; within a deck the order is random.
pub(crate) fn select<'d>(
    decks: &'d [Deck],
    filter: &Filter,
    count: usize,
    rng: &mut impl Rng,
) -> Vec<Question<'d>> {
    let mut per_deck: Vec<Vec<&Card>> = decks
        .iter()
        .map(|deck| {
            let mut seen_notes = HashSet::new();
            let mut cards: Vec<&Card> = deck.cards.iter().filter(|c| filter.admits(c)).collect();
            cards.shuffle(rng);
            cards.retain(|c| seen_notes.insert(c.note_id.as_str()));
            cards
        })
        .collect();
    let mut order: Vec<usize> = (0..decks.len()).collect();
    order.shuffle(rng);
    let mut picked = Vec::new();
    'outer: loop {
        let mut any = false;
        for &d in &order {
            if picked.len() >= count {
                break 'outer;
            }
            if let Some(card) = per_deck[d].pop() {
                any = true;
                picked.push((d, card));
            }
        }
        if !any {
            break;
        }
    }
    picked.shuffle(rng);
    picked
        .into_iter()
        .map(|(d, card)| Question {
            deck: &decks[d],
            card,
            ask: ask_for(&decks[d], card, rng),
        })
        .collect()
}

/// How to ask `card` so that it can be graded without the learner's own
/// rating.
pub(crate) fn ask_for(deck: &Deck, card: &Card, rng: &mut impl Rng) -> Ask {
    match &card.content() {
        Content::Basic { answer, typed, .. } => {
            if *typed || answer.chars().count() <= TYPEABLE {
                return Ask::Typed;
            }
            let pool = other_answers(deck, card, answer);
            if pool.is_empty() {
                Ask::Typed
            } else {
                choice(answer, pool, rng)
            }
        }
        Content::Choice {
            answer,
            distractors,
            ..
        } => {
            if distractors.is_empty() {
                Ask::Typed
            } else {
                choice(answer, distractors.iter().map(Text::as_str).collect(), rng)
            }
        }
        _ => Ask::AsKind,
    }
}

/// Options: the answer and up to three distractors, shuffled.
pub(crate) fn choice(answer: &str, mut pool: Vec<&str>, rng: &mut impl Rng) -> Ask {
    pool.shuffle(rng);
    let mut options: Vec<String> = pool
        .into_iter()
        .take(MAX_OPTIONS - 1)
        .map(str::to_string)
        .collect();
    let correct = rng.random_range(0..=options.len());
    options.insert(correct, answer.to_string());
    Ask::Choice { options, correct }
}

/// Distractors for a long flip answer: the other basic answers of its deck.
fn other_answers<'d>(deck: &'d Deck, card: &Card, answer: &str) -> Vec<&'d str> {
    let mut seen = BTreeMap::new();
    for other in &deck.cards {
        if other.note_id == card.note_id {
            continue;
        }
        if let Content::Basic { answer: a, .. } | Content::Choice { answer: a, .. } =
            &other.content()
            && a != answer
        {
            seen.entry(a.to_lowercase()).or_insert(a.as_str());
        }
    }
    seen.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::path::PathBuf;

    fn card(deck: &str, id: &str, note: &str, content: Content, tags: &[&str]) -> Card {
        Card::new(
            deck.into(),
            id.into(),
            note.into(),
            1,
            crate::deck::Details {
                content,
                explain: None,
                source: None,
                tags: tags.iter().map(|t| (*t).into()).collect(),
            },
        )
    }

    fn basic(q: &str, a: &str, typed: bool) -> Content {
        Content::Basic {
            question: q.into(),
            answer: a.into(),
            accept: vec![],
            typed,
        }
    }

    fn deck(id: &str, cards: Vec<Card>) -> Deck {
        Deck {
            renames: Vec::new(),
            id: id.into(),
            title: id.into(),
            description: String::new(),
            tags: vec![],
            retention: None,
            path: PathBuf::new(),
            sources: Default::default(),
            new_order: Default::default(),
            cards,
        }
    }

    fn decks() -> Vec<Deck> {
        let a: Vec<Card> = (0..10)
            .map(|i| {
                card(
                    "a",
                    &format!("c{i}"),
                    &format!("c{i}"),
                    basic("Q", &format!("A{i}"), false),
                    &["t1"],
                )
            })
            .collect();
        let mut b: Vec<Card> = (0..3)
            .map(|i| {
                card(
                    "b",
                    &format!("n{i}"),
                    &format!("n{i}"),
                    basic("Q", &format!("B{i}"), true),
                    &["t2"],
                )
            })
            .collect();
        b.push(card(
            "b",
            "n0:reverse",
            "n0",
            basic("B0", "Q", true),
            &["t2"],
        ));
        vec![deck("a", a), deck("b", b)]
    }

    #[test]
    fn questions_are_spread_across_decks_one_per_note() {
        let decks = decks();
        let mut rng = StdRng::seed_from_u64(7);
        let qs = select(&decks, &Filter::default(), 6, &mut rng);
        assert_eq!(qs.len(), 6);
        let from_b = qs.iter().filter(|q| q.deck.id == "b").count();
        assert_eq!(from_b, 3, "deck b has 3 notes and must get all of them");
        let notes: HashSet<(&str, &str)> = qs
            .iter()
            .map(|q| (q.deck.id.as_str(), q.card.note_id.as_str()))
            .collect();
        assert_eq!(notes.len(), 6, "no two siblings");
    }

    #[test]
    fn filters_by_tag_and_kind_and_stops_when_cards_run_out() {
        let decks = decks();
        let mut rng = StdRng::seed_from_u64(1);
        let by_tag = Filter {
            tags: vec!["t2".into()],
            kinds: vec![],
        };
        let qs = select(&decks, &by_tag, 50, &mut rng);
        assert_eq!(qs.len(), 3);
        assert!(qs.iter().all(|q| q.deck.id == "b"));
        let by_kind = Filter {
            tags: vec![],
            kinds: vec![CardKind::Order],
        };
        assert!(select(&decks, &by_kind, 5, &mut rng).is_empty());
    }

    #[test]
    fn the_same_seed_gives_the_same_quiz() {
        let decks = decks();
        let ids = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            select(&decks, &Filter::default(), 8, &mut rng)
                .iter()
                .map(|q| q.card.key())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(3), ids(3));
    }

    #[test]
    fn long_flip_answers_become_multiple_choice() {
        let long = "A very long answer that nobody would want to type out exactly";
        let d = deck(
            "d",
            vec![
                card("d", "x", "x", basic("Q", long, false), &[]),
                card("d", "y", "y", basic("Q", "Other answer one", false), &[]),
                card("d", "z", "z", basic("Q", "Other answer two", false), &[]),
            ],
        );
        let mut rng = StdRng::seed_from_u64(2);
        match ask_for(&d, &d.cards[0], &mut rng) {
            Ask::Choice { options, correct } => {
                assert_eq!(options[correct], long);
                assert_eq!(options.len(), 3);
            }
            other => panic!("expected a choice, got {other:?}"),
        }
        assert_eq!(ask_for(&d, &d.cards[1], &mut rng), Ask::Typed);
    }
}
