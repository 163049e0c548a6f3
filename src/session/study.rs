//! The study session's logic, free of any terminal: which card comes next,
//! what an answer does, undo and burying, and the summary at the end.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};

use super::engine::{Engine, Mode, Progress};
use crate::deck::{Card, Deck};
use crate::error::Error;
use crate::rating::Rating;

/// A card to show now, with what the header needs.
#[derive(Debug, Clone)]
pub(crate) struct Turn<'d> {
    pub deck: &'d Deck,
    pub card: &'d Card,
    pub progress: Progress,
    pub intervals: [SignedDuration; 4],
    pub is_new: bool,
    /// With exam mode on for this card: the exam's name (or date) and the
    /// days left.
    pub exam: Option<(String, i64)>,
}

/// What the session remembers of one answer, for undo and the summary.
#[derive(Debug, Clone)]
struct Answer {
    key: String,
    rating: Rating,
    was_new: bool,
}

/// The end-of-session numbers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Summary {
    pub reviewed: usize,
    /// Share of answers not rated Again, 0 to 1 (None when nothing was answered).
    pub correct: Option<f64>,
    pub seconds: i64,
    pub new_learned: usize,
    /// Cards of today's plan not yet answered (a session left early).
    pub left_today: usize,
    pub next_due: Option<Timestamp>,
}

pub(crate) struct Study<'d, E: Engine> {
    decks: &'d [Deck],
    engine: E,
    mode: Mode,
    started: Timestamp,
    answers: Vec<Answer>,
}

impl<'d, E: Engine> Study<'d, E> {
    pub(crate) fn new(decks: &'d [Deck], engine: E, mode: Mode, now: Timestamp) -> Self {
        Study {
            decks,
            engine,
            mode,
            started: now,
            answers: Vec::new(),
        }
    }

    #[cfg(test)]
    pub(crate) fn engine(&self) -> &E {
        &self.engine
    }

    /// The next card, or None when the session is over. Keys the engine
    /// knows but no loaded deck has are skipped (they cannot be shown).
    pub(crate) fn next(&mut self, now: Timestamp) -> Option<Turn<'d>> {
        loop {
            let key = self.engine.next_card(now)?;
            if let Some(turn) = self.turn(&key, now) {
                return Some(turn);
            }
            // A card that cannot be shown must not block the queue.
            self.engine.bury(&key, now).ok()?;
        }
    }

    fn turn(&self, key: &str, now: Timestamp) -> Option<Turn<'d>> {
        let (deck, card) = find(self.decks, key)?;
        Some(Turn {
            deck,
            card,
            progress: self.engine.progress(),
            intervals: self.engine.intervals(key, now),
            is_new: self.engine.is_new(key),
            exam: self.engine.exam(key, now),
        })
    }

    /// Records the learner's rating for the card.
    pub(crate) fn answer(
        &mut self,
        turn: &Turn,
        rating: Rating,
        answer_ms: u64,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.answer_picked(turn, rating, answer_ms, now, None)
    }

    /// Records an answer like [`Study::answer`], with the option picked on
    /// a choice card (logged for class reports).
    pub(crate) fn answer_picked(
        &mut self,
        turn: &Turn,
        rating: Rating,
        answer_ms: u64,
        now: Timestamp,
        picked: Option<&str>,
    ) -> Result<(), Error> {
        let key = turn.card.key();
        self.engine
            .record_picked(&key, rating, answer_ms, self.mode, now, picked)?;
        self.answers.push(Answer {
            key,
            rating,
            was_new: turn.is_new,
        });
        Ok(())
    }

    /// Takes back the last answer; the card comes back as the next turn.
    pub(crate) fn undo(&mut self, now: Timestamp) -> Result<Option<Turn<'d>>, Error> {
        let Some(key) = self.engine.undo(now)? else {
            return Ok(None);
        };
        if let Some(i) = self.answers.iter().rposition(|a| a.key == key) {
            self.answers.remove(i);
        }
        Ok(self.turn(&key, now))
    }

    /// Hides the card until tomorrow.
    pub(crate) fn bury(&mut self, turn: &Turn, now: Timestamp) -> Result<(), Error> {
        self.engine.bury(&turn.card.key(), now)
    }

    /// "I was right": this answer counts from now on.
    pub(crate) fn accept(
        &mut self,
        turn: &Turn,
        answer: &str,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.engine.accept(&turn.card.key(), answer, now)
    }

    pub(crate) fn accepted(&self, turn: &Turn) -> Vec<String> {
        self.engine.accepted(&turn.card.key())
    }

    pub(crate) fn summary(&self, now: Timestamp) -> Summary {
        let reviewed = self.answers.len();
        let passed = self.answers.iter().filter(|a| a.rating.passed()).count();
        let new_learned: HashSet<&str> = self
            .answers
            .iter()
            .filter(|a| a.was_new)
            .map(|a| a.key.as_str())
            .collect();
        Summary {
            reviewed,
            correct: (reviewed > 0).then(|| passed as f64 / reviewed as f64),
            seconds: now.duration_since(self.started).as_secs().max(0),
            new_learned: new_learned.len(),
            left_today: {
                let p = self.engine.progress();
                p.total.saturating_sub(p.done)
            },
            next_due: self.engine.next_due(now),
        }
    }
}

