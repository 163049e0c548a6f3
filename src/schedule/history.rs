//! The log replayed into per-card history: reviews (minus undone ones),
//! burials, suspensions and accepted answers.

use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;

use jiff::Timestamp;

use crate::progress::{Event, EventId, EventKind};
use crate::rating::Rating;
use crate::session::Mode;

/// One answer to a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: EventId,
    pub time: Timestamp,
    pub rating: Rating,
    pub answer_ms: u64,
    pub mode: Mode,
}

#[derive(Debug, Default, Clone)]
pub struct History {
    /// By card key, in time order.
    pub reviews: HashMap<String, Vec<Review>>,
    pub buried: HashMap<String, Timestamp>,
    pub suspended: HashSet<String>,
    pub accepted: HashMap<String, Vec<String>>,
}

impl History {
    /// Replays events. Order in the file does not matter (a merged log may
    /// interleave two machines): events are taken in time order.
    pub fn from_events(events: &[Event]) -> History {
        let undone: HashSet<EventId> = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Undo { target } => Some(target),
                _ => None,
            })
            .collect();
        let sorted = events.windows(2).all(|w| w[0].time <= w[1].time);
        let mut order: Vec<&Event> = events.iter().collect();
        if !sorted {
            order.sort_by_key(|e| e.time);
        }
        let mut history = History::default();
        for event in order {
            if undone.contains(&event.id) {
                continue;
            }
            history.apply(event);
        }
        history
    }

    /// Applies one event (also used live, as a session records).
    pub fn apply(&mut self, event: &Event) {
        match &event.kind {
            EventKind::Review {
                key,
                rating,
                answer_ms,
                mode,
            } => {
                let review = Review {
                    id: event.id,
                    time: event.time,
                    rating: *rating,
                    answer_ms: *answer_ms,
                    mode: *mode,
                };
                match self.reviews.get_mut(key.as_str()) {
                    Some(list) => list.push(review),
                    None => {
                        self.reviews.insert(key.clone(), vec![review]);
                    }
                }
            }
            EventKind::Undo { target } => {
                for list in self.reviews.values_mut() {
                    if let Some(i) = list.iter().rposition(|r| r.id == *target) {
                        list.remove(i);
                        return;
                    }
                }
            }
            EventKind::Bury { key, until } => {
                self.buried.insert(key.clone(), *until);
            }
            EventKind::Suspend { key } => {
                self.suspended.insert(key.clone());
            }
            EventKind::Unsuspend { key } => {
                self.suspended.remove(key.as_str());
            }
            EventKind::Accept { key, answer } => {
                let list = self.accepted.entry(key.clone()).or_default();
                if !list.contains(answer) {
                    list.push(answer.clone());
                }
            }
        }
    }

    pub fn reviews_of(&self, key: &str) -> &[Review] {
        self.reviews.get(key).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: u64, secs: i64, kind: EventKind) -> Event {
        Event {
            id: EventId(id),
            time: Timestamp::from_second(1_800_000_000 + secs).expect("time"),
            kind,
        }
    }

    fn review(key: &str, rating: Rating) -> EventKind {
        EventKind::Review {
            key: key.into(),
            rating,
            answer_ms: 100,
            mode: Mode::Study,
        }
    }

    #[test]
    fn undone_reviews_vanish_and_order_is_by_time() {
        let events = vec![
            ev(2, 20, review("d/a", Rating::Good)),
            ev(1, 10, review("d/a", Rating::Again)),
            ev(3, 30, review("d/a", Rating::Easy)),
            ev(4, 31, EventKind::Undo { target: EventId(3) }),
            ev(5, 40, EventKind::Suspend { key: "d/b".into() }),
            ev(
                6,
                50,
                EventKind::Accept {
                    key: "d/a".into(),
                    answer: "x".into(),
                },
            ),
        ];
        let h = History::from_events(&events);
        let ratings: Vec<Rating> = h.reviews_of("d/a").iter().map(|r| r.rating).collect();
        assert_eq!(ratings, [Rating::Again, Rating::Good]);
        assert!(h.suspended.contains("d/b"));
        assert_eq!(h.accepted["d/a"], ["x"]);
        assert!(h.reviews_of("d/zzz").is_empty());
    }
}
