//! The progress log on disk: read it, hold it exclusively while a session
//! writes, append one synced line per event, and merge another copy in.
//!
//! Safety rules (docs/progress-format.md): the log is append-only; a torn
//! last line (a crash mid-write) is tolerated on load and cut off on the next
//! write; any other malformed line is an error naming its line, and the file
//! is left untouched.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::event::{Event, EventId, HEADER};
use crate::error::Error;

/// A log as read, with what loading noticed.
#[derive(Debug, Default)]
pub struct LoadedLog {
    pub events: Vec<Event>,
    /// Said to the user, e.g. that a torn line was found.
    pub warnings: Vec<String>,
    /// Where a torn, unparseable last line starts: cut there on next write.
    torn_at: Option<u64>,
    /// The last line parsed but lacked its newline.
    missing_newline: bool,
    /// Nothing at all in the file yet (the header is still to be written).
    empty: bool,
    /// The byte the events were read from (0: the whole log).
    pub from: u64,
    /// The byte the read ended at.
    pub to: u64,
}

impl LoadedLog {
    /// Ends cleanly after a complete line: a snapshot may cover it.
    pub fn is_clean(&self) -> bool {
        self.torn_at.is_none() && !self.missing_newline
    }
}

/// Reads a log without locking it (for `due`, `stats`, and `merge`'s other
/// copy). A missing file is an empty log.
pub fn read(path: &Path) -> Result<LoadedLog, Error> {
    read_with(path, None)
}

/// [`read`], with the events handed to `sink` as they are parsed (see
/// [`Sink`]) rather than kept.
pub(crate) fn read_with(path: &Path, sink: Option<Sink<'_>>) -> Result<LoadedLog, Error> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(LoadedLog {
                empty: true,
                ..LoadedLog::default()
            });
        }
        Err(source) => return Err(read_error(path, source)),
        // A device such as /dev/null or /dev/full holds no history.
        Ok(meta) if !meta.is_file() => {
            return Ok(LoadedLog {
                empty: true,
                ..LoadedLog::default()
            });
        }
        Ok(_) => {}
    }
    let file = File::open(path).map_err(|source| read_error(path, source))?;
    parse_stream(path, file, 0, sink)
}

fn read_tail(path: &Path, offset: u64) -> Result<Vec<u8>, Error> {
    use std::io::Seek;
    let mut file = File::open(path).map_err(|source| read_error(path, source))?;
    file.seek(std::io::SeekFrom::Start(offset))
        .map_err(|source| read_error(path, source))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|source| read_error(path, source))?;
    Ok(bytes)
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::ProgressRead {
        path: path.to_path_buf(),
        source,
    }
}

/// Parses a whole log.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<LoadedLog, Error> {
    parse_from(path, bytes, 0)
}

/// Parses lines appended after byte `base` of a log (where a snapshot
/// ends), from bytes the caller read and hashed itself.
pub(crate) fn parse_after(path: &Path, bytes: &[u8], base: u64) -> Result<LoadedLog, Error> {
    parse_from(path, bytes, base)
}

/// How far ahead of this machine's clock an event may be dated: a day
/// covers clocks in every time zone set a little wrong; anything later
/// would hide a card until then.
const FUTURE_SLACK: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// Parses the part of a log that starts at byte `base` (0: the whole log,
/// header first; later: whole lines appended after a snapshot).
fn parse_from(path: &Path, bytes: &[u8], base: u64) -> Result<LoadedLog, Error> {
    parse_at(path, bytes, base, jiff::Timestamp::now())
}

/// [`parse_from`] as of `now`, which bounds the events' times.
fn parse_at(
    path: &Path,
    bytes: &[u8],
    base: u64,
    now: jiff::Timestamp,
) -> Result<LoadedLog, Error> {
    stream_in_blocks(path, bytes, base, None, BLOCK, now)
}

/// Parses a log as it is read from `reader`, a block at a time, never
/// holding more of its bytes than one block: a million answers are 80 MB
/// of text, which reading whole before parsing kept alive beside the
/// events made from them.
pub(crate) fn parse_stream(
    path: &Path,
    reader: impl Read,
    base: u64,
    sink: Option<Sink<'_>>,
) -> Result<LoadedLog, Error> {
    stream_in_blocks(path, reader, base, sink, BLOCK, jiff::Timestamp::now())
}

