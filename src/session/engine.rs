//! What a study session needs from scheduling and storage, as a trait: the
//! session logic stays pure and is tested against a fake, and the real
//! implementation (FSRS queue + progress log) plugs in behind it.

use jiff::{SignedDuration, Timestamp};

use crate::error::Error;
use crate::rating::Rating;

/// Defined with the log that records it; re-exported for the session.
pub(crate) use crate::progress::Mode;

/// How far through the session the learner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Progress {
    /// Cards answered so far (each card once, however often relearned).
    pub done: usize,
    /// Cards in the session, done or not.
    pub total: usize,
}

/// The scheduler and progress log, as the session sees them. Every method
/// takes the time from the caller.
pub(crate) trait Engine {
    /// The key (`deck/card`) of the next card to show, or None when nothing
    /// is left for now.
    fn next_card(&mut self, now: Timestamp) -> Option<String>;
    /// The interval each rating would give the card, Again to Easy.
    fn intervals(&self, key: &str, now: Timestamp) -> [SignedDuration; 4];
    /// Records an answer durably (written and synced before returning).
    fn record(
        &mut self,
        key: &str,
        rating: Rating,
        answer_ms: u64,
        mode: Mode,
        now: Timestamp,
    ) -> Result<(), Error>;
    /// Records an answer that picked one of a choice card's options; the
    /// option goes into the log for class reports.
    fn record_picked(
        &mut self,
        key: &str,
        rating: Rating,
        answer_ms: u64,
        mode: Mode,
        now: Timestamp,
        picked: Option<&str>,
    ) -> Result<(), Error> {
        let _ = picked;
        self.record(key, rating, answer_ms, mode, now)
    }
    /// Takes back the last answer of this session; returns its card.
    fn undo(&mut self, now: Timestamp) -> Result<Option<String>, Error>;
    /// Hides the card until tomorrow.
    fn bury(&mut self, key: &str, now: Timestamp) -> Result<(), Error>;
    /// Remembers `answer` as right for this card from now on.
    fn accept(&mut self, key: &str, answer: &str, now: Timestamp) -> Result<(), Error>;
    /// Answers the learner has marked as right before.
    fn accepted(&self, key: &str) -> Vec<String>;
    /// Whether the card has never been studied.
    fn is_new(&self, key: &str) -> bool;
    fn progress(&self) -> Progress;
    /// When the next card falls due after this session.
    fn next_due(&self, now: Timestamp) -> Option<Timestamp>;
    /// The exam ahead that the card is studied toward, and the days left
    /// until it, for the header: exam mode is on for this card.
    fn exam(&self, _key: &str, _now: Timestamp) -> Option<(String, i64)> {
        None
    }
}
