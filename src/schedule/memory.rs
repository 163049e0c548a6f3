//! The memory model: FSRS (through the `fsrs` crate) turned into card states
//! with due dates, intervals with fuzz, lapses and leeches.

use fsrs::{FSRS, FSRSItem, FSRSReview, MemoryState};
use jiff::{SignedDuration, Timestamp};

use super::day::Days;
use super::history::Review;
use crate::config::Config;
use crate::rating::Rating;

/// How long a forgotten card waits before it may come back the same day
/// (the session also waits for a few other cards).
pub(crate) const RELEARN_DELAY: SignedDuration = SignedDuration::from_secs(60);

/// A card's state, derived from its reviews.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardState {
    /// None for a new card.
    pub memory: Option<MemoryState>,
    pub reviews: u32,
    /// Times forgotten after having been learned.
    pub lapses: u32,
    pub last_review: Option<Timestamp>,
    /// The last review's event id, which seeds its interval's fuzz: the
    /// due date can be worked out again without the reviews
    /// ([`Memory::reschedule`]). 0 for a new card.
    pub last_id: u64,
    /// None for a new card.
    pub due: Option<Timestamp>,
    /// Days between the last review and the due date (0 while relearning).
    pub interval_days: u32,
    /// Last answered Again: in same-day (re)learning.
    pub relearning: bool,
    pub leech: bool,
}

impl CardState {
    pub const NEW: CardState = CardState {
        memory: None,
        reviews: 0,
        lapses: 0,
        last_review: None,
        last_id: 0,
        due: None,
        interval_days: 0,
        relearning: false,
        leech: false,
    };

    pub fn is_new(&self) -> bool {
        self.reviews == 0
    }
}

/// What one review did to a card, for statistics and history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// What the answer was to, judged by the card's state just before it.
    pub kind: StepKind,
    /// The interval the card was scheduled with before this answer (None for
    /// its first answer; 0 while relearning).
    pub interval_before_days: Option<u32>,
    /// The memory state right after this answer.
    pub memory: Option<MemoryState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// A new card's first answers, until it is first passed.
    Learn,
    /// A learned card coming due.
    Review,
    /// Answers after a lapse, until the card is passed again.
    Relearn,
}

/// FSRS with the user's settings.
pub struct Memory {
    fsrs: FSRS,
    decay: f32,
    maximum_interval: u32,
    leech_threshold: u32,
}

impl Memory {
    pub fn new(config: &Config) -> Memory {
        let fsrs = FSRS::new(&config.parameters).unwrap_or_default();
        // FSRS-5 and older sets have no decay of their own: the crate
        // fills one in, and retrievability must use the same.
        let decay = fsrs::check_and_fill_parameters(&config.parameters)
            .ok()
            .and_then(|full| full.get(20).copied())
            .unwrap_or(fsrs::DEFAULT_PARAMETERS[20]);
        Memory {
            fsrs,
            decay,
            maximum_interval: config.maximum_interval_days.max(1),
            leech_threshold: config.leech_threshold.max(1),
        }
    }

    /// Replays a card's reviews (in time order) into its state.
    pub fn state(&self, reviews: &[Review], retention: f32, days: &Days) -> CardState {
        let Some(last) = reviews.last() else {
            return CardState::NEW;
        };
        let items = fsrs_reviews(reviews, days);
        let mut lapses = 0;
        let mut learned = false;
        for r in reviews {
            if r.rating() == Rating::Again {
                if learned {
                    lapses += 1;
                }
                learned = false;
            } else {
                learned = true;
            }
        }
        let memory = self
            .fsrs
            .memory_state(FSRSItem { reviews: items }, None)
            .ok();
        let state = CardState {
            memory,
            reviews: u32::try_from(reviews.len()).unwrap_or(u32::MAX),
            lapses,
            last_review: Some(last.time()),
            last_id: last.id().0,
            relearning: last.rating() == Rating::Again,
            ..CardState::NEW
        };
        self.reschedule(state, retention, days)
    }

