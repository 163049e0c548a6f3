//! Opening the schedule: the progress log replayed into a [`Scheduler`],
//! through the replay snapshot when it checks out, else in full.
//!
//! Correct by construction: the log is read once, every byte read is
//! hashed, and a new snapshot records exactly the bytes that were parsed
//! (their length and hash), never the log's length at save time, which
//! another process may have appended to meanwhile.
//!
//! Without a snapshot, the log is replayed as it streams in, a block at a
//! time ([`Streaming`]): its bytes and its events are never all in memory
//! at once (a million answers: 80 MB of text, 100 MB of events).

use std::io::Read;
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

use super::history::{History, Streaming};
use super::scheduler::Restored;
use super::snapshot::{self, Covered};
use super::stamp::{self, Stamp};
use super::{Days, Scheduler};
use crate::config::Config;
use crate::deck::Deck;
use crate::error::Error;
use crate::progress::{self, Event, LoadedLog, Store};

/// Reads of the log for hashing go through a buffer of this size.
const STREAM_BUFFER: usize = 256 << 10;

/// Appended lines beyond which a new snapshot is worth writing.
const RESNAPSHOT_AFTER: usize = 5_000;

/// What the commands get: the scheduler, the log locked for writing (for a
/// session that records answers), and what reading the log noticed (to be
/// said once).
pub(crate) struct Opened<'d> {
    pub scheduler: Scheduler<'d>,
    pub log: Option<Store>,
    pub warnings: Vec<String>,
    /// A session's new snapshot, to be written beside it (see [`open`]).
    pub saving: Option<Saving>,
}

/// A snapshot written on a thread of its own beside a session. The thread
/// waits until the session has its first card to show (or ends): on two
/// cores, writing 30 MB beside the opening would slow the first card.
pub(crate) struct Saving {
    go: Option<std::sync::mpsc::Sender<()>>,
    thread: std::thread::JoinHandle<()>,
}

impl Saving {
    /// Lets the thread write (once; later calls do nothing).
    pub(crate) fn start(&mut self) {
        // Dropping the sender wakes the thread as sending would.
        self.go.take();
    }

    /// Starts the thread if it waits, and waits for it to finish.
    pub(crate) fn finish(mut self) {
        self.start();
        // A snapshot that could not be written only costs speed.
        let _ = self.thread.join();
    }
}

/// Where the log and the caches are, and whether a session will write.
pub(crate) struct Sources<'a> {
    pub log: &'a Path,
    /// None: no caches.
    pub cache: Option<&'a Path>,
    /// Take the log's lock, for a session that records answers.
    pub writable: bool,
}

/// Opens the scheduler for `decks` from the log, saving a new snapshot
/// when the old one did not serve or is far behind. For a session (a
/// writable open) the snapshot is written on a thread of its own, from a
/// copy, while the first card is shown: writing it takes tens of
/// milliseconds, which a learner reading the card never notices.
pub(crate) fn open<'d>(
    decks: &'d [Deck],
    config: Config,
    sources: &Sources,
    prefetched: Option<Prefetch>,
) -> Result<Opened<'d>, Error> {
    let (mut opened, pending) = open_unsaved(decks, config, sources, prefetched)?;
    if let Some(pending) = pending {
        if sources.writable {
            opened.saving = Some(pending.save_beside(&opened.scheduler));
        } else {
            pending.save(&opened.scheduler);
        }
    }
    Ok(opened)
}

/// A snapshot to save of a scheduler just opened: what it covers.
pub(crate) struct Pending {
    dir: std::path::PathBuf,
    log: std::path::PathBuf,
    settings: snapshot::SettingsKey,
    cover: Cover,
}

/// What a new snapshot covers: known, or the log's first bytes, to hash
/// when the snapshot is written (a session holds the log's lock, so those
/// bytes stay as they were read; hashing 80 MB beside the session rather
/// than before its first card).
enum Cover {
    Known(Covered),
    Prefix(u64),
}

impl Pending {
    pub(crate) fn save(self, scheduler: &Scheduler) {
        self.save_parts(scheduler.history(), scheduler.states());
    }

    /// [`Pending::save`] on a thread of its own, from a copy of the
    /// histories and states, once [`Saving::start`] lets it: the caller
    /// goes on, and finishes the thread before it exits.
    fn save_beside(self, scheduler: &Scheduler) -> Saving {
        let history = scheduler.history().clone();
        let states = scheduler.states().to_vec();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let _ = wait.recv();
            self.save_parts(&history, &states);
        });
        Saving {
            go: Some(go),
            thread,
        }
    }

    fn save_parts(self, history: &super::History, states: &[super::memory::CardState]) {
        let covered = match self.cover {
            Cover::Known(covered) => Some(covered),
            Cover::Prefix(len) => hash_prefix(&self.log, len).ok().flatten(),
        };
        if let Some(covered) = covered {
            snapshot::save(
                &self.dir,
                &self.log,
                self.settings,
                history,
                states,
                covered,
            );
        }
    }
}

