//! Study days: a day runs from the rollover hour (default 4 am local) to the
//! next, so a late-night session counts toward the evening before.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

#[derive(Debug, Clone)]
pub struct Days {
    tz: TimeZone,
    rollover_hour: u8,
    steady: Steady,
}

/// The zone's offset between the transitions around the present (for UTC,
/// and zones without daylight saving time, all time since their last
/// change): most of a log's answers fall there, and their study day then
/// needs no look-up in the zone's rules (a tenth of replaying a review).
/// Only speed depends on it: outside it the zone is asked.
#[derive(Debug, Clone, Copy)]
struct Steady {
    /// Seconds since the epoch: the window is `from..until`.
    from: i64,
    until: i64,
    offset: i64,
}

impl Steady {
    fn around(tz: &TimeZone, now: Timestamp) -> Steady {
        let from = tz
            .preceding(now)
            .next()
            .map_or(i64::MIN, |t| t.timestamp().as_second());
        let until = tz
            .following(now)
            .next()
            .map_or(i64::MAX, |t| t.timestamp().as_second());
        let offset = tz.to_offset(now).seconds();
        // The offset must hold at both ends of the window; if the zone says
        // otherwise anywhere, no window.
        let holds = |s: i64| {
            Timestamp::from_second(s).map_or(true, |t| tz.to_offset(t).seconds() == offset)
        };
        if from < until && holds(from) && holds(until.saturating_sub(1)) {
            Steady {
                from,
                until,
                offset: i64::from(offset),
            }
        } else {
            Steady {
                from: 0,
                until: 0,
                offset: 0,
            }
        }
    }
}

impl Days {
    pub fn new(tz: TimeZone, rollover_hour: u8) -> Self {
        let steady = Steady::around(&tz, Timestamp::now());
        Days {
            tz,
            rollover_hour: rollover_hour.min(23),
            steady,
        }
    }

    /// The system's time zone (UTC when it cannot be found).
    pub fn local(rollover_hour: u8) -> Self {
        Days::new(
            TimeZone::try_system().unwrap_or(TimeZone::UTC),
            rollover_hour,
        )
    }

    /// The time zone's name and the rollover hour, for cache keys.
    pub fn describe(&self) -> String {
        format!(
            "{} {}",
            self.tz.iana_name().unwrap_or("?"),
            self.rollover_hour
        )
    }

    /// The study day of `t`, as days since 1970-01-01. Called for every
    /// review of a large log, so it is plain arithmetic on the zone's offset
    /// at that instant.
    pub fn index(&self, t: Timestamp) -> i64 {
        let second = t.as_second();
        let offset = if (self.steady.from..self.steady.until).contains(&second) {
            self.steady.offset
        } else {
            i64::from(self.tz.to_offset(t).seconds())
        };
        let local = second + offset - i64::from(self.rollover_hour) * 3600;
        local.div_euclid(86_400)
    }

    /// When study day `index` begins.
    pub fn start(&self, index: i64) -> Timestamp {
        let date = jiff::civil::date(1970, 1, 1)
            .checked_add(index.days())
            .unwrap_or(jiff::civil::date(1970, 1, 1));
        // Without a `Zoned`, which would clone the zone (an atomic count
        // that every core touches when a hundred thousand cards are
        // rescheduled at once).
        self.tz
            .to_timestamp(date.at(i8::try_from(self.rollover_hour).unwrap_or(4), 0, 0, 0))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The study day that a calendar date names (its rollover onward).
    pub fn index_of_date(&self, date: jiff::civil::Date) -> i64 {
        date.since(jiff::civil::date(1970, 1, 1))
            .map(|s| i64::from(s.get_days()))
            .unwrap_or(0)
    }

    /// When the study day after the one containing `t` begins.
    pub fn next_start(&self, t: Timestamp) -> Timestamp {
        self.start(self.index(t) + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Timestamp {
        s.parse().expect("time")
    }

    #[test]
    fn the_steady_window_gives_the_days_the_zone_gives() {
        // Around daylight saving changes and far from the present, in zones
        // with and without them: the same day as asking the zone each time.
        for name in [
            "UTC",
            "Asia/Tokyo",
            "America/New_York",
            "Europe/London",
            "Australia/Lord_Howe",
        ] {
            let tz = TimeZone::get(name).expect("tz");
            let days = Days::new(tz.clone(), 4);
            let asked = |t: Timestamp| {
                let local = t.as_second() + i64::from(tz.to_offset(t).seconds()) - 4 * 3600;
                local.div_euclid(86_400)
            };
            let now = Timestamp::now().as_second();
            let mut s = now - 3 * 365 * 86_400;
            while s < now + 3 * 365 * 86_400 {
                let t = Timestamp::from_second(s).expect("t");
                assert_eq!(days.index(t), asked(t), "{name} at {t}");
                s += 1_799;
            }
            for s in [-2_000_000_000, 0, 1_000_000_000, 4_000_000_000] {
                let t = Timestamp::from_second(s).expect("t");
                assert_eq!(days.index(t), asked(t), "{name} at {t}");
            }
        }
    }

    #[test]
    fn the_day_rolls_over_at_four_local() {
        let tokyo = Days::new(TimeZone::get("Asia/Tokyo").expect("tz"), 4);
        // 02:00 in Tokyo on the 24th still belongs to the 23rd.
        let late = utc("2026-11-23T17:00:00Z");
        let morning = utc("2026-11-23T19:30:00Z"); // 04:30 on the 24th
        assert_eq!(tokyo.index(morning), tokyo.index(late) + 1);
        assert_eq!(tokyo.next_start(late), utc("2026-11-23T19:00:00Z"));
        assert_eq!(
            tokyo.start(tokyo.index(morning)),
            utc("2026-11-23T19:00:00Z")
        );
    }

    #[test]
    fn utc_days() {
        let d = Days::new(TimeZone::UTC, 0);
        assert_eq!(d.index(utc("1970-01-02T00:00:00Z")), 1);
        assert_eq!(d.start(1), utc("1970-01-02T00:00:00Z"));
    }
}
