//! Study and quiz sessions through the real binary, in plain mode (pipes),
//! answering as a person would.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Live, TYPED_DECK, folder, json, kioku, reviews};

#[test]
fn a_whole_study_session_in_plain_mode() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let mut s = Live::spawn(dir.path(), &["study", "--plain"]);
    let mut asked = Vec::new();
    for _ in 0..3 {
        let screen = s.expect("Your answer:");
        let answer = if screen.contains("Japan") {
            "tokyo"
        } else if screen.contains("Russia") {
            "Moskow" // a typo: right, suggested Hard
        } else {
            "Lyon" // wrong
        };
        asked.push(answer);
        s.send(answer);
        s.expect("Enter: as marked");
        s.send("");
    }
    // Paris was wrong: it comes back (nothing else is left) until passed.
    s.expect("Capital of France?");
    s.expect("Your answer:");
    s.send("Paris");
    s.expect("Enter: as marked");
    s.send("");
    let (code, rest) = s.finish();
    assert_eq!(code, 0, "{rest}");
    assert!(
        rest.contains("4 answers, 75% right, 3 new cards learned"),
        "{rest}"
    );
    let log = reviews(dir.path());
    assert_eq!(log.len(), 4);
    assert!(log.iter().any(|l| l.contains("capitals/russia hard")));
    assert!(log.iter().any(|l| l.contains("capitals/france again")));
    assert!(log.iter().any(|l| l.contains("capitals/france good")));
}

#[test]
fn quitting_half_way_keeps_progress_and_answered_cards_are_no_longer_due() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let input = "Tokyo\n\n:q\n";
    kioku(dir.path())
        .args(["study", "--plain"])
        .env("KIOKU_SEED", "1")
        .write_stdin(input)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 answer, 100% right"));
    assert_eq!(reviews(dir.path()).len(), 1);
    let out = kioku(dir.path())
        .args(["due", "--json"])
        .output()
        .expect("run");
    let due: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        due[0]["new_available"], 2,
        "the answered card is no longer new"
    );
    assert_eq!(due[0]["due_today"], 0);
    // Starting again shows only the two cards not yet answered.
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("Moscow\n\nParis\n\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Capital of Japan?").not())
        .stdout(predicate::str::contains("2 / 2"));
    assert_eq!(reviews(dir.path()).len(), 3);
}

#[test]
fn undo_writes_an_undo_event_and_asks_the_card_again() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let mut s = Live::spawn(dir.path(), &["study", "--plain"]);
    s.expect("Your answer:");
    s.send("wrong answer");
    s.expect("Enter: as marked");
    s.send("");
    s.expect("Your answer:");
    s.send(":u");
    s.expect("Undone:");
    s.expect("Your answer:");
    s.send(":q");
    let (code, _) = s.finish();
    assert_eq!(code, 0);
    let log = std::fs::read_to_string(dir.path().join("progress.log")).expect("log");
    let review_id = log
        .lines()
        .find(|l| l.contains(" review "))
        .and_then(|l| l.split(' ').next())
        .expect("review");
    assert!(
        log.lines()
            .any(|l| l.contains(" undo ") && l.ends_with(review_id)),
        "{log}"
    );
    let out = kioku(dir.path())
        .args(["due", "--json"])
        .output()
        .expect("run");
    let due: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(due[0]["new_available"], 3, "the undone card is new again");
}

/// Left after one card of three, the summary says what is left today
/// (not that the next card is due tomorrow, as the card answered is).
#[test]
fn a_session_left_early_says_what_today_still_holds() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("Tokyo\n\n:q\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("2 cards left for today"));
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin(":q\n")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Nothing answered; 2 cards left for today.",
        ));
}

#[test]
fn nothing_to_study_is_said_plainly() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("Tokyo\n\nMoscow\n\nParis\n\n")
        .assert()
        .success();
    kioku(dir.path())
        .args(["study", "--plain"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Nothing answered. Next card due in",
        ));
}

#[test]
fn a_quiz_with_a_known_score_as_json() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    // Answer every question "Tokyo": exactly one is right.
    let mut cmd = kioku(dir.path());
    cmd.args(["quiz", "--json", "--seed", "5", "-n", "3"])
        .write_stdin("Tokyo\nTokyo\nTokyo\n");
    let report = json(cmd);
    assert_eq!(report["score"]["correct"], 1);
    assert_eq!(report["score"]["total"], 3);
    assert_eq!(report["by_deck"]["capitals"]["total"], 3);
    assert_eq!(report["missed"].as_array().map(Vec::len), Some(2));
    let log = reviews(dir.path());
    assert_eq!(log.len(), 3);
    assert!(
        log.iter().all(|l| l.ends_with(" quiz")),
        "quiz answers are logged as quiz events"
    );
    // --no-record leaves the log alone.
    kioku(dir.path())
        .args(["quiz", "--json", "--no-record", "-n", "1"])
        .write_stdin("Tokyo\n")
        .assert()
        .success();
    assert_eq!(reviews(dir.path()).len(), 3);
}

#[test]
fn a_quiz_ended_early_says_so_rather_than_blaming_a_time_limit() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let out = kioku(dir.path())
        .args(["quiz", "--plain", "--no-record", "-n", "3"])
        .write_stdin("Tokyo\n:q\n")
        .output()
        .expect("run kioku");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains(" / 3 "), "{shown}");
    assert!(
        shown.contains("2 question(s) not answered: the quiz was ended early"),
        "{shown}"
    );
    assert!(shown.contains("yours:  (not answered)"), "{shown}");
    assert!(
        !shown.contains("time limit") && !shown.contains("time ran out"),
        "{shown}"
    );
}

#[test]
fn quiz_text_report_and_filters() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    kioku(dir.path())
        .args([
            "quiz",
            "--plain",
            "--no-record",
            "--seed",
            "2",
            "-n",
            "2",
            "--exam-style",
        ])
        .write_stdin("Paris\nParis\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Score: "))
        .stdout(predicate::str::contains("Missed"))
        .stdout(predicate::str::contains("✓ Right").not());
    kioku(dir.path())
        .args(["quiz", "--plain", "--tag", "nothing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no card matches"));
}