    /// A card's due date, interval and leech mark worked out again from its
    /// memory state, for another retention, longest interval or leech
    /// threshold: what other settings change when the FSRS parameters and
    /// the day's bounds stay (then the memory states stay too).
    pub fn reschedule(&self, state: CardState, retention: f32, days: &Days) -> CardState {
        let Some(last) = state.last_review else {
            return state;
        };
        let (due, interval_days) = match state.memory {
            _ if state.relearning => (last.checked_add(RELEARN_DELAY).ok(), 0),
            Some(m) => {
                let ideal = self.fsrs.next_interval(Some(m.stability), retention, 3);
                let interval = fuzz(self.clamp(ideal), state.last_id);
                (
                    Some(days.start(days.index(last) + i64::from(interval))),
                    interval,
                )
            }
            None => (Some(last), 0),
        };
        CardState {
            due,
            interval_days,
            leech: state.lapses >= self.leech_threshold,
            ..state
        }
    }

    /// Every review's kind, prior interval and resulting memory state, for
    /// statistics (the scheduler itself needs only the final state).
    pub fn timeline(&self, reviews: &[Review], retention: f32, days: &Days) -> Vec<Step> {
        let items = fsrs_reviews(reviews, days);
        let memories = self
            .fsrs
            .historical_memory_states(FSRSItem { reviews: items }, None)
            .unwrap_or_default();
        let mut steps = Vec::with_capacity(reviews.len());
        let mut learned = false;
        for (i, r) in reviews.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| &reviews[p]);
            let kind = match previous {
                None => StepKind::Learn,
                Some(p) if p.rating() == Rating::Again => {
                    if learned {
                        StepKind::Relearn
                    } else {
                        StepKind::Learn
                    }
                }
                Some(_) => StepKind::Review,
            };
            let interval_before_days = previous.map(|p| match memories.get(i - 1) {
                Some(m) if p.rating() != Rating::Again => {
                    let ideal = self.fsrs.next_interval(Some(m.stability), retention, 3);
                    fuzz(self.clamp(ideal), p.id().0)
                }
                _ => 0,
            });
            if r.rating() != Rating::Again {
                learned = true;
            }
            steps.push(Step {
                kind,
                interval_before_days,
                memory: memories.get(i).copied(),
            });
        }
        steps
    }

    /// The one FSRS instance of a run, for the exam planner.
    pub fn fsrs(&self) -> &FSRS {
        &self.fsrs
    }

    pub fn decay(&self) -> f32 {
        self.decay
    }

    /// The interval each rating would give now, Again to Easy, without fuzz.
    pub fn preview(
        &self,
        state: &CardState,
        retention: f32,
        now: Timestamp,
        days: &Days,
    ) -> [SignedDuration; 4] {
        let elapsed = state
            .last_review
            .map_or(0, |t| (days.index(now) - days.index(t)).max(0));
        let next = self.fsrs.next_states(
            state.memory,
            retention,
            u32::try_from(elapsed).unwrap_or(u32::MAX),
        );
        let day = |d: f32| SignedDuration::from_hours(24 * i64::from(self.clamp(d)));
        match next {
            Ok(n) => [
                RELEARN_DELAY,
                day(n.hard.interval),
                day(n.good.interval),
                day(n.easy.interval),
            ],
            Err(_) => [RELEARN_DELAY, day(1.0), day(3.0), day(7.0)],
        }
    }

    /// Probability of recall `days_elapsed` days after the last review.
    pub fn retrievability(&self, memory: MemoryState, days_elapsed: f32) -> f32 {
        fsrs::current_retrievability(memory, days_elapsed.max(0.0), self.decay)
    }

    fn clamp(&self, days: f32) -> u32 {
        let whole = if days.is_finite() { days.round() } else { 1.0 };
        (whole as u32).clamp(1, self.maximum_interval)
    }
}

/// A card's reviews as FSRS sees them: ratings, and whole study days since
/// the previous review (0 for the first and for same-day reviews).
pub(crate) fn fsrs_reviews(reviews: &[Review], days: &Days) -> Vec<FSRSReview> {
    let mut previous_day: Option<i64> = None;
    reviews
        .iter()
        .map(|r| {
            let day = days.index(r.time());
            let delta = previous_day.map_or(0, |p| (day - p).max(0));
            previous_day = Some(day);
            FSRSReview {
                rating: r.rating().number(),
                delta_t: u32::try_from(delta).unwrap_or(u32::MAX),
            }
        })
        .collect()
}

