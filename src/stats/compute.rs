//! The figures of `kioku stats`, computed in one pass over cards and reviews.
//!
//! Cost is O(cards + reviews + decks × days spanned by the log): every review
//! is mapped to its study day once, and per-day figures are array buckets.

use std::cmp::Ordering;
use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::days::{self, DayClock, Segment};
use super::input::{CardInfo, CardState, MATURE_DAYS, Mode, ReviewInfo, ReviewKind, StatsInput};
use crate::rating::Rating;

/// Days in the due forecast, today first.
pub const FORECAST_DAYS: usize = 30;
/// Days in the heatmap: 26 weeks, ending today.
pub const HEATMAP_DAYS: usize = 182;
/// Cards in the hardest-cards list.
pub const HARDEST_CARDS: usize = 10;
/// A card never forgotten joins the hardest cards only below this recall
/// (FSRS's usual target): one answered yesterday at 100% is not hard.
pub const HARD_RECALL: f32 = 0.9;

/// Everything `kioku stats` shows; serialised as is for `--json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    #[serde(serialize_with = "ser::display")]
    pub now: Timestamp,
    /// The current study day (local date, rolling over at the given hour).
    #[serde(serialize_with = "ser::display")]
    pub today: Date,
    pub day_starts_at_hour: u8,
    /// IANA name of the time zone, when it has one.
    pub time_zone: Option<String>,
    /// All decks together (plus orphaned reviews in the activity figures).
    pub overall: Summary,
    /// One entry per deck, in input order.
    pub decks: Vec<DeckStats>,
    pub orphans: Orphans,
}

/// The figures for one deck.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckStats {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub summary: Summary,
}

/// The figures for a set of cards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub cards: Counts,
    pub retention: Retention,
    pub forecast: Forecast,
    pub activity: Activity,
    /// Most lapses first, then lowest retrievability now.
    pub hardest: Vec<HardCard>,
}

/// Cards by state. `new + learning + young + mature + suspended == total`;
/// leeches are counted whatever their state (a suspended leech is both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub total: u64,
    pub new: u64,
    pub learning: u64,
    /// In review with an interval under 21 days.
    pub young: u64,
    /// In review with an interval of 21 days or more.
    pub mature: u64,
    pub suspended: u64,
    pub leeches: u64,
}

/// True retention: the share of answers to cards in review state that were
/// not "again". Learning and relearning steps do not count.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Retention {
    pub today: Window,
    pub last_7_days: Window,
    pub last_30_days: Window,
    pub all_time: Window,
}

/// Retention over one period, split by the card's interval before the answer.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Window {
    pub young: Share,
    pub mature: Share,
    pub total: Share,
}

/// `passed` of `answers`, and the rate (`None` without answers).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Share {
    pub passed: u64,
    pub answers: u64,
    pub rate: Option<f64>,
}

impl Share {
    fn add(&mut self, passed: bool) {
        self.answers += 1;
        self.passed += u64::from(passed);
    }

    fn finish(&mut self) {
        self.rate = (self.answers > 0).then(|| self.passed as f64 / self.answers as f64);
    }

    fn merge(&mut self, other: &Share) {
        self.passed += other.passed;
        self.answers += other.answers;
    }
}

/// Cards due per study day, starting today. Cards already overdue are due
/// today: `days[0]` includes `overdue`. New and suspended cards are not due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    #[serde(serialize_with = "ser::display")]
    pub start: Date,
    pub overdue: u64,
    pub days: Vec<u64>,
}

/// What was studied, when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    /// All answers, every kind and mode.
    pub reviews: u64,
    pub reviews_today: u64,
    /// Distinct study days with at least one answer.
    pub days_studied: u64,
    pub streak: Streaks,
    pub heatmap: Heatmap,
    pub answer_ms_total: u64,
    pub answer_ms_today: u64,
    /// Mean time per answer (`None` without answers).
    pub answer_ms_average: Option<f64>,
}

/// Consecutive study days with at least one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Streaks {
    /// Ending today, or yesterday when nothing was studied yet today.
    pub current: u64,
    pub longest: u64,
}

/// Answers per study day over the last 182 days, oldest first, ending today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heatmap {
    #[serde(serialize_with = "ser::display")]
    pub start: Date,
    pub counts: Vec<u64>,
}

impl Heatmap {
    /// The date of `counts[i]`.
    pub fn date(&self, i: usize) -> Date {
        days::date_of(days::day_of_date(self.start) + i as i64)
    }
}

