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
    s.set_expect_timeout(Some(Duration::from_secs(30)));
    s
}

/// Presses a key at a key prompt or menu as a person would, a moment after
/// it appears. Within its first milliseconds the terminal is not yet raw,
/// so a Ctrl-C there arrives as a signal, which waits for the next key (a
/// known window, too short for a person to hit).
fn press_after_a_moment(s: &mut expectrl::session::OsSession, key: &str) {
    std::thread::sleep(Duration::from_millis(200));
    s.send(key).expect("a key");
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
    // Ctrl-C at a key prompt: the graded answer is saved with its
    // suggested rating, the summary shown, and the exit is the same 130.
    press_after_a_moment(&mut s, "\x03");
    s.expect("Saved as Good").expect("the answer is kept");
    s.expect("Session done").expect("summary");
    s.expect("\x1b[?25h").expect("the cursor is shown again");
    assert_eq!(exit_code(&s), Some(130));
    assert_eq!(
        reviews(dir.path()).len(),
        2,
        "a graded answer is recorded before leaving"
    );

    let mut s = spawn(dir.path());
    s.expect("Your answer:").expect("card");
    s.send_line(":q").expect("quit");
    assert_eq!(exit_code(&s), Some(0));
}

/// Two typed cards and two choice cards, asked in this order when new.
const KEYS_DECK: &str = r#"[deck]
id = "keys"
title = "Keys"
source = "Test"
# The scripted answers follow the file.
new_order = "file"

[[card]]
id = "minister"
q = "Russian economy minister arrested in 2016?"
a = "Ulyukayev"
typed = true

[[card]]
id = "treaty"
q = "Year of the Treaty of Shimoda?"
a = "1855"
typed = true

[[card]]
id = "yalta"
q = "Which conference promised the Kurils to the Soviet Union?"
a = "Yalta"
choices = ["Potsdam", "Cairo", "Tehran"]

[[card]]
id = "cairo"
q = "Which 1943 declaration said Japan would be expelled from territories taken by violence?"
a = "Cairo"
choices = ["Potsdam", "Yalta"]
"#;

fn spawn_keys(dir: &std::path::Path) -> expectrl::session::OsSession {
    let mut s = spawn(dir);
    s.set_expect_timeout(Some(Duration::from_secs(30)));
    s
}

/// Everything the session printed up to `text`, as a string.
fn upto(s: &mut expectrl::session::OsSession, text: &str) -> String {
    let found = s.expect(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    String::from_utf8_lossy(found.before()).into_owned() + text
}

#[test]
fn the_answer_line_is_edited_with_cursor_and_word_keys() {
    let dir = folder(&[("decks/keys.toml", KEYS_DECK)]);
    let mut s = spawn_keys(dir.path());
    s.expect("arrested in 2016?").expect("typed card");
    s.expect("Your answer:").expect("prompt");
    // `Ulyukaev`, ← ←, `y`: the y lands before the `e` → `Ulyukayev`.
    s.send("Ulyukaev").expect("type");
    s.send("\x1b[D").expect("←");
    s.send("\x1b[D").expect("←");
    s.send("y").expect("y");
    // Home, Delete twice, End; a stray word removed with Ctrl-W, another
    // with Alt-Backspace, and the space before it with Backspace.
    s.send("\x1b[H").expect("Home");
    s.send("zz").expect("typed at the start");
    s.send("\x1b[H").expect("Home");
    s.send("\x1b[3~").expect("Delete");
    s.send("\x1b[3~").expect("Delete");
    s.send("\x1b[F").expect("End");
    s.send(" junk").expect("a stray word");
    s.send("\x17").expect("Ctrl-W");
    s.send("more").expect("another stray word");
    s.send("\x1b\x7f").expect("Alt-Backspace");
    s.send("\x7f").expect("Backspace");
    s.send("\r").expect("Enter");
    let shown = upto(&mut s, "Enter: as marked");
    assert!(shown.contains("✓ Right"), "graded as Ulyukayev: {shown:?}");
    assert!(
        !shown.contains("Close:") && !shown.contains("Yours:"),
        "{shown:?}"
    );
    s.send("\r").expect("take Good");
    // Right as typed: nothing to claim, so the hint offers no `r`.
    let rest = upto(&mut s, "Shimoda?");
    assert!(!rest.contains("I was right"), "{rest:?}");
    // A wrong answer shows the typed text in the diff: no escape bytes in it.
    s.expect("Your answer:").expect("prompt");
    s.send("18").expect("type");
    s.send("\x1b[D").expect("←");
    s.send("9").expect("9");
    s.send("\r").expect("Enter");
    let shown = upto(&mut s, "Enter: as marked");
    let diff = shown
        .lines()
        .find(|l| l.starts_with("Yours:"))
        .unwrap_or_else(|| panic!("a diff: {shown:?}"));
    assert!(!diff.contains('\x1b') && !diff.contains("^["), "{diff:?}");
    assert!(diff.contains("1[-9]8") || diff.contains("198"), "{diff:?}");
    s.send("1").expect("rate Again");
    let rest = upto(&mut s, "Which one?");
    assert!(
        rest.contains("r: I was right"),
        "wrong: `r` is offered: {rest:?}"
    );
    s.send("q").expect("q quits in a menu");
    s.expect("Session done").expect("summary");
    assert_eq!(exit_code(&s), Some(0));
    let log = reviews(dir.path());
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0].contains("keys/minister good"), "{log:?}");
    assert!(log[1].contains("keys/treaty again"), "{log:?}");
}

