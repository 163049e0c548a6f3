//! `kioku check` and `kioku list` on good and broken decks.

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{folder, kioku, root};

/// `# expect: LINE:COL message [| help]` lines at the top of a fixture.
struct Expectation {
    line: u64,
    column: u64,
    message: String,
    help: Option<String>,
}

fn expectations(text: &str) -> Vec<Expectation> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|e| {
            let (at, rest) = e.split_once(' ').expect("LINE:COL message");
            let (line, column) = at.split_once(':').expect("LINE:COL");
            let (message, help) = match rest.split_once(" | ") {
                Some((m, h)) => (m.to_string(), Some(h.to_string())),
                None => (rest.to_string(), None),
            };
            Expectation {
                line: line.parse().expect("line"),
                column: column.parse().expect("column"),
                message,
                help,
            }
        })
        .collect()
}

fn check_json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = kioku(dir)
        .arg("check")
        .arg("--json")
        .args(args)
        .output()
        .expect("run");
    let json = serde_json::from_slice(&out.stdout).expect("check --json prints JSON");
    (json, out.status.code().unwrap_or(-1))
}

#[test]
fn every_broken_fixture_reports_its_line_column_and_fix() {
    let dir = root().join("tests/fixtures/bad");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    fixtures.sort();
    assert!(
        fixtures.len() >= 20,
        "the corpus has {} broken decks",
        fixtures.len()
    );
    for path in fixtures {
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let wanted = expectations(&text);
        assert!(
            !wanted.is_empty(),
            "{} has no `# expect:` line",
            path.display()
        );
        let (json, code) = check_json(&root(), &[path.to_str().expect("utf-8 path")]);
        assert_eq!(code, 1, "{}: exit code", path.display());
        let found = json["diagnostics"].as_array().expect("diagnostics");
        for w in &wanted {
            let hit = found.iter().any(|d| {
                d["severity"] == "error"
                    && d["line"] == w.line
                    && d["column"] == w.column
                    && d["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(&w.message))
                    && w.help.as_ref().is_none_or(|h| {
                        d["help"]
                            .as_str()
                            .is_some_and(|text| text.contains(h.as_str()))
                    })
            });
            assert!(
                hit,
                "{}: expected {}:{} `{}` (help {:?}), got {:#}",
                path.display(),
                w.line,
                w.column,
                w.message,
                w.help,
                json["diagnostics"]
            );
        }
        // Nothing but what the fixture expects: no knock-on errors.
        let errors = found.iter().filter(|d| d["severity"] == "error").count();
        assert_eq!(
            errors,
            wanted.len(),
            "{}: {:#}",
            path.display(),
            json["diagnostics"]
        );
    }
}

#[test]
fn the_text_report_shows_the_line_and_a_caret_under_the_column() {
    kioku(&root())
        .args(["check", "tests/fixtures/bad/cloze-wide-column.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "--> tests/fixtures/bad/cloze-wide-column.toml:9:13",
        ))
        // `text = "` is 8 columns and 択捉島は 8 more: the caret is at column 17.
        .stdout(predicate::str::contains(
            "9 | text = \"択捉島は{{c1::択捉\"\n  |                 ^^\n",
        ))
        .stdout(predicate::str::contains(
            "= help: end the hidden text with `}}`",
        ))
        .stdout(predicate::str::contains("1 error in 1 file"));
}

#[test]
fn all_files_are_checked_in_one_run() {
    let (json, code) = check_json(&root(), &["tests/fixtures/bad"]);
    assert_eq!(code, 1);
    let files: std::collections::BTreeSet<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert_eq!(files.len() as u64, json["files"].as_u64().expect("files"));
}

#[test]
fn good_decks_pass_with_a_one_line_summary() {
    kioku(&root())
        .args(["check", "examples/decks"])
        .assert()
        .success()
        .stdout("1 deck, 14 cards, no problems\n");
}

#[test]
fn warnings_do_not_fail_the_check() {
    let dir = folder(&[(
        "d.toml",
        "[deck]\nid = \"d\"\ntitle = \"T\"\n\n[[card]]\nid = \"x\"\nq = \"Q\"\na = \"A\"\n\n[[card]]\nkind = \"choice\"\nid = \"y\"\nq = \"Q\"\na = \"B\"\n",
    )]);
    let (json, code) = check_json(dir.path(), &["d.toml"]);
    assert_eq!(code, 0);
    assert_eq!(json["errors"], 0);
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("card `x` has no source")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("only 1 other answer")),
        "{messages:?}"
    );
    kioku(dir.path())
        .args(["check", "d.toml"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(
            "1 deck, 2 cards, no errors, 3 warnings\n",
        ));
}

