//! An upper bound on the mean exam-day recall any schedule could reach
//! with the same minutes each day, under the same simulated learner,
//! knowing its true memory (which no scheduler knows), in expectation
//! over the draws of the cards' types.
//!
//! Lagrangian relaxation with two prices per day. A policy starts an
//! answer only while the day's seconds so far are under its allowance
//! `A_d` (the simulation's loop), so the day's seconds *without its last
//! answer* stay under `A_d`: every day has at most one free answer, the
//! one that overruns. Each second studied on day `d` is priced at
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

use fsrs::{FSRS, MemoryState};

use crate::simulate::{
    COSTS, FIRST_RATING, LONGEST_ANSWER, PASS_RATING, Start, card_type, spread_density,
};

const S_MIN: f32 = 0.05;
const S_MAX: f32 = 36_500.0;
/// Stabilities on the grid, ×1.073 apart: rounding a state up to the next
/// one grants it more memory than it has, which 96 (×1.15) did enough to
/// lift the 300-card, 14-day bound by 0.3 points (384 lower it 0.1 more).
const NS: usize = 192;
const ND: usize = 22;
const NG: usize = NS * ND;
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

/// A state's stability rounded up to the grid, as the programme values it
/// (analysis: a learner kept on the grid remembers as the programme plans).
pub(crate) fn on_grid(m: MemoryState) -> MemoryState {
    let p = pos(m);
    MemoryState {
        stability: stability(p.at as usize / ND),
        difficulty: m.difficulty,
    }
}

pub(crate) fn at(values: &[f32], p: Pos) -> f32 {
    let k = p.at as usize;
    values[k] * (1.0 - p.w) + values[k + 1] * p.w
}

/// One answer: the outcomes' weights and states, and each outcome's
/// seconds (before the card's time factor).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step {
    pub(crate) weight: [f32; 4],
    pub(crate) next: [Pos; 4],
    pub(crate) cost: [f32; 4],
}

impl Step {
    /// Expected recall after the answer minus its price: each outcome's
    /// seconds at `price` a second, or the day's free answer at `free`
    /// when that is cheaper (the answer that overruns the day's minutes;
    /// chosen after the outcome is known, which only loosens the bound).
    pub(crate) fn value(&self, price: f32, free: f32, after: &[f32]) -> f32 {
        let mut v = 0.0;
        for r in 0..4 {
            v += self.weight[r] * (at(after, self.next[r]) - (price * self.cost[r]).min(free));
        }
        v
    }

    /// Expected seconds paid for (before the time factor) and expected
    /// free answers taken, at `price` and `free` as in [`Step::value`].
    pub(crate) fn spend(&self, price: f32, free: f32) -> (f32, f32) {
        let (mut paid, mut taken) = (0.0, 0.0);
        for r in 0..4 {
            if price * self.cost[r] <= free {
                paid += self.weight[r] * self.cost[r];
            } else {
                taken += self.weight[r];
            }
        }
        (paid, taken)
    }

    /// Expected seconds (before the time factor).
    pub(crate) fn seconds(&self) -> f32 {
        (0..4).map(|r| self.weight[r] * self.cost[r]).sum()
    }
}

/// A review of a card in state `m`, `e` whole days after its last answer,
/// recall taken `slack` days early.
pub(crate) fn review(fsrs: &FSRS, decay: f32, slack: f32, m: MemoryState, e: usize) -> Step {
    let p = fsrs::current_retrievability(m, (e as f32 - slack).max(0.0), decay);
    let next = fsrs
        .next_states(Some(m), 0.9, e as u32)
        .ok()
        .map_or([m; 4], |n| {
            [n.again.memory, n.hard.memory, n.good.memory, n.easy.memory]
        });
    let pass: f32 = PASS_RATING.iter().sum();
    let mut weight = [1.0 - p, 0.0, 0.0, 0.0];
    for r in 0..3 {
        weight[r + 1] = p * PASS_RATING[r] / pass;
    }
    Step {
        weight,
        next: next.map(pos),
        cost: COSTS[1],
    }
}

