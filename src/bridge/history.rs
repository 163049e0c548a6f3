//! Anki's review log (`revlog`) to kioku's progress log. The entries kept
//! are the ones Anki's own FSRS uses for a card's memory state (rslib's
//! `reviews_for_fsrs`): answers with a rating, minus cramming in a filtered
//! deck that did not reschedule, "set due date" and rescheduling entries;
//! a "forget" (reset) drops everything before it. Both programs then feed
//! the same ratings and study days to the same FSRS.

use jiff::Timestamp;

use super::fnv1a;
use crate::progress::{Event, EventId, EventKind};
use crate::rating::Rating;
use crate::session::Mode;

/// One row of Anki's `revlog` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RevlogEntry {
    /// Milliseconds since 1970: when the answer was given.
    pub id: i64,
    pub cid: i64,
    /// The button: 1 Again to 4 Easy; 0 for entries that are no answer.
    pub ease: i64,
    pub ivl: i64,
    pub last_ivl: i64,
    pub factor: i64,
    /// Answer time in milliseconds.
    pub time: i64,
    /// 0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled.
    pub kind: i64,
}

const FILTERED: i64 = 3;
const MANUAL: i64 = 4;
const RESCHEDULED: i64 = 5;

/// The entries of one card (any order) that count as answers.
pub(crate) fn answers(entries: &[RevlogEntry]) -> Vec<RevlogEntry> {
    let mut sorted = entries.to_vec();
    sorted.sort_by_key(|e| e.id);
    // A reset ("forget") is a manual entry without an ease factor.
    if let Some(reset) = sorted
        .iter()
        .rposition(|e| e.kind == MANUAL && e.factor == 0)
    {
        sorted.drain(..=reset);
    }
    sorted.retain(|e| {
        (1..=4).contains(&e.ease)
            && e.kind != MANUAL
            && e.kind != RESCHEDULED
            && !(e.kind == FILTERED && e.factor == 0)
    });
    sorted
}

/// Review events for card `key` from its revlog entries. Event ids come
/// from the revlog id and the key, so importing twice adds nothing.
pub(crate) fn review_events(key: &str, entries: &[RevlogEntry]) -> Vec<Event> {
    answers(entries)
        .into_iter()
        .filter_map(|e| {
            let rating = Rating::from_number(u32::try_from(e.ease).ok()?)?;
            Some(Event {
                id: EventId(fnv1a(&format!("anki revlog {} {key}", e.id))),
                time: Timestamp::from_millisecond(e.id).ok()?,
                kind: EventKind::Review {
                    key: key.into(),
                    rating,
                    answer_ms: u64::try_from(e.time).unwrap_or(0),
                    mode: Mode::Study,
                    picked: None,
                },
            })
        })
        .collect()
}

/// A stable event id for a state carried over (suspended, buried).
pub(crate) fn state_event_id(what: &str, key: &str) -> EventId {
    EventId(fnv1a(&format!("anki {what} {key}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(day: i64, ease: i64, kind: i64, factor: i64) -> RevlogEntry {
        RevlogEntry {
            id: 1_768_046_400_000 + day * 86_400_000,
            cid: 1,
            ease,
            ivl: 1,
            last_ivl: 0,
            factor,
            time: 8000,
            kind,
        }
    }

    #[test]
    fn only_answers_that_fsrs_counts_are_kept() {
        let log = [
            entry(0, 3, 0, 0),
            entry(1, 3, 1, 2500),
            entry(2, 3, FILTERED, 0),    // cram without rescheduling
            entry(3, 0, MANUAL, 2500),   // set due date
            entry(4, 0, RESCHEDULED, 0), // rescheduled
            entry(5, 1, 1, 2500),
        ];
        let kept: Vec<i64> = answers(&log).iter().map(|e| e.ease).collect();
        assert_eq!(kept, [3, 3, 1]);
    }

    #[test]
    fn a_reset_drops_what_came_before() {
        let log = [
            entry(5, 3, 0, 0),
            entry(0, 3, 0, 0),
            entry(6, 0, MANUAL, 0),
            entry(8, 4, 0, 0),
        ];
        let kept = answers(&log);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].ease, 4);
    }

    #[test]
    fn events_are_stable_and_timed() {
        let log = [entry(0, 3, 0, 0), entry(1, 2, 1, 2500)];
        let a = review_events("d/c", &log);
        assert_eq!(a, review_events("d/c", &log));
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].time.as_millisecond(), 1_768_046_400_000);
        assert!(matches!(
            &a[1].kind,
            EventKind::Review {
                rating: Rating::Hard,
                answer_ms: 8000,
                ..
            }
        ));
        assert_ne!(a[0].id, review_events("d/other", &log)[0].id);
    }
}