#[test]
fn the_same_prompt_with_different_answers_is_a_warning_naming_both_places() {
    let deck = "[deck]\nid = \"d\"\ntitle = \"T\"\nsource = \"s\"\n\n[[card]]\nid = \"kanji\"\nq = \"択捉島\"\na = \"Etorofu\"\nreverse = true\n\n[[card]]\nid = \"russian\"\nq = \"Etorofu\"\na = \"Iturup\"\n\n[[card]]\nid = \"same\"\nq = \"Etorofu\"\na = \"Iturup\"\n\n[[card]]\nid = \"cl\"\ntext = \"{{c1::Yalta}} 1945\"\n\n[[card]]\nid = \"cl2\"\ntext = \"{{c1::Potsdam}} 1945\"\n";
    let dir = folder(&[("d.toml", deck)]);
    let (json, code) = check_json(dir.path(), &["d.toml"]);
    assert_eq!(code, 0, "a warning does not fail the check: {json:#}");
    let found: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| {
            format!(
                "{}:{} {}",
                d["line"],
                d["column"],
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    // The reverse of kanji shows "Etorofu" and wants 択捉島; russian shows
    // "Etorofu" and wants Iturup, and so does `same` (one warning each,
    // naming the first card), and the two cloze cards show "[...] 1945" and
    // want different names.
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("14:5 card `russian` shows the same prompt \"Etorofu\" as card `kanji:reverse` at d.toml:9:5"),
        "{found:#?}"
    );
    assert!(found[1].starts_with("19:5 card `same`"), "{found:#?}");
    assert!(found[2].contains("card `cl2:c1`"), "{found:#?}");
}

#[test]
fn a_deck_id_used_by_two_files_is_an_error() {
    let deck = "[deck]\nid = \"same\"\ntitle = \"T\"\nsource = \"s\"\n";
    let dir = folder(&[("a.toml", deck), ("b.toml", deck)]);
    let (json, code) = check_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    let errors: Vec<&Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1);
    let d = errors[0];
    assert_eq!(d["file"], "./b.toml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(6))
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("already used by ./a.toml")
    );
}

#[test]
fn invalid_utf8_is_located() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("d.toml"), b"[deck]\nid = \"d\xff\"\n").expect("write");
    let (json, code) = check_json(dir.path(), &["d.toml"]);
    assert_eq!(code, 1);
    assert_eq!(json["diagnostics"][0]["line"], 2);
    assert_eq!(json["diagnostics"][0]["column"], 8);
}

#[test]
fn without_paths_the_decks_folder_is_used_or_the_built_in_decks() {
    let empty = folder(&[]);
    kioku(empty.path())
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("7 decks, 326 cards, no problems"));
    let with = folder(&[("decks/d.toml", "[deck]\nid = \"d\"\ntitle = \"T\"\n")]);
    kioku(with.path())
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("1 deck, 0 cards"));
}

#[test]
fn a_missing_path_is_a_clear_error() {
    kioku(&root())
        .args(["check", "no/such/deck.toml"])
        .assert()
        .code(2)
        .stderr(
            "error: `no/such/deck.toml` does not exist\n  help: check the spelling of the path\n",
        );
}

#[test]
fn list_shows_cards_per_kind_as_text_and_json() {
    kioku(&root())
        .args(["list", "examples/decks"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "14 cards: 6 basic, 3 cloze, 2 choice, 1 multi, 1 order, 1 truefalse",
        ));
    let out = kioku(&root())
        .args(["list", "--json", "examples/decks"])
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json[0]["id"], "sample");
    assert_eq!(json[0]["kinds"]["cloze"], 3);
    assert_eq!(json[0]["tags"][0], "example");
}

#[test]
fn list_refuses_broken_decks_and_shows_why() {
    kioku(&root())
        .args(["list", "tests/fixtures/bad/unknown-card-key.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown key `explian`"))
        .stderr(predicate::str::contains("error: the decks have 1 error"));
}

