//! A derived snapshot of the replayed log, so that a large history opens in
//! milliseconds: the card histories and FSRS states as of byte N of the log.
//!
//! The log stays the truth. A snapshot is used only when the log is at least
//! N bytes long and its bytes just before N hash to what they did when the
//! snapshot was taken (the log is append-only, so that prefix cannot have
//! changed unless the file was replaced), and only for the same settings,
//! decks' retentions, time zone and kioku version. The lines after N are
//! replayed on top. Anything else, including a damaged snapshot, means a
//! full replay and a new snapshot.
//!
//! The file is mapped, not read: its reviews (24 bytes each, see
//! [`Review`]) are used where they lie, so opening a million of them costs
//! nothing until a card is answered. Layout, after a 4-byte header length
//! and the header (postcard), from the next multiple of 8: reviews, card
//! states, each card's review range, the end of each card's key, the keys,
//! padding to 8, then burials, suspensions and accepted answers (postcard).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytemuck::{Pod, Zeroable};
use fsrs::MemoryState;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::history::{History, Review, Shared};
use super::memory::CardState;

const FORMAT: u32 = 2;
/// How much of the log before the snapshot's end is hashed.
const TAIL: u64 = 4096;

#[derive(Serialize, Deserialize, PartialEq)]
struct Header {
    format: u32,
    version: String,
    little_endian: bool,
    key: u64,
    log_len: u64,
    tail_hash: u64,
    /// The latest answer covered: later lines older than this (a merge)
    /// force a full replay, since replay is in time order.
    latest_ms: i64,
    cards: u64,
    reviews: u64,
    key_bytes: u64,
    answer_times: (u64, u64),
}

/// A card's state in 40 bytes, as stored.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct PackedState {
    last_ms: i64,
    due_ms: i64,
    stability: f32,
    difficulty: f32,
    reviews: u32,
    lapses: u32,
    interval_days: u32,
    flags: u32,
}

const HAS_MEMORY: u32 = 1;
const HAS_LAST: u32 = 2;
const HAS_DUE: u32 = 4;
const RELEARNING: u32 = 8;
const LEECH: u32 = 16;

impl PackedState {
    fn pack(s: &CardState) -> PackedState {
        let flag = |on: bool, bit: u32| if on { bit } else { 0 };
        let memory = s.memory.unwrap_or(MemoryState {
            stability: 0.0,
            difficulty: 0.0,
        });
        PackedState {
            last_ms: s.last_review.map_or(0, |t| t.as_millisecond()),
            due_ms: s.due.map_or(0, |t| t.as_millisecond()),
            stability: memory.stability,
            difficulty: memory.difficulty,
            reviews: s.reviews,
            lapses: s.lapses,
            interval_days: s.interval_days,
            flags: flag(s.memory.is_some(), HAS_MEMORY)
                | flag(s.last_review.is_some(), HAS_LAST)
                | flag(s.due.is_some(), HAS_DUE)
                | flag(s.relearning, RELEARNING)
                | flag(s.leech, LEECH),
        }
    }

    fn unpack(&self) -> CardState {
        let on = |bit: u32| self.flags & bit != 0;
        let time = |ms: i64, bit: u32| {
            on(bit)
                .then(|| Timestamp::from_millisecond(ms).ok())
                .flatten()
        };
        CardState {
            memory: on(HAS_MEMORY).then_some(MemoryState {
                stability: self.stability,
                difficulty: self.difficulty,
            }),
            reviews: self.reviews,
            lapses: self.lapses,
            last_review: time(self.last_ms, HAS_LAST),
            due: time(self.due_ms, HAS_DUE),
            interval_days: self.interval_days,
            relearning: on(RELEARNING),
            leech: on(LEECH),
        }
    }
}

#[derive(Serialize, Deserialize, Default)]
struct Extras {
    buried: Vec<(String, i64)>,
    suspended: Vec<String>,
    accepted: Vec<(String, Vec<String>)>,
}

/// What a snapshot restores.
pub struct Snapshot {
    pub history: History,
    /// By the history's slots.
    pub states: Vec<CardState>,
    /// Bytes of the log it covers.
    pub log_len: u64,
    pub latest: Timestamp,
}

fn file(dir: &Path, log: &Path, key: u64) -> PathBuf {
    let mut h = DefaultHasher::new();
    std::fs::canonicalize(log)
        .unwrap_or_else(|_| log.to_path_buf())
        .hash(&mut h);
    key.hash(&mut h);
    dir.join(format!("replay-{:016x}.bin", h.finish()))
}

