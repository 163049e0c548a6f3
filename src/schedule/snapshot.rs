//! A derived snapshot of the replayed log, so that a large history opens in
//! milliseconds: the card histories and FSRS states as of byte N of the log.
//!
//! The log stays the truth. A snapshot is used only when the log is at least
//! N bytes long and a hash (xxh3) of all of its first N bytes equals the one
//! recorded, N being what the replay actually read and hashed, not the
//! log's length at save time (another process may have appended since). The
//! snapshot's own bytes carry a checksum, so a damaged file is never
//! trusted halfway. The lines after N are replayed on top. Anything that
//! does not check out means a full replay and a new snapshot.
//!
//! The histories depend on the log alone; only the states depend on the
//! settings, the decks' retentions, the time zone and the day rollover. A
//! snapshot taken under other settings still gives the histories, and the
//! states are recomputed from them (far cheaper than reading and replaying
//! the log). When the FSRS parameters and the day's bounds are the same
//! (a new retention, longest interval or exam), the memory states hold as
//! well, and only the due dates are worked out again ([`SettingsKey`]).
//!
//! The file is read, not mapped (a mapped file cut short by another
//! program kills the process with SIGBUS; the README's Performance section
//! has the figures). Opening reads and checks all of the file but the
//! reviews (24 bytes each, see `Review`), which are read in blocks of whole
//! cards when first needed (most launches need none: the states are kept;
//! one that replays answers logged since reads those cards' blocks) and
//! checked against each block's hash then; should the file have changed
//! meanwhile, they are rebuilt from the log. Layout: a 4-byte header length
//! and the header (postcard); from the next multiple of 8, the body:
//! reviews, card states, each card's review range, the end of each card's
//! key, the keys, padding to 8, then burials, suspensions, accepted answers
//! and the reviews' blocks with their hashes (postcard); last, an xxh3
//! checksum of everything before it but the reviews (which the blocks'
//! hashes cover).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytemuck::{Pod, Zeroable};
use fsrs::MemoryState;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::history::{History, Review, Shared};
use super::memory::CardState;
use crate::deck::cache;

const FORMAT: u32 = 6;

#[derive(Serialize, Deserialize, PartialEq)]
struct Header {
    format: u32,
    version: String,
    little_endian: bool,
    /// The log this covers (canonical), so that stale snapshots of logs
    /// that are gone can be removed.
    log: String,
    /// What the states were derived under ([`settings_key`]).
    settings: SettingsKey,
    /// Bytes of the log replayed, and the xxh3 of all of them.
    log_len: u64,
    log_hash: u64,
    /// The latest answer covered: later lines older than this (a merge)
    /// force a full replay, since replay is in time order.
    latest_ms: i64,
    cards: u64,
    reviews: u64,
    key_bytes: u64,
    answer_times: (u64, u64),
}

/// A card's state in 48 bytes, as stored.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct PackedState {
    last_ms: i64,
    last_id: u64,
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
            last_ms: s.last_review.map_or(0, jiff::Timestamp::as_millisecond),
            last_id: s.last_id,
            due_ms: s.due.map_or(0, jiff::Timestamp::as_millisecond),
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
            last_id: self.last_id,
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
    /// The reviews in blocks of whole cards: where each block ends (in
    /// reviews) and the xxh3 of its bytes.
    review_blocks: Vec<(u32, u64)>,
}

/// Reviews per block, at least (a block ends with a card): a launch that
/// replays answers logged since the snapshot reads those cards' blocks, not
/// all of the reviews (24 MB for a million).
const BLOCK_REVIEWS: usize = 4096;

/// What a snapshot restores.
pub struct Snapshot {
    pub history: History,
    /// By the history's slots, derived under [`Snapshot::settings`]; the
    /// caller keeps what of them the current settings allow.
    pub states: Option<Vec<CardState>>,
    /// The settings the states were derived under ([`settings_key`]).
    pub settings: SettingsKey,
    /// Bytes of the log it covers.
    pub log_len: u64,
    pub latest: Timestamp,
}

