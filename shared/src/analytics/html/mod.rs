//! The daily situational report as a printable HTML page (Swedish), with the site map as inline SVG.
//!
//! `page` lays out the document and its styles, `tables` the sections, `map` the SVG map; `weekly` the
//! weekly report's page in the same styles.

mod map;
mod page;
mod tables;
mod weekly;

pub use map::site_map_svg;
pub use page::render_html;
pub use weekly::render_weekly_html;

use crate::calendar::{Date, local_date, local_hhmm};

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const WEEKDAYS: [&str; 7] = [
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
];
const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// "torsdag 26 november 2026".
pub fn date_sv(d: Date) -> String {
    format!(
        "{} {} {} {}",
        WEEKDAYS[usize::from(d.weekday())],
        d.day,
        MONTHS[usize::from(d.month.clamp(1, 12)) - 1],
        d.year
    )
}

/// The plural weekday, "torsdagar".
pub fn weekday_plural_sv(d: Date) -> String {
    format!("{}ar", WEEKDAYS[usize::from(d.weekday())])
}

/// "14:05" on the report's day, otherwise "25/11 14:05".
pub fn when_sv(ms: i64, day: Date) -> String {
    let d = local_date(ms);
    if d == day {
        local_hhmm(ms)
    } else {
        format!("{}/{} {}", d.day, d.month, local_hhmm(ms))
    }
}

/// Hours as "3,5 h" or days as "2 dygn" (Swedish decimal comma).
pub fn age_sv(h: f64) -> String {
    if h < 48.0 {
        format!("{} h", format!("{h:.1}").replace('.', ","))
    } else {
        format!("{:.0} dygn", h / 24.0)
    }
}

/// A share as "42 %".
pub fn pct(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// A number with a decimal comma.
pub fn dec1(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}
