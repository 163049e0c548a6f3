//! A card's programme at given prices: the dynamic programme over the
//! grid, backwards from the exam, and the forward pass of what a schedule
//! following it spends each day.

use fsrs::{FSRS, MemoryState};

use super::grid::{Answers, ND, NG, NS, Pos, Step, grid_state, review, stability};

/// The learner's model, the exam's distance and which days are study days.
pub struct Model {
    pub fsrs: FSRS,
    /// How answers go, as the programme prices them.
    pub answers: Answers,
    pub decay: f32,
    /// Recall at an answer and at the exam is taken this many days early:
    /// the longest a day's sitting runs before its last answer starts
    /// (answers come during the day, not at its start).
    pub slack: f32,
    pub days: usize,
    pub study: Vec<bool>,
    same_day: usize,
    /// `steps[e * NG + g]`: a review of grid state `g` after `e` days.
    steps: Vec<Step>,
    parameters: Vec<f32>,
    /// The chance that a study day after the first is missed, for a
    /// planner that does not know which will be (`--mpc --blind`): a plan
    /// for a missed day falls to the best plan from the next day on. 0 for
    /// the bound, which knows the missed days.
    pub miss: f32,
    /// The days, from the model's first, known to be study days (today,
    /// for a planner; none for the bound not knowing the missed days).
    pub sure: usize,
    /// Whether a day's last answer may overrun its minutes, so that each
    /// day has one free answer (`study`, which lets the card on screen be
    /// finished; the simulation's `--last-answer-overruns`). Without it
    /// every answer's seconds count against the day's minutes.
    pub free_answer: bool,
}

/// A dynamic programme's result for one price vector.
pub struct Table {
    /// `w[t][k][g]`: the best of `recall − priced seconds` for a card just
    /// answered on study day `t` in grid state `g`, with `k` same-day
    /// reviews still allowed (empty on missed days).
    pub w: Vec<Vec<Vec<f32>>>,
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
    /// The values on study day `t` with every same-day review allowed.
    pub fn value(&self, t: usize) -> &[f32] {
        self.w[t].last().map_or(&[], Vec::as_slice)
    }
}

