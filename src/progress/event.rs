//! One line of the progress log: an event, and its text form.
//!
//! ```text
//! kioku-progress 1
//! 7f3a9c0e12b4d5e6 2026-11-23T01:52:00.123Z review treaties/yalta-1945 good 4210 study
//! 0a1b2c3d4e5f6789 2026-11-23T01:52:09.000Z undo 7f3a9c0e12b4d5e6
//! 1122334455667788 2026-11-23T01:53:00.000Z bury treaties/yalta-1945 2026-11-24T03:00:00.000Z
//! 99aabbccddeeff00 2026-11-23T01:54:00.000Z accept treaties/yalta-1945 "Yalta conference"
//! ```
//! Fields are separated by one space; keys (`deck/card`) never contain one.
//! The full description is docs/progress-format.md.

use jiff::Timestamp;

use super::Mode;
use crate::rating::Rating;

/// The first line of every log, naming the format version.
pub const HEADER: &str = "kioku-progress 1";

/// The longest answer time a log records: an hour. A card left on screen
/// longer was not being answered, and unbounded times would swamp every sum
/// of study time (a log may say u64::MAX).
pub(crate) const MAX_ANSWER_MS: u64 = 3_600_000;

/// A unique event id: 16 lowercase hex digits, random, so that logs from several
/// machines merge without collisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(pub u64);

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub time: Timestamp,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Review {
        /// Inline up to 24 bytes (every key of a usual deck): reading a
        /// million answers allocates no string per line.
        key: compact_str::CompactString,
        rating: Rating,
        answer_ms: u64,
        mode: Mode,
        /// The option picked on a choice card, for class reports; written
        /// as a trailing JSON string, which earlier versions ignore.
        picked: Option<String>,
    },
    /// Takes back the review with this id.
    Undo {
        target: EventId,
    },
    /// Hides a card until a time (the next day's start).
    Bury {
        key: compact_str::CompactString,
        until: Timestamp,
    },
    Suspend {
        key: compact_str::CompactString,
    },
    Unsuspend {
        key: compact_str::CompactString,
    },
    /// The learner's "I was right": an extra accepted answer.
    Accept {
        key: compact_str::CompactString,
        answer: String,
    },
}

impl Event {
    /// The card the event is about, if any.
    pub fn key(&self) -> Option<&str> {
        match &self.kind {
            EventKind::Review { key, .. }
            | EventKind::Bury { key, .. }
            | EventKind::Suspend { key }
            | EventKind::Unsuspend { key }
            | EventKind::Accept { key, .. } => Some(key),
            EventKind::Undo { .. } => None,
        }
    }

    /// The line for the log, without its newline.
    pub fn to_line(&self) -> String {
        let head = format!("{} {}", self.id, format_time(self.time));
        match &self.kind {
            EventKind::Review {
                key,
                rating,
                answer_ms,
                mode,
                picked,
            } => {
                let mode = match mode {
                    Mode::Study => "study",
                    Mode::Quiz => "quiz",
                };
                let mut line = format!("{head} review {key} {} {answer_ms} {mode}", rating.name());
                if let Some(picked) = picked {
                    line.push(' ');
                    line.push_str(&serde_json::to_string(picked).unwrap_or_else(|_| "\"\"".into()));
                }
                line
            }
            EventKind::Undo { target } => format!("{head} undo {target}"),
            EventKind::Bury { key, until } => format!("{head} bury {key} {}", format_time(*until)),
            EventKind::Suspend { key } => format!("{head} suspend {key}"),
            EventKind::Unsuspend { key } => format!("{head} unsuspend {key}"),
            EventKind::Accept { key, answer } => {
                let quoted = serde_json::to_string(answer).unwrap_or_else(|_| "\"\"".into());
                format!("{head} accept {key} {quoted}")
            }
        }
    }

    /// Parses one line (without its newline). The error says what is wrong.
    /// Every field has a fixed form and nothing may follow the last one, so
    /// a line cut short (a torn write) never reads as another event.
    pub fn parse(line: &str) -> Result<Event, String> {
        plain_review(line).map_or_else(|| Event::parse_fields(line), Ok)
    }

