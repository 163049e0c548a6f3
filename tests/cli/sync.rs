//! `kioku sync`: several "machines" (folders with their own log) keeping one
//! history through a local bare git repository.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::support::{TYPED_DECK, folder, json, kioku, reviews};

/// A bare repository in a temporary folder, as a shared remote.
fn remote() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("progress.git");
    let out = std::process::Command::new("git")
        .args(["init", "-q", "--bare"])
        .arg(&path)
        .output()
        .expect("git");
    assert!(out.status.success());
    (dir, path.display().to_string())
}

fn machine() -> tempfile::TempDir {
    folder(&[("decks/capitals.toml", TYPED_DECK)])
}

/// Answers `n` cards with whatever comes first.
fn study(dir: &Path, input: &str) {
    kioku(dir)
        .args(["study", "--plain"])
        .write_stdin(input)
        .assert()
        .success();
}

fn sync(dir: &Path) -> String {
    let out = kioku(dir).arg("sync").output().expect("run");
    // Messages are wrapped to the terminal: read them as one line.
    let stdout = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Every event line, sorted: the set of events a machine holds.
fn events(dir: &Path) -> Vec<String> {
    let mut lines: Vec<String> = std::fs::read_to_string(dir.join("progress.log"))
        .unwrap_or_default()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// Each card's memory state as `stats --card` reports it.
fn states(dir: &Path) -> Vec<serde_json::Value> {
    ["japan", "russia", "france"]
        .iter()
        .map(|card| {
            let mut cmd = kioku(dir);
            cmd.args(["stats", "--card", &format!("capitals/{card}"), "--json"]);
            let v = json(cmd);
            serde_json::json!([
                v["state"],
                v["stability"],
                v["difficulty"],
                v["due"],
                v["lapses"]
            ])
        })
        .collect()
}

#[test]
fn three_machines_end_with_the_union_and_the_same_states() {
    let (_r, url) = remote();
    let machines = [machine(), machine(), machine()];
    for m in &machines {
        kioku(m.path())
            .args(["sync", "--init", &url])
            .assert()
            .success();
    }
    // Each answers on its own, offline from the others.
    study(machines[0].path(), "Tokyo\n\nMoscow\n\n");
    study(machines[1].path(), "Paris\n\n");
    study(machines[2].path(), "wrong\n1\n:q\n");
    let total: usize = machines.iter().map(|m| reviews(m.path()).len()).sum();
    assert_eq!(total, 4);
    for m in &machines {
        sync(m.path());
    }
    // The first two learn of the later machines' answers on the next round.
    for m in &machines {
        sync(m.path());
    }
    let union = events(machines[0].path());
    assert_eq!(union.iter().filter(|l| l.contains(" review ")).count(), 4);
    for m in &machines[1..] {
        assert_eq!(events(m.path()), union);
    }
    let first = states(machines[0].path());
    for m in &machines[1..] {
        assert_eq!(states(m.path()), first);
    }
    // Nothing new: a sync sends nothing and commits nothing.
    let again = sync(machines[1].path());
    assert!(
        again.contains("received 0 events, sent 0 events"),
        "{again}"
    );
}

#[test]
fn a_push_that_loses_a_race_is_retried() {
    let (_r, url) = remote();
    let (a, b) = (machine(), machine());
    for m in [&a, &b] {
        kioku(m.path())
            .args(["sync", "--init", &url])
            .assert()
            .success();
    }
    study(a.path(), "Tokyo\n\n");
    study(b.path(), "Moscow\n\n");
    // While b is about to push, a pushes first (b's pre-push hook runs a's
    // sync once), so b's push is refused and must be retried.
    let kioku_bin = assert_cmd::cargo::cargo_bin("kioku");
    let hook = b.path().join("progress.log.sync/.git/hooks/pre-push");
    let mark = b.path().join("raced");
    let script = format!(
        "#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX\nif [ ! -e '{mark}' ]; then\n  touch '{mark}'\n  cd '{a}' && KIOKU_PROGRESS='{a}/progress.log' KIOKU_CONFIG='{a}/config.toml' KIOKU_CACHE_DIR=off HOME='{a}/.home' '{bin}' sync >/dev/null 2>&1\nfi\nexit 0\n",
        mark = mark.display(),
        a = a.path().display(),
        bin = kioku_bin.display()
    );
    std::fs::write(&hook, script).expect("hook");
    make_executable(&hook);
    let said = sync(b.path());
    assert!(mark.exists(), "the race was run");
    assert!(said.contains("retried 1 time"), "{said}");
    sync(a.path());
    assert_eq!(events(a.path()), events(b.path()));
    assert_eq!(reviews(a.path()).len(), 2);
}

#[cfg(unix)]
fn make_executable(path: &PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn offline_keeps_everything_local_and_says_so() {
    let m = machine();
    study(m.path(), "Tokyo\n\n");
    let before = std::fs::read(m.path().join("progress.log")).expect("log");
    let gone = m.path().join("no-such-remote.git");
    kioku(m.path())
        .args(["sync", "--init", &gone.display().to_string()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Offline: cannot reach"));
    assert_eq!(
        std::fs::read(m.path().join("progress.log")).expect("log"),
        before
    );
}

#[test]
fn a_remote_that_rejects_the_push_is_reported_and_the_log_keeps_its_answers() {
    let (r, url) = remote();
    let m = machine();
    kioku(m.path())
        .args(["sync", "--init", &url])
        .assert()
        .success();
    let hook = r.path().join("progress.git/hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'pushes are closed' >&2\nexit 1\n").expect("hook");
    make_executable(&hook);
    study(m.path(), "Tokyo\n\n");
    kioku(m.path())
        .arg("sync")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refused the push"))
        .stderr(predicate::str::contains(
            "your answers are all in your own log",
        ));
    assert_eq!(reviews(m.path()).len(), 1);
}

#[test]
fn a_damaged_copy_on_the_remote_is_reported_and_changes_nothing() {
    let (_r, url) = remote();
    let m = machine();
    study(m.path(), "Tokyo\n\n");
    kioku(m.path())
        .args(["sync", "--init", &url])
        .assert()
        .success();
    // Someone pushes a broken copy by hand.
    let other = tempfile::tempdir().expect("dir");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(other.path())
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["clone", "-q", "-b", "main", &url, "."]);
    let good = std::fs::read_to_string(other.path().join("progress.log")).expect("copy");
    std::fs::write(
        other.path().join("progress.log"),
        good.replacen(" review ", " weview ", 1),
    )
    .expect("break it");
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qam",
        "broken",
    ]);
    git(&["push", "-q", "origin", "HEAD:main"]);
    let before = std::fs::read(m.path().join("progress.log")).expect("log");
    kioku(m.path())
        .arg("sync")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 2 of the progress log"))
        .stderr(predicate::str::contains("(progress.log)"));
    assert_eq!(
        std::fs::read(m.path().join("progress.log")).expect("log"),
        before
    );
}

#[test]
fn sync_without_a_remote_is_a_usage_error() {
    let m = machine();
    kioku(m.path())
        .arg("sync")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kioku sync --init REMOTE"));
}

#[test]
fn conflict_copies_beside_the_log_are_merged_and_reported() {
    let m = machine();
    study(m.path(), "Tokyo\n\n");
    let other = machine();
    study(other.path(), "Moscow\n\n");
    let theirs = std::fs::read(other.path().join("progress.log")).expect("log");
    let copy = "progress.sync-conflict-20261129-101500-ABCDEFG.log";
    std::fs::write(m.path().join(copy), &theirs).expect("copy");
    kioku(m.path())
        .arg("sync")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Merged 1 event from the conflict copy",
        ))
        .stdout(predicate::str::contains(copy));
    assert_eq!(reviews(m.path()).len(), 2);
    // The copy itself is never changed.
    assert_eq!(std::fs::read(m.path().join(copy)).expect("copy"), theirs);
}