impl Model {
    pub fn new(
        parameters: &[f32],
        answers: Answers,
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
                steps.push(review(&fsrs, &answers, decay, slack, grid_state(g), e));
            }
        }
        Some(Model {
            fsrs,
            answers,
            decay,
            slack,
            days,
            study,
            same_day,
            steps,
            parameters: parameters.to_vec(),
            miss: 0.0,
            sure: 0,
            free_answer: true,
        })
    }

    /// The model for `budget[d]` seconds on each day `d` (0 on a day
    /// not studied), the exam the day after the last: its study days, and
    /// its slack, the longest sitting before the day's last answer starts.
    pub fn for_budget(
        parameters: &[f32],
        answers: Answers,
        budget: &[f32],
        same_day: usize,
    ) -> Option<Model> {
        let study: Vec<bool> = budget.iter().map(|b| *b > 0.0).collect();
        let slack = budget.iter().copied().fold(0.0, f32::max) / 86_400.0;
        Model::new(parameters, answers, budget.len(), study, same_day, slack)
    }

    /// The same model for the days from `from` on (day `from` its first),
    /// sharing the reviews already computed (a review depends on the days
    /// between answers only). None past the last day.
    pub fn tail(&self, from: usize) -> Option<Model> {
        if from >= self.days {
            return None;
        }
        let days = self.days - from;
        Some(Model {
            fsrs: FSRS::new(&self.parameters).ok()?,
            answers: self.answers,
            decay: self.decay,
            slack: self.slack,
            days,
            study: self.study[from..].to_vec(),
            same_day: self.same_day,
            steps: self.steps[..days * NG].to_vec(),
            parameters: self.parameters.clone(),
            miss: self.miss,
            sure: self.sure.saturating_sub(from),
            free_answer: self.free_answer,
        })
    }

    /// The chance that study day `t` is studied (see [`Model::miss`]).
    pub fn chance(&self, t: usize) -> f32 {
        if t < self.sure { 1.0 } else { 1.0 - self.miss }
    }

    /// A review of a card in state `m`, `e` whole days after its last
    /// answer.
    pub fn review(&self, m: MemoryState, e: usize) -> Step {
        review(&self.fsrs, &self.answers, self.decay, self.slack, m, e)
    }

    /// Recall of `m` after `days`.
    pub fn recall(&self, m: MemoryState, days: f32) -> f32 {
        fsrs::current_retrievability(m, days.max(0.0), self.decay)
    }

    /// The programme for a card whose seconds cost `price[d]` on day `d`
    /// and whose answer may be the day's free one at `free[d]`.
    pub fn table(&self, price: &[f32], free: &[f32]) -> Table {
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

/// Answer-time factors in classes, 0.5 to 2 (the simulation's range)
/// evenly on a log scale. A card between two classes is valued on the
/// chord between them, which is above its value at its own time: a
/// card's best `recall − price·factor·seconds` is a maximum of functions
/// linear in the factor, so convex in it.
pub const CLASSES: usize = 16;

pub fn class_factor(k: usize) -> f32 {
    if k + 1 >= CLASSES {
        2.0
    } else {
        0.5 * 4f32.powf(k as f32 / (CLASSES - 1) as f32)
    }
}

/// Each used class's dynamic programme at `price` (scaled by the class's
/// time factor) and `free`, on every core; None for the classes no card
/// is in.
pub fn class_tables(
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
pub fn class(time: f32) -> usize {
    (0..CLASSES)
        .rposition(|k| class_factor(k) <= time)
        .unwrap_or(0)
}

/// The two classes around an answer-time factor and their weights on the
/// chord (the factor is their weighted mean).
pub fn chord(time: f32) -> [(usize, f32); 2] {
    let k = class(time);
    if k + 1 >= CLASSES {
        return [(k, 1.0), (k, 0.0)];
    }
    let (a, b) = (class_factor(k), class_factor(k + 1));
    let w = ((time - a) / (b - a)).clamp(0.0, 1.0);
    [(k, 1.0 - w), (k + 1, w)]
}

/// The free answer's price on each day: `kappa[d]` seconds at `price[d]`
/// What the cards' best schedules spend per day: seconds paid for and
/// free answers taken.
#[derive(Default)]
pub(crate) struct Spend {
    pub(crate) seconds: Vec<f32>,
    pub(crate) free: Vec<f32>,
}

/// Adds mass `m` at `p` (split between its difficulty points).
pub(crate) fn spread(mass: &mut [f32], p: Pos, m: f32) {
    let k = p.at as usize;
    mass[k] += m * (1.0 - p.w);
    mass[k + 1] += m * p.w;
}

impl Model {
    /// Expected seconds paid for per day (before time factors) and free
    /// answers taken per day, under the best schedule from `mass`, the
    /// states just after an answer on day `t0` with every same-day review
    /// still allowed.
    pub(crate) fn forward(&self, table: &Table, t0: usize, mass: Vec<f32>) -> Spend {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::relax::grid::{at, first_step, pos};

    /// A new card's best value at `price` a second for `factor` times the
    /// answer times, with no free answer.
    fn new_card(model: &Model, days: usize, price: f32, factor: f32) -> f32 {
        let first = first_step(&model.fsrs, &model.answers, 1.3).expect("first");
        let table = model.table(&vec![price * factor; days], &vec![f32::INFINITY; days]);
        (0..days)
            .map(|t| first.value(price * factor, f32::INFINITY, table.value(t)))
            .fold(0.0, f32::max)
    }

    #[test]
    fn the_chord_between_time_classes_is_above_a_cards_own_time() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 10;
        let model =
            Model::new(&p, Answers::SIMULATOR, days, vec![true; days], 1, 0.01).expect("model");
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
        let model =
            Model::new(&p, Answers::SIMULATOR, days, study.clone(), 1, 0.01).expect("model");
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
    fn days_that_may_be_missed_never_raise_a_cards_value_and_keep_its_time() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 8;
        let sure =
            Model::new(&p, Answers::SIMULATOR, days, vec![true; days], 1, 0.01).expect("model");
        let mut unsure =
            Model::new(&p, Answers::SIMULATOR, days, vec![true; days], 1, 0.01).expect("model");
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
    fn values_grow_with_stability() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 12;
        let model =
            Model::new(&p, Answers::SIMULATOR, days, vec![true; days], 3, 0.01).expect("model");
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
            let pass: f32 = model.answers.pass.iter().sum();
            let mut v = -price * (1.0 - p) * model.answers.seconds[1][0];
            v += (1.0 - p) * exact(model, price, n.again.memory, t2);
            for (r, next) in [n.hard.memory, n.good.memory, n.easy.memory]
                .into_iter()
                .enumerate()
            {
                let share = p * model.answers.pass[r] / pass;
                v += share
                    * (exact(model, price, next, t2) - price * model.answers.seconds[1][r + 1]);
            }
            best = best.max(v);
        }
        best
    }

    #[test]
    fn the_grid_never_undercuts_the_exact_programme() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let days = 6;
        let model =
            Model::new(&p, Answers::SIMULATOR, days, vec![true; days], 0, 0.01).expect("model");
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
