//! Review for the platsansvarig on the server: the daily situational report (lägesbild), exports for the
//! partners, the retention purge of free text, and a demo day for screenshots.
//!
//! The analytics and the HTML are pure functions in `torgkoll_shared::analytics`; this module reads what
//! they need from the [`crate::store::ServerStore`], and serves it to a manager's token
//! ([`routes`]) or on the command line ([`commands`]).

pub mod commands;
pub mod demo;
pub mod devices;
pub mod export;
pub mod lagesbild;
pub mod retention;
pub mod routes;
pub mod site_choice;
pub mod weekly;

use torgkoll_shared::calendar::Date;

/// The first day a review may ask about: Torgkoll holds nothing older.
pub const FIRST_DAY: Date = Date {
    year: 2000,
    month: 1,
    day: 1,
};

/// The last day a review may ask about. Later dates are typos; far later ones (year ~292 million) would
/// overflow the instants of the day.
pub const LAST_DAY: Date = Date {
    year: 2200,
    month: 12,
    day: 31,
};

/// Parses `YYYY-MM-DD` from [`FIRST_DAY`] to [`LAST_DAY`] (for clap and query strings).
pub fn parse_date(s: &str) -> Result<Date, String> {
    let date = Date::parse(s).ok_or_else(|| format!("'{s}' is not a date (YYYY-MM-DD)"))?;
    if (FIRST_DAY..=LAST_DAY).contains(&date) {
        Ok(date)
    } else {
        Err(format!(
            "{date} is outside the days a review covers, {FIRST_DAY} to {LAST_DAY}"
        ))
    }
}

/// Parses an ISO week `YYYY-Www` whose days lie from [`FIRST_DAY`] to [`LAST_DAY`].
pub fn parse_week(s: &str) -> Result<torgkoll_shared::analytics::weekly::IsoWeek, String> {
    let week = torgkoll_shared::analytics::weekly::IsoWeek::parse(s)
        .ok_or_else(|| format!("'{s}' is not an ISO week (YYYY-Www, e.g. 2026-W48)"))?;
    let (monday, sunday) = (week.monday(), week.monday().add_days(6));
    if FIRST_DAY <= monday && sunday <= LAST_DAY {
        Ok(week)
    } else {
        Err(format!(
            "{week} is outside the days a review covers, {FIRST_DAY} to {LAST_DAY}"
        ))
    }
}