/// What the states depend on besides the log, as stable hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsKey {
    /// What the memory states depend on: the FSRS parameters and the day's
    /// bounds (a review's elapsed days count study days).
    pub memory: u64,
    /// Everything: with the retentions, the longest interval, leeches and
    /// exams, which change only the due dates (`Memory::reschedule`).
    pub all: u64,
}

pub fn settings_key(
    config: &crate::config::Config,
    decks: &[crate::deck::Deck],
    days: &super::Days,
) -> SettingsKey {
    use std::fmt::Write;
    let mut text = String::new();
    for p in &config.parameters {
        let _ = write!(text, "{:08x} ", p.to_bits());
    }
    let _ = write!(text, "{}|", days.describe());
    let memory = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    let _ = write!(
        text,
        "|{:08x}|{}|{}|{:?}|",
        config.desired_retention.to_bits(),
        config.maximum_interval_days,
        config.leech_threshold,
        config.leech_action
    );
    for e in &config.exams {
        let _ = write!(text, "{:?}|{:?}|{}|", e.date, e.decks, e.minutes_per_day);
    }
    for d in decks {
        let _ = write!(text, "{}:{:?}|", d.id, d.retention.map(f32::to_bits));
    }
    SettingsKey {
        memory,
        all: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
    }
}

/// The log's name as a snapshot records it: canonical when it exists.
pub(crate) fn log_name(log: &Path) -> String {
    std::fs::canonicalize(log)
        .unwrap_or_else(|_| log.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// One snapshot per log, named by a stable hash of its path.
fn file(dir: &Path, log_name: &str) -> PathBuf {
    dir.join(format!(
        "replay-{:016x}.bin",
        xxhash_rust::xxh3::xxh3_64(log_name.as_bytes())
    ))
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

/// The snapshot's reviews, read from its file a block at a time when first
/// needed (a launch that answers nothing seldom needs any: the states are
/// in memory), each block checked against its hash then. Should the file
/// have changed since it was opened, the reviews are rebuilt from the log,
/// never served wrong.
struct Lazy {
    file: std::fs::File,
    /// Where the reviews lie in the file, and how many there are.
    offset: u64,
    count: usize,
    /// Where each block ends (in reviews), its hash, and it once read (None
    /// when it did not check out).
    blocks: Vec<(u32, u64)>,
    loaded: Vec<std::sync::OnceLock<Option<Box<[Review]>>>>,
    /// The block that holds review `i * BLOCK_REVIEWS`, for each `i`: a
    /// card's block is found in a step or two (blocks are at least that
    /// long), not by a search on every look at a card.
    block_at: Vec<u32>,
    /// To rebuild them: the log and what of it the snapshot covers, and
    /// each slot's key (`key_text` cut at `key_ends`).
    log: PathBuf,
    log_len: u64,
    log_hash: u64,
    key_text: Box<str>,
    key_ends: Box<[u32]>,
    rebuilt: std::sync::OnceLock<Vec<Review>>,
}

impl Lazy {
    /// Block `b`'s reviews, when they read and check out.
    fn read_block(&self, b: usize) -> Option<Box<[Review]>> {
        use std::os::unix::fs::FileExt;
        let start = match b {
            0 => 0,
            _ => self.blocks.get(b - 1)?.0 as usize,
        };
        let (end, hash) = *self.blocks.get(b)?;
        let mut reviews = vec![Review::zeroed(); (end as usize).checked_sub(start)?];
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut reviews);
        let at = self.offset + (start * size_of::<Review>()) as u64;
        // Read at a position: blocks may be read by several threads at once.
        self.file.read_exact_at(bytes, at).ok()?;
        (xxhash_rust::xxh3::xxh3_64(bytes) == hash).then(|| reviews.into_boxed_slice())
    }

    /// The reviews as the snapshot lays them out, from the log it covers.
    fn rebuild(&self) -> Option<Vec<Review>> {
        let bytes = std::fs::read(&self.log).ok()?;
        let covered = bytes.get(..usize::try_from(self.log_len).ok()?)?;
        if xxhash_rust::xxh3::xxh3_64(covered) != self.log_hash {
            return None;
        }
        let events = crate::progress::store::parse(&self.log, covered)
            .ok()?
            .events;
        let history = History::from_events(&events);
        let mut reviews = Vec::with_capacity(self.count);
        let mut start = 0usize;
        for end in &self.key_ends {
            let end = *end as usize;
            reviews.extend_from_slice(history.reviews_of(self.key_text.get(start..end)?));
            start = end;
        }
        (reviews.len() == self.count).then_some(reviews)
    }
}

impl Shared for Lazy {
    fn range(&self, start: usize, len: usize) -> &[Review] {
        if len == 0 {
            return &[];
        }
        let mut b = self
            .block_at
            .get(start / BLOCK_REVIEWS)
            .map_or(self.blocks.len(), |b| *b as usize);
        while self
            .blocks
            .get(b)
            .is_some_and(|(end, _)| *end as usize <= start)
        {
            b += 1;
        }
        let first = match b {
            0 => 0,
            _ => self.blocks[b - 1].0 as usize,
        };
        let block = self
            .loaded
            .get(b)
            .and_then(|l| l.get_or_init(|| self.read_block(b)).as_deref());
        if let Some(reviews) = block.and_then(|r| r.get(start - first..start - first + len)) {
            return reviews;
        }
        self.rebuilt
            .get_or_init(|| self.rebuild().unwrap_or_default())
            .get(start..start + len)
            .unwrap_or(&[])
    }

    fn count(&self) -> usize {
        self.count
    }
}

/// A snapshot file's header alone, when it is of this format (to judge
/// whether the file is stale, without reading it all).
fn header_of(path: &Path) -> Option<Header> {
    let head = cache::head(path, 64 << 10)?;
    let header_len = u32::from_le_bytes(head.get(..4)?.try_into().ok()?) as usize;
    let header: Header =
        postcard::from_bytes(head.get(4..4usize.checked_add(header_len)?)?).ok()?;
    (header.format == FORMAT
        && header.version == env!("CARGO_PKG_VERSION")
        && header.little_endian == cfg!(target_endian = "little"))
    .then_some(header)
}

/// What a snapshot claims to cover, to be checked against the log: its
/// header, and all of the file but the reviews (checked, in memory).
pub struct Candidate {
    file: std::fs::File,
    header: Header,
    /// Where the body starts in the file.
    body: usize,
    /// The body after the reviews, without the checksum.
    rest: Vec<u64>,
    rest_len: usize,
}

impl Candidate {
    /// Bytes of the log the snapshot covers, and their xxh3.
    pub fn covers(&self) -> (u64, u64) {
        (self.header.log_len, self.header.log_hash)
    }
}

/// The snapshot for this log, when its checksum holds (over all but the
/// reviews, which are checked by their own hash when read). The caller
/// checks [`Candidate::covers`] against the log, then calls [`restore`].
pub fn find(dir: &Path, log: &Path) -> Option<Candidate> {
    use std::io::Read;
    let name = log_name(log);
    let path = file(dir, &name);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut file = std::fs::File::open(&path).ok()?;
    let total = usize::try_from(file.metadata().ok()?.len()).ok()?;
    let mut sum = xxhash_rust::xxh3::Xxh3::new();
    let mut head = [0u8; 4];
    file.read_exact(&mut head).ok()?;
    sum.update(&head);
    let header_len = u32::from_le_bytes(head) as usize;
    let body = pad8(4usize.checked_add(header_len)?);
    let mut header_bytes = vec![0u8; body.checked_sub(4)?];
    if body > total {
        return None;
    }
    file.read_exact(&mut header_bytes).ok()?;
    sum.update(&header_bytes);
    let header: Header = postcard::from_bytes(header_bytes.get(..header_len)?).ok()?;
    if header.format != FORMAT
        || header.version != env!("CARGO_PKG_VERSION")
        || header.little_endian != cfg!(target_endian = "little")
        || header.log != name
    {
        return None;
    }
    let region = usize::try_from(header.reviews)
        .ok()?
        .checked_mul(size_of::<Review>())?;
    let rest_len = total
        .checked_sub(body)?
        .checked_sub(region)?
        .checked_sub(8)?;
    // The reviews are checked by their own hash when they are read.
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Current(i64::try_from(region).ok()?))
        .ok()?;
    let mut rest = vec![0u64; rest_len.div_ceil(8)];
    let rest_bytes = &mut bytemuck::cast_slice_mut::<u64, u8>(&mut rest)[..rest_len];
    file.read_exact(rest_bytes).ok()?;
    sum.update(rest_bytes);
    let mut stored = [0u8; 8];
    file.read_exact(&mut stored).ok()?;
    if sum.digest().to_le_bytes() != stored {
        return None;
    }
    Some(Candidate {
        file,
        header,
        body,
        rest,
        rest_len,
    })
}

/// The history and states of a snapshot whose coverage the caller has
/// checked against the log (the caller compares [`Snapshot::settings`]
/// with its own before using the states).
pub fn restore(candidate: Candidate) -> Option<Snapshot> {
    let Candidate {
        file,
        header,
        body,
        rest,
        rest_len,
    } = candidate;
    let layout = Layout::of(&header)?;
    let bytes = cache::cache_bytes(&rest, rest_len);
    // Offsets in `rest`, which starts where the reviews end.
    let skip = layout.reviews.end;
    let part = |r: &std::ops::Range<usize>| bytes.get(r.start - skip..r.end - skip);
    let states: &[PackedState] = bytemuck::try_cast_slice(part(&layout.states)?).ok()?;
    let ranges: &[[u32; 2]] = bytemuck::try_cast_slice(part(&layout.ranges)?).ok()?;
    let key_ends: &[u32] = bytemuck::try_cast_slice(part(&layout.key_ends)?).ok()?;
    let key_text = std::str::from_utf8(part(&layout.keys)?).ok()?;
    let extras: Extras =
        postcard::from_bytes(bytes.get(layout.extras.checked_sub(skip)?..)?).ok()?;
    let keys = super::history::Names::new(key_text.to_owned(), key_ends.to_vec())?;
    let states = Some(states.iter().map(PackedState::unpack).collect());
    let ranges: Vec<(u32, u32)> = ranges.iter().map(|r| (r[0], r[1])).collect();
    let count = usize::try_from(header.reviews).ok()?;
    // Blocks that end in order, the last at the last review.
    let blocks = extras.review_blocks;
    let ordered = blocks.windows(2).all(|w| w[0].0 < w[1].0);
    let last = blocks.last().map_or(0, |b| b.0 as usize);
    if !ordered || last != count {
        return None;
    }
    let block_at = (0..count.div_ceil(BLOCK_REVIEWS))
        .map(|i| {
            let first = i * BLOCK_REVIEWS;
            blocks.partition_point(|(end, _)| *end as usize <= first) as u32
        })
        .collect();
    let shared = Arc::new(Lazy {
        file,
        offset: (body + layout.reviews.start) as u64,
        count,
        block_at,
        loaded: blocks.iter().map(|_| std::sync::OnceLock::new()).collect(),
        blocks,
        log: PathBuf::from(&header.log),
        log_len: header.log_len,
        log_hash: header.log_hash,
        key_text: key_text.into(),
        key_ends: key_ends.into(),
        rebuilt: std::sync::OnceLock::new(),
    });
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
        settings: header.settings,
        log_len: header.log_len,
        latest: Timestamp::from_millisecond(header.latest_ms).ok()?,
    })
}

