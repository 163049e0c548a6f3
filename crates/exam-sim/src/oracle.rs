//! The oracle (`--oracle`): an achievable schedule built from the bound,
//! to tell how tight the bound is and where exam mode loses.
//!
//! It knows what no scheduler knows: the learner's true parameters, each
//! card's true memory, difficulty and answer time. Each card follows its
//! own best schedule under the bound's prices (the dynamic programme of
//! [`crate::bound`], at the prices of the smallest bound found), decided
//! from its true state after each answer: the day of its next review (or
//! never) and whether to review it again the same day. Each day, the
//! cards whose day has come are taken in order of what they lose by
//! waiting, per second, until the day's minutes are spent (as in the
//! simulation: the last answer may overrun); cards left over wait for the
//! next study day. Its recall is what some schedule reaches, so it lies
//! below the bound; the gap between them is the most the bound may be
//! loose by.

use fsrs::MemoryState;
use jiff::SignedDuration;

use crate::bound::{
    CLASSES, Model, Prices, SAME_DAY, Solved, Unseen, at, class, class_factor, class_tables,
    first_step, on_grid, pos,
};
use crate::simulate::{self, Scenario, Trace, days_between, fits, morning, studies};
use kioku::exam_planner::relax::rank::{Day, new_at_pace};

/// What the oracle changes in the simulated learner, to tell where the
/// time its schedule takes beyond the relaxation's count comes from
/// (`--overrun`); all off for the oracle itself.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Knobs {
    /// The learner's FSRS update counts calendar days, not whole 24-hour
    /// spans.
    pub(crate) calendar: bool,
    /// Each card's answer time is its class's factor, not its own.
    pub(crate) class_time: bool,
    /// The learner's stability is rounded up to the bound's grid after
    /// each answer, as the programme plans for it.
    pub(crate) on_grid: bool,
}

/// Where the oracle's seconds went, summed over its answers.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Diag {
    pub(crate) answers: f32,
    pub(crate) same_day: f32,
    /// Seconds the learner took.
    pub(crate) seconds: f32,
    /// Expected seconds of the same answers as the programme counts them:
    /// from the card's true state, whole calendar days since its last
    /// answer, recall taken the model's slack early, the class's time.
    pub(crate) counted: f32,
    /// The same at the card's own answer time.
    pub(crate) own_time: f32,
    /// Forgotten answers (first answers rated Again included), and as
    /// expected.
    pub(crate) again: f32,
    pub(crate) again_expected: f32,
    /// Answers the learner updated with fewer whole days than calendar
    /// days since the last answer, and of those, the next day's taken as
    /// a same-day one.
    pub(crate) floored: f32,
    pub(crate) floored_to_same_day: f32,
    /// The relaxation's own expected seconds at the prices followed (the
    /// forward passes of the descent's last prices, mean).
    pub(crate) planned: f32,
}

impl Diag {
    pub(crate) fn add(&mut self, o: &Diag) {
        self.answers += o.answers;
        self.same_day += o.same_day;
        self.seconds += o.seconds;
        self.counted += o.counted;
        self.own_time += o.own_time;
        self.again += o.again;
        self.again_expected += o.again_expected;
        self.floored += o.floored;
        self.floored_to_same_day += o.floored_to_same_day;
        self.planned += o.planned;
    }
}

