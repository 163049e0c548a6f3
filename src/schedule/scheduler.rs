//! The cards' states from the log, kept up to date as events come in, and
//! what follows from them: today's plan within the limits and exams
//! ([`DailyPlan`]), due counts, the intervals an answer would give. The
//! session that runs on them is the [`super::queue::SessionQueue`].

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};

use super::day::Days;
use super::history::History;
use super::key::CardKey;
use super::memory::{CardState, Memory};
pub(crate) use super::plan::DailyPlan;
use crate::config::Config;
use crate::deck::Deck;
use crate::progress::{Event, EventKind};

/// A revision to make: what it is solved from, for which day and exam,
/// and the prices of the group's last revision (its day, its prices) to
/// start from.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub inputs: crate::exam::revise::Inputs,
    pub day: i64,
    pub exam_day: i64,
    pub warm: Option<(i64, crate::exam::revise::Prices)>,
}

impl Wanted {
    /// The revision, solved (from a fraction of a second to seconds).
    pub fn make(&self) -> Option<crate::exam::revise::Revision> {
        let warm = self.warm.as_ref().map(|(d, p)| (*d, p));
        crate::exam::revise::revise(&self.inputs, self.day, self.exam_day, warm)
    }
}

/// What today holds, per the limits.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Today {
    /// Reviews due by the end of the study day, most overdue first.
    pub reviews: Vec<String>,
    /// Cards in same-day relearning, with when they may come back.
    pub learning: Vec<(String, Timestamp)>,
    /// New cards to introduce, in deck order.
    pub new: Vec<String>,
}

/// Per-deck counts for `kioku due`.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct DueCounts {
    pub due_now: usize,
    pub due_today: usize,
    pub new_available: usize,
}

/// An exam still ahead, from the settings.
#[derive(Debug, Clone)]
pub struct ActiveExam {
    /// Its name, or its date when it has none: what the learner sees.
    pub label: String,
    /// The exam's study day.
    pub day: i64,
    pub decks: HashSet<String>,
    pub minutes_per_day: u32,
    /// Exams whose decks overlap (directly or through another) share one
    /// day's minutes: the learner has one day, not one per exam. The
    /// group's daily minutes are the largest any of them asks for.
    pub group: usize,
    pub group_minutes: u32,
    /// Every deck of the group, for the minutes already studied today.
    pub group_decks: HashSet<String>,
}

impl ActiveExam {
    /// Exams from the settings, grouped by overlapping decks.
    pub fn from_config(exams: &[crate::config::ExamConfig], days: &Days) -> Vec<ActiveExam> {
        let mut active: Vec<ActiveExam> = exams
            .iter()
            .filter_map(|e| {
                let date: jiff::civil::Date = e.date.parse().ok()?;
                Some(ActiveExam {
                    label: e.name.clone().unwrap_or_else(|| e.date.clone()),
                    day: days.index_of_date(date),
                    decks: e.decks.iter().cloned().collect(),
                    minutes_per_day: e.minutes_per_day,
                    group: 0,
                    group_minutes: e.minutes_per_day,
                    group_decks: HashSet::new(),
                })
            })
            .collect();
        // Union of overlapping deck sets, until nothing changes (a handful
        // of exams at most).
        let mut group: Vec<usize> = (0..active.len()).collect();
        let mut changed = true;
        while changed {
            changed = false;
            for i in 0..active.len() {
                for j in 0..active.len() {
                    if group[j] > group[i] && !active[i].decks.is_disjoint(&active[j].decks) {
                        group[j] = group[i];
                        changed = true;
                    }
                }
            }
        }
        for i in 0..active.len() {
            let members: Vec<usize> = (0..active.len())
                .filter(|&j| group[j] == group[i])
                .collect();
            let minutes = members.iter().map(|&j| active[j].minutes_per_day).max();
            let decks: HashSet<String> = members
                .iter()
                .flat_map(|&j| active[j].decks.iter().cloned())
                .collect();
            active[i].group = group[i];
            active[i].group_minutes = minutes.unwrap_or(active[i].minutes_per_day);
            active[i].group_decks = decks;
        }
        active
    }
}

/// The card states a scheduler opens with, from a snapshot.
pub enum Restored {
    /// Derived under the current settings.
    Current(Vec<CardState>),
    /// Derived under other settings with the same FSRS parameters and day
    /// bounds: the memory states hold, and only the due dates are worked
    /// out again (a new retention, longest interval or exam).
    SameMemory(Vec<CardState>),
    /// None that serve: replayed from the histories.
    Replay,
}

