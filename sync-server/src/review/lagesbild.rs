//! The daily report from the stored operations: the day and the four weeks before (for "the usual"), the
//! reports still open, and the devices active that day, counted per role.

use std::time::Instant;

use torgkoll_shared::analytics::html::render_html;
use torgkoll_shared::analytics::{Lagesbild, LagesbildInput, StaffCount};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{Role, Site, State};

use crate::cancel::Cancel;
use crate::store::{Result, ServerStore};

/// The two forms of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Printable HTML with the site map as SVG.
    Html,
    /// The report's data.
    Json,
}

impl ReportFormat {
    pub fn parse(s: &str) -> Option<ReportFormat> {
        match s {
            "html" => Some(ReportFormat::Html),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Html => "text/html; charset=utf-8",
            ReportFormat::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Json => "json",
        }
    }
}

/// Staff on duty: the devices that made operations of site `site` that day, counted per role (no names).
pub fn staff_on(store: &dyn ServerStore, site: &str, date: Date) -> Result<Vec<StaffCount>> {
    let (from, to) = date.bounds_ms();
    let active = store.active_devices(site, from, to)?;
    Ok([Role::Manager, Role::Guard, Role::Cleaner]
        .into_iter()
        .filter_map(|role| {
            let count = active.iter().find(|(r, _)| *r == role)?.1;
            Some(StaffCount { role, count })
        })
        .collect())
}

/// The report of `site` (its operations only) for `date` as of `now_ms` (a day still running is reported up to now), from the operations
/// made before then.
///
/// Stops with `Cancelled` at its next step once `cancel` is set (its client went away).
pub fn build(
    store: &dyn ServerStore,
    site: &Site,
    date: Date,
    now_ms: i64,
    cancel: &Cancel,
) -> Result<Lagesbild> {
    let (_, day_end) = date.bounds_ms();
    let as_of = now_ms.min(day_end);
    let window_from = date.add_days(-29).bounds_ms().0;
    let started = Instant::now();
    let ops = store.ops_touching(&site.id, window_from, day_end, Some(as_of), as_of, cancel)?;
    let loaded = started.elapsed();
    cancel.check()?;
    let state = State::fold(&ops);
    let folded = started.elapsed();
    cancel.check()?;
    let input = LagesbildInput::new(date, now_ms, staff_on(store, &site.id, date)?);
    let report = Lagesbild::build(site, &state, &input);
    tracing::debug!(
        %date,
        ops = ops.len(),
        reports = state.reports.len(),
        runs = state.runs.len(),
        load_ms = loaded.as_millis(),
        fold_ms = (folded - loaded).as_millis(),
        build_ms = (started.elapsed() - folded).as_millis(),
        "lägesbild built"
    );
    Ok(report)
}

/// The report rendered in `format`.
pub fn render(
    store: &dyn ServerStore,
    site: &Site,
    date: Date,
    now_ms: i64,
    format: ReportFormat,
    cancel: &Cancel,
) -> Result<String> {
    let report = build(store, site, date, now_ms, cancel)?;
    cancel.check()?;
    Ok(match format {
        ReportFormat::Html => render_html(site, &report),
        ReportFormat::Json => report.to_json(),
    })
}