fn tail_hash(log: &Path, len: u64) -> Option<u64> {
    let mut f = std::fs::File::open(log).ok()?;
    let start = len.saturating_sub(TAIL);
    f.seek(std::io::SeekFrom::Start(start)).ok()?;
    let mut buf = vec![0; usize::try_from(len - start).ok()?];
    f.read_exact(&mut buf).ok()?;
    let mut h = DefaultHasher::new();
    buf.hash(&mut h);
    Some(h.finish())
}

fn pad8(n: usize) -> usize {
    n.next_multiple_of(8)
}

/// Where each part lies, from the start of the body.
struct Layout {
    reviews: std::ops::Range<usize>,
    states: std::ops::Range<usize>,
    ranges: std::ops::Range<usize>,
    key_ends: std::ops::Range<usize>,
    keys: std::ops::Range<usize>,
    extras: usize,
}

impl Layout {
    fn of(header: &Header) -> Option<Layout> {
        let cards = usize::try_from(header.cards).ok()?;
        let reviews = usize::try_from(header.reviews).ok()?;
        let key_bytes = usize::try_from(header.key_bytes).ok()?;
        let mut at = 0usize;
        let mut take = |len: usize| -> Option<std::ops::Range<usize>> {
            let start = at;
            at = at.checked_add(len)?;
            Some(start..at)
        };
        let reviews = take(reviews.checked_mul(size_of::<Review>())?)?;
        let states = take(cards.checked_mul(size_of::<PackedState>())?)?;
        let ranges = take(cards.checked_mul(8)?)?;
        let key_ends = take(cards.checked_mul(4)?)?;
        let keys = take(key_bytes)?;
        Some(Layout {
            reviews,
            states,
            ranges,
            key_ends,
            keys,
            extras: pad8(at),
        })
    }
}

/// The mapped snapshot, sharing its reviews with the history.
struct Mapped {
    map: memmap2::Mmap,
    reviews: std::ops::Range<usize>,
}

impl Shared for Mapped {
    fn reviews(&self) -> &[Review] {
        self.map
            .get(self.reviews.clone())
            .and_then(|bytes| bytemuck::try_cast_slice(bytes).ok())
            .unwrap_or(&[])
    }
}

/// The snapshot for this log and settings, when it still matches the log.
pub fn load(dir: &Path, log: &Path, key: u64) -> Option<Snapshot> {
    let f = std::fs::File::open(file(dir, log, key)).ok()?;
    // SAFETY: snapshots are written to a temporary file and renamed into
    // place, never changed in place, so the mapped file stays as it was
    // (a replacement is a new file; this mapping keeps the old one).
    let map = unsafe { memmap2::Mmap::map(&f) }.ok()?;
    let header_len = u32::from_le_bytes(map.get(..4)?.try_into().ok()?) as usize;
    let header: Header = postcard::from_bytes(map.get(4..4 + header_len)?).ok()?;
    let len = crate::progress::store::length(log);
    if header.format != FORMAT
        || header.version != env!("CARGO_PKG_VERSION")
        || header.little_endian != cfg!(target_endian = "little")
        || header.key != key
        || header.log_len > len
        || tail_hash(log, header.log_len)? != header.tail_hash
    {
        return None;
    }
    let body = pad8(4 + header_len);
    let layout = Layout::of(&header)?;
    let part = |r: &std::ops::Range<usize>| map.get(body + r.start..body + r.end);
    let states: &[PackedState] = bytemuck::try_cast_slice(part(&layout.states)?).ok()?;
    let ranges: &[[u32; 2]] = bytemuck::try_cast_slice(part(&layout.ranges)?).ok()?;
    let key_ends: &[u32] = bytemuck::try_cast_slice(part(&layout.key_ends)?).ok()?;
    let key_text = std::str::from_utf8(part(&layout.keys)?).ok()?;
    let extras: Extras = postcard::from_bytes(map.get(body + layout.extras..)?).ok()?;
    let mut keys = Vec::with_capacity(key_ends.len());
    let mut start = 0usize;
    for end in key_ends {
        let end = *end as usize;
        keys.push(Box::<str>::from(key_text.get(start..end)?));
        start = end;
    }
    let states = states.iter().map(PackedState::unpack).collect();
    let ranges: Vec<(u32, u32)> = ranges.iter().map(|r| (r[0], r[1])).collect();
    let reviews = body + layout.reviews.start..body + layout.reviews.end;
    let shared = Arc::new(Mapped { map, reviews });
    if shared.reviews().len() as u64 != header.reviews {
        return None;
    }
    let mut history = History::from_shared(shared, keys, &ranges, header.answer_times)?;
    for (key, until) in extras.buried {
        history
            .buried
            .insert(key, Timestamp::from_millisecond(until).ok()?);
    }
    history.suspended.extend(extras.suspended);
    history.accepted.extend(extras.accepted);
    Some(Snapshot {
        history,
        states,
        log_len: header.log_len,
        latest: Timestamp::from_millisecond(header.latest_ms).ok()?,
    })
}

