//! `kioku exam` through the real binary.

use predicates::prelude::*;

use crate::support::{TYPED_DECK, folder, json, kioku};

fn in_days(days: i64) -> String {
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
        .stderr(predicate::str::contains("there is no exam on"));
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
