//! The derived caches through the real binary: they never serve what the
//! files no longer say, and a damaged cache file is rebuilt, never trusted.

use std::path::{Path, PathBuf};

use crate::support::{TYPED_DECK, folder, kioku};

fn cached(dir: &Path, cache: &Path, args: &[&str], input: &str) -> std::process::Output {
    kioku(dir)
        .env("KIOKU_CACHE_DIR", cache)
        .args(args)
        .write_stdin(input.to_string())
        .output()
        .expect("run")
}

fn cache_files(cache: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cache)
        .expect("cache")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

/// One card's statistics (`stats --json --card`) without what moves with
/// the clock.
fn steady_card(json: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(json).expect("json");
    if let Some(o) = v.as_object_mut() {
        for moving in ["now", "due_in_days", "retrievability_now"] {
            o.remove(moving);
        }
    }
    v
}

/// Whether the cache folder holds a file whose name starts so.
fn holds(cache: &Path, prefix: &str) -> bool {
    cache_files(cache).iter().any(|f| {
        f.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
    })
}

#[test]
fn a_same_size_deck_edit_with_its_time_restored_is_seen() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let cache = dir.path().join("cache");
    let deck = dir.path().join("decks/capitals.toml");
    let first = cached(dir.path(), &cache, &["list"], "");
    assert!(String::from_utf8_lossy(&first.stdout).contains("Capitals"));
    let time = std::fs::metadata(&deck)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(&deck, TYPED_DECK.replace("Capitals", "Capitols")).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&deck)
        .and_then(|f| f.set_modified(time))
        .expect("restore mtime");
    let second = cached(dir.path(), &cache, &["list"], "");
    let text = String::from_utf8_lossy(&second.stdout);
    assert!(text.contains("Capitols"), "{text}");
}

#[test]
fn flipped_bytes_in_any_cache_file_change_no_result() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let cache = dir.path().join("cache");
    let study = cached(
        dir.path(),
        &cache,
        &["study", "--plain"],
        "Tokyo\n\nMoscow\n\n:q\n",
    );
    assert!(study.status.success());
    let truth = |args: &[&str]| kioku(dir.path()).args(args).output().expect("run").stdout;
    let due = truth(&["due", "--json"]);
    let card = truth(&["stats", "--json", "--card", "capitals/japan"]);
    let strip = steady_card;
    // `stats` keeps the cards' timelines: that file is flipped too.
    cached(dir.path(), &cache, &["stats", "--json"], "");
    assert!(holds(&cache, "timelines-"), "{:?}", cache_files(&cache));
    let files = cache_files(&cache);
    assert!(
        files.len() >= 3,
        "a deck entry, a snapshot, timelines: {files:?}"
    );
    for file in files {
        let good = std::fs::read(&file).expect("read");
        for at in (0..good.len()).step_by(good.len() / 6 + 1) {
            let mut bad = good.clone();
            bad[at] ^= 0x04;
            std::fs::write(&file, &bad).expect("write");
            let out = cached(dir.path(), &cache, &["due", "--json"], "");
            assert_eq!(out.stdout, due, "{} flipped at {at}", file.display());
            std::fs::write(&file, &bad).expect("write");
            let out = cached(
                dir.path(),
                &cache,
                &["stats", "--json", "--card", "capitals/japan"],
                "",
            );
            assert_eq!(
                strip(&out.stdout),
                strip(&card),
                "{} flipped at {at}",
                file.display()
            );
        }
        std::fs::write(&file, &good).expect("write");
    }
}

#[test]
fn old_cache_files_and_killed_writes_are_removed() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(&cache).expect("mkdir");
    let old_decks = cache.join("decks-0123456789abcdef.bin");
    let old_replay = cache.join("replay-0123456789abcdef.bin");
    let killed = cache.join(".tmpAbC123");
    for file in [&old_decks, &old_replay, &killed] {
        std::fs::write(file, vec![7u8; 4096]).expect("write");
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&killed)
        .and_then(|f| f.set_modified(hour_ago))
        .expect("age");
    let out = cached(dir.path(), &cache, &["due"], "");
    assert!(out.status.success());
    for gone in [&old_decks, &old_replay, &killed] {
        assert!(!gone.exists(), "{} is removed", gone.display());
    }
    let names: Vec<String> = cache_files(&cache)
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names.len(), 2, "one deck entry and one snapshot: {names:?}");
}

/// A session writes its snapshot on a thread beside the first card and
/// waits for it before it exits: the snapshot is there, whole, and the next
/// launch reads the same progress from it as from the log alone.
#[test]
fn a_session_leaves_its_snapshot_whole() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let cache = dir.path().join("cache");
    let study = |input: &str| cached(dir.path(), &cache, &["study", "--plain"], input);
    // The first session makes the log; the second opens it and snapshots.
    assert!(study("Tokyo\n\nq\n").status.success());
    assert!(study("q\n").status.success());
    let snapshots: Vec<PathBuf> = cache_files(&cache)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("replay-"))
        .collect();
    assert_eq!(snapshots.len(), 1, "{snapshots:?}");
    let due = |cache: &Path| cached(dir.path(), cache, &["due", "--json"], "").stdout;
    let from_snapshot = due(&cache);
    assert_eq!(from_snapshot, due(Path::new("off")));
    assert!(String::from_utf8_lossy(&from_snapshot).contains("capitals"));
}