/// [`open`], with the snapshot to save returned rather than saved (so that
/// a test can append to the log in between, as another process may).
pub(crate) fn open_unsaved<'d>(
    decks: &'d [Deck],
    config: Config,
    sources: &Sources,
    prefetched: Option<Prefetch>,
) -> Result<(Opened<'d>, Option<Pending>), Error> {
    let path = sources.log;
    let days = Days::local(config.day_starts_at);
    let settings = snapshot::settings_key(&config, decks, &days);
    // Renamed cards (`was`) move their history to new keys, and the
    // snapshot's histories are keyed as the log is: with renames, the log is
    // replayed in full and no snapshot is used or saved.
    let renames = crate::deck::renames(decks);
    let cache = sources.cache.filter(|_| renames.is_empty());
    let checked = match prefetched.and_then(|p| p.take(path, cache, sources.writable)) {
        Some(checked) => checked?,
        None => Checked::read(path, cache, !sources.writable)?,
    };
    let Checked {
        snap,
        read,
        parsed,
        history,
        store,
    } = checked;
    let offset = snap.as_ref().map_or(0, |s| s.log_len);
    let mut read = read;
    let (store, mut log, mut covered, mut streamed) = if let Some(store) = store {
        (
            Some(store),
            parsed.unwrap_or_else(|| Ok(LoadedLog::default()))?,
            None,
            history,
        )
    } else if sources.writable {
        // The bytes read so far only served to check the snapshot.
        read.bytes = Vec::new();
        // Under the lock nothing else appends: what follows `offset` is
        // read again there, and the hash is taken again when it is needed.
        if snap.is_none() && renames.is_empty() {
            let (store, log, history) = locked_and_streamed(path)?;
            (Some(store), log, None, history)
        } else {
            let (store, log) = Store::open_from(path, offset)?;
            (Some(store), log, None, None)
        }
    } else {
        let log = match parsed {
            Some(parsed) => parsed?,
            None => parse(path, &read)?,
        };
        // Parsed: the bytes must not stay alive through the replay (80 MB).
        read.bytes = Vec::new();
        // Only what this read parsed may be covered by a new snapshot.
        let covered = (log.from == read.span.from).then_some(read.span);
        (None, log, covered, history)
    };
    if streamed.is_some() && !renames.is_empty() {
        // Streamed ahead, before the decks said that cards were renamed:
        // the histories are under the old keys, and the events are wanted.
        log = progress::store::read(path)?;
        streamed = None;
    }
    let warnings = log.warnings.clone();
    let clean = log.is_clean();
    let parsed_to = log.to;
    follow_renames(&renames, &mut log.events);
    let (scheduler, save) = match (snap, streamed) {
        // The tail follows the snapshot in time, in order: replay just it.
        (Some(snap), _) if log.from == offset && follows(&log.events, snap.latest) => {
            // Taken under other settings, the histories serve, and the
            // states as far as those settings allow.
            let states = match snap.states {
                Some(states) if snap.settings == settings => Restored::Current(states),
                Some(states) if snap.settings.memory == settings.memory => {
                    Restored::SameMemory(states)
                }
                _ => Restored::Replay,
            };
            let recomputed = !matches!(states, Restored::Current(_));
            let tail = log.events.len();
            let scheduler =
                Scheduler::from_parts(decks, config, snap.history, states, &log.events, days);
            (scheduler, recomputed || tail > RESNAPSHOT_AFTER)
        }
        // Streamed into histories as it was read.
        (None, Some(history)) => {
            let scheduler =
                Scheduler::from_parts(decks, config, history, Restored::Replay, &[], days);
            (scheduler, true)
        }
        (snap, _) => {
            // No snapshot, or a merge put older answers after it.
            let events = if snap.is_some() && log.from != 0 {
                let (mut full, read) = read_all(path)?;
                covered = Some(read);
                follow_renames(&renames, &mut full.events);
                full.events
            } else {
                log.events
            };
            let scheduler = Scheduler::new(decks, config, &events, days);
            (scheduler, true)
        }
    };
    let pending = match (cache, save && clean) {
        (Some(dir), true) => {
            let cover = match covered {
                Some(span) => span.covered(path).map(Cover::Known),
                // Writable: the lock is held, so the log is as parsed.
                None if sources.writable => Some(Cover::Prefix(parsed_to)),
                None => None,
            };
            cover.map(|cover| Pending {
                dir: dir.to_path_buf(),
                log: path.to_path_buf(),
                settings,
                cover,
            })
        }
        _ => None,
    };
    Ok((
        Opened {
            scheduler,
            log: store,
            warnings,
            saving: None,
        },
        pending,
    ))
}

