//! An upper bound on the mean exam-day recall any schedule could reach
//! with the same minutes each day, under the same simulated learner,
//! knowing its true memory (which no scheduler knows).
//!
//! Lagrangian relaxation with one price per day: each second studied on
//! day `d` is priced at `λ_d ≥ 0`, a missed day has no minutes (no study
//! at all that day, as in the simulation, where every policy misses the
//! same days). With prices, the cards decouple: each card's best schedule
//! maximises its expected exam-day recall minus the priced seconds, and
//!
//! `U(λ) = Σ_d λ_d·B_d + Σ_cards max_schedule E[recall − Σ_d λ_d·seconds_d]`
//!
//! bounds every schedule that spends at most `B_d` on each day `d`, for
//! every `λ ≥ 0` (weak duality). The bound reported is the smallest `U`
//! found: first one price for every study day (golden-section search, as
//! the pooled bound did), then per-day prices by Rprop on the subgradient
//! (`B_d` minus the expected seconds on day `d` under each card's best
//! schedule, from a forward pass of that schedule's state distribution):
//! each day's price is multiplied up when the day is overspent and down
//! when it has time left, by a factor that grows while the direction
//! holds and halves when it turns; every ten steps, a golden-section
//! search on the scale of the whole price vector (the days' prices move
//! together slowly otherwise). Prices rise toward the exam, where every
//! card would like its review. Any `λ ≥ 0` gives a valid bound, so an
//! inexact descent only makes it less tight, never wrong; this one lowered
//! the 1000-card, 15-minute scenario's bound from 94.0% (the earlier
//! subgradient steps, which did not settle) to 87.8%.
//!
//! One card's problem is solved by dynamic programming backwards from the
//! exam: after each answer, review again on any later study day, again the
//! same day (up to [`SAME_DAY`] times more: a same-day review raises
//! stability through FSRS's short-term formula), or never. The memory
//! state lives on a grid (log stability × difficulty); transitions come
//! from the `fsrs` crate. Cards with the same answer-time class share one
//! dynamic programme.
//!
//! Why the grid does not lower the bound: a state off the grid is valued
//! at the grid stability just *above* it (never interpolated downwards),
//! and the value of a card grows with its stability (the test
//! `values_grow_with_stability` checks every grid point of every day's
//! table, at four prices), so rounding can only raise a value. Difficulty is interpolated linearly between grid points
//! a third of a point apart (error of second order); the test
//! `the_grid_never_undercuts_the_exact_programme` compares the grid's
//! values with an exact programme over the true continuous states (no
//! grid) on short horizons, and the grid is never below it. Answer times
//! are rounded down to their class (cheaper time: a looser bound), each
//! day's budget allows the one card that may overrun the minutes, recall
//! is taken [`SLACK`] days early (answers come during the day, not at its
//! start), and an answer's FSRS update uses whole days elapsed (the
//! simulation floors the elapsed time, which can only give a smaller
//! stability gain).

use fsrs::{FSRS, MemoryState};

use crate::simulate::{COSTS, FIRST_RATING, PASS_RATING, Start};

const S_MIN: f32 = 0.05;
const S_MAX: f32 = 36_500.0;
const NS: usize = 96;
const ND: usize = 22;
const NG: usize = NS * ND;
/// Same-day reviews in a row considered after an answer.
pub(crate) const SAME_DAY: usize = 3;
/// Answers happen within the day's sitting, after its start: recall at an
/// answer and at the exam is taken this many days earlier (more recall).
pub(crate) const SLACK: f32 = 0.05;
/// Subgradient steps after the single-price search.
const STEPS: usize = 60;

fn stability(i: usize) -> f32 {
    (S_MIN.ln() + (S_MAX.ln() - S_MIN.ln()) * i as f32 / (NS - 1) as f32).exp()
}

fn difficulty(j: usize) -> f32 {
    1.0 + 9.0 * j as f32 / (ND - 1) as f32
}

