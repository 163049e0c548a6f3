//! The benchmark for large collections: 100 decks × 1,000 cards and a log of
//! 1,000,000 reviews, generated under `target/bench-data`, then timed.
//!
//! ```sh
//! cargo bench --bench large_collection
//! ```
//! Prints, per stage, the median of several runs: parsing the decks, loading
//! them from the cache, reading the log, replaying it, building the queue;
//! then peak memory, and the real binary's launch-to-first-card time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kioku::bench::{
    self as deck, Config, Days, EventId, Restored, Scheduler, cache, format_time, snapshot,
};
use rand::{RngExt, SeedableRng};

/// The same allocator as the `kioku` binary, so the stages time what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DECKS: usize = 100;
const CARDS: usize = 1_000;
const REVIEWS: usize = 1_000_000;
const RUNS: usize = 5;

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let decks_dir = data.join("decks");
    let log = data.join("progress.log");
    if !log.exists() {
        eprintln!(
            "generating {DECKS} decks × {CARDS} cards and {REVIEWS} reviews in {} ...",
            data.display()
        );
        generate(&decks_dir, &log);
    }
    let files = deck::deck_files(std::slice::from_ref(&decks_dir)).expect("deck files");
    let cache_dir = data.join("cache");

    let parse = median(|| {
        let c = deck::load(&files, kioku::bench::Checks::ErrorsOnly);
        assert_eq!(c.errors(), 0);
    });
    let _ = cache::load_cached(&files, Some(&cache_dir), kioku::bench::Checks::ErrorsOnly);
    let cached = median(|| {
        let c = cache::load_cached(&files, Some(&cache_dir), kioku::bench::Checks::ErrorsOnly);
        assert_eq!(c.decks.len(), DECKS);
    });
    let collection = cache::load_cached(&files, Some(&cache_dir), kioku::bench::Checks::ErrorsOnly);
    let read = median(|| {
        let l = kioku::bench::read(&log).expect("log");
        assert_eq!(l.events.len(), REVIEWS);
    });
    let events = kioku::bench::read(&log).expect("log").events;
    let now = jiff::Timestamp::now();
    let days = Days::new(jiff::tz::TimeZone::UTC, 4);
    let replay = median(|| {
        let s = Scheduler::new(&collection.decks, Config::default(), &events, days.clone());
        assert!(s.history().len() >= DECKS * CARDS / 2);
    });
    let scheduler = Scheduler::new(&collection.decks, Config::default(), &events, days.clone());
    let snapshot_dir = data.join("snapshot");
    let log_bytes = std::fs::read(&log).expect("log");
    let hash = median(|| {
        assert_ne!(xxhash_rust::xxh3::xxh3_64(&log_bytes), 0);
    });
    let saved_under = snapshot::SettingsKey { memory: 1, all: 1 };
    snapshot::save(
        &snapshot_dir,
        &log,
        saved_under,
        scheduler.history(),
        scheduler.states(),
        snapshot::Covered {
            log_len: log_bytes.len() as u64,
            log_hash: xxhash_rust::xxh3::xxh3_64(&log_bytes),
        },
    );
    // As a session opens its history: the snapshot, then the scheduler.
    let open = || {
        let found = snapshot::find(&snapshot_dir, &log).expect("snapshot");
        let snap = snapshot::restore(found).expect("snapshot");
        assert_eq!(snap.settings, saved_under);
        Scheduler::from_parts(
            &collection.decks,
            Config::default(),
            snap.history,
            Restored::Current(snap.states.expect("states")),
            &[],
            days.clone(),
        )
    };
    // After a change of the FSRS parameters: the histories from the
    // snapshot, the states computed again from them.
    let recompute = median(|| {
        let found = snapshot::find(&snapshot_dir, &log).expect("snapshot");
        let snap = snapshot::restore(found).expect("snapshot");
        let s = Scheduler::from_parts(
            &collection.decks,
            Config::default(),
            snap.history,
            Restored::Replay,
            &[],
            days.clone(),
        );
        assert!(s.history().len() >= DECKS * CARDS / 2);
    });
    // After another settings change (a retention): the memory states kept,
    // the due dates worked out again.
    let reschedule = median(|| {
        let found = snapshot::find(&snapshot_dir, &log).expect("snapshot");
        let snap = snapshot::restore(found).expect("snapshot");
        let s = Scheduler::from_parts(
            &collection.decks,
            Config {
                desired_retention: 0.85,
                ..Config::default()
            },
            snap.history,
            Restored::SameMemory(snap.states.expect("states")),
            &[],
            days.clone(),
        );
        assert!(s.history().len() >= DECKS * CARDS / 2);
    });
    let open_snapshot = median(|| {
        assert!(open().history().len() >= DECKS * CARDS / 2);
    });
    // The queue is built, as in a session, on the history from the snapshot.
    let opened = open();
    let queue = median(|| {
        let today = opened.today(now);
        assert!(!today.reviews.is_empty() || !today.new.is_empty());
    });
    // The mmap question: the snapshot and the log, mapped or read, each
    // hashed whole (a check touches every byte either way).
    let snapshot_file = std::fs::read_dir(&snapshot_dir)
        .expect("snapshot dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "bin"))
        .expect("snapshot file");
    let snapshot_read = median(|| {
        let (words, len) = cache::read_cache_file(&snapshot_file).expect("read");
        assert_ne!(
            xxhash_rust::xxh3::xxh3_64(cache::cache_bytes(&words, len)),
            0
        );
    });
    let snapshot_mapped = median(|| {
        let f = std::fs::File::open(&snapshot_file).expect("open");
        // SAFETY: a measurement only; nothing changes the file meanwhile.
        let map = unsafe { memmap2::Mmap::map(&f) }.expect("map");
        assert_ne!(xxhash_rust::xxh3::xxh3_64(&map), 0);
    });
    let log_streamed = median(|| {
        use std::io::Read;
        let mut f = std::fs::File::open(&log).expect("open");
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        assert_ne!(h.digest(), 0);
    });
    let log_mapped = median(|| {
        let f = std::fs::File::open(&log).expect("open");
        // SAFETY: a measurement only; nothing changes the file meanwhile.
        let map = unsafe { memmap2::Mmap::map(&f) }.expect("map");
        assert_ne!(xxhash_rust::xxh3::xxh3_64(&map), 0);
    });
    // The new-card order over every card of the collection as a candidate:
    // the worst case for a learner with nothing studied yet.
    let all: Vec<(usize, usize)> = collection
        .decks
        .iter()
        .enumerate()
        .flat_map(|(d, deck)| (0..deck.cards.len()).map(move |c| (d, c)))
        .collect();
    let order_new = median(|| {
        let mut candidates = all.clone();
        kioku::bench::introduce_order(&collection.decks, &mut candidates);
        assert_eq!(candidates.len(), all.len());
    });
    let peak = peak_memory_mb(&std::fs::read_to_string("/proc/self/status").unwrap_or_default());
    let (launch, launch_peak) = launch_to_first_card(&decks_dir, &log, &cache_dir);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "large_collection: {DECKS} decks × {CARDS} cards, {REVIEWS} reviews (median of {RUNS})"
    );
    let ms = |d: Duration| format!("{:>7.1} ms", d.as_secs_f64() * 1000.0);
    let _ = writeln!(out, "  parse decks (no cache)      {}", ms(parse));
    let _ = writeln!(out, "  load decks (cache hit)      {}", ms(cached));
    let _ = writeln!(out, "  read log                    {}", ms(read));
    let _ = writeln!(out, "  replay log in full          {}", ms(replay));
    let _ = writeln!(
        out,
        "  hash the log (xxh3, {:.0} MB)  {}",
        log_bytes.len() as f64 / 1e6,
        ms(hash)
    );
    let _ = writeln!(out, "  open the replay snapshot    {}", ms(open_snapshot));
    let _ = writeln!(out, "  states from its histories   {}", ms(recompute));
    let _ = writeln!(out, "  due dates from its states   {}", ms(reschedule));
    let _ = writeln!(out, "  build today's queue         {}", ms(queue));
    let _ = writeln!(
        out,
        "  snapshot read + checked     {}  (mapped + checked {})",
        ms(snapshot_read),
        ms(snapshot_mapped)
    );
    let _ = writeln!(
        out,
        "  log streamed + hashed       {}  (mapped + hashed {})",
        ms(log_streamed),
        ms(log_mapped)
    );
    let _ = writeln!(
        out,
        "  order {} new cards      {}  (one deck that large, all new: the worst case)",
        all.len(),
        ms(order_new)
    );
    let _ = writeln!(out, "  peak memory, all of the above {peak:>5.0} MB");
    let _ = writeln!(
        out,
        "  launch to first card        {}  (kioku study, caches warm, until the card is shown)",
        ms(launch)
    );
    let _ = writeln!(
        out,
        "  peak memory of that launch  {launch_peak:>7.0} MB  (VmHWM when the card is shown)"
    );
    print!("{out}");
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