/// The oracle's exam-day recall and what it did. `mixed`: the cards follow
/// their best schedules at the descent's last prices in turn (card `i` at
/// the `i`-th modulo their number) rather than all at the best prices, so
/// that, like the relaxation's own solution, they mix the schedules whose
/// days' seconds are above and below each day's minutes. `capped: false`:
/// no daily minutes, each card studied on its own best day only (the
/// relaxation's schedule followed as it is, whatever the time it takes).
#[allow(clippy::needless_range_loop)] // days index the prices and the tables
pub(crate) fn oracle(
    s: &Scenario,
    parameters: &[f32],
    seed: u64,
    (model, solved): (&Model, &Solved),
    mixed: bool,
    capped: bool,
    knobs: Knobs,
) -> Option<(f32, Trace, Diag)> {
    let (starts, budget) = simulate::starts(s, parameters, seed)?;
    let days = budget.len();
    let study: Vec<bool> = budget.iter().map(|b| *b > 0.0).collect();
    let sets: Vec<&Prices> = if mixed {
        solved.last.iter().collect()
    } else {
        vec![&solved.best]
    };
    let used: Vec<bool> = (0..CLASSES)
        .map(|k| starts.iter().any(|c| class(c.time) == k))
        .collect();
    let tables: Vec<_> = sets
        .iter()
        .map(|(price, free)| class_tables(model, price, free, &used))
        .collect();
    let set = |i: usize| i % sets.len();
    let mut learner = simulate::prepared(s, parameters, seed)?;
    let n = starts.len();
    let classes: Vec<usize> = starts.iter().map(|c| class(c.time)).collect();
    learner.calendar |= knobs.calendar;
    if knobs.class_time {
        for (c, k) in learner.cards.iter_mut().zip(&classes) {
            c.time = class_factor(*k);
        }
    }
    let mut diag = Diag::default();
    {
        // The relaxation's expected seconds at the prices followed.
        let keep = if mixed { sets.len() } else { 1 };
        let tail = &solved.history[solved.history.len().saturating_sub(keep)..];
        diag.planned =
            tail.iter().map(|h| h.1.iter().sum::<f32>()).sum::<f32>() / tail.len().max(1) as f32;
    }
    let top = |j: usize, k: usize, t: usize| -> &[f32] {
        tables[j][k]
            .as_ref()
            .and_then(|tb| tb.w[t].last())
            .map_or(&[][..], Vec::as_slice)
    };
    // The value of the card's options from day `from` on: (value of each
    // study day's first answer or review, value of never).
    let options =
        |i: usize, m: Option<MemoryState>, last_day: i64, from: usize| {
            let k = classes[i];
            let f = class_factor(k);
            let j = set(i);
            let (price, free) = sets[j];
            let mut each = Vec::new();
            let never = match m {
                None => 0.0,
                Some(m) => fsrs::current_retrievability(
                    m,
                    (days as i64 - last_day) as f32 - model.slack,
                    model.decay,
                ),
            };
            for t in from..days {
                if !study[t] {
                    continue;
                }
                let v =
                    match m {
                        None => first_step(&model.fsrs, &model.answers, starts[i].difficulty)?
                            .value(price[t] * f, free[t], top(j, k, t)),
                        Some(m) => {
                            let e = (t as i64 - last_day).max(0) as usize;
                            model
                                .review(m, e)
                                .value(price[t] * f, free[t], top(j, k, t))
                        }
                    };
                each.push((t, v));
            }
            Some((each, never))
        };
    // Each card's day of last answer (before day 0 for earlier progress).
    let mut last_day: Vec<i64> = learner
        .cards
        .iter()
        .map(|c| {
            let d = morning(0).duration_since(c.last).as_secs_f64() / 86_400.0;
            -(d.ceil() as i64)
        })
        .collect();
    // Each card's options from the day after its last answer.
    let mut opts = Vec::with_capacity(n);
    for (i, c) in learner.cards.iter().enumerate() {
        opts.push(options(i, c.truth, last_day[i], 0)?);
    }
    let allowance = if capped {
        s.minutes_per_day * 60.0
    } else {
        f32::INFINITY
    };
    let new_seconds = first_step(&model.fsrs, &model.answers, 0.0)?.seconds();
    let mut trace = Trace::new(days);
    for d in 0..days {
        if !studies(s, seed, d) {
            continue;
        }
        // Every card, by what it loses by waiting, per second: the cards
        // whose best day has come first, then those that lose least by
        // coming early, while the minutes last.
        let mut today: Vec<(f32, usize)> = Vec::new();
        for (i, (each, never)) in opts.iter().enumerate() {
            let Some(&(_, v)) = each.iter().find(|(t, _)| *t == d) else {
                continue;
            };
            let later = each
                .iter()
                .filter(|(t, _)| *t > d)
                .map(|x| x.1)
                .fold(*never, f32::max);
            let f = class_factor(classes[i]);
            let secs = learner.cards[i].truth.map_or(new_seconds, |m| {
                let r =
                    fsrs::current_retrievability(m, (d as i64 - last_day[i]) as f32, model.decay);
                r * 12.4 + (1.0 - r) * 19.4
            });
            if !capped && v < later {
                continue;
            }
            today.push(((v - later) / (f * secs), i));
        }
        today.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut queue = today.into_iter().map(|x| x.1);
        // Same-day reviews waiting: (due, card, levels left after it).
        let mut again: Vec<(jiff::Timestamp, usize, usize)> = Vec::new();
        let mut now = morning(d as i64);
        let mut spent = 0.0;
        let mut level = vec![SAME_DAY; n];
        while spent < allowance {
            let Some((i, same)) = next_card(&mut again, &mut queue, &mut level, now) else {
                break;
            };
            if !fits(spent, learner.peek(i, now).1, allowance) {
                break;
            }
            let was_new = learner.cards[i].truth.is_none();
            let before = learner.cards[i];
            let step = match before.truth {
                None => first_step(&model.fsrs, &model.answers, starts[i].difficulty)?,
                Some(m) => model.review(m, days_between(before.last, now) as usize),
            };
            let (rating, seconds) = learner.answer(i, now);
            trace.record(d, i, was_new, same, seconds);
            diag.answers += 1.0;
            diag.same_day += f32::from(u8::from(same));
            diag.seconds += seconds;
            diag.counted += step.seconds() * class_factor(classes[i]);
            diag.own_time += step.seconds() * before.time;
            diag.again += f32::from(u8::from(rating == 1));
            diag.again_expected += step.weight[0];
            if before.truth.is_some() {
                let hours = now.duration_since(before.last).as_secs_f64() / 86_400.0;
                let calendar = days_between(before.last, now);
                if (hours.floor() as u32) < calendar {
                    diag.floored += 1.0;
                    if hours < 1.0 {
                        diag.floored_to_same_day += 1.0;
                    }
                }
            }
            spent += seconds;
            now = now
                .checked_add(SignedDuration::from_secs_f32(seconds))
                .ok()?;
            last_day[i] = d as i64;
            if knobs.on_grid {
                let card = &mut learner.cards[i];
                card.truth = card.truth.map(on_grid);
            }
            let Some(m) = learner.cards[i].truth else {
                continue;
            };
            let k = classes[i];
            let f = class_factor(k);
            // Again the same day, if the programme says so.
            let (price, free) = sets[set(i)];
            if level[i] > 0
                && let Some(tb) = &tables[set(i)][k]
                && let Some(below) = tb.w[d].get(level[i] - 1)
            {
                let stay = at(below, pos(m));
                let go = model.review(m, 0).value(price[d] * f, free[d], below);
                if go > stay {
                    let due = now.checked_add(SignedDuration::from_mins(10)).ok()?;
                    again.push((due, i, level[i] - 1));
                    continue;
                }
            }
            opts[i] = options(i, Some(m), d as i64, d + 1)?;
        }
        // Cards whose same-day review did not fit: their next day.
        for (_, i, _) in again {
            if let Some(m) = learner.cards[i].truth {
                opts[i] = options(i, Some(m), d as i64, d + 1)?;
            }
        }
    }
    Some((learner.recall_at(morning(days as i64)), trace, diag))
}

