//! Planning toward an exam date: which card is worth studying now.
//!
//! The value of studying a card is the expected gain in its recall on exam
//! day, per second the study takes, projected with FSRS (through the `fsrs`
//! crate): recall at the exam if studied now, weighed over remembering and
//! forgetting it now, minus recall at the exam if left alone. A new card
//! gains everything it will be remembered with, but costs a learning
//! session, so new cards come early while there is time for them to pay
//! off; close to the exam, the cards whose predicted recall on the day is
//! lowest gain the most from a review, so the last days turn to them.

use fsrs::{FSRS, MemoryState};

/// Seconds an answer takes, by what it is: from the `fsrs` crate's simulator
/// defaults (its `state_rating_costs`), or the learner's own averages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// Learning a new card, all its same-day steps included.
    pub learn: f32,
    /// Reviewing a card that is remembered.
    pub pass: f32,
    /// Reviewing a card that is forgotten, its relearning step included.
    pub fail: f32,
}

impl Default for Costs {
    fn default() -> Self {
        // fsrs SimulatorConfig::default(): a first answer (its costs weighed
        // by first_rating_prob: 15.1 s); review Good; review Again. With an
        // exam ahead a forgotten card does not come back the same day (see
        // `DailyPlan::today`), so no relearning step is counted.
        Costs {
            learn: 15.1,
            pass: 12.38,
            fail: 19.38,
        }
    }
}

/// The retention exam mode schedules for until the exam. Lower than the
/// usual 0.9: reviews come later, when they strengthen memory more, and
/// the time saved learns more cards; the last days' reviews, chosen by
/// value, bring recall up for the day. Since the plan ranks cards by value
/// before due dates, the simulation (`kioku-exam-sim`) gives the same
/// figures at 0.7, 0.8 and 0.9: this sets the intervals applied and shown.
pub(crate) const EXAM_RETENTION: f32 = 0.8;

/// What the planner knows of one card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardNow {
    /// None for a new card.
    pub memory: Option<MemoryState>,
    /// Days since the last review (0 for a new card).
    pub elapsed_days: f32,
}

/// How much of what a review tomorrow would bring counts against a review
/// today (see [`Planner::assess`]). In the simulation (`kioku-exam-sim`),
/// 0.5 did as well as 0.7 and better than 0, 0.3 and 1 (at 1, reviews
/// wait so long that minutes go unspent).
pub(crate) const WAIT_WEIGHT: f32 = 0.5;

/// The smallest gain in a card's exam-day recall worth a review.
pub(crate) const MIN_GAIN: f32 = 0.002;

/// The FSRS model, with the exam's distance.
pub struct Planner<'f> {
    pub fsrs: &'f FSRS,
    pub decay: f32,
    pub costs: Costs,
}

