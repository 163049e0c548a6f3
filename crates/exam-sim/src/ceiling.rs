//! The best any schedule could do: an upper bound on the expected recall on
//! exam day, under the same simulated learner as [`crate::simulate`].
//!
//! With unlimited time the cards do not compete, so the best mean over a
//! deck is the best one card can do. For one card this is a small Markov
//! decision problem, solved by dynamic programming backwards from the exam:
//! after each answer, choose the day of the next review (at most one a day,
//! as both benchmark policies study) or none, knowing the learner's *true*
//! memory state, which no real scheduler knows. The memory state is
//! continuous; the value is kept on a grid (log stability × difficulty) and
//! interpolated, and transitions come from the `fsrs` crate itself.
//!
//! Whatever a scheduler does with however much time, its expected recall
//! on exam day cannot beat this figure; the gap between it and plain FSRS
//! is the most any exam mode can gain.

use fsrs::{FSRS, MemoryState};

use crate::simulate::{FIRST_RATING, LEARNING_STEPS, PASS_RATING};

const STABILITY_MIN: f32 = 0.01;
const STABILITY_MAX: f32 = 5_000.0;
const DIFFICULTY_MIN: f32 = 1.0;
const DIFFICULTY_MAX: f32 = 10.0;

/// The grid the value function lives on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grid {
    pub stabilities: usize,
    pub difficulties: usize,
}

impl Default for Grid {
    fn default() -> Self {
        Grid {
            stabilities: 160,
            difficulties: 37,
        }
    }
}

impl Grid {
    fn stability(&self, i: usize) -> f32 {
        let t = i as f32 / (self.stabilities - 1) as f32;
        (STABILITY_MIN.ln() + t * (STABILITY_MAX.ln() - STABILITY_MIN.ln())).exp()
    }

    fn difficulty(&self, j: usize) -> f32 {
        DIFFICULTY_MIN
            + (DIFFICULTY_MAX - DIFFICULTY_MIN) * j as f32 / (self.difficulties - 1) as f32
    }

    /// Fractional grid coordinates of a memory state, clamped to the grid.
    fn locate(&self, m: MemoryState) -> (f32, f32) {
        let s = m.stability.clamp(STABILITY_MIN, STABILITY_MAX);
        let x = (s.ln() - STABILITY_MIN.ln()) / (STABILITY_MAX.ln() - STABILITY_MIN.ln())
            * (self.stabilities - 1) as f32;
        let d = m.difficulty.clamp(DIFFICULTY_MIN, DIFFICULTY_MAX);
        let y = (d - DIFFICULTY_MIN) / (DIFFICULTY_MAX - DIFFICULTY_MIN)
            * (self.difficulties - 1) as f32;
        (x, y)
    }

    /// Bilinear interpolation of a value table at a memory state.
    fn interpolate(&self, table: &[f32], m: MemoryState) -> f32 {
        let (x, y) = self.locate(m);
        let (i, j) = (
            (x.floor() as usize).min(self.stabilities - 2),
            (y.floor() as usize).min(self.difficulties - 2),
        );
        let (fx, fy) = (x - i as f32, y - j as f32);
        let at = |i: usize, j: usize| table[i * self.difficulties + j];
        (1.0 - fx) * ((1.0 - fy) * at(i, j) + fy * at(i, j + 1))
            + fx * ((1.0 - fy) * at(i + 1, j) + fy * at(i + 1, j + 1))
    }
}

/// The outcomes of reviewing a card after some days: each with its
/// probability and the memory state it leaves (a lapse includes its
/// same-day relearning step, as in the simulation).
type Outcomes = [(f32, MemoryState); 4];

fn review_outcomes(fsrs: &FSRS, m: MemoryState, days: u32, decay: f32) -> Option<Outcomes> {
    let recall = fsrs::current_retrievability(m, days as f32, decay);
    let next = fsrs.next_states(Some(m), 0.9, days).ok()?;
    let relearned = fsrs
        .next_states(Some(next.again.memory), 0.9, 0)
        .ok()?
        .good
        .memory;
    Some([
        (1.0 - recall, relearned),
        (recall * PASS_RATING[0], next.hard.memory),
        (recall * PASS_RATING[1], next.good.memory),
        (recall * PASS_RATING[2], next.easy.memory),
    ])
}

/// The memory states after a new card's first day, with their
/// probabilities: the first answer, then the learning steps answered Good
/// (an Easy first answer skips them), as in the simulation.
fn first_day_outcomes(fsrs: &FSRS) -> Option<Outcomes> {
    let first = fsrs.next_states(None, 0.9, 0).ok()?;
    let after_steps = |mut m: MemoryState| -> Option<MemoryState> {
        for _ in 0..LEARNING_STEPS {
            m = fsrs.next_states(Some(m), 0.9, 0).ok()?.good.memory;
        }
        Some(m)
    };
    Some([
        (FIRST_RATING[0], after_steps(first.again.memory)?),
        (FIRST_RATING[1], after_steps(first.hard.memory)?),
        (FIRST_RATING[2], after_steps(first.good.memory)?),
        (FIRST_RATING[3], first.easy.memory),
    ])
}

