//! Calendar arithmetic for the site's local time (Europe/Stockholm: CET, CEST in summer), done purely:
//! the caller passes instants in as milliseconds since the Unix epoch.
//!
//! Summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October
//! (the EU rule, in force since 1996).
//!
//! Every function takes any input without overflowing (a phone's clock may say anything): a [`Date`] is
//! any day of a year an `i32` holds, day numbers beyond that saturate at its first and last day, and
//! instants beyond `i64` milliseconds (years past about ±292 million) saturate at `i64::MIN`/`i64::MAX`.
//! Review dates are bounded far tighter where they enter the server.

use serde::{Deserialize, Serialize};

const MS_PER_DAY: i64 = 86_400_000;
const MS_PER_HOUR: i64 = 3_600_000;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The first and the last day a `Date` can be.
    pub const MIN: Date = Date {
        year: i32::MIN,
        month: 1,
        day: 1,
    };
    pub const MAX: Date = Date {
        year: i32::MAX,
        month: 12,
        day: 31,
    };

    /// Parses `YYYY-MM-DD`: a year of four digits, a month and a day of one or two.
    pub fn parse(s: &str) -> Option<Date> {
        fn number<T: std::str::FromStr>(
            part: &str,
            digits: std::ops::RangeInclusive<usize>,
        ) -> Option<T> {
            let plain = digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
            if plain { part.parse().ok() } else { None }
        }
        let mut it = s.trim().splitn(3, '-');
        let year = number(it.next()?, 4..=4)?;
        let month: u8 = number(it.next()?, 1..=2)?;
        let day: u8 = number(it.next()?, 1..=2)?;
        let d = Date { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(d)
    }

    /// Days since 1970-01-01. Exact for every year an `i32` holds (the sums stay far inside `i64`).
    pub const fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = self.year as i64 - (self.month <= 2) as i64;
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `z` days after 1970-01-01, saturating at [`Date::MIN`] and [`Date::MAX`].
    pub fn from_days_since_epoch(z: i64) -> Date {
        const FIRST: i64 = Date::MIN.days_since_epoch();
        const LAST: i64 = Date::MAX.days_since_epoch();
        let z = z.clamp(FIRST, LAST) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date `n` days later (earlier if negative), saturating at [`Date::MIN`] and [`Date::MAX`].
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch().saturating_add(n))
    }

    /// 0 = Monday ... 6 = Sunday.
    pub fn weekday(self) -> u8 {
        (self.days_since_epoch() + 3).rem_euclid(7) as u8
    }

    /// The instants (ms since the epoch, UTC) at which this local day starts and ends; a day beyond `i64`
    /// milliseconds gives `(i64::MAX, i64::MAX)` or `(i64::MIN, i64::MIN)`.
    pub fn bounds_ms(self) -> (i64, i64) {
        (local_midnight_ms(self), local_midnight_ms(self.add_days(1)))
    }

    /// The instant the local clock shows `hour:minute` on this day. On the spring-forward night the
    /// hour that does not exist (02:xx) reads as the hour after; on the fall-back night the hour that
    /// comes twice (02:xx) is the first of the two.
    pub fn at_local(self, hour: u8, minute: u8) -> i64 {
        let naive = self
            .days_since_epoch()
            .saturating_mul(MS_PER_DAY)
            .saturating_add(i64::from(hour) * MS_PER_HOUR + i64::from(minute) * 60_000);
        let summer = naive.saturating_sub(2 * MS_PER_HOUR);
        if utc_offset_ms(summer) == 2 * MS_PER_HOUR {
            summer
        } else {
            naive.saturating_sub(MS_PER_HOUR)
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Midnight UTC starting day `days`, saturating at the ends of `i64`.
fn day_ms(days: i64) -> i64 {
    days.saturating_mul(MS_PER_DAY)
}

fn last_sunday_ms(year: i32, month: u8) -> i64 {
    let last = Date {
        year,
        month,
        day: days_in_month(year, month),
    };
    let back = (i64::from(last.weekday()) + 1) % 7;
    day_ms(last.days_since_epoch() - back)
}

/// The site's offset from UTC at an instant, in ms.
pub fn utc_offset_ms(utc_ms: i64) -> i64 {
    let year = Date::from_days_since_epoch(utc_ms.div_euclid(MS_PER_DAY)).year;
    let start = last_sunday_ms(year, 3).saturating_add(MS_PER_HOUR);
    let end = last_sunday_ms(year, 10).saturating_add(MS_PER_HOUR);
    if (start..end).contains(&utc_ms) {
        2 * MS_PER_HOUR
    } else {
        MS_PER_HOUR
    }
}

/// The local date and the local hour (0-23) of an instant.
pub fn local_date_hour(utc_ms: i64) -> (Date, u8) {
    let local = utc_ms.saturating_add(utc_offset_ms(utc_ms));
    (
        Date::from_days_since_epoch(local.div_euclid(MS_PER_DAY)),
        (local.rem_euclid(MS_PER_DAY) / MS_PER_HOUR) as u8,
    )
}

pub fn local_date(utc_ms: i64) -> Date {
    local_date_hour(utc_ms).0
}

/// The local time of day as `HH:MM`.
pub fn local_hhmm(utc_ms: i64) -> String {
    let local = utc_ms
        .saturating_add(utc_offset_ms(utc_ms))
        .rem_euclid(MS_PER_DAY)
        / 60_000;
    format!("{:02}:{:02}", local / 60, local % 60)
}

/// The latest instant, not after `now_ms` (give or take a minute), when the local clock showed
/// `hour:minute`: "22:40" typed at 00:15 means yesterday evening. For times picked on a form.
pub fn last_local_at(now_ms: i64, hour: u8, minute: u8) -> i64 {
    let today = local_date(now_ms);
    let t = today.at_local(hour, minute);
    if t > now_ms.saturating_add(60_000) {
        today.add_days(-1).at_local(hour, minute)
    } else {
        t
    }
}

/// Parses a form's `HH:MM` (hours 0-23, minutes 0-59).
pub fn parse_hhmm(s: &str) -> Option<(u8, u8)> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u8, u8) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

fn local_midnight_ms(d: Date) -> i64 {
    let Some(naive) = d.days_since_epoch().checked_mul(MS_PER_DAY) else {
        return day_ms(d.days_since_epoch());
    };
    // Midnight is never inside a DST switch (they happen at 02:00/03:00 local), so one correction suffices.
    naive.saturating_sub(utc_offset_ms(naive.saturating_sub(MS_PER_HOUR)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for n in [-1000, 0, 1, 365, 10_957, 20_000, 20_600] {
            assert_eq!(Date::from_days_since_epoch(n).days_since_epoch(), n);
        }
        assert_eq!(Date::parse("2026-11-26").unwrap().to_string(), "2026-11-26");
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("2026-11-26").unwrap().weekday(), 3); // a Thursday
    }

    #[test]
    fn local_times_of_day_on_every_kind_of_day() {
        for (day, hour, want) in [
            ("2026-11-26", 13, "13:00"),
            ("2026-07-01", 13, "13:00"),
            ("2027-03-28", 12, "12:00"),
            ("2027-03-28", 0, "00:00"),
            ("2027-03-28", 3, "03:00"),
            ("2027-03-28", 2, "03:00"),
            ("2027-10-31", 12, "12:00"),
            ("2027-10-31", 23, "23:00"),
            ("2027-10-31", 2, "02:00"),
        ] {
            let d = Date::parse(day).unwrap();
            let t = d.at_local(hour, 0);
            assert_eq!(local_hhmm(t), want, "{day} {hour}:00");
            assert_eq!(local_date(t), d);
        }
        // The doubled hour is the first one: an hour later the clock shows 02:00 again.
        let t = Date::parse("2027-10-31").unwrap().at_local(2, 0);
        assert_eq!(local_hhmm(t + MS_PER_HOUR), "02:00");
    }

    #[test]
    fn a_typed_time_is_the_last_time_the_clock_showed_it() {
        let d = Date::parse("2026-11-29").unwrap();
        let quarter_past_midnight = d.at_local(0, 15);
        let t = last_local_at(quarter_past_midnight, 23, 40);
        assert_eq!(local_date(t), d.add_days(-1));
        assert_eq!(local_hhmm(t), "23:40");
        let t = last_local_at(quarter_past_midnight, 0, 5);
        assert_eq!((local_date(t), local_hhmm(t)), (d, "00:05".into()));
        // Within a minute of now is now, not yesterday.
        let now = d.at_local(22, 10) + 30_000;
        assert_eq!(last_local_at(now, 22, 10), d.at_local(22, 10));
        // Across the autumn switch, 25 hours in the day.
        let switch = Date::parse("2026-10-25").unwrap();
        let t = last_local_at(switch.at_local(4, 0), 1, 30);
        assert_eq!((local_date(t), local_hhmm(t)), (switch, "01:30".into()));
        assert_eq!(parse_hhmm("22:05"), Some((22, 5)));
        assert_eq!(parse_hhmm("22:05:00"), Some((22, 5)));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("7"), None);
    }

    #[test]
    fn stockholm_summer_and_winter_time() {
        // 2026-07-01 10:00 UTC is 12:00 in Stockholm; 2026-11-26 10:00 UTC is 11:00.
        let summer =
            Date::parse("2026-07-01").unwrap().days_since_epoch() * MS_PER_DAY + 10 * MS_PER_HOUR;
        assert_eq!(local_date_hour(summer).1, 12);
        let winter =
            Date::parse("2026-11-26").unwrap().days_since_epoch() * MS_PER_DAY + 10 * MS_PER_HOUR;
        assert_eq!(local_date_hour(winter).1, 11);
        assert_eq!(local_hhmm(winter), "11:00");
        // Switches in 2026: 29 March and 25 October.
        let (s, e) = Date::parse("2026-03-29").unwrap().bounds_ms();
        assert_eq!(e - s, 23 * MS_PER_HOUR);
        let (s, e) = Date::parse("2026-10-25").unwrap().bounds_ms();
        assert_eq!(e - s, 25 * MS_PER_HOUR);
        let (s, _) = Date::parse("2026-11-26").unwrap().bounds_ms();
        assert_eq!(local_date_hour(s), (Date::parse("2026-11-26").unwrap(), 0));
        assert_eq!(local_date(s - 1), Date::parse("2026-11-25").unwrap());
    }
}