/// The log read and checked against the snapshot, which is restored when
/// it covers the log's first bytes; and parsed, when asked.
pub(crate) struct Checked {
    snap: Option<snapshot::Snapshot>,
    read: LogRead,
    parsed: Option<Result<LoadedLog, Error>>,
    /// The whole log replayed into histories as it was parsed (then
    /// `parsed` holds no events).
    history: Option<History>,
    /// For a session without caches: the log, locked, as `parsed` read it.
    store: Option<Store>,
}

impl Checked {
    fn read(path: &Path, cache: Option<&Path>, parse_too: bool) -> Result<Checked, Error> {
        if cache.is_none() {
            // No snapshot to check: the log is replayed as it streams in, by
            // a session under its lock (taken now).
            let (store, log, history) = if parse_too {
                let ((), log, history) = streamed(path, |sink| {
                    progress::store::read_with(path, Some(sink)).map(|l| ((), l))
                })?;
                (None, log, history)
            } else {
                let (store, log, history) = locked_and_streamed(path)?;
                (Some(store), log, history)
            };
            return Ok(Checked {
                snap: None,
                read: LogRead {
                    bytes: Vec::new(),
                    span: Span::empty(),
                },
                parsed: Some(Ok(log)),
                history,
                store,
            });
        }
        let candidate = cache.and_then(|d| snapshot::find(d, path));
        let read = read_log(
            path,
            candidate.as_ref().map(snapshot::Candidate::covers),
            cache,
        )?;
        let snap = match candidate {
            Some(c) if read.span.from > 0 => snapshot::restore(c),
            _ => None,
        };
        // The snapshot's hash held but its body did not: read all of it.
        let mut read = if snap.is_none() && read.span.from > 0 {
            read_log(path, None, cache)?
        } else {
            read
        };
        let parsed = parse_too.then(|| parse(path, &read));
        if parsed.is_some() {
            // Parsed: the bytes must not stay alive through the replay.
            read.bytes = Vec::new();
        }
        Ok(Checked {
            snap,
            read,
            parsed,
            history: None,
            store: None,
        })
    }
}

/// [`Checked::read`] started on a thread of its own while the decks load:
/// hashing (and without a snapshot, parsing) the log and loading the decks
/// take about as long, and neither needs the other. A session that will
/// write reads the log again under its lock, so for it the log is only
/// checked, not parsed.
pub(crate) struct Prefetch {
    log: std::path::PathBuf,
    cache: Option<std::path::PathBuf>,
    writable: bool,
    thread: std::thread::JoinHandle<Result<Checked, Error>>,
}

impl Prefetch {
    pub(crate) fn start(log: &Path, cache: Option<&Path>, writable: bool) -> Prefetch {
        let (log, cache) = (log.to_path_buf(), cache.map(Path::to_path_buf));
        let (thread_log, thread_cache) = (log.clone(), cache.clone());
        Prefetch {
            log,
            cache,
            writable,
            thread: std::thread::spawn(move || {
                Checked::read(&thread_log, thread_cache.as_deref(), !writable)
            }),
        }
    }

    /// What the thread read, when it read what is wanted now (with renames
    /// in the decks no snapshot is used, which the thread could not know).
    fn take(
        self,
        log: &Path,
        cache: Option<&Path>,
        writable: bool,
    ) -> Option<Result<Checked, Error>> {
        let wanted = self.log == log && self.cache.as_deref() == cache && self.writable == writable;
        let checked = self.thread.join().ok()?;
        wanted.then_some(checked)
    }
}

