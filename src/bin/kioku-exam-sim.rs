//! The exam-mode benchmark: 300 new cards, an exam 30 days away, 15 minutes
//! a day; plain FSRS at 90% retention against kioku's exam mode at equal
//! study time, over several seeds and two true memory models.
//!
//! ```sh
//! cargo run --release --bin kioku-exam-sim [MINUTES_PER_DAY]
//! ```

use kioku::exam::simulate::{Scenario, perturbed, run};

const SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];

fn main() {
    let minutes: f32 = std::env::args()
        .nth(1)
        .and_then(|m| m.parse().ok())
        .unwrap_or(15.0);
    println!("300 cards, exam in 30 days, {minutes} minutes a day; equal total study time\n");
    println!(
        "| true parameters | seed | plain FSRS 0.9 | exam mode | gain (pp) | minutes (plain / exam) |"
    );
    println!("|---|---|---|---|---|---|");
    let sets: [(&str, Vec<f32>); 2] = [
        ("FSRS defaults", fsrs::DEFAULT_PARAMETERS.to_vec()),
        ("perturbed ±15%", perturbed(2026)),
    ];
    for (name, parameters) in &sets {
        let mut gains = Vec::new();
        let (mut plain_sum, mut exam_sum) = (0.0, 0.0);
        for seed in SEEDS {
            let scenario = Scenario {
                cards: 300,
                days: 30,
                minutes_per_day: minutes,
                true_parameters: parameters.clone(),
                seed,
            };
            let Some(o) = run(&scenario) else {
                eprintln!("the parameters were rejected by fsrs");
                return;
            };
            let gain = 100.0 * (o.exam_recall - o.plain_recall);
            gains.push(gain);
            plain_sum += o.plain_recall;
            exam_sum += o.exam_recall;
            println!(
                "| {name} | {seed} | {:.1}% | {:.1}% | {gain:+.1} | {:.0} / {:.0} |",
                100.0 * o.plain_recall,
                100.0 * o.exam_recall,
                o.plain_minutes,
                o.exam_minutes
            );
        }
        let n = SEEDS.len() as f32;
        println!(
            "| **{name}, mean** | | **{:.1}%** | **{:.1}%** | **{:+.1}** | |",
            100.0 * plain_sum / n,
            100.0 * exam_sum / n,
            gains.iter().sum::<f32>() / n
        );
    }
}