fn grid_state(g: usize) -> MemoryState {
    MemoryState {
        stability: stability(g / ND),
        difficulty: difficulty(g % ND),
    }
}

/// Where a state falls on the grid: its stability rounded *up* to a grid
/// point, its difficulty between grid points `at` and `at + 1`, `w` the
/// weight of the second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pos {
    at: u32,
    w: f32,
}

pub(crate) fn pos(m: MemoryState) -> Pos {
    let x = (m.stability.clamp(S_MIN, S_MAX).ln() - S_MIN.ln()) / (S_MAX.ln() - S_MIN.ln())
        * (NS - 1) as f32;
    let i = (x.ceil() as usize).min(NS - 1);
    let y = (m.difficulty.clamp(1.0, 10.0) - 1.0) / 9.0 * (ND - 1) as f32;
    let j = (y as usize).min(ND - 2);
    Pos {
        at: (i * ND + j) as u32,
        w: (y - j as f32).clamp(0.0, 1.0),
    }
}

pub(crate) fn at(values: &[f32], p: Pos) -> f32 {
    let k = p.at as usize;
    values[k] * (1.0 - p.w) + values[k + 1] * p.w
}

/// One review: the outcomes' weights and states, and its expected
/// seconds (before the card's time factor).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step {
    pub(crate) weight: [f32; 4],
    pub(crate) next: [Pos; 4],
    pub(crate) seconds: f32,
}

impl Step {
    pub(crate) fn value(&self, price: f32, after: &[f32]) -> f32 {
        let mut v = -price * self.seconds;
        for r in 0..4 {
            v += self.weight[r] * at(after, self.next[r]);
        }
        v
    }
}

/// A review of a card in state `m`, `e` whole days after its last answer.
pub(crate) fn review(fsrs: &FSRS, decay: f32, m: MemoryState, e: usize) -> Step {
    let p = fsrs::current_retrievability(m, (e as f32 - SLACK).max(0.0), decay);
    let next = fsrs
        .next_states(Some(m), 0.9, e as u32)
        .ok()
        .map_or([m; 4], |n| {
            [n.again.memory, n.hard.memory, n.good.memory, n.easy.memory]
        });
    let pass: f32 = PASS_RATING.iter().sum();
    let mut weight = [1.0 - p, 0.0, 0.0, 0.0];
    let mut seconds = (1.0 - p) * COSTS[1][0];
    for r in 0..3 {
        weight[r + 1] = p * PASS_RATING[r] / pass;
        seconds += weight[r + 1] * COSTS[1][r + 1];
    }
    Step {
        weight,
        next: next.map(pos),
        seconds,
    }
}

/// The learner's model, the exam's distance and which days are study days.
pub(crate) struct Model {
    pub(crate) fsrs: FSRS,
    pub(crate) decay: f32,
    days: usize,
    study: Vec<bool>,
    same_day: usize,
    /// `steps[e * NG + g]`: a review of grid state `g` after `e` days.
    steps: Vec<Step>,
}

/// A dynamic programme's result for one price vector.
pub(crate) struct Table {
    /// `w[t][k][g]`: the best of `recall − priced seconds` for a card just
    /// answered on study day `t` in grid state `g`, with `k` same-day
    /// reviews still allowed (empty on missed days).
    pub(crate) w: Vec<Vec<Vec<f32>>>,
    /// `next[t][g]`: the next review's day with no same-day review left,
    /// or `u8::MAX` for never.
    next: Vec<Vec<u8>>,
}

impl Table {
    fn value(&self, t: usize) -> &[f32] {
        self.w[t].last().map_or(&[], Vec::as_slice)
    }
}