    /// Any line, field by field.
    fn parse_fields(line: &str) -> Result<Event, String> {
        let mut fields = line.splitn(4, ' ');
        let id = event_id(fields.next().unwrap_or(""))?;
        let time = fields
            .next()
            .ok_or_else(|| "the time is missing".to_string())?;
        let time =
            parse_time(time).ok_or_else(|| format!("`{}` is not a UTC time", short(time)))?;
        let kind = fields
            .next()
            .ok_or_else(|| "the event type is missing".to_string())?;
        let rest = fields.next().unwrap_or("");
        let mut args = rest.split(' ');
        let mut next = |what: &str| {
            args.next()
                .filter(|a| !a.is_empty())
                .ok_or_else(|| format!("the {what} is missing"))
        };
        let kind = match kind {
            "review" => {
                let key = card_key(next("card")?)?;
                let rating = next("rating")?;
                let rating = Rating::from_name(rating)
                    .ok_or_else(|| format!("`{}` is not a rating", short(rating)))?;
                let ms = next("answer time")?;
                let answer_ms = ms
                    .parse::<u64>()
                    .ok()
                    .filter(|_| ms.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| format!("`{}` is not an answer time", short(ms)))?
                    .min(MAX_ANSWER_MS);
                let mode = match next("mode")? {
                    "study" => Mode::Study,
                    "quiz" => Mode::Quiz,
                    other => return Err(format!("`{}` is not a mode", short(other))),
                };
                // Whatever follows the mode: the option picked, if any
                // (a JSON string, which may hold spaces: all the rest).
                let picked =
                    match args.next() {
                        Some(first) if first.starts_with('"') => {
                            let json = rest.splitn(5, ' ').nth(4).unwrap_or(first);
                            Some(serde_json::from_str(json).map_err(|_| {
                                "the option picked is not a quoted string".to_string()
                            })?)
                        }
                        Some(extra) => {
                            return Err(format!(
                                "`{}` follows the last field of a review line",
                                short(extra)
                            ));
                        }
                        None => None,
                    };
                EventKind::Review {
                    key,
                    rating,
                    answer_ms,
                    mode,
                    picked,
                }
            }
            "undo" => {
                let target = event_id(next("undone event")?)?;
                EventKind::Undo { target }
            }
            "bury" => {
                let key = card_key(next("card")?)?;
                let until = next("time")?;
                let until = parse_time(until)
                    .ok_or_else(|| format!("`{}` is not a UTC time", short(until)))?;
                EventKind::Bury { key, until }
            }
            "suspend" => EventKind::Suspend {
                key: card_key(next("card")?)?,
            },
            "unsuspend" => EventKind::Unsuspend {
                key: card_key(next("card")?)?,
            },
            "accept" => {
                let (key, answer) = rest.split_once(' ').ok_or("the answer is missing")?;
                let answer: String = serde_json::from_str(answer)
                    .map_err(|_| "the answer is not a quoted string".to_string())?;
                EventKind::Accept {
                    key: card_key(key)?,
                    answer,
                }
            }
            other => return Err(format!("`{}` is not an event type", short(other))),
        };
        // An accepted answer, or the option picked on a review, is one JSON
        // string, which ends the line itself.
        let ends_in_json = matches!(
            kind,
            EventKind::Accept { .. }
                | EventKind::Review {
                    picked: Some(_),
                    ..
                }
        );
        if let Some(extra) = args.next().filter(|_| !ends_in_json) {
            return Err(format!(
                "`{}` follows the last field of a {} line",
                short(extra),
                kind.name()
            ));
        }
        Ok(Event { id, time, kind })
    }
}

impl EventKind {
    /// The event type as the log names it.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Review { .. } => "review",
            EventKind::Undo { .. } => "undo",
            EventKind::Bury { .. } => "bury",
            EventKind::Suspend { .. } => "suspend",
            EventKind::Unsuspend { .. } => "unsuspend",
            EventKind::Accept { .. } => "accept",
        }
    }
}

