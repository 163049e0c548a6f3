//! An upper bound on the mean exam-day recall any schedule could reach
//! with the same minutes each day, under the same simulated learner,
//! knowing its true memory (which no scheduler knows), in expectation
//! over the draws of the cards' types.
//!
//! Lagrangian relaxation with a price per day. The simulation gives an
//! answer only if it ends within the day's allowance `A_d`, so every
//! day's seconds stay within `A_d`; each second studied on day `d` is
//! priced at `λ_d ≥ 0`, and `U(λ) = Σ_d λ_d·A_d + Σ_cards max_schedule
//! E[recall − Σ_answers λ_d·seconds]`.
//!
//! Under the earlier rule (`--last-answer-overruns`) a policy starts an
//! answer while the day's seconds so far are under `A_d`, so the day's
//! seconds *without its last answer* stay under `A_d`: every day has at
//! most one free answer, the one that overruns, and a second price per
//! day. Each second studied on day `d` is priced at
//! `λ_d ≥ 0` and the free answer at `μ_d ≥ 0` (an answer is free when
//! `μ_d` is less than its seconds' price, chosen after its outcome is
//! known, which only loosens the bound); a missed day has no minutes (no
//! study at all that day, as in the simulation, where every policy misses
//! the same days). With prices, the cards decouple: each card's best
//! schedule maximises its expected exam-day recall minus the priced
//! answers, and
//!
//! `U(λ, μ) = Σ_d (λ_d·A_d + μ_d) + Σ_cards max_schedule E[recall − Σ_answers min(λ_d·seconds, μ_d)]`
//!
//! bounds every schedule that starts answers on day `d` only while under
//! `A_d`, for every `λ, μ ≥ 0` (weak duality). With `μ_d` the price of
//! the longest answer this is the earlier bound, which granted every day
//! a whole longest answer's overrun. The bound reported is the smallest
//! `U` found: first one price for every study day (golden-section search,
//! as the pooled bound did), then per-day prices by Rprop on the
//! subgradient (`A_d` minus the expected seconds paid for on day `d`
//! under each card's best schedule, and 1 minus the free answers taken,
//! from a forward pass of that schedule's state distribution): each day's
//! price is multiplied up when the day is overspent and down when it has
//! time left (the free answer's when more than one is taken or fewer), by
//! a factor that grows while the direction holds and halves when it
//! turns; every ten steps, a golden-section search on the scale of the
//! whole price vector (the days' prices move together slowly otherwise).
//! Prices rise toward the exam, where every card would like its review.
//! Any `λ, μ ≥ 0` give a valid bound, so an inexact descent only makes it
//! less tight, never wrong; 100 steps come within about 0.02 points of
//! 200.
//!
//! One card's problem is solved by dynamic programming backwards from the
//! exam: after each answer, review again on any later study day, again the
//! same day (up to [`SAME_DAY`] times more: a same-day review raises
//! stability through FSRS's short-term formula), or never. The memory
//! state lives on a grid (log stability × difficulty); transitions come
//! from the `fsrs` crate. Cards share the dynamic programmes of 16
//! answer-time classes; a card between two classes is valued on the chord
//! between them, above its value at its own time (convexity, see
//! [`CLASSES`]).
//!
//! Why the grid does not lower the bound: a state off the grid is valued
//! at the grid stability just *above* it (never interpolated downwards),
//! and the value of a card grows with its stability (the test
//! `values_grow_with_stability` checks every grid point of every day's
//! table, at four prices), so rounding can only raise a value. Difficulty
//! is interpolated linearly between grid points a third of a point apart (error of second order); the test
//! `the_grid_never_undercuts_the_exact_programme` compares the grid's
//! values with an exact programme over the true continuous states (no
//! grid) on short horizons, and the grid is never below it. Recall is
//! taken [`Model::slack`] days early: an answer starts at most the day's
//! minutes after its first, so the time between two answers, and from
//! the last answer to the exam, is at least the whole days between them
//! less that. An answer's FSRS update uses the calendar days between
//! answers, as the simulated learner does (the earlier learner,
//! `--floor-hours`, floored the hours, which can only give a smaller
//! stability gain).
//!
//! A card not yet shown is valued blind to its type ([`Unseen::Blind`]):
//! no schedule can learn the quick or easy cards first, since nothing it
//! sees tells them apart before their first answer. Its type is granted
//! from that answer on.

