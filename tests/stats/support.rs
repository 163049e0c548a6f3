//! Builders for small, hand-made collections.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kioku::Rating;
use kioku::stats::{CardInfo, CardState, DeckInfo, Mode, ReviewInfo, ReviewKind, StatsInput};

/// The moment every test is at: Thursday 14 May 2026, noon UTC.
pub(crate) const NOW: &str = "2026-05-14T12:00:00Z";

pub(crate) fn ts(s: &str) -> Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// `now` shifted by a number of hours (negative: earlier).
pub(crate) fn hours(h: f64) -> Timestamp {
    ts(NOW)
        .checked_add(SignedDuration::from_secs_f64(h * 3600.0))
        .expect("a time in range")
}

/// `now` shifted by whole days.
pub(crate) fn days(d: i64) -> Timestamp {
    ts(NOW)
        .checked_add(SignedDuration::from_hours(24 * d))
        .expect("a time in range")
}

/// An empty collection at `NOW`, UTC, day rolling over at 4 am.
pub(crate) fn input() -> StatsInput {
    StatsInput::new(ts(NOW), TimeZone::UTC)
}

pub(crate) fn deck(id: &str, title: &str) -> DeckInfo {
    DeckInfo {
        id: id.into(),
        title: title.into(),
    }
}

/// A new card; the deck is the key's prefix.
pub(crate) fn card(key: &str) -> CardInfo {
    CardInfo {
        key: key.into(),
        deck_id: key.split_once('/').expect("a deck/card key").0.into(),
        text: format!("question of {key}"),
        state: CardState::New,
        interval_days: 0.0,
        due: None,
        stability: None,
        difficulty: None,
        last_review: None,
        lapses: 0,
        suspended: false,
        leech: false,
        reviews: Vec::new(),
    }
}

/// A card in review with this interval, due in `due_in_days`.
pub(crate) fn review_card(key: &str, interval: f64) -> CardInfo {
    CardInfo {
        state: CardState::Review,
        interval_days: interval,
        due: Some(days(3)),
        stability: Some(interval as f32),
        difficulty: Some(5.0),
        last_review: Some(days(-1)),
        ..card(key)
    }
}

/// A review answer (kind `Review`, young: interval 1 day, 1 s).
pub(crate) fn answer(time: Timestamp, rating: Rating) -> ReviewInfo {
    ReviewInfo {
        time,
        rating,
        answer_ms: 1000,
        mode: Mode::Study,
        kind: ReviewKind::Review,
        interval_before_days: Some(1.0),
        stability_after: None,
        difficulty_after: None,
    }
}

/// The same answer with the card's interval before it.
pub(crate) fn with_interval(r: ReviewInfo, days: f64) -> ReviewInfo {
    ReviewInfo {
        interval_before_days: Some(days),
        ..r
    }
}

pub(crate) fn with_kind(r: ReviewInfo, kind: ReviewKind) -> ReviewInfo {
    ReviewInfo { kind, ..r }
}

pub(crate) fn with_ms(r: ReviewInfo, ms: u32) -> ReviewInfo {
    ReviewInfo { answer_ms: ms, ..r }
}

/// Removes ANSI escape sequences.
pub(crate) fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for n in chars.by_ref() {
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