/// A review line in the form kioku writes, without an option picked (nearly
/// every line of a log), read in one pass over its bytes; None for anything
/// else, which [`Event::parse`] then reads field by field and, if it is
/// wrong, says why. Splitting on spaces field by field cost about 2,500
/// instructions a line, a third of a launch without caches. A line this
/// reads, [`Event::parse`]'s general path reads the same (a property test
/// checks it).
fn plain_review(line: &str) -> Option<Event> {
    let b = line.as_bytes();
    // id (16) + space + time (24) + space + "review " = 49 bytes.
    if b.len() < 49 || b[16] != b' ' || b[41] != b' ' || &b[42..49] != b"review " {
        return None;
    }
    let id = hex_id(b[..16].try_into().ok()?)?;
    // Bytes 16 and 41 are spaces, so both ends are character boundaries.
    let time = parse_time(line.get(17..41)?)?;
    // The fields after the key are found from the line's end, where each
    // is a few bytes: splitting on spaces from the key on searched every
    // field anew.
    let rest = &b[49..];
    let last_space = |bytes: &[u8]| bytes.iter().rposition(|c| *c == b' ');
    let at_mode = last_space(rest)?;
    let at_ms = last_space(&rest[..at_mode])?;
    let at_rating = last_space(&rest[..at_ms])?;
    let mode = match &rest[at_mode + 1..] {
        b"study" => Mode::Study,
        b"quiz" => Mode::Quiz,
        _ => return None,
    };
    let ms = &rest[at_ms + 1..at_mode];
    if ms.is_empty() {
        return None;
    }
    let answer_ms = ms.iter().try_fold(0u64, |n, c| {
        c.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u64::from(c - b'0')))
            .flatten()
    })?;
    let rating = match &rest[at_rating + 1..at_ms] {
        b"again" => Rating::Again,
        b"hard" => Rating::Hard,
        b"good" => Rating::Good,
        b"easy" => Rating::Easy,
        _ => return None,
    };
    let key = &rest[..at_rating];
    // What is left is the key: no space, a slash neither first nor last.
    let mut slash = None;
    for (i, c) in key.iter().enumerate() {
        match c {
            b' ' => return None,
            b'/' if slash.is_none() => slash = Some(i),
            _ => {}
        }
    }
    let slash = slash?;
    if slash == 0 || slash + 1 == key.len() {
        return None;
    }
    Some(Event {
        id: EventId(id),
        time,
        kind: EventKind::Review {
            // The line's text from byte 49, cut before a space: a whole
            // number of characters.
            key: line.get(49..49 + key.len())?.into(),
            rating,
            answer_ms: answer_ms.min(MAX_ANSWER_MS),
            mode,
            picked: None,
        },
    })
}

/// Sixteen lowercase hex digits, by table: a byte that is not one marks
/// the whole id bad, with no branch per digit.
fn hex_id(digits: &[u8; 16]) -> Option<u64> {
    const BAD: u8 = 0xf0;
    const VALUE: [u8; 256] = {
        let mut table = [BAD; 256];
        let mut c = 0;
        while c < 10 {
            table[b'0' as usize + c] = c as u8;
            c += 1;
        }
        let mut c = 0;
        while c < 6 {
            table[b'a' as usize + c] = 10 + c as u8;
            c += 1;
        }
        table
    };
    let mut id = 0u64;
    let mut bad = 0u8;
    for &c in digits {
        let v = VALUE[usize::from(c)];
        bad |= v;
        id = id << 4 | u64::from(v & 0x0f);
    }
    (bad & BAD == 0).then_some(id)
}

/// Whether the one-pass reader, when it takes `line`, reads it as the
/// general path does (for the log's fuzz target).
pub(crate) fn one_pass_agrees(line: &str) -> bool {
    plain_review(line).is_none_or(|event| Event::parse_fields(line) == Ok(event))
}

/// Exactly 16 lowercase hex digits: no sign, no other length.
fn event_id(text: &str) -> Result<EventId, String> {
    let digits = text.len() == 16
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    digits
        .then(|| u64::from_str_radix(text, 16).ok())
        .flatten()
        .map(EventId)
        .ok_or_else(|| format!("`{}` is not an event id", short(text)))
}

fn card_key(key: &str) -> Result<compact_str::CompactString, String> {
    match key.split_once('/') {
        Some((d, c)) if !d.is_empty() && !c.is_empty() => Ok(key.into()),
        _ => Err(format!("`{}` is not a deck/card key", short(key))),
    }
}

/// Enough of a bad field to recognise it, never a whole binary line.
fn short(text: &str) -> String {
    crate::text::truncate(&crate::text::sanitize(text, false), 24)
}

