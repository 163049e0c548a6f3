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

use super::event::{Event, HEADER};
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
    let bytes = std::fs::read(path).map_err(|source| read_error(path, source))?;
    parse(path, &bytes)
}

/// Reads only the lines after byte `offset` (where a snapshot ended). A
/// damaged line there is reported by reading the whole log, so the message
/// names its true line number.
pub fn read_from(path: &Path, offset: u64) -> Result<LoadedLog, Error> {
    if offset == 0 {
        return read(path);
    }
    let bytes = read_tail(path, offset)?;
    parse_from(path, &bytes, offset).or_else(|_| read(path))
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

/// The log's length in bytes (0 when there is none).
pub fn length(path: &Path) -> u64 {
    std::fs::metadata(path)
        .map(|m| if m.is_file() { m.len() } else { 0 })
        .unwrap_or(0)
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::ProgressRead {
        path: path.to_path_buf(),
        source,
    }
}

/// Parses a whole log.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<LoadedLog, Error> {
    parse_from(path, bytes, 0)
}

/// Parses the part of a log that starts at byte `base` (0: the whole log,
/// header first; later: whole lines appended after a snapshot).
fn parse_from(path: &Path, bytes: &[u8], base: u64) -> Result<LoadedLog, Error> {
    let with_header = base == 0;
    let mut log = LoadedLog {
        from: base,
        ..LoadedLog::default()
    };
    if bytes.is_empty() {
        log.empty = with_header;
        return Ok(log);
    }
    let malformed = |line: usize, reason: String| Error::LogMalformed {
        path: path.to_path_buf(),
        line,
        reason,
    };
    // Split into lines, parse them on every core (a log may hold a million
    // answers), then apply the rules in order.
    let mut lines: Vec<(usize, usize, bool)> = Vec::new();
    let mut offset = 0usize;
    while offset < bytes.len() {
        match memchr(b'\n', &bytes[offset..]) {
            Some(i) => {
                lines.push((offset, offset + i, true));
                offset += i + 1;
            }
            None => {
                lines.push((offset, bytes.len(), false));
                offset = bytes.len();
            }
        }
    }
    use rayon::prelude::*;
    let parsed: Vec<Result<Option<Event>, String>> = lines
        .par_iter()
        .enumerate()
        .map(|(i, (start, end, _))| {
            let text = std::str::from_utf8(&bytes[*start..*end])
                .map_err(|_| "it is not text".to_string())?;
            let text = text.strip_suffix('\r').unwrap_or(text);
            if i == 0 && with_header {
                header(text).map(|_| None)
            } else {
                Event::parse(text).map(Some)
            }
        })
        .collect();
    log.events.reserve(parsed.len());
    for (i, (result, (start, _, complete))) in parsed.into_iter().zip(&lines).enumerate() {
        let number = i + 1;
        match result {
            Ok(event) => {
                log.events.extend(event);
                if !complete {
                    log.missing_newline = true;
                }
            }
            // A version we do not know is never "torn": refuse it whole.
            Err(reason) if number == 1 && with_header && reason.contains("version") => {
                return Err(Error::LogVersion {
                    path: path.to_path_buf(),
                    found: reason,
                });
            }
            Err(_) if !complete && (number > 1 || !with_header) => {
                log.torn_at = Some(base + *start as u64);
                log.warnings.push(format!(
                    "the last line of {} was cut off (a crash while saving?); it held no complete answer and will be removed on the next save",
                    path.display()
                ));
            }
            Err(reason) => return Err(malformed(number, reason)),
        }
    }
    Ok(log)
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

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

/// The log, held open and locked for one session's writes.
pub struct Store {
    path: PathBuf,
    file: File,
    torn_at: Option<u64>,
    missing_newline: bool,
    empty: bool,
}

impl Store {
    /// Opens (creating if needed) and locks the log, and reads it. A second
    /// session gets [`Error::ProgressLocked`] and changes nothing.
    pub fn open(path: &Path) -> Result<(Store, LoadedLog), Error> {
        Store::open_from(path, 0)
    }

    /// Opens and locks the log like [`Store::open`], but reads only what
    /// follows byte `offset` (a snapshot covers the rest).
    pub fn open_from(path: &Path, offset: u64) -> Result<(Store, LoadedLog), Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::ProgressWrite {
                path: path.to_path_buf(),
                source,
            })?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|source| Error::ProgressWrite {
                path: path.to_path_buf(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::ProgressLocked {
                    path: path.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(Error::ProgressWrite {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
        let regular = file.metadata().map(|m| m.is_file()).unwrap_or(false);
        let tail = (regular && offset > 0)
            .then(|| read_tail(path, offset).ok())
            .flatten()
            .and_then(|bytes| parse_from(path, &bytes, offset).ok());
        let log = if let Some(log) = tail {
            log
        } else if regular {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)
                .map_err(|source| read_error(path, source))?;
            parse(path, &bytes)?
        } else {
            LoadedLog {
                empty: true,
                ..LoadedLog::default()
            }
        };
        let store = Store {
            path: path.to_path_buf(),
            file,
            torn_at: log.torn_at,
            missing_newline: log.missing_newline,
            empty: log.empty,
        };
        Ok((store, log))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends events and syncs them to disk before returning: once this
    /// returns Ok, the answers survive a crash or a power cut.
    pub fn append(&mut self, events: &[Event]) -> Result<(), Error> {
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

/// Unions another copy of the log into `path` by event id: events it lacks
/// are appended (the log stays append-only). Returns how many were added.
pub fn merge(path: &Path, other: &Path) -> Result<usize, Error> {
    let theirs = read(other)?;
    let (mut store, ours) = Store::open(path)?;
    let known: HashSet<_> = ours.events.iter().map(|e| e.id).collect();
    let mut missing: Vec<Event> = theirs
        .events
        .into_iter()
        .filter(|e| !known.contains(&e.id))
        .collect();
    missing.sort_by_key(|e| e.time);
    missing.dedup_by_key(|e| e.id);
    if !missing.is_empty() {
        store.append(&missing)?;
    }
    Ok(missing.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::event::{EventId, EventKind};
    use crate::rating::Rating;
    use crate::session::Mode;
    use jiff::Timestamp;

    fn review(id: u64, secs: i64) -> Event {
        Event {
            id: EventId(id),
            time: Timestamp::from_second(1_800_000_000 + secs).expect("time"),
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
}
