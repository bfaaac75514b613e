//! Property tests of the calendar on any input: an instant is any `i64` of milliseconds (a phone's clock
//! may say anything) and a date any year an `i32` holds, so no function may overflow; debug builds would
//! panic, release builds would wrap to nonsense. Far out the answers saturate at the representable ends.

use proptest::prelude::*;
use torgkoll_shared::calendar::{Date, local_date, local_date_hour, local_hhmm, utc_offset_ms};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;

/// About 1.1 million years either side of 1970: far beyond any real date, well inside `i64` milliseconds.
const FAR_MS: i64 = 1 << 55;

/// Any instant, with the year at either end of `i64` milliseconds drawn as often as the rest.
fn arb_ms() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        i64::MAX - 400 * DAY..=i64::MAX,
        i64::MIN..=i64::MIN + 400 * DAY,
    ]
}

fn arb_date() -> impl Strategy<Value = Date> {
    (any::<i32>(), 1u8..=12, 1u8..=28).prop_map(|(year, month, day)| Date { year, month, day })
}

fn valid(d: Date) -> bool {
    (1..=12).contains(&d.month)
        && d.day >= 1
        && Date::from_days_since_epoch(d.days_since_epoch()) == d
}

proptest! {
    #[test]
    fn any_instant_has_a_local_date_hour_and_offset(ms in arb_ms()) {
        let offset = utc_offset_ms(ms);
        prop_assert!(offset == HOUR || offset == 2 * HOUR, "offset {offset}");
        let (date, hour) = local_date_hour(ms);
        prop_assert!(hour < 24);
        prop_assert!(valid(date), "{date:?}");
        prop_assert_eq!(local_date(ms), date);
        let hhmm = local_hhmm(ms);
        let (h, m) = hhmm.split_once(':').unwrap();
        prop_assert!(h.parse::<u8>().unwrap() < 24 && m.parse::<u8>().unwrap() < 60, "{hhmm}");
        prop_assert_eq!(h.parse::<u8>().unwrap(), hour);
    }

    #[test]
    fn an_instant_lies_within_the_bounds_of_its_local_day(ms in -FAR_MS..FAR_MS) {
        let (from, to) = local_date(ms).bounds_ms();
        prop_assert!(from <= ms && ms < to, "{from} <= {ms} < {to}");
        prop_assert!((23 * HOUR..=25 * HOUR).contains(&(to - from)));
    }

    #[test]
    fn any_day_number_gives_a_real_date(days in prop_oneof![any::<i64>(), arb_ms()]) {
        let d = Date::from_days_since_epoch(days);
        prop_assert!(valid(d), "{d:?}");
        // Inside the years an i32 holds the day number round-trips; outside it saturates at the ends.
        let first = Date { year: i32::MIN, month: 1, day: 1 }.days_since_epoch();
        let last = Date { year: i32::MAX, month: 12, day: 31 }.days_since_epoch();
        prop_assert_eq!(d.days_since_epoch(), days.clamp(first, last));
    }

    #[test]
    fn adding_any_days_to_any_date_does_not_overflow(d in arb_date(), n in arb_ms()) {
        let later = d.add_days(n);
        prop_assert!(valid(later), "{later:?}");
        prop_assert!(d.weekday() < 7);
        if n.unsigned_abs() < 1_000_000 && d.year.unsigned_abs() < 1_000_000 {
            prop_assert_eq!(later.days_since_epoch() - d.days_since_epoch(), n);
            prop_assert_eq!(later.add_days(-n), d);
        }
        let (from, to) = d.bounds_ms();
        prop_assert!(from <= to);
    }

    #[test]
    fn parsing_any_text_never_panics(s in ".{0,24}") {
        if let Some(d) = Date::parse(&s) {
            prop_assert!(valid(d));
        }
    }

    #[test]
    fn parsing_any_numbers_gives_a_four_digit_year_or_nothing(
        year in prop_oneof![any::<i64>(), -100i64..12_000],
        month in prop_oneof![any::<i16>(), -1i16..14],
        day in prop_oneof![any::<i16>(), -1i16..33],
    ) {
        let text = format!("{year}-{month}-{day}");
        match Date::parse(&text) {
            Some(d) => {
                prop_assert!((0..=9999).contains(&year) && valid(d), "{text}");
                prop_assert_eq!(i64::from(d.year), year);
            }
            None => prop_assert!(
                !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=28).contains(&day),
                "{text} is a date"
            ),
        }
    }
}

#[test]
fn the_extremes_saturate_instead_of_overflowing() {
    // A year no review asks for, but that `i32` and the old parser took: its day no longer overflows.
    assert_eq!(Date::parse("999999999-01-01"), None, "YYYY has four digits");
    let huge = Date {
        year: 999_999_999,
        month: 1,
        day: 1,
    };
    assert_eq!(huge.bounds_ms(), (i64::MAX, i64::MAX));
    let ancient = Date {
        year: -999_999_999,
        month: 1,
        day: 1,
    };
    assert_eq!(ancient.bounds_ms(), (i64::MIN, i64::MIN));
    let max = Date {
        year: i32::MAX,
        month: 12,
        day: 31,
    };
    assert_eq!(max.add_days(i64::MAX), max);
    assert_eq!(max.add_days(1), max);
    let min = Date {
        year: i32::MIN,
        month: 1,
        day: 1,
    };
    assert_eq!(min.add_days(i64::MIN), min);
    assert_eq!(local_date(i64::MAX).year, 292_278_994);
    assert_eq!(local_date(i64::MIN).year, -292_275_055);
    // Ordinary instants are untouched: 2026-11-26 12:00 UTC is 13:00 in Stockholm.
    let noon = Date::parse("2026-11-26").unwrap().days_since_epoch() * DAY + 12 * HOUR;
    assert_eq!(
        local_date_hour(noon),
        (Date::parse("2026-11-26").unwrap(), 13)
    );
}
