//! Hostile input and a changing world: logs replaced under a session,
//! damaged or duplicated lines, settings edited by two commands at once.

use predicates::prelude::*;

use crate::support::{Live, TYPED_DECK, folder, kioku, reviews};

/// Syncthing, `git checkout` and editors save by renaming a new file over
/// the old one. A session must follow the path, not the file it opened.
#[test]
fn a_log_replaced_mid_session_keeps_every_answer_and_the_lock() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let log = dir.path().join("progress.log");
    let mut s = Live::spawn(dir.path(), &["study", "--plain"]);
    s.expect("Your answer:");
    s.send("Tokyo");
    s.expect("Enter: as marked");
    s.send("");
    s.expect("Your answer:");
    // Between two answers another program renames its copy over the log:
    // the version from before this session, plus an answer of its own.
    let theirs = dir.path().join("progress.log.sync-tmp");
    std::fs::write(
        &theirs,
        "kioku-progress 1\n00000000000000c1 2026-01-01T10:00:00.000Z review other/card good 1000 study\n",
    )
    .expect("write");
    std::fs::rename(&theirs, &log).expect("rename");
    // The lock is not bypassed by the rename.
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("x\n\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("another kioku session is using"));
    s.send("Moscow");
    s.expect("Enter: as marked");
    s.send("");
    // The warning (standard error) and the next prompt (standard output) race.
    s.expect_all(&["was replaced by another program", "Your answer:"]);
    s.send("Paris");
    s.expect("Enter: as marked");
    s.send("");
    let (code, _) = s.finish();
    assert_eq!(code, 0);
    let lines = reviews(dir.path());
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert!(lines[0].contains("other/card"), "their answer stays first");
    // And the result is a sound log.
    kioku(dir.path()).args(["due"]).assert().success();
}

/// `stats --card` for `card` with the log at `log`: its history, as data.
fn history(dir: &std::path::Path, card: &str) -> Vec<serde_json::Value> {
    let v = crate::support::json({
        let mut cmd = kioku(dir);
        cmd.args(["stats", "--json", "--card", card]);
        cmd
    });
    v["history"].as_array().cloned().unwrap_or_default()
}

const A: &str = "000000000000000a 2026-11-01T10:00:00.000Z review capitals/japan good 1000 study\n";
const B: &str = "00000000000000ab 2026-11-03T10:00:00.000Z review capitals/japan good 1200 study\n";

#[test]
fn duplicate_lines_count_once() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let log = dir.path().join("progress.log");
    std::fs::write(&log, format!("kioku-progress 1\n{A}{B}")).expect("write");
    let once = history(dir.path(), "capitals/japan");
    // The log concatenated with a copy of itself, as a careless sync does.
    std::fs::write(&log, format!("kioku-progress 1\n{A}{B}{A}{B}")).expect("write");
    let twice = history(dir.path(), "capitals/japan");
    assert_eq!(once.len(), 2);
    assert_eq!(once, twice);
}

#[test]
fn a_torn_undo_line_never_undoes_another_answer() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let log = dir.path().join("progress.log");
    // An undo of ...ab cut inside its target: `...a` is another event's id.
    let torn = "00000000000000ff 2026-11-03T10:01:00.000Z undo 00000000000000a";
    std::fs::write(&log, format!("kioku-progress 1\n{A}{B}{torn}")).expect("write");
    kioku(dir.path())
        .args(["due"])
        .assert()
        .success()
        .stderr(predicate::str::contains("was cut off"));
    assert_eq!(history(dir.path(), "capitals/japan").len(), 2);
}

#[test]
fn a_byte_order_mark_a_blank_last_line_and_a_missing_newline_are_accepted() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let log = dir.path().join("progress.log");
    std::fs::write(&log, format!("\u{feff}kioku-progress 1\r\n{A}{B}\n")).expect("write");
    assert_eq!(history(dir.path(), "capitals/japan").len(), 2);
    // A complete last line without its newline is an answer, not a fragment.
    std::fs::write(&log, format!("kioku-progress 1\n{A}{}", B.trim_end())).expect("write");
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin(":q\n")
        .assert()
        .success()
        .stderr(predicate::str::contains("cut off").not());
    assert_eq!(history(dir.path(), "capitals/japan").len(), 2);
}

#[test]
fn future_and_impossible_dates_and_extra_fields_name_their_line() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let log = dir.path().join("progress.log");
    let cases = [
        (
            "00000000000000c1 2099-01-01T10:00:00.000Z review capitals/japan good 1000 study",
            "more than a day after this computer's clock",
        ),
        (
            "00000000000000c1 2026-02-31T10:00:00.000Z review capitals/japan good 1000 study",
            "is not a UTC time",
        ),
        (
            "00000000000000c1 2026-02-01T10:00:00.000Z review capitals/japan good 1000 study extra",
            "follows the last field",
        ),
    ];
    for (line, why) in cases {
        std::fs::write(&log, format!("kioku-progress 1\n{A}{line}\n{B}")).expect("write");
        kioku(dir.path())
            .args(["due"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("line 3 of the progress log"))
            .stderr(predicate::str::contains(why));
    }
}

