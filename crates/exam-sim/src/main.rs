//! The exam-mode benchmark: a simulated student studies with kioku's real
//! daily plan, in exam mode and under the strongest plain FSRS set-ups a
//! student could choose, over a grid of scenarios.
//!
//! ```sh
//! cargo run --release -p kioku-exam-sim [--per-seed] [--only TEXT]
//! cargo run --release -p kioku-exam-sim -- --bound-only N [--only TEXT]
//! cargo run --release -p kioku-exam-sim -- --oracle [--only TEXT]
//! cargo run --release -p kioku-exam-sim -- --gap [--only TEXT]
//! cargo run --release -p kioku-exam-sim -- --overrun [--only TEXT]
//! cargo run --release -p kioku-exam-sim -- --mpc [STEPS] [--rank-order] [--blind] [--no-foresight] [--quota] [--quota-margin K] [--quota-scale F] [--mpc-same-day N] [--only TEXT]
//! cargo run --release -p kioku-exam-sim -- --exam-only [--revise-first] [--only TEXT]
//! ```
//! `--no-foresight` with `--mpc`: knowing everything but which days will
//! be missed. `--revise-first` with exam mode: its revision made before
//! the day's first card, as if at the end of the day before.
//! `--last-answer-overruns` with any of them: the earlier rule for the
//! day's minutes, where an answer starts whenever they are not yet spent
//! (so the day's last answer may overrun them) and the bound grants each
//! day one free answer; by default an answer is given only if it ends
//! within them, for every policy and the bound alike.
//! `--floor-hours` with any of them: the learner's FSRS update counts
//! whole 24-hour spans rather than calendar days (the earlier learner).
//! `--scale K` with any of them: K times the cards and K times the
//! minutes a day in every scenario (`--scale 2 --only 600/30d/16`).
//! `--bound-steps N` with any of them: N descent steps for a bound solved
//! from scratch (100 unless told).
//! Every policy gets the same minutes each day. Prints a row per scenario
//! (means over six seeds, the learner's true parameters perturbed ±15% per
//! seed), then the machine-readable last line.

mod bound;
mod oracle;
mod simulate;

use rayon::prelude::*;
use simulate::{Outcome, Policy, Scenario, perturbed, run};

const SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];
const RETENTIONS: [f32; 6] = [0.70, 0.75, 0.80, 0.85, 0.90, 0.95];

