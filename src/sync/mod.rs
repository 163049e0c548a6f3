//! `kioku sync`: the progress log carried between machines by git.
//!
//! The log is an append-only set of events merged by id, so kioku never lets
//! git merge it as text (which could duplicate or drop lines). A private
//! clone beside the log (`progress.log.sync/`) holds one file; each sync
//! fetches the remote, unions the remote's copy into the user's log with
//! [`crate::progress::merge`], writes the union over the clone's file as a
//! commit on top of the remote's, and pushes. A push that loses a race with
//! another machine is retried from the fetch. Only the user's own file in the
//! repository is ever written, so a class repository where every student
//! pushes a file of their own is safe.
//!
//! git runs as the `git` command, not through libgit2: it uses the user's own
//! credentials, SSH keys and proxy settings with nothing to configure, and
//! adds no C library to the build.

pub(crate) mod conflicts;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::Error;
use crate::progress::{self, Event, HEADER};

/// The branch every machine pushes to.
const BRANCH: &str = "main";
/// How often a push that lost a race is tried again.
const ATTEMPTS: usize = 8;

/// The private clone for the log at `log`: `progress.log.sync/` beside it.
pub(crate) fn repo_dir(log: &Path) -> PathBuf {
    let mut name = log
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_else(|| "progress.log".into());
    name.push(".sync");
    log.with_file_name(name)
}

/// The file a learner's log is kept in inside the repository: `NAME.log`
/// when a name is set (so a class repository holds one file per student),
/// else `progress.log`.
pub(crate) fn file_name(name: Option<&str>) -> String {
    let slug: String = name
        .unwrap_or("")
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "progress.log".into()
    } else {
        format!("{slug}.log")
    }
}

/// What one sync did, for the report.
#[derive(Debug, Default)]
pub(crate) struct Synced {
    /// Events the remote had that this log lacked.
    pub received: usize,
    /// Events this log had that the remote lacked.
    pub sent: usize,
    /// Pushes that lost a race with another machine and were retried.
    pub retries: usize,
    /// Set when the remote could not be reached: git's message.
    pub offline: Option<String>,
    pub remote: String,
}

/// Runs git in `dir`; the error is git's own message.
fn git(dir: &Path, args: &[&str]) -> Result<Output, Error> {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(args)
        // Never wait for a password on a terminal that is not there.
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C");
    cmd.output().map_err(|source| Error::Sync {
        message: format!("cannot run git: {source}"),
        help: "install git (https://git-scm.com) and make sure it is on the PATH".into(),
    })
}

fn ok(dir: &Path, args: &[&str]) -> Result<String, Error> {
    let out = git(dir, args)?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(failed(args, &out))
    }
}

fn failed(args: &[&str], out: &Output) -> Error {
    Error::Sync {
        message: format!(
            "`git {}` failed: {}",
            args.first().copied().unwrap_or(""),
            crate::text::sanitize(String::from_utf8_lossy(&out.stderr).trim(), false)
        ),
        help: String::new(),
    }
}

/// Sets up (or re-points) the clone for `log` at `remote`, to keep `file`.
pub(crate) fn init(log: &Path, remote: &str, file: &str) -> Result<(), Error> {
    let dir = repo_dir(log);
    if !dir.join(".git").exists() {
        std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        ok(&dir, &["init", "-q"])?;
        ok(
            &dir,
            &["symbolic-ref", "HEAD", &format!("refs/heads/{BRANCH}")],
        )?;
    }
    if git(&dir, &["remote", "get-url", "origin"])?
        .status
        .success()
    {
        ok(&dir, &["remote", "set-url", "origin", remote])?;
    } else {
        ok(&dir, &["remote", "add", "origin", remote])?;
    }
    ok(&dir, &["config", "kioku.file", file])?;
    Ok(())
}

/// Whether `kioku sync --init` has been run for this log.
pub(crate) fn is_set_up(log: &Path) -> bool {
    repo_dir(log).join(".git").exists()
}