/// A card in the hardest-cards list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardCard {
    pub key: String,
    pub deck_id: String,
    pub text: String,
    pub lapses: u32,
    /// Probability of recall now, 0–1.
    pub retrievability: Option<f32>,
    pub suspended: bool,
    pub leech: bool,
}

/// Reviews in the log of cards that no deck contains any more. They count in
/// the overall activity figures (the study happened) and nowhere else.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Orphans {
    pub cards: u64,
    pub reviews: u64,
    /// Sorted.
    pub keys: Vec<String>,
}

/// One card, in full: `kioku stats --card DECK/CARD`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardDetail {
    pub key: String,
    pub deck_id: String,
    pub deck_title: Option<String>,
    pub text: String,
    /// The card's source, spelt out: the full references when the deck has
    /// a `[sources]` table (one per line), else the source as written.
    pub source: Option<String>,
    /// The card is in no deck: only its history is known.
    pub orphan: bool,
    pub state: Option<CardState>,
    pub interval_days: Option<f64>,
    #[serde(serialize_with = "ser::display_opt")]
    pub due: Option<Timestamp>,
    /// `due` in local time, `YYYY-MM-DD HH:MM`.
    pub due_local: Option<String>,
    /// Days from now until due (negative when overdue).
    pub due_in_days: Option<f64>,
    #[serde(serialize_with = "ser::display_opt")]
    pub last_review: Option<Timestamp>,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    pub lapses: u32,
    pub suspended: bool,
    pub leech: bool,
    pub retrievability_now: Option<f32>,
    #[serde(serialize_with = "ser::display_opt")]
    pub at: Option<Timestamp>,
    /// `at` in local time, `YYYY-MM-DD HH:MM`.
    pub at_local: Option<String>,
    /// Retrievability at `at`: from the memory state after the last answer
    /// before then.
    pub retrievability_at: Option<f32>,
    pub retention: Share,
    pub answer_ms_total: u64,
    pub history: Vec<HistoryEntry>,
}

/// One answer in a card's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    #[serde(serialize_with = "ser::display")]
    pub time: Timestamp,
    /// Local date and time, `YYYY-MM-DD HH:MM`.
    pub local: String,
    pub rating: Rating,
    pub mode: Mode,
    pub kind: ReviewKind,
    pub answer_ms: u32,
    pub interval_before_days: Option<f64>,
    /// Days since the previous answer (`None` for the first).
    pub elapsed_days: Option<f64>,
    pub stability_after: Option<f32>,
    pub difficulty_after: Option<f32>,
}

/// Retrievability of a memory state `elapsed_days` after the answer that set
/// it, with the fsrs crate's forgetting curve.
pub fn retrievability(stability: f32, difficulty: f32, elapsed_days: f64, decay: f32) -> f32 {
    fsrs::current_retrievability(
        fsrs::MemoryState {
            stability,
            difficulty,
        },
        elapsed_days.max(0.0) as f32,
        decay,
    )
}

fn days_between(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64() / 86_400.0
}

fn card_retrievability(card: &CardInfo, at: Timestamp, decay: f32) -> Option<f32> {
    let (s, last) = (card.stability?, card.last_review?);
    (s > 0.0).then(|| {
        retrievability(
            s,
            card.difficulty.unwrap_or(0.0),
            days_between(last, at),
            decay,
        )
    })
}

/// The moment study day `date` begins (the rollover hour, local): for
/// `--card` with a date given on the command line.
pub fn start_of_day(input: &StatsInput, date: Date) -> Timestamp {
    let clock = DayClock::new(&input.tz, input.day_starts_at_hour, input.now, input.now);
    clock.start_of(days::day_of_date(date))
}

/// The study day `ts` belongs to, as a local date.
pub fn study_day(input: &StatsInput, ts: Timestamp) -> Date {
    let clock = DayClock::new(&input.tz, input.day_starts_at_hour, ts, ts);
    days::date_of(clock.day(ts))
}

/// Per-set accumulator.
struct Acc {
    counts: Counts,
    /// [window][young, mature]
    retention: [[Share; 2]; 4],
    overdue: u64,
    forecast: [u64; FORECAST_DAYS],
    heat: [u64; HEATMAP_DAYS],
    reviews: u64,
    reviews_today: u64,
    answer_ms_total: u64,
    answer_ms_today: u64,
    /// Days with at least one answer.
    studied: DayBits,
    hard: Vec<(u32, f32, usize)>,
}

