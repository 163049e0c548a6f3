//! The relaxation solved: prices per day found by descent on the dual,
//! each card's best schedule at them, and the bound they give.

use fsrs::MemoryState;

use super::grid::NG;
use super::grid::{Step, first_step};
use super::model::{CLASSES, Model, Spend, chord, class_factor, class_tables, spread};

/// A card as the planner knows it on the model's first day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardStart {
    /// None for a card never answered.
    pub memory: Option<MemoryState>,
    /// Days since its last answer, on the first day's morning.
    pub days_since: f32,
    /// Added to its first difficulty.
    pub difficulty: f32,
    /// Multiplies its answer times.
    pub time: f32,
}

/// The distribution of an unseen card's type: (time class, probability,
/// first answer with its difficulty offset).
pub type Prior = [(usize, f32, Step)];

/// A card as the relaxation sees it: its first decision's options.
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
    /// New cards valued blind to their type, and the distribution of
    /// that type (empty when none are).
    unseen: usize,
    prior: &'a Prior,
    count: usize,
    budget: &'a [f32],
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
                for (k, q, first) in self.prior {
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
pub fn first_plan(
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
    starts: &[CardStart],
    budget: &'a [f32],
    unseen: Option<&'a Prior>,
) -> Option<Problem<'a>> {
    let mut cards = Vec::with_capacity(2 * starts.len());
    let mut blind = 0;
    for c in starts {
        if unseen.is_some() && c.memory.is_none() {
            blind += 1;
            continue;
        }
        let card = match c.memory {
            None => Card::New {
                first: first_step(&model.fsrs, &model.answers, c.difficulty)?,
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
    let prior = match unseen {
        Some(prior) if blind > 0 => prior,
        _ => &[],
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

/// A second's price and the free answer's, per day.
pub type Prices = (Vec<f32>, Vec<f32>);

/// How many of the descent's last prices [`solve_from`] returns.
const KEEP: usize = 20;

/// What [`solve_from`] found.
pub struct Solved {
    /// The smallest `U`, capped at 1.
    pub bound: f32,
    /// Its prices.
    pub best: Prices,
    /// The descent's last [`KEEP`] prices (around the best: a primal
    /// schedule may mix the cards' best schedules at them).
    pub last: Vec<Prices>,
    /// At each descent step, the expected recall per card of the cards'
    /// best schedules and their expected seconds per day: averaged over
    /// the last steps, a schedule of the relaxation (mixing the steps'
    /// schedules) and how well it keeps each day's minutes on average.
    pub history: Vec<(f32, Vec<f32>)>,
}

/// The relaxation solved in `steps` descent steps, from `init` when given (prices for
/// the same days, e.g. the day before's shifted by a day) rather than
/// from the best single price. Any prices give a valid bound, so where it
/// starts only changes how tight the result is.
pub fn solve_from(
    model: &Model,
    starts: &[CardStart],
    budget: &[f32],
    init: Option<&Prices>,
    steps: usize,
    unseen: Option<&Prior>,
) -> Option<Solved> {
    // The longest answer: the slowest rating of the slowest class; the
    // free answer's price is at most its seconds' (infinite: none).
    let longest = if model.free_answer {
        model.answers.longest() * class_factor(CLASSES - 1)
    } else {
        f32::INFINITY
    };
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
                    if *l > 0.0 && m.is_finite() && longest.is_finite() {
                        (m / l).clamp(1.0, longest)
                    } else {
                        longest
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
            let kappa = vec![longest; days];
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
            left += price[d] * (c * budget[d] - spend.seconds[d]);
            if fr[d].is_finite() {
                left += fr[d] * (c - spend.free[d]);
            }
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
            if longest.is_finite() {
                kappa[d] = (kappa[d] * up).clamp(1.0, longest);
            }
        }
    }
    Some(Solved {
        bound: best.min(1.0),
        best: best_prices,
        last: last_prices,
        history,
    })
}

/// The smallest `U` with one price for every day and no free answer: a
/// looser bound than [`solve_from`]'s, which prices each day.
pub fn one_price(model: &Model, starts: &[CardStart], budget: &[f32]) -> Option<f32> {
    let problem = problem(model, starts, budget, None)?;
    let days = budget.len();
    let (u, _) = golden(&problem, &vec![1.0; days], &vec![f32::INFINITY; days]);
    Some(u.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