/// The whole log replayed into histories as `read` streams it in (see
/// [`Streaming`]): with what the read noticed, and whatever else `read`
/// returns. When streaming cannot build them, the log is read again and
/// its events are returned instead, for the caller to replay.
fn streamed<T>(
    path: &Path,
    read: impl FnOnce(progress::store::Sink<'_>) -> Result<(T, LoadedLog), Error>,
) -> Result<(T, LoadedLog, Option<History>), Error> {
    // A line of the log is at least about 64 bytes: room for that many
    // answers (up to 32 million), which costs memory only where written.
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let room = usize::try_from(size / 64).unwrap_or(0).min(1 << 25);
    let mut streaming = Streaming::with_capacity(room);
    let (other, log) = read(&mut |events: &mut Vec<Event>| {
        events.iter().for_each(|e| streaming.push(e));
    })?;
    match streaming.finish() {
        Some(history) => Ok((other, log, Some(history))),
        None => Ok((other, progress::store::read(path)?, None)),
    }
}

/// The log opened for a session (locked) and replayed as it streams in.
fn locked_and_streamed(path: &Path) -> Result<(Store, LoadedLog, Option<History>), Error> {
    streamed(path, |sink| Store::open_streaming(path, 0, Some(sink)))
}

/// Moves the events of renamed cards (`was = [...]`) to their new keys, so
/// a card's history follows it. Costs nothing when no card was renamed.
pub(crate) fn follow_renames(
    renames: &std::collections::HashMap<String, String>,
    events: &mut [crate::progress::Event],
) {
    use crate::progress::EventKind;
    if renames.is_empty() {
        return;
    }
    for e in events {
        match &mut e.kind {
            EventKind::Review { key, .. }
            | EventKind::Bury { key, .. }
            | EventKind::Suspend { key }
            | EventKind::Unsuspend { key }
            | EventKind::Accept { key, .. } => {
                if let std::borrow::Cow::Owned(new) = crate::deck::current_key(renames, key) {
                    *key = new.into();
                }
            }
            EventKind::Undo { .. } => {}
        }
    }
}

/// Whether `events` are in time order, all after `latest` (a merge can
/// append older answers, which only a full replay puts in their place; and
/// a copy of a line the snapshot covers is no later than `latest`, so only
/// a full replay, which counts each event id once, sees it for a copy).
fn follows(events: &[Event], latest: jiff::Timestamp) -> bool {
    events.first().is_none_or(|e| e.time > latest)
        && events.windows(2).all(|w| w[0].time <= w[1].time)
}

/// The log as read: the bytes from `span.from` on, and what was read.
struct LogRead {
    bytes: Vec<u8>,
    span: Span,
}

/// How much of the log a read covered, and its xxh3 where known.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    from: u64,
    len: u64,
    /// Of all `len` bytes; None when a stamp vouched for the first `from`
    /// bytes, which were then not read.
    hash: Option<u64>,
    /// Of the first `from` bytes, and of the rest (for [`Span::covered`]).
    parts: (u64, u64),
}

impl Span {
    fn empty() -> Span {
        let none = xxhash_rust::xxh3::xxh3_64(&[]);
        Span {
            from: 0,
            len: 0,
            hash: Some(none),
            parts: (none, none),
        }
    }

    /// What a snapshot of this read covers. When a stamp spared reading
    /// the first bytes, the log is hashed now, and only if both parts
    /// still hash as read: a snapshot must never claim bytes that were
    /// not replayed.
    fn covered(&self, path: &Path) -> Option<Covered> {
        if let Some(log_hash) = self.hash {
            return Some(Covered {
                log_len: self.len,
                log_hash,
            });
        }
        let file = std::fs::File::open(path).ok()?;
        let (mut whole, mut first, mut rest) = (Xxh3::new(), Xxh3::new(), Xxh3::new());
        let mut at = 0u64;
        stream(path, &file, self.len, |chunk| {
            whole.update(chunk);
            let split = usize::try_from(self.from.saturating_sub(at))
                .unwrap_or(usize::MAX)
                .min(chunk.len());
            first.update(&chunk[..split]);
            rest.update(&chunk[split..]);
            at += chunk.len() as u64;
        })
        .ok()?;
        (at == self.len && (first.digest(), rest.digest()) == self.parts).then(|| Covered {
            log_len: self.len,
            log_hash: whole.digest(),
        })
    }
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::ProgressRead {
        path: path.to_path_buf(),
        source,
    }
}

/// Feeds `file` from where it is to `f` through a small buffer that stays
/// in the processor's cache, at most `limit` bytes.
fn stream(
    path: &Path,
    mut file: &std::fs::File,
    limit: u64,
    mut f: impl FnMut(&[u8]),
) -> Result<(), Error> {
    let mut buf = vec![0u8; STREAM_BUFFER];
    let mut left = limit;
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => {
                f(&buf[..n]);
                left -= n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(read_error(path, e)),
        }
    }
    Ok(())
}