#[test]
fn kioku_seed_never_repeats_event_ids() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    for _ in 0..2 {
        kioku(dir.path())
            .args(["study", "--plain"])
            .env("KIOKU_SEED", "5")
            .write_stdin("Tokyo\n\n:q\n")
            .assert()
            .success();
    }
    let ids: Vec<String> = reviews(dir.path())
        .iter()
        .map(|l| l.split(' ').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn merge_says_what_the_other_copy_would_take_away_and_needs_a_yes() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let log = dir.path().join("progress.log");
    std::fs::write(&log, format!("kioku-progress 1\n{A}{B}")).expect("write");
    let other = dir.path().join("other.log");
    std::fs::write(
        &other,
        "kioku-progress 1\n\
         00000000000000d1 2026-11-04T10:00:00.000Z undo 00000000000000ab\n\
         00000000000000d2 2026-11-04T10:00:01.000Z suspend capitals/russia\n",
    )
    .expect("write");
    let before = std::fs::read(&log).expect("read");
    kioku(dir.path())
        .args(["merge", other.to_str().expect("path")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "undo 1 answer of yours (capitals/japan), suspend 1 card (capitals/russia)",
        ))
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(std::fs::read(&log).expect("read"), before, "nothing merged");
    kioku(dir.path())
        .args(["merge", "--yes", other.to_str().expect("path")])
        .assert()
        .success()
        .stdout(predicate::str::contains("Merged 2 events"));
    assert_eq!(history(dir.path(), "capitals/japan").len(), 1);
}

/// A log of 15,000 reviews, enough for `optimize` to fit (and take a
/// moment doing it).
pub(crate) fn long_history() -> String {
    let mut log = String::from("kioku-progress 1\n");
    let mut id = 0u64;
    let mut lines = Vec::new();
    for card in 0..3000i64 {
        let mut day = card % 30;
        for r in 0..5i64 {
            let rating = ["again", "hard", "good", "again"][((card + r) % 4) as usize];
            id += 1;
            let t =
                jiff::Timestamp::from_second(1_767_261_600 + day * 86_400 + card).expect("time");
            lines.push((
                t,
                format!(
                    "{id:016x} {} review d/c{card} {rating} 3000 study\n",
                    t.strftime("%Y-%m-%dT%H:%M:%S.000Z")
                ),
            ));
            day += [1, 3, 7, 15][((card * 7 + r) % 4) as usize];
        }
    }
    lines.sort();
    lines.into_iter().for_each(|(_, l)| log.push_str(&l));
    log
}

/// `exam set` while `optimize` is fitting: both edits are kept, and the
/// user's comments too.
#[test]
fn an_exam_set_during_optimize_is_kept() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    std::fs::write(dir.path().join("progress.log"), long_history()).expect("write");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "# mine\nnew_per_day = 7 # slow\n").expect("write");
    let optimize = std::process::Command::new(assert_cmd::cargo::cargo_bin("kioku"))
        .arg("optimize")
        .current_dir(dir.path())
        .env("KIOKU_PROGRESS", dir.path().join("progress.log"))
        .env("KIOKU_CACHE_DIR", "off")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(150));
    // Within the two years kioku plans exams for.
    let date = jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(100))
        .expect("date")
        .to_string();
    kioku(dir.path())
        .args(["exam", "set", &date, "--minutes-per-day", "5"])
        .assert()
        .success();
    let out = optimize.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Saved"));
    let text = std::fs::read_to_string(&config).expect("read");
    assert!(text.contains("# mine") && text.contains("# slow"), "{text}");
    assert!(text.contains(&format!("date = \"{date}\"")), "{text}");
    assert!(text.contains("parameters = ["), "{text}");
}

#[test]
fn a_fifo_or_a_device_as_config_is_an_error_not_a_hang() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let config = dir.path().join("config.toml");
    let made = std::process::Command::new("mkfifo").arg(&config).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    kioku(dir.path())
        .args(["due"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a regular file"));
    std::fs::remove_file(&config).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &config).expect("symlink");
    kioku(dir.path())
        .args(["due"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a regular file"));
}

#[test]
fn an_unknown_time_zone_is_a_warning() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    kioku(dir.path())
        .args(["due"])
        .env("TZ", "Nowhere/Atlantis")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "TZ=`Nowhere/Atlantis` is not a time zone kioku knows",
        ));
    kioku(dir.path())
        .args(["due"])
        .env("TZ", "Asia/Tokyo")
        .assert()
        .success()
        .stderr(predicate::str::contains("TZ=").not());
}