/// `stats` keeps every card's timeline in the cache folder: read back, and
/// after more answers, it says what the log alone says.
#[test]
fn cached_timelines_follow_new_answers() {
    let dir = folder(&[("decks/capitals.toml", TYPED_DECK)]);
    let cache = dir.path().join("cache");
    let study = |input: &str| cached(dir.path(), &cache, &["study", "--plain"], input);
    let card = |cache: &Path| {
        let out = cached(
            dir.path(),
            cache,
            &["stats", "--json", "--card", "capitals/france"],
            "",
        );
        steady_card(&out.stdout)
    };
    assert!(study("Tokyo\n\nMoscow\n\n:q\n").status.success());
    let first = card(&cache);
    assert_eq!(first, card(Path::new("off")));
    assert_eq!(card(&cache), first, "read back from the cache");
    // France, the third card, answered in a second session.
    assert!(study("Paris\n\n:q\n").status.success());
    let second = card(&cache);
    assert_ne!(second["history"], first["history"], "{second}");
    assert_eq!(second, card(Path::new("off")));
}

/// A deck of 3,000 cards and a log of 15,000 reviews of them over two
/// months: enough history for the optimizer.
fn long_history_folder() -> tempfile::TempDir {
    let mut deck = String::from("[deck]\nid = \"d\"\ntitle = \"D\"\nsource = \"s\"\n");
    for card in 0..3000 {
        deck.push_str(&format!(
            "\n[[card]]\nid = \"c{card}\"\nq = \"Q{card}\"\na = \"A{card}\"\n"
        ));
    }
    let dir = folder(&[("decks/d.toml", &deck)]);
    std::fs::write(
        dir.path().join("progress.log"),
        crate::robust::long_history(),
    )
    .expect("write");
    dir
}

/// `optimize` works out every card's memory under the parameters it saves
/// and keeps them in the replay snapshot, so that the next launch does not
/// recompute them before its first card; what that launch says is what a
/// launch without caches says.
#[test]
fn optimize_leaves_a_snapshot_under_its_new_parameters() {
    let dir = long_history_folder();
    std::fs::write(dir.path().join("config.toml"), "").expect("write");
    let cache = dir.path().join("cache");
    let optimized = cached(dir.path(), &cache, &["optimize"], "");
    assert!(
        String::from_utf8_lossy(&optimized.stdout).contains("Saved"),
        "{}",
        String::from_utf8_lossy(&optimized.stderr)
    );
    assert!(holds(&cache, "replay-"), "{:?}", cache_files(&cache));
    let due = cached(dir.path(), &cache, &["due", "--json"], "");
    let truth = kioku(dir.path())
        .env("KIOKU_CACHE_DIR", "off")
        .args(["due", "--json"])
        .output()
        .expect("run");
    assert!(due.status.success());
    assert_eq!(
        String::from_utf8_lossy(&due.stdout),
        String::from_utf8_lossy(&truth.stdout)
    );
}

/// The 21 FSRS-6 parameters as Anki's deck options show them.
const ANKI_PARAMETERS: &str = "0.2172, 1.1771, 3.2602, 16.1507, 7.0114, 0.57, 2.0966, 0.0069, 1.5261, 0.112, 1.0178, 1.849, 0.1133, 0.3127, 2.2934, 0.2191, 3.0004, 0.7536, 0.3332, 0.1437, 0.2";

/// `optimize --set` saves parameters copied from elsewhere, keeping the
/// settings file's comments, and works out every card's memory under them
/// as fitting does (the next launch finds a snapshot); what that launch
/// says is what a launch without caches says, and not what the defaults
/// said. A wrong paste changes nothing and says which number is wrong.
#[test]
fn parameters_set_from_the_command_line_are_saved_and_replayed_ahead() {
    let dir = long_history_folder();
    let settings = "# my settings\nnew_per_day = 5   # a gentle pace\n";
    std::fs::write(dir.path().join("config.toml"), settings).expect("write");
    // What `stats` says of one card (its memory after each answer), but
    // for the moment it was said.
    let card = ["stats", "--json", "--card", "d/c0"];
    let said = |out: std::process::Output| steady_card(&out.stdout);
    let truth = || {
        said(
            kioku(dir.path())
                .env("KIOKU_CACHE_DIR", "off")
                .args(card)
                .output()
                .expect("run"),
        )
    };
    let defaults = truth();
    let wrong = cached(
        dir.path(),
        &dir.path().join("cache"),
        &["optimize", "--set", "0.2172, 1.1771, 3,26"],
        "",
    );
    assert_eq!(wrong.status.code(), Some(2));
    let message = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        message.contains("21 numbers") && message.contains("these are 4"),
        "{message}"
    );
    let typo = cached(
        dir.path(),
        &dir.path().join("cache"),
        &[
            "optimize",
            "--set",
            &ANKI_PARAMETERS.replace("0.57", "0.5 7x"),
        ],
        "",
    );
    assert!(
        String::from_utf8_lossy(&typo.stderr).contains("number 7 (`7x`)"),
        "{}",
        String::from_utf8_lossy(&typo.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("config.toml")).expect("read"),
        settings
    );

    let cache = dir.path().join("cache");
    let set = cached(
        dir.path(),
        &cache,
        &["optimize", "--set", ANKI_PARAMETERS],
        "",
    );
    let out = String::from_utf8_lossy(&set.stdout);
    assert!(
        out.contains("Saved: your 21 FSRS parameters"),
        "{out}{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("config.toml")).expect("read");
    assert!(
        text.contains("# my settings")
            && text.contains("# a gentle pace")
            && text.contains("16.1507"),
        "{text}"
    );
    assert!(holds(&cache, "replay-"), "{:?}", cache_files(&cache));
    let stats = said(cached(dir.path(), &cache, &card, ""));
    let mine = truth();
    assert!(stats == mine, "the snapshot says what the log says");
    assert!(mine != defaults, "the parameters change what kioku says");

    let reset = cached(dir.path(), &cache, &["optimize", "--reset"], "");
    assert!(String::from_utf8_lossy(&reset.stdout).contains("default parameters"));
    assert!(truth() == defaults);
}