/// Runs the release binary until it shows the first card, the way a learner
/// starts a session; reads its peak memory then, and closes its input (it
/// quits). Returns the median time and the largest peak.
fn launch_to_first_card(decks: &Path, log: &Path, cache: &Path) -> (Duration, f64) {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_kioku"));
    // The clock stops when the first card's header reaches stdout, as a
    // learner sees it; quitting and freeing memory afterwards is not counted.
    let run = || {
        use std::io::Read;
        let t = Instant::now();
        let mut child = std::process::Command::new(&exe)
            .args(["study", "--plain"])
            .arg(decks)
            .env("KIOKU_PROGRESS", log)
            .env("KIOKU_CACHE_DIR", cache)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("run kioku");
        let input = child.stdin.take();
        let mut out = child.stdout.take().expect("stdout");
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        let mut shown = None;
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains(" / ") {
                let elapsed = t.elapsed();
                let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()));
                shown = Some((elapsed, peak_memory_mb(&status.unwrap_or_default())));
                break;
            }
        }
        drop(input);
        let _ = std::io::copy(&mut out, &mut std::io::sink());
        let _ = child.wait();
        shown.unwrap_or_else(|| panic!("no card shown: {}", String::from_utf8_lossy(&seen)))
    };
    run();
    let mut runs: Vec<(Duration, f64)> = (0..RUNS).map(|_| run()).collect();
    let peak = runs.iter().map(|r| r.1).fold(0.0, f64::max);
    runs.sort_by_key(|r| r.0);
    (runs[RUNS / 2].0, peak)
}

