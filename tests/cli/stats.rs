//! `kioku stats` through the real binary, on a log with known answers.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{TYPED_DECK, folder, json, kioku};

/// Japan answered three times on three days (good, good, again), Russia
/// once, and a removed card once.
const LOG: &str = "kioku-progress 1
00000000000000a1 2026-01-01T10:00:00.000Z review capitals/japan good 4000 study
00000000000000a2 2026-01-04T10:00:00.000Z review capitals/japan good 2000 study
00000000000000a3 2026-01-20T10:00:00.000Z review capitals/japan again 6000 quiz
00000000000000a4 2026-01-20T10:05:00.000Z review capitals/russia good 3000 study
00000000000000a5 2026-01-21T10:00:00.000Z review gone/card easy 1000 study
";

#[test]
fn stats_count_states_answers_and_orphans() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK), ("progress.log", LOG)]);
    let mut cmd = kioku(dir.path());
    cmd.args(["stats", "--json"]);
    let stats = json(cmd);
    let text = stats.to_string();
    // 3 cards: france new, japan relearning (last answer Again), russia in review.
    assert!(text.contains("\"new\":1"), "{text}");
    assert!(text.contains("\"learning\":1"), "{text}");
    assert!(text.contains("gone/card"), "the orphan is reported: {text}");
    kioku(dir.path())
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("True retention"))
        .stdout(predicate::str::contains("Hardest"));
}

#[test]
fn one_cards_history() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK), ("progress.log", LOG)]);
    kioku(dir.path())
        .args(["stats", "--card", "capitals/japan", "--on", "2026-03-01"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Capital of Japan?"))
        .stdout(predicate::str::contains("again"))
        .stdout(predicate::str::contains("quiz"));
    let out = kioku(dir.path())
        .args(["stats", "--json", "--card", "capitals/japan"])
        .output()
        .expect("run");
    let detail: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(detail["lapses"], 1);
    assert_eq!(detail["history"].as_array().map(Vec::len), Some(3));
    kioku(dir.path())
        .args(["stats", "--card", "capitals/nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no card `capitals/nowhere`"));
}

/// The hardest cards are listed with their question (the statistics are
/// computed without the cards' text, which is added to the few shown).
#[test]
fn the_hardest_cards_are_shown_with_their_question() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK), ("progress.log", LOG)]);
    kioku(dir.path())
        .args(["stats"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "capitals/japan  Capital of Japan?",
        ));
    let out = kioku(dir.path())
        .args(["stats", "--json"])
        .output()
        .expect("run");
    let stats: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(stats["overall"]["hardest"][0]["text"], "Capital of Japan?");
    assert_eq!(stats["decks"][0]["hardest"][0]["text"], "Capital of Japan?");
}