impl Planner<'_> {
    /// Recall of `memory` after `days`.
    pub fn recall(&self, memory: MemoryState, days: f32) -> f32 {
        fsrs::current_retrievability(memory, days.max(0.0), self.decay)
    }

    /// Predicted recall on exam day if the card is left alone.
    pub fn recall_at_exam(&self, card: &CardNow, days_to_exam: f32) -> f32 {
        match card.memory {
            Some(m) => self.recall(m, card.elapsed_days + days_to_exam),
            None => 0.0,
        }
    }

    /// Expected recall on exam day if the card is studied now, and the
    /// expected seconds it takes.
    pub fn if_studied(&self, card: &CardNow, days_to_exam: f32) -> (f32, f32) {
        let whole = |d: f32| d.max(0.0).round() as u32;
        match card.memory {
            None => {
                // Learned today: its state after a first Good answer.
                let good = self
                    .fsrs
                    .next_states(None, 0.9, 0)
                    .map(|n| n.good.memory)
                    .ok();
                let after = good.map_or(0.0, |m| self.recall(m, days_to_exam));
                (after, self.costs.learn)
            }
            Some(m) => {
                let now = self.recall(m, card.elapsed_days);
                let Ok(next) = self
                    .fsrs
                    .next_states(Some(m), 0.9, whole(card.elapsed_days))
                else {
                    return (
                        self.recall(m, card.elapsed_days + days_to_exam),
                        self.costs.pass,
                    );
                };
                let passed = self.recall(next.good.memory, days_to_exam);
                // Forgotten, then relearned the same day.
                let relearned = self
                    .fsrs
                    .next_states(Some(next.again.memory), 0.9, 0)
                    .map_or(next.again.memory, |n| n.good.memory);
                let failed = self.recall(relearned, days_to_exam);
                let expected = now * passed + (1.0 - now) * failed;
                let cost = now * self.costs.pass + (1.0 - now) * self.costs.fail;
                (expected, cost)
            }
        }
    }

    /// Expected gain in exam-day recall per second of study now.
    /// Gains below [`MIN_GAIN`] count as nothing: a card that is safe for
    /// the exam is not drilled just because time is left.
    pub fn value(&self, card: &CardNow, days_to_exam: f32) -> f32 {
        self.assess(card, days_to_exam).0
    }

    /// [`Planner::value`] with what it is made of: (value, expected recall
    /// on exam day if studied now, expected seconds), projected once.
    ///
    /// A review is also weighed against waiting: if the same review
    /// tomorrow would leave more recall on exam day (a review later
    /// strengthens memory more, and nearer the exam), part of that
    /// ([`WAIT_WEIGHT`]) counts as what the card keeps without a review
    /// today, so reviews are not spent too early on cards just learned.
    pub fn assess(&self, card: &CardNow, days_to_exam: f32) -> (f32, f32, f32) {
        let mut before = self.recall_at_exam(card, days_to_exam);
        let (after, cost) = self.if_studied(card, days_to_exam);
        if card.memory.is_some() && days_to_exam > 1.5 {
            let tomorrow = CardNow {
                memory: card.memory,
                elapsed_days: card.elapsed_days + 1.0,
            };
            let (later, _) = self.if_studied(&tomorrow, days_to_exam - 1.0);
            if later > before {
                before += WAIT_WEIGHT * (later - before);
            }
        }
        let gain = after - before;
        let value = if gain < MIN_GAIN {
            0.0
        } else {
            gain / cost.max(1.0)
        };
        (value, after, cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planner(fsrs: &FSRS) -> Planner<'_> {
        Planner {
            fsrs,
            decay: fsrs::DEFAULT_PARAMETERS[20],
            costs: Costs::default(),
        }
    }

    fn learned(stability: f32, elapsed: f32) -> CardNow {
        CardNow {
            memory: Some(MemoryState {
                stability,
                difficulty: 5.0,
            }),
            elapsed_days: elapsed,
        }
    }

    #[test]
    fn a_card_likely_forgotten_by_the_exam_is_worth_more_than_a_safe_one() {
        let fsrs = FSRS::default();
        let p = planner(&fsrs);
        let weak = learned(2.0, 3.0);
        let safe = learned(400.0, 3.0);
        assert!(p.value(&weak, 10.0) > p.value(&safe, 10.0));
        assert!(p.recall_at_exam(&safe, 10.0) > 0.95);
    }

    #[test]
    fn new_cards_are_worth_learning_when_there_is_time() {
        let fsrs = FSRS::default();
        let p = planner(&fsrs);
        let new = CardNow {
            memory: None,
            elapsed_days: 0.0,
        };
        assert!(p.value(&new, 20.0) > 0.0);
        assert!(
            p.value(&new, 2.0) > p.value(&new, 25.0),
            "learning pays off most close to the exam, per second"
        );
        assert_eq!(p.recall_at_exam(&new, 5.0), 0.0);
    }

    #[test]
    fn a_review_that_would_do_more_tomorrow_is_worth_less_today() {
        let fsrs = FSRS::default();
        let p = planner(&fsrs);
        // Learned two days ago, the exam three weeks away: a review tomorrow would
        // leave more recall on the day than one today.
        let fresh = learned(3.0, 2.0);
        let (value, after, cost) = p.assess(&fresh, 21.0);
        let one_step = (after - p.recall_at_exam(&fresh, 21.0)) / cost;
        assert!(value < one_step, "{value} vs {one_step}");
        // On the exam's eve there is no tomorrow: the whole gain counts.
        let (value, after, cost) = p.assess(&fresh, 1.0);
        let one_step = (after - p.recall_at_exam(&fresh, 1.0)) / cost;
        assert!((value - one_step).abs() < 1e-6, "{value} vs {one_step}");
    }

    #[test]
    fn studying_never_lowers_expected_recall() {
        let fsrs = FSRS::default();
        let p = planner(&fsrs);
        for s in [0.5, 2.0, 10.0, 50.0] {
            for e in [0.0, 1.0, 7.0, 30.0] {
                let c = learned(s, e);
                assert!(p.value(&c, 14.0) >= 0.0);
            }
        }
    }
}