/// Fetches, merges by event id, commits and pushes; see the module's doc.
pub(crate) fn sync(log: &Path) -> Result<Synced, Error> {
    let dir = repo_dir(log);
    // One sync at a time per clone: two would trip over git's index.
    let lock_path = dir.join(".git").join("kioku-sync.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|source| Error::Write {
            path: lock_path.clone(),
            source,
        })?;
    if lock.try_lock().is_err() {
        return Err(Error::Sync {
            message: "another `kioku sync` is running for this progress log".into(),
            help: "wait for it to finish, then sync again if you still need to".into(),
        });
    }
    let file = ok(&dir, &["config", "kioku.file"]).unwrap_or_else(|_| "progress.log".into());
    let remote = ok(&dir, &["remote", "get-url", "origin"])?;
    let mut synced = Synced {
        remote: remote.clone(),
        ..Synced::default()
    };
    let tracking = format!("refs/remotes/origin/{BRANCH}");
    for attempt in 0..ATTEMPTS {
        let fetch = git(
            &dir,
            &[
                "fetch",
                "-q",
                "origin",
                &format!("+refs/heads/{BRANCH}:{tracking}"),
            ],
        )?;
        if !fetch.status.success() {
            let message = String::from_utf8_lossy(&fetch.stderr);
            // An empty remote has no branch yet: that is not being offline.
            if !message.contains("couldn't find remote ref") {
                let first = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                synced.offline = Some(crate::text::sanitize(first.trim(), false));
                return Ok(synced);
            }
        }
        let theirs = rev(&dir, &tracking)?;
        let mut remote_events = 0;
        if let Some(commit) = &theirs {
            let shown = git(&dir, &["show", &format!("{commit}:{file}")])?;
            if shown.status.success() {
                let label = PathBuf::from(format!("{remote} ({file})"));
                // Checked before anything is merged: a damaged remote copy
                // changes nothing here.
                let parsed = progress::store::parse(&label, &shown.stdout)?;
                remote_events = parsed.events.len();
                let copy = dir.join(".git").join("kioku-remote.log");
                std::fs::write(&copy, &shown.stdout).map_err(|source| Error::Write {
                    path: copy.clone(),
                    source,
                })?;
                synced.received += progress::merge(log, &copy)?;
                let _ = std::fs::remove_file(&copy);
            }
            ok(&dir, &["reset", "-q", "--hard", commit])?;
        }
        let ours = progress::read(log)?;
        synced.sent = ours.events.len().saturating_sub(remote_events);
        write_canonical(&dir.join(&file), &ours.events)?;
        ok(&dir, &["add", "--", &file])?;
        let staged = git(&dir, &["diff", "--cached", "--quiet"])?;
        if !staged.status.success() {
            let message = format!("kioku sync: {} events", ours.events.len());
            let mut args = identity(&dir)?;
            // kioku's own commits of the log: a signing key's passphrase
            // prompt has no terminal to ask on.
            args.extend(
                ["-c", "commit.gpgsign=false", "commit", "-q", "-m", &message].map(String::from),
            );
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            ok(&dir, &args)?;
        }
        if rev(&dir, "HEAD")? == theirs {
            return Ok(synced);
        }
        let refspec = format!("HEAD:refs/heads/{BRANCH}");
        let push = git(&dir, &["push", "-q", "origin", &refspec])?;
        if push.status.success() {
            return Ok(synced);
        }
        // Lost a race (the remote moved since the fetch): fetch and try again.
        // Anything else is the remote refusing.
        let _ = git(
            &dir,
            &[
                "fetch",
                "-q",
                "origin",
                &format!("+refs/heads/{BRANCH}:{tracking}"),
            ],
        )?;
        if rev(&dir, &tracking)? == theirs || attempt + 1 == ATTEMPTS {
            return Err(Error::SyncRejected {
                remote,
                message: crate::text::sanitize(String::from_utf8_lossy(&push.stderr).trim(), false),
            });
        }
        synced.retries += 1;
        synced.sent = 0;
    }
    Ok(synced)
}

/// The commit's id for a ref, None when it does not exist.
fn rev(dir: &Path, name: &str) -> Result<Option<String>, Error> {
    let out = git(dir, &["rev-parse", "--verify", "-q", name])?;
    Ok(out
        .status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string()))
}

/// `-c user.name=… -c user.email=…` when git has no identity configured (a
/// fresh machine), so a commit never fails for want of one.
fn identity(dir: &Path) -> Result<Vec<String>, Error> {
    let mut args = Vec::new();
    if !git(dir, &["config", "user.name"])?.status.success() {
        args.extend(["-c".to_string(), "user.name=kioku".to_string()]);
    }
    if !git(dir, &["config", "user.email"])?.status.success() {
        args.extend(["-c".to_string(), "user.email=kioku@localhost".to_string()]);
    }
    Ok(args)
}

/// The log as kioku writes it (the header, one line per event), without a
/// torn last line the user's file may still carry. Events go in time order
/// (then id), so machines holding the same events write the same file and a
/// sync with nothing new makes no commit.
fn write_canonical(path: &Path, events: &[Event]) -> Result<(), Error> {
    let mut order: Vec<&Event> = events.iter().collect();
    order.sort_by_key(|e| (e.time, e.id));
    order.dedup_by_key(|e| e.id);
    let mut text = String::with_capacity(events.len() * 80 + 20);
    text.push_str(HEADER);
    text.push('\n');
    for e in order {
        text.push_str(&e.to_line());
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_slugs() {
        assert_eq!(file_name(None), "progress.log");
        assert_eq!(file_name(Some("  ")), "progress.log");
        assert_eq!(file_name(Some("Ana María")), "ana-maría.log");
        assert_eq!(file_name(Some("../etc/passwd")), "etc-passwd.log");
    }

    #[test]
    fn the_clone_lives_beside_the_log() {
        assert_eq!(
            repo_dir(Path::new("/d/progress.log")),
            Path::new("/d/progress.log.sync")
        );
    }
}
