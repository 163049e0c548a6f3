//! The log replayed into per-card history: reviews (minus undone ones),
//! burials, suspensions and accepted answers.
//!
//! A large history (a million reviews) must open in milliseconds, so reviews
//! are fixed-size plain data: a snapshot's reviews are used in place from the
//! mapped file ([`Shared`]) and a card copies its list out only when it is
//! answered again.

use std::collections::HashSet;
use std::sync::Arc;

use bytemuck::{Pod, Zeroable};
use jiff::Timestamp;
use rustc_hash::FxHashMap as HashMap;

use crate::progress::Mode;
use crate::progress::{Event, EventId, EventKind};
use crate::rating::Rating;

/// One answer to a card: 24 bytes, with no pointers, so that a snapshot can
/// hold a million of them as they are in memory.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Pod, Zeroable)]
pub struct Review {
    id: u64,
    time_ms: i64,
    answer_ms: u32,
    rating: u8,
    quiz: u8,
    _padding: [u8; 2],
}

impl Review {
    pub fn new(id: EventId, time: Timestamp, rating: Rating, answer_ms: u64, mode: Mode) -> Review {
        Review {
            id: id.0,
            time_ms: time.as_millisecond(),
            answer_ms: u32::try_from(answer_ms).unwrap_or(u32::MAX),
            rating: rating.number() as u8,
            quiz: u8::from(mode == Mode::Quiz),
            _padding: [0; 2],
        }
    }

    /// An answer as a card's history keeps it, with the card's key; None
    /// for events other than answers.
    fn of_event(event: &Event) -> Option<(&str, Review)> {
        match &event.kind {
            EventKind::Review {
                key,
                rating,
                answer_ms,
                mode,
                ..
            } => Some((
                key,
                Review::new(event.id, event.time, *rating, *answer_ms, *mode),
            )),
            _ => None,
        }
    }

    pub fn id(&self) -> EventId {
        EventId(self.id)
    }

    /// When it was answered, to the millisecond.
    pub fn time(&self) -> Timestamp {
        Timestamp::from_millisecond(self.time_ms).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    pub fn rating(&self) -> Rating {
        // Only a damaged snapshot holds another number; it is a cache, and
        // a damaged one must not stop a session.
        Rating::from_number(u32::from(self.rating)).unwrap_or(Rating::Again)
    }

    pub fn answer_ms(&self) -> u64 {
        u64::from(self.answer_ms)
    }

    pub fn mode(&self) -> Mode {
        if self.quiz == 0 {
            Mode::Study
        } else {
            Mode::Quiz
        }
    }
}

/// Reviews shared from a snapshot: every card's list back to back.
pub(crate) trait Shared: Send + Sync {
    /// Reviews `start..start + len`: one card's list (a range may be read
    /// only when first asked for, and never spans two cards).
    fn range(&self, start: usize, len: usize) -> &[Review];
    /// How many there are, without reading them.
    fn count(&self) -> usize;
}

/// A card's reviews: a range of the shared ones, or its own once changed.
#[derive(Debug, Clone, Default)]
struct List {
    shared: (u32, u32),
    own: Option<Vec<Review>>,
}

/// Every card's key by slot, back to back in one string: a hundred
/// thousand keys are one allocation rather than a hundred thousand (a
/// snapshot's keys are taken as they are stored), and looking up a deck's
/// cards one after another walks keys that lie together (slots are in key
/// order).
#[derive(Clone, Default)]
pub(crate) struct Names {
    text: String,
    /// Where each key ends in `text`.
    ends: Vec<u32>,
}

impl Names {
    /// Keys `text` cut at `ends`; None when the cuts do not fit the text.
    pub(crate) fn new(text: String, ends: Vec<u32>) -> Option<Names> {
        let mut start = 0usize;
        for &end in &ends {
            let end = end as usize;
            text.get(start..end)?;
            start = end;
        }
        Some(Names { text, ends })
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, slot: usize) -> &str {
        let Some(&end) = self.ends.get(slot) else {
            return "";
        };
        let start = match slot {
            0 => 0,
            _ => self.ends[slot - 1] as usize,
        };
        self.text.get(start..end as usize).unwrap_or("")
    }