/// Spreads intervals so that cards learned together do not all fall due on
/// the same day. The amount comes from the review's random event id, so a
/// replay of the log gives the same due dates.
pub(crate) fn fuzz(interval: u32, seed: u64) -> u32 {
    if interval < 3 {
        return interval;
    }
    let f = f64::from(interval);
    let spread = if f < 7.0 {
        0.15 * f
    } else if f < 20.0 {
        0.1 * f
    } else {
        0.05 * f
    }
    .max(1.0);
    // splitmix64: a well-mixed fraction in [0, 1) from the id.
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let unit = (z ^ (z >> 31)) as f64 / u64::MAX as f64;
    let fuzzed = f - spread + unit * 2.0 * spread;
    (fuzzed.round() as u32).max(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::EventId;
    use crate::progress::Mode;
    use jiff::tz::TimeZone;

    fn days() -> Days {
        Days::new(TimeZone::UTC, 4)
    }

    /// An FSRS-5 set (19 numbers, as older Anki versions give) has no decay
    /// of its own: the crate schedules with FSRS-5's, and so must the
    /// retrievability kioku shows and plans with.
    #[test]
    fn older_parameter_sets_forget_with_the_decay_fsrs_gives_them() {
        let with = |parameters: Vec<f32>| {
            Memory::new(&Config {
                parameters,
                ..Config::default()
            })
            .decay()
        };
        assert_eq!(with(Vec::new()), fsrs::DEFAULT_PARAMETERS[20]);
        assert_eq!(
            with(fsrs::DEFAULT_PARAMETERS[..19].to_vec()),
            fsrs::FSRS5_DEFAULT_DECAY
        );
        let mut six = fsrs::DEFAULT_PARAMETERS.to_vec();
        six[20] = 0.3;
        assert_eq!(with(six), 0.3);
    }

    fn review(id: u64, day: i64, hour: i64, rating: Rating) -> Review {
        Review::new(
            EventId(id),
            Timestamp::from_second(1_800_000_000 + day * 86_400 + hour * 3600).expect("time"),
            rating,
            1000,
            Mode::Study,
        )
    }

    #[test]
    fn every_rating_path_moves_the_card() {
        let m = Memory::new(&Config::default());
        let good = m.state(&[review(1, 0, 12, Rating::Good)], 0.9, &days());
        let easy = m.state(&[review(1, 0, 12, Rating::Easy)], 0.9, &days());
        let hard = m.state(&[review(1, 0, 12, Rating::Hard)], 0.9, &days());
        let again = m.state(&[review(1, 0, 12, Rating::Again)], 0.9, &days());
        let s = |c: &CardState| c.memory.expect("memory").stability;
        assert!(s(&easy) > s(&good) && s(&good) > s(&hard) && s(&hard) > s(&again));
        assert!(again.relearning && !good.relearning);
        assert_eq!(
            again.due,
            Some(review(1, 0, 12, Rating::Again).time() + RELEARN_DELAY)
        );
        assert!(
            easy.interval_days >= good.interval_days && good.interval_days >= hard.interval_days
        );
        assert!(hard.interval_days >= 1);
    }

    #[test]
    fn replay_is_deterministic_and_counts_lapses_and_leeches() {
        let config = Config {
            leech_threshold: 2,
            ..Config::default()
        };
        let m = Memory::new(&config);
        let mut reviews = vec![
            review(1, 0, 12, Rating::Good),
            review(2, 3, 12, Rating::Good),
        ];
        let before = m.state(&reviews, 0.9, &days());
        assert_eq!(
            before,
            m.state(&reviews, 0.9, &days()),
            "same log, same state"
        );
        reviews.push(review(3, 10, 12, Rating::Again));
        reviews.push(review(4, 10, 12, Rating::Good)); // relearned the same day
        reviews.push(review(5, 20, 12, Rating::Again));
        let after = m.state(&reviews, 0.9, &days());
        assert_eq!(after.lapses, 2);
        assert!(after.leech);
        assert_eq!(after.reviews, 5);
    }

    #[test]
    fn same_day_relearning_uses_short_term_memory() {
        let m = Memory::new(&Config::default());
        let again = m.state(&[review(1, 0, 12, Rating::Again)], 0.9, &days());
        let relearned = m.state(
            &[
                review(1, 0, 12, Rating::Again),
                review(2, 0, 12, Rating::Good),
            ],
            0.9,
            &days(),
        );
        assert!(!relearned.relearning);
        assert!(relearned.memory.expect("m").stability > again.memory.expect("m").stability);
        assert!(relearned.due > again.due);
    }

    #[test]
    fn higher_retention_means_shorter_intervals_and_the_maximum_holds() {
        let reviews: Vec<Review> = (0..6)
            .map(|i| review(i, i as i64 * 30, 12, Rating::Easy))
            .collect();
        let m = Memory::new(&Config::default());
        let relaxed = m.state(&reviews, 0.8, &days());
        let strict = m.state(&reviews, 0.97, &days());
        assert!(strict.interval_days < relaxed.interval_days);
        let capped = Memory::new(&Config {
            maximum_interval_days: 10,
            ..Config::default()
        });
        assert!(
            capped.state(&reviews, 0.8, &days()).interval_days <= 11,
            "fuzz may add one day at most"
        );
    }

    #[test]
    fn the_timeline_agrees_with_the_final_state() {
        let m = Memory::new(&Config::default());
        let reviews = vec![
            review(1, 0, 12, Rating::Good),
            review(2, 3, 12, Rating::Again),
            review(3, 3, 13, Rating::Good),
            review(4, 9, 12, Rating::Good),
        ];
        let steps = m.timeline(&reviews, 0.9, &days());
        let kinds: Vec<StepKind> = steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                StepKind::Learn,
                StepKind::Review,
                StepKind::Relearn,
                StepKind::Review
            ]
        );
        assert_eq!(steps[0].interval_before_days, None);
        assert_eq!(steps[2].interval_before_days, Some(0));
        assert_eq!(steps[3].memory, m.state(&reviews, 0.9, &days()).memory);
    }

    #[test]
    fn fuzz_spreads_but_stays_near() {
        let spread: std::collections::BTreeSet<u32> = (0..200).map(|s| fuzz(30, s)).collect();
        assert!(
            spread.len() > 2,
            "cards learned together get different days"
        );
        assert!(spread.iter().all(|d| (28..=32).contains(d)));
        assert_eq!(fuzz(2, 99), 2);
        assert_eq!(fuzz(30, 7), fuzz(30, 7));
    }

    /// Rescheduling a state for other settings with the same parameters is
    /// replaying its reviews under them, for every kind of last answer.
    #[test]
    fn a_rescheduled_state_is_the_replayed_one() {
        let before = Memory::new(&Config::default());
        let after = Memory::new(&Config {
            maximum_interval_days: 20,
            leech_threshold: 1,
            ..Config::default()
        });
        for last in Rating::ALL {
            let reviews = [
                review(1, 0, 12, Rating::Good),
                review(2, 3, 12, Rating::Again),
                review(3, 3, 14, Rating::Good),
                review(4, 12, 9, last),
            ];
            let old = before.state(&reviews, 0.9, &days());
            let replayed = after.state(&reviews, 0.8, &days());
            assert_ne!(old, replayed, "{last:?}: the settings differ");
            assert_eq!(after.reschedule(old, 0.8, &days()), replayed, "{last:?}");
        }
        assert_eq!(
            after.reschedule(CardState::NEW, 0.8, &days()),
            CardState::NEW
        );
    }

    #[test]
    fn previews_grow_with_the_rating() {
        let m = Memory::new(&Config::default());
        let p = m.preview(
            &CardState::NEW,
            0.9,
            Timestamp::from_second(1_800_000_000).expect("t"),
            &days(),
        );
        assert_eq!(p[0], RELEARN_DELAY);
        assert!(p[1] <= p[2] && p[2] <= p[3]);
    }
}
