//! The study queue and the [`Engine`] the session runs on: what is due
//! today within the limits, same-day relearning, sibling burying, and every
//! answer written to the progress log before the next card is shown.

use std::collections::{HashMap, HashSet, VecDeque};

use jiff::{SignedDuration, Timestamp};
use rand::RngExt;
use rand::rngs::StdRng;

use super::day::Days;
use super::history::History;
use super::key::CardKey;
use super::memory::{CardState, Memory, RELEARN_DELAY};
pub(crate) use super::plan::DailyPlan;
use crate::config::{Config, LeechAction};
use crate::deck::Deck;
use crate::error::Error;
use crate::progress::{Event, EventId, EventKind, Mode, Store};
use crate::rating::Rating;
use crate::session::{Engine, Progress};

/// How many other cards pass before a forgotten card comes back.
pub(crate) const RELEARN_AFTER: usize = 3;

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

struct Learning {
    key: String,
    due: Timestamp,
    /// Come back only once this many answers have been given in the session.
    after: usize,
}

/// Scheduler state for one run of kioku.
pub struct Scheduler<'d> {
    decks: &'d [Deck],
    config: Config,
    memory: Memory,
    days: Days,
    history: History,
    /// By the history's slots.
    states: Vec<CardState>,
    retention: HashMap<&'d str, f32>,
    /// None: answers are not saved (`quiz --no-record`).
    store: Option<Store>,
    rng: StdRng,
    queue: VecDeque<String>,
    learning: Vec<Learning>,
    answered: usize,
    /// This session's answers, newest last, for undo.
    session: Vec<(EventId, String)>,
    done: HashSet<String>,
    total: usize,
    exams: Vec<ActiveExam>,
    /// The answer count at the session's last replan (see
    /// [`Scheduler::replan`]): at most one replan per answer.
    replanned: Option<usize>,
}

