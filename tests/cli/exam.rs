//! `kioku exam` through the real binary.

use predicates::prelude::*;

use crate::support::{TYPED_DECK, folder, json, kioku};

/// The date `days` from today, as `exam set` takes it.
pub(crate) fn in_days(days: i64) -> String {
    let date = jiff::Zoned::now().date();
    date.checked_add(jiff::Span::new().days(days))
        .expect("date")
        .to_string()
}

#[test]
fn set_list_status_and_drop_an_exam() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let date = in_days(10);
    kioku(dir.path())
        .args(["exam", "set", &date, "--minutes-per-day", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 deck (3 cards), 5 minutes a day",
        ));
    kioku(dir.path())
        .args(["exam", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains(date.as_str()))
        .stdout(predicate::str::contains("capitals"));
    let mut cmd = kioku(dir.path());
    cmd.args(["exam", "status", "--json"]);
    let status = json(cmd);
    assert_eq!(status[0]["cards"], 3);
    assert_eq!(status[0]["if_you_stop"], 0.0);
    assert!(
        status[0]["predicted"].as_f64().unwrap_or(0.0) > 0.8,
        "{status:#}"
    );
    assert!(status[0]["plan"].as_array().map(Vec::len).unwrap_or(0) >= 9);
    kioku(dir.path())
        .args(["exam", "status"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Predicted recall on the day"))
        .stdout(predicate::str::contains("Plan:"));
    // Studying with the exam set plans toward it.
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("Tokyo\n\nMoscow\n\nParis\n\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("3 answers"));
    kioku(dir.path())
        .args(["exam", "drop", &date])
        .assert()
        .success();
    kioku(dir.path())
        .args(["exam", "drop", &date])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no exam named or on"));
}

/// Two decks, so that exams can cover one, the other, or both.
const SECOND_DECK: &str = r#"[deck]
id = "rivers"
title = "Rivers"
source = "Atlas"

[[card]]
id = "nile"
q = "Longest river in Africa?"
a = "Nile"
typed = true
"#;

#[test]
fn exams_have_names_and_are_never_replaced_silently() {
    let dir = folder(&[
        ("decks/capitals.toml", TYPED_DECK),
        ("decks/rivers.toml", SECOND_DECK),
    ]);
    let date = in_days(12);
    kioku(dir.path())
        .args([
            "exam",
            "set",
            &date,
            "decks/capitals.toml",
            "--name",
            "finals",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exam `finals`"));
    // The same date again, for other decks: refused, naming what it would
    // replace; nothing changes.
    let before = std::fs::read_to_string(dir.path().join("config.toml")).expect("config");
    kioku(dir.path())
        .args(["exam", "set", &date, "decks/rivers.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would replace `finals`"))
        .stderr(predicate::str::contains("capitals"))
        .stderr(predicate::str::contains("--replace"));
    let after = std::fs::read_to_string(dir.path().join("config.toml")).expect("config");
    assert_eq!(before, after);
    // Another name on the same date keeps both.
    kioku(dir.path())
        .args(["exam", "set", &date, "decks/rivers.toml", "--name", "geo"])
        .assert()
        .success();
    kioku(dir.path())
        .args(["exam", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("finals"))
        .stdout(predicate::str::contains("geo"));
    // --replace says what it replaced.
    kioku(dir.path())
        .args(["exam", "set", &in_days(20), "--name", "finals", "--replace"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Replaced `finals`"));
    let mut cmd = kioku(dir.path());
    cmd.args(["exam", "status", "--exam", "geo", "--json"]);
    let status = json(cmd);
    assert_eq!(status.as_array().map(Vec::len), Some(1), "{status:#}");
    assert_eq!(status[0]["name"], "geo");
    assert_eq!(status[0]["cards"], 1);
    // finals now covers both decks: the two share one day's minutes.
    assert_eq!(status[0]["shared_with"][0], "finals", "{status:#}");
    kioku(dir.path())
        .args(["exam", "drop", "geo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Dropped `geo`"));
    kioku(dir.path())
        .args(["exam", "status", "--exam", "geo"])
        .assert()
        .code(2);
}

#[test]
fn an_exam_ten_years_ahead_is_refused() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    kioku(dir.path())
        .args(["exam", "set", &in_days(3650)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("days ahead"));
}

#[test]
fn the_study_header_names_the_exam_and_intervals_stop_at_its_eve() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    kioku(dir.path())
        .args(["exam", "set", &in_days(3), "--name", "finals"])
        .assert()
        .success();
    let out = kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("Tokyo\n4\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("exam finals in "), "{out}");
    // Easy on a new card would be weeks; the exam's eve is at most 3 days
    // away, and the interval shown is the one applied.
    let easy = out
        .lines()
        .find(|l| l.contains("Easy ·"))
        .expect("a rating line");
    let shown = easy.rsplit("Easy · ").next().unwrap_or("");
    let shown = shown.trim().trim_end_matches(']');
    assert!(
        shown.ends_with('h') || shown.ends_with('m') || matches!(shown, "1d" | "2d" | "3d"),
        "{easy}"
    );
}

#[test]
fn an_exam_in_the_past_or_a_bad_date_is_refused() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    kioku(dir.path())
        .args(["exam", "set", &in_days(-3)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not in the future"));
    kioku(dir.path())
        .args(["exam", "set", "next friday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("write it as YYYY-MM-DD"));
}

/// `study` makes the day's exam revision beside the session, without
/// holding up the first card, and keeps it in the cache for the next
/// session; a damaged one is made again.
#[test]
fn study_makes_the_days_revision_beside_the_session_and_keeps_it() {
    use std::io::Write;
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    kioku(dir.path())
        .args(["exam", "set", &in_days(3), "--name", "finals"])
        .assert()
        .success();
    let cache = dir.path().join("cache");
    let revisions = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&cache)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.to_string_lossy().contains("revision-"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let session = |answers: &str, ready: &dyn Fn() -> bool| -> String {
        let home = dir.path().join(".home");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kioku"))
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .env("KIOKU_PROGRESS", dir.path().join("progress.log"))
            .env("KIOKU_CONFIG", dir.path().join("config.toml"))
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("KIOKU_CACHE_DIR", &cache)
            .args(["study", "--plain"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // The session waits on its first answer while the revision is
        // made: it appears in the cache before any card is answered.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !ready() {
            assert!(std::time::Instant::now() < deadline, "no revision kept");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(answers.as_bytes()).expect("answers");
        drop(stdin);
        let out = child.wait_with_output().expect("session");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = session("Tokyo\n3\n", &|| !revisions().is_empty());
    assert!(first.contains("Capital of Japan?"), "{first}");
    assert_eq!(revisions().len(), 1);
    // The next session follows the kept revision: the cards left, in its
    // order, from the first.
    let second = session("Moscow\n3\n", &|| true);
    assert!(second.contains("Capital of Russia?"), "{second}");
    assert!(!second.contains("Capital of Japan?"), "{second}");
    // A damaged revision is not read; the session makes it again.
    let kept = revisions();
    std::fs::write(&kept[0], b"damaged").expect("damage");
    let remade = || std::fs::read(&kept[0]).is_ok_and(|b| b != b"damaged");
    let third = session("Paris\n3\n", &remade);
    assert!(third.contains("Capital of France?"), "{third}");
}