use fsrs::FSRS;

pub(crate) use kioku::exam_planner::relax::grid::{Answers, Step, at, first_step, on_grid, pos};
pub(crate) use kioku::exam_planner::relax::model::{
    CLASSES, Model, chord, class, class_factor, class_tables,
};
pub(crate) use kioku::exam_planner::relax::solve::{
    Prices, Solved, one_price, solve_from as relax_from,
};

use crate::simulate::{LONGEST_ANSWER, Start, card_type, spread_density};

/// Same-day reviews in a row considered after an answer.
pub(crate) const SAME_DAY: usize = 3;
/// Subgradient steps after the single-price search (fewer in the unit
/// tests, which check that the bound is valid, which holds at any step).
const STEPS: usize = if cfg!(test) { 20 } else { 100 };

/// The descent steps of a bound solved from scratch: [`STEPS`] unless
/// `--bound-steps N` set another number (any number gives a valid bound;
/// more only make it tighter).
pub(crate) static BOUND_STEPS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

fn steps() -> usize {
    BOUND_STEPS.get().copied().unwrap_or(STEPS)
}

/// What the bound grants a schedule about a card before its first answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unseen {
    /// Its difficulty offset and answer time, as after its first answer:
    /// a schedule could learn the quick and easy cards first. No schedule
    /// can: a card's type is drawn on its own, from nothing a schedule
    /// sees, so its first day is chosen blind to it.
    Known,
    /// Only the distribution its type is drawn from: every unseen card
    /// has the same first decision, the best day for the *average* card
    /// (its type, once answered, is still granted). Valid for every
    /// schedule that does not see a type before it shows the card, in
    /// expectation over the types' draws.
    Blind,
}

/// Points of the prior's quadrature on each of its two axes, and the
/// difficulty offsets they are gathered into (mass-weighted means).
const PRIOR_POINTS: usize = 1200;
const PRIOR_OFFSETS: usize = 40;

/// The distribution of an unseen card's type, as the bound values it:
/// (time class, probability, first answer with the offset). Each axis is
/// integrated by the midpoint rule over 1,200 points of its density; a
/// time between two classes goes on the chord between them (above its
/// own value, as for a seen card), and offsets are gathered into 40
/// groups at their mean (a card's value is piecewise linear in its
/// offset, through the grid's linear difficulty).
fn prior(fsrs: &FSRS) -> Option<Vec<(usize, f32, Step)>> {
    let dx = 3.0 / PRIOR_POINTS as f32;
    let points: Vec<(f32, f32)> = (0..PRIOR_POINTS)
        .map(|i| {
            let x = -1.5 + (i as f32 + 0.5) * dx;
            (x, spread_density(x) * dx)
        })
        .collect();
    let total: f32 = points.iter().map(|p| p.1).sum();
    let mut classes = [0.0f32; CLASSES];
    for &(x, m) in &points {
        for (k, w) in chord(card_type(0.0, x).1) {
            classes[k] += w * m / total;
        }
    }
    let mut offsets = Vec::with_capacity(PRIOR_OFFSETS);
    for group in points.chunks(PRIOR_POINTS / PRIOR_OFFSETS) {
        let mass: f32 = group.iter().map(|p| p.1).sum();
        let mean = group.iter().map(|p| p.0 * p.1).sum::<f32>() / mass;
        offsets.push((card_type(mean, 0.0).0, mass / total));
    }
    let mut pool = Vec::new();
    for (k, pk) in classes.iter().enumerate().filter(|c| *c.1 > 0.0) {
        for &(offset, po) in &offsets {
            pool.push((k, pk * po, first_step(fsrs, &Answers::SIMULATOR, offset)?));
        }
    }
    Some(pool)
}

