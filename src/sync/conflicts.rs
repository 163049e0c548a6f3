//! Conflict copies that file-sync tools leave beside the log when two
//! machines changed it at once: Syncthing's
//! `progress.sync-conflict-20261129-101500-ABCDEFG.log` and Dropbox's
//! `progress (Ana's conflicted copy 2026-11-29).log`. Each is merged into the
//! log by event id; the copy itself is left for the user to delete.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The conflict copies beside `log`, in name order.
pub(crate) fn find(log: &Path) -> Vec<PathBuf> {
    let Some(name) = log.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    let dir = match log.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let n = e.file_name().to_str()?.to_string();
            is_conflict_copy(&n, stem, &ext).then(|| e.path())
        })
        .collect();
    found.sort();
    found
}

fn is_conflict_copy(name: &str, stem: &str, ext: &str) -> bool {
    let Some(rest) = name.strip_prefix(stem) else {
        return false;
    };
    if !rest.ends_with(ext) {
        return false;
    }
    rest.starts_with(".sync-conflict-")
        || (rest.starts_with(" (") && rest.contains("conflicted copy"))
}

/// One merged copy and how many events it brought.
#[derive(Debug)]
pub(crate) struct Merged {
    pub path: PathBuf,
    pub added: usize,
}

/// Merges every conflict copy beside `log` into it. A damaged copy stops
/// with an error naming it; nothing is changed by it.
pub(crate) fn merge_all(log: &Path) -> Result<Vec<Merged>, Error> {
    find(log)
        .into_iter()
        .map(|path| {
            let added = crate::progress::merge(log, &path)?;
            Ok(Merged { path, added })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_syncthing_and_dropbox_copies_only() {
        let yes = [
            "progress.sync-conflict-20261129-101500-ABCDEFG.log",
            "progress (Ana's conflicted copy 2026-11-29).log",
        ];
        let no = [
            "progress.log",
            "progress.log.sync",
            "other.sync-conflict-20261129-101500-ABCDEFG.log",
            "progress (copy).log",
            "progress.sync-conflict-1.txt",
        ];
        for n in yes {
            assert!(is_conflict_copy(n, "progress", ".log"), "{n}");
        }
        for n in no {
            assert!(!is_conflict_copy(n, "progress", ".log"), "{n}");
        }
    }
}