/// Exam mode's planner with full information (`--oracle`): the value of
/// each card from its true memory, the learner's true parameters and its
/// true answer time, greedily by value until the day's minutes are spent,
/// and no relearning the same day (as exam mode). What exam mode's rule
/// reaches when nothing is hidden from it.
pub(crate) fn informed(s: &Scenario, parameters: &[f32], seed: u64) -> Option<(f32, Trace)> {
    use kioku::exam_planner::{CardNow, Costs, Planner};
    let fsrs = fsrs::FSRS::new(parameters).ok()?;
    let planner = Planner {
        fsrs: &fsrs,
        decay: parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::DEFAULT_PARAMETERS[20]),
        costs: Costs::default(),
    };
    let mut learner = simulate::prepared(s, parameters, seed)?;
    let n = learner.cards.len();
    let allowance = s.minutes_per_day * 60.0;
    let mut trace = Trace::new(s.days);
    for d in 0..s.days {
        if !studies(s, seed, d) {
            continue;
        }
        let mut now = morning(d as i64);
        let to_exam = (s.days - d) as f32;
        let mut spent = 0.0;
        let mut done = vec![false; n];
        'day: while spent < allowance {
            let mut order: Vec<(f32, usize)> = (0..n)
                .filter(|i| !done[*i])
                .filter_map(|i| {
                    let c = learner.cards[i];
                    let card = CardNow {
                        memory: c.truth,
                        elapsed_days: c.truth.map_or(0.0, |_| {
                            now.duration_since(c.last).as_secs_f64() as f32 / 86_400.0
                        }),
                    };
                    let value = planner.value(&card, to_exam) / c.time;
                    (value > 0.0).then_some((value, i))
                })
                .collect();
            if order.is_empty() {
                break;
            }
            order.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (_, i) in order {
                if !fits(spent, learner.peek(i, now).1, allowance) {
                    break 'day;
                }
                let was_new = learner.cards[i].truth.is_none();
                let (_, seconds) = learner.answer(i, now);
                trace.record(d, i, was_new, false, seconds);
                done[i] = true;
                spent += seconds;
                now = now
                    .checked_add(SignedDuration::from_secs_f32(seconds))
                    .ok()?;
            }
        }
    }
    Some((learner.recall_at(morning(s.days as i64)), trace))
}

