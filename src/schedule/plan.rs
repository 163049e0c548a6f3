//! The daily plan: from card states, the limits and the exams ahead, the
//! cards a day holds. Pure: it reads states and the clock it is given and
//! changes nothing, so the session queue starts from it and the exam
//! planner's simulation can step through days with it.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

use super::day::Days;
use super::history::History;
use super::key::CardKey;
use super::memory::{CardState, Memory};
use super::scheduler::{ActiveExam, DueCounts, Today};
use crate::config::{Config, LeechAction};
use crate::deck::Deck;
use crate::exam::revise::{Answers, CardStart, Inputs, Revision};

/// One deck's cards for today, before the day's limits (see
/// [`DailyPlan::today`]).
#[derive(Default)]
struct DeckPart<'a> {
    learning: Vec<(String, Timestamp)>,
    chosen: rustc_hash::FxHashSet<(&'a str, &'a str)>,
    due: Vec<(Timestamp, usize, usize)>,
    new: Vec<(usize, usize)>,
    planned: Vec<(bool, f32, f32, String)>,
}

/// The learner's answer times against the `fsrs` simulator's for the same
/// kinds of answer (a first answer or a later one, by rating), which the
/// revision's costs are: so that a card is priced by how slow it is, not
/// by how it was rated (an Again takes longer on any card, and its cost is
/// already counted by rating).
struct AnswerTimes {
    /// Logged over the simulator's, across the log.
    ratio: f64,
    /// The simulator's mean answer, in milliseconds.
    one: f64,
}

impl AnswerTimes {
    fn base(first: bool, r: &super::history::Review) -> f64 {
        let rating = (r.rating() as usize).clamp(1, 4) - 1;
        f64::from(Answers::SIMULATOR.seconds[usize::from(!first)][rating]) * 1000.0
    }

    fn of(history: &History) -> AnswerTimes {
        let (mut logged, mut expected, mut n) = (0.0f64, 0.0f64, 0u64);
        for slot in 0..history.len() {
            for (i, r) in history.reviews_in(slot).iter().enumerate() {
                logged += r.answer_ms() as f64;
                expected += AnswerTimes::base(i == 0, r);
                n += 1;
            }
        }
        AnswerTimes {
            ratio: if expected > 0.0 {
                logged / expected
            } else {
                1.0
            },
            one: if n > 0 { expected / n as f64 } else { 0.0 },
        }
    }

    /// How much slower than the learner's usual this card's answers were
    /// (`reviews`: all of them, first first), drawn toward 1 by one
    /// average answer, in 0.25–4.
    fn factor(&self, reviews: &[super::history::Review]) -> f32 {
        let prior = self.one * self.ratio;
        let (mut own, mut expected) = (prior, prior);
        for (i, r) in reviews.iter().enumerate() {
            own += r.answer_ms() as f64;
            expected += AnswerTimes::base(i == 0, r) * self.ratio;
        }
        if expected > 0.0 {
            (own / expected).clamp(0.25, 4.0) as f32
        } else {
            1.0
        }
    }
}

/// Answers further apart than this are in different sittings.
const SITTING_GAP_MS: i64 = 5 * 60 * 1000;

/// What a day's plan is made from, borrowed from the scheduler.
#[derive(Clone, Copy)]
pub struct DailyPlan<'a> {
    pub decks: &'a [Deck],
    pub history: &'a History,
    /// By the history's slots.
    pub states: &'a [CardState],
    pub config: &'a Config,
    pub days: &'a Days,
    pub exams: &'a [ActiveExam],
    pub memory: &'a Memory,
    /// Revisions made ahead for the exams (see [`crate::exam::revise`]).
    pub revisions: &'a [Revision],
}

impl<'a> DailyPlan<'a> {
    pub fn state(&self, key: &str) -> CardState {
        self.history
            .slot(key)
            .and_then(|slot| self.states.get(slot))
            .copied()
            .unwrap_or(CardState::NEW)
    }