impl Model {
    pub(crate) fn new(
        parameters: &[f32],
        days: usize,
        study: Vec<bool>,
        same_day: usize,
    ) -> Option<Model> {
        let fsrs = FSRS::new(parameters).ok()?;
        let decay = parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::DEFAULT_PARAMETERS[20]);
        let mut steps = Vec::with_capacity(days * NG);
        for e in 0..days {
            for g in 0..NG {
                steps.push(review(&fsrs, decay, grid_state(g), e));
            }
        }
        Some(Model {
            fsrs,
            decay,
            days,
            study,
            same_day,
            steps,
        })
    }

    fn recall(&self, m: MemoryState, days: f32) -> f32 {
        fsrs::current_retrievability(m, days.max(0.0), self.decay)
    }

    /// The programme for a card whose seconds cost `price[d]` on day `d`.
    pub(crate) fn table(&self, price: &[f32]) -> Table {
        let days = self.days;
        let mut w: Vec<Vec<Vec<f32>>> = vec![Vec::new(); days];
        let mut next: Vec<Vec<u8>> = vec![Vec::new(); days];
        for t in (0..days).rev() {
            if !self.study[t] {
                continue;
            }
            let left = days as f32 - t as f32 - SLACK;
            let never: Vec<f32> = (0..NS)
                .map(|i| {
                    self.recall(
                        MemoryState {
                            stability: stability(i),
                            difficulty: 5.0,
                        },
                        left,
                    )
                })
                .collect();
            let mut v0: Vec<f32> = (0..NG).map(|g| never[g / ND]).collect();
            let mut choice = vec![u8::MAX; NG];
            for t2 in t + 1..days {
                if !self.study[t2] {
                    continue;
                }
                let after = w[t2].last().map_or(&[][..], Vec::as_slice);
                let steps = &self.steps[(t2 - t) * NG..(t2 - t + 1) * NG];
                for g in 0..NG {
                    let v = steps[g].value(price[t2], after);
                    if v > v0[g] {
                        v0[g] = v;
                        choice[g] = t2 as u8;
                    }
                }
            }
            let mut levels = vec![v0];
            let same = &self.steps[..NG];
            for _ in 0..self.same_day {
                let last = &levels[levels.len() - 1];
                let wk: Vec<f32> = (0..NG)
                    .map(|g| last[g].max(same[g].value(price[t], last)))
                    .collect();
                levels.push(wk);
            }
            w[t] = levels;
            next[t] = choice;
        }
        Table { w, next }
    }
}

/// A card as the bound sees it: its first decision's options.
enum Card {
    /// New: learned on some study day (the first answer's states, with
    /// its own difficulty), or never.
    New { first: [Pos; 4] },
    /// Learned before: its first review here, per day, or never.
    Known {
        never: f32,
        steps: Vec<Option<Step>>,
    },
}

/// The first answer's states and expected seconds.
pub(crate) fn first_states(fsrs: &FSRS, offset: f32) -> Option<[Pos; 4]> {
    let n = fsrs.next_states(None, 0.9, 0).ok()?;
    let first = [n.again.memory, n.hard.memory, n.good.memory, n.easy.memory];
    Some(first.map(|m| {
        pos(MemoryState {
            stability: m.stability,
            difficulty: (m.difficulty + offset).clamp(1.0, 10.0),
        })
    }))
}

pub(crate) fn first_seconds() -> f32 {
    (0..4).map(|r| FIRST_RATING[r] * COSTS[0][r]).sum()
}

/// Time factors in classes, rounded down: cheaper time, a looser bound.
pub(crate) const CLASSES: usize = 16;

pub(crate) fn class_factor(k: usize) -> f32 {
    0.5 * 1.0968f32.powi(k as i32)
}

/// Each used class's dynamic programme at `price` (scaled by the class's
/// time factor), on every core; None for the classes no card is in.
pub(crate) fn class_tables(model: &Model, price: &[f32], used: &[bool]) -> Vec<Option<Table>> {
    use rayon::prelude::*;
    (0..CLASSES)
        .into_par_iter()
        .map(|k| {
            used[k].then(|| {
                let f = class_factor(k);
                let p: Vec<f32> = price.iter().map(|l| l * f).collect();
                model.table(&p)
            })
        })
        .collect()
}