/// What a scheduler can know of the cards (`--mpc --blind`): each card's
/// memory replayed from its ratings with the FSRS parameters it plans
/// with (kioku's defaults, not the learner's), its answer-time factor
/// from its answers' seconds against the simulator's base times for
/// their ratings (1 until it is answered), and no difficulty offset.
struct Beliefs {
    fsrs: fsrs::FSRS,
    memory: Vec<Option<MemoryState>>,
    last: Vec<jiff::Timestamp>,
    seconds: Vec<f32>,
    base: Vec<f32>,
}

impl Beliefs {
    fn new(cards: usize) -> Option<Beliefs> {
        Some(Beliefs {
            fsrs: fsrs::FSRS::new(&fsrs::DEFAULT_PARAMETERS).ok()?,
            memory: vec![None; cards],
            last: vec![jiff::Timestamp::UNIX_EPOCH; cards],
            seconds: vec![0.0; cards],
            base: vec![0.0; cards],
        })
    }

    fn record(&mut self, (i, rating, seconds, at): simulate::Seen) {
        let before = self.memory[i];
        let e = before.map_or(0, |_| days_between(self.last[i], at));
        let next = simulate::rated(&self.fsrs, before, e, rating);
        self.memory[i] = next.or(before);
        self.last[i] = at;
        let row = usize::from(before.is_some());
        self.seconds[i] += seconds;
        self.base[i] += simulate::COSTS[row][usize::from(rating.clamp(1, 4)) - 1];
    }

    fn time(&self, i: usize) -> f32 {
        if self.base[i] > 0.0 {
            (self.seconds[i] / self.base[i]).clamp(0.5, 2.0)
        } else {
            1.0
        }
    }
}

/// The days before the exam the quota's pace leaves free of new cards
/// (`--quota-margin K`, 3 unless told).
pub(crate) static QUOTA_MARGIN: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
/// Same-day reviews in a row the re-solved schedule plans and gives
/// (`--mpc-same-day N`, [`SAME_DAY`] unless told).
pub(crate) static MPC_SAME_DAY: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
/// A factor on the quota's pace (`--quota-scale F`, 1 unless told).
pub(crate) static QUOTA_SCALE: std::sync::OnceLock<f32> = std::sync::OnceLock::new();