/// [`parse_stream`], a block of about `block` bytes at a time, as of
/// `now` (which bounds the events' times).
fn stream_in_blocks(
    path: &Path,
    mut reader: impl Read,
    base: u64,
    sink: Option<Sink<'_>>,
    block: usize,
    now: jiff::Timestamp,
) -> Result<LoadedLog, Error> {
    let mut parser = Parser::new(path, base, now);
    parser.sink = sink;
    let mut buf: Vec<u8> = Vec::with_capacity(block);
    loop {
        // Fill the buffer to a block (more when one line is longer), read
        // into its spare room: zeroing a block before each read was 80
        // million instructions on a million-line log.
        let want = block.max(buf.len() + 1);
        let had = buf.len();
        let read = (&mut reader)
            .take((want - had) as u64)
            .read_to_end(&mut buf)
            .map_err(|source| read_error(path, source))?;
        if read == 0 {
            // The end: what is left is the last line, perhaps cut off.
            parser.block(&buf)?;
            return Ok(parser.finish());
        }
        if buf.len() >= block
            && let Some(last) = buf.iter().rposition(|b| *b == b'\n')
        {
            parser.block(&buf[..=last])?;
            buf.drain(..=last);
        }
    }
}

/// Bytes of the log parsed together: lines enough to keep every core busy,
/// few enough that their parsed form stays small beside the events.
const BLOCK: usize = 1 << 20;

/// Where a streamed log's events go, block by block in file order (each
/// block's events drained from the vector handed over): a million events
/// need never sit in memory together.
pub(crate) type Sink<'s> = &'s mut (dyn FnMut(&mut Vec<Event>) + Send);

/// A log's lines parsed block by block, in order, with the log's rules:
/// the header first, a cut-off last line tolerated, any other bad line an
/// error naming its number.
struct Parser<'p, 's> {
    /// None: the events are kept in the log read.
    sink: Option<Sink<'s>>,
    path: &'p Path,
    /// Where the first block starts in the file (0: the header comes first).
    base: u64,
    now: jiff::Timestamp,
    /// The latest time an event may carry.
    latest: jiff::Timestamp,
    log: LoadedLog,
    /// Lines and bytes taken so far.
    lines: usize,
    taken: u64,
}

impl<'p, 's> Parser<'p, 's> {
    fn new(path: &'p Path, base: u64, now: jiff::Timestamp) -> Parser<'p, 's> {
        Parser {
            sink: None,
            path,
            base,
            now,
            latest: now.checked_add(FUTURE_SLACK).unwrap_or(now),
            log: LoadedLog {
                from: base,
                to: base,
                ..LoadedLog::default()
            },
            lines: 0,
            taken: 0,
        }
    }

    /// Takes whole lines, each ending in a newline; only the last block
    /// given may end in a line without one (cut off, or the file's end).
    fn block(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let with_header = self.base == 0;
        // Split into lines, parse them on every core, then apply the rules
        // in order.
        let mut lines: Vec<(usize, usize, bool)> = Vec::with_capacity(bytes.len() / 64);
        let mut offset = 0usize;
        for end in memchr::memchr_iter(b'\n', bytes) {
            lines.push((offset, end, true));
            offset = end + 1;
        }
        if offset < bytes.len() {
            lines.push((offset, bytes.len(), false));
        }
        let first = self.lines;
        let (latest, now) = (self.latest, self.now);
        // Checked as text once (a line at a time cost 150 instructions a
        // line); a block that is not text is checked line by line, to name
        // the line.
        let text = std::str::from_utf8(bytes).ok();
        let parse = || -> Vec<Result<Option<Event>, String>> {
            use rayon::prelude::*;
            lines
                .par_iter()
                .enumerate()
                .map(|(i, (start, end, _))| {
                    // Lines start after a newline and end before one (or at
                    // the block's end): both are character boundaries.
                    let text = match text.and_then(|t| t.get(*start..*end)) {
                        Some(line) => line,
                        None => std::str::from_utf8(&bytes[*start..*end])
                            .map_err(|_| "it is not text".to_string())?,
                    };
                    let text = text.strip_suffix('\r').unwrap_or(text);
                    if first + i == 0 && with_header {
                        // Some editors on Windows start a file with a byte-order mark.
                        header(text.strip_prefix('\u{feff}').unwrap_or(text)).map(|_| None)
                    } else if text.is_empty() {
                        // A blank line (an editor's final newline) holds no event.
                        Ok(None)
                    } else {
                        let event = Event::parse(text)?;
                        if event.time > latest {
                            return Err(format!(
                                "it is dated {}, more than a day after this computer's clock ({}); a review from the future would hide its card until then",
                                crate::progress::event::format_time(event.time),
                                crate::progress::event::format_time(now)
                            ));
                        }
                        Ok(Some(event))
                    }
                })
                .collect()
        };
        let parsed = match self.sink.as_mut() {
            // The block before goes to the sink while this one is parsed:
            // what the sink does with each event in turn then costs no time.
            Some(sink) if !self.log.events.is_empty() => {
                let events = &mut self.log.events;
                rayon::join(parse, || {
                    sink(events);
                    events.clear();
                })
                .0
            }
            _ => parse(),
        };
        let events = &mut self.log.events;
        if self.sink.is_none() && events.capacity() == events.len() && !parsed.is_empty() {
            // Room for as many events again as this block's share of what
            // has been read so far suggests, rather than doubling blindly.
            events.reserve_exact(parsed.len().max(events.len() / 2));
        }
        for (i, (result, (start, _, complete))) in parsed.into_iter().zip(&lines).enumerate() {
            let number = first + i + 1;
            match result {
                Ok(event) => {
                    self.log.events.extend(event);
                    if !complete {
                        self.log.missing_newline = true;
                    }
                }
                // A version we do not know is never "torn": refuse it whole.
                Err(reason) if number == 1 && with_header && reason.contains("version") => {
                    return Err(Error::LogVersion {
                        path: self.path.to_path_buf(),
                        found: reason,
                    });
                }
                Err(_) if !complete && (number > 1 || !with_header) => {
                    self.log.torn_at = Some(self.base + self.taken + *start as u64);
                    self.log.warnings.push(format!(
                        "the last line of {} was cut off (a crash while saving?); it held no complete answer and will be removed on the next save",
                        self.path.display()
                    ));
                }
                Err(reason) => {
                    return Err(Error::LogMalformed {
                        path: self.path.to_path_buf(),
                        line: number,
                        reason,
                    });
                }
            }
        }
        self.lines += lines.len();
        self.taken += bytes.len() as u64;
        Ok(())
    }

