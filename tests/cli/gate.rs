//! The one gate to the terminal: a hostile deck (control characters, OSC 52
//! clipboard writes, window titles, C1 controls, bidi overrides in every
//! field of every card kind, and in the file name) through every command,
//! plain, JSON and in a pseudo-terminal; and Ctrl-C on piped input.

use std::path::Path;
use std::time::Duration;

use crate::support::{Live, folder, kioku, reviews};

/// What a deck could smuggle in: an OSC 52 clipboard write, an OSC 0
/// window title, a C1 CSI (U+009B), a bidi override and isolate, DEL and a
/// screen clear. Written with TOML escapes, as a hostile author would.
const E: &str =
    r"\u001b]52;c;aGFja2Vk\u0007\u001b]0;owned\u0007\u009b31m\u202e\u2066\u007f\u001b[2J";

fn hostile_deck() -> String {
    format!(
        r#"[deck]
id = "evil"
title = "Evil {E} deck"
source = "Src {E}"
description = "Desc {E}"
tags = ["t{E}"]

[[card]]
id = "flip"
q = "Flip {E}?"
a = "Ans {E}"
explain = "Because {E}"
source = "Doc {E}"
tags = ["tag{E}"]

[[card]]
id = "typed"
q = "Typed {E}?"
a = "Tokyo{E}"
accept = ["Kyoto{E}"]
typed = true
explain = "Ex {E}"

[[card]]
id = "rev"
q = "Rev {E}?"
a = "Back {E}"
reverse = true

[[card]]
id = "cloze"
text = "The {{{{c1::Yalta{E}}}}} conference of {{{{c2::1945{E}}}}}"
explain = "Cl {E}"

[[card]]
id = "choice"
q = "Choice {E}?"
a = "Right {E}"
choices = ["Wrong1 {E}", "Wrong2 {E}"]

[[card]]
id = "multi"
q = "Multi {E}?"
answers = ["One {E}", "Two {E}"]

[[card]]
id = "order"
q = "Order {E}?"
items = ["First {E}", "Second {E}", "Third {E}"]

[[card]]
id = "tf"
q = "TF {E}"
a = true
explain = "TF ex {E}"
"#
    )
}

/// A deck file name with an escape, a BEL, a C1 control and a bidi override.
const FILE: &str = "decks/evil\u{1b}]0;title\u{7}\u{9b}\u{202e}.toml";

/// The first byte or character a terminal would act on, if any: C0 other
/// than newline, DEL, C1, and the bidi controls.
fn control(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|(_, c)| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some((at, c)) = control(&text) {
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        panic!(
            "{what}: {c:?} reached the output at byte {at}: {:?}",
            &text[from..(at + 20).min(text.len())]
        );
    }
}

/// Runs kioku with `args` and piped `input`; both streams must be clean.
fn run_clean(dir: &Path, args: &[&str], input: &str) -> String {
    let out = kioku(dir)
        .args(args)
        .env("KIOKU_SEED", "5")
        .write_stdin(input)
        .timeout(Duration::from_secs(30))
        .output()
        .expect("run");
    let what = format!("kioku {}", args.join(" "));
    assert_clean(&format!("{what} (stdout)"), &out.stdout);
    assert_clean(&format!("{what} (stderr)"), &out.stderr);
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Input that gets through every kind of card in plain mode: an order, a
/// rating, a true/false and a pick, over and over.
fn answers() -> String {
    "1 2 3\n1\nt\n1\nYalta, 1945\n\n".repeat(40)
}

#[test]
fn a_hostile_deck_reaches_no_output_raw() {
    let deck = hostile_deck();
    let dir = folder(&[(FILE, &deck)]);
    let d = dir.path();
    let studied = run_clean(d, &["study", "--plain"], &answers());
    for kind in [
        "Flip", "Typed", "Rev", "Yalta", "Choice", "Multi", "Order", "TF",
    ] {
        assert!(studied.contains(kind), "{kind} was never shown: {studied}");
    }
    assert!(!reviews(d).is_empty(), "the session answered cards");
    let quizzed = run_clean(
        d,
        &["quiz", "--plain", "--count", "10", "--seed", "2"],
        &answers(),
    );
    assert!(quizzed.contains("Score:"), "{quizzed}");
    run_clean(
        d,
        &[
            "quiz",
            "--json",
            "--count",
            "10",
            "--seed",
            "3",
            "--no-record",
        ],
        &answers(),
    );
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["due"],
        &["due", "--json"],
        &["stats"],
        &["stats", "--json"],
        &["stats", "--card", "evil/typed"],
        &["stats", "--card", "evil/typed", "--json"],
        &["check", "decks"],
        &["check", "decks", "--json"],
    ] {
        run_clean(d, args, "");
    }
    // Exam plans name the decks; merge names log files.
    let date = jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(20))
        .expect("date")
        .to_string();
    let set = run_clean(d, &["exam", "set", &date, "decks"], "");
    assert!(set.contains("Exam on"), "{set}");
    for args in [
        &["exam", "list"][..],
        &["exam", "list", "--json"],
        &["exam", "status"],
        &["exam", "status", "--json"],
    ] {
        let shown = run_clean(d, args, "");
        assert!(shown.contains("evil"), "{}: {shown}", args.join(" "));
    }
    let other = d.join("other\u{1b}]0;title\u{7}\u{9b}\u{202e}.log");
    std::fs::copy(d.join("progress.log"), &other).expect("copy the log");
    let merged = run_clean(d, &["merge", &other.to_string_lossy()], "");
    assert!(merged.contains("other"), "{merged}");
    // The JSON still says what the deck says, escaped.
    let listed = run_clean(d, &["list", "--json"], "");
    assert!(listed.contains(r"\u009b31m\u202e\u2066\u007f"), "{listed}");
    // Exports name their file; doctor names the deck file of the card an
    // orphaned history probably belongs to (the typed card, renamed).
    let csv = d.join("out\u{1b}]0;title\u{7}\u{202e}.csv");
    let exported = run_clean(d, &["export", "decks", "--to", &csv.to_string_lossy()], "");
    assert!(exported.contains("Exported"), "{exported}");
    let renamed = deck.replacen("id = \"typed\"", "id = \"typed-renamed\"", 1);
    std::fs::write(d.join(FILE), renamed).expect("rename the card");
    for args in [
        &["doctor"][..],
        &["doctor", "--json"],
        &["paths"],
        &["paths", "--json"],
    ] {
        let shown = run_clean(d, args, "");
        if args[0] == "doctor" {
            assert!(shown.contains("typed-renamed"), "{shown}");
        }
    }
}