/// What a snapshot is saved from: the history and states replayed from
/// exactly `log_len` bytes of the log, whose xxh3 is `log_hash`.
pub struct Covered {
    pub log_len: u64,
    pub log_hash: u64,
}

/// Saves a snapshot, then removes snapshots of logs that are gone, of
/// older formats, and temporary files of killed writes. Failure only costs
/// speed next time, so it is silent.
pub fn save(
    dir: &Path,
    log: &Path,
    settings: SettingsKey,
    history: &History,
    states: &[CardState],
    covered: Covered,
) {
    let name = log_name(log);
    let path = file(dir, &name);
    let _ = cache::write_atomically_with(dir, &path, |out| {
        encode(out, &name, settings, history, states, covered)
    });
    cache::sweep(dir, &path, "replay-", |other| {
        header_of(other).is_none_or(|header| !Path::new(&header.log).exists())
    });
}

/// Writes bytes on, hashing them for the checksum at the end.
struct Hashing<'w> {
    out: &'w mut dyn std::io::Write,
    hasher: xxhash_rust::xxh3::Xxh3,
    written: usize,
    /// Off while the reviews are written: they have their own hash.
    hashing: bool,
}

impl Hashing<'_> {
    fn put(&mut self, bytes: &[u8]) -> Option<()> {
        if self.hashing {
            self.hasher.update(bytes);
        }
        self.written += bytes.len();
        self.out.write_all(bytes).ok()
    }

    fn pad8(&mut self) -> Option<()> {
        let zeros = [0u8; 8];
        self.put(&zeros[..pad8(self.written) - self.written])
    }
}

