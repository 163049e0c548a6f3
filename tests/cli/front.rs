//! The front door: what a new user meets in the first five minutes, from an
//! empty folder with only an installed binary.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{folder, isolate, json, kioku, reviews};

/// kioku with the platform's default places (inside `dir`): no
/// `--progress`, no `--config`.
fn installed(dir: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("kioku").expect("kioku binary");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("KIOKU_PROGRESS")
        .env_remove("KIOKU_CONFIG")
        .env("KIOKU_CACHE_DIR", "off");
    isolate(&mut cmd, dir);
    cmd
}

#[test]
fn from_an_empty_folder_kioku_studies_the_built_in_decks() {
    let dir = folder(&[]);
    // Empty stdin, as in CI: a card is shown, then the session ends.
    installed(dir.path())
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("1 / 20"))
        .stdout(predicate::str::contains("Your answer:").or(predicate::str::contains("answer")));
    let list = installed(dir.path()).arg("list").assert().success();
    let out = String::from_utf8_lossy(&list.get_output().stdout).to_string();
    assert!(out.contains("7 decks, 326 cards"), "{out}");
    assert!(out.contains("built into kioku"), "{out}");
    let decks = json({
        let mut c = installed(dir.path());
        c.args(["list", "--json"]);
        c
    });
    assert!(
        decks
            .as_array()
            .is_some_and(|d| d.iter().all(|d| d["origin"] == "built-in"))
    );
    installed(dir.path()).arg("stats").assert().success();
    installed(dir.path())
        .args(["quiz", "--plain", "--count", "1", "--no-record"])
        .write_stdin("\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Score"));
}

#[test]
fn exported_decks_are_valid_files_and_progress_carries_over() {
    let dir = folder(&[]);
    // One answer on a built-in deck...
    kioku(dir.path())
        .args(["study", "--plain"])
        .env("KIOKU_SEED", "3")
        .write_stdin("x\n1\n")
        .assert()
        .success();
    let answered = reviews(dir.path());
    assert_eq!(answered.len(), 1, "{answered:?}");
    let key = answered[0].split(' ').nth(3).expect("card key").to_string();
    kioku(dir.path())
        .args(["decks", "export", "mine"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exported 7 deck files"));
    kioku(dir.path())
        .args(["check", "mine"])
        .assert()
        .success()
        .stdout(predicate::str::contains("7 decks, 326 cards, no problems"));
    let first = std::fs::read_to_string(dir.path().join("mine/01-islands.toml")).expect("read");
    assert!(first.starts_with("#:schema deck.schema.json\n"), "{first}");
    assert!(dir.path().join("mine/deck.schema.json").is_file());
    // ...is the same card's history in the exported files.
    let card = json({
        let mut c = kioku(dir.path());
        c.args(["stats", "--json", "--card", &key, "mine"]);
        c
    });
    assert_eq!(card["history"].as_array().map(Vec::len), Some(1), "{card}");
    let listed: Value = json({
        let mut c = kioku(dir.path());
        c.args(["list", "--json", "mine"]);
        c
    });
    assert_eq!(listed[0]["origin"], "file");
    // Exporting again over the files is refused without --force.
    kioku(dir.path())
        .args(["decks", "export", "mine"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("--force"));
    kioku(dir.path())
        .args(["decks", "export", "mine", "--force"])
        .assert()
        .success();
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    let dir = folder(&[]);
    for (shell, marker) in [
        ("bash", "complete -F _kioku"),
        ("zsh", "#compdef kioku"),
        ("fish", "complete -c kioku"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[kioku]"),
    ] {
        kioku(dir.path())
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker))
            .stdout(predicate::str::contains("optimize"));
    }
    kioku(dir.path())
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(".ie"))
        .stdout(predicate::str::contains(".TH kioku 1"))
        .stdout(predicate::str::contains("study"));
    kioku(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn files_live_in_the_platform_folders_and_old_settings_move_once() {
    let dir = folder(&[]);
    let home = dir.path().join(".home");
    let places = json({
        let mut c = installed(dir.path());
        c.env_remove("KIOKU_CACHE_DIR").args(["paths", "--json"]);
        c
    });
    assert_eq!(
        places[0]["path"],
        home.join("data/kioku/progress.log").display().to_string()
    );
    assert_eq!(
        places[1]["path"],
        home.join("config/kioku/config.toml").display().to_string()
    );
    assert_eq!(
        places[2]["path"],
        home.join("cache/kioku").display().to_string()
    );
    // An earlier version kept config.toml beside the log.
    let legacy = home.join("data/kioku/config.toml");
    std::fs::create_dir_all(legacy.parent().expect("parent")).expect("mkdir");
    std::fs::write(&legacy, "new_per_day = 3\n").expect("write");
    installed(dir.path())
        .arg("due")
        .assert()
        .success()
        .stderr(predicate::str::contains("settings now live in"))
        .stdout(predicate::str::is_match(r"all\s+0\s+0\s+3\n").expect("regex"));
    assert!(!legacy.exists());
    assert!(home.join("config/kioku/config.toml").is_file());
    // Said once: the next run is quiet and keeps the setting.
    installed(dir.path())
        .arg("due")
        .assert()
        .success()
        .stderr(predicate::str::is_empty())
        .stdout(predicate::str::is_match(r"all\s+0\s+0\s+3\n").expect("regex"));
}

#[test]
fn a_progress_file_that_is_not_a_log_is_a_usage_error_for_every_command() {
    let dir = folder(&[("notes.csv", "term,definition\n")]);
    let folder_path = dir.path().display().to_string();
    let csv = dir.path().join("notes.csv").display().to_string();
    let targets = [
        (folder_path.as_str(), "is a folder"),
        ("/dev/null", "is not a regular file"),
        (csv.as_str(), "is not a kioku progress log"),
    ];
    let commands: [&[&str]; 7] = [
        &["study", "--plain"],
        &["due"],
        &["stats"],
        &["quiz", "--plain", "--count", "1"],
        &["exam", "status"],
        &["optimize"],
        &["merge", "notes.csv"],
    ];
    for (target, problem) in targets {
        for args in commands {
            kioku(dir.path())
                .args(args)
                .env("KIOKU_PROGRESS", target)
                .write_stdin("")
                .assert()
                .code(2)
                .stderr(predicate::str::contains(problem))
                .stderr(predicate::str::contains("help:"));
        }
    }
}

#[test]
fn every_usage_error_exits_2() {
    let dir = folder(&[]);
    let cases: [&[&str]; 9] = [
        &["--no-such-flag"],
        &["optimize", "--set", "0.2, 1.2, 3.3"],
        &["optimize", "--set", "x", "--reset"],
        &["quiz", "--count", "many"],
        &["exam", "set", "next friday"],
        &["stats", "--card", "islands/etorofu-iturup", "--on", "soon"],
        &["stats", "--card", "nowhere/nothing"],
        &["study", "no/such/folder"],
        &["quiz", "--time-limit", "soon"],
    ];
    for args in cases {
        kioku(dir.path())
            .args(args)
            .write_stdin("")
            .assert()
            .code(2);
    }
}