#[test]
fn a_hostile_file_name_in_diagnostics_is_neutralised() {
    let deck = hostile_deck().replace("explain = \"Ex", "explian = \"Ex");
    let dir = folder(&[(FILE, &deck)]);
    let shown = run_clean(dir.path(), &["check", "decks"], "");
    assert!(shown.contains("unknown key `explian`"), "{shown}");
    assert!(shown.contains("decks/evil"), "{shown}");
    run_clean(dir.path(), &["check", "decks", "--json"], "");
    // Commands that refuse the decks print the same diagnostics.
    run_clean(dir.path(), &["study", "--plain"], "");
    run_clean(dir.path(), &["list"], "");
}

#[test]
fn a_hostile_deck_in_a_terminal_sends_no_escape_of_its_own() {
    use expectrl::{Expect, Session};
    let deck = hostile_deck();
    let dir = folder(&[(FILE, &deck)]);
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("kioku"));
    cmd.arg("study")
        .current_dir(dir.path())
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KIOKU_PROGRESS", dir.path().join("progress.log"))
        .env("KIOKU_CACHE_DIR", "off")
        .env("KIOKU_SEED", "3");
    let mut s = Session::spawn(cmd).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(30)));
    let mut seen = Vec::new();
    // Answer each prompt as it comes, whatever the card.
    for _ in 0..24 {
        let Ok(found) = s.expect(expectrl::Regex(
            "(Enter shows the answer|Your answer:|Order \\(e\\.g\\. 3 1 2\\):|True or false\\? \\(t/f\\)|Which one\\?[^\\n]*Enter\\)|Enter: as marked|Easy · [0-9.]+[a-z]+)",
        )) else {
            break;
        };
        seen.extend_from_slice(found.before());
        let prompt = String::from_utf8_lossy(&found[0]).into_owned();
        seen.extend_from_slice(prompt.as_bytes());
        let key: &str = match prompt.as_str() {
            "Enter shows the answer" => "\r",
            "Your answer:" => "Yalta, 1945\r",
            p if p.starts_with("Order") => "1 2 3\r",
            p if p.starts_with("True") => "t\r",
            p if p.starts_with("Which") => "1",
            "Enter: as marked" => "\r",
            _ => "1",
        };
        s.send(key).expect("answer");
    }
    s.send("\x03").expect("Ctrl-C");
    let _ = s
        .expect(expectrl::Eof)
        .map(|f| seen.extend_from_slice(f.before()));
    let text = String::from_utf8_lossy(&seen);
    for kind in ["Flip", "Typed", "Choice", "Multi", "Order", "TF"] {
        assert!(text.contains(kind), "{kind} was never shown: {text:?}");
    }
    // The terminal's own line editing and menus move the cursor; nothing
    // from the deck may: no OSC, no BEL, no C1, no bidi, no screen clear,
    // and no colour at all under NO_COLOR.
    for bad in [
        "\u{1b}]",
        "\u{7}",
        "\u{9b}",
        "\u{202e}",
        "\u{2066}",
        "\u{7f}",
        "\u{1b}[2J",
        "\u{1b}[31m",
    ] {
        assert!(
            !text.contains(bad),
            "{bad:?} reached the terminal: {text:?}"
        );
    }
}

#[test]
fn ctrl_c_on_piped_input_saves_sums_up_and_exits_130() {
    let dir = folder(&[("decks/capitals.toml", crate::support::TYPED_DECK)]);
    let mut s = Live::spawn(dir.path(), &["study", "--plain"]);
    s.expect("Your answer:");
    s.send("Tokyo");
    s.expect("Enter: as marked");
    s.interrupt();
    s.expect("Saved as");
    s.expect("Session done");
    let (code, rest) = s.finish();
    assert_eq!(code, 130, "{rest}");
    assert_eq!(reviews(dir.path()).len(), 1);
}

#[test]
fn ctrl_c_in_a_quiz_shows_the_score_and_exits_130() {
    let dir = folder(&[("decks/capitals.toml", crate::support::TYPED_DECK)]);
    let mut s = Live::spawn(dir.path(), &["quiz", "--plain", "--count", "3"]);
    s.expect("Your answer:");
    s.send("Tokyo");
    s.expect("Your answer:");
    s.interrupt();
    s.expect("Score:");
    let (code, rest) = s.finish();
    assert_eq!(code, 130, "{rest}");
}
