//! Study days: local days that roll over at a given hour, numbered from the
//! Unix epoch so that day arithmetic is integer arithmetic.
//!
//! Looking up a time zone's offset for a million timestamps is the expensive
//! part of the statistics, so the transitions in the range that matters are
//! fetched once and searched in a small sorted list.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

const SECONDS_PER_DAY: i64 = 86_400;

/// Seconds `start..end` share one UTC offset.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Segment {
    start: i64,
    end: i64,
    offset: i64,
}

/// Maps timestamps to study-day numbers (day 0 is the study day of
/// 1970-01-01 local).
#[derive(Debug, Clone)]
pub(crate) struct DayClock {
    tz: TimeZone,
    rollover_seconds: i64,
    lo: i64,
    hi: i64,
    offset_at_lo: i64,
    /// (first second, offset from then on), sorted, within `lo..=hi`.
    transitions: Vec<(i64, i64)>,
}

impl DayClock {
    /// A clock that is fast for timestamps in `lo..=hi` and correct for all.
    pub(crate) fn new(tz: &TimeZone, rollover_hour: u8, lo: Timestamp, hi: Timestamp) -> Self {
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        let mut transitions = Vec::new();
        for t in tz.following(lo) {
            // A corrupt zone could have absurdly many; beyond the cap the
            // slow path stays correct.
            if t.timestamp() > hi || transitions.len() >= 10_000 {
                break;
            }
            transitions.push((t.timestamp().as_second(), i64::from(t.offset().seconds())));
        }
        let hi_second = match transitions.len() {
            10_000 => transitions[9_999].0,
            _ => hi.as_second(),
        };
        DayClock {
            tz: tz.clone(),
            rollover_seconds: i64::from(rollover_hour.min(23)) * 3600,
            lo: lo.as_second(),
            hi: hi_second,
            offset_at_lo: i64::from(tz.to_offset(lo).seconds()),
            transitions,
        }
    }

    /// The stretch of time around `ts` with one offset.
    fn segment(&self, ts: Timestamp) -> Segment {
        let second = ts.as_second();
        if second < self.lo || second > self.hi {
            return Segment {
                start: second,
                end: second + 1,
                offset: i64::from(self.tz.to_offset(ts).seconds()),
            };
        }
        let i = self.transitions.partition_point(|&(t, _)| t <= second);
        Segment {
            start: i.checked_sub(1).map_or(self.lo, |p| self.transitions[p].0),
            end: self.transitions.get(i).map_or(self.hi + 1, |t| t.0),
            offset: i
                .checked_sub(1)
                .map_or(self.offset_at_lo, |p| self.transitions[p].1),
        }
    }

    /// The study day `ts` falls in.
    pub(crate) fn day(&self, ts: Timestamp) -> i64 {
        self.day_near(ts, &mut Segment::default())
    }

    /// The study day `ts` falls in, reusing (and updating) the segment of the
    /// previous lookup: for runs of nearby timestamps, such as one card's
    /// history.
    pub(crate) fn day_near(&self, ts: Timestamp, segment: &mut Segment) -> i64 {
        let second = ts.as_second();
        if second < segment.start || second >= segment.end {
            *segment = self.segment(ts);
        }
        (second + segment.offset - self.rollover_seconds).div_euclid(SECONDS_PER_DAY)
    }

    /// The moment study day `day` begins (the rollover hour, local; the next
    /// valid moment when that hour falls in a DST gap).
    pub(crate) fn start_of(&self, day: i64) -> Timestamp {
        let hour = (self.rollover_seconds / 3600) as i8;
        let dt = DateTime::from_parts(date_of(day), jiff::civil::Time::constant(hour, 0, 0, 0));
        self.tz
            .to_ambiguous_timestamp(dt)
            .compatible()
            .unwrap_or(Timestamp::MAX)
    }
}

/// The calendar date of day number `day`.
pub(crate) fn date_of(day: i64) -> Date {
    let epoch = jiff::civil::date(1970, 1, 1);
    Span::new()
        .try_days(day)
        .ok()
        .and_then(|span| epoch.checked_add(span).ok())
        .unwrap_or(if day < 0 { Date::MIN } else { Date::MAX })
}

/// The day number of a calendar date.
pub(crate) fn day_of_date(date: Date) -> i64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    i64::from(epoch.until(date).map(|s| s.get_days()).unwrap_or(0))
}

/// Monday 0 … Sunday 6.
pub(crate) fn weekday_index(day: i64) -> usize {
    // 1970-01-01 was a Thursday.
    (day + 3).rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_and_weekdays_agree() {
        for day in [-800, -1, 0, 1, 19_000, 20_600, 2_000_000] {
            assert_eq!(day_of_date(date_of(day)), day);
            assert_eq!(
                weekday_index(day),
                date_of(day).weekday().to_monday_zero_offset() as usize
            );
        }
    }
}