/// Saves a snapshot covering the first `log_len` bytes of the log. Failure
/// only costs speed next time, so it is silent.
pub fn save(
    dir: &Path,
    log: &Path,
    key: u64,
    history: &History,
    states: &[CardState],
    log_len: u64,
) {
    let _ = try_save(dir, log, key, history, states, log_len);
}

fn try_save(
    dir: &Path,
    log: &Path,
    key: u64,
    history: &History,
    states: &[CardState],
    log_len: u64,
) -> Option<()> {
    let keys = history.keys_by_slot();
    let mut reviews: Vec<Review> = Vec::new();
    let mut ranges: Vec<[u32; 2]> = Vec::with_capacity(keys.len());
    let mut key_text = String::new();
    let mut key_ends: Vec<u32> = Vec::with_capacity(keys.len());
    for (slot, key) in keys.iter().enumerate() {
        let list = history.reviews_in(slot);
        ranges.push([
            u32::try_from(reviews.len()).ok()?,
            u32::try_from(list.len()).ok()?,
        ]);
        reviews.extend_from_slice(list);
        key_text.push_str(key);
        key_ends.push(u32::try_from(key_text.len()).ok()?);
    }
    let packed: Vec<PackedState> = (0..keys.len())
        .map(|slot| PackedState::pack(states.get(slot).unwrap_or(&CardState::NEW)))
        .collect();
    let header = Header {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        little_endian: cfg!(target_endian = "little"),
        key,
        log_len,
        tail_hash: tail_hash(log, log_len)?,
        latest_ms: reviews
            .iter()
            .map(|r| r.time().as_millisecond())
            .max()
            .unwrap_or(0),
        cards: keys.len() as u64,
        reviews: reviews.len() as u64,
        key_bytes: key_text.len() as u64,
        answer_times: history.answer_times(),
    };
    let extras = Extras {
        buried: history
            .buried
            .iter()
            .map(|(k, t)| (k.clone(), t.as_millisecond()))
            .collect(),
        suspended: history.suspended.iter().cloned().collect(),
        accepted: history
            .accepted
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    let header_bytes = postcard::to_stdvec(&header).ok()?;
    let mut bytes = Vec::with_capacity(64 + reviews.len() * size_of::<Review>());
    bytes.extend_from_slice(&u32::try_from(header_bytes.len()).ok()?.to_le_bytes());
    bytes.extend_from_slice(&header_bytes);
    bytes.resize(pad8(bytes.len()), 0);
    bytes.extend_from_slice(bytemuck::cast_slice(&reviews));
    bytes.extend_from_slice(bytemuck::cast_slice(&packed));
    bytes.extend_from_slice(bytemuck::cast_slice(&ranges));
    bytes.extend_from_slice(bytemuck::cast_slice(&key_ends));
    bytes.extend_from_slice(key_text.as_bytes());
    bytes.resize(pad8(bytes.len()), 0);
    bytes.extend(postcard::to_stdvec(&extras).ok()?);
    std::fs::create_dir_all(dir).ok()?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).ok()?;
    tmp.write_all(&bytes).ok()?;
    tmp.persist(file(dir, log, key)).ok()?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::progress::{Event, EventId, EventKind};
    use crate::rating::Rating;
    use crate::schedule::{Days, Memory};
    use crate::session::Mode;

    fn review(id: u64, hours: i64, key: &str, rating: Rating) -> Event {
        Event {
            id: EventId(id),
            time: Timestamp::from_second(1_800_000_000 + hours * 3600).expect("time"),
            kind: EventKind::Review {
                key: key.into(),
                rating,
                answer_ms: 1000 + id,
                mode: if id.is_multiple_of(2) {
                    Mode::Quiz
                } else {
                    Mode::Study
                },
                picked: None,
            },
        }
    }

    fn events() -> Vec<Event> {
        let mut events: Vec<Event> = (0..40u64)
            .map(|i| {
                let rating = Rating::ALL[(i % 4) as usize];
                review(i, i as i64 * 20, &format!("d/c{}", i % 7), rating)
            })
            .collect();
        events.push(Event {
            id: EventId(99),
            time: Timestamp::from_second(1_800_000_000 + 900 * 3600).expect("time"),
            kind: EventKind::Suspend { key: "d/c1".into() },
        });
        events
    }

    fn states(history: &History) -> Vec<CardState> {
        let memory = Memory::new(&Config::default());
        let days = Days::new(jiff::tz::TimeZone::UTC, 4);
        (0..history.len())
            .map(|slot| memory.state(history.reviews_in(slot), 0.9, &days))
            .collect()
    }

    /// Saves a snapshot of `events` for a log file and returns the folder.
    fn saved(events: &[Event]) -> (tempfile::TempDir, PathBuf, History, Vec<CardState>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("progress.log");
        std::fs::write(&log, "kioku-progress 1\nsome lines\n").expect("write");
        let history = History::from_events(events);
        let states = states(&history);
        save(dir.path(), &log, 7, &history, &states, 20);
        (dir, log, history, states)
    }

    #[test]
    fn a_snapshot_restores_every_review_and_state() {
        let (dir, log, history, states) = saved(&events());
        let snap = load(dir.path(), &log, 7).expect("snapshot loads");
        assert_eq!(snap.log_len, 20);
        assert_eq!(snap.history.len(), history.len());
        for (key, slot) in history.keys() {
            assert_eq!(
                snap.history.reviews_of(key),
                history.reviews_of(key),
                "{key}"
            );
            let restored = snap.history.slot(key).expect("slot");
            assert_eq!(snap.states[restored], states[slot], "{key}");
        }
        assert!(snap.history.suspended.contains("d/c1"));
        assert_eq!(
            snap.history.mean_answer_seconds(),
            history.mean_answer_seconds()
        );
        // Another key, another log or a changed log prefix: no snapshot.
        assert!(load(dir.path(), &log, 8).is_none());
        std::fs::write(&log, "kioku-progress 1\nother lines\n").expect("write");
        assert!(load(dir.path(), &log, 7).is_none());
    }

    #[test]
    fn answers_on_top_of_a_snapshot_copy_only_that_card() {
        let (dir, log, _, _) = saved(&events());
        let mut snap = load(dir.path(), &log, 7).expect("snapshot loads");
        let before = snap.history.reviews_of("d/c2").to_vec();
        let other = snap.history.reviews_of("d/c3").to_vec();
        snap.history.apply(&review(500, 2000, "d/c2", Rating::Good));
        let after = snap.history.reviews_of("d/c2");
        assert_eq!(after.len(), before.len() + 1);
        assert_eq!(after[..before.len()], before[..]);
        assert_eq!(snap.history.reviews_of("d/c3"), &other[..]);
        // Undo finds the review wherever it lies.
        let target = other[0].id();
        assert_eq!(snap.history.key_of_review(target), Some("d/c3"));
        snap.history.apply(&Event {
            id: EventId(501),
            time: Timestamp::from_second(1_900_000_000).expect("time"),
            kind: EventKind::Undo { target },
        });
        assert_eq!(snap.history.reviews_of("d/c3"), &other[1..]);
    }

    #[test]
    fn a_damaged_snapshot_is_ignored_never_trusted_halfway() {
        let (dir, log, _, _) = saved(&events());
        let path = file(dir.path(), &log, 7);
        let good = std::fs::read(&path).expect("read");
        for cut in [0, 3, 10, good.len() / 2, good.len() - 1] {
            std::fs::write(&path, &good[..cut]).expect("write");
            assert!(load(dir.path(), &log, 7).is_none(), "cut at {cut}");
        }
        // Flipped bytes anywhere never panic (the load may or may not
        // notice: it is a cache, guarded by the header and the layout).
        for at in (0..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            std::fs::write(&path, &bad).expect("write");
            let _ = load(dir.path(), &log, 7);
        }
    }
}