impl Acc {
    fn new() -> Self {
        Acc {
            counts: Counts::default(),
            retention: [[Share::default(); 2]; 4],
            overdue: 0,
            forecast: [0; FORECAST_DAYS],
            heat: [0; HEATMAP_DAYS],
            reviews: 0,
            reviews_today: 0,
            answer_ms_total: 0,
            answer_ms_today: 0,
            studied: DayBits::default(),
            hard: Vec::new(),
        }
    }
}

/// Shared, read-only facts for the pass.
struct Frame<'a> {
    input: &'a StatsInput,
    clock: DayClock,
    today: i64,
}

impl Frame<'_> {
    fn add_review(
        &self,
        acc: &mut Acc,
        review: &ReviewInfo,
        with_retention: bool,
        segment: &mut Segment,
    ) {
        let day = self.clock.day_near(review.time, segment);
        acc.reviews += 1;
        acc.answer_ms_total += u64::from(review.answer_ms);
        if day == self.today {
            acc.reviews_today += 1;
            acc.answer_ms_today += u64::from(review.answer_ms);
        }
        acc.studied.insert(day);
        let heat_index = day - (self.today - HEATMAP_DAYS as i64 + 1);
        if (0..HEATMAP_DAYS as i64).contains(&heat_index) {
            acc.heat[heat_index as usize] += 1;
        }
        if with_retention && review.kind == ReviewKind::Review {
            let mature = usize::from(review.interval_before_days.unwrap_or(0.0) >= MATURE_DAYS);
            let passed = review.rating.passed();
            let age = self.today - day;
            // Answers dated after today (a clock moved back) count as today.
            for (window, days) in [1, 7, 30].into_iter().enumerate() {
                if age < days {
                    acc.retention[window][mature].add(passed);
                }
            }
            acc.retention[3][mature].add(passed);
        }
    }

    fn add_card(&self, acc: &mut Acc, index: usize, card: &CardInfo) {
        let c = &mut acc.counts;
        c.total += 1;
        c.leeches += u64::from(card.leech);
        match (card.suspended, card.state) {
            (true, _) => c.suspended += 1,
            (false, CardState::New) => c.new += 1,
            (false, CardState::Learning) => c.learning += 1,
            (false, CardState::Review) if card.interval_days >= MATURE_DAYS => c.mature += 1,
            (false, CardState::Review) => c.young += 1,
        }
        if let (false, false, Some(due)) = (card.suspended, card.state == CardState::New, card.due)
        {
            let mut ahead = self.clock.day(due) - self.today;
            if ahead < 0 {
                acc.overdue += 1;
                ahead = 0;
            }
            if ahead < FORECAST_DAYS as i64 {
                acc.forecast[ahead as usize] += 1;
            }
        }
        if card.state != CardState::New || card.lapses > 0 {
            let r = card_retrievability(card, self.input.now, self.input.decay)
                .filter(|r| !r.is_nan())
                .unwrap_or(f32::INFINITY);
            if card.lapses > 0 || r < HARD_RECALL {
                acc.hard.push((card.lapses, r, index));
            }
        }
        let mut segment = Segment::default();
        for review in &card.reviews {
            self.add_review(acc, review, true, &mut segment);
        }
    }

    fn summary(&self, acc: Acc) -> Summary {
        let mut windows = [Window::default(); 4];
        for (window, shares) in windows.iter_mut().zip(acc.retention) {
            window.young = shares[0];
            window.mature = shares[1];
            window.total.merge(&shares[0]);
            window.total.merge(&shares[1]);
            window.young.finish();
            window.mature.finish();
            window.total.finish();
        }
        let [today, last_7_days, last_30_days, all_time] = windows;
        let (streak, days_studied) = acc.studied.streaks(self.today);
        let mut hard = acc.hard;
        let hardest = top_hardest(&mut hard)
            .iter()
            .map(|&(_, _, i)| hard_card(&self.input.cards[i], self.input))
            .collect();
        Summary {
            cards: acc.counts,
            retention: Retention {
                today,
                last_7_days,
                last_30_days,
                all_time,
            },
            forecast: Forecast {
                start: days::date_of(self.today),
                overdue: acc.overdue,
                days: acc.forecast.to_vec(),
            },
            activity: Activity {
                reviews: acc.reviews,
                reviews_today: acc.reviews_today,
                days_studied,
                streak,
                heatmap: Heatmap {
                    start: days::date_of(self.today - HEATMAP_DAYS as i64 + 1),
                    counts: acc.heat.to_vec(),
                },
                answer_ms_total: acc.answer_ms_total,
                answer_ms_today: acc.answer_ms_today,
                answer_ms_average: (acc.reviews > 0)
                    .then(|| acc.answer_ms_total as f64 / acc.reviews as f64),
            },
            hardest,
        }
    }
}