#[test]
fn leaving_at_the_rating_prompt_saves_the_graded_answer() {
    for (key, code) in [("q", 0), ("\x1b", 0), ("\x03", 130)] {
        let dir = folder(&[("decks/keys.toml", KEYS_DECK)]);
        let mut s = spawn_keys(dir.path());
        s.expect("Your answer:").expect("typed card");
        s.send_line("Ulyukaev").expect("a near miss");
        s.expect("Enter: as marked").expect("rating prompt");
        press_after_a_moment(&mut s, key);
        s.expect("Saved as").expect("the answer is saved");
        s.expect("Session done").expect("summary");
        s.expect("1 answer").expect("counted");
        assert_eq!(exit_code(&s), Some(code), "leaving with {key:?}");
        assert_eq!(reviews(dir.path()).len(), 1, "leaving with {key:?}");

        // The next session knows it: the first card is no longer new.
        // Leaving there at the typed prompt: Esc (0) or Ctrl-C (130).
        let mut s = spawn_keys(dir.path());
        s.expect("Shimoda?")
            .expect("the answered card is not asked first");
        s.expect("Your answer:").expect("prompt");
        let (leave, code) = if key == "q" {
            ("\x1b", 0)
        } else {
            ("\x03", 130)
        };
        s.send(leave).expect("leave at a typed prompt");
        s.expect("Nothing answered").expect("summary");
        assert_eq!(exit_code(&s), Some(code));
    }
}

#[test]
fn u_at_the_rating_prompt_asks_the_same_card_again() {
    let dir = folder(&[("decks/keys.toml", KEYS_DECK)]);
    let mut s = spawn_keys(dir.path());
    s.expect("arrested in 2016?").expect("card 1");
    s.expect("Your answer:").expect("prompt");
    s.send_line("Ulyukayev").expect("right");
    s.expect("Enter: as marked").expect("rating");
    s.send("\r").expect("Good");
    s.expect("Shimoda?").expect("card 2");
    s.expect("Your answer:").expect("prompt");
    s.send_line("1885").expect("wrong");
    s.expect("Enter: as marked").expect("rating");
    s.send("u").expect("take it back");
    s.expect("Answer taken back").expect("said");
    s.expect("Shimoda?")
        .expect("the same card, not the previous one");
    s.expect("Your answer:").expect("prompt");
    s.send_line("1855").expect("right this time");
    s.expect("Enter: as marked").expect("rating");
    s.send("\r").expect("Good");
    s.expect("Which conference").expect("card 3");
    s.send("q").expect("quit in the menu");
    s.expect("Session done").expect("summary");
    assert_eq!(exit_code(&s), Some(0));
    let log = reviews(dir.path());
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0].contains("keys/minister good"), "{log:?}");
    assert!(log[1].contains("keys/treaty good"), "{log:?}");
}

