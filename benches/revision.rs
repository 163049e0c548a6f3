//! The benchmark for exam revisions: how long `study` takes, beside its
//! session, to make the day's revision of the shipped decks (326 cards),
//! from nothing (the first day) and from the day before's prices.
//!
//! ```sh
//! cargo bench --bench revision
//! ```
//! Prints, per exam distance, the median and range of several runs of
//! gathering the inputs (on the session's path) and of each solve
//! (beside it); then, over a log of 1,000,000 answers, the inputs beside
//! the day's plan that the first card already waits for.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kioku::bench::{self as deck, Config, Days, EventId, ExamConfig, Scheduler, format_time};
use rand::{RngExt, SeedableRng};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 5;

fn main() {
    let decks_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("decks");
    let files = deck::deck_files(std::slice::from_ref(&decks_dir)).expect("deck files");
    let collection = deck::load(&files, kioku::bench::Checks::ErrorsOnly);
    let decks = &collection.decks;
    let cards: usize = decks.iter().map(|d| d.cards.len()).sum();
    let days = Days::new(jiff::tz::TimeZone::UTC, 4);
    let now = jiff::Timestamp::now();
    let day = |n: i64| now + jiff::SignedDuration::from_hours(24 * n);
    println!("{cards} cards; median (least–most) of {RUNS} runs");
    // Further out than 30 days kioku does not make revisions (60 days: 70 s
    // from nothing, 5 s from the day before).
    for ahead in [14, 30] {
        let date = day(ahead).to_zoned(jiff::tz::TimeZone::UTC).date();
        let config = Config {
            exams: vec![ExamConfig {
                name: None,
                date: date.to_string(),
                decks: decks.iter().map(|d| d.id.clone()).collect(),
                minutes_per_day: 15,
            }],
            ..Config::default()
        };
        let mut scheduler = Scheduler::new(decks, config, &[], days.clone());
        let inputs = time(|| {
            assert_eq!(scheduler.revisions_wanted(now).len(), 1);
        });
        let wanted = scheduler.revisions_wanted(now);
        let cold = time(|| {
            assert!(wanted[0].make().is_some());
        });
        scheduler.put_revision(wanted[0].make().expect("revision"));
        let next = scheduler.revisions_wanted(day(1));
        assert!(next[0].warm.is_some());
        let warm = time(|| {
            assert!(next[0].make().is_some());
        });
        println!(
            "exam in {ahead} days: inputs {}, from nothing {}, from the day before {}",
            show(&inputs),
            show(&cold),
            show(&warm)
        );
        if ahead == 30 {
            // The first card already waits for the day's plan; the
            // revision's inputs are gathered beside it.
            // (The card type is not public: no method path to name.)
            #[allow(clippy::redundant_closure_for_method_calls)]
            let keys: Vec<String> = decks
                .iter()
                .flat_map(|d| d.cards.iter().map(|c| c.key()))
                .collect();
            let events = large_log(&keys);
            let large = Scheduler::new(decks, scheduler.config().clone(), &events, days.clone());
            let plan = time(|| {
                let today = large.today(now);
                assert!(!today.reviews.is_empty() || !today.new.is_empty());
            });
            let inputs = time(|| {
                assert_eq!(large.revisions_wanted(now).len(), 1);
            });
            println!(
                "  with {REVIEWS} answers in the log: the day's plan {}, a revision's inputs {}",
                show(&plan),
                show(&inputs)
            );
        }
    }
}

const REVIEWS: usize = 1_000_000;

/// A log of a million answers to `keys` (about 3,000 each for the shipped
/// cards), over the year up to yesterday, read back as `study` reads it.
fn large_log(keys: &[String]) -> Vec<kioku::bench::Event> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let now = jiff::Timestamp::now().as_second();
    let mut lines: Vec<(i64, String)> = (0..REVIEWS)
        .map(|i| {
            let t = now - 366 * 86_400 + (i as i64 * 365 * 86_400) / REVIEWS as i64;
            let key = &keys[i % keys.len()];
            let rating = ["again", "hard", "good", "good", "easy"][rng.random_range(0..5)];
            let time = jiff::Timestamp::from_second(t).expect("time");
            let ms = rng.random_range(1500..15000);
            let id = EventId(rng.random());
            (
                t,
                format!(
                    "{id} {} review {key} {rating} {ms} study",
                    format_time(time)
                ),
            )
        })
        .collect();
    lines.sort_by_key(|(t, _)| *t);
    let mut text = String::from(kioku::bench::HEADER);
    text.push('\n');
    for (_, line) in lines {
        text.push_str(&line);
        text.push('\n');
    }
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("progress.log");
    std::fs::write(&log, text).expect("log");
    kioku::bench::read(&log).expect("read").events
}

fn time(mut f: impl FnMut()) -> Vec<Duration> {
    let mut runs: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    runs.sort();
    runs
}

fn show(runs: &[Duration]) -> String {
    let s = |d: Duration| format!("{:.3}", d.as_secs_f64());
    format!(
        "{} s ({}–{})",
        s(runs[runs.len() / 2]),
        s(runs[0]),
        s(runs[runs.len() - 1])
    )
}