fn scenarios() -> Vec<Scenario> {
    let s = |cards, days, minutes_per_day, late, prior| Scenario {
        cards,
        days,
        minutes_per_day,
        late,
        prior,
    };
    vec![
        s(300, 30, 8.0, 0, false),
        s(300, 30, 15.0, 0, false),
        s(300, 30, 25.0, 0, false),
        s(300, 14, 15.0, 0, false),
        s(300, 30, 15.0, 10, false),
        s(300, 30, 15.0, 0, true),
        s(600, 20, 20.0, 0, false),
        s(1000, 30, 15.0, 0, false),
        s(1000, 30, 30.0, 0, false),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--floor-hours`: the earlier learner, whose FSRS update counted whole
    // 24-hour spans since the last answer rather than calendar days (as
    // FSRS, Anki and kioku count them): a card taken the next day a few
    // minutes earlier in the sitting was updated as a same-day one.
    if args.iter().any(|a| a == "--floor-hours") {
        simulate::CALENDAR_DAYS.store(false, std::sync::atomic::Ordering::Relaxed);
        println!("(the learner floors the hours since the last answer)");
    }
    if args.iter().any(|a| a == "--same-difficulty") {
        simulate::SAME_DIFFICULTY.store(true, std::sync::atomic::Ordering::Relaxed);
        println!("(every card has the same difficulty offset, 0)");
    }
    if args.iter().any(|a| a == "--last-answer-overruns") {
        simulate::LAST_ANSWER_OVERRUNS.store(true, std::sync::atomic::Ordering::Relaxed);
        println!("(a day's last answer may overrun its minutes; the bound grants it free)");
    }
    if args.iter().any(|a| a == "--revise-first") {
        simulate::REVISE_FIRST.store(true, std::sync::atomic::Ordering::Relaxed);
        println!("(exam mode's revision is made before the day's first card)");
    }
    if args.iter().any(|a| a == "--no-foresight") {
        oracle::NO_FORESIGHT.store(true, std::sync::atomic::Ordering::Relaxed);
        println!("(the re-solved schedule does not know which days will be missed)");
    }
    let per_seed = args.iter().any(|a| a == "--per-seed");
    if let Some(i) = args.iter().position(|a| a == "--bound-steps") {
        let steps = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(100);
        let _ = bound::BOUND_STEPS.set(steps);
    }
    // `--only TEXT`: only the scenarios whose description contains TEXT.
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1).cloned());
    // `--scale K`: every scenario with K times the cards and K times the
    // minutes a day (the same minutes per card: the bound per card is
    // the same, and a day holds K times as many answers, so its luck
    // evens out).
    let scale = args
        .iter()
        .position(|a| a == "--scale")
        .and_then(|i| args.get(i + 1)?.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let scenarios: Vec<Scenario> = scenarios()
        .into_iter()
        .map(|s| Scenario {
            cards: s.cards * scale,
            minutes_per_day: s.minutes_per_day * scale as f32,
            ..s
        })
        .filter(|s| {
            only.as_ref()
                .is_none_or(|o| s.describe().contains(o.as_str()))
        })
        .collect();
    // Analyses that print rows of their own, one scenario at a time:
    // `--gap`, the relaxation's own schedule (the cards' best schedules at
    // the descent's last prices, mixed) beside the bound, and how far its
    // days' expected seconds stray from their minutes; `--overrun`, where
    // the time of that schedule, played out with no daily cap, goes beyond
    // its expected seconds (the oracle with the learner changed, one cause
    // at a time).
    type Rows = fn(&Scenario);
    let analyses: [(&str, Rows); 2] = [("--gap", gap_row), ("--overrun", overrun_rows)];
    if let Some((_, rows)) = analyses
        .iter()
        .find(|(flag, _)| args.iter().any(|a| a == flag))
    {
        scenarios.iter().for_each(rows);
        return;
    }
    // `--mpc [STEPS]`: the model-predictive oracle (the relaxation solved
    // again each study day from the cards' true memory, STEPS descent
    // steps a day, 10 unless told) beside exam mode.
    if let Some(i) = args.iter().position(|a| a == "--mpc") {
        let steps = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(10);
        let ordered = !args.iter().any(|a| a == "--rank-order");
        let blind = args.iter().any(|a| a == "--blind");
        let quota = args.iter().any(|a| a == "--quota");
        if let Some(i) = args.iter().position(|a| a == "--quota-margin") {
            let k = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(3);
            let _ = oracle::QUOTA_MARGIN.set(k);
        }
        if let Some(i) = args.iter().position(|a| a == "--mpc-same-day") {
            let k = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(3);
            let _ = oracle::MPC_SAME_DAY.set(k);
        }
        if let Some(i) = args.iter().position(|a| a == "--quota-scale") {
            let f = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(1.0);
            let _ = oracle::QUOTA_SCALE.set(f);
        }
        for s in &scenarios {
            mpc_row(s, steps, ordered, blind, quota, per_seed);
        }
        return;
    }
    // `--bound-only N`: only the bounds, with N same-day reviews allowed:
    // the per-day bound and the pooled one it replaces.
    if let Some(i) = args.iter().position(|a| a == "--bound-only") {
        let same_day = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(0);
        for s in &scenarios {
            let (unforeseen, blind, tight, pooled): (f32, f32, f32, f32) = SEEDS
                .par_iter()
                .filter_map(|&seed| {
                    let parameters = perturbed(seed);
                    let (cards, budget) = simulate::starts(s, &parameters, seed)?;
                    let per_day =
                        |unseen| bound::bound(&parameters, &cards, &budget, same_day, unseen, 0.0);
                    Some((
                        bound::bound(
                            &parameters,
                            &cards,
                            &simulate::unforeseen_budget(s),
                            same_day,
                            bound::Unseen::Blind,
                            simulate::MISSED,
                        )?,
                        per_day(bound::Unseen::Blind)?,
                        per_day(bound::Unseen::Known)?,
                        bound::pooled(&parameters, &cards, &budget, same_day)?,
                    ))
                })
                .reduce(
                    || (0.0, 0.0, 0.0, 0.0),
                    |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3),
                );
            let n = SEEDS.len() as f32;
            println!(
                "| {} | {same_day} same-day | missed days not foreseen {:.2}% | per-day {:.2}% | types of unseen cards known {:.2}% | pooled {:.1}% |",
                s.describe(),
                100.0 * unforeseen / n,
                100.0 * blind / n,
                100.0 * tight / n,
                100.0 * pooled / n
            );
        }
        return;
    }
    // `--oracle`: the bound, the oracle that follows the bound's schedules
    // knowing the learner's truth, exam mode with the true parameters and
    // exam mode as shipped; with what each does, in fifths of the days.
    if args.iter().any(|a| a == "--oracle") {
        for s in &scenarios {
            oracle_row(s);
        }
        return;
    }
    let mut policies = vec![Policy::Exam];
    // `--exam-only`: exam mode alone, no baselines nor bounds (to try a
    // change of the planner quickly).
    if args.iter().any(|a| a == "--exam-only") {
        for s in &scenarios {
            let runs: Vec<Outcome> = SEEDS
                .par_iter()
                .filter_map(|&seed| run(s, Policy::Exam, &perturbed(seed), seed))
                .collect();
            let n = runs.len().max(1) as f32;
            println!(
                "| {} | exam mode {:.1}% | {:.0} min |",
                s.describe(),
                100.0 * runs.iter().map(|o| o.recall).sum::<f32>() / n,
                runs.iter().map(|o| o.minutes).sum::<f32>() / n
            );
        }
        return;
    }
    for r in RETENTIONS {
        policies.push(Policy::DueFirst(r));
        policies.push(Policy::NewFirst(r));
    }
    let jobs: Vec<(usize, usize, u64)> = (0..scenarios.len())
        .flat_map(|s| (0..policies.len()).flat_map(move |p| SEEDS.map(|seed| (s, p, seed))))
        .collect();
    let results: Vec<Option<Outcome>> = jobs
        .par_iter()
        .map(|&(s, p, seed)| run(&scenarios[s], policies[p], &perturbed(seed), seed))
        .collect();
    let mean = |s: usize, p: usize| -> (f32, f32) {
        let runs: Vec<Outcome> = jobs
            .iter()
            .zip(&results)
            .filter(|((js, jp, _), _)| *js == s && *jp == p)
            .filter_map(|(_, o)| *o)
            .collect();
        let n = runs.len().max(1) as f32;
        (
            runs.iter().map(|o| o.recall).sum::<f32>() / n,
            runs.iter().map(|o| o.minutes).sum::<f32>() / n,
        )
    };
    println!(
        "Mean true recall on exam day, {} seeds (true parameters perturbed ±15% per seed); every policy gets the same minutes each day; ~10% of days missed.\n",
        SEEDS.len()
    );
    println!(
        "| scenario | FSRS 0.9 due-first | FSRS 0.9 new-first quota | best fixed retention | exam mode | gain over best (pp) | bound, same time | share of headroom | minutes (best / exam) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    // The bound per scenario: the mean over the seeds.
    let pairs: Vec<(usize, u64)> = (0..scenarios.len())
        .flat_map(|s| SEEDS.map(|seed| (s, seed)))
        .collect();
    let each: Vec<(usize, f32)> = pairs
        .par_iter()
        .filter_map(|&(si, seed)| {
            let parameters = perturbed(seed);
            let (cards, budget) = simulate::starts(&scenarios[si], &parameters, seed)?;
            let b = bound::bound(
                &parameters,
                &cards,
                &budget,
                bound::SAME_DAY,
                bound::Unseen::Blind,
                0.0,
            )?;
            Some((si, b))
        })
        .collect();
    let bounds: Vec<f32> = (0..scenarios.len())
        .map(|si| {
            each.iter()
                .filter(|(s, _)| *s == si)
                .map(|(_, b)| b)
                .sum::<f32>()
                / SEEDS.len() as f32
        })
        .collect();
    let mut gains = Vec::new();
    let mut headroom = (0.0f32, 0.0f32);
    for (si, scenario) in scenarios.iter().enumerate() {
        let exam = mean(si, 0);
        let due = mean(
            si,
            policies
                .iter()
                .position(|p| *p == Policy::DueFirst(0.9))
                .unwrap_or(0),
        );
        let quota = mean(
            si,
            policies
                .iter()
                .position(|p| *p == Policy::NewFirst(0.9))
                .unwrap_or(0),
        );
        let (best_p, best) = (1..policies.len())
            .map(|p| (p, mean(si, p)))
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0))
            .unwrap_or((0, exam));
        let gain = 100.0 * (exam.0 - best.0);
        gains.push(gain);
        let room = bounds[si] - best.0;
        headroom.0 += exam.0 - best.0;
        headroom.1 += room;
        let share = if room > 0.0 {
            format!("{:.0}%", 100.0 * (exam.0 - best.0) / room)
        } else {
            "none left".into()
        };
        println!(
            "| {} | {:.1}% | {:.1}% | {:.1}% ({}) | {:.1}% | {:+.1} | {:.1}% | {share} | {:.0} / {:.0} |",
            scenario.describe(),
            100.0 * due.0,
            100.0 * quota.0,
            100.0 * best.0,
            policies[best_p].describe(),
            100.0 * exam.0,
            gain,
            100.0 * bounds[si],
            best.1,
            exam.1
        );
        if per_seed {
            for (((s, p, seed), o), _) in jobs.iter().zip(&results).zip(0..) {
                if *s == si
                    && (*p == 0 || *p == best_p)
                    && let Some(o) = o
                {
                    println!(
                        "|   seed {seed} | {} | {:.1}% | {:.0} min |",
                        policies[*p].describe(),
                        100.0 * o.recall,
                        o.minutes
                    );
                }
            }
        }
    }
    let n = gains.len().max(1) as f32;
    let mean_gain = gains.iter().sum::<f32>() / n;
    let min_gain = gains.iter().copied().fold(f32::INFINITY, f32::min);
    // The share of the headroom summed over the grid.
    let share = if headroom.1 > 0.0 {
        100.0 * headroom.0 / headroom.1
    } else {
        0.0
    };
    println!(
        "\nexam-mode: mean gain over best baseline {mean_gain:+.1} pp; min over scenarios {min_gain:+.1} pp; share of headroom {share:.0}%"
    );
}

/// What the bound is solved from for one seed, and it solved (for
/// `--oracle` and `--gap`).
struct Relaxed {
    parameters: Vec<f32>,
    budget: Vec<f32>,
    model: bound::Model,
    solved: bound::Solved,
}

fn relaxed(s: &Scenario, seed: u64) -> Option<Relaxed> {
    let parameters = perturbed(seed);
    let (cards, budget) = simulate::starts(s, &parameters, seed)?;
    let model = bound::model(&parameters, &budget, bound::SAME_DAY)?;
    let solved = bound::solve(&model, &cards, &budget, bound::Unseen::Known)?;
    Some(Relaxed {
        parameters,
        budget,
        model,
        solved,
    })
}

/// One scenario's `--oracle` rows.
fn oracle_row(s: &Scenario) {
    use simulate::Trace;
    let each: Vec<_> = SEEDS
        .par_iter()
        .filter_map(|&seed| {
            let Relaxed {
                parameters: p,
                model,
                solved,
                ..
            } = relaxed(s, seed)?;
            let b = solved.bound;
            let k = oracle::Knobs::default();
            let (o0, o1, _) = oracle::oracle(s, &p, seed, (&model, &solved), false, true, k)?;
            let (m0, m1, _) = oracle::oracle(s, &p, seed, (&model, &solved), true, true, k)?;
            let (u0, u1, _) = oracle::oracle(s, &p, seed, (&model, &solved), true, false, k)?;
            let (o, m, u) = ((o0, o1), (m0, m1), (u0, u1));
            let i = oracle::informed(s, &p, seed)?;
            let t = simulate::traced(s, Policy::Exam, &p, seed, &p)?;
            let e = simulate::traced(s, Policy::Exam, &p, seed, &[])?;
            Some((b, o, i, t, e, m, u))
        })
        .collect();
    let n = each.len().max(1) as f32;
    type Row = (
        f32,
        (f32, Trace),
        (f32, Trace),
        (Outcome, Trace),
        (Outcome, Trace),
        (f32, Trace),
        (f32, Trace),
    );
    let mean = |f: &dyn Fn(&Row) -> f32| 100.0 * each.iter().map(f).sum::<f32>() / n;
    println!(
        "| {} | bound {:.1}% | oracle (bound's prices) {:.1}% | oracle (last prices, mixed) {:.1}% | the same, no daily cap {:.1}% in {:.0} min (allowed {:.0}) | exam's rule, all known {:.1}% | exam, true parameters {:.1}% | exam {:.1}% |",
        s.describe(),
        mean(&|x| x.0),
        mean(&|x| x.1.0),
        mean(&|x| x.5.0),
        mean(&|x| x.6.0),
        mean(&|x| x.6.1.seconds.iter().sum::<f32>()) / 6000.0,
        allowed(s),
        mean(&|x| x.2.0),
        mean(&|x| x.3.0.recall),
        mean(&|x| x.4.0.recall),
    );
    let show = |name: &str, traces: Vec<&Trace>| show_traces(s, name, traces, n);
    show("oracle", each.iter().map(|x| &x.1.1).collect());
    show("mixed", each.iter().map(|x| &x.5.1).collect());
    show("no cap", each.iter().map(|x| &x.6.1).collect());
    show("all known", each.iter().map(|x| &x.2.1).collect());
    show("exam, truth", each.iter().map(|x| &x.3.1).collect());
    show("exam", each.iter().map(|x| &x.4.1).collect());
}

/// One scenario's `--mpc` row: the bound, the model-predictive oracle
/// (its day's cards taken by the time of day of their last answers, or
/// in its rank order with `--rank-order`) and exam mode, means over the
/// seeds, with the least and most over the seeds of the oracle's lead
/// over exam mode.
fn mpc_row(s: &Scenario, steps: usize, ordered: bool, blind: bool, quota: bool, per_seed: bool) {
    use simulate::Trace;
    type Row = (f32, (f32, Trace), (Outcome, Trace));
    let each: Vec<Row> = SEEDS
        .par_iter()
        .filter_map(|&seed| {
            let p = perturbed(seed);
            let (mpc, trace, b) = oracle::mpc(s, &p, seed, steps, ordered, blind, quota)?;
            let exam = simulate::traced(s, Policy::Exam, &p, seed, &[])?;
            Some((b, (mpc, trace), exam))
        })
        .collect();
    let n = each.len().max(1) as f32;
    let mean = |f: &dyn Fn(&Row) -> f32| 100.0 * each.iter().map(f).sum::<f32>() / n;
    let (lo, hi) = each
        .iter()
        .map(|x| 100.0 * (x.1.0 - x.2.0.recall))
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    println!(
        "| {} | bound {:.1}% | re-solved daily{}{} {:.1}% | exam mode {:.1}% | lead per seed {lo:+.1} to {hi:+.1} |",
        s.describe(),
        mean(&|x| x.0),
        match (ordered, blind) {
            (true, false) => "",
            (false, false) => ", rank order",
            (true, true) => ", knowing what kioku knows",
            (false, true) => ", knowing what kioku knows, rank order",
        },
        if quota {
            ", new cards at least at the quota's pace"
        } else {
            ""
        },
        mean(&|x| x.1.0),
        mean(&|x| x.2.0.recall),
    );
    show_traces(s, "re-solved", each.iter().map(|x| &x.1.1).collect(), n);
    show_traces(s, "exam", each.iter().map(|x| &x.2.1).collect(), n);
    if per_seed {
        for (seed, x) in SEEDS.iter().zip(&each) {
            let missed: Vec<String> = (0..s.days)
                .filter(|d| !simulate::studies(s, *seed, *d))
                .map(|d| d.to_string())
                .collect();
            println!(
                "|   seed {seed}: re-solved {:.1}%, exam mode {:.1}%, days missed {} |",
                100.0 * x.1.0,
                100.0 * x.2.0.recall,
                missed.join(" ")
            );
            show_traces(s, "re-solved", vec![&x.1.1], 1.0);
        }
    }
}

/// What policies did, in fifths of the days: first answers, reviews,
/// same-day reviews among them and minutes (means over `n` seeds); then
/// how long a card learned in the run waited for its next day's answer,
/// the first answers of each day, and the minutes on first answers and
/// on the rest.
fn show_traces(s: &Scenario, name: &str, traces: Vec<&simulate::Trace>, n: f32) {
    let mut sum = simulate::Trace::new(s.days);
    for t in &traces {
        sum.add(t);
    }
    let parts = 5;
    let mut line = format!("|   {name:<12}");
    for k in 0..parts {
        let (a, b) = (k * s.days / parts, (k + 1) * s.days / parts);
        let f = |v: &[u32]| v[a..b].iter().sum::<u32>() as f32 / n;
        let min = sum.seconds[a..b].iter().sum::<f32>() / n / 60.0;
        line.push_str(&format!(
            " | d{a}-{}: new {:.0} rev {:.0} same {:.0} {:.0}min",
            b - 1,
            f(&sum.new),
            f(&sum.reviews),
            f(&sum.same_day),
            min
        ));
    }
    println!("{line} |");
    let waited = |a: usize, b: usize| {
        let b = b.min(sum.second.len());
        sum.second[a.min(b)..b].iter().sum::<u32>() as f32 / n
    };
    let per_day: Vec<String> = sum
        .new
        .iter()
        .map(|v| format!("{:.0}", *v as f32 / n))
        .collect();
    let minutes = |v: &[f32]| v.iter().sum::<f32>() / n / 60.0;
    let learning = minutes(&sum.new_seconds);
    println!(
        "|   {name:<12} | next day's answer after 1d {:.0}, 2d {:.0}, 3d {:.0}, 4-6d {:.0}, 7-13d {:.0}, 14d+ {:.0}, never {:.0} | new by day {} | minutes learning {learning:.0}, reviewing {:.0} |",
        waited(1, 2),
        waited(2, 3),
        waited(3, 4),
        waited(4, 7),
        waited(7, 14),
        waited(14, usize::MAX),
        sum.never as f32 / n,
        per_day.join(" "),
        minutes(&sum.seconds) - learning,
    );
}

/// One scenario's `--overrun` rows: the relaxation's schedule (the
/// descent's last prices, mixed) followed with no daily cap, as the
/// learner is and with each cause of extra time taken away in turn.
fn overrun_rows(s: &Scenario) {
    use oracle::Knobs;
    let off = Knobs::default();
    let variants = [
        ("as simulated", off),
        (
            "calendar days",
            Knobs {
                calendar: true,
                ..off
            },
        ),
        (
            "class's time",
            Knobs {
                class_time: true,
                ..off
            },
        ),
        (
            "on the grid",
            Knobs {
                on_grid: true,
                ..off
            },
        ),
        (
            "all three",
            Knobs {
                calendar: true,
                class_time: true,
                on_grid: true,
            },
        ),
    ];
    let each: Vec<Vec<(f32, oracle::Diag)>> = SEEDS
        .par_iter()
        .filter_map(|&seed| {
            let Relaxed {
                parameters: p,
                model,
                solved,
                ..
            } = relaxed(s, seed)?;
            variants
                .iter()
                .map(|(_, k)| {
                    let (r, _, d) =
                        oracle::oracle(s, &p, seed, (&model, &solved), true, false, *k)?;
                    Some((r, d))
                })
                .collect()
        })
        .collect();
    let n = each.len().max(1) as f32;
    println!(
        "{} (means over {} seeds; minutes per seed)",
        s.describe(),
        each.len()
    );
    println!(
        "| learner | recall | minutes played | relaxation's expected minutes | counted (class time) | counted (own time) | answers | same-day | Again / expected | floored / to same day |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (v, (name, _)) in variants.iter().enumerate() {
        let mut d = oracle::Diag::default();
        let mut recall = 0.0;
        for seed in &each {
            recall += seed[v].0;
            d.add(&seed[v].1);
        }
        println!(
            "| {name} | {:.1}% | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} / {:.0} | {:.0} / {:.0} |",
            100.0 * recall / n,
            d.seconds / n / 60.0,
            d.planned / n / 60.0,
            d.counted / n / 60.0,
            d.own_time / n / 60.0,
            d.answers / n,
            d.same_day / n,
            d.again / n,
            d.again_expected / n,
            d.floored / n,
            d.floored_to_same_day / n,
        );
    }
}

/// The minutes a scenario allows, over its study days, mean over the seeds.
fn allowed(s: &Scenario) -> f32 {
    let days: usize = SEEDS
        .iter()
        .map(|seed| {
            (0..s.days)
                .filter(|d| simulate::studies(s, *seed, *d))
                .count()
        })
        .sum();
    days as f32 / SEEDS.len() as f32 * s.minutes_per_day
}

/// One scenario's `--gap` row: the bound, and the relaxation's schedule
/// averaged over the descent's last 10 steps (the cards' best schedules at
/// each step's prices, mixed): its expected recall, and the least and
/// most of a study day's minutes its expected seconds take (means over
/// the seeds).
fn gap_row(s: &Scenario) {
    let each: Vec<(f32, f32, f32, f32)> = SEEDS
        .par_iter()
        .filter_map(|&seed| {
            let Relaxed { budget, solved, .. } = relaxed(s, seed)?;
            let tail = &solved.history[solved.history.len().saturating_sub(10)..];
            let k = tail.len().max(1) as f32;
            let recall = tail.iter().map(|x| x.0).sum::<f32>() / k;
            let (mut lo, mut hi) = (f32::INFINITY, 0.0f32);
            for (d, b) in budget.iter().enumerate().filter(|(_, b)| **b > 0.0) {
                let r = tail.iter().map(|x| x.1[d]).sum::<f32>() / k / b;
                lo = lo.min(r);
                hi = hi.max(r);
            }
            Some((solved.bound, recall, lo, hi))
        })
        .collect();
    let n = each.len().max(1) as f32;
    type Gap = (f32, f32, f32, f32);
    let mean = |f: &dyn Fn(&Gap) -> f32| each.iter().map(f).sum::<f32>() / n;
    println!(
        "| {} | bound {:.1}% | relaxation's schedule, last 10 steps mixed {:.1}% | a day's expected seconds {:.2}-{:.2} of its minutes |",
        s.describe(),
        100.0 * mean(&|x| x.0),
        100.0 * mean(&|x| x.1),
        mean(&|x| x.2),
        mean(&|x| x.3),
    );
}