/// Reads the log once. With `cover` (a snapshot's length and hash), only
/// the bytes after it are kept, and only when the first `len` bytes hash
/// to it (or the log's stamp in `stamps` vouches that they do); otherwise
/// (`from` is 0) all are kept. A missing log, or a device in its place, is
/// empty. A read that hashed a log left alone for a while stamps it.
fn read_log(
    path: &Path,
    cover: Option<(u64, u64)>,
    stamps: Option<&Path>,
) -> Result<LogRead, Error> {
    let empty = || LogRead {
        bytes: Vec::new(),
        span: Span::empty(),
    };
    let read_at = std::time::SystemTime::now();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(empty()),
        Err(e) => return Err(read_error(path, e)),
    };
    let meta = file.metadata().map_err(|e| read_error(path, e))?;
    if !meta.is_file() {
        return Ok(empty());
    }
    let stamp = stamps.and_then(|_| Stamp::of(&meta));
    let name = stamps.map(|_| snapshot::log_name(path));
    // Stamps the file when it is as it was before the read.
    let stamp_it = |prefixes: &[(u64, u64)]| {
        if let (Some(dir), Some(name), Some(before)) = (stamps, &name, stamp)
            && file
                .metadata()
                .ok()
                .and_then(|m| Stamp::of(&m))
                .is_some_and(|after| after == before)
        {
            stamp::record(dir, name, before, read_at, prefixes);
        }
    };
    let Some((cover_len, cover_hash)) = cover.filter(|c| c.0 > 0) else {
        // Sized at once: grown by doubling, 80 MB are copied twice over.
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        (&file)
            .read_to_end(&mut bytes)
            .map_err(|e| read_error(path, e))?;
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let len = bytes.len() as u64;
        stamp_it(&[(len, hash)]);
        return Ok(LogRead {
            bytes,
            span: Span {
                from: 0,
                len,
                hash: Some(hash),
                parts: (xxhash_rust::xxh3::xxh3_64(&[]), hash),
            },
        });
    };
    if let (Some(dir), Some(name), Some(now)) = (stamps, &name, stamp)
        && stamp::vouches(dir, name, now, (cover_len, cover_hash))
    {
        use std::io::Seek;
        let mut tail = Vec::new();
        let mut reader = &file;
        reader
            .seek(std::io::SeekFrom::Start(cover_len))
            .map_err(|e| read_error(path, e))?;
        reader
            .read_to_end(&mut tail)
            .map_err(|e| read_error(path, e))?;
        return Ok(LogRead {
            span: Span {
                from: cover_len,
                len: cover_len + tail.len() as u64,
                hash: tail.is_empty().then_some(cover_hash),
                parts: (cover_hash, xxhash_rust::xxh3::xxh3_64(&tail)),
            },
            bytes: tail,
        });
    }
    // The covered part streams through a small buffer (no fresh memory
    // for eighty megabytes); only the tail is kept.
    let mut hasher = Xxh3::new();
    let mut rest = Xxh3::new();
    let mut at = 0u64;
    let mut tail = Vec::new();
    let mut matched = None;
    stream(path, &file, u64::MAX, |mut chunk| {
        if matched.is_none() {
            let end = at + chunk.len() as u64;
            if end < cover_len {
                hasher.update(chunk);
                at = end;
                return;
            }
            let (covered, after) = chunk.split_at(usize::try_from(cover_len - at).unwrap_or(0));
            hasher.update(covered);
            matched = Some(hasher.digest() == cover_hash);
            at = cover_len;
            chunk = after;
        }
        hasher.update(chunk);
        if matched == Some(true) {
            tail.extend_from_slice(chunk);
            rest.update(chunk);
        }
        at += chunk.len() as u64;
    })?;
    if matched != Some(true) {
        // Shorter than the snapshot says, or other bytes: not the log it
        // was taken of.
        return read_log(path, None, stamps);
    }
    let hash = hasher.digest();
    stamp_it(&[(cover_len, cover_hash), (at, hash)]);
    Ok(LogRead {
        bytes: tail,
        span: Span {
            from: cover_len,
            len: at,
            hash: Some(hash),
            parts: (cover_hash, rest.digest()),
        },
    })
}

/// The length and xxh3 of the log's first `len` bytes, read in a stream;
/// None when the log is shorter.
fn hash_prefix(path: &Path, len: u64) -> Result<Option<Covered>, Error> {
    let file = std::fs::File::open(path).map_err(|e| read_error(path, e))?;
    let mut hasher = Xxh3::new();
    let mut read = 0u64;
    stream(path, &file, len, |chunk| {
        hasher.update(chunk);
        read += chunk.len() as u64;
    })?;
    Ok((read == len).then(|| Covered {
        log_len: len,
        log_hash: hasher.digest(),
    }))
}

/// Parses what [`read_log`] read. A damaged line after a snapshot is
/// reported by parsing the whole log, so the message names its true line.
fn parse(path: &Path, read: &LogRead) -> Result<LoadedLog, Error> {
    if read.span.from == 0 {
        return progress::store::parse(path, &read.bytes);
    }
    progress::store::parse_after(path, &read.bytes, read.span.from)
        .or_else(|_| read_all(path).map(|(log, _)| log))
}