/// The learner's model, the exam's distance and which days are study days.
pub(crate) struct Model {
    pub(crate) fsrs: FSRS,
    pub(crate) decay: f32,
    /// Recall at an answer and at the exam is taken this many days early:
    /// the longest a day's sitting runs before its last answer starts
    /// (answers come during the day, not at its start).
    pub(crate) slack: f32,
    days: usize,
    pub(crate) study: Vec<bool>,
    same_day: usize,
    /// `steps[e * NG + g]`: a review of grid state `g` after `e` days.
    steps: Vec<Step>,
    parameters: Vec<f32>,
    /// The chance that a study day after the first is missed, for a
    /// planner that does not know which will be (`--mpc --blind`): a plan
    /// for a missed day falls to the best plan from the next day on. 0 for
    /// the bound, which knows the missed days.
    pub(crate) miss: f32,
    /// The days, from the model's first, known to be study days (today,
    /// for a planner; none for the bound not knowing the missed days).
    pub(crate) sure: usize,
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
    /// With missed days ([`Model::miss`]): `then[t][t2][g]`, the review's
    /// day planned if day `t2`'s is missed (empty when none are).
    then: Vec<Vec<Vec<u8>>>,
    /// The prices it was solved at: a second (the time factor included)
    /// and the free answer, per day.
    price: Vec<f32>,
    free: Vec<f32>,
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
        slack: f32,
    ) -> Option<Model> {
        let fsrs = FSRS::new(parameters).ok()?;
        let decay = parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::DEFAULT_PARAMETERS[20]);
        let mut steps = Vec::with_capacity(days * NG);
        for e in 0..days {
            for g in 0..NG {
                steps.push(review(&fsrs, decay, slack, grid_state(g), e));
            }
        }
        Some(Model {
            fsrs,
            decay,
            slack,
            days,
            study,
            same_day,
            steps,
            parameters: parameters.to_vec(),
            miss: 0.0,
            sure: 0,
        })
    }

    /// The same model for the days from `from` on (day `from` its first),
    /// sharing the reviews already computed (a review depends on the days
    /// between answers only). None past the last day.
    pub(crate) fn tail(&self, from: usize) -> Option<Model> {
        if from >= self.days {
            return None;
        }
        let days = self.days - from;
        Some(Model {
            fsrs: FSRS::new(&self.parameters).ok()?,
            decay: self.decay,
            slack: self.slack,
            days,
            study: self.study[from..].to_vec(),
            same_day: self.same_day,
            steps: self.steps[..days * NG].to_vec(),
            parameters: self.parameters.clone(),
            miss: self.miss,
            sure: self.sure.saturating_sub(from),
        })
    }

    /// The chance that study day `t` is studied (see [`Model::miss`]).
    pub(crate) fn chance(&self, t: usize) -> f32 {
        if t < self.sure { 1.0 } else { 1.0 - self.miss }
    }

    /// A review of a card in state `m`, `e` whole days after its last
    /// answer.
    pub(crate) fn review(&self, m: MemoryState, e: usize) -> Step {
        review(&self.fsrs, self.decay, self.slack, m, e)
    }

    fn recall(&self, m: MemoryState, days: f32) -> f32 {
        fsrs::current_retrievability(m, days.max(0.0), self.decay)
    }

    /// The programme for a card whose seconds cost `price[d]` on day `d`
    /// and whose answer may be the day's free one at `free[d]`.
    pub(crate) fn table(&self, price: &[f32], free: &[f32]) -> Table {
        let days = self.days;
        let mut w: Vec<Vec<Vec<f32>>> = vec![Vec::new(); days];
        let mut next: Vec<Vec<u8>> = vec![Vec::new(); days];
        let mut then: Vec<Vec<Vec<u8>>> = vec![Vec::new(); days];
        for t in (0..days).rev() {
            if !self.study[t] {
                continue;
            }
            let left = days as f32 - t as f32 - self.slack;
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
            if self.miss > 0.0 {
                // From the last day back: the best plan from day `t2` on
                // is its review, or, if `t2` is missed, the best plan from
                // the day after; kept if better than planning later.
                let mut fall = vec![Vec::new(); days];
                for t2 in (t + 1..days).rev() {
                    if !self.study[t2] {
                        continue;
                    }
                    let after = w[t2].last().map_or(&[][..], Vec::as_slice);
                    let steps = &self.steps[(t2 - t) * NG..(t2 - t + 1) * NG];
                    fall[t2] = choice.clone();
                    let c = self.chance(t2);
                    for g in 0..NG {
                        let v = c * steps[g].value(price[t2], free[t2], after) + (1.0 - c) * v0[g];
                        if v > v0[g] {
                            v0[g] = v;
                            choice[g] = t2 as u8;
                        }
                    }
                }
                then[t] = fall;
            } else {
                for t2 in t + 1..days {
                    if !self.study[t2] {
                        continue;
                    }
                    let after = w[t2].last().map_or(&[][..], Vec::as_slice);
                    let steps = &self.steps[(t2 - t) * NG..(t2 - t + 1) * NG];
                    for g in 0..NG {
                        let v = steps[g].value(price[t2], free[t2], after);
                        if v > v0[g] {
                            v0[g] = v;
                            choice[g] = t2 as u8;
                        }
                    }
                }
            }
            let mut levels = vec![v0];
            let same = &self.steps[..NG];
            for _ in 0..self.same_day {
                let last = &levels[levels.len() - 1];
                let wk: Vec<f32> = (0..NG)
                    .map(|g| last[g].max(same[g].value(price[t], free[t], last)))
                    .collect();
                levels.push(wk);
            }
            w[t] = levels;
            next[t] = choice;
        }
        Table {
            w,
            next,
            then,
            price: price.to_vec(),
            free: free.to_vec(),
        }
    }
}