/// The last days before an exam are forecast one by one; before them the
/// forecast takes steps of several days, at most [`COARSE_STEPS`] of them,
/// so that `exam status` is instant however far the exam is (each step
/// studies a step's minutes with the cards as they are at its start).
pub(crate) const FINE_DAYS: usize = 60;
pub(crate) const COARSE_STEPS: usize = 30;

/// A day of the plan.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PlanDay {
    /// Days from today (0 is today).
    pub day: usize,
    /// Days this row covers: 1, or more far from the exam (see
    /// [`FINE_DAYS`]).
    pub span: usize,
    pub cards: usize,
    pub minutes: f32,
}

/// The plan to the exam and what it predicts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Forecast {
    pub days: Vec<PlanDay>,
    /// Predicted recall on exam day, per card, in the order given.
    pub recall: Vec<f32>,
}

impl Forecast {
    pub fn mean(&self) -> f32 {
        if self.recall.is_empty() {
            return 0.0;
        }
        self.recall.iter().sum::<f32>() / self.recall.len() as f32
    }
}

impl Planner<'_> {
    /// Plays the plan forward as `study` runs it: each day until the exam,
    /// the due and new cards and then any other worth studying, the most
    /// valuable first, until the day's minutes are spent; each answer taken
    /// as its expected outcome. Today's minutes already studied count
    /// against today.
    pub fn forecast(
        &self,
        cards: &[CardNow],
        days_to_exam: usize,
        minutes_per_day: f32,
        spent_today: f32,
    ) -> Forecast {
        let cards: Vec<(CardNow, usize)> = cards.iter().map(|c| (*c, days_to_exam)).collect();
        self.forecast_each(&cards, minutes_per_day, spent_today)
    }

    /// [`Planner::forecast`] for cards whose exams differ (overlapping
    /// exams share one day's minutes): each card with the days to its own
    /// exam, the nearest ahead that covers it, as `study` plans it; its
    /// recall is predicted for that day.
    pub fn forecast_each(
        &self,
        cards: &[(CardNow, usize)],
        minutes_per_day: f32,
        spent_today: f32,
    ) -> Forecast {
        let horizon = cards.iter().map(|c| c.1).max().unwrap_or(0);
        let mut state: Vec<CardNow> = cards.iter().map(|c| c.0).collect();
        let mut recall: Vec<f32> = cards
            .iter()
            .map(|(c, d)| self.recall_at_exam(c, *d as f32))
            .collect();
        let mut days = Vec::with_capacity(horizon.min(FINE_DAYS + COARSE_STEPS));
        // (due, value, expected recall if studied, cost, card)
        let mut values: Vec<(bool, f32, f32, f32, usize)> = Vec::with_capacity(cards.len());
        let coarse = horizon
            .saturating_sub(FINE_DAYS)
            .div_ceil(COARSE_STEPS)
            .max(1);
        let mut day = 0;
        while day < horizon {
            let span = if horizon - day > FINE_DAYS {
                coarse.min(horizon - FINE_DAYS - day)
            } else {
                1
            };
            let mut budget = span as f32 * minutes_per_day * 60.0
                - if day == 0 { spent_today * 60.0 } else { 0.0 };
            values.clear();
            values.extend(
                state
                    .iter()
                    .zip(cards)
                    .enumerate()
                    .filter(|(_, (_, (_, d)))| *d > day)
                    .map(|(i, (c, (_, d)))| {
                        let to_exam = (d - day) as f32;
                        let (value, expected, cost) = self.assess(c, to_exam);
                        (self.is_due(c, to_exam), value, expected, cost, i)
                    }),
            );
            // As `study` orders them: cards worth their time, the most
            // valuable first, then due and new cards.
            values.sort_by(|a, b| {
                (b.1 > 0.0, b.0)
                    .cmp(&(a.1 > 0.0, a.0))
                    .then(b.1.total_cmp(&a.1))
            });
            let (mut count, mut used) = (0, 0.0);
            for &(due, value, expected, cost, i) in &values {
                if !due && value <= 0.0 {
                    break;
                }
                if cost > budget {
                    continue;
                }
                budget -= cost;
                used += cost;
                count += 1;
                recall[i] = expected;
                let elapsed = state[i].elapsed_days.max(0.0).round() as u32;
                let next = self
                    .fsrs
                    .next_states(state[i].memory, EXAM_RETENTION, elapsed)
                    .map(|n| n.good.memory)
                    .ok();
                state[i] = CardNow {
                    memory: next.or(state[i].memory),
                    elapsed_days: 0.0,
                };
            }
            for c in &mut state {
                c.elapsed_days += span as f32;
            }
            days.push(PlanDay {
                day,
                span,
                cards: count,
                minutes: used / 60.0,
            });
            day += span;
        }
        Forecast { days, recall }
    }

    /// New, due at exam mode's retention, or the exam's eve (when every
    /// card is due).
    fn is_due(&self, card: &CardNow, days_to_exam: f32) -> bool {
        card.memory.is_none_or(|m| {
            days_to_exam <= 1.0 || self.recall(m, card.elapsed_days) <= EXAM_RETENTION
        })
    }

    /// The fewest minutes a day (up to `max`) whose plan predicts at least
    /// `target` recall on exam day; None when even `max` falls short.
    pub fn minutes_needed(
        &self,
        cards: &[CardNow],
        days_to_exam: usize,
        target: f32,
        max: f32,
    ) -> Option<f32> {
        let cards: Vec<(CardNow, usize)> = cards.iter().map(|c| (*c, days_to_exam)).collect();
        self.minutes_needed_each(&cards, target, max)
    }

    /// [`Planner::minutes_needed`] for [`Planner::forecast_each`]'s cards.
    pub fn minutes_needed_each(
        &self,
        cards: &[(CardNow, usize)],
        target: f32,
        max: f32,
    ) -> Option<f32> {
        // Doubling up to a bracket, then halving to the minute: a handful
        // of forecasts, so that `exam status` stays instant.
        let reaches = |minutes: f32| self.forecast_each(cards, minutes, 0.0).mean() >= target;
        let (mut low, mut high) = (0.0f32, 1.0f32.min(max));
        while !reaches(high) {
            if high >= max {
                return None;
            }
            low = high;
            high = (high * 2.0).min(max);
        }
        while high - low > 1.0 {
            let mid = (low + high) / 2.0;
            if reaches(mid) {
                high = mid;
            } else {
                low = mid;
            }
        }
        Some(high.ceil())
    }
}

#[cfg(test)]
mod forecast_tests {
    use super::*;

    #[test]
    fn the_plan_respects_the_budget_and_more_time_predicts_more_recall() {
        let fsrs = FSRS::default();
        let p = Planner {
            fsrs: &fsrs,
            decay: fsrs::DEFAULT_PARAMETERS[20],
            costs: Costs::default(),
        };
        let cards = vec![
            CardNow {
                memory: None,
                elapsed_days: 0.0
            };
            100
        ];
        let little = p.forecast(&cards, 10, 5.0, 0.0);
        let plenty = p.forecast(&cards, 10, 60.0, 0.0);
        assert!(little.days.iter().all(|d| d.minutes <= 5.0 + 1e-3));
        assert_eq!(little.days.len(), 10);
        assert!(plenty.mean() > little.mean());
        assert!(plenty.mean() > 0.8, "{}", plenty.mean());
        let needed = p.minutes_needed(&cards, 10, 0.8, 120.0).expect("reachable");
        assert!(needed > 1.0 && needed <= 60.0, "{needed}");
        assert_eq!(p.minutes_needed(&cards, 1, 0.99, 5.0), None);
    }
}