impl<'d> Scheduler<'d> {
    /// Replays `events` for the loaded decks. `store` receives new events.
    pub fn new(
        decks: &'d [Deck],
        config: Config,
        events: &[Event],
        store: Option<Store>,
        days: Days,
        rng: StdRng,
    ) -> Scheduler<'d> {
        let history = History::from_events(events);
        Scheduler::from_parts(
            decks,
            config,
            history,
            Restored::Replay,
            &[],
            store,
            days,
            rng,
        )
    }

    /// A scheduler from a replayed history (a snapshot's, with its states)
    /// and the events logged since, which are applied on top in order.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        decks: &'d [Deck],
        config: Config,
        history: History,
        states: Restored,
        tail: &[Event],
        store: Option<Store>,
        days: Days,
        rng: StdRng,
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
            store,
            rng,
            queue: VecDeque::new(),
            learning: Vec::new(),
            answered: 0,
            session: Vec::new(),
            done: HashSet::new(),
            total: 0,
            exams,
            replanned: None,
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
        {
            for event in tail {
                let key = match &event.kind {
                    EventKind::Undo { target } => {
                        scheduler.history.key_of_review(*target).map(str::to_string)
                    }
                    _ => event.key().map(str::to_string),
                };
                scheduler.history.apply(event);
                if let Some(key) = key {
                    scheduler.refresh(&key);
                }
            }
        }
        scheduler
    }

    /// Every card's state from its history, on every core.
    fn replay_states(&mut self) {
        let scheduler = self;
        scheduler.history.sort_slots();
        // Every card replays on its own: use every core.
        use rayon::prelude::*;
        let keys = scheduler.history.keys_by_slot();
        let states: Vec<CardState> = keys
            .par_iter()
            .enumerate()
            .map(|(slot, key)| {
                let reviews = scheduler.history.reviews_in(slot);
                let state = scheduler.memory.state(
                    reviews,
                    scheduler.retention_after(key, reviews),
                    &scheduler.days,
                );
                scheduler.cap_for_exam(key, state)
            })
            .collect();
        scheduler.states = states;
    }

    /// Every card's due date worked out again from its memory state under
    /// the current settings, on every core ([`Restored::SameMemory`]).
    fn reschedule_states(&mut self) {
        use rayon::prelude::*;
        let states = std::mem::take(&mut self.states);
        let keys = self.history.keys_by_slot();
        let states: Vec<CardState> = keys
            .par_iter()
            .zip(states)
            .map(|(key, state)| {
                let Some(last) = state.last_review else {
                    return state;
                };
                let retention = self.retention_on(key, self.days.index(last));
                self.cap_for_exam(key, self.memory.reschedule(state, retention, &self.days))
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
        }
    }

    pub fn state(&self, key: &str) -> CardState {
        self.plan().state(key)
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
        let known: HashSet<String> = self
            .decks
            .iter()
            .flat_map(|d| d.cards.iter().map(super::super::deck::model::Card::key))
            .collect();
        let mut orphans: Vec<&str> = self
            .history
            .cards()
            .filter(|(k, r)| !r.is_empty() && !known.contains(*k))
            .map(|(k, _)| k)
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
        if self.exam_for(deck, day).is_some() {
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

    /// With an exam ahead, no interval may land after it: the card comes due
    /// on the exam's eve at the latest. After the exam, nothing is capped.
    fn cap_for_exam(&self, key: &str, mut state: CardState) -> CardState {
        let deck = CardKey::parse(key).deck;
        if let (Some(last), Some(due)) = (state.last_review, state.due)
            && let Some(exam) = self.exam_for(deck, self.days.index(last))
        {
            let eve = self.days.start(exam.day - 1).max(last);
            if due > eve {
                state.due = Some(eve);
            }
        }
        state
    }

    pub fn exams(&self) -> &[ActiveExam] {
        &self.exams
    }

    fn refresh(&mut self, key: &str) {
        let reviews = self.history.reviews_of(key);
        let retention = self.retention_after(key, reviews);
        let state = self.memory.state(reviews, retention, &self.days);
        let state = self.cap_for_exam(key, state);
        if let Some(slot) = self.history.slot(key) {
            if self.states.len() <= slot {
                self.states.resize(self.history.len(), CardState::NEW);
            }
            self.states[slot] = state;
        }
    }

    /// Fills the session queue: reviews, then new cards; relearning cards
    /// wait in their own line until their time.
    pub fn start(&mut self, now: Timestamp) {
        self.start_with(now, false);
    }

    /// [`Scheduler::start`], with the new cards before the reviews when
    /// `new_first` (a simulated student's set-up; `study` shows reviews
    /// first).
    pub(crate) fn start_with(&mut self, now: Timestamp, new_first: bool) {
        let today = self.today(now);
        self.learning = today
            .learning
            .into_iter()
            .map(|(key, due)| Learning { key, due, after: 0 })
            .collect();
        self.queue = if new_first {
            today.new.into_iter().chain(today.reviews).collect()
        } else {
            today.reviews.into_iter().chain(today.new).collect()
        };
        self.total = self.queue.len() + self.learning.len();
        self.replanned = None;
    }

    /// With an exam ahead, a session whose queue has run out plans again:
    /// its plan counted each card's expected time, so a quick sitting ends
    /// with minutes left, and the new plan (made with the minutes studied
    /// today already counted, and leaving out the cards answered today)
    /// fills them with the next cards worth studying. Returns how many
    /// cards were added. Without an exam, a new plan would hold nothing
    /// the first did not, so none is made.
    fn replan(&mut self, now: Timestamp) -> usize {
        if self.exams.is_empty() || self.replanned == Some(self.answered) {
            return 0;
        }
        self.replanned = Some(self.answered);
        let today = self.today(now);
        let added: Vec<String> = today
            .reviews
            .into_iter()
            .chain(today.new)
            .filter(|k| !self.queue.contains(k) && !self.learning.iter().any(|l| l.key == *k))
            .collect();
        self.total += added.len();
        let n = added.len();
        self.queue.extend(added);
        n
    }

    fn event(&mut self, now: Timestamp, kind: EventKind) -> Event {
        Event {
            id: EventId(self.rng.random::<u64>()),
            time: now,
            kind,
        }
    }

    fn save(&mut self, event: &Event) -> Result<(), Error> {
        if let Some(store) = &mut self.store {
            store.append(std::slice::from_ref(event))?;
        }
        self.history.apply(event);
        Ok(())
    }

    fn forget_from_queues(&mut self, key: &str) {
        self.queue.retain(|k| k != key);
        self.learning.retain(|l| l.key != key);
    }
}

impl Engine for Scheduler<'_> {
    fn next_card(&mut self, now: Timestamp) -> Option<String> {
        let ready = self
            .learning
            .iter()
            .filter(|l| l.due <= now && l.after <= self.answered)
            .min_by_key(|l| l.due);
        if let Some(l) = ready {
            return Some(l.key.clone());
        }
        if let Some(key) = self.queue.front() {
            return Some(key.clone());
        }
        // The plan is done: with exam minutes left, more of it.
        if self.replan(now) > 0 {
            return self.queue.front().cloned();
        }
        // Nothing else left: a forgotten card comes back now rather than
        // leaving the session unfinished.
        self.learning
            .iter()
            .min_by_key(|l| l.due)
            .map(|l| l.key.clone())
    }

    /// As applied: with an exam ahead, none past the exam's eve (see
    /// [`Scheduler::cap_for_exam`]).
    fn intervals(&self, key: &str, now: Timestamp) -> [SignedDuration; 4] {
        let mut intervals = self.memory.preview(
            &self.state(key),
            self.retention_on(key, self.days.index(now)),
            now,
            &self.days,
        );
        if let Some(exam) = self.exam_for(CardKey::parse(key).deck, self.days.index(now)) {
            let eve = self.days.start(exam.day - 1).max(now);
            let cap = now.duration_until(eve);
            for i in &mut intervals {
                *i = (*i).min(cap);
            }
        }
        intervals
    }

    fn record(
        &mut self,
        key: &str,
        rating: Rating,
        answer_ms: u64,
        mode: Mode,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.record_picked(key, rating, answer_ms, mode, now, None)
    }

    fn record_picked(
        &mut self,
        key: &str,
        rating: Rating,
        answer_ms: u64,
        mode: Mode,
        now: Timestamp,
        picked: Option<&str>,
    ) -> Result<(), Error> {
        let event = self.event(
            now,
            EventKind::Review {
                key: key.to_string(),
                rating,
                answer_ms: answer_ms.min(crate::progress::event::MAX_ANSWER_MS),
                mode,
                picked: picked.map(str::to_string),
            },
        );
        self.save(&event)?;
        self.refresh(key);
        self.forget_from_queues(key);
        self.answered += 1;
        self.session.push((event.id, key.to_string()));
        self.done.insert(key.to_string());
        if rating == Rating::Again {
            self.learning.push(Learning {
                key: key.to_string(),
                due: now.checked_add(RELEARN_DELAY).unwrap_or(now),
                after: self.answered + RELEARN_AFTER,
            });
        }
        let state = self.state(key);
        if state.leech
            && self.config.leech_action == LeechAction::Suspend
            && !self.history.suspended.contains(key)
        {
            let suspend = self.event(
                now,
                EventKind::Suspend {
                    key: key.to_string(),
                },
            );
            self.save(&suspend)?;
            self.forget_from_queues(key);
        }
        Ok(())
    }

    fn undo(&mut self, now: Timestamp) -> Result<Option<String>, Error> {
        let Some((id, key)) = self.session.last().cloned() else {
            return Ok(None);
        };
        let event = self.event(now, EventKind::Undo { target: id });
        self.save(&event)?;
        self.session.pop();
        self.refresh(&key);
        self.forget_from_queues(&key);
        self.answered = self.answered.saturating_sub(1);
        if !self.session.iter().any(|(_, k)| *k == key) {
            self.done.remove(&key);
        }
        self.queue.push_front(key.clone());
        Ok(Some(key))
    }

    fn bury(&mut self, key: &str, now: Timestamp) -> Result<(), Error> {
        let until = self.days.next_start(now);
        let event = self.event(
            now,
            EventKind::Bury {
                key: key.to_string(),
                until,
            },
        );
        self.save(&event)?;
        self.forget_from_queues(key);
        Ok(())
    }

    fn accept(&mut self, key: &str, answer: &str, now: Timestamp) -> Result<(), Error> {
        let event = self.event(
            now,
            EventKind::Accept {
                key: key.to_string(),
                answer: answer.to_string(),
            },
        );
        self.save(&event)
    }

    fn accepted(&self, key: &str) -> Vec<String> {
        self.history.accepted.get(key).cloned().unwrap_or_default()
    }

    fn is_new(&self, key: &str) -> bool {
        self.state(key).is_new()
    }

    fn exam(&self, key: &str, now: Timestamp) -> Option<(String, i64)> {
        let today = self.days.index(now);
        self.exam_for(CardKey::parse(key).deck, today)
            .map(|e| (e.label.clone(), e.day - today))
    }

    fn progress(&self) -> Progress {
        Progress {
            done: self.done.len(),
            total: self.total.max(self.done.len()),
        }
    }

    fn next_due(&self, now: Timestamp) -> Option<Timestamp> {
        let learning = self.learning.iter().map(|l| l.due).min();
        let reviews = self
            .history
            .keys()
            .filter_map(|(key, slot)| Some((key, self.states.get(slot)?)))
            .filter(|(key, state)| !self.suspended(key, state))
            .filter_map(|(_, state)| state.due.filter(|d| *d > now))
            .min();
        learning.into_iter().chain(reviews).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Card;
    use jiff::tz::TimeZone;
    use rand::SeedableRng;
    use std::path::PathBuf;

    fn card(deck: &str, id: &str) -> Card {
        Card::new(
            deck.into(),
            id.into(),
            id.split(':').next().unwrap_or(id).into(),
            1,
            crate::deck::Details::flip("Q", "A"),
        )
    }

    fn deck(ids: &[&str]) -> Vec<Deck> {
        vec![Deck {
            renames: Vec::new(),
            id: "d".into(),
            title: "D".into(),
            description: String::new(),
            tags: vec![],
            retention: None,
            path: PathBuf::new(),
            sources: Default::default(),
            new_order: crate::deck::NewOrder::File,
            cards: ids.iter().map(|i| card("d", i)).collect(),
        }]
    }

    fn at(day: i64, hour: i64) -> Timestamp {
        // Day 0 is 2027-01-15 (UTC); the study day starts at 04:00.
        Timestamp::from_second(EPOCH + day * 86_400 + hour * 3600).expect("time")
    }

    const EPOCH: i64 = 1_800_000_000 - 1_800_000_000 % 86_400;

    fn scheduler<'d>(decks: &'d [Deck], config: Config, events: &[Event]) -> Scheduler<'d> {
        Scheduler::new(
            decks,
            config,
            events,
            None,
            Days::new(TimeZone::UTC, 4),
            rand::rngs::StdRng::seed_from_u64(1),
        )
    }

    fn answer(s: &mut Scheduler, now: Timestamp, rating: Rating) -> String {
        let key = s.next_card(now).expect("a card");
        s.record(&key, rating, 1000, Mode::Study, now)
            .expect("record");
        key
    }

    #[test]
    fn new_cards_respect_the_daily_limit_and_roll_over() {
        let decks = deck(&["a", "b", "c", "d"]);
        let config = Config {
            new_per_day: 2,
            ..Config::default()
        };
        let mut s = scheduler(&decks, config.clone(), &[]);
        s.start(at(0, 10));
        assert_eq!(s.progress().total, 2);
        answer(&mut s, at(0, 10), Rating::Good);
        answer(&mut s, at(0, 10), Rating::Good);
        assert_eq!(s.next_card(at(0, 11)), None);
        // Still the same study day at 03:00 the next morning.
        assert!(s.today(at(1, 3)).new.is_empty());
        // After 04:00 two more new cards are allowed.
        assert_eq!(s.today(at(1, 5)).new, ["d/c", "d/d"]);
    }

    #[test]
    fn new_cards_are_introduced_spread_one_card_per_note() {
        let mut decks = deck(&["a", "a:reverse", "b", "c", "d", "e", "f", "g", "h"]);
        decks[0].new_order = crate::deck::NewOrder::Spread;
        let s = scheduler(&decks, Config::default(), &[]);
        let new = s.today(at(0, 10)).new;
        assert_eq!(new.len(), 8, "one card of note a: {new:?}");
        assert!(!(new.contains(&"d/a".to_string()) && new.contains(&"d/a:reverse".to_string())));
        let file: Vec<String> = ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .map(|i| format!("d/{i}"))
            .collect();
        assert_ne!(new, file, "not the file's order");
    }

    #[test]
    fn new_cards_run_on_into_the_next_deck_when_one_is_exhausted() {
        let mut decks = deck(&["a", "b"]);
        let mut second = deck(&["x", "y", "z"]).remove(0);
        second.id = "e".into();
        for card in &mut second.cards {
            card.deck_id = "e".into();
        }
        second.new_order = crate::deck::NewOrder::Spread;
        decks.push(second);
        let config = Config {
            new_per_day: 4,
            ..Config::default()
        };
        let s = scheduler(&decks, config, &[]);
        let new = s.today(at(0, 10)).new;
        assert_eq!(new.len(), 4, "{new:?}");
        assert_eq!(new[..2], ["d/a", "d/b"]);
        assert!(new[2..].iter().all(|k| k.starts_with("e/")), "{new:?}");
    }

    #[test]
    fn a_forgotten_card_comes_back_after_other_cards_until_passed() {
        let decks = deck(&["a", "b", "c", "d", "e"]);
        let mut s = scheduler(&decks, Config::default(), &[]);
        let t = at(0, 10);
        s.start(t);
        assert_eq!(answer(&mut s, t, Rating::Again), "d/a");
        let later = t + SignedDuration::from_mins(5);
        let mut order = Vec::new();
        for _ in 0..4 {
            order.push(answer(&mut s, later, Rating::Good));
        }
        assert_eq!(
            order,
            ["d/b", "d/c", "d/d", "d/a"],
            "back after {RELEARN_AFTER} other cards"
        );
        assert_eq!(answer(&mut s, later, Rating::Good), "d/e");
        assert_eq!(s.next_card(later), None, "passed: not shown again today");
        assert!(s.state("d/a").due > Some(later));
    }

    #[test]
    fn relearning_continues_when_nothing_else_is_left() {
        let decks = deck(&["a"]);
        let mut s = scheduler(&decks, Config::default(), &[]);
        s.start(at(0, 10));
        answer(&mut s, at(0, 10), Rating::Again);
        assert_eq!(s.next_card(at(0, 10)).as_deref(), Some("d/a"));
        answer(&mut s, at(0, 10), Rating::Good);
        assert_eq!(s.next_card(at(0, 10)), None);
    }

    #[test]
    fn siblings_are_not_shown_on_the_same_day() {
        let decks = deck(&["n:c1", "n:c2", "m", "m:reverse"]);
        let mut s = scheduler(&decks, Config::default(), &[]);
        s.start(at(0, 10));
        assert_eq!(s.today(at(0, 10)).new, ["d/n:c1", "d/m"]);
        answer(&mut s, at(0, 10), Rating::Good);
        answer(&mut s, at(0, 10), Rating::Good);
        assert!(
            s.today(at(0, 12)).new.is_empty(),
            "siblings wait for tomorrow"
        );
        assert_eq!(s.today(at(1, 12)).new, ["d/n:c2", "d/m:reverse"]);
    }

    #[test]
    fn reviews_come_due_and_the_review_limit_holds() {
        let decks = deck(&["a", "b", "c"]);
        let mut s = scheduler(&decks, Config::default(), &[]);
        s.start(at(0, 10));
        for _ in 0..3 {
            answer(&mut s, at(0, 10), Rating::Good);
        }
        let due_day = s.state("d/a").interval_days as i64;
        assert!(s.today(at(due_day - 1, 12)).reviews.is_empty() || due_day <= 1);
        assert_eq!(s.today(at(due_day + 5, 12)).reviews.len(), 3);
        let mut limited = s;
        limited.config.reviews_per_day = 1;
        assert_eq!(limited.today(at(due_day + 5, 12)).reviews.len(), 1);
    }

    #[test]
    fn undo_restores_the_card_and_logs_an_undo() {
        let decks = deck(&["a", "b"]);
        let mut s = scheduler(&decks, Config::default(), &[]);
        s.start(at(0, 10));
        let key = answer(&mut s, at(0, 10), Rating::Easy);
        assert!(!s.state(&key).is_new());
        assert_eq!(s.undo(at(0, 10)).expect("undo"), Some(key.clone()));
        assert!(s.state(&key).is_new());
        assert_eq!(s.next_card(at(0, 10)), Some(key));
        assert_eq!(s.progress().done, 0);
    }

    #[test]
    fn leeches_are_flagged_and_suspended_when_configured() {
        let decks = deck(&["a"]);
        let config = Config {
            leech_threshold: 2,
            leech_action: LeechAction::Suspend,
            ..Config::default()
        };
        let mut s = scheduler(&decks, config, &[]);
        for day in 0..6 {
            s.start(at(day * 40, 10));
            while let Some(key) = s.next_card(at(day * 40, 10)) {
                let rating = if s.state(&key).reviews.is_multiple_of(2) {
                    Rating::Good
                } else {
                    Rating::Again
                };
                s.record(&key, rating, 1000, Mode::Study, at(day * 40, 10))
                    .expect("record");
                if s.state(&key).leech {
                    break;
                }
            }
        }
        assert!(s.state("d/a").leech);
        assert!(s.history().suspended.contains("d/a"));
        assert!(
            s.today(at(400, 10)).reviews.is_empty(),
            "suspended cards are not shown"
        );
    }

    #[test]
    fn burying_hides_until_the_next_day_and_orphans_are_kept() {
        let decks = deck(&["a"]);
        let orphan = Event {
            id: EventId(9),
            time: at(-3, 10),
            kind: EventKind::Review {
                key: "gone/x".into(),
                rating: Rating::Good,
                answer_ms: 1,
                mode: Mode::Study,
                picked: None,
            },
        };
        let mut s = scheduler(&decks, Config::default(), &[orphan]);
        s.start(at(0, 10));
        s.bury("d/a", at(0, 10)).expect("bury");
        assert_eq!(s.next_card(at(0, 10)), None);
        assert!(s.today(at(0, 23)).new.is_empty());
        assert_eq!(s.today(at(1, 5)).new, ["d/a"]);
        assert_eq!(s.orphans(), ["gone/x"]);
    }

    fn with_exam(ids: &[&str], exam_date: &str, minutes: u32) -> (Vec<Deck>, Config) {
        let config = Config {
            new_per_day: 2,
            exams: vec![crate::config::ExamConfig {
                name: None,
                date: exam_date.into(),
                decks: vec!["d".into()],
                minutes_per_day: minutes,
            }],
            ..Config::default()
        };
        (deck(ids), config)
    }

    #[test]
    fn an_exam_plans_by_value_within_the_minutes_and_caps_intervals() {
        // Day 0 is 2027-01-15; the exam is ten days later.
        let ids: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (decks, config) = with_exam(&ids, "2027-01-25", 5);
        let mut s = scheduler(&decks, config, &[]);
        let today = s.today(at(0, 10));
        // Five minutes of ~18 s learning each: about 16 new cards, beyond
        // the 2-a-day limit that applies without an exam.
        assert!(
            today.reviews.len() > 2 && today.reviews.len() < 25,
            "{}",
            today.reviews.len()
        );
        s.start(at(0, 10));
        let key = answer(&mut s, at(0, 10), Rating::Easy);
        let eve = s.days().start(s.days().index(at(9, 10)));
        assert!(
            s.state(&key).due <= Some(eve),
            "no interval lands after the exam"
        );
        // After the exam, normal scheduling: the daily new-card limit again.
        assert_eq!(s.today(at(11, 10)).new.len(), 2);
    }

    #[test]
    fn a_session_whose_exam_plan_runs_out_with_minutes_left_plans_again() {
        // Five minutes planned at ~18 s a card; the learner takes 3 s.
        let ids: Vec<String> = (0..60).map(|i| format!("c{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (decks, config) = with_exam(&ids, "2027-01-25", 5);
        let mut s = scheduler(&decks, config, &[]);
        let planned = s.today(at(0, 10)).reviews.len();
        s.start(at(0, 10));
        let mut now = at(0, 10);
        let mut answered = std::collections::HashSet::new();
        while let Some(key) = s.next_card(now) {
            assert!(answered.insert(key.clone()), "{key} asked twice");
            s.record(&key, Rating::Good, 2000, Mode::Study, now)
                .expect("record");
            now = now.checked_add(SignedDuration::from_secs(3)).expect("time");
            assert!(answered.len() <= 60);
        }
        assert!(
            answered.len() > planned + 10,
            "{} answered, {planned} planned",
            answered.len()
        );
        // Five minutes at 3 s a card: the minutes bound the session.
        let minutes = now.duration_since(at(0, 10)).as_secs_f64() / 60.0;
        assert!(minutes <= 5.5, "{minutes}");
        assert_eq!(s.progress().total, answered.len());
        // Without an exam, the session ends with its plan.
        let plain_decks = deck(&ids);
        let mut plain = scheduler(&plain_decks, Config::default(), &[]);
        plain.start(at(0, 10));
        let mut n = 0;
        while let Some(key) = plain.next_card(at(0, 10)) {
            plain
                .record(&key, Rating::Good, 2000, Mode::Study, at(0, 10))
                .expect("record");
            n += 1;
        }
        assert_eq!(n, Config::default().new_per_day as usize);
    }

    #[test]
    fn with_an_exam_a_quick_card_is_planned_before_a_slow_one() {
        let (decks, config) = with_exam(&["a", "b"], "2027-01-25", 10);
        let mut s = scheduler(&decks, config, &[]);
        // The same answers, but "a" took ten times as long as "b".
        for day in [0, 3] {
            for (key, ms) in [("d/a", 20_000), ("d/b", 2_000)] {
                s.record(key, Rating::Good, ms, Mode::Study, at(day, 10))
                    .expect("record");
            }
        }
        let mean = 11_000.0;
        let plan = s.plan();
        assert!(plan.card_time_factor("d/a", mean) > 1.5);
        assert!(plan.card_time_factor("d/b", mean) < 0.7);
        let reviews = s.today(at(8, 10)).reviews;
        assert_eq!(reviews, ["d/b", "d/a"]);
    }

    #[test]
    fn an_exam_ahead_schedules_for_exam_retention() {
        // An exam far enough ahead that no cap applies: a Good answer's
        // interval is FSRS's for 80% retention, longer than for 90%.
        let (decks, config) = with_exam(&["a", "b"], "2028-06-01", 30);
        let mut exam = scheduler(&decks, config, &[]);
        let plain_decks = deck(&["a", "b"]);
        let mut plain = scheduler(&plain_decks, Config::default(), &[]);
        for s in [&mut exam, &mut plain] {
            s.start(at(0, 10));
            answer(s, at(0, 10), Rating::Good);
        }
        // A second Good answer four days later gives an interval of weeks.
        let good = |s: &mut Scheduler| {
            let key = "d/a".to_string();
            s.record(&key, Rating::Good, 1000, Mode::Study, at(4, 10))
                .expect("record");
            s.state(&key).interval_days
        };
        let (with_exam, without) = (good(&mut exam), good(&mut plain));
        assert!(with_exam > without, "{with_exam} vs {without}");
        // The intervals shown for the ratings follow the same retention.
        let shown = |s: &Scheduler| s.intervals("d/b", at(5, 10))[2];
        assert!(shown(&exam) >= shown(&plain));
    }

    #[test]
    fn the_interval_shown_is_the_one_applied_before_an_exam() {
        let (decks, config) = with_exam(&["a"], "2027-01-18", 10);
        let mut s = scheduler(&decks, config, &[]);
        s.start(at(0, 10));
        let shown = s.intervals("d/a", at(0, 10))[3];
        s.record("d/a", Rating::Easy, 1000, Mode::Study, at(0, 10))
            .expect("record");
        let due = s.state("d/a").due.expect("due");
        assert_eq!(at(0, 10).duration_until(due), shown);
        assert!(shown <= SignedDuration::from_hours(3 * 24), "{shown:?}");
    }

    #[test]
    fn time_per_card_counts_the_feedback_and_overlapping_exams_share_minutes() {
        let ids: Vec<String> = (0..60).map(|i| format!("c{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (decks, config) = with_exam(&ids, "2027-01-25", 120);
        let mut s = scheduler(&decks, config, &[]);
        s.start(at(0, 10));
        // 25 answers logged at 2 s each, 10 s apart: 10 s a card.
        for i in 0..25 {
            let key = s.next_card(at(0, 10)).expect("a card");
            let now = at(0, 10)
                .checked_add(SignedDuration::from_secs(10 * i))
                .expect("time");
            s.record(&key, Rating::Good, 2000, Mode::Study, now)
                .expect("record");
        }
        let (seconds, n) = s.plan().card_seconds().expect("gaps");
        assert_eq!(n, 24);
        assert!((seconds - 10.0).abs() < 0.01, "{seconds}");
        // A second exam over that deck and another: the other deck's cards
        // plan toward it, within the same day's minutes, not ten more.
        let (mut decks, mut config) = with_exam(&ids, "2027-01-25", 10);
        let mut other = decks[0].clone();
        other.id = "e".into();
        for c in &mut other.cards {
            c.deck_id = "e".into();
        }
        decks.push(other);
        let one = scheduler(&decks, config.clone(), &[])
            .today(at(1, 10))
            .reviews
            .len();
        let mut second = config.exams[0].clone();
        second.name = Some("later".into());
        second.date = "2027-01-28".into();
        second.decks = vec!["d".into(), "e".into()];
        config.exams.push(second);
        let both = scheduler(&decks, config, &[])
            .today(at(1, 10))
            .reviews
            .len();
        assert!(both <= one + 1, "{one} vs {both}");
    }
}
