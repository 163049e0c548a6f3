//! An upper bound on the mean exam-day recall any schedule could reach
//! within the same study time, under the same simulated learner, knowing
//! its true memory (which no scheduler knows).
//!
//! Lagrangian relaxation: the daily allowances are relaxed to their total
//! `B` (looser, so still a bound), and each second is priced at `λ`. With a
//! price, the cards decouple: each card's best schedule maximises its
//! expected exam-day recall minus `λ` times its expected seconds, and
//!
//! `U(λ) = λ·B + Σ_cards max_schedule E[recall − λ·seconds]`
//!
//! bounds every schedule that spends at most `B` (weak duality) for every
//! `λ ≥ 0`; the benchmark reports the smallest `U(λ)` found (it is convex
//! in `λ`: golden-section search). One card's problem is solved by dynamic
//! programming backwards from the exam: after each answer, review again on
//! any later day, again the same day (as often as the learner model allows:
//! a same-day review raises stability through FSRS's short-term formula),
//! or never; every day counts as a study day, missed ones too (looser
//! still). The memory state lives on a grid (log stability × difficulty),
//! interpolated; transitions come from the `fsrs` crate.

use fsrs::{FSRS, MemoryState};

use crate::simulate::{COSTS, FIRST_RATING, PASS_RATING, Start};

const S_MIN: f32 = 0.01;
const S_MAX: f32 = 3_650.0;
const NS: usize = 64;
const ND: usize = 10;
/// Same-day reviews in a row considered after an answer.
pub(crate) const SAME_DAY: usize = 3;

struct Grid {
    /// `next[e][s][d][rating - 1]`: the state after an answer `e` days
    /// after the last.
    next: Vec<[MemoryState; 4]>,
    days: usize,
    decay: f32,
    same_day: usize,
}

fn stability(i: usize) -> f32 {
    (S_MIN.ln() + (S_MAX.ln() - S_MIN.ln()) * i as f32 / (NS - 1) as f32).exp()
}

fn difficulty(j: usize) -> f32 {
    1.0 + 9.0 * j as f32 / (ND - 1) as f32
}

/// Grid coordinates of a state, for interpolation.
fn coords(m: MemoryState) -> (usize, f32, usize, f32) {
    let x = (m.stability.clamp(S_MIN, S_MAX).ln() - S_MIN.ln()) / (S_MAX.ln() - S_MIN.ln())
        * (NS - 1) as f32;
    let y = (m.difficulty.clamp(1.0, 10.0) - 1.0) / 9.0 * (ND - 1) as f32;
    let (i, j) = ((x as usize).min(NS - 2), (y as usize).min(ND - 2));
    (i, x - i as f32, j, y - j as f32)
}

impl Grid {
    fn new(fsrs: &FSRS, decay: f32, days: usize, same_day: usize) -> Grid {
        let mut next = Vec::with_capacity((days + 1) * NS * ND);
        for e in 0..=days + 60 {
            for i in 0..NS {
                for j in 0..ND {
                    let m = MemoryState {
                        stability: stability(i),
                        difficulty: difficulty(j),
                    };
                    let n = fsrs.next_states(Some(m), 0.9, e as u32).ok();
                    next.push(n.map_or([m; 4], |n| {
                        [n.again.memory, n.hard.memory, n.good.memory, n.easy.memory]
                    }));
                }
            }
        }
        Grid {
            next,
            days,
            decay,
            same_day,
        }
    }

    fn recall(&self, m: MemoryState, days: f32) -> f32 {
        fsrs::current_retrievability(m, days.max(0.0), self.decay)
    }

    fn at(values: &[f32], m: MemoryState) -> f32 {
        let (i, fx, j, fy) = coords(m);
        let v = |i: usize, j: usize| values[i * ND + j];
        (1.0 - fx) * ((1.0 - fy) * v(i, j) + fy * v(i, j + 1))
            + fx * ((1.0 - fy) * v(i + 1, j) + fy * v(i + 1, j + 1))
    }

    /// Expected value of answering a card in state `m` after `e` days,
    /// continuing with `after` (values on day t' of the state just after).
    fn answer(&self, m: MemoryState, e: usize, price: f32, after: &[f32]) -> f32 {
        let p = self.recall(m, e as f32);
        let (i, fx, j, fy) = coords(m);
        // The transition from the nearest grid state (the grid is fine).
        let (i, j) = (
            if fx > 0.5 { i + 1 } else { i },
            if fy > 0.5 { j + 1 } else { j },
        );
        let next = &self.next[(e.min(self.days + 60) * NS + i) * ND + j];
        let pass: f32 = PASS_RATING.iter().sum();
        let mut v = (1.0 - p) * (Self::at(after, next[0]) - price * COSTS[1][0]);
        for r in 0..3 {
            let share = PASS_RATING[r] / pass;
            v += p * share * (Self::at(after, next[r + 1]) - price * COSTS[1][r + 1]);
        }
        v
    }

