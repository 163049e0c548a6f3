//! The session queue: one sitting's cards in order, same-day relearning,
//! undo, and every answer written to the log it is given before the next
//! card is shown. It is the [`Engine`] a session runs on; the cards' states
//! and the day's plan are the [`Scheduler`]'s, which it keeps up to date.

use std::collections::{HashSet, VecDeque};

use jiff::{SignedDuration, Timestamp};
use rand::RngExt;
use rand::rngs::StdRng;

use super::scheduler::Scheduler;
use crate::config::LeechAction;
use crate::error::Error;
use crate::progress::{Event, EventId, EventKind, Mode, Store};
use crate::rating::Rating;
use crate::session::{Engine, Progress};

/// How many other cards pass before a forgotten card comes back.
pub(crate) const RELEARN_AFTER: usize = 3;

/// A card forgotten in this session, waiting to come back.
struct Learning {
    key: String,
    due: Timestamp,
    /// Come back only once this many answers have been given in the session.
    after: usize,
}

/// One session over a scheduler, writing to the log it was given.
pub(crate) struct SessionQueue<'d> {
    scheduler: Scheduler<'d>,
    /// Where answers go, locked for this session; None: not saved (`quiz
    /// --no-record`, the exam simulation).
    log: Option<Store>,
    /// Makes event ids.
    ids: StdRng,
    queue: VecDeque<String>,
    learning: Vec<Learning>,
    answered: usize,
    /// This session's answers, newest last, for undo.
    session: Vec<(EventId, String)>,
    done: HashSet<String>,
    total: usize,
    /// The answer count at the session's last replan (see
    /// [`SessionQueue::replan`]): at most one replan per answer.
    replanned: Option<usize>,
    /// The snapshot written beside the session: started when the first
    /// card is asked for, finished when the session ends.
    saving: Option<super::open::Saving>,
    /// Exam revisions being made beside the session
    /// ([`SessionQueue::revise_beside`]).
    revising: Option<std::sync::mpsc::Receiver<crate::exam::revise::Revision>>,
}