/// The bound for cards starting as `starts`, with `budget[d]` seconds on
/// day `d` (0 on a missed day; one more answer may start while time is
/// left) and the exam the day after the last.
/// `same_day`: how many same-day reviews in a row a schedule may give
/// ([`SAME_DAY`] for the benchmark; 0 shows how much they are worth);
/// `unseen`: what a schedule is granted about the cards it has not shown.
/// `miss`: 0 when the days studied are known ahead (`budget` 0 on the
/// missed ones), else the chance that a study day is missed, with no
/// schedule knowing which (`budget` then counts every study day, and the
/// bound holds in expectation over which are missed).
pub(crate) fn bound(
    parameters: &[f32],
    starts: &[Start],
    budget: &[f32],
    same_day: usize,
    unseen: Unseen,
    miss: f32,
) -> Option<f32> {
    let mut model = model(parameters, budget, same_day)?;
    model.miss = miss;
    let known = solve(&model, starts, budget, Unseen::Known)?;
    match unseen {
        Unseen::Known => Some(known.bound),
        // Blind to the types, every unseen card takes one first day, so
        // the descent's steps swing whole days of new cards and it finds
        // little from a single price; it starts from the best prices for
        // known types instead, where the blind bound is lower in
        // expectation (the best day for the average card is worth at most
        // the average of each card's best day), and only improves on them.
        Unseen::Blind => {
            Some(solve_from(&model, starts, budget, Some(&known.best), steps(), unseen)?.bound)
        }
    }
}

/// The model for a budget: its study days, and its slack, the longest
/// sitting before the day's last answer starts.
pub(crate) fn model(parameters: &[f32], budget: &[f32], same_day: usize) -> Option<Model> {
    let mut model = Model::for_budget(parameters, Answers::SIMULATOR, budget, same_day)?;
    model.free_answer = overruns();
    Some(model)
}