    fn finish(mut self) -> LoadedLog {
        if let Some(sink) = self.sink.as_mut() {
            sink(&mut self.log.events);
            self.log.events.clear();
        }
        self.log.to = self.base + self.taken;
        self.log.empty = self.taken == 0 && self.base == 0;
        dedup_ids(&mut self.log.events);
        self.log
    }
}

/// Keeps the first event of each id: a log concatenated with a copy of
/// itself, or a line a sync tool wrote twice, counts each answer once (as
/// `merge` does).
fn dedup_ids(events: &mut Vec<Event>) {
    use rayon::slice::ParallelSliceMut;
    let mut ids: Vec<u64> = events.iter().map(|e| e.id.0).collect();
    ids.par_sort_unstable();
    if ids.windows(2).all(|w| w[0] != w[1]) {
        return;
    }
    let mut seen = HashSet::with_capacity(events.len());
    events.retain(|e| seen.insert(e.id));
}

fn header(line: &str) -> Result<(), String> {
    match line.strip_prefix("kioku-progress ") {
        Some("1") => Ok(()),
        Some(v) => Err(format!(
            "it is format version {}, which this kioku does not know (it reads version 1)",
            crate::text::truncate(&crate::text::sanitize(v, false), 12)
        )),
        None => Err("it does not start with the `kioku-progress 1` header".to_string()),
    }
}

/// The lock file beside a log: `progress.log.lock`. A session locks it
/// rather than the log alone, because sync tools, editors and `git checkout`
/// replace a log by renaming a new file over it, and a lock held on the old
/// file would let a second session in.
pub(crate) fn lock_path(log: &Path) -> PathBuf {
    let mut name = log.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    log.with_file_name(name)
}

/// The identity of a file: device and inode.
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Takes `file`'s exclusive lock without waiting.
fn try_lock(file: &File, log: &Path) -> Result<(), Error> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::ProgressLocked {
            path: log.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(Error::ProgressWrite {
            path: log.to_path_buf(),
            source,
        }),
    }
}

/// Makes a newly created entry in `dir` survive a power cut.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The log, held open and locked for one session's writes.
pub(crate) struct Store {
    path: PathBuf,
    file: File,
    /// The lock file's handle, locked for as long as the store lives (None
    /// for a device such as /dev/full, which is locked itself).
    lock: Option<File>,
    /// Device and inode of the open log: the path must still name it.
    identity: (u64, u64),
    torn_at: Option<u64>,
    missing_newline: bool,
    empty: bool,
    /// Every event this store wrote, to carry into a replacement log.
    written: Vec<Event>,
}