    /// The exam nearest ahead of study day `day` that covers `deck`.
    pub fn exam_for(&self, deck: &str, day: i64) -> Option<&'a ActiveExam> {
        self.exams
            .iter()
            .filter(|e| e.day > day && e.decks.contains(deck))
            .min_by_key(|e| e.day)
    }

    /// The planner for exam decks, priced with the learner's own time per
    /// card where the log has enough of it (see [`DailyPlan::card_seconds`]).
    pub fn planner(&self) -> crate::exam::Planner<'a> {
        let defaults = crate::exam::Costs::default();
        let scale = match self.card_seconds() {
            Some((mean, n)) if n >= 20 => mean / defaults.pass,
            _ => 1.0,
        };
        crate::exam::Planner {
            fsrs: self.memory.fsrs(),
            decay: self.memory.decay(),
            costs: crate::exam::Costs {
                learn: defaults.learn * scale,
                pass: defaults.pass * scale,
                fail: defaults.fail * scale,
            },
        }
    }

    /// The mean wall time per card, derived from the log: the time from one
    /// answer to the next within a sitting (gaps under five minutes), over
    /// the latest 2,000 answers. It covers the whole card, from its
    /// appearance through reading the feedback, which the logged answer
    /// time (question to answer) leaves out. With the count of gaps.
    pub fn card_seconds(&self) -> Option<(f32, u64)> {
        const LATEST: usize = 2000;
        let mut times: Vec<i64> = (0..self.history.len())
            .flat_map(|slot| self.history.reviews_in(slot))
            .map(|r| r.time().as_millisecond())
            .collect();
        if times.len() > LATEST {
            let cut = times.len() - LATEST;
            times.select_nth_unstable(cut);
            times.drain(..cut);
        }
        times.sort_unstable();
        let (sum, n) = times
            .windows(2)
            .map(|w| w[1] - w[0])
            .filter(|gap| *gap > 0 && *gap <= SITTING_GAP_MS)
            .fold((0i64, 0u64), |(s, n), gap| (s + gap, n + 1));
        (n > 0).then(|| (sum as f32 / n as f32 / 1000.0, n))
    }

    /// How much longer than the learner's average this card takes: the
    /// mean logged answer time of its reviews over that of every review
    /// (`mean_ms`), drawn toward 1 by one average answer (a review or two
    /// say little), in 0.25–4; 1 for a new card.
    pub fn card_time_factor(&self, key: &str, mean_ms: f32) -> f32 {
        let Some(slot) = self.history.slot(key) else {
            return 1.0;
        };
        let reviews = self.history.reviews_in(slot);
        if reviews.is_empty() || mean_ms <= 0.0 {
            return 1.0;
        }
        let own: f32 = reviews.iter().map(|r| r.answer_ms() as f32).sum();
        ((own + mean_ms) / (reviews.len() as f32 + 1.0) / mean_ms).clamp(0.25, 4.0)
    }

    /// The mean logged answer time over every review, in milliseconds.
    fn mean_answer_ms(&self) -> f32 {
        let (sum, n) = (0..self.history.len())
            .flat_map(|slot| self.history.reviews_in(slot))
            .fold((0.0f64, 0u64), |(s, n), r| {
                (s + r.answer_ms() as f64, n + 1)
            });
        if n == 0 { 0.0 } else { (sum / n as f64) as f32 }
    }

    /// What the planner knows of a card now.
    pub fn card_now(&self, key: &str, now: Timestamp) -> crate::exam::CardNow {
        let state = self.state(key);
        crate::exam::CardNow {
            memory: state.memory,
            elapsed_days: state.last_review.map_or(0.0, |t| {
                (now.duration_since(t).as_secs_f64() / 86_400.0) as f32
            }),
        }
    }

    /// Seconds studied today on the given decks, in wall time: the gaps
    /// between today's answers within a sitting (as
    /// [`DailyPlan::card_seconds`]), and the first answer of each sitting
    /// by its logged time.
    pub fn seconds_today(&self, decks: &HashSet<String>, now: Timestamp) -> f32 {
        let start = self.days.start(self.days.index(now));
        let mut answers: Vec<(i64, u64)> = self
            .history
            .keys()
            .filter(|(k, _)| decks.contains(CardKey::parse(k).deck))
            .filter(|(_, slot)| {
                self.states
                    .get(*slot)
                    .and_then(|s| s.last_review)
                    .is_some_and(|t| t >= start)
            })
            .flat_map(|(_, slot)| self.history.reviews_in(slot))
            .filter(|r| r.time() >= start)
            .map(|r| (r.time().as_millisecond(), r.answer_ms()))
            .collect();
        answers.sort_unstable();
        let mut ms = 0u64;
        for (i, (at, answer)) in answers.iter().enumerate() {
            let gap = i
                .checked_sub(1)
                .map(|j| at - answers[j].0)
                .filter(|gap| (0..=SITTING_GAP_MS).contains(gap));
            ms += gap.map_or(*answer, |g| g as u64);
        }
        ms as f32 / 1000.0
    }

    /// The revision made for `exam` for study day `today`, if any.
    pub fn revision_for(&self, exam: &ActiveExam, today: i64) -> Option<&'a Revision> {
        self.revisions
            .iter()
            .find(|r| r.day == today && r.exam_day == exam.day && r.decks == exam.group_decks)
    }

    /// What a revision toward `exam` is solved from on study day `today`
    /// (at `now`): the cards of its group's decks not suspended, as the
    /// log has them; the group's minutes; the share of days missed lately;
    /// the answer times, the learner's own. None when the group's exams
    /// are not all on one day, or the exam or the deck is too large for a
    /// solve beside a session (see [`crate::exam::revise::MOST_DAYS`]):
    /// the value ranking plans those.
    pub fn revision_inputs(&self, exam: &ActiveExam, now: Timestamp) -> Option<Inputs> {
        let today = self.days.index(now);
        let group: Vec<&ActiveExam> = self
            .exams
            .iter()
            .filter(|e| e.group == exam.group)
            .collect();
        if group.iter().any(|e| e.day != exam.day)
            || exam.day <= today
            || exam.day - today > crate::exam::revise::MOST_DAYS
        {
            return None;
        }
        let decks = || {
            self.decks
                .iter()
                .filter(|d| exam.group_decks.contains(&d.id))
        };
        if decks().map(|d| d.cards.len()).sum::<usize>() > crate::exam::revise::MOST_CARDS {
            return None;
        }
        let times = AnswerTimes::of(self.history);
        let mut cards = Vec::new();
        let mut key = String::new();
        for deck in decks() {
            for card in &deck.cards {
                card.key_into(&mut key);
                let state = self.state(&key);
                if self.suspended(&key, &state) {
                    continue;
                }
                let days_since = state
                    .last_review
                    .map_or(0.0, |t| (today - self.days.index(t)).max(0) as f32);
                let start = CardStart {
                    memory: state.memory,
                    days_since,
                    difficulty: 0.0,
                    time: self
                        .history
                        .slot(&key)
                        .map_or(1.0, |slot| times.factor(self.history.reviews_in(slot))),
                };
                cards.push((key.clone(), start));
            }
        }
        let planner = self.planner();
        let scale = planner.costs.pass / crate::exam::Costs::default().pass;
        let mut answers = Answers::SIMULATOR;
        for row in &mut answers.seconds {
            for s in row {
                *s *= scale;
            }
        }
        Some(Inputs {
            cards,
            seconds_per_day: exam.group_minutes as f32 * 60.0,
            days_left: usize::try_from(exam.day - today).ok()?,
            miss: self.missed_lately(today),
            parameters: fsrs::check_and_fill_parameters(&self.config.parameters)
                .unwrap_or_else(|_| fsrs::DEFAULT_PARAMETERS.to_vec()),
            answers,
            decks: exam.group_decks.clone(),
        })
    }

    /// The chance that a study day ahead is missed: the share of days
    /// without an answer since this stretch of study began (after the
    /// last gap of a week or more), from a prior of one day in ten
    /// weighing as ten days.
    pub fn missed_lately(&self, today: i64) -> f32 {
        const GAP: i64 = 7;
        // Study days of the last two months, as bits: only cards answered
        // since then can have answers in them.
        const WINDOW: i64 = 64;
        let since = self.days.start(today - WINDOW);
        let mut studied = 0u64;
        for (slot, state) in self.states.iter().enumerate() {
            if state.last_review.is_none_or(|t| t < since) {
                continue;
            }
            let reviews = self.history.reviews_in(slot);
            let first = reviews.partition_point(|r| r.time() < since);
            for r in &reviews[first..] {
                let back = today - self.days.index(r.time());
                if (1..=WINDOW).contains(&back) {
                    studied |= 1 << (back - 1);
                }
            }
        }
        // This stretch began after the last gap of a week or more.
        let mut span = 0;
        let mut gap = 0;
        for back in 1..=WINDOW {
            if studied & (1 << (back - 1)) != 0 {
                span = back;
                gap = 0;
            } else {
                gap += 1;
                if gap >= GAP {
                    break;
                }
            }
        }
        let days_studied = (studied & (u64::MAX >> (64 - span.max(1)))).count_ones();
        let days_studied = if span == 0 { 0 } else { days_studied };
        (span as f32 - days_studied as f32 + 1.0) / (span as f32 + 10.0)
    }

    pub fn suspended(&self, key: &str, state: &CardState) -> bool {
        self.history.suspended.contains(key)
            || (state.leech && self.config.leech_action == LeechAction::Suspend)
    }

    /// One deck's share of [`DailyPlan::today`]: its cards relearning, due,
    /// new (when any new card is wanted today) and, under an exam, planned.
    #[allow(clippy::too_many_arguments)]
    fn deck_part(
        &self,
        deck_index: usize,
        deck: &'a Deck,
        today: i64,
        end: Timestamp,
        now: Timestamp,
        want_new: bool,
        touched: &rustc_hash::FxHashSet<(&str, &str)>,
        planner: Option<&crate::exam::Planner<'a>>,
        mean_ms: f32,
    ) -> DeckPart<'a> {
        let mut part = DeckPart::default();
        let exam = self.exam_for(&deck.id, today);
        let revision = exam.and_then(|e| self.revision_for(e, today));
        let mut key = String::new();
        let cards = &deck.cards;
        for (card_index, card) in cards.iter().enumerate() {
            card.key_into(&mut key);
            let state = self.state(&key);
            if self.suspended(&key, &state)
                || self
                    .history
                    .buried
                    .get(&key)
                    .is_some_and(|until| *until > now)
            {
                continue;
            }
            let note = (deck.id.as_str(), card.note_id.as_str());
            // Forgotten today: it comes back until it is passed; with an
            // exam ahead, only on a later day, when the planner finds it
            // worth its time (a relearning step the same day adds little
            // to its recall on exam day).
            if state.relearning && (exam.is_none() || planner.is_none()) {
                if let Some(at) = state.due {
                    part.learning.push((key.clone(), at));
                }
                continue;
            }
            // A note's cards come one after another: a card with no
            // sibling beside it has none, and no sibling to keep apart from
            // (most cards: no set to look in for them).
            let siblings = card_index
                .checked_sub(1)
                .and_then(|i| cards.get(i))
                .into_iter()
                .chain(cards.get(card_index + 1))
                .any(|other| other.note_id == card.note_id);
            if touched.contains(&note) || (siblings && part.chosen.contains(&note)) {
                continue;
            }
            if let Some(revision) = revision {
                // The day's revision decides: its order, then any card it
                // does not know (added since), while minutes last.
                let (worth, value, cost) = match revision.place(&key) {
                    Some((i, seconds)) => (true, -(i as f32), seconds),
                    None => (false, 0.0, planner.map_or(0.0, |p| p.costs.learn)),
                };
                if siblings {
                    part.chosen.insert(note);
                }
                part.planned.push((worth, value, cost, key.clone()));
                continue;
            }
            if let (Some(exam), Some(planner)) = (exam, planner) {
                let to_exam = (exam.day - today) as f32;
                let card_now = self.card_now(&key, now);
                // Priced with the card's own time: a minute on a slow
                // card buys less than on a quick one.
                let factor = self.card_time_factor(&key, mean_ms);
                let value = planner.value(&card_now, to_exam) / factor;
                // Cards worth their time come first, the most valuable
                // first, whether due or not; then due (by the exam's
                // eve at the latest) and new cards, while minutes last.
                let due = state.due.is_none_or(|at| at < end);
                if due || value > 0.0 {
                    let (_, cost) = planner.if_studied(&card_now, to_exam);
                    if siblings {
                        part.chosen.insert(note);
                    }
                    part.planned
                        .push((value > 0.0, value, cost * factor, key.clone()));
                }
                continue;
            }
            match state.due {
                Some(at) if at < end => {
                    if siblings {
                        part.chosen.insert(note);
                    }
                    part.due.push((at, deck_index, card_index));
                }
                // Picked by the caller, in the order of `introduce`.
                None if want_new => part.new.push((deck_index, card_index)),
                _ => {}
            }
        }
        part
    }

    /// Today's cards within the limits, siblings apart.
    pub fn today(&self, now: Timestamp) -> Today {
        let today = self.days.index(now);
        let start = self.days.start(today);
        let end = self.days.start(today + 1);
        let mut new_today = 0usize;
        let mut reviews_today = 0usize;
        let mut touched: rustc_hash::FxHashSet<(&str, &str)> = Default::default();
        for (slot, state) in self.states.iter().enumerate() {
            // Only cards last reviewed today have reviews today, and only
            // at the end of their list (it is in time order).
            if state.last_review.is_none_or(|t| t < start) {
                continue;
            }
            let key = self.history.key_in(slot);
            let reviews = self.history.reviews_in(slot);
            let first_today = reviews.partition_point(|r| r.time() < start);
            let todays = reviews[first_today..]
                .iter()
                .filter(|r| r.time() < end)
                .count();
            if todays > 0 {
                if first_today == 0 {
                    new_today += 1;
                    reviews_today += todays - 1;
                } else {
                    reviews_today += todays;
                }
                touched.insert(CardKey::parse(key).note_key());
            }
        }
        let mut new_left = (self.config.new_per_day as usize).saturating_sub(new_today);
        let review_limit = (self.config.reviews_per_day as usize).saturating_sub(reviews_today);
        let mut plan = Today::default();
        // Pricing the planner reads every answer time: only with an exam.
        let planner = (!self.exams.is_empty()).then(|| self.planner());
        let mean_ms = if planner.is_some() {
            self.mean_answer_ms()
        } else {
            0.0
        };
        // Each deck on its own (siblings are notes of one deck), on every
        // core; gathered in deck order.
        use rayon::prelude::*;
        let mut parts: Vec<DeckPart> = self
            .decks
            .par_iter()
            .enumerate()
            .map(|(deck_index, deck)| {
                self.deck_part(
                    deck_index,
                    deck,
                    today,
                    end,
                    now,
                    new_left > 0,
                    &touched,
                    planner.as_ref(),
                    mean_ms,
                )
            })
            .collect();
        // Due cards as (due, deck, card) indices: keys are built only for
        // the few that fit today's limit.
        let mut due: Vec<(Timestamp, usize, usize)> = Vec::new();
        // Decks with an exam ahead: the planner's choice within the minutes.
        // (worth its time, value, cost, key)
        let mut planned: Vec<(bool, f32, f32, String)> = Vec::new();
        for part in &mut parts {
            plan.learning.append(&mut part.learning);
            due.append(&mut part.due);
            planned.append(&mut part.planned);
        }
        // New cards deck by deck, ordering only the decks that today's
        // limit reaches; a note already chosen in its deck is skipped.
        for part in &mut parts {
            if new_left == 0 {
                break;
            }
            super::introduce::order(self.decks, &mut part.new);
            for &(d, c) in &part.new {
                if new_left == 0 {
                    break;
                }
                let (deck, card) = (&self.decks[d], &self.decks[d].cards[c]);
                if part
                    .chosen
                    .insert((deck.id.as_str(), card.note_id.as_str()))
                {
                    new_left -= 1;
                    plan.new.push(card.key());
                }
            }
        }
        if due.len() > review_limit {
            due.select_nth_unstable(review_limit);
            due.truncate(review_limit);
        }
        due.sort_unstable();
        plan.reviews = due
            .into_iter()
            .map(|(_, d, c)| self.decks[d].cards[c].key())
            .collect();
        if !planned.is_empty() {
            planned.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
            let mut budgets: HashMap<usize, f32> = HashMap::new();
            for (_, _, cost, key) in planned {
                let deck = CardKey::parse(&key).deck;
                let Some(exam) = self.exam_for(deck, today) else {
                    continue;
                };
                // One budget per group of overlapping exams.
                let budget = budgets.entry(exam.group).or_insert_with(|| {
                    exam.group_minutes as f32 * 60.0 - self.seconds_today(&exam.group_decks, now)
                });
                if cost <= *budget {
                    *budget -= cost;
                    plan.reviews.push(key);
                }
            }
        }
        plan
    }

    /// Counts for `kioku due`, per deck id.
    pub fn due_counts(&self, now: Timestamp) -> Vec<(String, DueCounts)> {
        let today = self.today(now);
        let mut counts: Vec<(String, DueCounts)> = self
            .decks
            .iter()
            .map(|d| (d.id.clone(), DueCounts::default()))
            .collect();
        let index: HashMap<String, usize> = self
            .decks
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let slot = |key: &str| index.get(CardKey::parse(key).deck).copied();
        for key in &today.reviews {
            if let Some(i) = slot(key) {
                counts[i].1.due_today += 1;
                if self.state(key).due.is_some_and(|d| d <= now) {
                    counts[i].1.due_now += 1;
                }
            }
        }
        for (key, at) in &today.learning {
            if let Some(i) = slot(key) {
                counts[i].1.due_today += 1;
                if *at <= now {
                    counts[i].1.due_now += 1;
                }
            }
        }
        for key in &today.new {
            if let Some(i) = slot(key) {
                counts[i].1.new_available += 1;
            }
        }
        counts
    }
}