pub(crate) fn class(time: f32) -> usize {
    (0..CLASSES)
        .rposition(|k| class_factor(k) <= time)
        .unwrap_or(0)
}

struct Problem<'a> {
    model: &'a Model,
    cards: Vec<(usize, Card)>,
    budget: &'a [f32],
}

impl Problem<'_> {
    /// `U(λ)` per card, and with `seconds`, the expected seconds on each
    /// day under the cards' best schedules (for the subgradient).
    fn dual(&self, price: &[f32], seconds: Option<&mut Vec<f32>>) -> f32 {
        use rayon::prelude::*;
        let model = self.model;
        let used: Vec<bool> = (0..CLASSES)
            .map(|k| self.cards.iter().any(|(c, _)| *c == k))
            .collect();
        let tables = class_tables(model, price, &used);
        let mut total: f32 = price.iter().zip(self.budget).map(|(l, b)| l * b).sum();
        let mut spent = vec![0.0f32; model.days];
        // Forward passes are shared by cards with the same first choice.
        let mut starts: Vec<(usize, usize, [Pos; 4], [f32; 4])> = Vec::new();
        for (k, card) in &self.cards {
            let Some(table) = &tables[*k] else { continue };
            let f = class_factor(*k);
            let (value, first) = match card {
                Card::New { first } => {
                    let mut best = (0.0f32, None);
                    for t in (0..model.days).filter(|t| model.study[*t]) {
                        let after = table.value(t);
                        let mut v = -price[t] * f * first_seconds();
                        for r in 0..4 {
                            v += FIRST_RATING[r] * at(after, first[r]);
                        }
                        if v > best.0 {
                            best = (v, Some((t, *first, FIRST_RATING, first_seconds())));
                        }
                    }
                    best
                }
                Card::Known { never, steps } => {
                    let mut best = (*never, None);
                    for (t, step) in steps.iter().enumerate() {
                        let Some(step) = step else { continue };
                        let v = step.value(price[t] * f, table.value(t));
                        if v > best.0 {
                            best = (v, Some((t, step.next, step.weight, step.seconds)));
                        }
                    }
                    best
                }
            };
            total += value;
            if let Some((t, next, weight, s)) = first {
                spent[t] += f * s;
                starts.push((*k, t, next, weight));
            }
        }
        if let Some(seconds) = seconds {
            // The cards' later reviews: one forward pass per class and
            // first day, its states' masses summed over the cards.
            let mut groups: Vec<((usize, usize), Vec<f32>)> = Vec::new();
            for (k, t, next, weight) in starts {
                let i = match groups.iter().position(|(key, _)| *key == (k, t)) {
                    Some(i) => i,
                    None => {
                        groups.push(((k, t), vec![0.0; NG]));
                        groups.len() - 1
                    }
                };
                for r in 0..4 {
                    spread(&mut groups[i].1, next[r], weight[r]);
                }
            }
            let passes: Vec<Vec<f32>> = groups
                .par_iter()
                .map(|((k, t), mass)| {
                    let table = tables[*k]
                        .as_ref()
                        .map_or_else(Vec::new, |table| model.forward(table, *t, mass.clone()));
                    let f = class_factor(*k);
                    table.into_iter().map(|s| s * f).collect()
                })
                .collect();
            for pass in passes {
                for (d, s) in pass.into_iter().enumerate() {
                    spent[d] += s;
                }
            }
            *seconds = spent;
        }
        total / self.cards.len().max(1) as f32
    }
}

fn spread(mass: &mut [f32], p: Pos, m: f32) {
    let k = p.at as usize;
    mass[k] += m * (1.0 - p.w);
    mass[k + 1] += m * p.w;
}