impl Store {
    /// Opens (creating if needed) and locks the log, and reads it. A second
    /// session gets [`Error::ProgressLocked`] and changes nothing.
    pub(crate) fn open(path: &Path) -> Result<(Store, LoadedLog), Error> {
        Store::open_from(path, 0)
    }

    /// Opens and locks the log like [`Store::open`], but reads only what
    /// follows byte `offset` (a snapshot covers the rest).
    pub(crate) fn open_from(path: &Path, offset: u64) -> Result<(Store, LoadedLog), Error> {
        Store::open_streaming(path, offset, None)
    }

    /// [`Store::open_from`], with the events handed to `sink` as they are
    /// parsed (see [`Sink`]) rather than kept.
    pub(crate) fn open_streaming(
        path: &Path,
        offset: u64,
        sink: Option<Sink<'_>>,
    ) -> Result<(Store, LoadedLog), Error> {
        let write_error = |source| Error::ProgressWrite {
            path: path.to_path_buf(),
            source,
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(write_error)?;
        let before = std::fs::metadata(path);
        // A device (/dev/full) gets no lock file beside it: it is locked
        // itself, as it cannot be replaced by a rename.
        let device = before.as_ref().is_ok_and(|m| !m.is_file());
        let lock = if device {
            None
        } else {
            let lock = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(lock_path(path))
                .map_err(write_error)?;
            try_lock(&lock, path)?;
            Some(lock)
        };
        let (file, log) = open_locked(path, offset, sink)?;
        if before
            .as_ref()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            // A new log: its name in the folder must outlive a power cut too.
            sync_dir(dir).map_err(write_error)?;
        }
        let identity = identity(&file.metadata().map_err(write_error)?);
        let store = Store {
            path: path.to_path_buf(),
            file,
            lock,
            identity,
            torn_at: log.torn_at,
            missing_newline: log.missing_newline,
            empty: log.empty,
            written: Vec::new(),
        };
        Ok((store, log))
    }

    /// Appends events and syncs them to disk before returning: once this
    /// returns Ok, the answers survive a crash or a power cut. If the log was
    /// replaced since it was opened (renamed over, or deleted), this
    /// session's events are merged into the file the path names now, never
    /// written to the unlinked one.
    pub(crate) fn append(&mut self, events: &[Event]) -> Result<(), Error> {
        let pending: Vec<Event> = if self.still_named()? {
            events.to_vec()
        } else {
            self.follow(events)?
        };
        self.write(&pending)?;
        self.written.extend_from_slice(events);
        Ok(())
    }

    /// Whether the path still names the open log.
    fn still_named(&self) -> Result<bool, Error> {
        match std::fs::metadata(&self.path) {
            Ok(meta) => Ok(identity(&meta) == self.identity),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(read_error(&self.path, source)),
        }
    }

