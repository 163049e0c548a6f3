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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::relax::grid::Answers;

    fn card(memory: Option<(f32, f32)>, days_since: f32) -> CardStart {
        CardStart {
            memory: memory.map(|(stability, difficulty)| MemoryState {
                stability,
                difficulty,
            }),
            days_since,
            difficulty: 0.0,
            time: 1.0,
        }
    }

    #[test]
    fn a_card_fading_before_the_exam_comes_before_one_that_is_safe() {
        let days = 6;
        let budget = vec![600.0; days];
        let p = fsrs::DEFAULT_PARAMETERS;
        let model = Model::for_budget(&p, Answers::SIMULATOR, &budget, 1).expect("model");
        let starts = [card(Some((300.0, 5.0)), 1.0), card(Some((2.0, 6.0)), 4.0)];
        let price = vec![0.0005; days];
        let free = vec![f32::INFINITY; days];
        let day = Day::new(&model, &starts, &price, &free);
        let ranked = day.rank(&starts).expect("ranked");
        assert_eq!(ranked[0].card, 1, "{ranked:?}");
        assert!(ranked[0].gain > ranked[1].gain);
        // Seconds are a review's, at the card's own time.
        assert!(ranked.iter().all(|r| (8.0..20.0).contains(&r.seconds)));
        // With time free, a card just answered and still weak is worth a
        // same-day review, but not when no level is left.
        let weak = MemoryState {
            stability: 0.1,
            difficulty: 8.0,
        };
        let free_time = Day::new(&model, &starts, &vec![0.0; days], &free);
        assert!(free_time.again(1.0, weak, 1));
        assert!(!free_time.again(1.0, weak, 0));
        // A card safe for the exam is not drilled.
        let safe = MemoryState {
            stability: 300.0,
            difficulty: 3.0,
        };
        assert!(!day.again(1.0, safe, 1));
        assert!(!day.again(1.0, weak, 0));
    }

    #[test]
    fn new_cards_come_first_at_the_pace_that_finishes_them_before_the_margin() {
        let starts: Vec<CardStart> = (0..12)
            .map(|i| {
                if i < 10 {
                    card(None, 0.0)
                } else {
                    card(Some((3.0, 5.0)), 2.0)
                }
            })
            .collect();
        // The two learned cards rank first, then the new ones in reverse.
        let ranked: Vec<Ranked> = [10, 11, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
            .into_iter()
            .enumerate()
            .map(|(i, card)| Ranked {
                card,
                gain: -(i as f32),
                seconds: 10.0,
            })
            .collect();
        // 10 new cards over 5 days less 3: 5 today, the best-ranked.
        let order: Vec<usize> = new_at_pace(ranked.clone(), &starts, 5, 3)
            .iter()
            .map(|r| r.card)
            .collect();
        assert_eq!(order, [9, 8, 7, 6, 5, 10, 11, 4, 3, 2, 1, 0]);
        // With the margin reached, every new card is due today.
        let order = new_at_pace(ranked.clone(), &starts, 3, 3);
        assert_eq!(order[..10].iter().filter(|r| r.card < 10).count(), 10);
        // With time enough, one a day.
        let order = new_at_pace(ranked, &starts, 13, 3);
        assert_eq!(order[0].card, 9);
        assert_eq!(order[1].card, 10);
    }
}
