//! Importing a large Anki collection: 10,000 notes (13,000 cards: basic,
//! reversed and cloze) with 100,000 reviews, as a legacy `.apkg`.
//!
//! ```sh
//! cargo run --release --example import_bench
//! ```
//!
//! The package is generated once under `target/bench-data/anki-10k.apkg`
//! (with kioku's Anki writer). Each run imports it in a fresh child process
//! (`kioku import` through the library, the same code as the binary) into an
//! empty folder and log, and reports the wall time and the child's peak
//! memory (VmHWM); the median time of five runs and the largest peak are
//! printed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use jiff::Timestamp;
use kioku::Rating;
use kioku::bench::{CardHistory, write_apkg};

const DECKS: usize = 10;
const NOTES_PER_DECK: usize = 1000;
const REVIEWS: usize = 100_000;
const RUNS: usize = 5;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--measure") {
        measure(&args[2..]);
        return;
    }
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let package = data.join("anki-10k.apkg");
    if !package.exists() {
        eprintln!("generating {} ...", package.display());
        generate(&data, &package);
    }
    let me = std::env::current_exe().expect("own path");
    let mut runs: Vec<(f64, f64, String)> = Vec::new();
    for i in 0..RUNS {
        let work = tempfile::tempdir().expect("temp dir");
        let out = Command::new(&me)
            .arg("--measure")
            .arg(work.path().join("progress.log"))
            .arg(&package)
            .arg(work.path().join("decks"))
            .env("KIOKU_CACHE_DIR", "off")
            .env("TZ", "UTC")
            .output()
            .expect("run child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let last = stdout.lines().last().unwrap_or("").to_string();
        let mut fields = last.split_whitespace();
        let secs: f64 = fields
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::NAN);
        let peak: f64 = fields
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::NAN);
        let summary = stdout
            .lines()
            .find(|l| l.starts_with("Imported"))
            .unwrap_or("")
            .to_string();
        println!("run {}: {:.2} s, peak {:.0} MB", i + 1, secs, peak);
        runs.push((secs, peak, summary));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let peak = runs.iter().map(|r| r.1).fold(0.0, f64::max);
    println!("{}", runs[0].2);
    println!(
        "kioku import, {} notes and {REVIEWS} reviews: median {:.2} s (fastest {:.2} s), peak memory {peak:.0} MB",
        DECKS * NOTES_PER_DECK,
        runs[RUNS / 2].0,
        runs[0].0
    );
}

/// The child: one import, then its time and peak memory on the last line.
fn measure(args: &[String]) {
    let (log, package, into) = (&args[0], &args[1], &args[2]);
    let start = Instant::now();
    let code = kioku::run([
        "kioku",
        "--progress",
        log,
        "import",
        package,
        "--into",
        into,
    ]);
    let secs = start.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    if code != std::process::ExitCode::SUCCESS {
        eprintln!("the import failed");
    }
    println!("{secs} {}", peak_kb / 1024.0);
}

/// Writes the decks as kioku TOML, loads them, and exports them with a
/// generated history as an Anki package.
fn generate(data: &Path, package: &Path) {
    let src = data.join("anki-10k-src");
    std::fs::create_dir_all(&src).expect("mkdir");
    for d in 0..DECKS {
        let mut text = format!(
            "[deck]\nid = \"bench-{d:02}\"\ntitle = \"Bench::Deck {d:02}\"\nsource = \"generated\"\n"
        );
        for n in 0..NOTES_PER_DECK {
            let card = match n % 20 {
                0..=13 => format!(
                    "[[card]]\nid = \"n{n}\"\nq = \"Question {n} of deck {d}: what is <{n}> & {d}?\"\na = \"Answer {n}\"\ntags = [\"t{}\"]\n",
                    n % 7
                ),
                14..=16 => format!(
                    "[[card]]\nid = \"n{n}\"\nq = \"Word {n}\"\na = \"言葉 {n}\"\nreverse = true\n"
                ),
                _ => format!(
                    "[[card]]\nid = \"n{n}\"\ntext = \"In {{{{c1::{n}}}}} the {{{{c2::deck {d}}}}} grew.\"\n"
                ),
            };
            text.push('\n');
            text.push_str(&card);
        }
        std::fs::write(src.join(format!("bench-{d:02}.toml")), text).expect("write deck");
    }
    let files = kioku::bench::deck_files(std::slice::from_ref(&src)).expect("deck files");
    let collection = kioku::bench::load(&files, kioku::bench::Checks::ErrorsOnly);
    assert_eq!(collection.errors(), 0, "generated decks are valid");
    // The method's path is private to the library: a closure it is.
    #[allow(clippy::redundant_closure_for_method_calls)]
    let keys: Vec<String> = collection
        .decks
        .iter()
        .flat_map(|d| d.cards.iter().map(|c| c.key()))
        .collect();
    // Reviews spread over the cards, days apart, mostly Good.
    let start_day: i64 = 19_723; // 2024-01-01
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let mut history: HashMap<String, CardHistory> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let count = REVIEWS / keys.len() + usize::from(i < REVIEWS % keys.len());
        let mut day = start_day + (next() % 60) as i64;
        let mut interval = 1i64;
        let mut h = CardHistory::default();
        for _ in 0..count {
            let rating = match next() % 10 {
                0 => Rating::Again,
                1 => Rating::Hard,
                9 => Rating::Easy,
                _ => Rating::Good,
            };
            let time = Timestamp::from_second(day * 86_400 + 12 * 3600 + (next() % 3600) as i64)
                .expect("time");
            h.reviews.push((time, rating, 2000 + next() % 8000));
            interval = if rating == Rating::Again {
                1
            } else {
                (interval * 2).min(60)
            };
            day += interval;
        }
        h.due_day = Some(day);
        h.interval_days = u32::try_from(interval).unwrap_or(1);
        history.insert(key.clone(), h);
    }
    let now = Timestamp::from_second((start_day + 400) * 86_400).expect("now");
    let counts = write_apkg(
        package,
        &collection.decks,
        Some(&history),
        now,
        start_day + 400,
        |d| Timestamp::from_second(d * 86_400 + 4 * 3600).expect("day"),
    )
    .expect("write package");
    eprintln!(
        "{} notes, {} cards, {} reviews",
        counts.notes, counts.cards, counts.reviews
    );
}
