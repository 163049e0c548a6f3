//! A study day from the relaxation's prices: which cards want today most,
//! and whether a card just answered wants another review the same day.
//!
//! Re-solved each study day from what is known that morning, the prices
//! say what a second is worth on each day left. A card's loss by waiting
//! is its best value if studied today less its best value if its next
//! answer comes on a later day (or never); per expected second, it ranks
//! the day's cards. New cards come first at least at the pace that
//! finishes them a few days before the exam: the relaxation alone, not
//! knowing which days will be missed, keeps too many for the last days
//! (in the simulation, 5 points of recall at 1,000 cards in 30 days of
//! 15 minutes).

use fsrs::MemoryState;

use super::grid::{Step, at, first_step, pos};
use super::model::{CLASSES, Model, Table, class, class_factor, class_tables};
use super::solve::{CardStart, first_plan};

/// The day's programmes at its prices, per answer-time class.
pub struct Day<'m> {
    model: &'m Model,
    tables: Vec<Option<Table>>,
    price: Vec<f32>,
    free: Vec<f32>,
}

/// One card in the day's order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// The card's index among the starts.
    pub card: usize,
    /// What it loses by waiting, per expected second.
    pub gain: f32,
    /// Its expected seconds today.
    pub seconds: f32,
}

impl<'m> Day<'m> {
    /// The programmes of day 0 of `model` at `prices` (per second, per
    /// free answer, for each day of the model), for the classes of the
    /// cards in `starts`.
    pub fn new(model: &'m Model, starts: &[CardStart], price: &[f32], free: &[f32]) -> Day<'m> {
        let mut used = vec![false; CLASSES];
        for c in starts {
            used[class(c.time)] = true;
        }
        Day {
            model,
            tables: class_tables(model, price, free, &used),
            price: price.to_vec(),
            free: free.to_vec(),
        }
    }

    /// The cards in the order they want today: most lost by waiting per
    /// expected second first.
    pub fn rank(&self, starts: &[CardStart]) -> Option<Vec<Ranked>> {
        let (model, price, free) = (self.model, &self.price, &self.free);
        let left = model.days;
        let mut ranked = Vec::with_capacity(starts.len());
        for (i, c) in starts.iter().enumerate() {
            let k = class(c.time);
            let f = class_factor(k);
            let top = |t: usize| -> &[f32] {
                self.tables[k]
                    .as_ref()
                    .and_then(|tb| tb.w.get(t)?.last())
                    .map_or(&[][..], Vec::as_slice)
            };
            let since = c.days_since.max(0.0) as usize;
            let step = |t: usize| -> Option<Step> {
                match c.memory {
                    None => first_step(&model.fsrs, &model.answers, c.difficulty),
                    Some(m) => Some(model.review(m, since + t)),
                }
            };
            let now = step(0)?;
            let today = now.value(price[0] * f, free[0], top(0));
            let never = c.memory.map_or(0.0, |m| {
                model.recall(m, (since + left) as f32 - model.slack)
            });
            let mut options = Vec::with_capacity(left);
            for t in (1..left).filter(|t| model.study[*t]) {
                options.push((t, step(t)?.value(price[t] * f, free[t], top(t))));
            }
            let later = first_plan(&options, never, &|t| model.chance(t)).0;
            let seconds = now.seconds() * c.time;
            ranked.push(Ranked {
                card: i,
                gain: (today - later) / seconds.max(1.0),
                seconds,
            });
        }
        ranked.sort_by(|a, b| b.gain.total_cmp(&a.gain));
        Some(ranked)
    }

    /// Whether a card of answer-time factor `time`, just answered today
    /// and now in state `m`, with `level` same-day reviews still allowed,
    /// is worth another review today.
    pub fn again(&self, time: f32, m: MemoryState, level: usize) -> bool {
        let k = class(time);
        let Some(table) = &self.tables[k] else {
            return false;
        };
        let Some(below) = level.checked_sub(1).and_then(|l| table.w.first()?.get(l)) else {
            return false;
        };
        let stay = at(below, pos(m));
        let (price, free) = (self.price.first(), self.free.first());
        let (Some(price), Some(free)) = (price, free) else {
            return false;
        };
        let go = self
            .model
            .review(m, 0)
            .value(price * class_factor(k), *free, below);
        go > stay
    }
}

/// `ranked` with the new cards the pace asks for today first: those left
/// over the study days left but `margin` (at least one day), the
/// best-ranked of them; then the rest in their order.
pub fn new_at_pace(
    ranked: Vec<Ranked>,
    starts: &[CardStart],
    days_left: usize,
    margin: usize,
) -> Vec<Ranked> {
    let new: Vec<usize> = (0..ranked.len())
        .filter(|j| starts[ranked[*j].card].memory.is_none())
        .collect();
    let pace = new.len().div_ceil(days_left.saturating_sub(margin).max(1));
    let mut first: Vec<Ranked> = new.iter().take(pace).map(|j| ranked[*j]).collect();
    let mut taken = vec![false; starts.len()];
    for r in &first {
        taken[r.card] = true;
    }
    first.extend(ranked.into_iter().filter(|r| !taken[r.card]));
    first
}