/// Streams the snapshot to `out` part by part: building it in memory first
/// would touch tens of megabytes of fresh memory.
fn encode(
    out: &mut dyn std::io::Write,
    name: &str,
    settings: SettingsKey,
    history: &History,
    states: &[CardState],
    covered: Covered,
) -> Option<()> {
    let cards = history.len();
    let slots = 0..cards;
    let total: usize = slots.clone().map(|s| history.reviews_in(s).len()).sum();
    let key_bytes: usize = history.keys().map(|(k, _)| k.len()).sum();
    // Blocks of whole cards, each with its own hash.
    let mut review_blocks = Vec::new();
    let mut block = xxhash_rust::xxh3::Xxh3::new();
    let (mut in_block, mut done) = (0usize, 0usize);
    for slot in slots.clone() {
        let reviews = history.reviews_in(slot);
        block.update(bytemuck::cast_slice(reviews));
        in_block += reviews.len();
        done += reviews.len();
        let last = slot + 1 == cards && (in_block > 0 || review_blocks.is_empty());
        if in_block >= BLOCK_REVIEWS || last {
            review_blocks.push((u32::try_from(done).ok()?, block.digest()));
            block.reset();
            in_block = 0;
        }
    }
    u32::try_from(total).ok()?;
    u32::try_from(key_bytes).ok()?;
    let latest_ms = slots
        .clone()
        .filter_map(|s| {
            history
                .reviews_in(s)
                .iter()
                .map(|r| r.time().as_millisecond())
                .max()
        })
        .max()
        .unwrap_or(0);
    let header = Header {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        little_endian: cfg!(target_endian = "little"),
        log: name.to_string(),
        settings,
        log_len: covered.log_len,
        log_hash: covered.log_hash,
        latest_ms,
        cards: cards as u64,
        reviews: total as u64,
        key_bytes: key_bytes as u64,
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
        review_blocks,
    };
    let header_bytes = postcard::to_stdvec(&header).ok()?;
    let mut w = Hashing {
        out,
        hasher: xxhash_rust::xxh3::Xxh3::new(),
        written: 0,
        hashing: true,
    };
    w.put(&u32::try_from(header_bytes.len()).ok()?.to_le_bytes())?;
    w.put(&header_bytes)?;
    w.pad8()?;
    w.hashing = false;
    for slot in slots.clone() {
        w.put(bytemuck::cast_slice(history.reviews_in(slot)))?;
    }
    w.hashing = true;
    for slot in slots.clone() {
        let state = PackedState::pack(states.get(slot).unwrap_or(&CardState::NEW));
        w.put(bytemuck::bytes_of(&state))?;
    }
    let mut start = 0u32;
    for slot in slots.clone() {
        let len = history.reviews_in(slot).len() as u32;
        w.put(bytemuck::bytes_of(&[start, len]))?;
        start += len;
    }
    let mut end = 0u32;
    for (key, _) in history.keys() {
        end += key.len() as u32;
        w.put(&end.to_le_bytes())?;
    }
    for (key, _) in history.keys() {
        w.put(key.as_bytes())?;
    }
    w.pad8()?;
    w.put(&postcard::to_stdvec(&extras).ok()?)?;
    let sum = w.hasher.digest();
    w.out.write_all(&sum.to_le_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::progress::Mode;
    use crate::progress::{Event, EventId, EventKind};
    use crate::rating::Rating;
    use crate::schedule::{Days, memory::Memory};

    fn review(id: u64, hours: i64, key: &str, rating: Rating) -> Event {
        Event {
            id: EventId(id),
            time: Timestamp::from_second(1_700_000_000 + hours * 3600).expect("time"),
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
            time: Timestamp::from_second(1_700_000_000 + 900 * 3600).expect("time"),
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

    fn key(n: u64) -> SettingsKey {
        SettingsKey { memory: n, all: n }
    }

    /// As opening does: the snapshot, when it covers the log's first
    /// bytes as they are now, restored for settings `key`.
    fn load(dir: &Path, log: &Path, key: SettingsKey) -> Option<Snapshot> {
        let found = find(dir, log)?;
        let (len, hash) = found.covers();
        let bytes = std::fs::read(log).ok()?;
        let prefix = bytes.get(..usize::try_from(len).ok()?)?;
        if xxhash_rust::xxh3::xxh3_64(prefix) != hash {
            return None;
        }
        restore(found).map(|mut s| {
            if s.settings != key {
                s.states = None;
            }
            s
        })
    }

    /// Saves a snapshot of a log of `events`, and returns the folder.
    fn saved(events: &[Event]) -> (tempfile::TempDir, PathBuf, History, Vec<CardState>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("progress.log");
        let mut text = String::from("kioku-progress 1\n");
        for e in events {
            text.push_str(&e.to_line());
            text.push('\n');
        }
        std::fs::write(&log, &text).expect("write");
        let history = History::from_events(events);
        let states = states(&history);
        let covered = Covered {
            log_len: text.len() as u64,
            log_hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        };
        save(dir.path(), &log, key(7), &history, &states, covered);
        (dir, log, history, states)
    }

    #[test]
    fn a_snapshot_restores_every_review_and_state() {
        let (dir, log, history, states) = saved(&events());
        let snap = load(dir.path(), &log, key(7)).expect("snapshot loads");
        assert_eq!(snap.log_len, std::fs::metadata(&log).expect("log").len());
        assert_eq!(snap.history.len(), history.len());
        for (key, slot) in history.keys() {
            assert_eq!(
                snap.history.reviews_of(key),
                history.reviews_of(key),
                "{key}"
            );
            let restored = snap.history.slot(key).expect("slot");
            let restored_states = snap.states.as_ref().expect("same settings");
            assert_eq!(restored_states[restored], states[slot], "{key}");
        }
        assert!(snap.history.suspended.contains("d/c1"));
        assert_eq!(
            snap.history.mean_answer_seconds(),
            history.mean_answer_seconds()
        );
        // Other settings: the histories without the states.
        let other = load(dir.path(), &log, key(8)).expect("histories");
        assert!(other.states.is_none());
        assert_eq!(other.history.len(), history.len());
        // A changed log prefix: no snapshot.
        std::fs::write(&log, "kioku-progress 1\nother lines\n").expect("write");
        assert!(load(dir.path(), &log, key(7)).is_none());
    }

    #[test]
    fn answers_on_top_of_a_snapshot_copy_only_that_card() {
        let (dir, log, _, _) = saved(&events());
        let mut snap = load(dir.path(), &log, key(7)).expect("snapshot loads");
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
            time: Timestamp::from_second(1_750_000_000).expect("time"),
            kind: EventKind::Undo { target },
        });
        assert_eq!(snap.history.reviews_of("d/c3"), &other[1..]);
    }

    /// The reviews are read a block at a time: a card's block is read and
    /// checked on its own, so a damaged block costs a rebuild from the log
    /// (here gone: its cards come back empty, never wrong) while the other
    /// blocks are still served.
    #[test]
    fn reviews_are_read_and_checked_a_block_at_a_time() {
        // 3 blocks and more: 1,000 cards of 10 reviews each.
        let events: Vec<Event> = (0..10_000u64)
            .map(|i| {
                review(
                    i + 1,
                    i as i64,
                    &format!("d/c{:04}", i % 1000),
                    Rating::Good,
                )
            })
            .collect();
        let (dir, log, history, _) = saved(&events);
        let path = file(dir.path(), &log_name(&log));
        let mut bytes = std::fs::read(&path).expect("read");
        let header_len = u32::from_le_bytes(bytes[..4].try_into().expect("len")) as usize;
        // A byte of the last card's reviews, in the last block.
        let body = pad8(4 + header_len);
        bytes[body + 9_999 * size_of::<Review>() + 3] ^= 0x5a;
        std::fs::write(&path, &bytes).expect("write");
        let snap = load(dir.path(), &log, key(7)).expect("opens: the reviews are not read yet");
        std::fs::remove_file(&log).expect("rm");
        assert_eq!(
            snap.history.reviews_of("d/c0000"),
            history.reviews_of("d/c0000")
        );
        assert_eq!(snap.history.reviews_of("d/c0000").len(), 10);
        assert!(snap.history.reviews_of("d/c0999").is_empty());
    }

    #[test]
    fn a_damaged_snapshot_is_ignored_never_trusted_halfway() {
        let (dir, log, _, _) = saved(&events());
        let path = file(dir.path(), &log_name(&log));
        let good = std::fs::read(&path).expect("read");
        for cut in [0, 3, 10, good.len() / 2, good.len() - 1] {
            std::fs::write(&path, &good[..cut]).expect("write");
            assert!(load(dir.path(), &log, key(7)).is_none(), "cut at {cut}");
        }
        // A flipped byte anywhere, header, body or checksum, is noticed:
        // at opening, or in the reviews when they are read (which are then
        // rebuilt from the log).
        let history = History::from_events(&events());
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            std::fs::write(&path, &bad).expect("write");
            if let Some(snap) = load(dir.path(), &log, key(7)) {
                for (key, _) in history.keys() {
                    assert_eq!(
                        snap.history.reviews_of(key),
                        history.reviews_of(key),
                        "flip at {at}"
                    );
                }
            }
        }
        std::fs::write(&path, &good).expect("write");
        assert!(load(dir.path(), &log, key(7)).is_some());
    }

    #[test]
    fn saving_removes_stale_snapshots_and_killed_writes_only() {
        let (dir, log, history, states) = saved(&events());
        let ours = file(dir.path(), &log_name(&log));
        // An older format's file, a snapshot of a log that is gone, a
        // killed write's temporary file (old) and a live one (new).
        let old_format = dir.path().join("replay-00000000000000aa.bin");
        std::fs::write(&old_format, b"old format").expect("write");
        let gone_log = dir.path().join("gone.log");
        std::fs::write(&gone_log, "kioku-progress 1\nsome lines\n").expect("write");
        let covered = || Covered {
            log_len: 0,
            log_hash: xxhash_rust::xxh3::xxh3_64(&[]),
        };
        save(dir.path(), &gone_log, key(7), &history, &states, covered());
        let gone = file(dir.path(), &log_name(&gone_log));
        assert!(gone.exists());
        std::fs::remove_file(&gone_log).expect("remove");
        // Another log that still exists keeps its snapshot.
        let other_log = dir.path().join("other.log");
        std::fs::write(&other_log, "kioku-progress 1\n").expect("write");
        save(dir.path(), &other_log, key(7), &history, &states, covered());
        let other = file(dir.path(), &log_name(&other_log));
        let killed = dir.path().join(".kioku-tmp-killed");
        std::fs::write(&killed, vec![0u8; 1000]).expect("write");
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&killed)
            .expect("open")
            .set_modified(old)
            .expect("age");
        let live = dir.path().join(".kioku-tmp-live");
        std::fs::write(&live, b"being written").expect("write");
        save(dir.path(), &log, key(7), &history, &states, covered());
        assert!(ours.exists());
        assert!(other.exists(), "another log's snapshot stays");
        assert!(live.exists(), "a write in progress is left alone");
        assert!(!old_format.exists(), "older formats go");
        assert!(!gone.exists(), "snapshots of logs that are gone go");
        assert!(!killed.exists(), "temporary files of killed writes go");
    }
}