/// `--no-foresight`: the full-knowledge schedule does not know which days
/// will be missed (it plans for them as the blind one does).
pub(crate) static NO_FORESIGHT: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// The model-predictive oracle (`--mpc`): each study day, the relaxation
/// is solved again for the days left, from every card's true memory that
/// morning (warm-started from the day before's prices, `steps` descent
/// steps; the first day from scratch, as the bound), and the day is
/// filled with the cards in order of what they lose by waiting, per
/// second, at the new prices: the cards the programme wants today first.
/// Same-day reviews as the programme says. `ordered`: the cards picked
/// for the day are taken new ones first, then by the time of day of
/// their last answer, so that a card taken on the next day is rarely
/// taken earlier in the sitting than it was (the simulated learner
/// floors the hours since the last answer, and would count it as a
/// same-day review). A schedule with full knowledge, like [`oracle`];
/// with the bound its first day's solve gives (from the same day 0 as a
/// late start's, so the bound when the first day is a study day).
/// `blind`: the same schedule knowing only what kioku could
/// ([`Beliefs`]), so what a port of it into kioku would reach. `quota`:
/// each day starts with at least the new cards the new-first quota's pace
/// asks for (those left over the days left but three), the best-ranked of
/// them, so that new cards are not all kept for the last days.
pub(crate) fn mpc(
    s: &Scenario,
    parameters: &[f32],
    seed: u64,
    steps: usize,
    ordered: bool,
    blind: bool,
    quota: bool,
) -> Option<(f32, Trace, f32)> {
    use crate::bound;
    use crate::simulate::Start;
    let (first, budget) = simulate::starts(s, parameters, seed)?;
    let days = budget.len();
    // Blind, it does not know which days will be missed: every day ahead
    // is planned as a study day.
    let unforeseen = blind || NO_FORESIGHT.load(std::sync::atomic::Ordering::Relaxed);
    let budget = if unforeseen {
        vec![s.minutes_per_day * 60.0; days]
    } else {
        budget
    };
    let planned = if blind {
        &fsrs::DEFAULT_PARAMETERS[..]
    } else {
        parameters
    };
    let same_day = MPC_SAME_DAY.get().copied().unwrap_or(SAME_DAY);
    let full = bound::model(planned, &budget, same_day)?;
    let (mut learner, earlier) = simulate::prepared_with_answers(s, parameters, seed)?;
    let mut beliefs = if blind {
        let mut b = Beliefs::new(first.len())?;
        for seen in earlier {
            b.record(seen);
        }
        Some(b)
    } else {
        None
    };
    let n = first.len();
    // What the schedule knows of a card's memory: the truth, or kioku's.
    let memory = |i: usize, learner: &simulate::Learner, b: &Option<Beliefs>| match b {
        Some(b) => b.memory[i],
        None => learner.cards[i].truth,
    };
    let allowance = s.minutes_per_day * 60.0;
    let mut trace = Trace::new(days);
    let mut prices: Option<(usize, Prices)> = None;
    let mut first_bound = 1.0;
    for d in 0..days {
        if !studies(s, seed, d) {
            continue;
        }
        let mut model = full.tail(d)?;
        if unforeseen {
            model.sure = 1;
            // The share of days missed since the first study day, from a
            // prior of one in ten days (ten days' weight).
            let first_day = (0..d).find(|t| studies(s, seed, *t)).unwrap_or(d);
            let missed = (first_day..d).filter(|t| !studies(s, seed, *t)).count();
            model.miss = (missed as f32 + 1.0) / ((d - first_day) as f32 + 10.0);
        }
        let left = days - d;
        let start = morning(d as i64);
        let since: Vec<usize> = learner
            .cards
            .iter()
            .map(|c| days_between(c.last, start) as usize)
            .collect();
        // What the schedule knows of each card this morning.
        let starts: Vec<Start> = (0..n)
            .map(|i| Start {
                memory: memory(i, &learner, &beliefs),
                days_since: since[i] as f32,
                difficulty: if blind { 0.0 } else { first[i].difficulty },
                time: beliefs.as_ref().map_or(first[i].time, |b| b.time(i)),
            })
            .collect();
        let init = prices.as_ref().map(|(from, (p, f))| {
            let shift = d - from;
            (p[shift..].to_vec(), f[shift..].to_vec())
        });
        let solved = match &init {
            Some(init) => bound::solve_from(
                &model,
                &starts,
                &budget[d..],
                Some(init),
                steps,
                Unseen::Known,
            )?,
            None => {
                let solved = bound::solve(&model, &starts, &budget[d..], Unseen::Known)?;
                first_bound = solved.bound;
                solved
            }
        };
        let (price, free) = solved.best.clone();
        prices = Some((d, solved.best));
        let day = Day::new(&model, &starts, &price, &free);
        let mut rank = day.rank(&starts)?;
        // With `quota`, the new cards the quota's pace asks for today
        // (those left over the days left but three) come first, the
        // best-ranked of them.
        if quota {
            let margin = QUOTA_MARGIN.get().copied().unwrap_or(3);
            rank = new_at_pace(rank, &starts, left, margin);
        }
        // The day's cards: as many as the expected seconds allow (one more
        // may overrun), then the rest in rank if time is left.
        let mut fill = 0.0;
        let cut = rank
            .iter()
            .position(|x| {
                fill += x.seconds;
                fill >= allowance
            })
            .map_or(rank.len(), |p| p + 1);
        let mut picked: Vec<usize> = rank[..cut].iter().map(|x| x.card).collect();
        if ordered {
            let hour = |i: usize| {
                let c = &learner.cards[i];
                starts[i].memory.map_or(-1.0, |_| {
                    c.last
                        .duration_since(morning(0))
                        .as_secs_f64()
                        .rem_euclid(86_400.0)
                })
            };
            picked.sort_by(|a, b| hour(*a).total_cmp(&hour(*b)));
        }
        let mut queue = picked.into_iter().chain(rank[cut..].iter().map(|x| x.card));
        let mut again: Vec<(jiff::Timestamp, usize, usize)> = Vec::new();
        let mut now = start;
        let mut spent = 0.0;
        let mut level = vec![same_day; n];
        while spent < allowance {
            let Some((i, same)) = next_card(&mut again, &mut queue, &mut level, now) else {
                break;
            };
            if !fits(spent, learner.peek(i, now).1, allowance) {
                break;
            }
            let was_new = learner.cards[i].truth.is_none();
            let (rating, seconds) = learner.answer(i, now);
            if let Some(b) = &mut beliefs {
                b.record((i, rating, seconds, now));
            }
            trace.record(d, i, was_new, same, seconds);
            spent += seconds;
            now = now
                .checked_add(SignedDuration::from_secs_f32(seconds))
                .ok()?;
            let Some(m) = memory(i, &learner, &beliefs) else {
                continue;
            };
            if level[i] > 0 && day.again(starts[i].time, m, level[i]) {
                let due = now.checked_add(SignedDuration::from_mins(10)).ok()?;
                again.push((due, i, level[i] - 1));
            }
        }
    }
    Some((learner.recall_at(morning(days as i64)), trace, first_bound))
}

/// The next card of a day: a same-day review whose time has come, else the
/// next in the day's order, else the earliest same-day review waiting;
/// whether it is a same-day review. `again` holds (due, card, levels left
/// after it), and `level` each card's levels left.
fn next_card(
    again: &mut Vec<(jiff::Timestamp, usize, usize)>,
    queue: &mut impl Iterator<Item = usize>,
    level: &mut [usize],
    now: jiff::Timestamp,
) -> Option<(usize, bool)> {
    let waiting = match again.iter().position(|a| a.0 <= now) {
        Some(j) => Some(j),
        None => match queue.next() {
            Some(i) => {
                level[i] = SAME_DAY;
                return Some((i, false));
            }
            None => (!again.is_empty()).then_some(0),
        },
    }?;
    let (_, card, left) = again.remove(waiting);
    level[card] = left;
    Some((card, true))
}
