//! Interactive sessions in a real pseudo-terminal (expectrl), typing as a
//! person would: keys for revealing and rating, lines for answers, Japanese
//! input, and Ctrl-C.

use std::process::Command;
use std::time::Duration;

use expectrl::{Expect, Session};

use crate::support::{folder, reviews};

const DECK: &str = r#"[deck]
id = "mixed"
title = "Mixed"
source = "Test"
# The scripted answers follow the file.
new_order = "file"

[[card]]
id = "flip"
q = "What is the capital of Japan?"
a = "Tokyo"

[[card]]
id = "kanji"
q = "The largest disputed island, in kanji?"
a = "択捉島"
typed = true

[[card]]
id = "year"
q = "Year of the Treaty of Shimoda?"
a = "1855"
typed = true
"#;

fn spawn(dir: &std::path::Path) -> expectrl::session::OsSession {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("kioku"));
    cmd.arg("study")
        .current_dir(dir)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KIOKU_PROGRESS", dir.join("progress.log"))
        .env("KIOKU_CACHE_DIR", "off")
        .env("KIOKU_SEED", "3");
    let mut s = Session::spawn(cmd).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(10)));
    s
}

/// The exit code once the process has ended. expectrl does not re-export
/// nix's `WaitStatus`, so its Debug form (`Exited(Pid(7), 0)`) is read.
fn exit_code(s: &expectrl::session::OsSession) -> Option<i32> {
    for _ in 0..100 {
        let status = format!("{:?}", s.get_process().status());
        if let Some(rest) = status.strip_prefix("Ok(Exited(") {
            return rest
                .trim_end_matches("))")
                .rsplit(", ")
                .next()?
                .parse()
                .ok();
        }
        if status.starts_with("Ok(Signaled") {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn study_in_a_terminal_with_keys_and_japanese_answers() {
    let dir = folder(&[("decks/mixed.toml", DECK)]);
    let mut s = spawn(dir.path());
    s.expect("What is the capital of Japan?")
        .expect("flip card");
    s.expect("Enter shows the answer").expect("reveal prompt");
    s.send("\r").expect("Enter");
    s.expect("Answer: Tokyo").expect("answer shown");
    s.expect("4 Easy").expect("rating line");
    s.send("3").expect("rate Good");
    s.expect("in kanji?").expect("typed card");
    s.expect("Your answer:").expect("answer prompt");
    s.send_line("択捉島").expect("type Japanese");
    s.expect("✓ Right").expect("Japanese answer graded right");
    s.send("\r").expect("take the suggestion");
    s.expect("Shimoda?").expect("third card");
    s.expect("Your answer:").expect("answer prompt");
    s.send_line("1885").expect("a wrong year");
    s.expect("✗ Not quite").expect("graded wrong");
    s.expect("Yours:").expect("a diff");
    s.send("1").expect("rate Again");
    // Forgotten: it comes back in the same session.
    s.expect("Shimoda?").expect("relearning");
    s.expect("Your answer:").expect("answer prompt");
    s.send_line("1855").expect("right now");
    s.expect("Enter: as marked").expect("rating");
    s.send("\r").expect("Enter");
    s.expect("Session done").expect("summary");
    s.expect("4 answers").expect("count");
    assert_eq!(exit_code(&s), Some(0));
    assert_eq!(reviews(dir.path()).len(), 4);
}

#[test]
fn q_and_ctrl_c_leave_the_terminal_and_the_progress_intact() {
    let dir = folder(&[("decks/mixed.toml", DECK)]);
    let mut s = spawn(dir.path());
    s.expect("Enter shows the answer").expect("reveal prompt");
    s.send("\r").expect("Enter");
    s.expect("4 Easy").expect("rating line");
    s.send("4").expect("rate Easy");
    s.expect("Your answer:").expect("typed card");
    // Ctrl-C while typing a line: the answer before it is already saved.
    s.send("\x03").expect("Ctrl-C");
    s.expect("\x1b[?25h").expect("the cursor is shown again");
    assert_eq!(exit_code(&s), Some(130));
    assert_eq!(reviews(dir.path()).len(), 1);

    let mut s = spawn(dir.path());
    s.expect("Your answer:").expect("next card");
    s.send_line("択捉島").expect("answer");
    s.expect("Enter: as marked").expect("rating");
    // Ctrl-C at a key prompt: the same clean exit.
    s.send("\x03").expect("Ctrl-C");
    s.expect("\x1b[?25h").expect("the cursor is shown again");
    assert_eq!(exit_code(&s), Some(130));
    assert_eq!(
        reviews(dir.path()).len(),
        1,
        "an unrated card is not recorded"
    );

    let mut s = spawn(dir.path());
    s.expect("Your answer:").expect("card");
    s.send_line(":q").expect("quit");
    assert_eq!(exit_code(&s), Some(0));
}