#[test]
fn choice_menus_take_the_same_keys_as_every_prompt() {
    let dir = folder(&[("decks/keys.toml", KEYS_DECK)]);
    // Answer the two typed cards first.
    let mut s = spawn_keys(dir.path());
    for answer in ["Ulyukayev", "1855"] {
        s.expect("Your answer:").expect("typed card");
        s.send_line(answer).expect("answer");
        s.expect("Enter: as marked").expect("rating");
        s.send("\r").expect("Good");
    }
    s.expect("promised the Kurils").expect("a choice card");
    s.expect("Which one?").expect("menu");
    s.send("?").expect("help");
    s.expect("Keys:").expect("help shown");
    s.expect("Which one?").expect("the menu again");
    s.send("u").expect("undo");
    s.expect("Undone: keys/treaty")
        .expect("the previous answer undone");
    s.expect("Shimoda?").expect("it is asked again");
    s.send_line("1855").expect("answer");
    s.expect("Enter: as marked").expect("rating");
    s.send("\r").expect("Good");
    s.expect("Which one?").expect("menu");
    s.send("s").expect("bury");
    s.expect("Buried until tomorrow").expect("buried");
    s.expect("1943 declaration").expect("the other choice card");
    s.expect("Which one?").expect("menu");
    // ↓ and Enter pick the second option; which one is right depends on
    // the shuffle, so the pick is read back from the echo.
    s.send("\x1b[B").expect("↓");
    s.send("\r").expect("Enter");
    let shown = upto(&mut s, "Enter: as marked");
    let echo = shown
        .lines()
        .find(|l| l.contains("Your pick:"))
        .unwrap_or_else(|| panic!("an echo: {shown:?}"));
    if shown.contains("✗ Not quite") {
        assert!(echo.contains("✗"), "{echo:?}");
        assert!(!echo.contains('✔') && !echo.contains('✓'), "{echo:?}");
    } else {
        assert!(echo.contains("✓ Cairo"), "{echo:?}");
    }
    assert!(!shown.contains("I was right"), "no r on a menu: {shown:?}");
    press_after_a_moment(&mut s, "\x03");
    s.expect("Saved as").expect("saved first");
    s.expect("Session done").expect("summary");
    s.expect("3 answers").expect("counted");
    assert_eq!(exit_code(&s), Some(130));
    let log = reviews(dir.path());
    assert!(
        log.last().is_some_and(|l| l.contains("keys/cairo")),
        "the menu's answer is saved: {log:?}"
    );
}

#[test]
fn ctrl_c_in_a_menu_exits_130_with_the_summary() {
    let dir = folder(&[("decks/keys.toml", KEYS_DECK)]);
    let mut s = spawn_keys(dir.path());
    for answer in ["Ulyukayev", "1855"] {
        s.expect("Your answer:").expect("typed card");
        s.send_line(answer).expect("answer");
        s.expect("Enter: as marked").expect("rating");
        s.send("\r").expect("Good");
    }
    s.expect("Which one?").expect("menu");
    press_after_a_moment(&mut s, "\x03");
    s.expect("Session done").expect("summary");
    s.expect("2 answers").expect("counted");
    assert_eq!(exit_code(&s), Some(130));
}

/// `script` run by `sh` in `dir` in a terminal 40 columns wide and `rows`
/// high (`$0` is kioku). The script waits for a line: the terminal's size
/// is set by then (spawning sets 80 columns from this side after the child
/// starts, so a size set inside the child could be undone).
fn spawn_in_40_columns(
    dir: &std::path::Path,
    script: &str,
    rows: u16,
) -> expectrl::session::OsSession {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("read go && {script}"))
        .arg(assert_cmd::cargo::cargo_bin("kioku"))
        .current_dir(dir)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KIOKU_PROGRESS", dir.join("progress.log"))
        .env("KIOKU_CONFIG", dir.join("config.toml"))
        .env("KIOKU_CACHE_DIR", "off");
    let mut s = Session::spawn(cmd).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(30)));
    s.get_process_mut()
        .set_window_size(40, rows)
        .expect("a 40-column terminal");
    s.send_line("go").expect("start");
    s
}

/// What `script` prints in a 40-column terminal (`$0` is kioku, run in
/// `dir`); each line is checked to fit, unless one word alone is longer (a
/// path).
fn in_40_columns(dir: &std::path::Path, script: &str) -> String {
    let mut s = spawn_in_40_columns(dir, &format!("{script} && echo END-OF-OUTPUT"), 50);
    let seen = s.expect("END-OF-OUTPUT").expect("the end of the output");
    // What stays on screen: of a line redrawn (a spinner), its last
    // drawing, without the codes that clear it.
    let text: String = String::from_utf8_lossy(seen.before())
        .split('\n')
        .map(|line| {
            let line = line.trim_end_matches('\r');
            let last = line.rsplit('\r').next().unwrap_or(line);
            last.replace("\u{1b}[2K", "")
        })
        .collect::<Vec<_>>()
        .join("\n");
    for line in text.lines() {
        let fits = line.chars().count() <= 40 || line.split_whitespace().count() == 1;
        assert!(fits, "{line:?} in\n{text}");
    }
    text
}