/// A card as the bound sees it: its first decision's options.
#[derive(Clone)]
enum Card {
    /// New: learned on some study day (the first answer, with its own
    /// difficulty), or never.
    New { first: Step },
    /// Learned before: its first review here, per day, or never.
    Known {
        never: f32,
        steps: Vec<Option<Step>>,
    },
}

/// A new card's first answer, with the card's difficulty offset.
pub(crate) fn first_step(fsrs: &FSRS, offset: f32) -> Option<Step> {
    let n = fsrs.next_states(None, 0.9, 0).ok()?;
    let first = [n.again.memory, n.hard.memory, n.good.memory, n.easy.memory];
    Some(Step {
        weight: FIRST_RATING,
        next: first.map(|m| {
            pos(MemoryState {
                stability: m.stability,
                difficulty: (m.difficulty + offset).clamp(1.0, 10.0),
            })
        }),
        cost: COSTS[0],
    })
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
            pool.push((k, pk * po, first_step(fsrs, offset)?));
        }
    }
    Some(pool)
}

/// Answer-time factors in classes, 0.5 to 2 (the simulation's range)
/// evenly on a log scale. A card between two classes is valued on the
/// chord between them, which is above its value at its own time: a
/// card's best `recall − price·factor·seconds` is a maximum of functions
/// linear in the factor, so convex in it.
pub(crate) const CLASSES: usize = 16;

pub(crate) fn class_factor(k: usize) -> f32 {
    if k + 1 >= CLASSES {
        2.0
    } else {
        0.5 * 4f32.powf(k as f32 / (CLASSES - 1) as f32)
    }
}

/// Each used class's dynamic programme at `price` (scaled by the class's
/// time factor) and `free`, on every core; None for the classes no card
/// is in.
pub(crate) fn class_tables(
    model: &Model,
    price: &[f32],
    free: &[f32],
    used: &[bool],
) -> Vec<Option<Table>> {
    use rayon::prelude::*;
    (0..CLASSES)
        .into_par_iter()
        .map(|k| {
            used[k].then(|| {
                let f = class_factor(k);
                let p: Vec<f32> = price.iter().map(|l| l * f).collect();
                model.table(&p, free)
            })
        })
        .collect()
}

/// The class at or below an answer-time factor.
pub(crate) fn class(time: f32) -> usize {
    (0..CLASSES)
        .rposition(|k| class_factor(k) <= time)
        .unwrap_or(0)
}

/// The two classes around an answer-time factor and their weights on the
/// chord (the factor is their weighted mean).
pub(crate) fn chord(time: f32) -> [(usize, f32); 2] {
    let k = class(time);
    if k + 1 >= CLASSES {
        return [(k, 1.0), (k, 0.0)];
    }
    let (a, b) = (class_factor(k), class_factor(k + 1));
    let w = ((time - a) / (b - a)).clamp(0.0, 1.0);
    [(k, 1.0 - w), (k + 1, w)]
}

/// The free answer's price on each day: `kappa[d]` seconds at `price[d]`
/// (infinite: no free answer).
fn frees(price: &[f32], kappa: &[f32]) -> Vec<f32> {
    price
        .iter()
        .zip(kappa)
        .map(|(l, k)| if k.is_finite() { l * k } else { f32::INFINITY })
        .collect()
}

struct Problem<'a> {
    model: &'a Model,
    /// Each card's share in a class: the class, the weight, the card.
    cards: Vec<(usize, f32, Card)>,
    /// New cards valued blind to their type ([`Unseen::Blind`]), and the
    /// distribution of that type (empty when none are).
    unseen: usize,
    prior: Vec<(usize, f32, Step)>,
    count: usize,
    budget: &'a [f32],
}

/// What the cards' best schedules spend per day: seconds paid for and
/// free answers taken.
#[derive(Default)]
struct Spend {
    seconds: Vec<f32>,
    free: Vec<f32>,
}

