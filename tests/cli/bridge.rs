//! `kioku import` and `kioku export` through the real binary, on packages
//! made by Anki itself (tests/fixtures/anki/make_fixtures.py).

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{folder, json, kioku, reviews, root};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/anki").join(name)
}

fn expected() -> Value {
    let text = std::fs::read_to_string(fixture("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("json")
}

/// kioku in `dir`, with the study day in UTC as the fixtures were made.
fn run(dir: &Path) -> assert_cmd::Command {
    let mut cmd = kioku(dir);
    cmd.env("TZ", "UTC");
    cmd
}

fn within_one_percent(ours: f64, anki: f64) -> bool {
    (ours - anki).abs() <= anki.abs() * 0.01
}

#[test]
fn every_anki_format_imports_the_same_cards_with_ankis_fsrs_state() {
    let expected = expected();
    let cards = expected["cards"].as_object().expect("cards");
    for package in [
        "legacy.apkg",
        "current.apkg",
        "legacy.colpkg",
        "current.colpkg",
    ] {
        let dir = folder(&[]);
        run(dir.path())
            .args(["import"])
            .arg(fixture(package))
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "Imported 3 decks, 11 cards, 25 reviews",
            ))
            .stdout(predicate::str::contains("2 media files referenced"))
            .stdout(predicate::str::contains("map.png"))
            .stderr(predicate::str::contains("note type `Vocab`"));
        run(dir.path())
            .args(["check", "decks"])
            .assert()
            .success()
            .stdout(predicate::str::contains("3 decks, 11 cards, no problems"));
        assert!(
            dir.path().join("decks/geography/capitals.toml").exists(),
            "Parent::Child becomes folders"
        );
        let deck = std::fs::read_to_string(dir.path().join("decks/geography/capitals.toml"))
            .expect("deck");
        assert!(deck.starts_with("#:schema ../deck.schema.json\n"), "{deck}");
        assert!(
            deck.contains("Tokyo\n東京 & its 23 wards"),
            "HTML to text: {deck}"
        );
        for (key, card) in cards {
            let mut cmd = run(dir.path());
            cmd.args(["stats", "decks", "--card", key, "--json"]);
            let stats = json(cmd);
            let n = card["reviews"].as_u64().expect("reviews");
            assert_eq!(
                stats["history"].as_array().map(Vec::len),
                Some(n as usize),
                "{package} {key}"
            );
            assert_eq!(
                stats["suspended"].as_bool(),
                Some(card["queue"] == -1),
                "{package} {key}"
            );
            if n == 0 {
                continue;
            }
            for field in ["stability", "difficulty"] {
                let ours = stats[field].as_f64().expect(field);
                let anki = card[field].as_f64().expect(field);
                assert!(
                    within_one_percent(ours, anki),
                    "{package} {key} {field}: kioku {ours}, Anki {anki}"
                );
            }
        }
    }
}