/// `2026-11-23T01:52:00.123Z`: fixed width, UTC, milliseconds.
pub fn format_time(t: Timestamp) -> String {
    let ms = t.as_millisecond();
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// Parses the fixed format above quickly (a log may have a million lines),
/// and anything else RFC 3339 through jiff, to the millisecond.
pub(crate) fn parse_time(text: &str) -> Option<Timestamp> {
    // A fixed-size array: no index below needs a bounds check.
    let fixed: Option<&[u8; 24]> = text.as_bytes().try_into().ok();
    if let Some(b) = fixed
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z'
    {
        // Every byte between the separators is a digit (checked all at
        // once, without a branch per byte: a million lines per launch).
        const DIGITS: [usize; 17] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
        let not_digit = DIGITS
            .iter()
            .fold(false, |bad, &i| bad | (b[i].wrapping_sub(b'0') > 9));
        if not_digit {
            return None;
        }
        let n = |i: usize| i64::from(b[i] - b'0');
        let two = |i: usize| n(i) * 10 + n(i + 1);
        let (y, mo, d) = (two(0) * 100 + two(2), two(5), two(8));
        let (h, mi, s, ms) = (two(11), two(14), two(17), two(20) * 10 + n(22));
        if !(1..=12).contains(&mo)
            || !(1..=days_in_month(y, mo)).contains(&d)
            || h > 23
            || mi > 59
            || s > 59
        {
            return None;
        }
        let days = days_since_epoch(y, mo, d);
        let millis = ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms;
        return Timestamp::from_millisecond(millis).ok();
    }
    // Times are kept to the millisecond, as they are written: a finer time
    // would read differently once written back (by merge, or a snapshot).
    let t: Timestamp = text.parse().ok()?;
    Timestamp::from_millisecond(t.as_millisecond()).ok()
}

/// 28 to 31: February 31 is not a date.
fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Years whose first day is looked up rather than worked out: every year a
/// log's answers are likely to carry (a million lines per launch).
const TABLE_YEARS: std::ops::Range<i64> = 1970..2226;

/// Days from 1970-01-01 to the first of January of each of `TABLE_YEARS`.
const YEAR_STARTS: [i64; 256] = {
    let mut starts = [0i64; 256];
    let mut i = 1;
    while i < 256 {
        let y = 1970 + i as i64 - 1;
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        starts[i] = starts[i - 1] + if leap { 366 } else { 365 };
        i += 1;
    }
    starts
};

/// Days before the first of each month (1-based) in a common year.
const MONTH_STARTS: [i64; 13] = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/// [`days_from_civil`] for a valid date, by table within `TABLE_YEARS`.
fn days_since_epoch(y: i64, m: i64, d: i64) -> i64 {
    if !TABLE_YEARS.contains(&y) {
        return days_from_civil(y, m, d);
    }
    let leap_day = i64::from(m > 2 && days_in_month(y, 2) == 29);
    let (year, month) = ((y - TABLE_YEARS.start) as usize, m as usize);
    YEAR_STARTS[year] + MONTH_STARTS[month] + leap_day + d - 1
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millisecond(ms).expect("time")
    }

    #[test]
    fn every_event_round_trips() {
        let t = at(1_795_398_720_123);
        let events = [
            EventKind::Review {
                key: "treaties/yalta-1945".into(),
                rating: Rating::Good,
                answer_ms: 4210,
                mode: Mode::Study,
                picked: None,
            },
            EventKind::Review {
                key: "d/c:c2".into(),
                rating: Rating::Again,
                answer_ms: 0,
                mode: Mode::Quiz,
                picked: Some("Habomai \"islets\" 歯舞".into()),
            },
            EventKind::Undo {
                target: EventId(42),
            },
            EventKind::Bury {
                key: "d/c".into(),
                until: at(1_795_400_000_000),
            },
            EventKind::Suspend { key: "d/c".into() },
            EventKind::Unsuspend { key: "d/c".into() },
            EventKind::Accept {
                key: "d/c".into(),
                answer: "択捉 \"island\" two  spaces".into(),
            },
        ];
        for (i, kind) in events.into_iter().enumerate() {
            let e = Event {
                id: EventId(0x7f3a_9c0e_12b4_d5e6 + i as u64),
                time: t,
                kind,
            };
            let line = e.to_line();
            assert_eq!(Event::parse(&line), Ok(e), "{line}");
        }
    }

    #[test]
    fn the_option_picked_is_a_trailing_field_older_readers_skip() {
        let line =
            "7f3a9c0e12b4d5e6 2026-11-23T01:52:00.123Z review d/c again 900 quiz \"Two words\"";
        match Event::parse(line).map(|e| e.kind) {
            Ok(EventKind::Review { picked, .. }) => {
                assert_eq!(picked.as_deref(), Some("Two words"));
            }
            other => panic!("{other:?}"),
        }
        let old = "7f3a9c0e12b4d5e6 2026-11-23T01:52:00.123Z review d/c again 900 quiz";
        assert!(matches!(
            Event::parse(old).map(|e| e.kind),
            Ok(EventKind::Review { picked: None, .. })
        ));
    }

    #[test]
    fn the_time_format_is_fixed_width_utc() {
        let t: Timestamp = "2026-11-23T01:52:00.123Z".parse().expect("time");
        assert_eq!(format_time(t), "2026-11-23T01:52:00.123Z");
        assert_eq!(parse_time("2026-11-23T01:52:00.123Z"), Some(t));
        assert_eq!(
            parse_time("2026-11-23T02:52:00.123+01:00"),
            Some(t),
            "other RFC 3339 forms too"
        );
        assert_eq!(parse_time("2026-13-23T01:52:00.123Z"), None);
        assert_eq!(
            parse_time("2026-11-23T01:52:00.1239999Z"),
            Some(t),
            "kept to the millisecond, as written"
        );
        assert_eq!(format_time(at(0)), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn malformed_lines_say_what_is_wrong() {
        let ok = "7f3a9c0e12b4d5e6 2026-11-23T01:52:00.123Z review d/c good 10 study";
        assert!(Event::parse(ok).is_ok());
        let cases = [
            ("", "event id"),
            (
                "xyz 2026-11-23T01:52:00.123Z review d/c good 10 study",
                "event id",
            ),
            (
                "7f3a9c0e12b4d5e6 yesterday review d/c good 10 study",
                "UTC time",
            ),
            (
                "7f3a9c0e12b4d5e6 2026-11-23T01:52:00.123Z review d/c great 10 study",
                "rating",
            ),
            (
                "7f3a9c0e12b4d5e6 2026-11-23T01:52:00.123Z review dc good 10 study",
                "deck/card",
            ),
            (
                "7f3a9c0e12b4d5e6 2026-11-23T01:52:00.123Z review d/c good",
                "answer time",
            ),
            (
                "7f3a9c0e12b4d5e6 2026-11-23T01:52:00.123Z dance d/c",
                "event type",
            ),
        ];
        for (line, wanted) in cases {
            let e = Event::parse(line).expect_err(line);
            assert!(e.contains(wanted), "{line}: {e}");
        }
    }

    proptest! {
        #[test]
        fn dates_by_table_are_dates_by_arithmetic(y in 1900i64..2300, m in 1i64..=12, d in 1i64..=31) {
            prop_assume!(d <= days_in_month(y, m));
            prop_assert_eq!(days_since_epoch(y, m, d), days_from_civil(y, m, d));
        }

        #[test]
        fn times_round_trip(ms in -62_000_000_000_000i64..250_000_000_000_000i64) {
            let t = at(ms);
            prop_assert_eq!(parse_time(&format_time(t)), Some(t));
        }

        #[test]
        fn arbitrary_lines_never_panic(line in "\\PC{0,80}") {
            let _ = Event::parse(&line);
        }

        /// Every review kioku writes without an option picked takes the
        /// one-pass reader.
        #[test]
        fn written_reviews_take_the_one_pass_reader(
            id in any::<u64>(),
            ms in 0i64..250_000_000_000_000i64,
            key in "[a-z0-9-]{1,12}/[a-z0-9:-]{1,12}",
            rating in 0usize..4,
            answer_ms in 0u64..=MAX_ANSWER_MS,
            quiz in any::<bool>(),
        ) {
            let event = Event {
                id: EventId(id),
                time: at(ms),
                kind: EventKind::Review {
                    key: key.into(),
                    rating: Rating::ALL[rating],
                    answer_ms,
                    mode: if quiz { Mode::Quiz } else { Mode::Study },
                    picked: None,
                },
            };
            prop_assert_eq!(plain_review(&event.to_line()), Some(event));
        }
    }

    /// A field as kioku writes it, mostly, or one of the ways it goes wrong.
    fn field(good: &'static str, bad: &'static str) -> impl Strategy<Value = String> {
        prop_oneof![5 => good, 1 => bad]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Lines near the form kioku writes, each field sometimes wrong:
        /// what the one-pass reader takes, the general path reads the
        /// same (what it leaves, the general path reads as before).
        #[test]
        fn the_one_pass_reader_agrees_with_the_general_path(
            id in field("[0-9a-f]{16}", "[0-9a-fA-F ]{15,17}"),
            time in field(
                "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9])T[01][0-9]:[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z",
                "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{3})?Z",
            ),
            kind in field("review", "undo|reviews|Review"),
            key in field("[a-z]{1,4}/[a-z:0-9日本-]{1,6}", "[a-z/]{0,5}|[a-z]{1,3}/[a-z/ ]{0,3}"),
            rating in field("again|hard|good|easy", "Good|goods|x?"),
            ms in field("[0-9]{1,7}", "[0-9]{19,21}|[0-9]{0,3}[a-z+-]"),
            mode in field("study|quiz", "exam|Study|x?"),
            tail in field("", " |  | \"b\"| x|\r"),
        ) {
            let line = format!("{id} {time} {kind} {key} {rating} {ms} {mode}{tail}");
            if let Some(event) = plain_review(&line) {
                prop_assert_eq!(Ok(event), Event::parse_fields(&line));
            }
        }
    }
}