impl Problem<'_> {
    /// `U(λ, μ)` per card (`price` = λ, `free` = μ), and with `spend`,
    /// what the cards' best schedules spend on each day (for the
    /// subgradient).
    fn dual(&self, price: &[f32], free: &[f32], spend: Option<&mut Spend>) -> f32 {
        use rayon::prelude::*;
        let model = self.model;
        let used: Vec<bool> = (0..CLASSES)
            .map(|k| {
                self.cards.iter().any(|(c, w, _)| *c == k && *w > 0.0)
                    || self.prior.iter().any(|(c, w, _)| *c == k && *w > 0.0)
            })
            .collect();
        let tables = class_tables(model, price, free, &used);
        // The days' budgets and free answers, on the days studied (in
        // expectation, when they may be missed).
        let mut total: f32 = (0..model.days)
            .map(|d| model.chance(d) * price[d] * self.budget[d])
            .sum();
        total += (0..model.days)
            .filter(|d| model.study[*d] && free[*d].is_finite())
            .map(|d| model.chance(d) * free[d])
            .sum::<f32>();
        let mut spent = vec![0.0f32; model.days];
        let mut taken = vec![0.0f32; model.days];
        // Forward passes are shared by cards with the same first choice.
        let mut starts: Vec<(usize, usize, Step, f32)> = Vec::new();
        for (k, share, card) in &self.cards {
            if *share <= 0.0 {
                continue;
            }
            let Some(table) = &tables[*k] else { continue };
            let f = class_factor(*k);
            let (options, never): (Vec<(usize, Step)>, f32) = match card {
                Card::New { first } => (
                    (0..model.days)
                        .filter(|t| model.study[*t])
                        .map(|t| (t, *first))
                        .collect(),
                    0.0,
                ),
                Card::Known { never, steps } => (
                    steps
                        .iter()
                        .enumerate()
                        .filter_map(|(t, s)| Some((t, (*s)?)))
                        .collect(),
                    *never,
                ),
            };
            let values: Vec<(usize, f32)> = options
                .iter()
                .map(|(t, step)| (*t, step.value(price[*t] * f, free[*t], table.value(*t))))
                .collect();
            let (value, plan) = first_plan(&values, never, &|t| model.chance(t));
            total += share * value;
            for (i, chance) in plan {
                let (t, step) = options[i];
                let (paid, took) = step.spend(price[t] * f, free[t]);
                spent[t] += share * chance * f * paid;
                taken[t] += share * chance * took;
                starts.push((*k, t, step, share * chance));
            }
        }
        if self.unseen > 0 {
            // Every unseen card takes the first day best for the average
            // card (or never), each of its types in its share.
            let n = self.unseen as f32;
            let values: Vec<(usize, f32)> = (0..model.days)
                .filter(|t| model.study[*t])
                .map(|t| {
                    let v = self
                        .prior
                        .iter()
                        .filter_map(|(k, q, first)| {
                            let table = tables[*k].as_ref()?;
                            Some(
                                q * first.value(
                                    price[t] * class_factor(*k),
                                    free[t],
                                    table.value(t),
                                ),
                            )
                        })
                        .sum();
                    (t, v)
                })
                .collect();
            let (value, plan) = first_plan(&values, 0.0, &|t| model.chance(t));
            total += n * value;
            for (i, chance) in plan {
                let t = values[i].0;
                for (k, q, first) in &self.prior {
                    let f = class_factor(*k);
                    let (paid, took) = first.spend(price[t] * f, free[t]);
                    spent[t] += n * q * chance * f * paid;
                    taken[t] += n * q * chance * took;
                    starts.push((*k, t, *first, n * q * chance));
                }
            }
        }
        if let Some(spend) = spend {
            // The cards' later reviews: one forward pass per class and
            // first day, its states' masses summed over the cards.
            let mut groups: Vec<((usize, usize), Vec<f32>)> = Vec::new();
            for (k, t, step, share) in starts {
                let i = match groups.iter().position(|(key, _)| *key == (k, t)) {
                    Some(i) => i,
                    None => {
                        groups.push(((k, t), vec![0.0; NG]));
                        groups.len() - 1
                    }
                };
                for r in 0..4 {
                    spread(&mut groups[i].1, step.next[r], share * step.weight[r]);
                }
            }
            let passes: Vec<(f32, Spend)> = groups
                .par_iter()
                .map(|((k, t), mass)| {
                    let pass = tables[*k].as_ref().map_or_else(Spend::default, |table| {
                        model.forward(table, *t, mass.clone())
                    });
                    (class_factor(*k), pass)
                })
                .collect();
            for (f, pass) in passes {
                for (d, s) in pass.seconds.into_iter().enumerate() {
                    spent[d] += f * s;
                }
                for (d, q) in pass.free.into_iter().enumerate() {
                    taken[d] += q;
                }
            }
            spend.seconds = spent;
            spend.free = taken;
        }
        total / self.count.max(1) as f32
    }
}