/// Whether the simulation lets a day's last answer overrun its minutes
/// (then the bound grants each day a free answer).
fn overruns() -> bool {
    crate::simulate::LAST_ANSWER_OVERRUNS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The smallest `U` found for the model and how it was found.
pub(crate) fn solve(
    model: &Model,
    starts: &[Start],
    budget: &[f32],
    unseen: Unseen,
) -> Option<Solved> {
    solve_from(model, starts, budget, None, steps(), unseen)
}

/// The relaxation solved from `init` in `steps` descent steps (kioku's
/// [`relax_from`]), new cards valued as `unseen` says.
pub(crate) fn solve_from(
    model: &Model,
    starts: &[Start],
    budget: &[f32],
    init: Option<&Prices>,
    steps: usize,
    unseen: Unseen,
) -> Option<Solved> {
    let prior = match unseen {
        Unseen::Known => None,
        Unseen::Blind => Some(prior(&model.fsrs)?),
    };
    relax_from(model, starts, budget, init, steps, prior.as_deref())
}

/// The pooled bound this one replaces: every day's minutes and one
/// answer's overrun pooled into one total with one price, missed days
/// counted as study days.
pub(crate) fn pooled(
    parameters: &[f32],
    starts: &[Start],
    budget: &[f32],
    same_day: usize,
) -> Option<f32> {
    let days = budget.len();
    let slack = budget.iter().copied().fold(0.0, f32::max) / 86_400.0;
    let model = Model::new(
        parameters,
        Answers::SIMULATOR,
        days,
        vec![true; days],
        same_day,
        slack,
    )?;
    let overrun = if overruns() { LONGEST_ANSWER } else { 0.0 };
    let total = budget
        .iter()
        .filter(|b| **b > 0.0)
        .map(|b| b + overrun)
        .sum::<f32>()
        / days.max(1) as f32;
    let even = vec![total; days];
    one_price(&model, starts, &even)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{Policy, Scenario, run, starts};

    fn small() -> Scenario {
        Scenario {
            cards: 30,
            days: 6,
            minutes_per_day: 3.0,
            late: 0,
            prior: false,
        }
    }

    #[test]
    fn the_bound_is_above_every_policy_below_the_pooled_one_and_grows_with_time() {
        let p = fsrs::DEFAULT_PARAMETERS;
        for (s, seed) in [
            (small(), 1),
            (
                Scenario {
                    cards: 40,
                    days: 9,
                    minutes_per_day: 4.0,
                    late: 2,
                    prior: true,
                },
                2,
            ),
            // A minute a day: the answer that overruns it is a large part
            // of the day, and the bound grants it only as one free answer.
            (
                Scenario {
                    cards: 20,
                    days: 8,
                    minutes_per_day: 1.0,
                    late: 0,
                    prior: false,
                },
                3,
            ),
        ] {
            let (cards, budget) = starts(&s, &p, seed).expect("starts");
            let tight = bound(&p, &cards, &budget, SAME_DAY, Unseen::Known, 0.0).expect("bound");
            let loose = pooled(&p, &cards, &budget, SAME_DAY).expect("pooled");
            assert!(tight <= loose + 1e-4, "{tight} vs pooled {loose}");
            let more: Vec<f32> = budget.iter().map(|b| 4.0 * b).collect();
            let plenty = bound(&p, &cards, &more, SAME_DAY, Unseen::Known, 0.0).expect("bound");
            assert!(tight <= plenty + 1e-4 && plenty <= 1.0, "{tight} {plenty}");
            let none = vec![0.0; budget.len()];
            let floor = cards
                .iter()
                .filter_map(|c| {
                    c.memory.map(|m| {
                        fsrs::current_retrievability(
                            m,
                            c.days_since + s.days as f32,
                            fsrs::DEFAULT_PARAMETERS[20],
                        )
                    })
                })
                .sum::<f32>()
                / cards.len() as f32;
            let idle = bound(&p, &cards, &none, SAME_DAY, Unseen::Known, 0.0).expect("bound");
            assert!(idle < floor + 0.01, "{idle} with no time vs {floor}");
            let mut policies = vec![Policy::Exam];
            for r in [0.7, 0.8, 0.9, 0.95] {
                policies.push(Policy::DueFirst(r));
                policies.push(Policy::NewFirst(r));
            }
            for policy in policies {
                let o = run(&s, policy, &p, seed).expect("runs");
                assert!(tight >= o.recall, "{tight} below {policy:?}: {o:?}");
            }
        }
    }

    /// The prior the blind bound integrates is the simulation's own draw:
    /// its weights sum to one, and its mean time factor and the spread of
    /// its offsets are those of a million cards drawn as the learner draws
    /// them.
    #[test]
    fn the_prior_of_unseen_cards_is_the_simulations_draw() {
        use rand::{RngExt, SeedableRng};
        let fsrs = FSRS::new(&fsrs::DEFAULT_PARAMETERS).expect("fsrs");
        let pool = prior(&fsrs).expect("prior");
        let total: f32 = pool.iter().map(|p| p.1).sum();
        assert!((total - 1.0).abs() < 1e-4, "{total}");
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let n = 1_000_000;
        let (mut time, mut offset2) = (0.0f64, 0.0f64);
        for _ in 0..n {
            let mut u = || rng.random::<f32>();
            let (o, t) = card_type(u() + u() + u() - 1.5, u() + u() + u() - 1.5);
            time += f64::from(t);
            offset2 += f64::from(o * o);
        }
        let drawn = (time / f64::from(n), offset2 / f64::from(n));
        let factor: f32 = pool.iter().map(|(k, q, _)| q * class_factor(*k)).sum();
        assert!(
            (f64::from(factor) - drawn.0).abs() < 0.005,
            "{factor} vs {drawn:?}"
        );
        // The offsets, one class's worth (each class holds the same spread).
        let k0 = pool[0].0;
        let class: Vec<&(usize, f32, Step)> = pool.iter().filter(|p| p.0 == k0).collect();
        let mass: f32 = class.iter().map(|p| p.1).sum();
        let base = first_step(&fsrs, &Answers::SIMULATOR, 0.0).expect("first");
        let shift = |s: &Step| {
            // The offset back from the Again outcome's difficulty (6.4 at
            // the default parameters: ±3 stays within 1..10).
            use kioku::exam_planner::relax::grid::{ND, Pos};
            let d = |p: Pos| (p.at as usize % ND) as f32 + p.w;
            (d(s.next[0]) - d(base.next[0])) * 9.0 / (ND - 1) as f32
        };
        let spread: f32 = class.iter().map(|p| p.1 * shift(&p.2).powi(2)).sum::<f32>() / mass;
        // Offsets are clamped to difficulty 1..10 at the extremes, and
        // gathered into groups: within a few hundredths of the draw's.
        assert!(
            (f64::from(spread) - drawn.1).abs() < 0.06,
            "{spread} vs {drawn:?}"
        );
    }

    /// Blind to the types of unseen cards, the bound is still above every
    /// policy, on average over the draws (as it is stated), and below the
    /// bound that knows them.
    #[test]
    fn the_blind_bound_is_above_every_policy_on_average() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let s = small();
        let seeds = 1..=8u64;
        let (mut blind, mut known) = (0.0, 0.0);
        let mut best = 0.0f32;
        for seed in seeds.clone() {
            let (cards, budget) = starts(&s, &p, seed).expect("starts");
            blind += bound(&p, &cards, &budget, SAME_DAY, Unseen::Blind, 0.0).expect("bound");
            known += bound(&p, &cards, &budget, SAME_DAY, Unseen::Known, 0.0).expect("bound");
        }
        for policy in [Policy::Exam, Policy::NewFirst(0.9), Policy::DueFirst(0.9)] {
            let mean = seeds
                .clone()
                .map(|seed| run(&s, policy, &p, seed).expect("runs").recall)
                .sum::<f32>();
            best = best.max(mean);
        }
        assert!(blind >= best, "{blind} below {best}");
        assert!(blind <= known + 1e-3, "{blind} above {known}");
    }

    #[test]
    fn a_warm_start_is_never_worse_than_its_start_and_stays_a_bound() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let s = small();
        let (cards, budget) = starts(&s, &p, 4).expect("starts");
        let model = model(&p, &budget, SAME_DAY).expect("model");
        let cold = solve(&model, &cards, &budget, Unseen::Known).expect("solve");
        let warm =
            solve_from(&model, &cards, &budget, Some(&cold.best), 3, Unseen::Known).expect("warm");
        assert!(
            warm.bound <= cold.bound + 1e-4,
            "{} > {}",
            warm.bound,
            cold.bound
        );
        assert_eq!(warm.last.len(), 3);
        let exam = run(&s, Policy::Exam, &p, 4).expect("runs");
        assert!(warm.bound >= exam.recall, "{} < {exam:?}", warm.bound);
        // With a free answer a day (the earlier rule, where a day's last
        // answer may overrun its minutes) the bound is higher: at three
        // minutes a day one answer is a large part of the day.
        let mut overrun = super::model(&p, &budget, SAME_DAY).expect("model");
        overrun.free_answer = true;
        let free = solve(&overrun, &cards, &budget, Unseen::Known).expect("solve");
        assert!(
            free.bound > cold.bound + 0.005,
            "{} vs {}",
            free.bound,
            cold.bound
        );
        // Prices of the wrong length are ignored: a cold start.
        let odd = (vec![0.01], vec![0.1]);
        let other = solve_from(&model, &cards, &budget, Some(&odd), 3, Unseen::Known).expect("odd");
        assert!(other.bound >= exam.recall);
    }
}
