//! The progress log's promises, through the real binary: no answered review
//! is lost to a crash, a second session, a full disk or a damaged file.

use predicates::prelude::*;

use crate::support::{Live, TYPED_DECK, folder, kioku, reviews, root};

#[test]
fn kill_9_mid_session_loses_no_answered_review() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let mut s = Live::spawn(dir.path(), &["study", "--plain"]);
    for _ in 0..2 {
        s.expect("Your answer:");
        s.send("Tokyo");
        s.expect("Enter: as marked");
        s.send("1");
    }
    // The third card is on screen, unanswered, when the process dies.
    s.expect("Your answer:");
    s.kill();
    assert_eq!(reviews(dir.path()).len(), 2);
    // And the log is sound: the next session starts normally.
    kioku(dir.path()).args(["due"]).assert().success();
}

#[test]
fn two_sessions_at_once_the_second_is_told_and_nothing_is_lost() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let mut first = Live::spawn(dir.path(), &["study", "--plain"]);
    first.expect("Your answer:");
    first.send("Tokyo");
    first.expect("Enter: as marked");
    first.send("");
    first.expect("Your answer:");
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("Tokyo\n\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "another kioku session is using the progress log",
        ))
        .stderr(predicate::str::contains("finish the other session first"));
    // Read-only commands still work while a session runs.
    kioku(dir.path()).args(["due"]).assert().success();
    first.send("Moscow");
    first.expect("Enter: as marked");
    first.send("");
    let (code, _) = first.finish();
    assert_eq!(code, 0);
    assert_eq!(reviews(dir.path()).len(), 2);
}

#[test]
fn a_full_disk_is_a_clear_error_and_earlier_answers_stay() {
    // A file-size limit makes the first append fail as a full disk would
    // (EFBIG instead of ENOSPC; kioku's path is the same). bash's `trap ''`
    // ignores SIGXFSZ, so the write fails instead of killing the process.
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let mut log = String::from("kioku-progress 1\n");
    let mut n = 0;
    while log.len() < 1000 {
        n += 1;
        log.push_str(&format!(
            "{n:016x} 2026-01-01T10:00:00.000Z review capitals/japan good 1000 study\n"
        ));
    }
    std::fs::write(dir.path().join("progress.log"), &log).expect("write");
    let kioku_bin = assert_cmd::cargo::cargo_bin("kioku");
    let script = format!(
        "trap '' XFSZ; ulimit -f 1; exec '{}' study --plain",
        kioku_bin.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir.path())
        .env("KIOKU_PROGRESS", dir.path().join("progress.log"))
        .env("KIOKU_CACHE_DIR", "off")
        .env("KIOKU_CONFIG", dir.path().join("config.toml"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(b"Tokyo\n\nMoscow\n\n")?;
            }
            child.wait_with_output()
        })
        .expect("run kioku under bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot save to the progress log"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the answers saved before this one are safe"),
        "{stderr}"
    );
    let after = std::fs::read_to_string(dir.path().join("progress.log")).expect("read");
    assert!(after.starts_with(&log), "earlier answers are untouched");
}

/// Each file in tests/fixtures/logs names its expected outcome in its name:
/// `ok-*` loads (perhaps with a warning), `error-*` is refused with a message.
#[test]
fn damaged_logs_give_the_documented_result() {
    let cases = [
        ("empty.log", 0, ""),
        ("torn-last-line.log", 0, "was cut off"),
        ("garbage-line.log", 1, "line 3 of the progress log"),
        ("unknown-version.log", 1, "format version 7"),
        ("binary-junk.log", 2, "is not a kioku progress log"),
    ];
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    for (name, code, message) in cases {
        let log = root().join("tests/fixtures/logs").join(name);
        let copy = dir.path().join(name);
        std::fs::copy(&log, &copy).expect("copy");
        let before = std::fs::read(&copy).expect("read");
        let out = kioku(dir.path())
            .args(["due"])
            .env("KIOKU_PROGRESS", &copy)
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(code),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read(&copy).expect("read"),
            before,
            "{name}: reading never changes the log"
        );
    }
    // Writing after a torn line cuts only the torn tail.
    let torn = dir.path().join("torn.log");
    std::fs::copy(root().join("tests/fixtures/logs/torn-last-line.log"), &torn).expect("copy");
    kioku(dir.path())
        .args(["study", "--plain"])
        .env("KIOKU_PROGRESS", &torn)
        .write_stdin("Tokyo\n\n:q\n")
        .assert()
        .success();
    let text = std::fs::read_to_string(&torn).expect("read");
    assert_eq!(text.lines().filter(|l| l.contains(" review ")).count(), 3);
    assert!(text.ends_with('\n'));
    assert!(!text.contains("2026-11-2\n"), "the torn fragment is gone");
}