    /// Switches to the log the path names now (creating it if it was
    /// deleted), and returns what to write there: every event this session
    /// wrote that the new file lacks, then `events`.
    fn follow(&mut self, events: &[Event]) -> Result<Vec<Event>, Error> {
        // The lock file may have been replaced too: lock the one named now.
        if let Some(lock) = &self.lock {
            let named = std::fs::metadata(lock_path(&self.path)).ok();
            let held = lock.metadata().ok();
            if named.as_ref().map(identity) != held.as_ref().map(identity) {
                let fresh = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(lock_path(&self.path))
                    .map_err(|source| Error::ProgressWrite {
                        path: self.path.clone(),
                        source,
                    })?;
                try_lock(&fresh, &self.path)?;
                self.lock = Some(fresh);
            }
        }
        let (file, log) = open_locked(&self.path, 0, None).map_err(|e| Error::LogReplaced {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        let meta = file.metadata().map_err(|source| Error::ProgressWrite {
            path: self.path.clone(),
            source,
        })?;
        let known: HashSet<EventId> = log.events.iter().map(|e| e.id).collect();
        let missing: Vec<Event> = self
            .written
            .iter()
            .chain(events)
            .filter(|e| !known.contains(&e.id))
            .cloned()
            .collect();
        let carried = missing.len().saturating_sub(events.len());
        self.file = file;
        self.identity = identity(&meta);
        self.torn_at = log.torn_at;
        self.missing_newline = log.missing_newline;
        self.empty = log.empty;
        // Said as it happens: the session goes on, and the user should know
        // why the file they see holds these answers.
        eprintln!(
            "warning: the progress log {} was replaced by another program during this session; this session's answers are now saved in the new file{}",
            crate::text::sanitize(&self.path.display().to_string(), false),
            match carried {
                0 => String::new(),
                n => format!(
                    " ({n} earlier event{} of this session added to it)",
                    if n == 1 { "" } else { "s" }
                ),
            }
        );
        Ok(missing)
    }

    fn write(&mut self, events: &[Event]) -> Result<(), Error> {
        let write_error = |source| Error::ProgressWrite {
            path: self.path.clone(),
            source,
        };
        if let Some(at) = self.torn_at {
            // Only the torn tail goes: it held no complete event.
            self.file.set_len(at).map_err(write_error)?;
            self.torn_at = None;
        }
        let mut text = String::new();
        if self.empty {
            text.push_str(HEADER);
            text.push('\n');
        } else if self.missing_newline {
            text.push('\n');
        }
        for event in events {
            text.push_str(&event.to_line());
            text.push('\n');
        }
        // One write per answer: a crash leaves at most one torn line.
        self.file.write_all(text.as_bytes()).map_err(write_error)?;
        self.file.sync_data().map_err(write_error)?;
        self.empty = false;
        self.missing_newline = false;
        Ok(())
    }
}

/// Opens the log at `path` for appending (creating it), locks the file
/// itself too (as kioku versions before the lock file did), and reads it
/// from `offset`.
fn open_locked(
    path: &Path,
    offset: u64,
    sink: Option<Sink<'_>>,
) -> Result<(File, LoadedLog), Error> {
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|source| Error::ProgressWrite {
            path: path.to_path_buf(),
            source,
        })?;
    try_lock(&file, path)?;
    let regular = file.metadata().map(|m| m.is_file()).unwrap_or(false);
    let tail = (regular && offset > 0)
        .then(|| read_tail(path, offset).ok())
        .flatten()
        .and_then(|bytes| parse_from(path, &bytes, offset).ok());
    let log = if let Some(log) = tail {
        log
    } else if regular {
        parse_stream(path, &file, 0, sink)?
    } else {
        LoadedLog {
            empty: true,
            ..LoadedLog::default()
        }
    };
    Ok((file, log))
}

/// Merges another copy of the log into this one, returning how many events
/// were new: what `kioku merge` does once the user has agreed, and what
/// `kioku sync` does with the user's own copies from other machines.
pub(crate) fn merge(path: &Path, other: &Path) -> Result<usize, Error> {
    let (mut store, plan) = plan_merge(path, other)?;
    plan.apply(&mut store)
}

/// What merging another copy would do, worked out under the log's lock
/// before anything is written.
#[derive(Debug, Default)]
pub(crate) struct MergePlan {
    /// The events this log lacks, in time order.
    pub missing: Vec<Event>,
    /// Cards whose reviews in this log the other copy would take back.
    pub undone: Vec<String>,
    /// Cards the other copy would suspend.
    pub suspended: Vec<String>,
    /// Cards the other copy would bury beyond now.
    pub buried: Vec<String>,
}

impl MergePlan {
    /// Whether the merge would take anything away from what this log shows:
    /// undo its answers, suspend or bury its cards.
    pub(crate) fn is_disruptive(&self) -> bool {
        !(self.undone.is_empty() && self.suspended.is_empty() && self.buried.is_empty())
    }