impl Model {
    /// Expected seconds per day (before time factors) of the best schedule
    /// from `mass`, the states just after an answer on day `t0` with every
    /// same-day review still allowed.
    fn forward(&self, table: &Table, t0: usize, mass: Vec<f32>) -> Vec<f32> {
        let mut spent = vec![0.0f32; self.days];
        // Arrivals per day, at the top level (every same-day review allowed).
        let mut arrive: Vec<Vec<f32>> = vec![Vec::new(); self.days];
        arrive[t0] = mass;
        for t in t0..self.days {
            let mut cur = std::mem::take(&mut arrive[t]);
            if cur.is_empty() || table.w[t].is_empty() {
                continue;
            }
            let same = &self.steps[..NG];
            for k in (1..=self.same_day).rev() {
                let (wk, below) = (&table.w[t][k], &table.w[t][k - 1]);
                let mut lower = vec![0.0f32; NG];
                for g in 0..NG {
                    let m = cur[g];
                    if m == 0.0 {
                        continue;
                    }
                    if wk[g] > below[g] {
                        spent[t] += m * same[g].seconds;
                        for r in 0..4 {
                            spread(&mut lower, same[g].next[r], m * same[g].weight[r]);
                        }
                    } else {
                        lower[g] += m;
                    }
                }
                cur = lower;
            }
            for (g, &m) in cur.iter().enumerate() {
                let t2 = table.next[t][g] as usize;
                if m == 0.0 || t2 >= self.days {
                    continue;
                }
                let step = &self.steps[(t2 - t) * NG + g];
                spent[t2] += m * step.seconds;
                if arrive[t2].is_empty() {
                    arrive[t2] = vec![0.0; NG];
                }
                for r in 0..4 {
                    spread(&mut arrive[t2], step.next[r], m * step.weight[r]);
                }
            }
        }
        spent
    }
}

/// Golden-section search for the smallest `f(x)` on `lo..hi` in `steps`
/// steps, never worse than `f(start)`: the smallest value and its `x`.
fn minimise(f: impl Fn(f32) -> f32, lo: f32, hi: f32, steps: usize, start: f32) -> (f32, f32) {
    let (mut a, mut b) = (lo, hi);
    let g = 0.618_034f32;
    let (mut x1, mut x2) = (b - g * (b - a), a + g * (b - a));
    let (mut f1, mut f2) = (f(x1), f(x2));
    let mut best = (f(start), start);
    for _ in 0..steps {
        if f1 < f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = f(x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = f(x2);
        }
        for (v, x) in [(f1, x1), (f2, x2)] {
            if v < best.0 {
                best = (v, x);
            }
        }
    }
    best
}

/// The smallest `U` with one price `x·shape[d]`, and its `x`. At 0.05 a
/// second (20 s for a card's whole recall), no second is worth studying.
fn golden(problem: &Problem, shape: &[f32]) -> (f32, f32) {
    let dual = |x: f32| -> f32 {
        let price: Vec<f32> = shape.iter().map(|s| s * x).collect();
        problem.dual(&price, None)
    };
    minimise(dual, 0.0, 0.05, 16, 0.0)
}

/// The best scale `c` in 0.3–3 of `price` (searched on a log scale): the
/// smallest `U` and its `c`.
fn golden_scale(problem: &Problem, price: &[f32]) -> (f32, f32) {
    let dual = |log_c: f32| -> f32 {
        let p: Vec<f32> = price.iter().map(|l| l * log_c.exp()).collect();
        problem.dual(&p, None)
    };
    let (u, log_c) = minimise(dual, 0.3f32.ln(), 3.0f32.ln(), 8, 0.0);
    (u, log_c.exp())
}