/// VmHWM (peak resident memory) from a `/proc/PID/status` text, in MB.
fn peak_memory_mb(status: &str) -> f64 {
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn generate(decks: &Path, log: &Path) {
    std::fs::create_dir_all(decks).expect("mkdir");
    for d in 0..DECKS {
        let mut text = format!(
            "[deck]\nid = \"deck-{d:03}\"\ntitle = \"Deck {d}\"\nsource = \"generated\"\ntags = [\"t{}\"]\n",
            d % 7
        );
        for c in 0..CARDS {
            let _ = match c % 6 {
                0 => write!(
                    text,
                    "\n[[card]]\nid = \"c{c}\"\nq = \"Question {c} of deck {d}?\"\na = \"Answer {c}\"\naccept = [\"alt {c}\"]\ntyped = true\nexplain = \"Explanation of card {c}.\"\n"
                ),
                1 => write!(
                    text,
                    "\n[[card]]\nid = \"c{c}\"\ntext = \"The {{{{c1::treaty {c}}}}} of {{{{c2::{}}}}} was signed.\"\n",
                    1800 + c % 200
                ),
                2 => write!(
                    text,
                    "\n[[card]]\nid = \"c{c}\"\nq = \"Which {c}?\"\na = \"Right {c}\"\nchoices = [\"Wrong a{c}\", \"Wrong b{c}\", \"Wrong c{c}\"]\n"
                ),
                3 => write!(
                    text,
                    "\n[[card]]\nid = \"c{c}\"\nq = \"Name {c}\"\nanswers = [\"x{c}\", \"y{c}\", \"z{c}\"]\n"
                ),
                4 => write!(
                    text,
                    "\n[[card]]\nid = \"c{c}\"\nq = \"Order {c}\"\nitems = [\"a{c}\", \"b{c}\", \"c{c}\", \"d{c}\"]\n"
                ),
                _ => write!(
                    text,
                    "\n[[card]]\nid = \"c{c}\"\nq = \"Statement {c} holds.\"\na = {}\n",
                    c % 2 == 0
                ),
            };
        }
        std::fs::write(decks.join(format!("deck-{d:03}.toml")), text).expect("write deck");
    }
    // Ten reviews per card key over the past year, most of them passed.
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let now = jiff::Timestamp::now().as_second();
    let mut lines: Vec<(i64, String)> = Vec::with_capacity(REVIEWS);
    let keys: Vec<String> = (0..DECKS)
        .flat_map(|d| {
            (0..CARDS).map(move |c| match c % 6 {
                1 => format!("deck-{d:03}/c{c}:c1"),
                _ => format!("deck-{d:03}/c{c}"),
            })
        })
        .collect();
    for (i, key) in keys.iter().cycle().take(REVIEWS).enumerate() {
        let round = (i / keys.len()) as i64;
        let t = now - 365 * 86_400 + round * 36 * 86_400 + rng.random_range(0..86_400i64);
        let rating = match rng.random_range(0..10) {
            0 => "again",
            1 => "hard",
            9 => "easy",
            _ => "good",
        };
        let time = jiff::Timestamp::from_second(t).expect("time");
        lines.push((
            t,
            format!(
                "{} {} review {key} {rating} {} study",
                EventId(rng.random()),
                format_time(time),
                rng.random_range(1500..15000)
            ),
        ));
    }
    lines.sort_by_key(|(t, _)| *t);
    let mut text = String::with_capacity(REVIEWS * 80);
    text.push_str(kioku::bench::HEADER);
    text.push('\n');
    for (_, line) in lines {
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(log, text).expect("write log");
}
