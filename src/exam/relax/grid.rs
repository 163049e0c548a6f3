//! The memory states a card's programme is solved over (log stability ×
//! difficulty), and one answer's outcomes on them.

use fsrs::{FSRS, MemoryState};

const S_MIN: f32 = 0.05;
const S_MAX: f32 = 36_500.0;
/// Stabilities on the grid, ×1.073 apart: rounding a state up to the next
/// one grants it more memory than it has, which 96 (×1.15) did enough to
/// lift the 300-card, 14-day bound by 0.3 points (384 lower it 0.1 more).
pub const NS: usize = 192;
pub const ND: usize = 22;
/// Grid points in all.
pub const NG: usize = NS * ND;

pub(crate) fn stability(i: usize) -> f32 {
    (S_MIN.ln() + (S_MAX.ln() - S_MIN.ln()) * i as f32 / (NS - 1) as f32).exp()
}

fn difficulty(j: usize) -> f32 {
    1.0 + 9.0 * j as f32 / (ND - 1) as f32
}

/// The memory state at grid point `g`.
pub fn grid_state(g: usize) -> MemoryState {
    MemoryState {
        stability: stability(g / ND),
        difficulty: difficulty(g % ND),
    }
}

/// Where a state falls on the grid: its stability rounded *up* to a grid
/// point, its difficulty between grid points `at` and `at + 1`, `w` the
/// weight of the second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pos {
    pub at: u32,
    pub w: f32,
}

/// Where `m` falls on the grid.
pub fn pos(m: MemoryState) -> Pos {
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
/// (a learner kept on the grid remembers as the programme plans).
pub fn on_grid(m: MemoryState) -> MemoryState {
    let p = pos(m);
    MemoryState {
        stability: stability(p.at as usize / ND),
        difficulty: m.difficulty,
    }
}

/// A grid's values at `p`.
pub fn at(values: &[f32], p: Pos) -> f32 {
    let k = p.at as usize;
    values[k] * (1.0 - p.w) + values[k + 1] * p.w
}

/// How answers go: the chances of a first answer's ratings and of a
/// passed review's, and the seconds of each rating, for a first answer
/// and for a review (before a card's own time factor).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answers {
    /// Again, Hard, Good, Easy.
    pub first: [f32; 4],
    /// Hard, Good, Easy, given a pass.
    pub pass: [f32; 3],
    /// Seconds by rating: a first answer, then a review.
    pub seconds: [[f32; 4]; 2],
}

impl Answers {
    /// The `fsrs` crate's simulator defaults (`SimulatorConfig`).
    pub const SIMULATOR: Answers = Answers {
        first: [0.24, 0.094, 0.495, 0.171],
        pass: [0.224, 0.631, 0.145],
        seconds: [[19.58, 18.79, 13.78, 10.71], [19.38, 17.59, 12.38, 8.94]],
    };

    /// The longest an answer takes, before a card's time factor.
    pub fn longest(&self) -> f32 {
        self.seconds.iter().flatten().copied().fold(0.0, f32::max)
    }
}

/// One answer: the outcomes' weights and states, and each outcome's
/// seconds (before the card's time factor).
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub weight: [f32; 4],
    pub next: [Pos; 4],
    pub cost: [f32; 4],
}

impl Step {
    /// Expected recall after the answer minus its price: each outcome's
    /// seconds at `price` a second, or the day's free answer at `free`
    /// when that is cheaper (the answer that overruns the day's minutes;
    /// chosen after the outcome is known, which only loosens the bound).
    pub fn value(&self, price: f32, free: f32, after: &[f32]) -> f32 {
        let mut v = 0.0;
        for r in 0..4 {
            v += self.weight[r] * (at(after, self.next[r]) - (price * self.cost[r]).min(free));
        }
        v
    }

    /// Expected seconds paid for (before the time factor) and expected
    /// free answers taken, at `price` and `free` as in [`Step::value`].
    pub fn spend(&self, price: f32, free: f32) -> (f32, f32) {
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
    pub fn seconds(&self) -> f32 {
        (0..4).map(|r| self.weight[r] * self.cost[r]).sum()
    }
}

/// A review of a card in state `m`, `e` whole days after its last answer,
/// recall taken `slack` days early.
pub(crate) fn review(
    fsrs: &FSRS,
    answers: &Answers,
    decay: f32,
    slack: f32,
    m: MemoryState,
    e: usize,
) -> Step {
    let p = fsrs::current_retrievability(m, (e as f32 - slack).max(0.0), decay);
    let next = fsrs
        .next_states(Some(m), 0.9, e as u32)
        .ok()
        .map_or([m; 4], |n| {
            [n.again.memory, n.hard.memory, n.good.memory, n.easy.memory]
        });
    let pass: f32 = answers.pass.iter().sum();
    let mut weight = [1.0 - p, 0.0, 0.0, 0.0];
    for r in 0..3 {
        weight[r + 1] = p * answers.pass[r] / pass;
    }
    Step {
        weight,
        next: next.map(pos),
        cost: answers.seconds[1],
    }
}

/// A new card's first answer, with the card's difficulty offset.
pub fn first_step(fsrs: &FSRS, answers: &Answers, offset: f32) -> Option<Step> {
    let n = fsrs.next_states(None, 0.9, 0).ok()?;
    let first = [n.again.memory, n.hard.memory, n.good.memory, n.easy.memory];
    Some(Step {
        weight: answers.first,
        next: first.map(|m| {
            pos(MemoryState {
                stability: m.stability,
                difficulty: (m.difficulty + offset).clamp(1.0, 10.0),
            })
        }),
        cost: answers.seconds[0],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_steps_weights_sum_to_one_and_its_seconds_are_the_answers() {
        let fsrs = FSRS::new(&fsrs::DEFAULT_PARAMETERS).expect("fsrs");
        let a = Answers::SIMULATOR;
        let m = MemoryState {
            stability: 3.0,
            difficulty: 5.0,
        };
        let r = review(&fsrs, &a, fsrs::DEFAULT_PARAMETERS[20], 0.0, m, 3);
        assert!((r.weight.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert_eq!(r.cost, a.seconds[1]);
        let f = first_step(&fsrs, &a, 0.0).expect("first");
        assert_eq!((f.weight, f.cost), (a.first, a.seconds[0]));
        assert_eq!(a.longest(), 19.58);
    }
}