/// The best first decision among `options` (each study day's value, in
/// day order) and `never`: its value, and the options it is taken at
/// with their chances. A day studied by `chance` less than 1 may be
/// missed, and its plan then falls to the best from the next day on.
pub(crate) fn first_plan(
    options: &[(usize, f32)],
    never: f32,
    chance: &dyn Fn(usize) -> f32,
) -> (f32, Vec<(usize, f32)>) {
    if options.iter().all(|(t, _)| chance(*t) >= 1.0) {
        let mut best = (never, None);
        for (i, (_, v)) in options.iter().enumerate() {
            if *v > best.0 {
                best = (*v, Some(i));
            }
        }
        return (best.0, best.1.map(|i| (i, 1.0)).into_iter().collect());
    }
    let mut best = (never, None);
    let mut fall = vec![None; options.len()];
    for (i, (t, v)) in options.iter().enumerate().rev() {
        fall[i] = best.1;
        let c = chance(*t) * v + (1.0 - chance(*t)) * best.0;
        if c > best.0 {
            best = (c, Some(i));
        }
    }
    let mut plan = Vec::new();
    let (mut at, mut left) = (best.1, 1.0);
    while let Some(i) = at {
        let c = chance(options[i].0);
        plan.push((i, left * c));
        left *= 1.0 - c;
        at = if left > 0.0 { fall[i] } else { None };
    }
    (best.0, plan)
}

fn spread(mass: &mut [f32], p: Pos, m: f32) {
    let k = p.at as usize;
    mass[k] += m * (1.0 - p.w);
    mass[k + 1] += m * p.w;
}

impl Model {
    /// Expected seconds paid for per day (before time factors) and free
    /// answers taken per day, under the best schedule from `mass`, the
    /// states just after an answer on day `t0` with every same-day review
    /// still allowed.
    fn forward(&self, table: &Table, t0: usize, mass: Vec<f32>) -> Spend {
        let mut spent = vec![0.0f32; self.days];
        let mut taken = vec![0.0f32; self.days];
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
                        let (paid, took) = same[g].spend(table.price[t], table.free[t]);
                        spent[t] += m * paid;
                        taken[t] += m * took;
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
                let mut t2 = table.next[t][g] as usize;
                if m == 0.0 {
                    continue;
                }
                // With missed days, what is not reviewed on the planned
                // day goes on to the plan for the days after it.
                let mut m = m;
                while t2 < self.days {
                    let done = m * self.chance(t2);
                    let step = &self.steps[(t2 - t) * NG + g];
                    let (paid, took) = step.spend(table.price[t2], table.free[t2]);
                    spent[t2] += done * paid;
                    taken[t2] += done * took;
                    if arrive[t2].is_empty() {
                        arrive[t2] = vec![0.0; NG];
                    }
                    for r in 0..4 {
                        spread(&mut arrive[t2], step.next[r], done * step.weight[r]);
                    }
                    m -= done;
                    if self.miss <= 0.0 {
                        break;
                    }
                    t2 = table.then[t][t2][g] as usize;
                }
            }
        }
        Spend {
            seconds: spent,
            free: taken,
        }
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

/// The smallest `U` with one price `x·shape[d]` (the free answer at
/// `kappa[d]` seconds of it), and its `x`. At 0.05 a second (20 s for a
/// card's whole recall), no second is worth studying.
fn golden(problem: &Problem, shape: &[f32], kappa: &[f32]) -> (f32, f32) {
    let dual = |x: f32| -> f32 {
        let price: Vec<f32> = shape.iter().map(|s| s * x).collect();
        problem.dual(&price, &frees(&price, kappa), None)
    };
    minimise(dual, 0.0, 0.05, 16, 0.0)
}

/// The best scale `c` in 0.3–3 of `price` (searched on a log scale): the
/// smallest `U` and its `c`.
fn golden_scale(problem: &Problem, price: &[f32], kappa: &[f32]) -> (f32, f32) {
    let dual = |log_c: f32| -> f32 {
        let p: Vec<f32> = price.iter().map(|l| l * log_c.exp()).collect();
        problem.dual(&p, &frees(&p, kappa), None)
    };
    let (u, log_c) = minimise(dual, 0.3f32.ln(), 3.0f32.ln(), 8, 0.0);
    (u, log_c.exp())
}

