//! What statistics are computed from: plain data, filled in by whoever replays
//! the progress log against the loaded decks. Nothing here knows about files,
//! the scheduler or FSRS training; the figures are pure functions of this.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::rating::Rating;

/// A card whose interval is at least this many days is mature, otherwise
/// young; an answer counts as mature when the card's interval before it was.
pub const MATURE_DAYS: f64 = 21.0;

/// A study day rolls over at 4 am local time, as in Anki: a review at 1 am
/// belongs to the previous evening's session.
pub const DEFAULT_DAY_STARTS_AT_HOUR: u8 = 4;

/// Everything `kioku stats` looks at.
#[derive(Debug, Clone)]
pub struct StatsInput {
    /// The moment the statistics are for.
    pub now: Timestamp,
    /// Local time zone: days, the heatmap and streaks follow local days.
    pub tz: TimeZone,
    /// Local hour (0–23) at which one study day ends and the next begins.
    pub day_starts_at_hour: u8,
    /// FSRS decay, positive (`fsrs::DEFAULT_PARAMETERS[20]` unless the
    /// learner's own parameters say otherwise).
    pub decay: f32,
    /// The decks, in the order they are to be shown. A card whose deck is
    /// missing here gets a deck titled with its id.
    pub decks: Vec<DeckInfo>,
    /// Every card of every deck, with its replayed state and history.
    pub cards: Vec<CardInfo>,
    /// Cards with reviews in the log but no longer in any deck.
    pub orphans: Vec<OrphanInfo>,
}

impl StatsInput {
    /// Empty input with the defaults: 4 am rollover, FSRS-6 default decay.
    pub fn new(now: Timestamp, tz: TimeZone) -> Self {
        StatsInput {
            now,
            tz,
            day_starts_at_hour: DEFAULT_DAY_STARTS_AT_HOUR,
            decay: fsrs::DEFAULT_PARAMETERS[20],
            decks: Vec::new(),
            cards: Vec::new(),
            orphans: Vec::new(),
        }
    }
}

/// A deck as shown in statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckInfo {
    pub id: String,
    /// Display title, any script; sanitised before it is shown.
    pub title: String,
}

/// Where a card stands in the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardState {
    /// Never answered.
    New,
    /// In learning or relearning steps.
    Learning,
    /// Graduated: scheduled by interval.
    Review,
}

impl CardState {
    pub fn name(self) -> &'static str {
        match self {
            CardState::New => "new",
            CardState::Learning => "learning",
            CardState::Review => "review",
        }
    }
}

/// One card with its current state and its whole history.
#[derive(Debug, Clone, PartialEq)]
pub struct CardInfo {
    /// `deck/card`, as progress is stored.
    pub key: String,
    pub deck_id: String,
    /// One line shown for the card (question, statement or cloze prompt).
    pub text: String,
    pub state: CardState,
    /// Current scheduled interval in days (0 for new cards).
    pub interval_days: f64,
    /// When the card is next due; `None` for new cards.
    pub due: Option<Timestamp>,
    /// FSRS memory state now, when the card has one.
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    pub last_review: Option<Timestamp>,
    /// Times the card was forgotten after it graduated.
    pub lapses: u32,
    pub suspended: bool,
    pub leech: bool,
    /// Every answer, oldest first.
    pub reviews: Vec<ReviewInfo>,
}

/// How the answer was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Study,
    Quiz,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Study => "study",
            Mode::Quiz => "quiz",
        }
    }
}

/// What the answer was to, by the card's state just before it (as Anki's
/// review log types). Only `Review` answers count towards true retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewKind {
    /// A new card's first answer, or a learning step.
    Learn,
    /// A graduated card, due or early.
    Review,
    /// A relearning step after a lapse.
    Relearn,
}

impl ReviewKind {
    pub fn name(self) -> &'static str {
        match self {
            ReviewKind::Learn => "learn",
            ReviewKind::Review => "review",
            ReviewKind::Relearn => "relearn",
        }
    }
}

/// One answer in the progress log.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewInfo {
    pub time: Timestamp,
    pub rating: Rating,
    /// Time taken to answer, in milliseconds.
    pub answer_ms: u32,
    pub mode: Mode,
    pub kind: ReviewKind,
    /// The card's scheduled interval just before this answer, in days
    /// (`None` for a new card). An answer is mature when this is ≥ 21.
    pub interval_before_days: Option<f64>,
    /// FSRS memory state just after this answer, when the replay knows it:
    /// shown in the card's history and used for retrievability at past dates.
    pub stability_after: Option<f32>,
    pub difficulty_after: Option<f32>,
}

/// Reviews of a card that no deck contains any more.
#[derive(Debug, Clone, PartialEq)]
pub struct OrphanInfo {
    pub key: String,
    /// Oldest first.
    pub reviews: Vec<ReviewInfo>,
}
