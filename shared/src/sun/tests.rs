//! Sunrise and sunset at the Plattan against an almanac, the dark/light switch at those times, days
//! without a sunset or a sunrise at a northern site, and any input without a panic.
//!
//! The reference times are the U.S. Naval Observatory's definition of sunrise and sunset (upper rim on
//! the horizon, 34′ of refraction) for the Plattan's centre (59.33233° N, 18.06401° E), computed with
//! PyEphem 4.2.1 (XEphem's libastro) and agreeing within 35 s with NOAA's algorithm (astral 3.2); rounded
//! to the minute they are what published tables for Stockholm print (e.g. 03:31 and 22:08 at midsummer,
//! 08:43 and 14:48 at midwinter). A minute is the tolerance: almanacs print minutes, and refraction on the
//! day moves the real sunrise by more than that.

use proptest::prelude::*;

use super::*;
use crate::calendar::local_hhmm;
use crate::test_support::plattan;

const TOLERANCE_MS: i64 = 60_000;

fn day(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

/// `hh:mm:ss` local time on `date`, as ms since the epoch.
fn local(date: &str, hms: &str) -> i64 {
    let p: Vec<u8> = hms
        .split(':')
        .map(|x| x.parse().expect("a number"))
        .collect();
    day(date).at_local(p[0], p[1]) + i64::from(p[2]) * 1000
}

fn rise_set(site: &Site, date: &str) -> (i64, i64) {
    match sun_day(site, day(date)) {
        Some(SunDay::RiseSet {
            rise_ms: Some(r),
            set_ms: Some(s),
        }) => (r, s),
        other => panic!("{date}: {other:?}"),
    }
}

/// (date, sunrise, sunset) in local time (CET or CEST) at the Plattan.
const ALMANAC: [(&str, &str, &str); 5] = [
    // Midsummer: the longest day.
    ("2026-06-21", "03:30:56", "22:08:09"),
    // Midwinter: the shortest.
    ("2026-12-21", "08:43:23", "14:48:10"),
    // An ordinary autumn day.
    ("2026-10-14", "07:22:58", "17:43:25"),
    // The clocks go forward at 02:00 (a 23-hour day): sunrise already in summer time.
    ("2026-03-29", "06:23:13", "19:23:12"),
    // The clocks go back at 03:00 (a 25-hour day): sunrise already in winter time.
    ("2026-10-25", "06:49:35", "16:13:04"),
];

#[test]
fn sunrise_and_sunset_at_the_plattan_match_the_almanac() {
    let site = plattan();
    for (date, rise, set) in ALMANAC {
        let (r, s) = rise_set(&site, date);
        for (what, got, want) in [("rise", r, local(date, rise)), ("set", s, local(date, set))] {
            assert!(
                (got - want).abs() <= TOLERANCE_MS,
                "{date} {what}: {} s off the almanac",
                (got - want) / 1000
            );
        }
    }
}

/// Local time to the nearest minute, as almanacs print it.
fn printed(ms: i64) -> String {
    local_hhmm(ms + 30_000)
}

#[test]
fn local_times_on_the_days_the_clocks_change_are_in_the_right_offset() {
    let site = plattan();
    let (r, s) = rise_set(&site, "2026-03-29");
    assert_eq!((printed(r), printed(s)), ("06:23".into(), "19:23".into()));
    let (r, s) = rise_set(&site, "2026-10-25");
    assert_eq!((printed(r), printed(s)), ("06:50".into(), "16:13".into()));
    // The day before each change, the other offset: an hour's jump, not a day's drift of 2-4 minutes.
    let (r, _) = rise_set(&site, "2026-03-28");
    assert_eq!(printed(r), "05:26");
    let (r, _) = rise_set(&site, "2026-10-24");
    assert_eq!(printed(r), "07:47");
}

#[test]
fn it_turns_dark_at_sunset_and_light_at_sunrise() {
    let site = plattan();
    for (date, _, _) in ALMANAC {
        let (r, s) = rise_set(&site, date);
        assert!(is_dark(&site, r - 1000), "{date}: dark just before sunrise");
        assert!(
            !is_dark(&site, r + 1000),
            "{date}: light just after sunrise"
        );
        assert!(
            !is_dark(&site, s - 1000),
            "{date}: light just before sunset"
        );
        assert!(is_dark(&site, s + 1000), "{date}: dark just after sunset");
    }
}

#[test]
fn a_december_afternoon_is_dark_and_a_june_evening_not_yet() {
    let site = plattan();
    assert!(is_dark(&site, local("2026-12-15", "16:00:00")));
    assert!(!is_dark(&site, local("2026-12-15", "13:00:00")));
    assert!(!is_dark(&site, local("2026-06-21", "21:30:00")));
    // Sunset is 22:08, so at 23:00 the field screens are dark even at midsummer.
    assert!(is_dark(&site, local("2026-06-21", "23:00:00")));
    assert!(is_dark(&site, local("2026-06-22", "01:00:00")));
}

/// Tromsø (69.65° N), as another site file: the polar night and the midnight sun.
fn tromso() -> Site {
    let (w, e, s, n) = (18.954, 18.956, 69.648, 69.649);
    let ring = format!("[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]");
    let geojson = format!(
        r#"{{"type":"FeatureCollection","properties":{{"site_id":"tromso"}},"features":[
          {{"type":"Feature","properties":{{"kind":"site_boundary"}},"geometry":{{"type":"Polygon","coordinates":{ring}}}}},
          {{"type":"Feature","properties":{{"kind":"zone","id":"A"}},"geometry":{{"type":"Polygon","coordinates":{ring}}}}}]}}"#
    );
    Site::from_geojson(&geojson).expect("a site")
}

#[test]
fn a_northern_site_has_days_without_sunrise_or_sunset() {
    let site = tromso();
    assert_eq!(sun_day(&site, day("2026-12-21")), Some(SunDay::Down));
    assert!(is_dark(&site, local("2026-12-21", "12:00:00")));
    assert_eq!(sun_day(&site, day("2026-06-21")), Some(SunDay::Up));
    assert!(!is_dark(&site, local("2026-06-21", "00:30:00")));
    // An ordinary day there still has both.
    assert!(matches!(
        sun_day(&site, day("2026-10-14")),
        Some(SunDay::RiseSet {
            rise_ms: Some(_),
            set_ms: Some(_)
        })
    ));
}

#[test]
fn times_the_sun_cannot_be_computed_for_are_day_and_no_sun_day() {
    let site = plattan();
    for ms in [
        i64::MIN,
        -100_000_000_000_000,
        100_000_000_000_000,
        i64::MAX,
    ] {
        assert!(!is_dark(&site, ms), "{ms}");
    }
    for d in [Date::MIN, day("3001-06-01"), day("9999-12-31"), Date::MAX] {
        assert_eq!(sun_day(&site, d), None, "{d}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_instant_and_any_day_are_answered(ms in any::<i64>(), days in any::<i64>()) {
        let site = plattan();
        let _ = is_dark(&site, ms);
        let _ = sun_day(&site, Date::from_days_since_epoch(days));
        // Within the computable years a day's sunrise comes before its sunset, both inside the day.
        let d = Date::from_days_since_epoch(days.rem_euclid(40_000) - 10_000);
        if let Some(SunDay::RiseSet { rise_ms: Some(r), set_ms: Some(s) }) = sun_day(&site, d) {
            let (start, end) = d.bounds_ms();
            prop_assert!(start <= r && r < s && s < end, "{d}: {r} {s}");
        }
    }
}
