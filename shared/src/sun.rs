//! Sunrise and sunset at a site, computed from the site's own position (never fetched: the phone works
//! offline), so that the field app can turn dark at night.
//!
//! **Dark** means the sun is down as almanacs count sunrise and sunset: the sun's centre more than 50′
//! below the horizon (34′ of refraction and 16′ of the sun's radius: its upper rim has gone). We switch at
//! sunset rather than at the end of civil twilight (sun 6° down) on purpose, for glare: the Plattan lies
//! below street level between Kulturhuset and Sergelhuset, partly under the Klarabergsgatan deck, and
//! Stockholm's sky is overcast much of the year, so the plaza is dim well before the open sky is. A dark,
//! high-contrast screen still reads in the last daylight; a white one already dazzles in the dusk. Civil
//! twilight would also leave midsummer without a night to speak of (on 21 June in Stockholm it ends at
//! 23:40 and begins again at 01:59), while the crews work in the dark under the deck at 23:00.
//!
//! The sun's position is NREL's Solar Position Algorithm as the `solar-positioning` crate implements it
//! (±0.0003°, checked by its authors against NREL, JPL and USNO data), with ΔT estimated for the year;
//! sunrise and sunset are that crate's search for the crossings. Instants are ms since the epoch (UTC); a
//! day is a local calendar day of [`crate::calendar`].
//!
//! Every input is taken without panicking: an instant outside the years ΔT can be estimated for (−500 to
//! 3000) or a site off the globe gives no [`SunDay`], and [`is_dark`] then says day (the app's ordinary
//! look). A site far enough north has days without a sunset or a sunrise ([`SunDay::Up`], [`SunDay::Down`]).

use solar_positioning::{
    Horizon, HorizonState, Location, SolarEvents, SolarPositions, delta_t, time::JulianDate,
};

use crate::calendar::Date;
use crate::site::Site;

/// The elevation of the sun's centre (degrees, without refraction) at sunrise and sunset: −50′.
pub const SUNSET_ELEVATION_DEG: f64 = Horizon::SunriseSunset.elevation_angle();

const MS_PER_DAY: f64 = 86_400_000.0;
/// The Julian date of 1970-01-01 00:00 UTC.
const UNIX_EPOCH_JD: f64 = 2_440_587.5;
/// A mean Gregorian year, for the decimal year ΔT is estimated from.
const MS_PER_YEAR: f64 = 31_556_952_000.0;

/// The sun on one local day at a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SunDay {
    /// The sun rises and sets (ms since the epoch): the first sunrise and the last sunset of the day. Far
    /// north one of them is missing on the day the midnight sun or the polar night begins or ends.
    RiseSet {
        rise_ms: Option<i64>,
        set_ms: Option<i64>,
    },
    /// Up all day: the midnight sun.
    Up,
    /// Down all day: the polar night.
    Down,
}

/// Whether it is dark at the site at `now_ms`: the sun has set and not risen again (see the module
/// documentation). Day for an instant the sun cannot be computed for.
pub fn is_dark(site: &Site, now_ms: i64) -> bool {
    elevation_deg(site, now_ms).is_some_and(|e| e < SUNSET_ELEVATION_DEG)
}

/// Sunrise and sunset at the site on a local day; `None` for a day outside the years the sun can be
/// computed for.
pub fn sun_day(site: &Site, date: Date) -> Option<SunDay> {
    let (start, end) = date.bounds_ms();
    let events = SolarEvents::new()
        .for_interval_from_julian(
            julian(start),
            julian(end),
            location(site),
            delta_t_at(start)?,
            Horizon::SunriseSunset,
        )
        .ok()?;
    if events.rises.is_empty() && events.sets.is_empty() {
        return Some(if events.state_at_start == HorizonState::Below {
            SunDay::Down
        } else {
            SunDay::Up
        });
    }
    Some(SunDay::RiseSet {
        rise_ms: events.rises.first().map(|&jd| unix_ms(jd)),
        set_ms: events.sets.last().map(|&jd| unix_ms(jd)),
    })
}

/// The elevation of the sun's centre in degrees (topocentric, at sea level, without refraction, as the
/// crossings are searched), or `None` when it cannot be computed.
fn elevation_deg(site: &Site, now_ms: i64) -> Option<f64> {
    let time = JulianDate::new(julian(now_ms), delta_t_at(now_ms)?).ok()?;
    SolarPositions::new()
        .at_from_julian(time, location(site), 0.0, None)
        .ok()
        .map(|p| p.elevation_angle())
}

/// The site's centre: where its plan's local frame is anchored.
fn location(site: &Site) -> Location {
    let origin = site.frame.origin();
    Location {
        latitude: origin.lat,
        longitude: origin.lon,
    }
}

/// ΔT (TT − UT1, seconds) for the year of an instant; `None` outside −500 to 3000.
fn delta_t_at(ms: i64) -> Option<f64> {
    delta_t::estimate(1970.0 + ms as f64 / MS_PER_YEAR).ok()
}

/// The Julian date of an instant. Finite for every `i64`; the crate refuses years it does not cover.
fn julian(ms: i64) -> f64 {
    ms as f64 / MS_PER_DAY + UNIX_EPOCH_JD
}

/// An instant from a Julian date the crate returned (inside its years, so far inside `i64`).
fn unix_ms(jd: f64) -> i64 {
    ((jd - UNIX_EPOCH_JD) * MS_PER_DAY).round() as i64
}

#[cfg(test)]
mod tests;