fn hard_order(a: &(u32, f32, usize), b: &(u32, f32, usize)) -> Ordering {
    b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2))
}

/// Sorts the hardest `HARDEST_CARDS` to the front and returns them.
fn top_hardest(hard: &mut [(u32, f32, usize)]) -> &[(u32, f32, usize)] {
    let n = hard.len().min(HARDEST_CARDS);
    if hard.len() > n {
        hard.select_nth_unstable_by(n, hard_order);
    }
    hard[..n].sort_unstable_by(hard_order);
    &hard[..n]
}

fn hard_card(card: &CardInfo, input: &StatsInput) -> HardCard {
    HardCard {
        key: card.key.clone(),
        deck_id: card.deck_id.clone(),
        text: card.text.clone(),
        lapses: card.lapses,
        retrievability: card_retrievability(card, input.now, input.decay),
        suspended: card.suspended,
        leech: card.leech,
    }
}

/// A set of day numbers: one bit per day, in 64-day words aligned on
/// multiples of 64, growing either way as days arrive.
#[derive(Debug, Clone, Default)]
struct DayBits {
    /// Word index (day / 64) of `words[0]`.
    first_word: i64,
    words: Vec<u64>,
}

impl DayBits {
    /// Makes room for words `lo..=hi`.
    fn cover(&mut self, lo: i64, hi: i64) {
        if self.words.is_empty() {
            self.first_word = lo;
            self.words.resize((hi - lo + 1) as usize, 0);
            return;
        }
        if lo < self.first_word {
            // Grow left at least by the current length: amortised O(1).
            let grow = (self.first_word - lo).max(self.words.len() as i64) as usize;
            self.words.splice(0..0, std::iter::repeat_n(0, grow));
            self.first_word -= grow as i64;
        }
        if hi >= self.first_word + self.words.len() as i64 {
            self.words.resize((hi - self.first_word + 1) as usize, 0);
        }
    }

    fn insert(&mut self, day: i64) {
        let w = day.div_euclid(64);
        self.cover(w, w);
        self.words[(w - self.first_word) as usize] |= 1 << day.rem_euclid(64);
    }

    fn contains(&self, day: i64) -> bool {
        let w = day.div_euclid(64) - self.first_word;
        usize::try_from(w)
            .ok()
            .and_then(|w| self.words.get(w))
            .is_some_and(|word| word & (1 << day.rem_euclid(64)) != 0)
    }