    /// Appends the missing events; returns how many.
    pub(crate) fn apply(self, store: &mut Store) -> Result<usize, Error> {
        if !self.missing.is_empty() {
            store.append(&self.missing)?;
        }
        Ok(self.missing.len())
    }
}

/// Locks the log at `path` and works out what merging `other` into it
/// would do.
pub(crate) fn plan_merge(path: &Path, other: &Path) -> Result<(Store, MergePlan), Error> {
    let theirs = read(other)?;
    let (store, ours) = Store::open(path)?;
    let known: HashSet<_> = ours.events.iter().map(|e| e.id).collect();
    let mut missing: Vec<Event> = theirs
        .events
        .into_iter()
        .filter(|e| !known.contains(&e.id))
        .collect();
    missing.sort_by_key(|e| e.time);
    missing.dedup_by_key(|e| e.id);
    let reviewed: std::collections::HashMap<EventId, &str> = ours
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            super::EventKind::Review { key, .. } => Some((e.id, key.as_str())),
            _ => None,
        })
        .collect();
    let now = jiff::Timestamp::now();
    let mut plan = MergePlan::default();
    for e in &missing {
        match &e.kind {
            super::EventKind::Undo { target } => {
                if let Some(key) = reviewed.get(target) {
                    plan.undone.push(key.to_string());
                }
            }
            super::EventKind::Suspend { key } => plan.suspended.push(key.to_string()),
            super::EventKind::Bury { key, until } if *until > now => {
                plan.buried.push(key.to_string());
            }
            _ => {}
        }
    }
    plan.missing = missing;
    Ok((store, plan))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Mode;
    use crate::progress::event::{EventId, EventKind};
    use crate::rating::Rating;
    use jiff::Timestamp;

    fn review(id: u64, secs: i64) -> Event {
        Event {
            id: EventId(id),
            time: Timestamp::from_second(1_790_000_000 + secs).expect("time"),
            kind: EventKind::Review {
                key: "d/c".into(),
                rating: Rating::Good,
                answer_ms: 1000,
                mode: Mode::Study,
                picked: None,
            },
        }
    }

    #[test]
    fn appends_survive_reopening_and_start_with_the_header() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sub/progress.log");
        {
            let (mut store, log) = Store::open(&path).expect("open");
            assert!(log.events.is_empty());
            store.append(&[review(1, 0)]).expect("append");
            store.append(&[review(2, 1)]).expect("append");
        }
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("kioku-progress 1\n"));
        assert_eq!(text.lines().count(), 3);
        assert_eq!(
            read(&path).expect("read").events,
            [review(1, 0), review(2, 1)]
        );
    }

    #[test]
    fn a_second_writer_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        let (_first, _) = Store::open(&path).expect("open");
        match Store::open(&path) {
            Err(Error::ProgressLocked { path: p }) => assert_eq!(p, path),
            other => panic!("expected a lock error, got {:?}", other.err()),
        }
    }

    #[test]
    fn a_log_replaced_by_rename_gets_this_sessions_events_and_keeps_the_lock() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        let (mut store, _) = Store::open(&path).expect("open");
        store.append(&[review(1, 0)]).expect("append");
        // Another program saves its own copy by renaming it over the log.
        let theirs = dir.path().join("theirs.tmp");
        std::fs::write(&theirs, format!("{HEADER}\n{}\n", review(7, 3).to_line())).expect("write");
        std::fs::rename(&theirs, &path).expect("rename");
        assert!(
            matches!(Store::open(&path), Err(Error::ProgressLocked { .. })),
            "the lock survives the rename"
        );
        store.append(&[review(2, 5)]).expect("append");
        let ids: Vec<u64> = read(&path)
            .expect("read")
            .events
            .iter()
            .map(|e| e.id.0)
            .collect();
        assert_eq!(ids, [7, 1, 2]);
        // Replaced again, now by a copy that already has our answers.
        let again = std::fs::read(&path).expect("read");
        std::fs::write(&theirs, again).expect("write");
        std::fs::rename(&theirs, &path).expect("rename");
        store.append(&[review(3, 9)]).expect("append");
        let ids: Vec<u64> = read(&path)
            .expect("read")
            .events
            .iter()
            .map(|e| e.id.0)
            .collect();
        assert_eq!(ids, [7, 1, 2, 3]);
    }

    #[test]
    fn a_deleted_log_is_written_anew_with_this_sessions_events() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        let (mut store, _) = Store::open(&path).expect("open");
        store.append(&[review(1, 0)]).expect("append");
        std::fs::remove_file(&path).expect("remove");
        store.append(&[review(2, 5)]).expect("append");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with(HEADER), "{text}");
        assert_eq!(
            read(&path).expect("read").events,
            [review(1, 0), review(2, 5)]
        );
    }

    #[test]
    fn a_replacement_that_is_not_a_log_stops_the_session() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        let (mut store, _) = Store::open(&path).expect("open");
        store.append(&[review(1, 0)]).expect("append");
        let theirs = dir.path().join("theirs.tmp");
        std::fs::write(&theirs, "<<<<<<< HEAD\n").expect("write");
        std::fs::rename(&theirs, &path).expect("rename");
        assert!(matches!(
            store.append(&[review(2, 5)]),
            Err(Error::LogReplaced { .. })
        ));
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "<<<<<<< HEAD\n"
        );
    }

    #[test]
    fn duplicate_ids_count_once_and_blank_lines_and_a_bom_are_accepted() {
        let path = Path::new("progress.log");
        let (a, b) = (review(1, 0).to_line(), review(2, 5).to_line());
        let text = format!("\u{feff}{HEADER}\r\n{a}\n{b}\n{a}\n\n");
        let log = parse(path, text.as_bytes()).expect("parse");
        assert_eq!(log.events, [review(1, 0), review(2, 5)]);
        assert!(log.warnings.is_empty() && log.is_clean());
    }

    #[test]
    fn a_torn_undo_never_undoes_another_event() {
        let path = Path::new("progress.log");
        let undo = "0000000000000009 2026-09-21T08:00:00.000Z undo 7f3a9c0e12b4d5e6";
        for cut in 1..undo.len() {
            let text = format!("{HEADER}\n{}\n{}", review(1, 0).to_line(), &undo[..cut]);
            let log = parse(path, text.as_bytes()).expect("tolerated");
            assert_eq!(log.events.len(), 1, "cut at {cut}");
        }
    }

    #[test]
    fn future_dates_impossible_dates_and_extra_fields_name_their_line() {
        let path = Path::new("progress.log");
        let now = jiff::Timestamp::from_second(1_800_000_000).expect("now");
        let lines = [
            "0000000000000001 2099-01-01T00:00:00.000Z review d/c good 10 study",
            "0000000000000001 2026-02-31T00:00:00.000Z review d/c good 10 study",
            "0000000000000001 2026-02-01T00:00:00.000Z review d/c good 10 study extra",
            "0000000000000001 2026-02-01T00:00:00.000Z suspend d/c extra",
            "0000000000000001 2026-02-01T00:00:00.000Z undo 0000000000000002 extra",
            "0000000000000001 2026-02-01T00:00:00.000Z undo +000000000000002",
            "000000000000000A 2026-02-01T00:00:00.000Z suspend d/c",
        ];
        for line in lines {
            let text = format!("{HEADER}\n{}\n{line}\n", review(1, 0).to_line());
            match parse_at(path, text.as_bytes(), 0, now) {
                Err(Error::LogMalformed { line: 3, .. }) => {}
                other => panic!("{line}: {other:?}"),
            }
        }
        let ok = format!(
            "{HEADER}\n0000000000000001 2027-01-15T12:00:00.000Z review d/c good 10 study\n"
        );
        assert!(
            parse_at(path, ok.as_bytes(), 0, now).is_ok(),
            "hours ahead (another time zone's clock) is fine"
        );
    }

    #[test]
    fn answer_times_are_bounded() {
        let line = format!(
            "0000000000000001 2026-02-01T00:00:00.000Z review d/c good {} study",
            u64::MAX
        );
        match Event::parse(&line).map(|e| e.kind) {
            Ok(EventKind::Review { answer_ms, .. }) => {
                assert_eq!(answer_ms, crate::progress::event::MAX_ANSWER_MS);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_torn_last_line_is_tolerated_then_repaired() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        let good = format!("{HEADER}\n{}\n", review(1, 0).to_line());
        std::fs::write(&path, format!("{good}0000000000000002 2026-11-2")).expect("write");
        let log = read(&path).expect("tolerated");
        assert_eq!(log.events.len(), 1);
        assert_eq!(log.warnings.len(), 1);
        let (mut store, _) = Store::open(&path).expect("open");
        store.append(&[review(3, 5)]).expect("append");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text, format!("{good}{}\n", review(3, 5).to_line()));
    }

    #[test]
    fn a_complete_last_line_without_newline_is_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        std::fs::write(&path, format!("{HEADER}\n{}", review(1, 0).to_line())).expect("write");
        let (mut store, log) = Store::open(&path).expect("open");
        assert_eq!(log.events.len(), 1);
        assert!(log.warnings.is_empty());
        store.append(&[review(2, 1)]).expect("append");
        assert_eq!(read(&path).expect("read").events.len(), 2);
    }

    #[test]
    fn a_malformed_middle_line_is_an_error_and_nothing_is_changed() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        let text = format!(
            "{HEADER}\n{}\ngarbage here\n{}\n",
            review(1, 0).to_line(),
            review(2, 1).to_line()
        );
        std::fs::write(&path, &text).expect("write");
        match read(&path) {
            Err(Error::LogMalformed { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a malformed-line error, got {other:?}"),
        }
        assert!(Store::open(&path).is_err());
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            text,
            "untouched"
        );
    }

    #[test]
    fn a_line_that_is_not_text_is_named_among_good_ones() {
        // The block is checked as text once; a block that is not text is
        // checked line by line, so the message still names the line.
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        let mut bytes = format!("{HEADER}\n{}\n", review(1, 0).to_line()).into_bytes();
        bytes.extend_from_slice(b"0000000000000002 \xff\xfe not text\n");
        bytes.extend_from_slice(format!("{}\n", review(3, 1).to_line()).as_bytes());
        std::fs::write(&path, &bytes).expect("write");
        match read(&path) {
            Err(Error::LogMalformed { line, reason, .. }) => {
                assert_eq!(line, 3);
                assert_eq!(reason, "it is not text");
            }
            other => panic!("expected a malformed-line error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_versions_and_junk_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        std::fs::write(&path, "kioku-progress 9\n").expect("write");
        assert!(matches!(read(&path), Err(Error::LogVersion { .. })));
        std::fs::write(&path, b"\x00\x01\xff\xfe binary\n").expect("write");
        assert!(matches!(
            read(&path),
            Err(Error::LogMalformed { line: 1, .. })
        ));
    }

    #[test]
    fn merge_unions_by_id_and_is_idempotent() {
        let dir = tempfile::tempdir().expect("dir");
        let ours = dir.path().join("ours.log");
        let theirs = dir.path().join("theirs.log");
        std::fs::write(&ours, format!("{HEADER}\n{}\n", review(1, 0).to_line())).expect("write");
        std::fs::write(
            &theirs,
            format!(
                "{HEADER}\n{}\n{}\n",
                review(1, 0).to_line(),
                review(2, 9).to_line()
            ),
        )
        .expect("write");
        assert_eq!(merge(&ours, &theirs).expect("merge"), 1);
        assert_eq!(merge(&ours, &theirs).expect("merge"), 0);
        let ids: Vec<u64> = read(&ours)
            .expect("read")
            .events
            .iter()
            .map(|e| e.id.0)
            .collect();
        assert_eq!(ids, [1, 2]);
    }

    /// A reader that hands out at most `step` bytes at a time.
    struct Trickle<'b> {
        bytes: &'b [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Everything a read of a log says, to compare two reads.
    fn outcome(read: Result<LoadedLog, Error>) -> String {
        match read {
            Ok(log) => format!("{log:?}"),
            Err(e) => format!("error: {e}"),
        }
    }

    proptest::proptest! {
        /// Parsed a block at a time, from memory or streamed in pieces of
        /// any size, a log reads as parsed whole: the same events, the
        /// same cut-off last line, the same error on the same line.
        #[test]
        fn a_log_parsed_in_blocks_reads_as_parsed_whole(
            lines in proptest::collection::vec(0u8..12, 0..40),
            cut in 0usize..30,
            block in 1usize..200,
            step in 1usize..50,
        ) {
            let mut text = String::from("kioku-progress 1\n");
            for (i, kind) in lines.iter().enumerate() {
                let t = 1_790_000_000 + i as i64 * 60;
                let time = crate::progress::event::format_time(
                    Timestamp::from_second(t).expect("time"),
                );
                let id = format!("{:016x}", i % 30 + 1);
                match kind {
                    0 => text.push('\n'),
                    1 => text.push_str(&format!("{id} {time} review d/c{i} good 900 study\r\n")),
                    2 => text.push_str("not an event\n"),
                    3 => text.push_str(&format!("{id} {time} undo {:016x}\n", i % 7 + 1)),
                    4 => text.push_str(&format!("{id} {time} bury d/c{i} {time}\n")),
                    _ => text.push_str(&format!("{id} {time} review d/c{} again 1200 quiz\n", i % 5)),
                }
            }
            // Perhaps a last line cut off.
            let bytes = &text.as_bytes()[..text.len() - cut.min(text.len())];
            let path = Path::new("p.log");
            let now = Timestamp::from_second(1_800_000_000).expect("now");
            // One block holding all of it: the log parsed whole.
            let all = bytes.len() + 1;
            let whole = outcome(stream_in_blocks(path, bytes, 0, None, all, now));
            proptest::prop_assert_eq!(
                &outcome(stream_in_blocks(path, bytes, 0, None, block, now)),
                &whole
            );
            let streamed = stream_in_blocks(path, Trickle { bytes, step }, 0, None, block, now);
            proptest::prop_assert_eq!(&outcome(streamed), &whole);
            // Handed on block by block, the events are the same, in order.
            let mut handed = Vec::new();
            let mut sink = |events: &mut Vec<Event>| handed.append(events);
            let sunk = stream_in_blocks(path, Trickle { bytes, step }, 0, Some(&mut sink), block, now);
            if let (Ok(sunk), Ok(whole)) = (sunk, stream_in_blocks(path, bytes, 0, None, all, now)) {
                proptest::prop_assert!(sunk.events.is_empty());
                // A repeated id is kept once only when the events are kept.
                let mut kept = handed.clone();
                dedup_ids(&mut kept);
                proptest::prop_assert_eq!(kept, whole.events);
            }
        }
    }
}