/// The cards' states for one run of kioku.
pub struct Scheduler<'d> {
    decks: &'d [Deck],
    config: Config,
    memory: Memory,
    days: Days,
    history: History,
    /// By the history's slots.
    states: Vec<CardState>,
    retention: rustc_hash::FxHashMap<&'d str, f32>,
    exams: Vec<ActiveExam>,
    /// Revisions made ahead for the exams ([`Scheduler::revise`]).
    revisions: Vec<crate::exam::revise::Revision>,
}

impl<'d> Scheduler<'d> {
    /// Replays `events` for the loaded decks.
    pub fn new(decks: &'d [Deck], config: Config, events: &[Event], days: Days) -> Scheduler<'d> {
        let history = History::from_events(events);
        Scheduler::from_parts(decks, config, history, Restored::Replay, &[], days)
    }

    /// A scheduler from a replayed history (a snapshot's, with its states)
    /// and the events logged since, which are applied on top in order.
    pub fn from_parts(
        decks: &'d [Deck],
        config: Config,
        history: History,
        states: Restored,
        tail: &[Event],
        days: Days,
    ) -> Scheduler<'d> {
        let memory = Memory::new(&config);
        let exams = ActiveExam::from_config(&config.exams, &days);
        let retention = decks
            .iter()
            .map(|d| {
                (
                    d.id.as_str(),
                    d.retention.unwrap_or(config.desired_retention),
                )
            })
            .collect();
        let mut scheduler = Scheduler {
            decks,
            config,
            memory,
            days,
            history,
            states: Vec::new(),
            retention,
            exams,
            revisions: Vec::new(),
        };
        match states {
            Restored::Current(states) => scheduler.states = states,
            Restored::SameMemory(states) if states.len() == scheduler.history.len() => {
                scheduler.states = states;
                scheduler.reschedule_states();
            }
            Restored::SameMemory(_) | Restored::Replay => {
                // States from the histories alone: the tail joins the
                // history first.
                for event in tail {
                    scheduler.history.apply(event);
                }
                scheduler.replay_states();
                return scheduler;
            }
        }
        for event in tail {
            scheduler.apply(event);
        }
        scheduler
    }

    /// An event logged after those replayed: into the history, and the
    /// card it concerns (an undo's, the card of the answer it takes back)
    /// worked out again.
    pub fn apply(&mut self, event: &Event) {
        let key = match &event.kind {
            EventKind::Undo { target } => self.history.key_of_review(*target).map(str::to_string),
            _ => event.key().map(str::to_string),
        };
        self.history.apply(event);
        if let Some(key) = key {
            self.refresh(&key);
        }
    }

    /// Every card's state from its history, on every core.
    fn replay_states(&mut self) {
        let scheduler = self;
        scheduler.history.sort_slots();
        // Every card replays on its own: use every core.
        use rayon::prelude::*;
        let history = &scheduler.history;
        let states: Vec<CardState> = (0..history.len())
            .into_par_iter()
            .map(|slot| {
                let key = history.key_in(slot);
                let reviews = scheduler.history.reviews_in(slot);
                let state = scheduler.memory.state(
                    reviews,
                    scheduler.retention_after(key, reviews),
                    &scheduler.days,
                );
                scheduler.for_exam(key, state)
            })
            .collect();
        scheduler.states = states;
    }

    /// Every card's due date worked out again from its memory state under
    /// the current settings, on every core ([`Restored::SameMemory`]).
    fn reschedule_states(&mut self) {
        use rayon::prelude::*;
        let states = std::mem::take(&mut self.states);
        let history = &self.history;
        let states: Vec<CardState> = (0..history.len())
            .into_par_iter()
            .map(|slot| history.key_in(slot))
            .zip(states)
            .map(|(key, state)| {
                let Some(last) = state.last_review else {
                    return state;
                };
                let retention = if self.exams.is_empty() {
                    self.retention_of(key)
                } else {
                    self.retention_on(key, self.days.index(last))
                };
                self.for_exam(key, self.memory.reschedule(state, retention, &self.days))
            })
            .collect();
        self.states = states;
    }

