//! Review for the platsansvarig on the server: the daily situational report (lägesbild), exports for the
//! partners, the retention purge of free text, and a demo day for screenshots.
//!
//! The analytics and the HTML are pure functions in `torgkoll_shared::analytics`; this module reads what
//! they need from the [`crate::store::ServerStore`], and serves it to a manager's token
//! ([`routes`]) or on the command line ([`commands`]).

pub mod commands;
pub mod demo;
pub mod export;
pub mod lagesbild;
pub mod retention;
pub mod routes;

use torgkoll_shared::calendar::Date;

/// Parses `YYYY-MM-DD` (for clap and query strings).
pub fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("'{s}' is not a date (YYYY-MM-DD)"))
}
