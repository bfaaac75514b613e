//! Exports of a span of days for the partners: CSV for Excel (one row per report) or GeoJSON for QGIS
//! (reports as points, machine runs as lines). Free text only when asked for.

use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::export::{ExportOptions, csv_reports, feature_collection};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{Site, State};

use crate::cancel::Cancel;
use crate::store::{Result, ServerStore};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// `;`-separated UTF-8 with a byte-order mark, for Excel.
    Csv,
    /// A FeatureCollection in WGS84, for QGIS.
    Geojson,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s {
            "csv" => Some(ExportFormat::Csv),
            "geojson" => Some(ExportFormat::Geojson),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Geojson => "application/geo+json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Geojson => "geojson",
        }
    }
}

/// What to export: local days `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportRequest {
    pub from: Date,
    pub to: Date,
    pub format: ExportFormat,
    pub with_notes: bool,
}

/// The longest span one export may cover.
pub const MAX_EXPORT_DAYS: i64 = 400;

impl ExportRequest {
    /// Checks the span; the message is for a person.
    pub fn check(&self) -> std::result::Result<(), String> {
        let days = self.to.days_since_epoch() - self.from.days_since_epoch() + 1;
        if days < 1 {
            return Err(format!(
                "'to' ({}) is before 'from' ({})",
                self.to, self.from
            ));
        }
        if days > MAX_EXPORT_DAYS {
            return Err(format!(
                "{days} days asked for; at most {MAX_EXPORT_DAYS} in one export"
            ));
        }
        Ok(())
    }

    pub fn period(&self) -> Period {
        Period::new(self.from.bounds_ms().0, self.to.bounds_ms().1)
    }

    /// The file name offered to the browser, e.g. `torgkoll-plattan-2026-11-01_2026-11-26.csv`.
    pub fn file_name(&self, site: &Site) -> String {
        let site_id: String = site
            .id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        format!(
            "torgkoll-{site_id}-{}_{}.{}",
            self.from,
            self.to,
            self.format.extension()
        )
    }
}

/// The export's text, of `site`'s operations only. Reports count in it when they were made or said to be still there in the span;
/// their status is the current one.
///
/// Stops with `Cancelled` at its next step once `cancel` is set (its client went away).
pub fn render(
    store: &dyn ServerStore,
    site: &Site,
    req: &ExportRequest,
    cancel: &Cancel,
) -> Result<String> {
    let period = req.period();
    let ops = store.ops_touching(
        &site.id,
        period.from_ms,
        period.to_ms,
        None,
        i64::MAX,
        cancel,
    )?;
    cancel.check()?;
    let state = State::fold(&ops);
    cancel.check()?;
    let opts = ExportOptions {
        include_notes: req.with_notes,
        include_withdrawn: false,
    };
    tracing::debug!(from = %req.from, to = %req.to, ops = ops.len(), notes = req.with_notes, "export");
    Ok(match req.format {
        ExportFormat::Csv => csv_reports(site, state.reports.values(), &period, opts),
        ExportFormat::Geojson => feature_collection(
            site,
            state.reports.values(),
            state.runs.values(),
            &period,
            opts,
        )
        .to_string(),
    })
}