#[test]
fn deck_text_cannot_send_control_sequences() {
    let dir = folder(&[(
        "d.toml",
        "[deck]\nid = \"d\"\ntitle = \"Evil\\u001b]0;pwned\\u0007 \\u001b[2J title\"\n",
    )]);
    let out = kioku(dir.path())
        .args(["list", "d.toml"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(
        !out.stdout.contains(&0x1b),
        "escape byte reached the terminal"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Evil"));
}

#[test]
fn colour_follows_no_color_and_the_flag() {
    let bad = "tests/fixtures/bad/unknown-card-key.toml";
    let plain = kioku(&root()).args(["check", bad]).output().expect("run");
    assert!(
        !plain.stdout.contains(&0x1b),
        "no colour when not a terminal"
    );
    let forced = kioku(&root())
        .args(["check", "--color", "always", bad])
        .output()
        .expect("run");
    assert!(forced.stdout.contains(&0x1b), "--color always colours");
    let never = kioku(&root())
        .env("NO_COLOR", "1")
        .args(["check", "--color", "auto", bad])
        .output()
        .expect("run");
    assert!(!never.stdout.contains(&0x1b));
}

/// The schema editors use accepts the decks kioku accepts.
#[test]
fn shipped_and_example_decks_validate_against_the_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/deck.schema.json")).expect("schema"),
    )
    .expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let mut checked = 0;
    for folder in ["examples/decks", "decks"] {
        let Ok(entries) = std::fs::read_dir(root().join(folder)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let deck: Value =
                toml::from_str(&std::fs::read_to_string(&path).expect("read")).expect("toml");
            let errors: Vec<String> = validator
                .iter_errors(&deck)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 1);
    // And rejects what kioku rejects.
    let bad: Value =
        toml::from_str("[deck]\nid = \"d\"\ntitle = \"t\"\ncolour = \"red\"\n").expect("toml");
    assert!(!validator.is_valid(&bad));
}

/// A deck of about 1.5 MB (large enough to be checked in batches), every
/// kind of card, header-like text inside strings and comments, and, when
/// `errors`, a mistake every few hundred cards; otherwise only warnings
/// (the checks across the deck that run when it has no errors).
fn large_deck(cards: usize, errors: bool) -> String {
    let mut t = String::from(
        "# a large deck; [[card]] in a comment\n[deck]\nid = \"big\"\ntitle = \"Big\"\ntags = [\"t\"]\nsource = \"main\"\n\n[sources]\nmain = \"Main, A Book, 2001\"\nother = \"Other, B Book, 2002\"\nunused = \"Never, Cited, 2003\"\n\n",
    );
    for i in 0..cards {
        t.push_str("[[card]]\n");
        let card = match i % 8 {
            0 => format!("id = \"c{i}\"\nq = \"Q {i}?\"\na = \"A {i}\"\nsource = \"other\"\n"),
            1 => format!(
                "id = \"c{i}\"\nq = \"Which {i}?\"\na = \"A {i}\"\nexplain = 'lit # not a comment'\n"
            ),
            2 => format!("id = \"c{i}\"\ntext = \"The {{{{c1::v}}}} of {{{{c2::{i}}}}} ({i})\"\n"),
            3 => format!(
                "id = \"c{i}\"\nq = \"\"\"\n[[card]]\nstill text \\\"\"\" {i}\"\"\"\na = {}\n",
                i % 16 == 3
            ),
            4 => format!(
                "id = \"c{i}\"\nq = '''\n[deck]\n'''\nitems = [\n  \"one {i}\",\n  \"two\", # a \"comment\"\n]\n"
            ),
            5 => format!(
                "id = \"c{i}\"\nq = \"Pick {i}\"\na = \"A {i}\"\nchoices = [\"x\", \"y\"]\ngroup = \"g{}\"\n",
                i % 3
            ),
            6 => format!(
                "id = \"c{i}\"\nq = \"Multi {i}\"\nanswers = [\"p\", {{ a = \"q\", accept = [\"r\"] }}]\nwas = [\"old-{i}\"]\n"
            ),
            _ => format!(
                "id = \"c{i}\"\nq = \"Capital {i}?\"\na = \"City {i}\"\nreverse = true\ntags = [\"x{}\"]\n",
                i % 50
            ),
        };
        t.push_str(&card);
        if i % 1499 == 700 {
            // Warnings only: a prompt asked again far away with another
            // answer, a tag that gives the answer away, a choice card
            // drawing from a small group.
            t.push_str(&format!(
                "\n[[card]]\nid = \"again-{i}\"\nq = \"Q {}?\"\na = \"Else\"\n\n[[card]]\nid = \"give-{i}\"\nq = \"Year {i}?\"\na = \"{i}\"\ntags = [\"{i}\"]\n\n[[card]]\nid = \"draw-{i}\"\nq = \"Draw {i}\"\na = \"D {i}\"\nkind = \"choice\"\ngroup = \"lonely-{i}\"\n",
                i / 16 * 8
            ));
        }
        if errors && i % 613 == 300 {
            let slip = match (i / 613) % 12 {
                0 => "explian = \"typo\"\n".to_string(),
                1 => "tags = \"not a list\"\n".to_string(),
                2 => "\n[[card]]\nid = \"Bad Id\"\nq = \"x\"\na = \"y\"\n".to_string(),
                3 => format!("\n[[card]]\nid = \"c{}\"\nq = \"dup\"\na = \"y\"\n", i / 2),
                4 => format!(
                    "\n[[card]]\nid = \"c{}\"\nq = \"dup again\"\na = \"y\"\n",
                    i / 2
                ),
                5 => format!(
                    "\n[[card]]\nid = \"w{i}\"\nq = \"w\"\na = \"y\"\nwas = [\"old-{}\", \"w{i}\", \"Bad Old\"]\n",
                    (i / 8) * 8 + 6
                ),
                6 => format!(
                    "\n[[card]]\nid = \"s{i}\"\nq = \"s\"\na = \"y\"\nsource = \"nowhere, mian\"\n"
                ),
                7 => format!("\n[[card]]\nid = \"z{i}\"\ntext = \"no {{{{c1::end\"\n"),
                8 => format!("\n[[card]]\nid = \"tf{i}\"\nq = \"s\"\na = \"true\"\n"),
                9 => format!(
                    "\n[[card]]\nid = \"ch{i}\"\nq = \"s\"\na = \"y\"\nchoices = [\"Y \", \"n\"]\n"
                ),
                10 => format!("\n[[card]]\nid = \"k{i}\"\nq = \"s\"\ntext = \"{{{{c1::x}}}}\"\n"),
                _ => format!(
                    "\n[[card]]\nid = \"e{i}\"\nq = \"\"\na = \"y\"\nitems = [\"\", \"b\"]\n"
                ),
            };
            t.push_str(&slip);
        }
        t.push('\n');
    }
    t
}

/// The large deck's report as kioku gave it before huge decks were checked
/// in batches, kept in tests/fixtures/large/ (`KIOKU_BLESS=1` rewrites it).
fn same_report_as_before(name: &str, errors: bool) {
    let text = large_deck(14_000, errors);
    assert!(
        text.len() > 1 << 20,
        "large enough to be checked in batches"
    );
    let dir = folder(&[("big.toml", &text)]);
    let out = kioku(dir.path())
        .args(["check", "big.toml"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(if errors { 1 } else { 0 }));
    let report = String::from_utf8(out.stdout).expect("utf-8");
    let kept = root().join("tests/fixtures/large").join(name);
    if std::env::var_os("KIOKU_BLESS").is_some() {
        std::fs::create_dir_all(kept.parent().expect("parent")).expect("mkdir");
        std::fs::write(&kept, &report).expect("write");
    }
    let before = std::fs::read_to_string(&kept).expect("the kept report");
    assert!(before.lines().count() > 100, "the deck says plenty");
    if report != before {
        let first = report
            .lines()
            .zip(before.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "the report differs from line {}:\nnow:    {:?}\nbefore: {:?}",
            first + 1,
            report.lines().nth(first),
            before.lines().nth(first)
        );
    }
}

#[test]
fn a_large_deck_with_errors_is_reported_as_before() {
    same_report_as_before("errors.txt", true);
}

#[test]
fn a_large_deck_with_only_warnings_is_reported_as_before() {
    same_report_as_before("warnings.txt", false);
}
