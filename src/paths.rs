//! Where kioku keeps its files, following the platform's conventions (the
//! `directories` crate): the progress log in the data folder, settings in the
//! config folder, derived caches in the cache folder. `kioku paths` shows all
//! three.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cli::GlobalArgs;
use crate::error::Error;
use crate::progress::HEADER;

/// The file name of the settings, wherever they live.
const CONFIG_FILE: &str = "config.toml";

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "kioku")
}

/// The default log: the platform data folder, e.g.
/// `~/.local/share/kioku/progress.log`.
pub(crate) fn default_log() -> Result<PathBuf, Error> {
    project()
        .map(|d| d.data_dir().join("progress.log"))
        .ok_or(Error::NoDataDir)
}

/// The default settings file: the platform config folder, e.g.
/// `~/.config/kioku/config.toml`.
pub(crate) fn default_config() -> Result<PathBuf, Error> {
    project()
        .map(|d| d.config_dir().join(CONFIG_FILE))
        .ok_or(Error::NoDataDir)
}

/// Where caches live: `KIOKU_CACHE_DIR`, else the platform cache folder
/// (e.g. `~/.cache/kioku`). `KIOKU_CACHE_DIR=off` disables caching.
pub(crate) fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("KIOKU_CACHE_DIR") {
        Some(dir) if dir == "off" => None,
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => project().map(|d| d.cache_dir().to_path_buf()),
    }
}

/// The progress log named by `--progress`/`KIOKU_PROGRESS`, else the default,
/// checked to be a kioku log or a file still to be created: a folder, a
/// device or another program's file is a usage error for every command,
/// rather than an empty history or a failed write later.
pub(crate) fn log(global: &GlobalArgs) -> Result<PathBuf, Error> {
    let path = match &global.progress {
        Some(p) => p.clone(),
        None => default_log()?,
    };
    check_log(&path)?;
    Ok(path)
}

fn check_log(path: &Path) -> Result<(), Error> {
    let not_a_log = |problem| Error::NotALog {
        path: path.to_path_buf(),
        problem,
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        // Created on the first answer.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::ProgressRead {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if meta.is_dir() {
        return Err(not_a_log("is a folder, not a file"));
    }
    if !meta.is_file() {
        return Err(not_a_log(
            "is not a regular file (a device, a pipe or a socket)",
        ));
    }
    let mut start = Vec::with_capacity(32);
    std::fs::File::open(path)
        .and_then(|f| f.take(32).read_to_end(&mut start))
        .map_err(|source| Error::ProgressRead {
            path: path.to_path_buf(),
            source,
        })?;
    let start = start.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&start);
    // The header without its version: an unknown version is reported by
    // the log reader, with what to do about it.
    let header = HEADER.as_bytes();
    let header = &header[..header
        .iter()
        .position(|b| *b == b' ')
        .unwrap_or(header.len())];
    // A log starts with its header; a file cut short while the header was
    // being written is a prefix of it.
    let shared = start.len().min(header.len());
    if start[..shared] != header[..shared] {
        return Err(not_a_log(
            "is not a kioku progress log: it does not start with `kioku-progress`",
        ));
    }
    Ok(())
}

/// The settings file: `--config`/`KIOKU_CONFIG`; else `config.toml` beside a
/// log named with `--progress` when there is one there (a folder that keeps a
/// log with its settings, as earlier versions did); else the platform config
/// folder. Settings that earlier versions kept beside the default log are
/// moved to the config folder once, saying so in `notes`.
pub(crate) fn config(
    global: &GlobalArgs,
    log: &Path,
    notes: &mut Vec<String>,
) -> Result<PathBuf, Error> {
    if let Some(path) = &global.config {
        return Ok(path.clone());
    }
    let beside_log = log.parent().unwrap_or(Path::new(".")).join(CONFIG_FILE);
    if global.progress.is_some() && beside_log.is_file() {
        return Ok(beside_log);
    }
    let path = default_config()?;
    let legacy = default_log()?.with_file_name(CONFIG_FILE);
    if legacy != path && !path.exists() && legacy.is_file() {
        let moved = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::rename(&legacy, &path));
        match moved {
            Ok(()) => notes.push(format!(
                "settings now live in {}; moved there from {}",
                path.display(),
                legacy.display()
            )),
            // Still read where it is; said each time until it can move.
            Err(e) => {
                notes.push(format!(
                    "settings belong in {} now, but {} could not be moved there: {e}",
                    path.display(),
                    legacy.display()
                ));
                return Ok(legacy);
            }
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_a_kioku_log_or_not_there_yet() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("progress.log");
        assert!(check_log(&path).is_ok(), "missing: created later");
        std::fs::write(&path, "").expect("write");
        assert!(check_log(&path).is_ok(), "empty");
        std::fs::write(&path, "kioku-pro").expect("write");
        assert!(check_log(&path).is_ok(), "header cut short");
        std::fs::write(&path, format!("\u{feff}{HEADER}\n")).expect("write");
        assert!(check_log(&path).is_ok(), "byte-order mark");
        std::fs::write(&path, "name,score\n").expect("write");
        assert!(matches!(check_log(&path), Err(Error::NotALog { .. })));
        assert!(matches!(check_log(dir.path()), Err(Error::NotALog { .. })));
        assert!(matches!(
            check_log(Path::new("/dev/null")),
            Err(Error::NotALog { .. })
        ));
    }
}
