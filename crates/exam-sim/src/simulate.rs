//! The evidence for exam mode: a simulated student studies day after day
//! with kioku's real daily plan (`kioku::exam_planner::sim`, the code `study`
//! runs), answering as a learner whose memory follows FSRS with "true"
//! parameters the scheduler does not know.
//!
//! The learner is not one card copied: each card has its own difficulty
//! (an offset to its first difficulty, spread ±3) and its own answer time
//! (a factor 0.5–2, log-spread); the student misses about one day in ten,
//! may start late, and may come with cards learned weeks ago (some
//! overdue). Outcomes are drawn with the true probability of recall, from
//! draws fixed per card and answer (common random numbers), so that every
//! policy meets the same luck and the same missed days; rating shares and
//! answer times are the `fsrs` crate's simulator defaults.

use fsrs::{FSRS, MemoryState};
use jiff::{SignedDuration, Timestamp};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use kioku::exam_planner::{Course, Setup, deck};

/// One situation a student may be in.
#[derive(Debug, Clone)]
pub(crate) struct Scenario {
    pub cards: usize,
    /// Days from the first day to the exam.
    pub days: usize,
    pub minutes_per_day: f32,
    /// Days at the start on which the student does not study.
    pub late: usize,
    /// Whether 40% of the cards were learned three to six weeks before.
    pub prior: bool,
}

impl Scenario {
    pub(crate) fn describe(&self) -> String {
        let mut s = format!("{}/{}d/{}min", self.cards, self.days, self.minutes_per_day);
        if self.late > 0 {
            s.push_str(&format!(", {} days late", self.late));
        }
        if self.prior {
            s.push_str(", 40% learned before");
        }
        s
    }
}

/// How the student uses kioku.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Policy {
    /// `kioku exam set`: exam mode.
    Exam,
    /// Plain FSRS at this retention, due reviews first, then new cards
    /// while the day's time lasts.
    DueFirst(f32),
    /// Plain FSRS at this retention, new cards first with the daily quota
    /// that finishes the deck by the exam's eve: ⌈cards / (days − 3)⌉.
    NewFirst(f32),
}

impl Policy {
    pub(crate) fn describe(self) -> String {
        match self {
            Policy::Exam => "exam mode".into(),
            Policy::DueFirst(r) => format!("FSRS {r:.2} due-first"),
            Policy::NewFirst(r) => format!("FSRS {r:.2} new-first quota"),
        }
    }
}

/// What a policy did, day by day: first answers, reviews (same-day
/// repeats among them) and seconds, those of first answers among them;
/// and for the cards first learned in the run, how many days later each
/// was first answered again on a later day (`second`, by days; `never`
/// when it was not).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Trace {
    pub new: Vec<u32>,
    pub reviews: Vec<u32>,
    pub same_day: Vec<u32>,
    pub seconds: Vec<f32>,
    pub new_seconds: Vec<f32>,
    pub second: Vec<u32>,
    pub never: u32,
    /// The day each card was learned, until its second day's answer.
    waiting: std::collections::HashMap<usize, usize>,
}

impl Trace {
    pub(crate) fn new(days: usize) -> Trace {
        Trace {
            new: vec![0; days],
            reviews: vec![0; days],
            same_day: vec![0; days],
            seconds: vec![0.0; days],
            new_seconds: vec![0.0; days],
            second: vec![0; days],
            never: 0,
            waiting: Default::default(),
        }
    }

    /// Card `card`'s answer on `day`.
    pub(crate) fn record(
        &mut self,
        day: usize,
        card: usize,
        new: bool,
        same_day: bool,
        seconds: f32,
    ) {
        if new {
            self.new[day] += 1;
            self.new_seconds[day] += seconds;
            self.waiting.insert(card, day);
            self.never += 1;
        } else {
            self.reviews[day] += 1;
            if let Some(first) = self.waiting.get(&card).copied().filter(|f| *f < day) {
                self.waiting.remove(&card);
                self.second[day - first] += 1;
                self.never -= 1;
            }
        }
        if same_day {
            self.same_day[day] += 1;
        }
        self.seconds[day] += seconds;
    }