/// The deck and card of a `deck/card` key. Linear within one deck, which is
/// microseconds even for a thousand cards, and needs no index built up front.
pub(crate) fn find<'d>(decks: &'d [Deck], key: &str) -> Option<(&'d Deck, &'d Card)> {
    let key = crate::schedule::CardKey::parse(key);
    let deck = decks.iter().find(|d| d.id == key.deck)?;
    let card = deck.cards.iter().find(|c| c.id == key.card)?;
    Some((deck, card))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::deck::Content;
    use std::collections::{HashMap, VecDeque};
    use std::path::PathBuf;

    /// A scripted engine: cards come in the given order, Again sends a card
    /// back two places later, and everything recorded is kept for asserts.
    #[derive(Default)]
    pub(crate) struct FakeEngine {
        pub queue: VecDeque<String>,
        pub new: HashSet<String>,
        pub log: Vec<(String, Rating, Mode)>,
        pub buried: Vec<String>,
        pub accepted: HashMap<String, Vec<String>>,
        pub total: usize,
    }

    impl FakeEngine {
        pub(crate) fn with(keys: &[&str]) -> Self {
            FakeEngine {
                queue: keys.iter().map(std::string::ToString::to_string).collect(),
                new: keys.iter().map(std::string::ToString::to_string).collect(),
                total: keys.len(),
                ..Default::default()
            }
        }
    }

    impl Engine for FakeEngine {
        fn next_card(&mut self, _: Timestamp) -> Option<String> {
            self.queue.front().cloned()
        }
        fn intervals(&self, _: &str, _: Timestamp) -> [SignedDuration; 4] {
            [
                SignedDuration::from_mins(1),
                SignedDuration::from_hours(24),
                SignedDuration::from_hours(72),
                SignedDuration::from_hours(240),
            ]
        }
        fn record(
            &mut self,
            key: &str,
            rating: Rating,
            _: u64,
            mode: Mode,
            _: Timestamp,
        ) -> Result<(), Error> {
            self.queue.retain(|k| k != key);
            if rating == Rating::Again {
                let at = self.queue.len().min(2);
                self.queue.insert(at, key.to_string());
            }
            self.log.push((key.to_string(), rating, mode));
            Ok(())
        }
        fn undo(&mut self, _: Timestamp) -> Result<Option<String>, Error> {
            let Some((key, _, _)) = self.log.pop() else {
                return Ok(None);
            };
            self.queue.retain(|k| *k != key);
            self.queue.push_front(key.clone());
            Ok(Some(key))
        }
        fn bury(&mut self, key: &str, _: Timestamp) -> Result<(), Error> {
            self.queue.retain(|k| k != key);
            self.buried.push(key.to_string());
            Ok(())
        }
        fn accept(&mut self, key: &str, answer: &str, _: Timestamp) -> Result<(), Error> {
            self.accepted
                .entry(key.to_string())
                .or_default()
                .push(answer.to_string());
            Ok(())
        }
        fn accepted(&self, key: &str) -> Vec<String> {
            self.accepted.get(key).cloned().unwrap_or_default()
        }
        fn is_new(&self, key: &str) -> bool {
            self.new.contains(key) && !self.log.iter().any(|(k, _, _)| k == key)
        }
        fn progress(&self) -> Progress {
            let done: HashSet<&str> = self.log.iter().map(|(k, _, _)| k.as_str()).collect();
            Progress {
                done: done.len(),
                total: self.total,
            }
        }
        fn next_due(&self, now: Timestamp) -> Option<Timestamp> {
            now.checked_add(SignedDuration::from_hours(24)).ok()
        }
    }

    pub(crate) fn deck(id: &str, n: usize) -> Deck {
        Deck {
            renames: Vec::new(),
            id: id.into(),
            title: format!("Deck {id}"),
            description: String::new(),
            tags: vec![],
            retention: None,
            path: PathBuf::new(),
            sources: Default::default(),
            new_order: Default::default(),
            cards: (0..n)
                .map(|i| {
                    Card::new(
                        id.into(),
                        format!("c{i}").into(),
                        format!("c{i}").into(),
                        1,
                        crate::deck::Details {
                            content: Content::Basic {
                                question: format!("Q{i}").into(),
                                answer: format!("A{i}").into(),
                                accept: vec![],
                                typed: false,
                            },
                            explain: None,
                            source: None,
                            tags: vec![],
                        },
                    )
                })
                .collect(),
        }
    }

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).expect("valid time")
    }

    #[test]
    fn answers_are_recorded_and_summarised() {
        let decks = vec![deck("d", 3)];
        let engine = FakeEngine::with(&["d/c0", "d/c1", "d/c2"]);
        let mut s = Study::new(&decks, engine, Mode::Study, t(0));
        let turn = s.next(t(1)).expect("a card");
        assert_eq!(turn.card.key(), "d/c0");
        assert!(turn.is_new);
        assert_eq!(turn.progress, Progress { done: 0, total: 3 });
        s.answer(&turn, Rating::Again, 3000, t(5)).expect("record");
        // Again: c0 comes back after two other cards.
        let order: Vec<String> = s.engine().queue.iter().cloned().collect();
        assert_eq!(order, ["d/c1", "d/c2", "d/c0"]);
        for _ in 0..3 {
            let turn = s.next(t(10)).expect("a card");
            s.answer(&turn, Rating::Good, 2000, t(20)).expect("record");
        }
        assert!(s.next(t(30)).is_none());
        let summary = s.summary(t(90));
        assert_eq!(summary.reviewed, 4);
        assert_eq!(summary.correct, Some(0.75));
        assert_eq!(summary.new_learned, 3);
        assert_eq!(summary.seconds, 90);
        assert!(s.engine().log.iter().all(|(_, _, m)| *m == Mode::Study));
    }

    #[test]
    fn undo_brings_the_card_back_and_forgets_the_answer() {
        let decks = vec![deck("d", 2)];
        let mut s = Study::new(
            &decks,
            FakeEngine::with(&["d/c0", "d/c1"]),
            Mode::Study,
            t(0),
        );
        let turn = s.next(t(1)).expect("card");
        s.answer(&turn, Rating::Easy, 1000, t(2)).expect("record");
        let back = s.undo(t(3)).expect("undo").expect("a card to redo");
        assert_eq!(back.card.key(), "d/c0");
        assert_eq!(s.summary(t(4)).reviewed, 0);
        assert_eq!(s.next(t(5)).expect("card").card.key(), "d/c0");
        assert!(
            s.undo(t(6)).expect("undo").is_none(),
            "nothing left to undo"
        );
    }

    #[test]
    fn burying_skips_the_card_and_unknown_keys_do_not_block() {
        let decks = vec![deck("d", 2)];
        let mut s = Study::new(
            &decks,
            FakeEngine::with(&["gone/x", "d/c0", "d/c1"]),
            Mode::Study,
            t(0),
        );
        let turn = s.next(t(1)).expect("card");
        assert_eq!(
            turn.card.key(),
            "d/c0",
            "a key of no loaded deck is skipped"
        );
        s.bury(&turn, t(2)).expect("bury");
        assert_eq!(s.next(t(3)).expect("card").card.key(), "d/c1");
        assert_eq!(s.engine().buried, ["gone/x", "d/c0"]);
    }

    #[test]
    fn find_by_key() {
        let decks = vec![deck("a", 1), deck("b", 2)];
        assert_eq!(find(&decks, "b/c1").map(|(_, c)| c.id.as_str()), Some("c1"));
        assert!(find(&decks, "b/c9").is_none());
        assert!(find(&decks, "nonsense").is_none());
    }
}