impl<'d> SessionQueue<'d> {
    /// A session with nothing queued yet ([`SessionQueue::start`] fills
    /// it; a quiz records answers without a queue).
    pub(crate) fn new(
        scheduler: Scheduler<'d>,
        log: Option<Store>,
        ids: StdRng,
    ) -> SessionQueue<'d> {
        SessionQueue {
            scheduler,
            log,
            ids,
            queue: VecDeque::new(),
            learning: Vec::new(),
            answered: 0,
            session: Vec::new(),
            done: HashSet::new(),
            total: 0,
            replanned: None,
            saving: None,
            revising: None,
        }
    }

    /// Waits, when the session ends, for the snapshot being written beside
    /// it ([`super::open`]).
    pub(crate) fn join_at_end(mut self, saving: Option<super::open::Saving>) -> Self {
        self.saving = saving;
        self
    }

    pub(crate) fn scheduler(&self) -> &Scheduler<'d> {
        &self.scheduler
    }

    /// Fills the queue from the day's plan: reviews, then new cards;
    /// relearning cards wait in their own line until their time.
    pub(crate) fn start(&mut self, now: Timestamp) {
        self.start_with(now, false);
    }

    /// [`SessionQueue::start`], with the new cards before the reviews when
    /// `new_first` (a simulated student's set-up; `study` shows reviews
    /// first).
    pub(crate) fn start_with(&mut self, now: Timestamp, new_first: bool) {
        let today = self.scheduler.today(now);
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

    /// Makes, each on a thread of its own, the exam revisions today still
    /// needs ([`Scheduler::revisions_wanted`]): a solve takes from a
    /// fraction of a second to seconds, and the first card does not wait
    /// for it. Until one arrives the session follows the value ranking;
    /// then the rest of the day follows the revision. Each is kept in
    /// `cache` (the cache directory and the log's name) for the next
    /// session.
    pub(crate) fn revise_beside(
        &mut self,
        now: Timestamp,
        cache: Option<(std::path::PathBuf, String)>,
    ) {
        let wanted = self.scheduler.revisions_wanted(now);
        if wanted.is_empty() {
            return;
        }
        let (made, arrived) = std::sync::mpsc::channel();
        for w in wanted {
            let made = made.clone();
            let cache = cache.clone();
            std::thread::spawn(move || {
                let Some(r) = w.make() else { return };
                if let Some((dir, log_name)) = &cache {
                    let path = crate::exam::revise::Revision::cache_file(
                        dir, log_name, r.exam_day, &r.decks,
                    );
                    r.save(&path);
                }
                let _ = made.send(r);
            });
        }
        self.revising = Some(arrived);
    }

    /// Follows the revisions made since the last card: the rest of the
    /// day's plan is made again with them.
    fn adopt_revisions(&mut self, now: Timestamp) {
        let Some(arrived) = &self.revising else {
            return;
        };
        let made: Vec<_> = arrived.try_iter().collect();
        if made.is_empty() {
            return;
        }
        for r in made {
            self.scheduler.put_revision(r);
        }
        self.plan_rest(now);
    }

    /// Makes today's revisions here and now and follows them, as
    /// [`SessionQueue::revise_beside`] does once they arrive (the exam
    /// simulation, whose clock does not wait for a thread).
    pub(crate) fn revise_now(&mut self, now: Timestamp) {
        self.scheduler.revise(now);
        self.plan_rest(now);
    }

    /// The rest of the day's plan, made again: what is queued, and the
    /// session's count.
    fn plan_rest(&mut self, now: Timestamp) {
        let today = self.scheduler.today(now);
        let learning = &self.learning;
        self.queue = today
            .reviews
            .into_iter()
            .chain(today.new)
            .filter(|k| !learning.iter().any(|l| l.key == *k))
            .collect();
        self.total = self.done.len() + self.queue.len() + self.learning.len();
    }

    /// With an exam ahead, a session whose queue has run out plans again:
    /// its plan counted each card's expected time, so a quick sitting ends
    /// with minutes left, and the new plan (made with the minutes studied
    /// today already counted, and leaving out the cards answered today)
    /// fills them with the next cards worth studying. Returns how many
    /// cards were added. Without an exam, a new plan would hold nothing
    /// the first did not, so none is made.
    fn replan(&mut self, now: Timestamp) -> usize {
        if self.scheduler.exams().is_empty() || self.replanned == Some(self.answered) {
            return 0;
        }
        self.replanned = Some(self.answered);
        let today = self.scheduler.today(now);
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
            id: EventId(self.ids.random::<u64>()),
            time: now,
            kind,
        }
    }

    /// Written to the log (durably) first, then applied.
    fn save(&mut self, event: &Event) -> Result<(), Error> {
        if let Some(log) = &mut self.log {
            log.append(std::slice::from_ref(event))?;
        }
        self.scheduler.apply(event);
        Ok(())
    }

    fn forget_from_queues(&mut self, key: &str) {
        self.queue.retain(|k| k != key);
        self.learning.retain(|l| l.key != key);
    }
}

impl Drop for SessionQueue<'_> {
    fn drop(&mut self) {
        if let Some(saving) = self.saving.take() {
            saving.finish();
        }
    }
}