#[test]
fn merge_unions_two_copies() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let other = root().join("tests/fixtures/logs/torn-last-line.log");
    kioku(dir.path())
        .args(["merge", other.to_str().expect("path")])
        .assert()
        .success()
        .stdout(predicate::str::contains("Merged 2 events"));
    kioku(dir.path())
        .args(["merge", other.to_str().expect("path")])
        .assert()
        .success()
        .stdout(predicate::str::contains("Nothing to merge"));
    assert_eq!(reviews(dir.path()).len(), 2);
}

#[test]
fn reviews_of_removed_cards_are_kept() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let log = "kioku-progress 1\n00000000000000aa 2026-01-01T10:00:00.000Z review gone/card good 1000 study\n";
    std::fs::write(dir.path().join("progress.log"), log).expect("write");
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("Tokyo\n\n:q\n")
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("progress.log")).expect("read");
    assert!(
        text.contains("review gone/card good"),
        "the orphaned review stays"
    );
}

/// The replay snapshot is derived data: with it, and after answers are added
/// on top of it, every figure must equal a full replay of the log.
#[test]
fn the_replay_snapshot_agrees_with_a_full_replay() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let cache = dir.path().join("cache");
    let with_cache = |args: &[&str], input: &str| {
        kioku(dir.path())
            .env("KIOKU_CACHE_DIR", &cache)
            .args(args)
            .write_stdin(input.to_string())
            .output()
            .expect("run")
    };
    let first = with_cache(&["study", "--plain"], "Tokyo\n\n:q\n");
    assert!(first.status.success());
    assert!(
        std::fs::read_dir(&cache)
            .map(std::iter::Iterator::count)
            .unwrap_or(0)
            > 0,
        "a snapshot was written"
    );
    // Answers appended after the snapshot are replayed on top of it.
    let second = with_cache(&["study", "--plain"], "Moscow\n\nwrong\n1\n");
    assert!(second.status.success());
    assert_eq!(reviews(dir.path()).len(), 3);
    let compare = |args: &[&str]| {
        let cached = with_cache(args, "");
        let full = kioku(dir.path()).args(args).output().expect("run");
        assert!(cached.status.success() && full.status.success());
        let strip = |out: &[u8]| {
            // `now` differs between the two runs; everything else must not.
            let mut v: serde_json::Value = serde_json::from_slice(out).expect("json");
            if let Some(o) = v.as_object_mut() {
                for moving in ["now", "due_in_days", "retrievability_now"] {
                    o.remove(moving);
                }
            }
            v
        };
        assert_eq!(strip(&cached.stdout), strip(&full.stdout), "{args:?}");
    };
    compare(&["due", "--json"]);
    compare(&["stats", "--json", "--card", "capitals/france"]);
    // A merge that brings in older answers forces a full replay.
    let other = dir.path().join("other.log");
    std::fs::write(
        &other,
        "kioku-progress 1\n00000000000000b1 2020-01-01T10:00:00.000Z review capitals/japan again 1000 study\n",
    )
    .expect("write");
    kioku(dir.path())
        .args(["merge", other.to_str().expect("path")])
        .assert()
        .success();
    compare(&["stats", "--json", "--card", "capitals/japan"]);
}