    /// The replayed states by the history's slots, for a snapshot.
    pub fn states(&self) -> &[CardState] {
        &self.states
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn memory(&self) -> &Memory {
        &self.memory
    }

    pub fn days(&self) -> &Days {
        &self.days
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The day's plan over the current states: pure, so that it can be
    /// asked about any day (the exam planner's simulation steps through
    /// days with it).
    pub fn plan(&self) -> DailyPlan<'_> {
        DailyPlan {
            decks: self.decks,
            history: &self.history,
            states: &self.states,
            config: &self.config,
            days: &self.days,
            exams: &self.exams,
            memory: &self.memory,
            revisions: &self.revisions,
        }
    }

    pub fn state(&self, key: &str) -> CardState {
        self.plan().state(key)
    }

    /// The revisions each exam group still needs for the study day of
    /// `now`, with what each is solved from (see [`crate::exam::revise`]).
    /// Groups whose exams fall on different days, or too far ahead, keep
    /// the value ranking.
    pub fn revisions_wanted(&self, now: Timestamp) -> Vec<Wanted> {
        let today = self.days.index(now);
        let plan = self.plan();
        let mut wanted: Vec<Wanted> = Vec::new();
        for exam in &self.exams {
            let group = &exam.group_decks;
            if plan.revision_for(exam, today).is_some()
                || wanted.iter().any(|w| w.inputs.decks == *group)
            {
                continue;
            }
            let Some(inputs) = plan.revision_inputs(exam, now) else {
                continue;
            };
            let warm = self
                .revisions
                .iter()
                .find(|r| r.exam_day == exam.day && r.decks == *group && r.day < today)
                .map(|r| (r.day, r.prices.clone()));
            wanted.push(Wanted {
                inputs,
                day: today,
                exam_day: exam.day,
                warm,
            });
        }
        wanted
    }

    /// Follows `revision` from now on, in place of its group's earlier one.
    pub fn put_revision(&mut self, revision: crate::exam::revise::Revision) {
        self.revisions
            .retain(|r| !(r.decks == revision.decks && r.exam_day == revision.exam_day));
        self.revisions.push(revision);
    }

    /// Makes the revisions [`Scheduler::revisions_wanted`] for `now`, here
    /// and now (the simulation's morning; `study` makes them beside its
    /// session).
    pub fn revise(&mut self, now: Timestamp) {
        for w in self.revisions_wanted(now) {
            if let Some(r) = w.make() {
                self.put_revision(r);
            }
        }
    }

    /// The revisions kept in `dir` for the log named `log_name`: each exam
    /// group's latest, for today or to start today's from.
    pub fn load_revisions(&mut self, dir: &std::path::Path, log_name: &str) {
        use crate::exam::revise::Revision;
        let mut seen: Vec<&HashSet<String>> = Vec::new();
        let mut loaded = Vec::new();
        for exam in &self.exams {
            if seen.contains(&&exam.group_decks) {
                continue;
            }
            seen.push(&exam.group_decks);
            let path = Revision::cache_file(dir, log_name, exam.day, &exam.group_decks);
            if let Some(r) = Revision::load(&path) {
                loaded.push(r);
            }
        }
        for r in loaded {
            self.put_revision(r);
        }
    }

    /// The exam nearest ahead of study day `day` that covers `deck`.
    pub fn exam_for(&self, deck: &str, day: i64) -> Option<&ActiveExam> {
        self.plan().exam_for(deck, day)
    }

    /// See [`DailyPlan::planner`].
    pub fn planner(&self) -> crate::exam::Planner<'_> {
        self.plan().planner()
    }

    /// See [`DailyPlan::card_now`].
    pub fn card_now(&self, key: &str, now: Timestamp) -> crate::exam::CardNow {
        self.plan().card_now(key, now)
    }

    /// See [`DailyPlan::seconds_today`].
    pub fn seconds_today(&self, decks: &HashSet<String>, now: Timestamp) -> f32 {
        self.plan().seconds_today(decks, now)
    }

    fn suspended(&self, key: &str, state: &CardState) -> bool {
        self.plan().suspended(key, state)
    }

    /// Today's cards within the limits, siblings apart.
    pub fn today(&self, now: Timestamp) -> Today {
        self.plan().today(now)
    }

    /// Counts for `kioku due`, per deck id.
    pub fn due_counts(&self, now: Timestamp) -> Vec<(String, DueCounts)> {
        self.plan().due_counts(now)
    }

    /// Keys with reviews that no loaded deck has: kept, never dropped.
    pub fn orphans(&self) -> Vec<&str> {
        // The history's slots that a deck's card claims, looked up with one
        // key buffer (a set of every card's key cost `stats` a quarter of
        // its time on 100,000 cards).
        let mut known = vec![false; self.history.len()];
        let mut key = String::new();
        for deck in self.decks {
            for card in &deck.cards {
                card.key_into(&mut key);
                if let Some(slot) = self.history.slot(&key) {
                    known[slot] = true;
                }
            }
        }
        let mut orphans: Vec<&str> = (0..self.history.len())
            .filter(|&slot| !known[slot] && !self.history.reviews_in(slot).is_empty())
            .map(|slot| self.history.key_in(slot))
            .collect();
        orphans.sort_unstable();
        orphans
    }