    /// Adds another run's counts (for means over seeds).
    pub(crate) fn add(&mut self, other: &Trace) {
        for d in 0..self.new.len().min(other.new.len()) {
            self.new[d] += other.new[d];
            self.reviews[d] += other.reviews[d];
            self.same_day[d] += other.same_day[d];
            self.seconds[d] += other.seconds[d];
            self.new_seconds[d] += other.new_seconds[d];
            self.second[d] += other.second[d];
        }
        self.never += other.never;
    }
}

/// Mean true recall of all cards on exam day (unlearned cards count 0),
/// and the minutes studied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Outcome {
    pub recall: f32,
    pub minutes: f32,
}

// fsrs SimulatorConfig defaults.
pub(crate) const FIRST_RATING: [f32; 4] = [0.24, 0.094, 0.495, 0.171];
pub(crate) const PASS_RATING: [f32; 3] = [0.224, 0.631, 0.145];
pub(crate) const COSTS: [[f32; 4]; 3] = [
    [19.58, 18.79, 13.78, 10.71],
    [19.38, 17.59, 12.38, 8.94],
    [16.44, 15.25, 12.32, 8.03],
];
/// Share of missed days.
pub(crate) const MISSED: f32 = 0.1;

/// A uniform draw in [0, 1), fixed by the seed and the three numbers.
fn draw(seed: u64, a: u64, b: u64, c: u64) -> f32 {
    let mut x = seed
        ^ a.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ b.wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
        ^ c.wrapping_mul(0x1656_67b1_9e37_79f9);
    // splitmix64
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    (x >> 40) as f32 / (1u64 << 24) as f32
}

