//! The weekly report from the stored operations, read as the daily one reads a day
//! ([`super::lagesbild::build`]): the reports and runs the week and the four weeks before touch, and
//! those that may still be open at the week's end.

use torgkoll_shared::analytics::html::render_weekly_html;
use torgkoll_shared::analytics::weekly::{IsoWeek, Weekly};
use torgkoll_shared::{Site, State};

use super::lagesbild::ReportFormat;
use crate::cancel::Cancel;
use crate::store::{Result, ServerStore};

/// The week's report as of `now_ms` (a week still running is reported up to now).
pub fn build(
    store: &dyn ServerStore,
    site: &Site,
    week: IsoWeek,
    now_ms: i64,
    cancel: &Cancel,
) -> Result<Weekly> {
    let (_, week_end) = week.bounds_ms();
    let as_of = now_ms.min(week_end);
    let from = week.monday().add_days(-28).bounds_ms().0;
    let ops = store.ops_touching(&site.id, from, week_end, Some(as_of), as_of, cancel)?;
    cancel.check()?;
    let state = State::fold(&ops);
    cancel.check()?;
    Ok(Weekly::build(site, &state, week, now_ms))
}

/// The weekly report rendered in `format`.
pub fn render(
    store: &dyn ServerStore,
    site: &Site,
    week: IsoWeek,
    now_ms: i64,
    format: ReportFormat,
    cancel: &Cancel,
) -> Result<String> {
    let report = build(store, site, week, now_ms, cancel)?;
    Ok(match format {
        ReportFormat::Html => render_weekly_html(site, &report),
        ReportFormat::Json => report.to_json(),
    })
}