    /// `value[t]`: the best of `recall − price·seconds` for a card just
    /// answered on day `t` in each grid state, the exam on day `days`.
    fn values(&self, price: f32) -> Vec<Vec<f32>> {
        let days = self.days;
        let mut value: Vec<Vec<f32>> = vec![vec![0.0; NS * ND]; days];
        for t in (0..days).rev() {
            let mut v = vec![0.0f32; NS * ND];
            for i in 0..NS {
                for j in 0..ND {
                    let m = MemoryState {
                        stability: stability(i),
                        difficulty: difficulty(j),
                    };
                    // Never again.
                    let mut best = self.recall(m, (days - t) as f32);
                    // Next on a later day.
                    for (t2, after) in value.iter().enumerate().skip(t + 1) {
                        best = best.max(self.answer(m, t2 - t, price, after));
                    }
                    v[i * ND + j] = best;
                }
            }
            // Same day, again: a few rounds of the same-day option.
            for _ in 0..self.same_day {
                let round = v.clone();
                for i in 0..NS {
                    for j in 0..ND {
                        let m = MemoryState {
                            stability: stability(i),
                            difficulty: difficulty(j),
                        };
                        let again = self.answer(m, 0, price, &round);
                        if again > v[i * ND + j] {
                            v[i * ND + j] = again;
                        }
                    }
                }
            }
            value[t] = v;
        }
        value
    }
}

/// The bound for cards starting as `starts`, `budget` seconds in all,
/// an exam `days` days away.
/// `same_day`: how many same-day reviews in a row a schedule may give
/// ([`SAME_DAY`] for the benchmark; 0 shows how much they are worth).
pub(crate) fn bound(
    parameters: &[f32],
    starts: &[Start],
    days: usize,
    budget: f32,
    same_day: usize,
) -> Option<f32> {
    let fsrs = FSRS::new(parameters).ok()?;
    let decay = parameters
        .get(20)
        .copied()
        .unwrap_or(fsrs::DEFAULT_PARAMETERS[20]);
    let grid = Grid::new(&fsrs, decay, days, same_day);
    let first = fsrs.next_states(None, 0.9, 0).ok()?;
    let first = [
        first.again.memory,
        first.hard.memory,
        first.good.memory,
        first.easy.memory,
    ];
    // Time factors in buckets, rounded down: cheaper time, a looser bound.
    let buckets: Vec<f32> = (0..8).map(|k| 0.5 * 1.22f32.powi(k)).collect();
    let bucket = |f: f32| buckets.iter().rposition(|b| *b <= f).unwrap_or(0);
    let dual = |price: f32| -> f32 {
        let mut total = price * budget;
        let mut tables: Vec<Option<Vec<Vec<f32>>>> = vec![None; buckets.len()];
        for c in starts {
            let k = bucket(c.time);
            let values = tables[k].get_or_insert_with(|| grid.values(price * buckets[k]));
            let p = price * buckets[k];
            let v = match c.truth {
                None => {
                    // Learn it on some day, or never.
                    let mut best = 0.0f32;
                    for after in values.iter() {
                        let mut v = 0.0;
                        for r in 0..4 {
                            let m = MemoryState {
                                stability: first[r].stability,
                                difficulty: (first[r].difficulty + c.difficulty).clamp(1.0, 10.0),
                            };
                            v += FIRST_RATING[r] * (Grid::at(after, m) - p * COSTS[0][r]);
                        }
                        best = best.max(v);
                    }
                    best
                }
                Some(m) => {
                    let since = c.days_since.max(0.0);
                    let mut best = grid.recall(m, since + days as f32);
                    for (t, after) in values.iter().enumerate() {
                        let e = (since + t as f32).floor() as usize;
                        best = best.max(grid.answer(m, e, p, after));
                    }
                    best
                }
            };
            total += v;
        }
        total / starts.len().max(1) as f32
    };
    // Golden-section search for the smallest U(λ), λ in [0, 0.5] per second
    // (at 0.5, no second is worth any recall).
    let (mut a, mut b) = (0.0f32, 0.5f32);
    let g = 0.618_034f32;
    let (mut x1, mut x2) = (b - g * (b - a), a + g * (b - a));
    let (mut f1, mut f2) = (dual(x1), dual(x2));
    let mut best = f1.min(f2).min(dual(0.0));
    for _ in 0..24 {
        if f1 < f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = dual(x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = dual(x2);
        }
        best = best.min(f1).min(f2);
    }
    Some(best.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{Policy, Scenario, run, starts};

    #[test]
    fn the_bound_is_above_what_a_schedule_reaches_and_grows_with_time() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let s = Scenario {
            cards: 30,
            days: 6,
            minutes_per_day: 3.0,
            late: 0,
            prior: false,
        };
        let (cards, budget) = starts(&s, &p, 1).expect("starts");
        let little = bound(&p, &cards, s.days, budget, SAME_DAY).expect("bound");
        let more = bound(&p, &cards, s.days, 4.0 * budget, SAME_DAY).expect("bound");
        assert!(little <= more + 1e-4 && more <= 1.0, "{little} {more}");
        assert!(bound(&p, &cards, s.days, 0.0, SAME_DAY).expect("bound") < 0.01);
        let exam = run(&s, Policy::Exam, &p, 1).expect("runs");
        assert!(little + 0.02 >= exam.recall, "{little} vs {exam:?}");
    }
}