fn problem<'a>(model: &'a Model, starts: &[Start], budget: &'a [f32]) -> Option<Problem<'a>> {
    let mut cards = Vec::with_capacity(starts.len());
    for c in starts {
        let card = match c.truth {
            None => Card::New {
                first: first_states(&model.fsrs, c.difficulty)?,
            },
            Some(m) => {
                let since = c.days_since.max(0.0);
                let steps = (0..model.days)
                    .map(|t| {
                        model.study[t].then(|| {
                            let e = (since + t as f32).floor() as usize;
                            review(&model.fsrs, model.decay, m, e)
                        })
                    })
                    .collect();
                Card::Known {
                    never: model.recall(m, since + model.days as f32 - SLACK),
                    steps,
                }
            }
        };
        cards.push((class(c.time), card));
    }
    Some(Problem {
        model,
        cards,
        budget,
    })
}

/// The bound for cards starting as `starts`, with `budget[d]` seconds on
/// day `d` (0 on a missed day) and the exam the day after the last.
/// `same_day`: how many same-day reviews in a row a schedule may give
/// ([`SAME_DAY`] for the benchmark; 0 shows how much they are worth).
pub(crate) fn bound(
    parameters: &[f32],
    starts: &[Start],
    budget: &[f32],
    same_day: usize,
) -> Option<f32> {
    let days = budget.len();
    let study: Vec<bool> = budget.iter().map(|b| *b > 0.0).collect();
    let model = Model::new(parameters, days, study, same_day)?;
    Some(solve(&model, starts, budget)?.0)
}

/// The smallest `U` found for the model, capped at 1, and its prices.
pub(crate) fn solve(model: &Model, starts: &[Start], budget: &[f32]) -> Option<(f32, Vec<f32>)> {
    let days = budget.len();
    let study = model.study.clone();
    let problem = problem(model, starts, budget)?;
    // Warm start: one price for every study day.
    let shape: Vec<f32> = study.iter().map(|s| f32::from(u8::from(*s))).collect();
    let (mut best, x) = golden(&problem, &shape);
    let mut price: Vec<f32> = shape.iter().map(|s| s * x).collect();
    let mut best_price = price.clone();
    let floor = 1e-3 * x.max(1e-6);
    let mut rate = vec![0.3f32; days];
    let mut last = vec![0i8; days];
    let mut seconds = Vec::new();
    for k in 0..STEPS {
        let u = problem.dual(&price, Some(&mut seconds));
        if u < best {
            best = u;
            best_price.clone_from(&price);
        }
        // Every tenth step, the best scale of the whole price vector
        // (the days move together slowly under the per-day steps).
        if k % 10 == 9 {
            let (u, c) = golden_scale(&problem, &price);
            if u < best {
                best = u;
                best_price = price.iter().map(|p| p * c).collect();
            }
            for p in &mut price {
                *p *= c;
            }
            problem.dual(&price, Some(&mut seconds));
        }
        // Each day's price on its own, in proportion (Rprop): up when the
        // day's best schedules overspend it, down when they leave time;
        // the step grows while the direction holds and halves when it
        // turns.
        for d in 0..days {
            if !study[d] {
                continue;
            }
            let g = budget[d] - seconds[d];
            let sign: i8 = if g.abs() < 1.0 {
                0
            } else if g > 0.0 {
                -1
            } else {
                1
            };
            if sign != 0 && sign == last[d] {
                rate[d] = (rate[d] * 1.2).min(1.0);
            } else if sign != 0 && sign == -last[d] {
                rate[d] = (rate[d] * 0.5).max(1e-3);
            }
            last[d] = sign;
            price[d] = (price[d].max(floor) * (rate[d] * f32::from(sign)).exp()).max(0.0);
        }
    }
    Some((best.min(1.0), best_price))
}

