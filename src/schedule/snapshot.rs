//! A derived snapshot of the replayed log, so that a large history opens in
//! milliseconds: the card histories and FSRS states as of byte N of the log.
//!
//! The log stays the truth. A snapshot is used only when the log is at least
//! N bytes long and its bytes just before N hash to what they did when the
//! snapshot was taken (the log is append-only, so that prefix cannot have
//! changed unless the file was replaced), and only for the same settings,
//! decks' retentions, time zone and kioku version. The lines after N are
//! replayed on top. Anything else, including a corrupt snapshot, means a
//! full replay and a new snapshot.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use fsrs::MemoryState;
use jiff::Timestamp;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::history::{History, Review};
use super::memory::CardState;
use crate::progress::EventId;
use crate::rating::Rating;
use crate::session::Mode;

const FORMAT: u32 = 1;
/// How much of the log before the snapshot's end is hashed.
const TAIL: u64 = 4096;

#[derive(Serialize, Deserialize, PartialEq)]
struct Header {
    format: u32,
    version: String,
    key: u64,
    log_len: u64,
    tail_hash: u64,
    /// The latest answer covered: later lines older than this (a merge)
    /// force a full replay, since replay is in time order.
    latest_ms: i64,
}

/// (id, time in ms, rating 1–4, answer ms, quiz?)
type CompactReview = (u64, i64, u8, u64, bool);
/// (stability, difficulty), reviews, lapses, last review, due, interval, relearning, leech
type CompactState = (
    Option<(f32, f32)>,
    u32,
    u32,
    Option<i64>,
    Option<i64>,
    u32,
    bool,
    bool,
);

#[derive(Serialize, Deserialize)]
struct Body {
    reviews: Vec<(String, Vec<CompactReview>)>,
    buried: Vec<(String, i64)>,
    suspended: Vec<String>,
    accepted: Vec<(String, Vec<String>)>,
    states: Vec<(String, CompactState)>,
}

/// What a snapshot restores.
pub struct Snapshot {
    pub history: History,
    pub states: FxHashMap<String, CardState>,
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

fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

fn time(ms: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(ms).ok()
}

/// The snapshot for this log and settings, when it still matches the log.
pub fn load(dir: &Path, log: &Path, key: u64) -> Option<Snapshot> {
    let bytes = std::fs::read(file(dir, log, key)).ok()?;
    let (header, rest): (Header, &[u8]) = postcard::take_from_bytes(&bytes).ok()?;
    let len = crate::progress::store::length(log);
    if header.format != FORMAT
        || header.version != env!("CARGO_PKG_VERSION")
        || header.key != key
        || header.log_len > len
        || tail_hash(log, header.log_len)? != header.tail_hash
    {
        return None;
    }
    let body: Body = postcard::from_bytes(rest).ok()?;
    let mut history = History::default();
    history.reviews.reserve(body.reviews.len());
    for (key, reviews) in body.reviews {
        let list = reviews
            .into_iter()
            .map(|(id, t, rating, answer_ms, quiz)| {
                Some(Review {
                    id: EventId(id),
                    time: time(t)?,
                    rating: Rating::from_number(u32::from(rating))?,
                    answer_ms,
                    mode: if quiz { Mode::Quiz } else { Mode::Study },
                })
            })
            .collect::<Option<Vec<_>>>()?;
        history.reviews.insert(key, list);
    }
    for (key, until) in body.buried {
        history.buried.insert(key, time(until)?);
    }
    history.suspended.extend(body.suspended);
    history.accepted.extend(body.accepted);
    let mut states = FxHashMap::default();
    states.reserve(body.states.len());
    for (key, (memory, reviews, lapses, last, due, interval, relearning, leech)) in body.states {
        states.insert(
            key,
            CardState {
                memory: memory.map(|(stability, difficulty)| MemoryState {
                    stability,
                    difficulty,
                }),
                reviews,
                lapses,
                last_review: last.and_then(time),
                due: due.and_then(time),
                interval_days: interval,
                relearning,
                leech,
            },
        );
    }
    Some(Snapshot {
        history,
        states,
        log_len: header.log_len,
        latest: time(header.latest_ms)?,
    })
}

/// Saves a snapshot covering the first `log_len` bytes of the log. Failure
/// only costs speed next time, so it is silent.
pub fn save(
    dir: &Path,
    log: &Path,
    key: u64,
    history: &History,
    states: &FxHashMap<String, CardState>,
    log_len: u64,
) {
    let _ = try_save(dir, log, key, history, states, log_len);
}

fn try_save(
    dir: &Path,
    log: &Path,
    key: u64,
    history: &History,
    states: &FxHashMap<String, CardState>,
    log_len: u64,
) -> Option<()> {
    let latest_ms = history
        .reviews
        .values()
        .flatten()
        .map(|r| ms(r.time))
        .max()
        .unwrap_or(i64::MIN);
    let header = Header {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        key,
        log_len,
        tail_hash: tail_hash(log, log_len)?,
        latest_ms,
    };
    let body = Body {
        reviews: history
            .reviews
            .iter()
            .map(|(k, list)| {
                let compact = list
                    .iter()
                    .map(|r| {
                        (
                            r.id.0,
                            ms(r.time),
                            r.rating.number() as u8,
                            r.answer_ms,
                            r.mode == Mode::Quiz,
                        )
                    })
                    .collect();
                (k.clone(), compact)
            })
            .collect(),
        buried: history
            .buried
            .iter()
            .map(|(k, t)| (k.clone(), ms(*t)))
            .collect(),
        suspended: history.suspended.iter().cloned().collect(),
        accepted: history
            .accepted
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        states: states
            .iter()
            .map(|(k, s)| {
                let compact = (
                    s.memory.map(|m| (m.stability, m.difficulty)),
                    s.reviews,
                    s.lapses,
                    s.last_review.map(ms),
                    s.due.map(ms),
                    s.interval_days,
                    s.relearning,
                    s.leech,
                );
                (k.clone(), compact)
            })
            .collect(),
    };
    std::fs::create_dir_all(dir).ok()?;
    let mut bytes = postcard::to_stdvec(&header).ok()?;
    bytes.extend(postcard::to_stdvec(&body).ok()?);
    let mut tmp = tempfile::NamedTempFile::new_in(dir).ok()?;
    tmp.write_all(&bytes).ok()?;
    tmp.persist(file(dir, log, key)).ok()?;
    Some(())
}