/// The highest expected recall of one card on exam day, `days` days after
/// day 0, over every schedule of reviews on days 0 to `days - 1`, for a
/// learner whose memory follows `true_parameters`. `None` if the crate
/// rejects the parameters, or the grid is too small to interpolate on.
pub(crate) fn ceiling(true_parameters: &[f32], days: usize, grid: Grid) -> Option<f32> {
    if grid.stabilities < 2 || grid.difficulties < 2 {
        return None;
    }
    let fsrs = FSRS::new(true_parameters).ok()?;
    let decay = true_parameters
        .get(20)
        .copied()
        .unwrap_or(fsrs::DEFAULT_PARAMETERS[20]);
    let cells = grid.stabilities * grid.difficulties;
    let state = |cell: usize| MemoryState {
        stability: grid.stability(cell / grid.difficulties),
        difficulty: grid.difficulty(cell % grid.difficulties),
    };

    // Transitions depend on the state and the gap only: computed once.
    let mut outcomes: Vec<Vec<Outcomes>> = Vec::with_capacity(days);
    for gap in 1..days.max(1) {
        let mut row = Vec::with_capacity(cells);
        for cell in 0..cells {
            row.push(review_outcomes(&fsrs, state(cell), gap as u32, decay)?);
        }
        outcomes.push(row);
    }

    // best[r]: the best expected exam-day recall just after a review with
    // r days left until the exam (r = 1 on the exam's eve), per grid cell.
    let mut best: Vec<Vec<f32>> = vec![Vec::new(); days + 1];
    for left in 1..=days {
        let table = (0..cells)
            .map(|cell| {
                // Never review again.
                let mut value = fsrs::current_retrievability(state(cell), left as f32, decay);
                // Or review `gap` days from now, with `left - gap` days still left.
                for gap in 1..left {
                    let expected: f32 = outcomes[gap - 1][cell]
                        .iter()
                        .map(|(p, next)| p * grid.interpolate(&best[left - gap], *next))
                        .sum();
                    value = value.max(expected);
                }
                value
            })
            .collect();
        best[left] = table;
    }

    // A new card may be learned on any day; the best is usually day 0.
    let first = first_day_outcomes(&fsrs)?;
    (1..=days)
        .map(|left| {
            first
                .iter()
                .map(|(p, m)| p * grid.interpolate(&best[left], *m))
                .sum::<f32>()
        })
        .max_by(f32::total_cmp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{Budget, Scenario, run};

    const COARSE: Grid = Grid {
        stabilities: 80,
        difficulties: 19,
    };

    #[test]
    fn the_ceiling_is_a_probability_that_grows_with_the_time_to_the_exam() {
        let params = fsrs::DEFAULT_PARAMETERS;
        let short = ceiling(&params, 3, COARSE).expect("valid parameters");
        let long = ceiling(&params, 12, COARSE).expect("valid parameters");
        assert!(0.5 < short && short < long && long < 1.0, "{short} {long}");
    }

    #[test]
    fn no_simulated_schedule_beats_the_ceiling() {
        let params = fsrs::DEFAULT_PARAMETERS.to_vec();
        let bound = ceiling(&params, 12, COARSE).expect("valid parameters");
        let (mut plain, mut exam) = (0.0, 0.0);
        let seeds = 1..=6;
        for seed in seeds.clone() {
            let o = run(&Scenario {
                cards: 60,
                days: 12,
                minutes_per_day: 600.0,
                budget: Budget::Allowance,
                true_parameters: params.clone(),
                seed,
            })
            .expect("runs");
            plain += o.plain_recall;
            exam += o.exam_recall;
        }
        let n = seeds.count() as f32;
        let (plain, exam) = (plain / n, exam / n);
        // Exam mode with all the time it wants comes close to the bound
        // but, up to sampling noise, never above it.
        assert!(exam <= bound + 0.005, "exam {exam} vs bound {bound}");
        assert!(exam > bound - 0.02, "exam {exam} vs bound {bound}");
        assert!(plain < bound, "plain {plain} vs bound {bound}");
    }

    #[test]
    fn a_grid_too_small_to_interpolate_on_gives_no_ceiling() {
        let flat = Grid {
            stabilities: 1,
            difficulties: 19,
        };
        assert_eq!(ceiling(&fsrs::DEFAULT_PARAMETERS, 5, flat), None);
    }

    #[test]
    fn rejected_parameters_give_no_ceiling() {
        assert_eq!(ceiling(&[f32::NAN; 21], 5, COARSE), None);
    }
}
