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
    s.expect("was replaced by another program");
    s.expect("Your answer:");
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
