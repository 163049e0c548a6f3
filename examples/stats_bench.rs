//! Times `kioku stats` on the benchmark collection: 100,000 cards and
//! 1,000,000 reviews over two years, in a time zone with DST.
//!
//! ```sh
//! cargo run --release --example stats_bench [CARDS] [REVIEWS_PER_CARD] [interleave]
//! STATS_SHOW=80 cargo run --release --example stats_bench 1000   # and print it
//! ```

use std::hint::black_box;
use std::time::Instant;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kioku::Paint;
use kioku::Rating;
use kioku::stats::{
    CardInfo, CardState, DeckInfo, Mode, OrphanInfo, ReviewInfo, ReviewKind, StatsInput,
    card_detail, compute, render,
};

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

fn generate(cards: usize, per_card: usize, interleave: bool) -> StatsInput {
    let now: Timestamp = "2026-05-14T12:00:00Z".parse().expect("a valid time");
    let tz = TimeZone::get("America/New_York")
        .unwrap_or_else(|_| TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").expect("a valid zone"));
    let mut input = StatsInput::new(now, tz);
    let decks = 50;
    input.decks = (0..decks)
        .map(|d| DeckInfo {
            id: format!("deck{d:02}"),
            title: format!("デッキ {d}"),
        })
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let two_years = 730 * 86_400;
    for c in 0..cards {
        // Loaded decks come one after another; `interleave` mixes them.
        let deck = if interleave {
            c % decks
        } else {
            c * decks / cards
        };
        let n = if per_card == 0 {
            0
        } else {
            rng.below(2 * per_card as u64 + 1) as usize
        };
        let mut t = now.as_second() - rng.below(two_years) as i64;
        let mut interval = 0.0f64;
        let mut lapses = 0;
        let mut reviews = Vec::with_capacity(n);
        for i in 0..n {
            let rating = match rng.below(10) {
                0 => Rating::Again,
                1 => Rating::Hard,
                9 => Rating::Easy,
                _ => Rating::Good,
            };
            if i > 0 && rating == Rating::Again {
                lapses += 1;
            }
            reviews.push(ReviewInfo {
                time: Timestamp::from_second(t.min(now.as_second())).expect("a valid time"),
                rating,
                answer_ms: 1_000 + rng.below(20_000) as u32,
                mode: if rng.below(5) == 0 {
                    Mode::Quiz
                } else {
                    Mode::Study
                },
                kind: if i == 0 {
                    ReviewKind::Learn
                } else {
                    ReviewKind::Review
                },
                interval_before_days: (i > 0).then_some(interval),
                stability_after: Some(interval.max(1.0) as f32),
                difficulty_after: Some(5.0),
            });
            interval = if rating == Rating::Again {
                1.0
            } else {
                (interval * 2.5).clamp(1.0, 365.0)
            };
            t += (interval * 86_400.0) as i64 / 4 + rng.below(40_000) as i64;
        }
        let last = reviews.last().map(|r| r.time);
        input.cards.push(CardInfo {
            key: format!("deck{deck:02}/card{c}"),
            deck_id: format!("deck{deck:02}"),
            text: format!("What is card number {c}?"),
            state: if n == 0 {
                CardState::New
            } else {
                CardState::Review
            },
            interval_days: interval,
            due: last.map(|l| {
                l.checked_add(SignedDuration::from_secs((interval * 86_400.0) as i64))
                    .expect("a valid time")
            }),
            stability: (n > 0).then_some(interval.max(1.0) as f32),
            difficulty: (n > 0).then_some(5.0),
            last_review: last,
            lapses,
            suspended: rng.below(100) == 0,
            leech: lapses >= 8,
            reviews,
        });
    }
    input.orphans.push(OrphanInfo {
        key: "gone/card".into(),
        reviews: Vec::new(),
    });
    input
}

fn main() {
    let mut args = std::env::args().skip(1);
    let cards: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let per_card: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let interleave = args.next().is_some_and(|a| a == "interleave");
    let t = Instant::now();
    let input = generate(cards, per_card, interleave);
    let reviews: usize = input.cards.iter().map(|c| c.reviews.len()).sum();
    eprintln!(
        "generated {} cards, {} reviews in {:.0?}",
        input.cards.len(),
        reviews,
        t.elapsed()
    );

    let runs = 10;
    let mut times = Vec::with_capacity(runs);
    let mut stats = None;
    for _ in 0..runs {
        let t = Instant::now();
        stats = Some(black_box(compute(black_box(&input))));
        times.push(t.elapsed());
    }
    times.sort();
    let stats = stats.expect("statistics");
    println!(
        "compute: {} cards, {} reviews: median {:.1?}, min {:.1?}, max {:.1?} ({runs} runs)",
        input.cards.len(),
        reviews,
        times[runs / 2],
        times[0],
        times[runs - 1]
    );

    let t = Instant::now();
    let text = render::render_stats(&stats, 100, &Paint::colored());
    println!("render: {:.1?} ({} bytes)", t.elapsed(), text.len());
    let t = Instant::now();
    let json = serde_json::to_string(&stats).expect("json");
    println!("json: {:.1?} ({} bytes)", t.elapsed(), json.len());
    let t = Instant::now();
    let key = input
        .cards
        .last()
        .map(|c| c.key.clone())
        .unwrap_or_default();
    let detail = card_detail(&input, &key, Some(input.now));
    println!(
        "card detail: {:.1?} (found: {})",
        t.elapsed(),
        detail.is_some()
    );
    // STATS_SHOW=80 prints the report (plain) at that width.
    if let Some(width) = std::env::var("STATS_SHOW")
        .ok()
        .and_then(|w| w.parse().ok())
    {
        print!("{}", render::render_stats(&stats, width, &Paint::plain()));
        if let Some(detail) = &detail {
            print!("\n{}", render::render_card(detail, width, &Paint::plain()));
        }
    }
    black_box((text, json, detail));
}