fn problem<'a>(
    model: &'a Model,
    starts: &[Start],
    budget: &'a [f32],
    unseen: Unseen,
) -> Option<Problem<'a>> {
    let mut cards = Vec::with_capacity(2 * starts.len());
    let mut blind = 0;
    for c in starts {
        if unseen == Unseen::Blind && c.truth.is_none() {
            blind += 1;
            continue;
        }
        let card = match c.truth {
            None => Card::New {
                first: first_step(&model.fsrs, c.difficulty)?,
            },
            Some(m) => {
                let since = c.days_since.max(0.0);
                let steps = (0..model.days)
                    .map(|t| {
                        model.study[t].then(|| {
                            let e = (since + t as f32).floor() as usize;
                            model.review(m, e)
                        })
                    })
                    .collect();
                Card::Known {
                    never: model.recall(m, since + model.days as f32 - model.slack),
                    steps,
                }
            }
        };
        for (k, w) in chord(c.time) {
            if w > 0.0 {
                cards.push((k, w, card.clone()));
            }
        }
    }
    let prior = if blind > 0 {
        prior(&model.fsrs)?
    } else {
        Vec::new()
    };
    Some(Problem {
        model,
        cards,
        unseen: blind,
        prior,
        count: starts.len(),
        budget,
    })
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
    let study: Vec<bool> = budget.iter().map(|b| *b > 0.0).collect();
    let slack = budget.iter().copied().fold(0.0, f32::max) / 86_400.0;
    Model::new(parameters, budget.len(), study, same_day, slack)
}

/// A second's price and the free answer's, per day.
pub(crate) type Prices = (Vec<f32>, Vec<f32>);

/// How many of the descent's last prices [`solve`] returns.
const KEEP: usize = if cfg!(test) { 5 } else { 20 };