/// The whole log, parsed, and what it covers.
fn read_all(path: &Path) -> Result<(LoadedLog, Span), Error> {
    let read = read_log(path, None, None)?;
    let log = progress::store::parse(path, &read.bytes)?;
    Ok((log, read.span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Mode;
    use crate::progress::{EventId, EventKind};
    use crate::rating::Rating;
    use jiff::Timestamp;

    fn line(id: u64, hours: i64, key: &str, rating: Rating) -> String {
        let event = Event {
            id: EventId(id),
            time: Timestamp::from_second(1_700_000_000 + hours * 3600).expect("time"),
            kind: EventKind::Review {
                key: key.into(),
                rating,
                answer_ms: 1000,
                mode: Mode::Study,
                picked: None,
            },
        };
        format!("{}\n", event.to_line())
    }

    fn log_with(dir: &Path, lines: usize) -> std::path::PathBuf {
        let log = dir.join("progress.log");
        let mut text = String::from("kioku-progress 1\n");
        for i in 0..lines {
            let key = format!("d/c{}", i % 5);
            text.push_str(&line(i as u64 + 1, i as i64 * 30, &key, Rating::ALL[i % 4]));
        }
        std::fs::write(&log, text).expect("write");
        log
    }

    fn append(log: &Path, text: &str) {
        use std::io::Write;
        let mut f = std::fs::File::options()
            .append(true)
            .open(log)
            .expect("open");
        f.write_all(text.as_bytes()).expect("append");
    }

    fn opened<'d>(log: &Path, cache: Option<&Path>, config: Config) -> Opened<'d> {
        let sources = Sources {
            log,
            cache,
            writable: false,
        };
        open(&[], config, &sources, None).expect("open")
    }

    /// A log of 40 answers in a folder of its own, opened (for a session
    /// when `writable`) with its snapshot not yet saved.
    fn unsaved(
        writable: bool,
    ) -> (
        tempfile::TempDir,
        std::path::PathBuf,
        std::path::PathBuf,
        Opened<'static>,
        Option<Pending>,
    ) {
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join("cache");
        let log = log_with(dir.path(), 40);
        let sources = Sources {
            log: &log,
            cache: Some(&cache),
            writable,
        };
        let (opened, pending) = open_unsaved(&[], Config::default(), &sources, None).expect("open");
        (dir, log, cache, opened, pending)
    }

    /// The snapshot race: a read-only command replays the log, another
    /// process appends an answer before the snapshot is saved. The snapshot
    /// must cover only what was replayed, so the next launch sees the answer.
    #[test]
    fn an_answer_appended_between_replay_and_snapshot_is_never_skipped() {
        let (_dir, log, cache, first, pending) = unsaved(false);
        let before = first.scheduler.history().reviews_of("d/late").len();
        assert_eq!(before, 0);
        // Another terminal's session answers meanwhile.
        append(&log, &line(999, 40 * 30 + 1, "d/late", Rating::Good));
        pending.expect("a snapshot to save").save(&first.scheduler);
        assert!(
            snapshot::find(&cache, &log).is_some(),
            "a snapshot was saved"
        );
        let next = opened(&log, Some(&cache), Config::default());
        assert_eq!(next.scheduler.history().reviews_of("d/late").len(), 1);
        let full = opened(&log, None, Config::default());
        assert_eq!(
            next.scheduler.states(),
            full.scheduler.states(),
            "the same as a full replay"
        );
    }

    /// A stamp spares hashing the covered bytes, and opens what a full
    /// replay opens: with a tail, after a settings change (whose new
    /// snapshot hashes the log then, and covers the tail), and after a
    /// same-size rewrite of the covered bytes (which the stamp does not
    /// vouch for: the rewrite is read).
    #[test]
    fn a_stamped_log_opens_what_a_full_replay_opens() {
        stamp::SETTLE_AT_ONCE.with(|s| s.set(true));
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join("cache");
        let log = log_with(dir.path(), 40);
        let full = |config: Config| opened(&log, None, config).scheduler.states().to_vec();
        opened(&log, Some(&cache), Config::default());
        let name = snapshot::log_name(&log);
        let covers = snapshot::find(&cache, &log).expect("a snapshot").covers();
        let stamp_now = || Stamp::of(&std::fs::metadata(&log).expect("stat")).expect("stamp");
        assert!(stamp::vouches(&cache, &name, stamp_now(), covers));
        // A tail: hashed once (the size changed), stamped, then vouched for.
        append(&log, &line(999, 40 * 30 + 1, "d/c1", Rating::Again));
        let hashed = Checked::read(&log, Some(&cache), true).expect("read");
        assert!(hashed.read.span.hash.is_some(), "hashed: the stamp is old");
        let vouched = Checked::read(&log, Some(&cache), true).expect("read");
        assert_eq!(vouched.read.span.hash, None, "the stamp spared the hash");
        assert_eq!(vouched.read.span.from, covers.0);
        let warm = opened(&log, Some(&cache), Config::default());
        assert_eq!(warm.scheduler.states(), full(Config::default()));
        // New settings: the snapshot saved covers the tail as replayed.
        let stricter = Config {
            desired_retention: 0.95,
            ..Config::default()
        };
        let changed = opened(&log, Some(&cache), stricter.clone());
        assert_eq!(changed.scheduler.states(), full(stricter.clone()));
        let len = std::fs::metadata(&log).expect("stat").len();
        assert_eq!(snapshot::find(&cache, &log).expect("saved").covers().0, len);
        // A same-size rewrite of a covered line (Easy for Hard, later).
        std::thread::sleep(std::time::Duration::from_millis(30));
        let text = std::fs::read_to_string(&log).expect("read");
        let hard = line(2, 30, "d/c1", Rating::ALL[1]);
        let easy = line(2, 30, "d/c1", Rating::ALL[3]);
        assert_eq!(hard.len(), easy.len());
        assert!(text.contains(&hard));
        std::fs::write(&log, text.replacen(&hard, &easy, 1)).expect("rewrite");
        let after = opened(&log, Some(&cache), stricter.clone());
        assert_eq!(after.scheduler.states(), full(stricter));
        stamp::SETTLE_AT_ONCE.with(|s| s.set(false));
    }

    /// A session's snapshot hashes the log only when it is written, beside
    /// the session: an answer the session appends first is not covered.
    #[test]
    fn a_sessions_snapshot_covers_only_what_it_replayed() {
        let (_dir, log, cache, session, pending) = unsaved(true);
        // The session's first answer, before the snapshot is written.
        append(&log, &line(999, 40 * 30 + 1, "d/late", Rating::Good));
        pending
            .expect("a snapshot to save")
            .save(&session.scheduler);
        drop(session);
        let covers = snapshot::find(&cache, &log).expect("saved").covers();
        assert!(covers.0 < std::fs::metadata(&log).expect("stat").len());
        let next = opened(&log, Some(&cache), Config::default());
        assert_eq!(next.scheduler.history().reviews_of("d/late").len(), 1);
        let full = opened(&log, None, Config::default());
        assert_eq!(next.scheduler.states(), full.scheduler.states());
    }

    /// The log read ahead (while the decks load) opens the same scheduler
    /// as reading it in place, and a read of another log or cache folder is
    /// not used.
    #[test]
    fn a_log_read_ahead_opens_what_reading_it_in_place_opens() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join("cache");
        let log = log_with(dir.path(), 40);
        opened(&log, Some(&cache), Config::default());
        append(&log, &line(999, 40 * 30 + 1, "d/late", Rating::Good));
        let sources = Sources {
            log: &log,
            cache: Some(&cache),
            writable: false,
        };
        let open_with = |ahead| open(&[], Config::default(), &sources, ahead).expect("open");
        let in_place = open_with(None);
        let ahead = open_with(Some(Prefetch::start(&log, Some(&cache), false)));
        assert_eq!(ahead.scheduler.states(), in_place.scheduler.states());
        assert_eq!(ahead.scheduler.history().reviews_of("d/late").len(), 1);
        // Read without the cache folder: not what is wanted, read again.
        let other = open_with(Some(Prefetch::start(&log, None, false)));
        assert_eq!(other.scheduler.states(), in_place.scheduler.states());
        // Read for a session that writes (checked, not parsed): read again.
        let other = open_with(Some(Prefetch::start(&log, Some(&cache), true)));
        assert_eq!(other.scheduler.states(), in_place.scheduler.states());
        let other_dir = dir.path().join("x");
        std::fs::create_dir_all(&other_dir).expect("mkdir");
        let elsewhere = log_with(&other_dir, 3);
        let other = open_with(Some(Prefetch::start(&elsewhere, Some(&cache), false)));
        assert_eq!(other.scheduler.states(), in_place.scheduler.states());
    }

    /// A copy of the last line the snapshot covers, appended after it (as a
    /// careless sync does), counts once, as it does without a snapshot.
    #[test]
    fn a_copy_of_a_line_under_the_snapshot_counts_once() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join("cache");
        let log = log_with(dir.path(), 40);
        let before = opened(&log, Some(&cache), Config::default());
        assert!(snapshot::find(&cache, &log).is_some());
        let text = std::fs::read_to_string(&log).expect("read");
        let last = text.lines().last().expect("a line");
        let key = last.split(' ').nth(3).expect("key").to_string();
        let count = before.scheduler.history().reviews_of(&key).len();
        append(&log, &format!("{last}\n"));
        let after = opened(&log, Some(&cache), Config::default());
        assert_eq!(after.scheduler.history().reviews_of(&key).len(), count);
        let full = opened(&log, None, Config::default());
        assert_eq!(after.scheduler.states(), full.scheduler.states());
    }

    /// Damage to the log under the snapshot is never hidden by it: the full
    /// replay reports it.
    #[test]
    fn damage_to_the_log_under_a_snapshot_is_reported() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join("cache");
        let log = log_with(dir.path(), 40);
        opened(&log, Some(&cache), Config::default());
        assert!(snapshot::find(&cache, &log).is_some());
        let mut bytes = std::fs::read(&log).expect("read");
        let at = bytes.len() / 3;
        bytes[at] = b'#';
        std::fs::write(&log, &bytes).expect("write");
        let sources = Sources {
            log: &log,
            cache: Some(&cache),
            writable: false,
        };
        let result = open(&[], Config::default(), &sources, None);
        assert!(
            matches!(result, Err(Error::LogMalformed { .. })),
            "the damaged line is reported"
        );
    }

    /// New settings keep the snapshot's histories; the states computed from
    /// them equal a full replay under the new settings: rescheduled from the
    /// snapshot's memory states when the FSRS parameters stay (a retention,
    /// the longest interval, leeches, an exam), replayed when they change.
    #[test]
    fn a_settings_change_keeps_the_histories_and_recomputes_the_states() {
        let exam = crate::config::ExamConfig {
            name: None,
            date: "2024-02-10".into(),
            decks: vec!["d".into()],
            minutes_per_day: 20,
        };
        let mut parameters = fsrs::DEFAULT_PARAMETERS.to_vec();
        parameters[0] *= 1.5;
        for other in [
            Config {
                desired_retention: 0.95,
                ..Config::default()
            },
            Config {
                maximum_interval_days: 3,
                leech_threshold: 2,
                ..Config::default()
            },
            Config {
                exams: vec![exam],
                ..Config::default()
            },
            Config {
                parameters,
                ..Config::default()
            },
        ] {
            a_settings_change_recomputes_the_states(other);
        }
    }

    fn a_settings_change_recomputes_the_states(stricter: Config) {
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join("cache");
        let log = log_with(dir.path(), 60);
        opened(&log, Some(&cache), Config::default());
        append(&log, &line(500, 60 * 30 + 5, "d/c1", Rating::Again));
        let cached = opened(&log, Some(&cache), stricter.clone());
        let full = opened(&log, None, stricter.clone());
        let by_key = |o: &Opened| {
            let mut v: Vec<(String, crate::schedule::memory::CardState)> = o
                .scheduler
                .history()
                .keys()
                .map(|(k, _)| (k.to_string(), o.scheduler.state(k)))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        assert_eq!(by_key(&cached), by_key(&full), "{stricter:?}");
        let differ = by_key(&opened(&log, None, Config::default())) != by_key(&full);
        assert!(differ, "the settings make a difference: {stricter:?}");
        assert_eq!(cached.scheduler.history().reviews_of("d/c1").len(), 13);
        // And the snapshot now holds the states for the new settings.
        let found = snapshot::find(&cache, &log).expect("snapshot");
        let days = Days::local(stricter.day_starts_at);
        let key = snapshot::settings_key(&stricter, &[], &days);
        assert!(
            snapshot::restore(found)
                .filter(|s| s.settings == key)
                .and_then(|s| s.states)
                .is_some()
        );
    }

    /// The snapshot is read, not mapped: truncating or rewriting its file
    /// while a session runs changes nothing in that session (a mapped file
    /// cut short kills the process with SIGBUS); reviews read later that no
    /// longer check out are rebuilt from the log.
    #[test]
    fn a_snapshot_truncated_or_rewritten_during_a_session_is_harmless() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join("cache");
        let log = log_with(dir.path(), 40);
        opened(&log, Some(&cache), Config::default());
        let file = std::fs::read_dir(&cache)
            .expect("cache")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().contains("replay-"))
            .expect("a snapshot");
        let full = opened(&log, None, Config::default());
        let good = std::fs::read(&file).expect("read");
        let mut damages = vec![Vec::new(), vec![0xffu8; 64]];
        // Flipped in place: the reviews are read when first needed, and
        // checked then.
        for at in (0..good.len()).step_by(5) {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            damages.push(bad);
        }
        for damage in &damages {
            // A good snapshot (again), then a session opened from it.
            opened(&log, Some(&cache), Config::default());
            assert!(snapshot::find(&cache, &log).is_some());
            let session = opened(&log, Some(&cache), Config::default());
            std::fs::write(&file, damage).expect("damage");
            let history = session.scheduler.history();
            let mut total = 0;
            for (key, _) in history.keys() {
                assert_eq!(
                    history.reviews_of(key),
                    full.scheduler.history().reviews_of(key)
                );
                total += history.reviews_of(key).len();
            }
            assert_eq!(total, 40);
        }
    }
}