impl Engine for SessionQueue<'_> {
    fn next_card(&mut self, now: Timestamp) -> Option<String> {
        if let Some(saving) = &mut self.saving {
            saving.start();
        }
        self.adopt_revisions(now);
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

    fn intervals(&self, key: &str, now: Timestamp) -> [SignedDuration; 4] {
        self.scheduler.intervals(key, now)
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
                key: key.into(),
                rating,
                answer_ms: answer_ms.min(crate::progress::event::MAX_ANSWER_MS),
                mode,
                picked: picked.map(str::to_string),
            },
        );
        self.save(&event)?;
        self.forget_from_queues(key);
        self.answered += 1;
        self.session.push((event.id, key.to_string()));
        self.done.insert(key.to_string());
        // Forgotten, it comes back in this sitting when it falls due today
        // (with an exam ahead, not before tomorrow: `Scheduler::exam_due`).
        let state = self.scheduler.state(key);
        if rating == Rating::Again
            && let Some(due) = state
                .due
                .filter(|d| *d < self.scheduler.days().next_start(now))
        {
            self.learning.push(Learning {
                key: key.into(),
                due,
                after: self.answered + RELEARN_AFTER,
            });
        }
        if state.leech
            && self.scheduler.config().leech_action == LeechAction::Suspend
            && !self.scheduler.history().suspended.contains(key)
        {
            let suspend = self.event(now, EventKind::Suspend { key: key.into() });
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
        self.forget_from_queues(&key);
        self.answered = self.answered.saturating_sub(1);
        if !self.session.iter().any(|(_, k)| *k == key) {
            self.done.remove(&key);
        }
        self.queue.push_front(key.clone());
        Ok(Some(key))
    }

    fn bury(&mut self, key: &str, now: Timestamp) -> Result<(), Error> {
        let until = self.scheduler.days().next_start(now);
        let event = self.event(
            now,
            EventKind::Bury {
                key: key.into(),
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
                key: key.into(),
                answer: answer.to_string(),
            },
        );
        self.save(&event)
    }

    fn accepted(&self, key: &str) -> Vec<String> {
        self.scheduler
            .history()
            .accepted
            .get(key)
            .cloned()
            .unwrap_or_default()
    }

    fn is_new(&self, key: &str) -> bool {
        self.scheduler.state(key).is_new()
    }

    fn exam(&self, key: &str, now: Timestamp) -> Option<(String, i64)> {
        self.scheduler.exam_ahead(key, now)
    }

    fn progress(&self) -> Progress {
        Progress {
            done: self.done.len(),
            total: self.total.max(self.done.len()),
        }
    }

    fn next_due(&self, now: Timestamp) -> Option<Timestamp> {
        let learning = self.learning.iter().map(|l| l.due).min();
        learning
            .into_iter()
            .chain(self.scheduler.next_review(now))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::deck::{Card, Deck};
    use crate::schedule::Days;
    use crate::schedule::scheduler::Scheduler;
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

    fn scheduler<'d>(decks: &'d [Deck], config: Config, events: &[Event]) -> SessionQueue<'d> {
        SessionQueue::new(
            Scheduler::new(decks, config, events, Days::new(TimeZone::UTC, 4)),
            None,
            rand::rngs::StdRng::seed_from_u64(1),
        )
    }

    fn answer(s: &mut SessionQueue, now: Timestamp, rating: Rating) -> String {
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
        assert!(s.scheduler().today(at(1, 3)).new.is_empty());
        // After 04:00 two more new cards are allowed.
        assert_eq!(s.scheduler().today(at(1, 5)).new, ["d/c", "d/d"]);
    }

    #[test]
    fn new_cards_are_introduced_spread_one_card_per_note() {
        let mut decks = deck(&["a", "a:reverse", "b", "c", "d", "e", "f", "g", "h"]);
        decks[0].new_order = crate::deck::NewOrder::Spread;
        let s = scheduler(&decks, Config::default(), &[]);
        let new = s.scheduler().today(at(0, 10)).new;
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
        let new = s.scheduler().today(at(0, 10)).new;
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
        assert!(s.scheduler().state("d/a").due > Some(later));
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
        assert_eq!(s.scheduler().today(at(0, 10)).new, ["d/n:c1", "d/m"]);
        answer(&mut s, at(0, 10), Rating::Good);
        answer(&mut s, at(0, 10), Rating::Good);
        assert!(
            s.scheduler().today(at(0, 12)).new.is_empty(),
            "siblings wait for tomorrow"
        );
        assert_eq!(
            s.scheduler().today(at(1, 12)).new,
            ["d/n:c2", "d/m:reverse"]
        );
    }

    #[test]
    fn reviews_come_due_and_the_review_limit_holds() {
        let decks = deck(&["a", "b", "c"]);
        let mut s = scheduler(&decks, Config::default(), &[]);
        s.start(at(0, 10));
        for _ in 0..3 {
            answer(&mut s, at(0, 10), Rating::Good);
        }
        let due_day = s.scheduler().state("d/a").interval_days as i64;
        assert!(s.scheduler().today(at(due_day - 1, 12)).reviews.is_empty() || due_day <= 1);
        assert_eq!(s.scheduler().today(at(due_day + 5, 12)).reviews.len(), 3);
        // The day's plan is pure: the same states under a review limit.
        let limit = Config {
            reviews_per_day: 1,
            ..Config::default()
        };
        let limited = crate::schedule::plan::DailyPlan {
            config: &limit,
            ..s.scheduler().plan()
        };
        assert_eq!(limited.today(at(due_day + 5, 12)).reviews.len(), 1);
    }

    #[test]
    fn undo_restores_the_card_and_logs_an_undo() {
        let decks = deck(&["a", "b"]);
        let mut s = scheduler(&decks, Config::default(), &[]);
        s.start(at(0, 10));
        let key = answer(&mut s, at(0, 10), Rating::Easy);
        assert!(!s.scheduler().state(&key).is_new());
        assert_eq!(s.undo(at(0, 10)).expect("undo"), Some(key.clone()));
        assert!(s.scheduler().state(&key).is_new());
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
                let rating = if s.scheduler().state(&key).reviews.is_multiple_of(2) {
                    Rating::Good
                } else {
                    Rating::Again
                };
                s.record(&key, rating, 1000, Mode::Study, at(day * 40, 10))
                    .expect("record");
                if s.scheduler().state(&key).leech {
                    break;
                }
            }
        }
        assert!(s.scheduler().state("d/a").leech);
        assert!(s.scheduler().history().suspended.contains("d/a"));
        assert!(
            s.scheduler().today(at(400, 10)).reviews.is_empty(),
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
        assert!(s.scheduler().today(at(0, 23)).new.is_empty());
        assert_eq!(s.scheduler().today(at(1, 5)).new, ["d/a"]);
        assert_eq!(s.scheduler().orphans(), ["gone/x"]);
    }

    /// Card ids `c0` to `c{n-1}`.
    fn numbered(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
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
        let ids = numbered(40);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (decks, config) = with_exam(&ids, "2027-01-25", 5);
        let mut s = scheduler(&decks, config, &[]);
        let today = s.scheduler().today(at(0, 10));
        // Five minutes of ~18 s learning each: about 16 new cards, beyond
        // the 2-a-day limit that applies without an exam.
        assert!(
            today.reviews.len() > 2 && today.reviews.len() < 25,
            "{}",
            today.reviews.len()
        );
        s.start(at(0, 10));
        let key = answer(&mut s, at(0, 10), Rating::Easy);
        let eve = s
            .scheduler()
            .days()
            .start(s.scheduler().days().index(at(9, 10)));
        assert!(
            s.scheduler().state(&key).due <= Some(eve),
            "no interval lands after the exam"
        );
        // After the exam, normal scheduling: the daily new-card limit again.
        assert_eq!(s.scheduler().today(at(11, 10)).new.len(), 2);
    }

    #[test]
    fn a_session_whose_exam_plan_runs_out_with_minutes_left_plans_again() {
        // Five minutes planned at ~18 s a card; the learner takes 3 s.
        let ids = numbered(60);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (decks, config) = with_exam(&ids, "2027-01-25", 5);
        let mut s = scheduler(&decks, config, &[]);
        let planned = s.scheduler().today(at(0, 10)).reviews.len();
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
    fn a_revision_made_beside_the_session_takes_over_the_rest_of_the_day() {
        // 24 cards, 8 learned five days ago; the exam in six days.
        let ids = numbered(24);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (decks, config) = with_exam(&ids, "2027-01-21", 3);
        let mut s = scheduler(&decks, config, &[]);
        s.start(at(-5, 10));
        for _ in 0..8 {
            answer(&mut s, at(-5, 10), Rating::Good);
        }
        let now = at(0, 10);
        let wanted = s.scheduler().revisions_wanted(now);
        assert_eq!(wanted.len(), 1);
        assert_eq!(wanted[0].inputs.cards.len(), 24);
        assert_eq!(wanted[0].inputs.days_left, 6);
        assert!(wanted[0].warm.is_none());
        s.start(now);
        let first = s.next_card(now).expect("a card");
        s.revise_beside(now, None);
        s.record(&first, Rating::Good, 2000, Mode::Study, now)
            .expect("record");
        // The revision arrives (a solve takes well under a minute here).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while s.scheduler().revisions_wanted(now).len() == 1 {
            assert!(std::time::Instant::now() < deadline, "no revision");
            std::thread::sleep(std::time::Duration::from_millis(20));
            s.adopt_revisions(now);
        }
        // The rest of the day follows the revision's order, within the
        // minutes, leaving out the card answered.
        let revision = s.scheduler().plan().revisions[0].clone();
        assert_eq!(revision.order.len(), 24);
        let expected: Vec<&str> = revision
            .order
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| *k != first)
            .take(5)
            .collect();
        let queued: Vec<&str> = s.queue.iter().map(String::as_str).take(5).collect();
        assert_eq!(queued, expected);
        let planned: f32 = s
            .queue
            .iter()
            .filter_map(|k| revision.place(k))
            .map(|p| p.1)
            .sum();
        assert!(planned <= 3.0 * 60.0, "{planned} s planned");
        let progress = s.progress();
        assert_eq!(progress.total - progress.done, s.queue.len());
        // 16 new cards over six days less three come first: at least five
        // (one of them may be the card answered).
        let new_first = s.queue.iter().take(5).filter(|k| s.is_new(k)).count();
        assert!(new_first >= 4, "{:?}", s.queue);
        // Tomorrow, a revision starts from today's prices.
        let tomorrow = s.scheduler().revisions_wanted(at(1, 10));
        let today = s.scheduler().days().index(now);
        assert_eq!(tomorrow[0].warm.as_ref().map(|w| w.0), Some(today));
    }

    #[test]
    fn revisions_wait_until_the_exam_is_thirty_days_away_and_skip_huge_decks() {
        // Day 0 is 2027-01-15.
        let ids = numbered(3);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        for (date, wanted) in [("2027-02-14", 1), ("2027-02-15", 0), ("2027-04-01", 0)] {
            let (decks, config) = with_exam(&ids, date, 5);
            let s = scheduler(&decks, config, &[]);
            assert_eq!(
                s.scheduler().revisions_wanted(at(0, 10)).len(),
                wanted,
                "{date}"
            );
        }
        let many = numbered(crate::exam::revise::MOST_CARDS + 1);
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let (decks, config) = with_exam(&many, "2027-01-25", 5);
        let s = scheduler(&decks, config, &[]);
        assert!(s.scheduler().revisions_wanted(at(0, 10)).is_empty());
    }

    #[test]
    fn a_revision_prices_a_card_by_how_slow_it_is_not_by_how_it_was_rated() {
        // Three first answers: an Again and an Easy at the fsrs
        // simulator's times for them, and a Good taking twice its time.
        let (decks, config) = with_exam(&["a", "b", "c"], "2027-01-25", 5);
        let mut s = scheduler(&decks, config, &[]);
        let now = at(0, 10);
        for (key, rating, ms) in [
            ("d/a", Rating::Again, 19_580),
            ("d/b", Rating::Easy, 10_710),
            ("d/c", Rating::Good, 2 * 13_780),
        ] {
            s.record(key, rating, ms, Mode::Study, now).expect("record");
        }
        let wanted = s.scheduler().revisions_wanted(at(1, 10));
        let time = |key: &str| {
            wanted[0]
                .inputs
                .cards
                .iter()
                .find(|c| c.0 == key)
                .map(|c| c.1.time)
                .expect("card")
        };
        let (a, b, c) = (time("d/a"), time("d/b"), time("d/c"));
        // The Again took longer, as any Again does: not a slower card.
        assert!((a - b).abs() < 0.05, "{a} {b}");
        assert!(c > a + 0.3, "{a} {c}");
    }

    #[test]
    fn the_days_missed_are_counted_since_the_last_long_break() {
        let ids = numbered(10);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (decks, config) = with_exam(&ids, "2027-03-01", 5);
        let mut s = scheduler(&decks, config, &[]);
        let day0 = s.scheduler().days().index(at(0, 10));
        let missed = |s: &SessionQueue, day: i64| s.scheduler().plan().missed_lately(day0 + day);
        // Nothing studied yet: one day in ten.
        assert!((missed(&s, 0) - 0.1).abs() < 1e-6);
        // Studied weeks ago, then on days 0, 1, 3 and 4: the break before
        // day 0 is not a missed stretch; day 2 is.
        for day in [-30, 0, 1, 3, 4] {
            s.start(at(day, 10));
            answer(&mut s, at(day, 10), Rating::Good);
        }
        let expected = (1.0 + 1.0) / (5.0 + 10.0);
        assert!((missed(&s, 5) - expected).abs() < 1e-6, "{}", missed(&s, 5));
        // Three days away since: each counts.
        let expected = (1.0 + 3.0 + 1.0) / (8.0 + 10.0);
        assert!((missed(&s, 8) - expected).abs() < 1e-6, "{}", missed(&s, 8));
    }

    #[test]
    fn with_an_exam_a_forgotten_card_waits_for_a_later_day() {
        // A relearning step the same day adds little to recall on exam
        // day: the planner takes the card up again from tomorrow.
        let (decks, config) = with_exam(&["a"], "2027-01-25", 10);
        let mut s = scheduler(&decks, config, &[]);
        s.start(at(0, 10));
        assert_eq!(s.next_card(at(0, 10)).as_deref(), Some("d/a"));
        // The prompt says so: Again means tomorrow (the day starts at 04:00).
        let again = s.intervals("d/a", at(0, 10))[0];
        assert_eq!(again, SignedDuration::from_hours(18));
        s.record("d/a", Rating::Again, 2000, Mode::Study, at(0, 10))
            .expect("record");
        assert_eq!(s.next_card(at(0, 11)), None);
        // The session's summary says the next card is tomorrow, not in a
        // minute.
        assert_eq!(
            s.scheduler().next_review(at(0, 11)),
            Some(at(0, 10) + SignedDuration::from_hours(18))
        );
        assert!(s.scheduler().today(at(0, 12)).learning.is_empty());
        assert_eq!(s.scheduler().today(at(1, 10)).reviews, ["d/a"]);
        // On the exam's eve too: Again says tomorrow, and it waits.
        let (decks, config) = with_exam(&["a"], "2027-01-16", 10);
        let mut eve = scheduler(&decks, config, &[]);
        eve.start(at(0, 10));
        assert_eq!(eve.next_card(at(0, 10)).as_deref(), Some("d/a"));
        assert_eq!(
            eve.intervals("d/a", at(0, 10))[0],
            SignedDuration::from_hours(18)
        );
        eve.record("d/a", Rating::Again, 2000, Mode::Study, at(0, 10))
            .expect("record");
        assert_eq!(eve.next_card(at(0, 11)), None);
        // Without an exam, it comes back the same day.
        let plain_decks = deck(&["a"]);
        let mut plain = scheduler(&plain_decks, Config::default(), &[]);
        plain.start(at(0, 10));
        plain
            .record("d/a", Rating::Again, 2000, Mode::Study, at(0, 10))
            .expect("record");
        assert_eq!(plain.next_card(at(0, 11)).as_deref(), Some("d/a"));
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
        let plan = s.scheduler().plan();
        assert!(plan.card_time_factor("d/a", mean) > 1.5);
        assert!(plan.card_time_factor("d/b", mean) < 0.7);
        let reviews = s.scheduler().today(at(8, 10)).reviews;
        assert_eq!(reviews, ["d/b", "d/a"]);
    }

    #[test]
    fn an_exam_ahead_schedules_for_exam_retention() {
        // An exam far enough ahead that no cap applies: a Good answer's
        // interval is FSRS's for 80% retention, longer than for 90%.
        let (decks, config) = with_exam(&["a", "b"], "2028-06-01", 30);
        let plain_decks = deck(&["a", "b"]);
        let mut exam = scheduler(&decks, config, &[]);
        let mut plain = scheduler(&plain_decks, Config::default(), &[]);
        for s in [&mut exam, &mut plain] {
            s.start(at(0, 10));
            answer(s, at(0, 10), Rating::Good);
        }
        // A second Good answer four days later gives an interval of weeks.
        let good = |s: &mut SessionQueue| {
            let key = "d/a".to_string();
            s.record(&key, Rating::Good, 1000, Mode::Study, at(4, 10))
                .expect("record");
            s.scheduler().state(&key).interval_days
        };
        let (with_exam, without) = (good(&mut exam), good(&mut plain));
        assert!(with_exam > without, "{with_exam} vs {without}");
        // The intervals shown for the ratings follow the same retention.
        let shown = |s: &SessionQueue| s.intervals("d/b", at(5, 10))[2];
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
        let due = s.scheduler().state("d/a").due.expect("due");
        assert_eq!(at(0, 10).duration_until(due), shown);
        assert!(shown <= SignedDuration::from_hours(3 * 24), "{shown:?}");
    }

    #[test]
    fn time_per_card_counts_the_feedback_and_overlapping_exams_share_minutes() {
        let ids = numbered(60);
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
        let (seconds, n) = s.scheduler().plan().card_seconds().expect("gaps");
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
            .scheduler()
            .today(at(1, 10))
            .reviews
            .len();
        let mut second = config.exams[0].clone();
        second.name = Some("later".into());
        second.date = "2027-01-28".into();
        second.decks = vec!["d".into(), "e".into()];
        config.exams.push(second);
        let both = scheduler(&decks, config, &[])
            .scheduler()
            .today(at(1, 10))
            .reviews
            .len();
        assert!(both <= one + 1, "{one} vs {both}");
    }
}