    fn union(&mut self, other: &DayBits) {
        if other.words.is_empty() {
            return;
        }
        self.cover(
            other.first_word,
            other.first_word + other.words.len() as i64 - 1,
        );
        let offset = (other.first_word - self.first_word) as usize;
        for (a, b) in self.words[offset..].iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// (current, longest) streak and the number of days studied. The current
    /// streak ends today, or yesterday when today is empty.
    fn streaks(&self, today: i64) -> (Streaks, u64) {
        let mut longest = 0u64;
        let mut run = 0u64;
        let mut days_studied = 0u64;
        for &word in &self.words {
            days_studied += u64::from(word.count_ones());
            match word {
                0 => run = 0,
                u64::MAX => run += 64,
                _ => {
                    for b in 0..64 {
                        if word & (1 << b) != 0 {
                            run += 1;
                            longest = longest.max(run);
                        } else {
                            run = 0;
                        }
                    }
                }
            }
            longest = longest.max(run);
        }
        let mut current = 0u64;
        let mut day = if self.contains(today) {
            today
        } else {
            today - 1
        };
        while self.contains(day) {
            current += 1;
            day -= 1;
        }
        (Streaks { current, longest }, days_studied)
    }
}

/// Computes every figure of `kioku stats`.
pub fn compute(input: &StatsInput) -> Stats {
    let (deck_meta, card_deck) = deck_map(input);
    // Offsets are looked up fast over ten years back and the forecast ahead,
    // and correctly (slower) beyond.
    let back = jiff::SignedDuration::from_hours(24 * 3660);
    let ahead = jiff::SignedDuration::from_hours(24 * (FORECAST_DAYS as i64 + 2));
    let clock = DayClock::new(
        &input.tz,
        input.day_starts_at_hour,
        input.now.checked_sub(back).unwrap_or(Timestamp::MIN),
        input.now.checked_add(ahead).unwrap_or(Timestamp::MAX),
    );
    let today = clock.day(input.now);
    let frame = Frame {
        input,
        clock,
        today,
    };

    // One pass over cards in input order (memory order), every deck's
    // accumulator live.
    let mut accs: Vec<Acc> = (0..deck_meta.len()).map(|_| Acc::new()).collect();
    for (i, (card, &d)) in input.cards.iter().zip(&card_deck).enumerate() {
        frame.add_card(&mut accs[d], i, card);
    }
    let mut overall = Acc::new();
    let mut decks = Vec::with_capacity(deck_meta.len());
    for ((id, title), mut acc) in deck_meta.into_iter().zip(accs) {
        merge(&mut overall, &mut acc);
        decks.push(DeckStats {
            id,
            title,
            summary: frame.summary(acc),
        });
    }

    let mut orphans = Orphans::default();
    for orphan in &input.orphans {
        orphans.cards += 1;
        orphans.reviews += orphan.reviews.len() as u64;
        orphans.keys.push(orphan.key.clone());
        let mut segment = Segment::default();
        for review in &orphan.reviews {
            frame.add_review(&mut overall, review, false, &mut segment);
        }
    }
    orphans.keys.sort_unstable();

    Stats {
        now: input.now,
        today: days::date_of(today),
        day_starts_at_hour: input.day_starts_at_hour,
        time_zone: input.tz.iana_name().map(str::to_string),
        overall: frame.summary(overall),
        decks,
        orphans,
    }
}

/// Decks in input order, then any deck only the cards know; and each card's
/// deck index.
fn deck_map(input: &StatsInput) -> (Vec<(String, String)>, Vec<usize>) {
    let mut deck_index: HashMap<&str, usize> = HashMap::new();
    let mut deck_meta: Vec<(String, String)> = Vec::new();
    for deck in &input.decks {
        deck_index.entry(deck.id.as_str()).or_insert_with(|| {
            deck_meta.push((deck.id.clone(), deck.title.clone()));
            deck_meta.len() - 1
        });
    }
    let mut card_deck = Vec::with_capacity(input.cards.len());
    let mut last: Option<(&str, usize)> = None;
    for card in &input.cards {
        // Cards of a deck usually come together: skip the hash.
        let i = match last {
            Some((id, i)) if id == card.deck_id => i,
            _ => *deck_index.entry(card.deck_id.as_str()).or_insert_with(|| {
                deck_meta.push((card.deck_id.clone(), card.deck_id.clone()));
                deck_meta.len() - 1
            }),
        };
        last = Some((card.deck_id.as_str(), i));
        card_deck.push(i);
    }
    (deck_meta, card_deck)
}

/// Adds a finished deck into the overall figures. The deck's candidate
/// hardest cards are cut to its own top ten: the overall top ten are among
/// the decks' top tens.
fn merge(into: &mut Acc, from: &mut Acc) {
    let c = &mut into.counts;
    let f = &from.counts;
    c.total += f.total;
    c.new += f.new;
    c.learning += f.learning;
    c.young += f.young;
    c.mature += f.mature;
    c.suspended += f.suspended;
    c.leeches += f.leeches;
    for (w, fw) in into.retention.iter_mut().zip(&from.retention) {
        for (s, fs) in w.iter_mut().zip(fw) {
            s.merge(fs);
        }
    }
    into.overdue += from.overdue;
    for (a, b) in into.forecast.iter_mut().zip(&from.forecast) {
        *a += b;
    }
    for (a, b) in into.heat.iter_mut().zip(&from.heat) {
        *a += b;
    }
    into.reviews += from.reviews;
    into.reviews_today += from.reviews_today;
    into.answer_ms_total += from.answer_ms_total;
    into.answer_ms_today += from.answer_ms_today;
    into.studied.union(&from.studied);
    let n = top_hardest(&mut from.hard).len();
    from.hard.truncate(n);
    into.hard.extend_from_slice(&from.hard);
}

/// Everything about one card (or an orphan), `None` when the key is unknown.
/// `at` asks for the retrievability at another moment as well.
pub fn card_detail(input: &StatsInput, key: &str, at: Option<Timestamp>) -> Option<CardDetail> {
    if let Some(card) = input.cards.iter().find(|c| c.key == key) {
        let deck_title = input
            .decks
            .iter()
            .find(|d| d.id == card.deck_id)
            .map(|d| d.title.clone());
        let mut detail = detail_from_history(input, key, &card.deck_id, &card.reviews, at);
        detail.deck_title = deck_title;
        detail.text = card.text.clone();
        detail.state = Some(card.state);
        detail.interval_days = Some(card.interval_days);
        detail.due = card.due;
        detail.due_local = card.due.map(|t| local(input, t));
        detail.due_in_days = card.due.map(|t| days_between(input.now, t));
        detail.last_review = card.last_review.or(detail.last_review);
        detail.stability = card.stability;
        detail.difficulty = card.difficulty;
        detail.lapses = card.lapses;
        detail.suspended = card.suspended;
        detail.leech = card.leech;
        detail.retrievability_now = card_retrievability(card, input.now, input.decay);
        detail.retrievability_at = at.and_then(|at| match card.last_review {
            Some(last) if at >= last => card_retrievability(card, at, input.decay),
            _ => history_retrievability(&card.reviews, at, input.decay),
        });
        return Some(detail);
    }
    let orphan = input.orphans.iter().find(|o| o.key == key)?;
    let deck_id = key.split_once('/').map_or("", |(d, _)| d);
    let mut detail = detail_from_history(input, key, deck_id, &orphan.reviews, at);
    detail.orphan = true;
    detail.retrievability_now = history_retrievability(&orphan.reviews, input.now, input.decay);
    detail.retrievability_at =
        at.and_then(|at| history_retrievability(&orphan.reviews, at, input.decay));
    if let Some(last) = orphan.reviews.last() {
        detail.stability = last.stability_after;
        detail.difficulty = last.difficulty_after;
    }
    Some(detail)
}

/// Retrievability at `at` from the memory state after the last answer before
/// it, when the history records memory states.
fn history_retrievability(reviews: &[ReviewInfo], at: Timestamp, decay: f32) -> Option<f32> {
    let i = reviews.partition_point(|r| r.time <= at);
    let last = reviews.get(i.checked_sub(1)?)?;
    let s = last.stability_after.filter(|&s| s > 0.0)?;
    Some(retrievability(
        s,
        last.difficulty_after.unwrap_or(0.0),
        days_between(last.time, at),
        decay,
    ))
}

fn local(input: &StatsInput, ts: Timestamp) -> String {
    ts.to_zoned(input.tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

fn detail_from_history(
    input: &StatsInput,
    key: &str,
    deck_id: &str,
    reviews: &[ReviewInfo],
    at: Option<Timestamp>,
) -> CardDetail {
    let mut retention = Share::default();
    let mut answer_ms_total = 0;
    let mut previous: Option<Timestamp> = None;
    let mut history = Vec::with_capacity(reviews.len());
    for r in reviews {
        if r.kind == ReviewKind::Review {
            retention.add(r.rating.passed());
        }
        answer_ms_total += u64::from(r.answer_ms);
        history.push(HistoryEntry {
            time: r.time,
            local: local(input, r.time),
            rating: r.rating,
            mode: r.mode,
            kind: r.kind,
            answer_ms: r.answer_ms,
            interval_before_days: r.interval_before_days,
            elapsed_days: previous.map(|p| days_between(p, r.time)),
            stability_after: r.stability_after,
            difficulty_after: r.difficulty_after,
        });
        previous = Some(r.time);
    }
    retention.finish();
    CardDetail {
        key: key.to_string(),
        deck_id: deck_id.to_string(),
        deck_title: None,
        text: String::new(),
        source: None,
        orphan: false,
        state: None,
        interval_days: None,
        due: None,
        due_local: None,
        due_in_days: None,
        last_review: reviews.last().map(|r| r.time),
        stability: None,
        difficulty: None,
        lapses: 0,
        suspended: false,
        leech: false,
        retrievability_now: None,
        at,
        at_local: at.map(|t| local(input, t)),
        retrievability_at: None,
        retention,
        answer_ms_total,
        history,
    }
}

/// Serialising jiff values as their display strings (jiff's serde feature is
/// not enabled).
mod ser {
    use std::fmt::Display;

    use serde::Serializer;

    pub(super) fn display<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub(super) fn display_opt<T: Display, S: Serializer>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }
}