    fn push(&mut self, key: &str) {
        self.text.push_str(key);
        // Four gigabytes of keys would be forty million cards of a hundred
        // bytes each: past that, keys read as empty rather than wrong.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|slot| self.get(slot))
    }
}

#[derive(Clone, Default)]
pub struct History {
    /// Each card's key by slot (slots only grow), and an index into it: keys
    /// are stored once, and walking them in slot order walks `lists` and the
    /// scheduler's states in memory order.
    names: Names,
    index: hashbrown::HashTable<u32>,
    lists: Vec<List>,
    shared: Option<Arc<dyn Shared>>,
    /// Sum (each capped at two minutes) and count of answer times.
    answer_times: (u64, u64),
    pub buried: HashMap<String, Timestamp>,
    pub suspended: HashSet<String>,
    pub accepted: HashMap<String, Vec<String>>,
}

fn hash(key: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// Longer answers are breaks, not study time.
const ANSWER_CAP_MS: u64 = 120_000;

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

    /// A history over shared reviews: card `keys[i]` has reviews
    /// `ranges[i]` of `shared`. None when a range falls outside or a key
    /// comes twice.
    pub(crate) fn from_shared(
        shared: Arc<dyn Shared>,
        keys: Names,
        ranges: &[(u32, u32)],
        answer_times: (u64, u64),
    ) -> Option<History> {
        let total = shared.count();
        if keys.len() != ranges.len() {
            return None;
        }
        let mut index = hashbrown::HashTable::with_capacity(keys.len());
        let mut lists = Vec::with_capacity(keys.len());
        for (slot, (key, &(start, len))) in keys.iter().zip(ranges).enumerate() {
            let end = (start as usize).checked_add(len as usize)?;
            let hash = hash(key);
            if end > total || index.find(hash, |&s| keys.get(s as usize) == key).is_some() {
                return None;
            }
            index.insert_unique(hash, u32::try_from(slot).ok()?, |&s| {
                self::hash(keys.get(s as usize))
            });
            lists.push(List {
                shared: (start, len),
                own: None,
            });
        }
        Some(History {
            names: keys,
            index,
            lists,
            shared: Some(shared),
            answer_times,
            ..History::default()
        })
    }

    /// Applies one event (also used live, as a session records).
    pub fn apply(&mut self, event: &Event) {
        if let Some((key, review)) = Review::of_event(event) {
            self.push_review(key, review);
            return;
        }
        match &event.kind {
            // Answers were taken above.
            EventKind::Review { .. } => {}
            EventKind::Undo { target } => {
                let find = |slot: usize| {
                    let i = self.list(slot).iter().rposition(|r| r.id == target.0)?;
                    Some((slot, i))
                };
                // An undo nearly always takes back a recent answer, whose
                // card has its own list by then: look there before reading
                // every shared review.
                let owned = (0..self.lists.len()).filter(|s| self.lists[*s].own.is_some());
                let found = owned
                    .clone()
                    .find_map(find)
                    .or_else(|| (0..self.lists.len()).find_map(find));
                if let Some((slot, i)) = found {
                    let review = self.own(slot).remove(i);
                    self.count_answer(&review, -1);
                }
            }
            EventKind::Bury { key, until } => {
                self.buried.insert(key.to_string(), *until);
            }
            EventKind::Suspend { key } => {
                self.suspended.insert(key.to_string());
            }
            EventKind::Unsuspend { key } => {
                self.suspended.remove(key.as_str());
            }
            EventKind::Accept { key, answer } => {
                let list = self.accepted.entry(key.to_string()).or_default();
                if !list.contains(answer) {
                    list.push(answer.clone());
                }
            }
        }
    }

    /// Renumbers the slots in key order, so that a deck's cards lie
    /// together: looking up every card of the decks in turn then walks
    /// memory in order instead of jumping (at 100,000 cards, cache misses
    /// were most of the time it took to build a day's queue).
    pub fn sort_slots(&mut self) {
        // A snapshot's history is saved in slot order, sorted already.
        if self.names.iter().is_sorted() {
            return;
        }
        // By the keys' first 16 bytes as one number, then by whole keys
        // where those are the same: the keys' own order, without a string
        // comparison for most pairs (100,000 keys compared as strings took
        // 200 million instructions, alone on one core, on every launch
        // without a snapshot).
        let prefix = |name: &str| {
            let mut bytes = [0u8; 16];
            let n = name.len().min(16);
            bytes[..n].copy_from_slice(&name.as_bytes()[..n]);
            u128::from_be_bytes(bytes)
        };
        let mut by_prefix: Vec<(u128, u32)> = self
            .names
            .iter()
            .enumerate()
            .map(|(slot, name)| (prefix(name), slot as u32))
            .collect();
        by_prefix.sort_unstable();
        for same in by_prefix.chunk_by_mut(|a, b| a.0 == b.0) {
            if same.len() > 1 {
                same.sort_unstable_by(|a, b| {
                    self.names
                        .get(a.1 as usize)
                        .cmp(self.names.get(b.1 as usize))
                });
            }
        }
        let order: Vec<usize> = by_prefix.iter().map(|p| p.1 as usize).collect();
        self.keep_slots(&order);
    }

    /// Keeps only the slots in `order`, renumbered in that order.
    fn keep_slots(&mut self, order: &[usize]) {
        let mut names = Names {
            text: String::with_capacity(self.names.text.len()),
            ends: Vec::with_capacity(order.len()),
        };
        let mut lists = Vec::with_capacity(order.len());
        for &old in order {
            names.push(self.names.get(old));
            lists.push(std::mem::take(&mut self.lists[old]));
        }
        self.names = names;
        self.lists = lists;
        self.index.clear();
        for (slot, name) in self.names.iter().enumerate() {
            let names = &self.names;
            self.index
                .insert_unique(hash(name), u32::try_from(slot).unwrap_or(u32::MAX), |&s| {
                    hash(names.get(s as usize))
                });
        }
    }

    /// Adds an answer at the end of its card's list; the card's slot.
    fn push_review(&mut self, key: &str, review: Review) {
        self.count_answer(&review, 1);
        let slot = self.slot_or_add(key);
        self.own(slot).push(review);
    }

    /// The card's slot, made for it if it has none yet.
    fn slot_or_add(&mut self, key: &str) -> usize {
        match self.slot(key) {
            Some(slot) => slot,
            None => self.add(key),
        }
    }

    /// A slot for a card not seen before.
    fn add(&mut self, key: &str) -> usize {
        let slot = self.names.len();
        self.names.push(key);
        self.lists.push(List::default());
        let names = &self.names;
        self.index
            .insert_unique(hash(key), u32::try_from(slot).unwrap_or(u32::MAX), |&s| {
                hash(names.get(s as usize))
            });
        slot
    }

    fn count_answer(&mut self, review: &Review, sign: i64) {
        let ms = review.answer_ms().min(ANSWER_CAP_MS);
        let (sum, n) = &mut self.answer_times;
        if sign > 0 {
            *sum += ms;
            *n += 1;
        } else {
            *sum = sum.saturating_sub(ms);
            *n = n.saturating_sub(1);
        }
    }

    fn list(&self, slot: usize) -> &[Review] {
        let Some(list) = self.lists.get(slot) else {
            return &[];
        };
        if let Some(own) = &list.own {
            return own;
        }
        let (start, len) = (list.shared.0 as usize, list.shared.1 as usize);
        self.shared.as_ref().map_or(&[], |s| s.range(start, len))
    }

    /// The card's own copy of its list, made on its first change. `slot`
    /// must exist.
    fn own(&mut self, slot: usize) -> &mut Vec<Review> {
        let copy = match self.lists.get(slot) {
            Some(List { own: None, .. }) => self.list(slot).to_vec(),
            _ => Vec::new(),
        };
        self.lists[slot].own.get_or_insert(copy)
    }

    pub fn reviews_of(&self, key: &str) -> &[Review] {
        self.slot(key).map_or(&[], |slot| self.list(slot))
    }

    /// The card's slot: a dense index, stable for this history's life.
    pub fn slot(&self, key: &str) -> Option<usize> {
        self.index
            .find(hash(key), |&s| self.names.get(s as usize) == key)
            .map(|s| *s as usize)
    }

    /// How many slots there are (cards ever reviewed).
    pub fn len(&self) -> usize {
        self.lists.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// Every card with reviews (or once with reviews), with its slot, in
    /// slot order.
    pub fn keys(&self) -> impl Iterator<Item = (&str, usize)> {
        self.names.iter().enumerate().map(|(s, k)| (k, s))
    }

    /// The key of the card in `slot`.
    pub fn key_in(&self, slot: usize) -> &str {
        self.names.get(slot)
    }

    /// Every card's key and reviews, in slot order.
    pub fn cards(&self) -> impl Iterator<Item = (&str, &[Review])> {
        self.keys().map(|(k, slot)| (k, self.list(slot)))
    }

    /// The reviews of the card in `slot`.
    pub fn reviews_in(&self, slot: usize) -> &[Review] {
        self.list(slot)
    }

    /// The key of the card with this review, if any.
    pub fn key_of_review(&self, id: EventId) -> Option<&str> {
        self.keys()
            .find(|(_, slot)| self.list(*slot).iter().any(|r| r.id == id.0))
            .map(|(k, _)| k)
    }

    /// Mean answer time in seconds (each capped at two minutes), and how
    /// many answers it is over.
    pub fn mean_answer_seconds(&self) -> (f32, u64) {
        let (sum, n) = self.answer_times;
        let mean = if n == 0 {
            0.0
        } else {
            sum as f32 / n as f32 / 1000.0
        };
        (mean, n)
    }

    /// The raw sum and count behind [`History::mean_answer_seconds`], for a
    /// snapshot.
    pub fn answer_times(&self) -> (u64, u64) {
        self.answer_times
    }
}

/// Histories built as a log streams in, one event at a time in file
/// order, without the list of every event that [`History::from_events`]
/// takes (a million events were 100 MB). It builds what that function
/// builds whenever the file's order is time order (as kioku writes a log)
/// and nothing needs a look at the whole log first; otherwise
/// [`Streaming::finish`] says so, and the caller replays the events.
///
/// Answers are appended to one list as they come, with their card's slot,
/// and put in order of card at the end (as a snapshot keeps them): a
/// hundred thousand lists growing one answer at a time scattered the
/// answers over memory and reallocated each list several times.
#[derive(Default)]
pub(crate) struct Streaming {
    history: History,
    /// Every answer in file order, and its card's slot ([`TAKEN_BACK`]
    /// once undone).
    reviews: Vec<Review>,
    slots: Vec<u32>,
    latest: Option<Timestamp>,
    /// Every event's id, to find one written twice (a copied line).
    ids: Vec<u64>,
    /// The latest answers (id, place in `reviews`): an undo nearly always
    /// takes back one of them.
    recent: std::collections::VecDeque<(u64, usize)>,
    /// Events other than answers, undos among them: undoing one of those
    /// needs the whole log.
    others: rustc_hash::FxHashSet<u64>,
    /// Taken back before they came (a log merged from two clocks).
    undone: rustc_hash::FxHashSet<u64>,
    unusable: bool,
}

/// Answers an undo is looked for among before every answer is searched.
const RECENT_ANSWERS: usize = 64;

/// The slot of an answer taken back.
const TAKEN_BACK: u32 = u32::MAX;

/// Answers in memory, every card's back to back (what streaming built).
struct InMemory(Vec<Review>);

impl Shared for InMemory {
    fn range(&self, start: usize, len: usize) -> &[Review] {
        self.0.get(start..start.saturating_add(len)).unwrap_or(&[])
    }

    fn count(&self) -> usize {
        self.0.len()
    }
}

impl Streaming {
    /// Room for about `answers` answers (capacity never written costs no
    /// memory: the pages are not touched).
    pub(crate) fn with_capacity(answers: usize) -> Streaming {
        Streaming {
            reviews: Vec::with_capacity(answers),
            slots: Vec::with_capacity(answers),
            ids: Vec::with_capacity(answers),
            ..Streaming::default()
        }
    }

    /// The next event in the file.
    pub(crate) fn push(&mut self, event: &Event) {
        if self.unusable {
            return;
        }
        if self.latest.is_some_and(|t| event.time < t) {
            self.unusable = true;
            return;
        }
        self.latest = Some(event.time);
        self.ids.push(event.id.0);
        // (Nearly always empty: no hashing then.)
        if !self.undone.is_empty() && self.undone.remove(&event.id.0) {
            // An undo taken back itself would leave its own target undone.
            self.unusable |= matches!(event.kind, EventKind::Undo { .. });
            return;
        }
        if let Some((key, review)) = Review::of_event(event) {
            let slot = self.history.slot_or_add(key);
            self.history.count_answer(&review, 1);
            if self.recent.len() == RECENT_ANSWERS {
                self.recent.pop_front();
            }
            self.recent.push_back((event.id.0, self.reviews.len()));
            self.reviews.push(review);
            self.slots.push(u32::try_from(slot).unwrap_or(TAKEN_BACK));
            return;
        }
        match &event.kind {
            EventKind::Undo { target } => {
                self.others.insert(event.id.0);
                if self.others.contains(&target.0) {
                    self.unusable = true;
                    return;
                }
                let live =
                    |i: &usize| self.slots[*i] != TAKEN_BACK && self.reviews[*i].id == target.0;
                let found = match self.recent.iter().rposition(|(id, _)| *id == target.0) {
                    Some(at) => self.recent.remove(at).map(|(_, i)| i).filter(live),
                    None => (0..self.reviews.len()).rev().find(live),
                };
                match found {
                    Some(i) => {
                        self.slots[i] = TAKEN_BACK;
                        let review = self.reviews[i];
                        self.history.count_answer(&review, -1);
                    }
                    None => {
                        self.undone.insert(target.0);
                    }
                }
            }
            _ => {
                self.others.insert(event.id.0);
                self.history.apply(event);
            }
        }
    }

    /// The histories, or None when the events must be replayed with
    /// [`History::from_events`]: lines out of time order, an id written
    /// twice, or an undo of something other than an answer.
    pub(crate) fn finish(mut self) -> Option<History> {
        use rayon::slice::ParallelSliceMut;
        if self.unusable {
            return None;
        }
        self.ids.par_sort_unstable();
        if self.ids.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        drop(std::mem::take(&mut self.ids));
        // Each card's answers together, in the order they came: one pass
        // of a bucket sort in place (a second list of every answer would
        // be 24 MB more at the peak), answers taken back in a last bucket,
        // then each card's answers back in file order (the swaps mix them).
        let cards = self.history.len();
        let bucket = |slot: u32| (slot as usize).min(cards);
        let mut starts = vec![0u32; cards + 2];
        for &slot in &self.slots {
            starts[bucket(slot) + 1] += 1;
        }
        for i in 0..=cards {
            starts[i + 1] += starts[i];
        }
        let mut order: Vec<u32> = (0..self.slots.len() as u32).collect();
        let mut next = starts.clone();
        for b in 0..=cards {
            let end = starts[b + 1];
            while next[b] < end {
                let i = next[b] as usize;
                let to = bucket(self.slots[i]);
                if to == b {
                    next[b] += 1;
                } else {
                    // Into its bucket's next place, taking what was there.
                    let j = next[to] as usize;
                    self.slots.swap(i, j);
                    self.reviews.swap(i, j);
                    order.swap(i, j);
                    next[to] += 1;
                }
            }
        }
        drop(std::mem::take(&mut self.slots));
        let mut sorted = std::mem::take(&mut self.reviews);
        let mut pairs: Vec<(u32, Review)> = Vec::new();
        for b in 0..cards {
            let range = starts[b] as usize..starts[b + 1] as usize;
            let (order, reviews) = (&order[range.clone()], &mut sorted[range]);
            if !order.is_sorted() {
                pairs.clear();
                pairs.extend(order.iter().copied().zip(reviews.iter().copied()));
                pairs.sort_unstable_by_key(|p| p.0);
                for (review, (_, was)) in reviews.iter_mut().zip(&pairs) {
                    *review = *was;
                }
            }
        }
        sorted.truncate(starts[cards] as usize);
        let mut history = self.history;
        history.lists = starts[..=cards]
            .windows(2)
            .map(|w| List {
                shared: (w[0], w[1] - w[0]),
                own: None,
            })
            .collect();
        history.shared = Some(Arc::new(InMemory(sorted)));
        // A card whose every answer was taken back has no history in a
        // replay: nor here.
        if history.lists.iter().any(|l| l.shared.1 == 0) {
            let kept: Vec<usize> = (0..cards)
                .filter(|s| history.lists[*s].shared.1 > 0)
                .collect();
            history.keep_slots(&kept);
        }
        Some(history)
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
            picked: None,
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
        let ratings: Vec<Rating> = h.reviews_of("d/a").iter().map(Review::rating).collect();
        assert_eq!(ratings, [Rating::Again, Rating::Good]);
        assert!(h.suspended.contains("d/b"));
        assert_eq!(h.accepted["d/a"], ["x"]);
        assert!(h.reviews_of("d/zzz").is_empty());
    }

    #[test]
    fn sorting_slots_keeps_every_card_with_its_own_reviews() {
        let events: Vec<Event> = ["d/z", "d/a", "e/m", "d/a", "d/z"]
            .iter()
            .enumerate()
            .map(|(i, key)| ev(i as u64, i as i64, review(key, Rating::ALL[i % 4])))
            .collect();
        let mut h = History::from_events(&events);
        let before: Vec<(String, Vec<Review>)> = h
            .cards()
            .map(|(k, r)| (k.to_string(), r.to_vec()))
            .collect();
        h.sort_slots();
        let keys: Vec<&str> = h.keys().map(|(k, _)| k).collect();
        assert_eq!(keys, ["d/a", "d/z", "e/m"]);
        for (key, reviews) in &before {
            assert_eq!(h.reviews_of(key), &reviews[..], "{key}");
            assert_eq!(h.key_in(h.slot(key).expect("slot")), key);
        }
        // New cards after sorting get new slots.
        h.apply(&ev(9, 9, review("a/new", Rating::Good)));
        assert_eq!(h.slot("a/new"), Some(3));
        assert_eq!(h.reviews_of("a/new").len(), 1);
    }

    proptest::proptest! {
        /// Slots end in the keys' order, whatever the keys: long ones that
        /// share their first 16 bytes, prefixes of each other, non-ASCII.
        #[test]
        fn sorted_slots_follow_the_keys_order(
            keys in proptest::collection::vec("(d|deck-0000000001|deck-00000000012)/(c|[a-z\\x00é日]{0,8})", 1..40),
        ) {
            let events: Vec<Event> = keys
                .iter()
                .enumerate()
                .map(|(i, key)| ev(i as u64, i as i64, review(key, Rating::Good)))
                .collect();
            let mut h = History::from_events(&events);
            h.sort_slots();
            let mut want: Vec<&str> = keys.iter().map(String::as_str).collect();
            want.sort_unstable();
            want.dedup();
            let got: Vec<&str> = h.keys().map(|(k, _)| k).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// What a history holds, in a form to compare: each card's reviews by
    /// key, the answer times, burials, suspensions and accepted answers.
    fn contents(h: &History) -> String {
        let mut cards: Vec<(String, Vec<Review>)> = h
            .cards()
            .map(|(k, r)| (k.to_string(), r.to_vec()))
            .collect();
        cards.sort_by(|a, b| a.0.cmp(&b.0));
        let mut buried: Vec<_> = h.buried.iter().collect();
        buried.sort();
        let mut suspended: Vec<_> = h.suspended.iter().collect();
        suspended.sort();
        let mut accepted: Vec<_> = h.accepted.iter().collect();
        accepted.sort();
        format!(
            "{cards:?} {:?} {buried:?} {suspended:?} {accepted:?}",
            h.answer_times()
        )
    }

    proptest::proptest! {
        /// Streamed in file order, events build what replaying them all
        /// builds, or say they cannot; and a log as kioku writes it (in
        /// time order, each id once, undos of answers only) always can.
        #[test]
        fn streaming_builds_what_a_replay_builds(
            steps in proptest::collection::vec((0u8..10, 0u64..40, 0i64..5), 0..60),
        ) {
            let mut events = Vec::new();
            let mut plain = true;
            let mut secs = 0i64;
            for (i, (kind, pick, back)) in steps.iter().enumerate() {
                // Now and then a line dated before the one above it.
                if *kind == 9 && *back > 2 {
                    secs -= back;
                    plain = false;
                } else {
                    secs += back;
                }
                // Now and then an id used before.
                let id = if *kind == 8 && *pick < 5 { plain = false; pick + 1 } else { 1000 + i as u64 };
                let key = format!("d/c{}", pick % 6);
                let kind = match kind {
                    0..=3 | 8 | 9 => review(&key, Rating::ALL[(*pick % 4) as usize]),
                    4 => EventKind::Undo { target: EventId(1000 + pick) },
                    5 => EventKind::Bury { key: key.into(), until: Timestamp::from_second(1_900_000_000).expect("t") },
                    6 => EventKind::Suspend { key: key.into() },
                    _ => EventKind::Unsuspend { key: key.into() },
                };
                if let EventKind::Undo { target } = &kind {
                    // An undo of what is not an earlier answer.
                    let earlier_answer = events.iter().any(|e: &Event| {
                        e.id == *target && matches!(e.kind, EventKind::Review { .. })
                    });
                    plain &= earlier_answer;
                }
                events.push(ev(id, secs, kind));
            }
            let mut streaming = Streaming::default();
            events.iter().for_each(|e| streaming.push(e));
            let mut once = events.clone();
            // Each id once, as the log's reading leaves them.
            let mut seen = HashSet::new();
            once.retain(|e| seen.insert(e.id));
            match streaming.finish() {
                Some(streamed) => proptest::prop_assert_eq!(
                    contents(&streamed),
                    contents(&History::from_events(&once))
                ),
                None => proptest::prop_assert!(!plain, "a plain log must stream"),
            }
        }
    }
}