fn pick(weights: &[f32], u: f32) -> usize {
    let total: f32 = weights.iter().sum();
    let mut x = u * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// A card's difficulty offset and answer-time factor, from two draws of
/// the sum of three uniforms less 1.5 (roughly normal, on −1.5..1.5; its
/// density is [`spread_density`]), drawn for each card on its own.
pub(crate) fn card_type(spread: f32, pace: f32) -> (f32, f32) {
    let offset = if SAME_DIFFICULTY.load(std::sync::atomic::Ordering::Relaxed) {
        0.0
    } else {
        2.0 * spread
    };
    (offset, (pace * 0.8).exp().clamp(0.5, 2.0))
}

/// Whether every card's difficulty offset is 0 (`--same-difficulty`): a
/// world where the bound knows nothing of a card's memory that a schedule
/// could not (but for the ±15% parameter mismatch, which every world
/// has), to see what its knowledge of the offsets is worth.
pub(crate) static SAME_DIFFICULTY: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// The density of the sum of three uniforms on 0..1, less 1.5 (the
/// Irwin–Hall distribution, centred), for the bound's prior over the
/// cards it has not seen.
pub(crate) fn spread_density(x: f32) -> f32 {
    let s = x + 1.5;
    if !(0.0..=3.0).contains(&s) {
        0.0
    } else if s < 1.0 {
        s * s / 2.0
    } else if s < 2.0 {
        (-2.0 * s * s + 6.0 * s - 3.0) / 2.0
    } else {
        (3.0 - s) * (3.0 - s) / 2.0
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Memory {
    pub(crate) truth: Option<MemoryState>,
    pub(crate) last: Timestamp,
    answers: u64,
    /// Added to the first difficulty.
    difficulty: f32,
    /// Multiplies every answer time.
    pub(crate) time: f32,
}

/// `--revise-first`: exam mode's revision made before the day's first
/// card (as if made at the end of the day before), not after it.
pub(crate) static REVISE_FIRST: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Whether a day's last answer may overrun its minutes
/// (`--last-answer-overruns`, the earlier rule): an answer then starts
/// whenever the day's minutes are not yet spent, and the bound grants
/// each day one free answer, chosen after its outcome. Otherwise (the
/// default) the day's minutes are a hard limit, as the
/// bound's "same time budget" reads: an answer that would end after them
/// is not given (the learner stops at the bell, the card unanswered), so
/// every policy and the bound have exactly the day's minutes.
pub(crate) static LAST_ANSWER_OVERRUNS: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Whether an answer of `seconds` is given with `spent` of the day's
/// `allowance` gone (see [`LAST_ANSWER_OVERRUNS`]).
pub(crate) fn fits(spent: f32, seconds: f32, allowance: f32) -> bool {
    spent < allowance
        && (LAST_ANSWER_OVERRUNS.load(std::sync::atomic::Ordering::Relaxed)
            || spent + seconds <= allowance)
}

/// Whether every learner counts calendar days for its FSRS update, as
/// FSRS is fitted (Anki's elapsed days count day boundaries) and as kioku
/// counts study days; `--floor-hours` turns it off, for the earlier
/// learner (see [`Learner::calendar`]).
pub(crate) static CALENDAR_DAYS: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(true);

/// The simulated learner.
pub(crate) struct Learner {
    truth: FSRS,
    decay: f32,
    seed: u64,
    pub(crate) cards: Vec<Memory>,
    /// Whether an answer's FSRS update counts calendar days since the last
    /// answer rather than whole 24-hour spans. Floored hours (the earlier
    /// learner, `--floor-hours`) update a card taken the next day a few
    /// minutes earlier in the sitting as a same-day one, which no real
    /// learner does and FSRS's fit on Anki's day counts does not model.
    pub(crate) calendar: bool,
}

impl Learner {
    fn new(parameters: &[f32], cards: usize, seed: u64) -> Option<Learner> {
        let truth = FSRS::new(parameters).ok()?;
        let cards = (0..cards as u64)
            .map(|i| {
                let u = |k: u64| draw(seed, i, 1_000_000 + k, 7);
                let (difficulty, time) =
                    card_type(u(0) + u(1) + u(2) - 1.5, u(3) + u(4) + u(5) - 1.5);
                Memory {
                    truth: None,
                    last: Timestamp::UNIX_EPOCH,
                    answers: 0,
                    difficulty,
                    time,
                }
            })
            .collect();
        Some(Learner {
            truth,
            decay: parameters
                .get(20)
                .copied()
                .unwrap_or(fsrs::DEFAULT_PARAMETERS[20]),
            seed,
            cards,
            calendar: CALENDAR_DAYS.load(std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Answers card `i` at `now`: its rating and the seconds it took, from
    /// the card's appearance to the next card.
    pub(crate) fn answer(&mut self, i: usize, now: Timestamp) -> (u8, f32) {
        let c = self.cards[i];
        let (rating, seconds) = self.peek(i, now);
        let whole = if self.calendar {
            days_between(c.last, now)
        } else {
            let elapsed = now.duration_since(c.last).as_secs_f64() as f32 / 86_400.0;
            elapsed.max(0.0).floor() as u32
        };
        let next = rated(&self.truth, c.truth, whole, rating);
        let card = &mut self.cards[i];
        card.truth = match (c.truth, next) {
            // The card's own difficulty, from its first answer on.
            (None, Some(m)) => Some(MemoryState {
                stability: m.stability,
                difficulty: (m.difficulty + card.difficulty).clamp(1.0, 10.0),
            }),
            (_, n) => n.or(c.truth),
        };
        card.last = now;
        card.answers += 1;
        (rating, seconds)
    }

    /// The rating and seconds card `i`'s answer at `now` would have,
    /// without giving it (the draws are the card's own, by its count of
    /// answers, so [`Learner::answer`] then gives the same).
    pub(crate) fn peek(&self, i: usize, now: Timestamp) -> (u8, f32) {
        let c = self.cards[i];
        let u = |k: u64| draw(self.seed, i as u64, c.answers, k);
        let elapsed = now.duration_since(c.last).as_secs_f64() as f32 / 86_400.0;
        let (rating, cost) = match c.truth {
            None => {
                let r = pick(&FIRST_RATING, u(1)) as u8 + 1;
                (r, COSTS[0][r as usize - 1])
            }
            Some(m) => {
                let recall = fsrs::current_retrievability(m, elapsed.max(0.0), self.decay);
                if u(0) < recall {
                    let r = pick(&PASS_RATING, u(1)) as u8 + 2;
                    (r, COSTS[1][r as usize - 1])
                } else {
                    (1, COSTS[1][0])
                }
            }
        };
        (rating, cost * c.time)
    }

    pub(crate) fn recall_at(&self, at: Timestamp) -> f32 {
        let sum: f32 = self
            .cards
            .iter()
            .map(|c| {
                c.truth.map_or(0.0, |m| {
                    let days = at.duration_since(c.last).as_secs_f64() as f32 / 86_400.0;
                    fsrs::current_retrievability(m, days.max(0.0), self.decay)
                })
            })
            .sum();
        sum / self.cards.len().max(1) as f32
    }
}

/// The memory after an answer rated `rating` (1–4), `days` after the
/// last one, under `fsrs`.
pub(crate) fn rated(
    fsrs: &FSRS,
    memory: Option<MemoryState>,
    days: u32,
    rating: u8,
) -> Option<MemoryState> {
    let n = fsrs.next_states(memory, 0.9, days).ok()?;
    Some(match rating {
        1 => n.again.memory,
        2 => n.hard.memory,
        3 => n.good.memory,
        _ => n.easy.memory,
    })
}

/// Calendar days from `from` to `to`, the day turning at the sittings'
/// morning hour (10:00 UTC): a sitting never runs into the next morning.
pub(crate) fn days_between(from: Timestamp, to: Timestamp) -> u32 {
    let day = |t: Timestamp| (t.duration_since(morning(0)).as_secs_f64() / 86_400.0).floor() as i64;
    (day(to) - day(from)).max(0) as u32
}

fn index(key: &str) -> Option<usize> {
    key.strip_prefix("sim/c")?.parse().ok()
}

/// Day `day`'s morning, 10:00 UTC, from a fixed first day.
pub(crate) fn morning(day: i64) -> Timestamp {
    const FIRST: i64 = 1_800_000_000 - 1_800_000_000 % 86_400 + 10 * 3600;
    Timestamp::from_second(FIRST + day * 86_400).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A card as a schedule starts it on the first day (kioku's).
pub(crate) use kioku::exam_planner::relax::solve::CardStart as Start;

/// The most one answer can take (the slowest rating, the slowest card):
/// under the earlier rule (`--last-answer-overruns`) a day's session may
/// overrun its minutes by one answer, since an answer starts whenever
/// time is left.
pub(crate) const LONGEST_ANSWER: f32 = 19.58 * 2.0;

/// Whether the student studies on `day` (missed days and a late start are
/// the same for every policy).
pub(crate) fn studies(s: &Scenario, seed: u64, day: usize) -> bool {
    day >= s.late && draw(seed, 0, day as u64, 99) >= MISSED
}

/// The learner on the first morning, after any earlier progress (as
/// [`run`] gives it).
pub(crate) fn prepared(s: &Scenario, parameters: &[f32], seed: u64) -> Option<Learner> {
    prepared_with_answers(s, parameters, seed).map(|p| p.0)
}

/// One answer as a scheduler sees it: the card, its rating, its seconds
/// and when it was given.
pub(crate) type Seen = (usize, u8, f32, Timestamp);

/// [`prepared`], with the earlier answers as a scheduler saw them.
pub(crate) fn prepared_with_answers(
    s: &Scenario,
    parameters: &[f32],
    seed: u64,
) -> Option<(Learner, Vec<Seen>)> {
    let mut learner = Learner::new(parameters, s.cards, seed)?;
    let mut seen = Vec::new();
    if s.prior {
        for i in (0..s.cards).filter(|i| i % 5 < 2) {
            let first = -42 + (i % 22) as i64;
            for day in [first, first + 10].into_iter().take(1 + i % 2) {
                let (rating, seconds) = learner.answer(i, morning(day));
                seen.push((i, rating, seconds, morning(day)));
            }
        }
    }
    Some((learner, seen))
}

/// The cards on the first morning, after any earlier progress (the same
/// for every policy), and each day's allowance in seconds, 0 on a missed
/// day: every answer ends within it (see [`fits`]).
pub(crate) fn starts(
    s: &Scenario,
    parameters: &[f32],
    seed: u64,
) -> Option<(Vec<Start>, Vec<f32>)> {
    let learner = prepared(s, parameters, seed)?;
    let start = morning(0);
    let cards = learner
        .cards
        .iter()
        .map(|c| Start {
            memory: c.truth,
            days_since: start.duration_since(c.last).as_secs_f64() as f32 / 86_400.0,
            difficulty: c.difficulty,
            time: c.time,
        })
        .collect();
    let budget = (0..s.days)
        .map(|day| {
            if studies(s, seed, day) {
                s.minutes_per_day * 60.0
            } else {
                0.0
            }
        })
        .collect();
    Some((cards, budget))
}

/// Each day's allowance in seconds with no day missed (0 before a late
/// start): the budget of a schedule that does not know which days will be.
pub(crate) fn unforeseen_budget(s: &Scenario) -> Vec<f32> {
    (0..s.days)
        .map(|day| {
            if day >= s.late {
                s.minutes_per_day * 60.0
            } else {
                0.0
            }
        })
        .collect()
}

/// Runs one policy on the scenario with the learner's true parameters.
pub(crate) fn run(s: &Scenario, policy: Policy, parameters: &[f32], seed: u64) -> Option<Outcome> {
    traced(s, policy, parameters, seed, &[]).map(|r| r.0)
}

/// [`run`], with what the policy did; `planner` gives the scheduler FSRS
/// parameters (empty: kioku's defaults, as a student who has not run
/// `optimize`).
pub(crate) fn traced(
    s: &Scenario,
    policy: Policy,
    parameters: &[f32],
    seed: u64,
    planner: &[f32],
) -> Option<(Outcome, Trace)> {
    let decks = deck(s.cards);
    let quota = s.cards.div_ceil(s.days.saturating_sub(3).max(1)) as u32;
    let setup = match policy {
        Policy::Exam => Setup {
            retention: 0.9,
            new_per_day: u32::MAX,
            new_first: false,
            exam: Some((s.days as i64, s.minutes_per_day.round() as u32)),
            parameters: planner.to_vec(),
        },
        Policy::DueFirst(r) => Setup {
            retention: r,
            new_per_day: u32::MAX,
            new_first: false,
            exam: None,
            parameters: planner.to_vec(),
        },
        Policy::NewFirst(r) => Setup {
            retention: r,
            new_per_day: quota,
            new_first: true,
            exam: None,
            parameters: planner.to_vec(),
        },
    };
    let mut learner = Learner::new(parameters, s.cards, seed)?;
    let mut course = Course::new(&decks, &setup, morning(0));
    // Earlier progress: 40% of the cards learned 21–42 days before, half
    // of them reviewed once ten days later; the same for every policy.
    if s.prior {
        for i in (0..s.cards).filter(|i| i % 5 < 2) {
            let first = -42 + (i % 22) as i64;
            for day in [first, first + 10].into_iter().take(1 + i % 2) {
                let now = morning(day);
                let (rating, seconds) = learner.answer(i, now);
                course
                    .answer(&format!("sim/c{i}"), rating, (seconds * 600.0) as u64, now)
                    .ok()?;
            }
        }
    }
    let allowance = s.minutes_per_day * 60.0;
    let mut studied = 0.0;
    let mut trace = Trace::new(s.days);
    for day in 0..s.days {
        if !studies(s, seed, day) {
            continue;
        }
        let mut now = morning(day as i64);
        let mut spent = 0.0;
        // The session, as `study` runs it: the day's plan, forgotten cards
        // again when their time comes, and in exam mode a new plan when
        // the first is done with minutes left; until the day's time is
        // spent or the session ends.
        course.start(now);
        let mut seen = std::collections::HashSet::new();
        // `study` makes the day's exam revision beside the session, from
        // the day before's prices in under a second: it takes over after
        // the first card.
        let mut revised = policy != Policy::Exam;
        if !revised && REVISE_FIRST.load(std::sync::atomic::Ordering::Relaxed) {
            course.revise(now);
            revised = true;
        }
        while spent < allowance {
            let Some(key) = course.next(now) else {
                break;
            };
            let Some(i) = index(&key) else { break };
            if !fits(spent, learner.peek(i, now).1, allowance) {
                spent = allowance;
                break;
            }
            let was_new = learner.cards[i].truth.is_none();
            let (rating, seconds) = learner.answer(i, now);
            trace.record(day, i, was_new, !seen.insert(i), seconds);
            // The log keeps the answer time (about 60% of the card's wall
            // time); the planner derives the whole from the gaps.
            course
                .answer(&key, rating, (seconds * 600.0) as u64, now)
                .ok()?;
            spent += seconds;
            now = now
                .checked_add(SignedDuration::from_secs_f32(seconds))
                .ok()?;
            if !revised {
                course.revise(now);
                revised = true;
            }
        }
        studied += spent;
    }
    Some((
        Outcome {
            recall: learner.recall_at(morning(s.days as i64)),
            minutes: studied / 60.0,
        },
        trace,
    ))
}

/// FSRS's default parameters with each weight scaled by a seeded factor in
/// 0.85–1.15, kept where the crate accepts them.
pub(crate) fn perturbed(seed: u64) -> Vec<f32> {
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

    fn small() -> Scenario {
        Scenario {
            cards: 40,
            days: 12,
            minutes_per_day: 4.0,
            late: 0,
            prior: false,
        }
    }

    #[test]
    fn the_simulation_is_deterministic_per_seed() {
        let p = fsrs::DEFAULT_PARAMETERS;
        let a = run(&small(), Policy::Exam, &p, 1);
        assert_eq!(a, run(&small(), Policy::Exam, &p, 1));
        assert_ne!(a, run(&small(), Policy::Exam, &p, 2));
    }

    #[test]
    fn no_policy_studies_beyond_its_minutes() {
        let p = fsrs::DEFAULT_PARAMETERS;
        for policy in [Policy::Exam, Policy::DueFirst(0.9), Policy::NewFirst(0.9)] {
            let o = run(&small(), policy, &p, 3).expect("runs");
            assert!(o.recall > 0.2, "{policy:?} {o:?}");
            // The day's minutes are a hard limit (an answer that would
            // end after them is not given), as the bound counts them:
            // no free answer that overruns.
            let (_, trace) = traced(&small(), policy, &p, 3, &[]).expect("runs");
            assert!(trace.seconds.iter().any(|s| *s > 0.9 * 4.0 * 60.0));
            for seconds in trace.seconds {
                assert!(seconds <= 4.0 * 60.0, "{policy:?} {seconds}");
            }
        }
    }

    #[test]
    fn an_answer_peeked_at_is_the_answer_given() {
        let mut learner = Learner::new(&fsrs::DEFAULT_PARAMETERS, 5, 9).expect("learner");
        for day in 0..6 {
            for i in 0..5 {
                let now = morning(day);
                let peeked = learner.peek(i, now);
                assert_eq!(peeked, learner.peek(i, now));
                assert_eq!(peeked, learner.answer(i, now), "day {day} card {i}");
            }
        }
    }

    #[test]
    fn an_answer_fits_only_within_the_days_minutes() {
        assert!(fits(0.0, 30.0, 60.0));
        assert!(fits(30.0, 30.0, 60.0));
        assert!(!fits(31.0, 30.0, 60.0));
        assert!(!fits(60.0, 1.0, 60.0));
    }
}
