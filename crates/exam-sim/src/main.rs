//! The exam-mode benchmark: 300 new cards, an exam 30 days away, 15 minutes
//! a day; plain FSRS at 90% retention against kioku's exam mode at equal
//! study time, over several seeds and two true memory models.
//!
//! ```sh
//! cargo run --release -p kioku-exam-sim [MINUTES_PER_DAY] [--per-seed]
//! ```
//! Prints, for each reading of "equal study time" (see [`Budget`]), the
//! mean over the seeds per parameter set; `--per-seed` adds every row.
//! Then the ceiling: the best expected recall any schedule could reach with
//! unlimited time, and so the most any exam mode could gain.

mod ceiling;
mod simulate;

use ceiling::{Grid, ceiling};
use simulate::{Budget, Scenario, perturbed, run};

const SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let minutes: f32 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(15.0);
    let per_seed = args.iter().any(|a| a == "--per-seed");
    let sets: [(&str, Vec<f32>); 2] = [
        ("FSRS defaults", fsrs::DEFAULT_PARAMETERS.to_vec()),
        ("perturbed ±15%", perturbed(2026)),
    ];
    println!(
        "300 cards, exam in 30 days, {minutes} minutes a day, {} seeds\n",
        SEEDS.len()
    );
    println!(
        "| equal time as | true parameters | seed | plain FSRS 0.9 | exam mode | gain (pp) | minutes (plain / exam) |"
    );
    println!("|---|---|---|---|---|---|---|");
    // Plain FSRS does not depend on the budget: its mean per set, for the
    // ceiling's table.
    let mut plain_means = [0.0f32; 2];
    for budget in Budget::ALL {
        for ((name, parameters), plain_mean) in sets.iter().zip(&mut plain_means) {
            let (mut plain, mut exam, mut plain_min, mut exam_min) = (0.0, 0.0, 0.0, 0.0);
            for seed in SEEDS {
                let scenario = Scenario {
                    cards: 300,
                    days: 30,
                    minutes_per_day: minutes,
                    budget,
                    true_parameters: parameters.clone(),
                    seed,
                };
                let Some(o) = run(&scenario) else {
                    eprintln!("the parameters were rejected by fsrs");
                    return;
                };
                plain += o.plain_recall;
                exam += o.exam_recall;
                plain_min += o.plain_minutes;
                exam_min += o.exam_minutes;
                if per_seed {
                    println!(
                        "| {} | {name} | {seed} | {:.1}% | {:.1}% | {:+.1} | {:.0} / {:.0} |",
                        budget.describe(),
                        100.0 * o.plain_recall,
                        100.0 * o.exam_recall,
                        100.0 * (o.exam_recall - o.plain_recall),
                        o.plain_minutes,
                        o.exam_minutes
                    );
                }
            }
            let n = SEEDS.len() as f32;
            *plain_mean = plain / n;
            println!(
                "| **{}** | **{name}** | mean | **{:.1}%** | **{:.1}%** | **{:+.1}** | {:.0} / {:.0} |",
                budget.describe(),
                100.0 * plain / n,
                100.0 * exam / n,
                100.0 * (exam - plain) / n,
                plain_min / n,
                exam_min / n
            );
        }
    }
    println!(
        "\nthe ceiling: the best expected recall on exam day of any schedule, time unlimited\n"
    );
    println!("| true parameters | ceiling | plain FSRS 0.9 | most any exam mode can gain (pp) |");
    println!("|---|---|---|---|");
    for ((name, parameters), plain) in sets.iter().zip(plain_means) {
        let Some(bound) = ceiling(parameters, 30, Grid::default()) else {
            eprintln!("the parameters were rejected by fsrs");
            return;
        };
        println!(
            "| {name} | {:.1}% | {:.1}% | {:+.1} |",
            100.0 * bound,
            100.0 * plain,
            100.0 * (bound - plain)
        );
    }
}
