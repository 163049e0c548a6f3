//! The benchmark for exam revisions: how long `study` takes, beside its
//! session, to make the day's revision of the shipped decks (326 cards),
//! from nothing (the first day) and from the day before's prices.
//!
//! ```sh
//! cargo bench --bench revision
//! ```
//! Prints, per exam distance, the median and range of several runs of
//! gathering the inputs (on the session's path) and of each solve
//! (beside it).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kioku::bench::{self as deck, Config, Days, ExamConfig, Scheduler};

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
    }
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