/// The pooled bound this one replaces: every day's minutes pooled into
/// one total with one price, missed days counted as study days.
pub(crate) fn pooled(
    parameters: &[f32],
    starts: &[Start],
    budget: &[f32],
    same_day: usize,
) -> Option<f32> {
    let days = budget.len();
    let model = Model::new(parameters, days, vec![true; days], same_day)?;
    let total = budget.iter().sum::<f32>() / days.max(1) as f32;
    let even = vec![total; days];
    let problem = problem(&model, starts, &even)?;
    Some(golden(&problem, &vec![1.0; days]).0.min(1.0))
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
        ] {
            let (cards, budget) = starts(&s, &p, seed).expect("starts");
            let tight = bound(&p, &cards, &budget, SAME_DAY).expect("bound");
            let loose = pooled(&p, &cards, &budget, SAME_DAY).expect("pooled");
            assert!(tight <= loose + 1e-4, "{tight} vs pooled {loose}");
            let more: Vec<f32> = budget.iter().map(|b| 4.0 * b).collect();
            let plenty = bound(&p, &cards, &more, SAME_DAY).expect("bound");
            assert!(tight <= plenty + 1e-4 && plenty <= 1.0, "{tight} {plenty}");
            let none = vec![0.0; budget.len()];
            let floor = cards
                .iter()
                .filter_map(|c| {
                    c.truth.map(|m| {
                        fsrs::current_retrievability(
                            m,
                            c.days_since + s.days as f32,
                            fsrs::DEFAULT_PARAMETERS[20],
                        )
                    })
                })
                .sum::<f32>()
                / cards.len() as f32;
            let idle = bound(&p, &cards, &none, SAME_DAY).expect("bound");
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

    #[test]
    fn values_grow_with_stability() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 12;
        let model = Model::new(&p, days, vec![true; days], SAME_DAY).expect("model");
        for price in [0.0, 0.002, 0.01, 0.05] {
            let table = model.table(&vec![price; days]);
            for t in 0..days {
                for level in &table.w[t] {
                    for g in ND..NG {
                        assert!(
                            level[g] >= level[g - ND] - 1e-5,
                            "day {t}, price {price}: {} < {} at {:?}",
                            level[g],
                            level[g - ND],
                            grid_state(g)
                        );
                    }
                }
            }
        }
    }

    /// The best of `recall − price·seconds` for a card in state `m` just
    /// answered on day `t`, over the exact continuous states (no grid),
    /// without same-day reviews.
    fn exact(model: &Model, price: f32, m: MemoryState, t: usize) -> f32 {
        let mut best = model.recall(m, model.days as f32 - t as f32 - SLACK);
        for t2 in t + 1..model.days {
            let e = t2 - t;
            let p = model.recall(m, e as f32 - SLACK);
            let Ok(n) = model.fsrs.next_states(Some(m), 0.9, e as u32) else {
                continue;
            };
            let pass: f32 = PASS_RATING.iter().sum();
            let mut v = -price * (1.0 - p) * COSTS[1][0];
            v += (1.0 - p) * exact(model, price, n.again.memory, t2);
            for (r, next) in [n.hard.memory, n.good.memory, n.easy.memory]
                .into_iter()
                .enumerate()
            {
                let share = p * PASS_RATING[r] / pass;
                v += share * (exact(model, price, next, t2) - price * COSTS[1][r + 1]);
            }
            best = best.max(v);
        }
        best
    }

    #[test]
    fn the_grid_never_undercuts_the_exact_programme() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 6;
        let model = Model::new(&p, days, vec![true; days], 0).expect("model");
        for price in [0.0, 0.003, 0.02] {
            let table = model.table(&vec![price; days]);
            for s in [0.3, 1.1, 2.7, 6.0, 19.0] {
                for d in [1.5, 4.2, 7.7, 9.6] {
                    let m = MemoryState {
                        stability: s,
                        difficulty: d,
                    };
                    let grid = at(table.value(0), pos(m));
                    let exact = exact(&model, price, m, 0);
                    assert!(grid >= exact - 1e-4, "{m:?} at {price}: {grid} < {exact}");
                }
            }
        }
    }
}