    /// The retention a card is scheduled for after these reviews: that of
    /// the day of the last one.
    fn retention_after(&self, key: &str, reviews: &[super::Review]) -> f32 {
        let day = reviews
            .last()
            .map_or(i64::MIN, |r| self.days.index(r.time()));
        self.retention_on(key, day)
    }

    /// The retention for a card answered on study day `day`: exam mode's
    /// while an exam of its deck is ahead, else the deck's or the setting.
    fn retention_on(&self, key: &str, day: i64) -> f32 {
        let deck = CardKey::parse(key).deck;
        if !self.exams.is_empty() && self.exam_for(deck, day).is_some() {
            return crate::exam::EXAM_RETENTION;
        }
        self.retention_of(key)
    }

    fn retention_of(&self, key: &str) -> f32 {
        let deck = CardKey::parse(key).deck;
        self.retention
            .get(deck)
            .copied()
            .unwrap_or(self.config.desired_retention)
    }

    /// With an exam ahead, when the card comes due (see
    /// [`Scheduler::exam_due`]). After the exam, nothing changes.
    fn for_exam(&self, key: &str, mut state: CardState) -> CardState {
        if self.exams.is_empty() {
            return state;
        }
        let deck = CardKey::parse(key).deck;
        if let (Some(last), Some(due)) = (state.last_review, state.due)
            && let Some(exam) = self.exam_for(deck, self.days.index(last))
        {
            state.due = Some(self.exam_due(exam, last, due, state.relearning));
        }
        state
    }

    /// When a card answered at `last`, due at `due`, comes due with `exam`
    /// ahead: never after the exam's eve; and forgotten, not before the
    /// next study day, even on the eve (a relearning step the same day adds
    /// little to its recall on exam day; the planner takes it up again,
    /// valued with the others).
    fn exam_due(
        &self,
        exam: &ActiveExam,
        last: Timestamp,
        due: Timestamp,
        forgotten: bool,
    ) -> Timestamp {
        let due = due.min(self.days.start(exam.day - 1).max(last));
        if forgotten {
            due.max(self.days.next_start(last))
        } else {
            due
        }
    }

    pub fn exams(&self) -> &[ActiveExam] {
        &self.exams
    }

    fn refresh(&mut self, key: &str) {
        let reviews = self.history.reviews_of(key);
        let retention = self.retention_after(key, reviews);
        let state = self.memory.state(reviews, retention, &self.days);
        let state = self.for_exam(key, state);
        if let Some(slot) = self.history.slot(key) {
            if self.states.len() <= slot {
                self.states.resize(self.history.len(), CardState::NEW);
            }
            self.states[slot] = state;
        }
    }
}

impl Scheduler<'_> {
    /// The interval each rating would give the card now, Again to Easy, as
    /// applied: with an exam ahead, none past the exam's eve (see
    /// [`Scheduler::for_exam`]).
    pub fn intervals(&self, key: &str, now: Timestamp) -> [SignedDuration; 4] {
        let mut intervals = self.memory.preview(
            &self.state(key),
            self.retention_on(key, self.days.index(now)),
            now,
            &self.days,
        );
        if let Some(exam) = self.exam_for(CardKey::parse(key).deck, self.days.index(now)) {
            // Again is the one rating that leaves the card forgotten.
            for (rating, interval) in intervals.iter_mut().enumerate() {
                let due = now.checked_add(*interval).unwrap_or(now);
                *interval = now.duration_until(self.exam_due(exam, now, due, rating == 0));
            }
        }
        intervals
    }

    /// The exam ahead that the card is studied toward, and the days left.
    pub fn exam_ahead(&self, key: &str, now: Timestamp) -> Option<(String, i64)> {
        let today = self.days.index(now);
        self.exam_for(CardKey::parse(key).deck, today)
            .map(|e| (e.label.clone(), e.day - today))
    }

    /// When the next review falls due after `now`.
    pub fn next_review(&self, now: Timestamp) -> Option<Timestamp> {
        self.history
            .keys()
            .filter_map(|(key, slot)| Some((key, self.states.get(slot)?)))
            .filter(|(key, state)| !self.suspended(key, state))
            .filter_map(|(_, state)| state.due.filter(|d| *d > now))
            .min()
    }
}
