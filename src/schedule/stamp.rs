//! A log's stamp: what the file looked like (device, inode, size,
//! modification and status-change times) when its first bytes were hashed,
//! so that a launch finding it unchanged need not hash it again. On a
//! million reviews that is 80 MB, about a third of what `kioku due` does.
//!
//! The reasoning is git's index. Every write to a file moves its
//! status-change time (ctime), which no program can set back; a file with
//! the same device, inode, size and times has the same bytes. The one gap
//! is a write within the same tick of the file system's clock as the
//! stamp (coarse on most systems, two seconds on FAT): so a file is
//! stamped only when it was last changed [`SETTLED`] before it was read,
//! and any later write gets a later time. A stamp that does not match in
//! every field means hashing, as before; a missing or damaged stamp file
//! costs only that.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::deck::cache;

/// How long before a read the file must have been last changed for its
/// stamp to be recorded: above any file system's time resolution.
const SETTLED: Duration = Duration::from_secs(5);

#[cfg(test)]
thread_local! {
    /// Tests of opening a log stamp files just written, on this thread.
    pub(crate) static SETTLE_AT_ONCE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

const FORMAT: u32 = 1;

/// What `stat` says of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stamp {
    /// The stamp of an open file; None where the system gives no inode.
    #[cfg(unix)]
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        (meta.is_file() && meta.ino() != 0).then(|| Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn of(_: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// Whether the file had been left alone for [`SETTLED`] when the read
    /// that hashed it started.
    fn settled(&self, read_at: SystemTime) -> bool {
        #[cfg(test)]
        if SETTLE_AT_ONCE.with(std::cell::Cell::get) {
            return true;
        }
        let Ok(at) = read_at.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let at = i64::try_from(at.as_secs()).unwrap_or(i64::MAX);
        let limit = at.saturating_sub(SETTLED.as_secs() as i64);
        self.changed.0 < limit && self.modified.0 < limit
    }
}

/// A stamp file's content: the log, its stamp, and the prefixes (length
/// and xxh3) its bytes were found to begin with.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Record {
    format: u32,
    log: String,
    stamp: Stamp,
    prefixes: Vec<(u64, u64)>,
}

/// One stamp file per log, named like its snapshot.
fn path(dir: &Path, log_name: &str) -> PathBuf {
    dir.join(format!(
        "stamp-{:016x}.bin",
        xxhash_rust::xxh3::xxh3_64(log_name.as_bytes())
    ))
}

fn read(path: &Path) -> Option<Record> {
    let bytes = std::fs::read(path).ok()?;
    let (sum, rest) = bytes.split_at_checked(8)?;
    if xxhash_rust::xxh3::xxh3_64(rest).to_le_bytes() != sum {
        return None;
    }
    let record: Record = postcard::from_bytes(rest).ok()?;
    (record.format == FORMAT).then_some(record)
}

/// Whether the log named `log_name`, as `stamp` shows it now, is known to
/// begin with `prefix` (its length and xxh3).
pub(crate) fn vouches(dir: &Path, log_name: &str, stamp: Stamp, prefix: (u64, u64)) -> bool {
    read(&path(dir, log_name)).is_some_and(|r| {
        r.log == log_name
            && r.stamp == stamp
            && prefix.0 <= stamp.len
            && r.prefixes.contains(&prefix)
    })
}

/// Records that the log, as `stamp` showed it both before and after the
/// read that started at `read_at`, begins with `prefixes`; only when it had
/// settled by then. Removes the stamps of logs that are gone. Failure only
/// costs hashing next time, so it is silent.
pub(crate) fn record(
    dir: &Path,
    log_name: &str,
    stamp: Stamp,
    read_at: SystemTime,
    prefixes: &[(u64, u64)],
) {
    if !stamp.settled(read_at) || prefixes.iter().any(|p| p.0 > stamp.len) {
        return;
    }
    let record = Record {
        format: FORMAT,
        log: log_name.to_string(),
        stamp,
        prefixes: prefixes.to_vec(),
    };
    let file = path(dir, log_name);
    if read(&file).as_ref() == Some(&record) {
        return;
    }
    let Ok(body) = postcard::to_stdvec(&record) else {
        return;
    };
    let mut bytes = xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes().to_vec();
    bytes.extend(body);
    let _ = cache::write_atomically(dir, &file, &bytes);
    cache::sweep(dir, &file, "stamp-", |other| {
        read(other).is_none_or(|r| !Path::new(&r.log).exists())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp_of(path: &Path) -> Stamp {
        Stamp::of(&std::fs::metadata(path).expect("stat")).expect("a stamp")
    }

    /// A log of four bytes in a folder of its own, its name and stamp.
    fn fixture() -> (tempfile::TempDir, PathBuf, String, Stamp) {
        let dir = tempfile::tempdir().expect("dir");
        let log = dir.path().join("log");
        std::fs::write(&log, "one\n").expect("write");
        let name = log.to_string_lossy().into_owned();
        let s = stamp_of(&log);
        (dir, log, name, s)
    }

    /// A read long after the file's last change.
    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(60)
    }

    #[test]
    fn a_recorded_stamp_vouches_only_for_the_same_file_and_prefix() {
        let (dir, log, name, s) = fixture();
        record(dir.path(), &name, s, later(), &[(4, 7)]);
        assert!(vouches(dir.path(), &name, s, (4, 7)));
        assert!(!vouches(dir.path(), &name, s, (4, 8)), "another hash");
        assert!(!vouches(dir.path(), "other", s, (4, 7)), "another log");
        // An append changes the size; a same-size rewrite the times.
        std::thread::sleep(Duration::from_millis(30));
        std::fs::write(&log, "two\n").expect("rewrite");
        assert_ne!(stamp_of(&log), s);
        assert!(!vouches(dir.path(), &name, stamp_of(&log), (4, 7)));
    }

    #[test]
    fn a_file_changed_just_before_its_read_is_not_stamped() {
        let (dir, _log, name, s) = fixture();
        record(dir.path(), &name, s, SystemTime::now(), &[(4, 7)]);
        assert!(!vouches(dir.path(), &name, s, (4, 7)));
        // Nor a prefix longer than the file.
        record(dir.path(), &name, s, later(), &[(5, 7)]);
        assert!(!vouches(dir.path(), &name, s, (5, 7)));
    }

    #[test]
    fn a_damaged_stamp_file_vouches_for_nothing_and_gone_logs_lose_theirs() {
        let (dir, _log, name, s) = fixture();
        record(dir.path(), &name, s, later(), &[(4, 7)]);
        let file = path(dir.path(), &name);
        let mut bytes = std::fs::read(&file).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&file, &bytes).expect("damage");
        assert!(!vouches(dir.path(), &name, s, (4, 7)));
        // A stamp for another log, which is then removed, is swept.
        let other = dir.path().join("other");
        std::fs::write(&other, "x\n").expect("write");
        let other_name = other.to_string_lossy().into_owned();
        record(
            dir.path(),
            &other_name,
            stamp_of(&other),
            later(),
            &[(2, 1)],
        );
        std::fs::remove_file(&other).expect("remove");
        record(dir.path(), &name, s, later(), &[(4, 7)]);
        assert!(!path(dir.path(), &other_name).exists());
        assert!(vouches(dir.path(), &name, s, (4, 7)));
    }
}
