//! Exports for the partners: CSV rows that open in Excel and a GeoJSON FeatureCollection that opens in QGIS.
//! Free text is left out unless asked for.

pub mod csv;
pub mod geojson;

pub use csv::{csv_reports, csv_runs};
pub use geojson::feature_collection;

use crate::calendar::{local_date, local_hhmm};

/// What an export includes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Include free text (notes). Off by default.
    pub include_notes: bool,
    /// Include withdrawn reports (off: they were undone by their author).
    pub include_withdrawn: bool,
}

/// Local time as `YYYY-MM-DD HH:MM`, which Excel reads as a date and time.
pub fn local_datetime(ms: i64) -> String {
    format!("{} {}", local_date(ms), local_hhmm(ms))
}