#[test]
fn importing_again_needs_force_and_adds_no_reviews() {
    let dir = folder(&[]);
    run(dir.path())
        .arg("import")
        .arg(fixture("current.apkg"))
        .assert()
        .success();
    let first = reviews(dir.path());
    assert_eq!(first.len(), 25);
    run(dir.path())
        .arg("import")
        .arg(fixture("legacy.apkg"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is already in"))
        .stderr(predicate::str::contains("--force"));
    run(dir.path())
        .args(["import", "--force"])
        .arg(fixture("legacy.apkg"))
        .assert()
        .success()
        .stdout(predicate::str::contains("(27 already there)"));
    assert_eq!(reviews(dir.path()), first, "the same reviews, not twice");
}

#[test]
fn anki_plain_text_gives_the_same_card_ids_as_the_package() {
    let dir = folder(&[]);
    run(dir.path())
        .args(["import", "--into", "text"])
        .arg(fixture("notes.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Imported 3 decks"));
    run(dir.path())
        .args(["import", "--into", "package"])
        .arg(fixture("current.apkg"))
        .assert()
        .success();
    let ids = |folder: &str| {
        let mut ids: Vec<String> = Vec::new();
        for file in ["geography/capitals.toml", "misc.toml"] {
            let text = std::fs::read_to_string(dir.path().join(folder).join(file)).expect("deck");
            ids.extend(
                text.lines()
                    .filter_map(|l| l.strip_prefix("id = \"a-"))
                    .map(str::to_string),
            );
        }
        ids.sort();
        ids
    };
    let text = ids("text");
    assert_eq!(text.len(), 7, "{text:?}");
    assert_eq!(text, ids("package"));
}

#[test]
fn quizlet_and_spreadsheets_become_decks() {
    let dir = folder(&[
        ("quizlet.txt", "犬\tdog\n猫\tcat\n鳥\tbird\n"),
        (
            "sheet.csv",
            "q,a,tags,explain\n\"Capital of Japan, today?\",Tokyo,geo,Since 1869\nCapital of Peru?,Lima,geo,\n",
        ),
    ]);
    run(dir.path())
        .args(["import", "quizlet.txt", "sheet.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Imported 2 decks, 5 cards, 0 reviews",
        ));
    run(dir.path())
        .args(["check", "decks"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2 decks, 5 cards, no problems"));
    let sheet = std::fs::read_to_string(dir.path().join("decks/sheet.toml")).expect("deck");
    assert!(
        sheet.contains("q = \"Capital of Japan, today?\""),
        "{sheet}"
    );
    assert!(sheet.contains("explain = \"Since 1869\""), "{sheet}");
    assert!(
        !dir.path().join("progress.log").exists(),
        "no history, no log"
    );
}

/// Found by the import fuzz target: an answer that is the word `true`
/// made the whole import fail, its card read as a quoted true/false.
#[test]
fn an_answer_that_is_the_word_true_imports_as_a_basic_card() {
    let dir = folder(&[(
        "sky.csv",
        "Is the sky blue?,true
Is grass red?,FALSE
",
    )]);
    run(dir.path())
        .args(["import", "sky.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Imported 1 deck, 2 cards"));
    run(dir.path())
        .args(["check", "decks"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 deck, 2 cards, no problems"));
    let deck = std::fs::read_to_string(dir.path().join("decks/sky.toml")).expect("deck");
    assert!(deck.contains("kind = \"basic\""), "{deck}");
}

#[test]
fn bad_input_names_the_file_and_row_and_writes_nothing() {
    let dir = folder(&[
        ("ragged.csv", "q,a\none,1\ntwo,2,extra\n"),
        ("broken.apkg", "PK\u{3}\u{4} this is not really a zip"),
        ("good.csv", "q,a\nthree,3\n"),
    ]);
    run(dir.path())
        .args(["import", "good.csv", "ragged.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ragged.csv"))
        .stderr(predicate::str::contains("line 3"));
    run(dir.path())
        .args(["import", "good.csv", "broken.apkg"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.apkg"))
        .stderr(predicate::str::contains("zip"));
    assert!(!dir.path().join("decks").exists(), "nothing half-written");

    // A zip holding a SQLite file that is no Anki collection, and one with
    // a schema version kioku does not know.
    for (name, sql, wanted) in [
        ("other.apkg", "create table t (x)", "not an Anki collection"),
        (
            "future.apkg",
            "create table col (ver integer); insert into col values (99)",
            "schema version 99",
        ),
    ] {
        let db = dir.path().join("c.db");
        let _ = std::fs::remove_file(&db);
        let conn = rusqlite::Connection::open(&db).expect("db");
        conn.execute_batch(sql).expect("sql");
        drop(conn);
        let file = std::fs::File::create(dir.path().join(name)).expect("zip");
        let mut zip = zip::ZipWriter::new(file);
        zip.start_file("collection.anki2", zip::write::SimpleFileOptions::default())
            .expect("entry");
        std::io::copy(&mut std::fs::File::open(&db).expect("db"), &mut zip).expect("copy");
        zip.finish().expect("finish");
        run(dir.path())
            .args(["import", name])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(name))
            .stderr(predicate::str::contains(wanted));
    }
    assert!(!dir.path().join("decks").exists(), "nothing half-written");
    assert!(!dir.path().join("progress.log").exists());
}

#[test]
fn export_to_csv_has_one_row_per_card() {
    let dir = folder(&[]);
    let sample = root().join("examples/decks/sample.toml");
    run(dir.path())
        .arg("export")
        .arg(&sample)
        .args(["--to", "out.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("14 cards"));
    let text = std::fs::read_to_string(dir.path().join("out.csv")).expect("csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().count(), 14);
    assert!(text.starts_with("deck,card,kind,q,a,tags,explain,source\n"));
    run(dir.path())
        .arg("export")
        .arg(&sample)
        .args(["--to", "out.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));
}

/// Python with Anki's `anki` package, when this machine has it:
/// `KIOKU_ANKI_PYTHON`, else `python3`.
fn anki_python() -> Option<String> {
    let python = std::env::var("KIOKU_ANKI_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = std::process::Command::new(&python)
        .args(["-c", "import anki.collection"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

#[test]
fn export_opens_in_anki() {
    // Import Anki's own fixture, then export it with its history, with the
    // sample deck of every kind beside it.
    let dir = folder(&[]);
    run(dir.path())
        .arg("import")
        .arg(fixture("current.apkg"))
        .assert()
        .success();
    std::fs::copy(
        root().join("examples/decks/sample.toml"),
        dir.path().join("decks/sample.toml"),
    )
    .expect("copy");
    run(dir.path())
        .args(["export", "decks", "--to", "out.apkg", "--with-history"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Exported 4 decks, 20 notes, 25 cards, 25 reviews",
        ));
    let Some(python) = anki_python() else {
        eprintln!(
            "skipped: opening the export in Anki needs Python with the `anki` package (pip install anki; set KIOKU_ANKI_PYTHON)"
        );
        return;
    };
    let out = std::process::Command::new(python)
        .arg(fixture("check_export.py"))
        .arg(dir.path().join("out.apkg"))
        .env("TZ", "UTC")
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let anki: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(anki["notes"], 20);
    assert_eq!(anki["cards"], 25);
    assert_eq!(anki["revlog"], 25);
    assert_eq!(anki["suspended"], 1);
    assert_eq!(anki["review_cards"], 6);
    assert_eq!(anki["memory_states"], 6);
    // The round trip Anki -> kioku -> Anki keeps every memory state.
    let mut before: Vec<f64> = expected()["cards"]
        .as_object()
        .expect("cards")
        .values()
        .filter_map(|c| c["stability"].as_f64())
        .collect();
    before.sort_by(f64::total_cmp);
    let after: Vec<f64> = anki["stabilities"]
        .as_array()
        .expect("stabilities")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(before.len(), after.len(), "{before:?} {after:?}");
    for (b, a) in before.iter().zip(&after) {
        assert!(within_one_percent(*a, *b), "{before:?} {after:?}");
    }
    assert_eq!(anki["decks"]["Geography::Capitals"], 3);
    assert_eq!(anki["decks"]["Sample: every card kind"], 14);
    let types = anki["notetypes"].to_string();
    for t in [
        "Basic",
        "Basic (and reversed card)",
        "Basic (type in the answer)",
        "Cloze",
    ] {
        assert!(types.contains(&format!("\"{t}")), "{t}: {types}");
    }
    let fields = anki["fields"].to_string();
    assert!(
        fields.contains("The Treaty of {{c1::Shimoda}} ({{c2::1855::year}})"),
        "{fields}"
    );
}
