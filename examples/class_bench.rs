//! Times `kioku class report` on a generated class: STUDENTS logs of
//! REVIEWS each over a 1,000-card deck (100 students × 10,000 reviews,
//! a million reviews, by default), through the real release binary.
//!
//! ```sh
//! cargo build --release --bin kioku
//! cargo run --release --example class_bench [STUDENTS] [REVIEWS]
//! ```

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const CARDS: u64 = 1_000;

fn main() {
    let mut args = std::env::args().skip(1);
    let students: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let reviews: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/class");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("logs")).expect("mkdir");
    let mut deck =
        String::from("[deck]\nid = \"bench\"\ntitle = \"Bench\"\nsource = \"generated\"\n");
    for c in 0..CARDS {
        if c.is_multiple_of(4) {
            let _ = write!(
                deck,
                "\n[[card]]\nid = \"c{c}\"\nq = \"Choice {c}?\"\na = \"right\"\nchoices = [\"wrong a\", \"wrong b\"]\n"
            );
        } else {
            let _ = write!(
                deck,
                "\n[[card]]\nid = \"c{c}\"\nq = \"Question {c}?\"\na = \"answer {c}\"\ntyped = true\n"
            );
        }
    }
    std::fs::write(root.join("bench.toml"), deck).expect("deck");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start: i64 = 1_780_000_000_000;
    for s in 0..students {
        let mut log = String::with_capacity(reviews as usize * 80);
        log.push_str("kioku-progress 1\n");
        let ability = rng.below(100);
        let mut t = start;
        for _ in 0..reviews {
            t += 60_000 + i64::try_from(rng.below(6 * 3_600_000)).unwrap_or(0);
            let card = rng.below(CARDS);
            let right = rng.below(100) < 40 + ability / 2;
            let rating = if right { "good" } else { "again" };
            let picked = match (card.is_multiple_of(4), right) {
                (true, true) => " \"right\"",
                (true, false) if rng.below(2) == 0 => " \"wrong a\"",
                (true, false) => " \"wrong b\"",
                _ => "",
            };
            let time = jiff::Timestamp::from_millisecond(t).expect("time");
            let _ = writeln!(
                log,
                "{:016x} {} review bench/c{card} {rating} {} study{picked}",
                rng.next(),
                time.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
                2_000 + rng.below(8_000)
            );
        }
        std::fs::write(root.join(format!("logs/student-{s:03}.log")), log).expect("log");
    }
    let kioku = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/kioku");
    let mut times = Vec::new();
    for _ in 0..5 {
        let began = Instant::now();
        let out = Command::new(&kioku)
            .args(["class", "report", "logs", "--json", "--decks", "bench.toml"])
            .current_dir(&root)
            .env("KIOKU_CACHE_DIR", "off")
            .env("KIOKU_PROGRESS", root.join("instructor.log"))
            .env("KIOKU_CONFIG", root.join("config.toml"))
            .output()
            .expect("run target/release/kioku (build it first)");
        times.push(began.elapsed().as_secs_f64() * 1000.0);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "kioku class report: {students} students × {reviews} reviews over {CARDS} cards: median {:.0} ms (min {:.0}, max {:.0})",
        times[2], times[0], times[4]
    );
}