/// What [`solve`] found.
pub(crate) struct Solved {
    /// The smallest `U`, capped at 1.
    pub(crate) bound: f32,
    /// Its prices.
    pub(crate) best: Prices,
    /// The descent's last [`KEEP`] prices (around the best: a primal
    /// schedule may mix the cards' best schedules at them).
    pub(crate) last: Vec<Prices>,
    /// At each descent step, the expected recall per card of the cards'
    /// best schedules and their expected seconds per day: averaged over
    /// the last steps, a schedule of the relaxation (mixing the steps'
    /// schedules) and how well it keeps each day's minutes on average.
    pub(crate) history: Vec<(f32, Vec<f32>)>,
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

/// [`solve`] in `steps` descent steps, from `init` when given (prices for
/// the same days, e.g. the day before's shifted by a day) rather than
/// from the best single price. Any prices give a valid bound, so where it
/// starts only changes how tight the result is.
pub(crate) fn solve_from(
    model: &Model,
    starts: &[Start],
    budget: &[f32],
    init: Option<&Prices>,
    steps: usize,
    unseen: Unseen,
) -> Option<Solved> {
    let days = budget.len();
    let study = model.study.clone();
    let problem = problem(model, starts, budget, unseen)?;
    let keep = KEEP.min(steps);
    let (mut best, mut price, mut kappa) = match init {
        Some((p, f)) if p.len() == days && f.len() == days => {
            let price: Vec<f32> = p
                .iter()
                .zip(&study)
                .map(|(l, s)| if *s { l.max(0.0) } else { 0.0 })
                .collect();
            let kappa: Vec<f32> = price
                .iter()
                .zip(f)
                .map(|(l, m)| {
                    if *l > 0.0 && m.is_finite() {
                        (m / l).clamp(1.0, LONGEST_ANSWER)
                    } else {
                        LONGEST_ANSWER
                    }
                })
                .collect();
            let u = problem.dual(&price, &frees(&price, &kappa), None);
            (u, price, kappa)
        }
        _ => {
            // One price for every study day, the free answer priced as
            // the longest answer (as if every day's budget had one more).
            let shape: Vec<f32> = study.iter().map(|s| f32::from(u8::from(*s))).collect();
            let kappa = vec![LONGEST_ANSWER; days];
            let (u, x) = golden(&problem, &shape, &kappa);
            let price: Vec<f32> = shape.iter().map(|s| s * x).collect();
            (u, price, kappa)
        }
    };
    let mut best_prices = (price.clone(), frees(&price, &kappa));
    let top = price.iter().copied().fold(0.0, f32::max);
    let floor = 1e-3 * top.max(1e-6);
    let mut rate = vec![0.3f32; days];
    let mut last = vec![0i8; days];
    let mut free_rate = vec![0.3f32; days];
    let mut free_last = vec![0i8; days];
    let mut spend = Spend::default();
    let mut last_prices = Vec::new();
    let mut history = Vec::with_capacity(steps);
    for k in 0..steps {
        let u = problem.dual(&price, &frees(&price, &kappa), Some(&mut spend));
        if k + keep >= steps {
            last_prices.push((price.clone(), frees(&price, &kappa)));
        }
        // The expected recall of the cards' best schedules at these
        // prices: U less the priced budgets left over.
        let fr = frees(&price, &kappa);
        let mut left = 0.0;
        for d in (0..days).filter(|d| study[*d]) {
            let c = model.chance(d);
            left += price[d] * (c * budget[d] - spend.seconds[d]) + fr[d] * (c - spend.free[d]);
        }
        history.push((u - left / starts.len().max(1) as f32, spend.seconds.clone()));
        if u < best {
            best = u;
            best_prices = (price.clone(), frees(&price, &kappa));
        }
        // Every tenth step, the best scale of the whole price vector
        // (the days move together slowly under the per-day steps).
        if k % 10 == 9 {
            let (u, c) = golden_scale(&problem, &price, &kappa);
            for p in &mut price {
                *p *= c;
            }
            if u < best {
                best = u;
                best_prices = (price.clone(), frees(&price, &kappa));
            }
            problem.dual(&price, &frees(&price, &kappa), Some(&mut spend));
        }
        // Each day's prices on their own, in proportion (Rprop): a
        // second's up when the day's best schedules overspend it, down
        // when they leave time; the free answer's up when more than one
        // is taken, down when fewer; the step grows while the direction
        // holds and halves when it turns.
        let rprop = |g: f32, tol: f32, rate: &mut f32, last: &mut i8| -> f32 {
            let sign: i8 = if g.abs() < tol {
                0
            } else if g > 0.0 {
                -1
            } else {
                1
            };
            if sign != 0 && sign == *last {
                *rate = (*rate * 1.2).min(1.0);
            } else if sign != 0 && sign == -*last {
                *rate = (*rate * 0.5).max(1e-3);
            }
            *last = sign;
            (*rate * f32::from(sign)).exp()
        };
        for d in 0..days {
            if !study[d] {
                continue;
            }
            let up = rprop(
                model.chance(d) * budget[d] - spend.seconds[d],
                1.0,
                &mut rate[d],
                &mut last[d],
            );
            price[d] = (price[d].max(floor) * up).max(0.0);
            let up = rprop(
                model.chance(d) - spend.free[d],
                0.02,
                &mut free_rate[d],
                &mut free_last[d],
            );
            kappa[d] = (kappa[d] * up).clamp(1.0, LONGEST_ANSWER);
        }
    }
    Some(Solved {
        bound: best.min(1.0),
        best: best_prices,
        last: last_prices,
        history,
    })
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
    let model = Model::new(parameters, days, vec![true; days], same_day, slack)?;
    let total = budget
        .iter()
        .filter(|b| **b > 0.0)
        .map(|b| b + LONGEST_ANSWER)
        .sum::<f32>()
        / days.max(1) as f32;
    let even = vec![total; days];
    let problem = problem(&model, starts, &even, Unseen::Known)?;
    Some(
        golden(&problem, &vec![1.0; days], &vec![f32::INFINITY; days])
            .0
            .min(1.0),
    )
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
        let base = first_step(&fsrs, 0.0).expect("first");
        let shift = |s: &Step| {
            // The offset back from the Again outcome's difficulty (6.4 at
            // the default parameters: ±3 stays within 1..10).
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

    /// A new card's best value at `price` a second for `factor` times the
    /// answer times, with no free answer.
    fn new_card(model: &Model, days: usize, price: f32, factor: f32) -> f32 {
        let first = first_step(&model.fsrs, 1.3).expect("first");
        let table = model.table(&vec![price * factor; days], &vec![f32::INFINITY; days]);
        (0..days)
            .map(|t| first.value(price * factor, f32::INFINITY, table.value(t)))
            .fold(0.0, f32::max)
    }

    #[test]
    fn the_chord_between_time_classes_is_above_a_cards_own_time() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 10;
        let model = Model::new(&p, days, vec![true; days], 1, 0.01).expect("model");
        for price in [0.001, 0.004, 0.01] {
            for time in [0.5, 0.61, 0.97, 1.0, 1.33, 1.9, 2.0] {
                let own = new_card(&model, days, price, time);
                let chord: f32 = chord(time)
                    .iter()
                    .map(|(k, w)| w * new_card(&model, days, price, class_factor(*k)))
                    .sum();
                assert!(chord >= own - 1e-5, "{time} at {price}: {chord} < {own}");
                // And well above rounding the time down to its class.
                let down = new_card(&model, days, price, class_factor(class(time)));
                assert!(chord <= down + 1e-5, "{time} at {price}: {chord} > {down}");
            }
        }
    }

    #[test]
    fn a_models_tail_is_the_model_from_that_day_on() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 8;
        let study = vec![true, true, false, true, true, true, false, true];
        let model = Model::new(&p, days, study.clone(), 1, 0.01).expect("model");
        let price: Vec<f32> = (0..days).map(|d| 0.002 + 0.0005 * d as f32).collect();
        let free = vec![0.3; days];
        let whole = model.table(&price, &free);
        for from in [0, 3, 7] {
            let tail = model.tail(from).expect("tail");
            assert_eq!(tail.study, study[from..].to_vec());
            let part = tail.table(&price[from..], &free[from..]);
            for t in 0..days - from {
                assert_eq!(part.w[t], whole.w[t + from], "day {t} from {from}");
            }
        }
        assert!(model.tail(days).is_none());
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
        // Prices of the wrong length are ignored: a cold start.
        let odd = (vec![0.01], vec![0.1]);
        let other = solve_from(&model, &cards, &budget, Some(&odd), 3, Unseen::Known).expect("odd");
        assert!(other.bound >= exam.recall);
    }