/// The words of `text` with single spaces, wherever its lines broke.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `--help` in a 40-column terminal wraps between words: clap reads the
/// terminal's width (without it, lines were cut at 100 columns by the
/// terminal, inside words).
#[test]
fn help_wraps_between_words_in_a_narrow_terminal() {
    let dir = folder(&[]);
    let text = in_40_columns(dir.path(), r#""$0" optimize --help"#);
    assert!(
        words(&text).contains("Use these FSRS parameters instead of fitting: 21 numbers (FSRS-6)"),
        "{text}"
    );
    // The default files are named, not given as paths longer than the
    // column (`~/.local/share/kioku/progress.\nlog`).
    let text = in_40_columns(dir.path(), r#""$0" --help"#);
    let said = words(&text);
    for default in [
        "The progress log [default: progress.log in the platform data folder; `kioku paths` shows where]",
        "The settings file [default: config.toml in the platform config folder; `kioku paths` shows where]",
    ] {
        assert!(said.contains(default), "{text}");
    }
}

/// A mistake on the command line, which clap reports, wraps between words
/// at 40 columns too, each line's later parts under its text (clap wraps
/// its help but not its errors: `'--out\nput'`).
#[test]
fn command_line_mistakes_wrap_between_words_in_a_narrow_terminal() {
    let dir = folder(&[]);
    let text = in_40_columns(dir.path(), r#""$0" draft notes.txt --out x; true"#);
    assert!(
        text.contains("  tip: a similar argument exists:\n       '--output'"),
        "{text}"
    );
    assert!(
        words(&text).contains("Usage: kioku draft --output <FILE> <DOC>..."),
        "{text}"
    );
}

/// `import` in a 40-column terminal gives the progress log's path whole on
/// a line of its own (wrapped with its sentence, the colon after it was
/// left alone on the next line).
#[test]
fn import_gives_the_progress_logs_path_whole_at_40_columns() {
    let dir = folder(&[]);
    let apkg =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki/current.apkg");
    let text = in_40_columns(dir.path(), &format!(r#""$0" import '{}'"#, apkg.display()));
    let log = dir.path().join("progress.log").display().to_string();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == log)
        .unwrap_or_else(|| panic!("{log} on a line of its own in\n{text}"));
    assert!(lines[at - 1].ends_with("Progress log:"), "{text}");
    assert!(
        words(&text).contains("27 events added; 1 suspended, 1 buried until tomorrow."),
        "{text}"
    );
    assert!(
        !lines.iter().any(|l| l.trim_start().starts_with(':')),
        "{text}"
    );
}

/// `exam set`, `exam status` and `exam list` in a 40-column terminal wrap
/// their sentences between words, indented under their heading.
#[test]
fn exam_messages_wrap_between_words_in_a_narrow_terminal() {
    let dir = folder(&[]);
    let text = in_40_columns(
        dir.path(),
        &format!(
            r#""$0" exam set {} --name finals --minutes-per-day 5 && "$0" exam status && "$0" exam list"#,
            crate::exam::in_days(30)
        ),
    );
    let said = words(&text);
    // The listing's row is wider than 40 columns: its decks go under it.
    assert!(
        said.contains("finals in 30 days 5 min/day · islands, early-history, war-and-treaties"),
        "{text}"
    );
    assert!(said.contains("`kioku study` now plans toward it"), "{text}");
    assert!(
        said.contains("if you study 5 minutes a day as planned"),
        "{text}"
    );
    // A sentence's later lines keep its indent.
    let predicted = text
        .lines()
        .position(|l| l.starts_with("  Predicted recall"))
        .expect("prediction");
    assert!(
        text.lines()
            .nth(predicted + 1)
            .is_some_and(|l| l.starts_with("  ")),
        "{text}"
    );
}

/// `list`, `optimize`, `doctor`, `decks export`, `export`, `due` and `paths` in a
/// 40-column terminal wrap between words or fit their tables too (a long id puts the details
/// under it, not beside it).
#[test]
fn listings_and_advice_wrap_between_words_in_a_narrow_terminal() {
    let dir = folder(&[]);
    let text = in_40_columns(
        dir.path(),
        r#""$0" list && "$0" optimize && "$0" doctor && "$0" decks export mine && "$0" export mine --to out.apkg && "$0" due && "$0" paths"#,
    );
    // A path too long for the line goes under its name, whole.
    assert!(text.contains("\nprogress log\n"), "{text}");
    assert!(
        text.contains("/progress.log\n  (not created yet)\n"),
        "{text}"
    );
    let said = words(&text);
    // `due`'s table is 44 columns wide with its long headings.
    assert!(said.contains("deck now today new"), "{text}");
    assert!(said.contains("cold-war-and-1990s 0 0 0"), "{text}");
    assert!(
        said.contains("cold-war-and-1990s The Cold War and the 1990s"),
        "{text}"
    );
    assert!(
        said.contains("the optimizer needs 400 reviews of cards seen on an earlier day"),
        "{text}"
    );
    assert!(text.contains("\n  The Cold War and the 1990s\n"), "{text}");
    assert!(
        said.contains("study them with `kioku study mine` (your progress carries over)"),
        "{text}"
    );
    assert!(
        said.contains("Exported 7 decks, 291 notes, 326 cards to out.apkg."),
        "{text}"
    );
}

/// What a person sees: the session's output played on a 40-column screen
/// (vt100 follows the cursor moves and clears, which the raw output
/// does not show).
fn screen_of(output: &[u8], rows: u16) -> Vec<String> {
    use std::num::NonZero;
    let size = |n: u16| NonZero::new(n).expect("not zero");
    let mut parser = vt100::Parser::new(size(rows), size(40), 0);
    parser.process(output);
    parser
        .screen()
        .rows(0, 40)
        .map(|row| row.trim_end().to_string())
        .collect()
}

/// At 40 columns, what an ordering card says after a reply it cannot read
/// wraps between words ("in or" / "der." before).
#[test]
fn an_unreadable_order_is_explained_between_words_at_40_columns() {
    const PMS: &str = r#"[deck]
id = "pms"
title = "Prime ministers"
source = "Test"

[[card]]
id = "order"
q = "Put these prime ministers in order."
items = ["Hosokawa", "Hashimoto", "Koizumi", "Hatoyama", "Abe", "Kishida"]
"#;
    let dir = folder(&[("decks/pms.toml", PMS)]);
    let mut s = spawn_in_40_columns(dir.path(), r#"exec "$0" study"#, 40);
    let mut seen = upto(&mut s, "Order (e.g. 3 1 2):").into_bytes();
    s.send_line("?").expect("an unreadable order");
    seen.extend(upto(&mut s, "Order (e.g. 3 1 2):").into_bytes());
    let screen = screen_of(&seen, 200);
    let shown = screen.join("\n");
    let at = screen
        .iter()
        .position(|l| l == "Give each number from 1 to 6 once, in")
        .unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(screen[at + 1], "order.", "{shown}");
    s.send("\x1b").expect("Esc");
    assert_eq!(exit_code(&s), Some(0));
}

/// A long typed answer in a 40-column terminal: the editor's echo runs
/// past the edge and the terminal breaks it inside a word; once Enter is
/// pressed it is drawn again, wrapped between words under the prompt, and
/// the answer and the keys' help go on under their own text.
#[test]
fn a_long_answer_and_the_help_wrap_between_words_at_40_columns() {
    const ISLANDS: &str = r#"[deck]
id = "islands"
title = "Islands"
source = "Test"

[[card]]
id = "four"
q = "Name the four islands Japan claims."
kind = "multi"
answers = ["Etorofu", "Kunashiri", "Shikotan", "Habomai"]
"#;
    let dir = folder(&[("decks/islands.toml", ISLANDS)]);
    let mut s = spawn_in_40_columns(dir.path(), r#"exec "$0" study"#, 40);
    let mut seen = upto(&mut s, "Your answer:").into_bytes();
    s.send_line("Etorofu, Kunashiri, Shikotan, and the Habomai group")
        .expect("a long answer");
    seen.extend(upto(&mut s, "Enter: as marked").into_bytes());
    press_after_a_moment(&mut s, "?");
    seen.extend(upto(&mut s, "Esc quits there too.").into_bytes());
    // Taller than the terminal, so that nothing scrolls away (the cursor
    // moves are relative).
    let screen = screen_of(&seen, 200);
    let shown = screen.join("\n");
    for (row, next) in [
        (
            "Your answer: Etorofu, Kunashiri,",
            "             Shikotan, and the Habomai",
        ),
        ("Answer: Etorofu, Kunashiri, Shikotan,", "        Habomai"),
        (
            "  Enter or space   show the answer (flip",
            "                   cards)",
        ),
    ] {
        let at = screen
            .iter()
            .position(|l| l == row)
            .unwrap_or_else(|| panic!("{row:?} in\n{shown}"));
        assert_eq!(screen[at + 1], next, "{shown}");
    }
    // Nothing of the first echo is left behind.
    assert!(!shown.contains("Shikota\n"), "{shown}");
    s.send("q").expect("quit");
    assert_eq!(exit_code(&s), Some(0));
}
