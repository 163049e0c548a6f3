//! The door through which the exam simulation (`crates/exam-sim`) studies:
//! the daily plan `study` runs ([`crate::schedule::DailyPlan`], through the
//! scheduler) and the answers it records, over synthetic cards, with the
//! clock passed in. The binary does not use it; it keeps the simulation
//! measuring the shipped planner rather than a model of it.

use std::path::PathBuf;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rand::SeedableRng;

pub use crate::exam::plan::{CardNow, Costs, Planner};
pub use crate::exam::relax;

use crate::config::{Config, ExamConfig};
use crate::deck::{Card, Deck};
use crate::error::Error;
use crate::progress::Mode;
use crate::rating::Rating;
use crate::schedule::{Days, Scheduler, SessionQueue};
use crate::session::Engine;

/// How the simulated student has set kioku up.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    /// Desired retention (plain FSRS).
    pub retention: f32,
    /// New cards a day (plain FSRS).
    pub new_per_day: u32,
    /// New cards before the due reviews, as a student who sets a quota
    /// to finish the deck does; else reviews first, as `study` shows them.
    pub new_first: bool,
    /// An exam this many study days after `start`, with minutes a day:
    /// exam mode.
    pub exam: Option<(i64, u32)>,
    /// FSRS parameters the scheduler uses (as `kioku optimize` would set
    /// them); empty for kioku's defaults.
    pub parameters: Vec<f32>,
}

/// One deck of `cards` flip cards, ids `c0`, `c1`, ….
pub fn deck(cards: usize) -> Vec<Deck> {
    let card = |i: usize| {
        Card::new(
            "sim".into(),
            format!("c{i}").into(),
            format!("c{i}").into(),
            1,
            crate::deck::Details::flip("Q", "A"),
        )
    };
    vec![Deck {
        id: "sim".into(),
        title: "Simulated".into(),
        description: String::new(),
        tags: vec![],
        retention: None,
        path: PathBuf::new(),
        cards: (0..cards).map(card).collect(),
        sources: Default::default(),
        // As the simulation's figures were measured.
        new_order: crate::deck::NewOrder::File,
        renames: Vec::new(),
    }]
}

/// A student's kioku: the real scheduler and session queue, saving nothing
/// to disk.
pub struct Course<'d> {
    queue: SessionQueue<'d>,
    new_first: bool,
}

/// The study days of a simulation: UTC, a day starting at 04:00.
pub fn days() -> Days {
    Days::new(TimeZone::UTC, 4)
}

impl<'d> Course<'d> {
    /// `start` is the first study day's morning; the exam, if any, is
    /// counted from it.
    pub fn new(decks: &'d [Deck], setup: &Setup, start: Timestamp) -> Course<'d> {
        let days = days();
        let exams = setup
            .exam
            .map(|(after, minutes)| {
                let day = days.start(days.index(start) + after);
                let date = day.to_zoned(TimeZone::UTC).date();
                ExamConfig {
                    name: None,
                    date: date.to_string(),
                    decks: decks.iter().map(|d| d.id.clone()).collect(),
                    minutes_per_day: minutes,
                }
            })
            .into_iter()
            .collect();
        let config = Config {
            desired_retention: setup.retention,
            new_per_day: setup.new_per_day,
            reviews_per_day: u32::MAX,
            exams,
            parameters: setup.parameters.clone(),
            ..Config::default()
        };
        let scheduler = Scheduler::new(decks, config, &[], days);
        Course {
            queue: SessionQueue::new(scheduler, None, rand::rngs::StdRng::seed_from_u64(0)),
            new_first: setup.new_first,
        }
    }

    /// The day's cards as `study` plans them at `now`, in the order the
    /// student takes them: cards forgotten earlier and coming back first,
    /// then the plan's reviews and new cards.
    pub fn plan(&self, now: Timestamp) -> Vec<String> {
        let today = self.queue.scheduler().today(now);
        let learning = today.learning.into_iter().map(|(key, _)| key);
        if self.new_first {
            learning.chain(today.new).chain(today.reviews).collect()
        } else {
            learning.chain(today.reviews).chain(today.new).collect()
        }
    }

    /// Makes the day's exam revisions and follows them for the rest of
    /// the day, as `study` does once they arrive from beside the session
    /// (see [`SessionQueue::revise_beside`]).
    pub fn revise(&mut self, now: Timestamp) {
        self.queue.revise_now(now);
    }

    /// Starts the day's session as `study` does (with the new cards first
    /// for a student who sets a quota).
    pub fn start(&mut self, now: Timestamp) {
        self.queue.start_with(now, self.new_first);
    }

    /// The session's next card, as `study` asks for it: forgotten cards
    /// when their time comes, the plan in order, and with exam minutes
    /// left when the plan is done, a new plan.
    pub fn next(&mut self, now: Timestamp) -> Option<String> {
        self.queue.next_card(now)
    }

    /// Records an answer (rating 1–4) as `study` does.
    pub fn answer(
        &mut self,
        key: &str,
        rating: u8,
        answer_ms: u64,
        now: Timestamp,
    ) -> Result<(), Error> {
        let rating = match rating {
            1 => Rating::Again,
            2 => Rating::Hard,
            3 => Rating::Good,
            _ => Rating::Easy,
        };
        self.queue.record(key, rating, answer_ms, Mode::Study, now)
    }
}