    #[test]
    fn a_plan_for_a_day_that_may_be_missed_falls_to_the_next_best() {
        let options = [(0, 0.5), (1, 0.9), (2, 0.8)];
        // Knowing every day: the best day, for sure.
        let sure = |_| 1.0;
        let unsure = |t| if t == 0 { 1.0 } else { 0.9 };
        let (v, plan) = first_plan(&options, 0.1, &sure);
        assert_eq!((v, plan), (0.9, vec![(1, 1.0)]));
        // Day 1 may be missed (not day 0, today): then day 2, then never.
        let (v, plan) = first_plan(&options, 0.1, &unsure);
        let expected = 0.9 * 0.9 + 0.1 * (0.9 * 0.8 + 0.1 * 0.1);
        assert!((v - expected).abs() < 1e-6, "{v} vs {expected}");
        assert_eq!(plan.len(), 2);
        assert_eq!((plan[0].0, plan[1].0), (1, 2));
        assert!((plan[0].1 - 0.9).abs() < 1e-6 && (plan[1].1 - 0.09).abs() < 1e-6);
        // When later days are worth too little to risk, today is taken.
        let (v, plan) = first_plan(&[(0, 0.85), (1, 0.9)], 0.0, &unsure);
        assert_eq!((v, plan), (0.85, vec![(0, 1.0)]));
    }

    #[test]
    fn days_that_may_be_missed_never_raise_a_cards_value_and_keep_its_time() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 8;
        let sure = Model::new(&p, days, vec![true; days], 1, 0.01).expect("model");
        let mut unsure = Model::new(&p, days, vec![true; days], 1, 0.01).expect("model");
        unsure.miss = 0.2;
        let price = vec![0.004; days];
        let free = vec![f32::INFINITY; days];
        let (a, b) = (sure.table(&price, &free), unsure.table(&price, &free));
        for t in 0..days {
            for g in 0..NG {
                let (x, y) = (a.value(t)[g], b.value(t)[g]);
                assert!(y <= x + 1e-5, "day {t}, {:?}: {y} > {x}", grid_state(g));
            }
        }
        // The forward pass: the chain of fallbacks spends no more than a
        // plan without misses would, and some of it lands after day 1.
        let m = MemoryState {
            stability: 2.0,
            difficulty: 5.0,
        };
        let mut mass = vec![0.0; NG];
        spread(&mut mass, pos(m), 1.0);
        let spend = unsure.forward(&b, 0, mass);
        let total: f32 = spend.seconds.iter().sum();
        assert!(total > 0.0 && total.is_finite(), "{total}");
    }

    #[test]
    fn on_grid_rounds_stability_up_to_the_next_grid_point() {
        for s in [0.05, 0.3, 1.0, 2.7, 19.0, 400.0] {
            let m = MemoryState {
                stability: s,
                difficulty: 4.4,
            };
            let g = on_grid(m);
            assert!(g.stability >= s * (1.0 - 1e-5), "{s} -> {}", g.stability);
            assert!(g.stability <= s * 1.08, "{s} -> {}", g.stability);
            assert_eq!(g.difficulty, 4.4);
            // A grid point stays put, or moves one point up where the
            // logarithm's rounding puts it just above itself.
            let again = on_grid(g).stability;
            assert!(
                again >= g.stability && again <= g.stability * 1.08,
                "{again}"
            );
        }
    }

    #[test]
    fn values_grow_with_stability() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 12;
        let model = Model::new(&p, days, vec![true; days], SAME_DAY, 0.01).expect("model");
        for price in [0.0, 0.002, 0.01, 0.05] {
            let table = model.table(&vec![price; days], &vec![f32::INFINITY; days]);
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
        let mut best = model.recall(m, model.days as f32 - t as f32 - model.slack);
        for t2 in t + 1..model.days {
            let e = t2 - t;
            let p = model.recall(m, e as f32 - model.slack);
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
        let model = Model::new(&p, days, vec![true; days], 0, 0.01).expect("model");
        for price in [0.0, 0.003, 0.02] {
            let table = model.table(&vec![price; days], &vec![f32::INFINITY; days]);
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
