//! Analytics for the platsansvarig's review: machine coverage, hotspots, disturbances by hour and zone,
//! freshness, open items, the daily situational report (lägesbild) and its HTML form, exports and retention.
//!
//! Everything here is a pure function of a [`Site`], the folded [`State`] (or its reports and runs), a
//! [`Period`] `[from_ms, to_ms)` and, where an age is asked for, `now_ms`. Outputs are plain serde structs, so
//! the server can send them as JSON and the app can draw them.
//!
//! Counting rules shared by every function:
//! - A report counts once when it was made (its creating operation's wall time) and once more for every
//!   still-there (+1), at that operation's clock time. Withdrawn reports and duplicates are left out.
//! - A report's category is its current one, after any reclassification.
//! - Times of day are Europe/Stockholm local time (see [`crate::calendar`]).

pub mod coverage;
pub mod demo;
pub mod disturbances;
pub mod export;
pub mod freshness;
pub mod hotspots;
pub mod html;
pub mod lagesbild;
pub mod recurring;
pub mod retention;
pub mod weekly;

use geo::Coord;
use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::op::Classification;
use crate::report::{Report, ReportBody, Status};
use crate::site::Site;
use crate::vocab::{CleaningCategory, DisturbanceCategory};

pub use coverage::{CoverageShape, KindCoverage, ViewPolygon, ZoneCoverage};
pub use disturbances::{DisturbanceSummary, HeatCell, HeatRow, HeatTable};
pub use freshness::{AgeBucket, OpenItem, OpenItems, ZoneFreshness};
pub use hotspots::{Grid, HotspotCell, HotspotGrid};
pub use lagesbild::{Lagesbild, LagesbildInput, StaffCount};
pub use recurring::{RecurringHotspot, RecurringRule};
pub use retention::Retention;

/// A half-open span of time `[from_ms, to_ms)`, in ms since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Period {
    pub fn new(from_ms: i64, to_ms: i64) -> Self {
        Period { from_ms, to_ms }
    }

    /// The local (Stockholm) day.
    pub fn day(date: Date) -> Self {
        let (from_ms, to_ms) = date.bounds_ms();
        Period { from_ms, to_ms }
    }

    pub fn contains(&self, t: i64) -> bool {
        (self.from_ms..self.to_ms).contains(&t)
    }
}

/// A zone by id and name, for tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneRef {
    pub id: String,
    pub name: String,
}

pub(crate) fn zone_refs(site: &Site) -> Vec<ZoneRef> {
    site.zones
        .iter()
        .map(|z| ZoneRef {
            id: z.id.clone(),
            name: z.name.clone(),
        })
        .collect()
}

/// Whether a report takes part in counts at all: known, not withdrawn, not a duplicate.
pub fn counts(r: &Report) -> bool {
    r.is_known() && !matches!(r.status(), Status::Withdrawn | Status::Duplicate)
}

/// When the report's event happened: the time its author gave (a guard logging after the fact), else
/// when it was made; corrected times both (see [`crate::timefix`]).
pub fn created_ms(r: &Report) -> Option<i64> {
    r.when_ms()
}

/// The report's current cleaning category, if it is (now) a cleaning report.
pub fn cleaning_category(r: &Report) -> Option<CleaningCategory> {
    match r.classification()? {
        Classification::Cleaning(c) => Some(c),
        Classification::Disturbance(_) => None,
    }
}

/// The report's current disturbance category, if it is (now) a disturbance.
pub fn disturbance_category(r: &Report) -> Option<DisturbanceCategory> {
    match r.classification()? {
        Classification::Disturbance(c) => Some(c),
        Classification::Cleaning(_) => None,
    }
}

/// Whether a report is a cleaning task asked for by a guard or the manager.
pub fn is_task(r: &Report) -> bool {
    matches!(
        r.body,
        Some(ReportBody::Cleaning {
            requested_from: Some(_),
            ..
        })
    )
}

/// The times at which a report was reported: when made, then each still-there (+1).
pub fn event_times(r: &Report) -> impl Iterator<Item = i64> + '_ {
    created_ms(r)
        .into_iter()
        .chain(r.still_there.iter().map(|s| s.at))
}

/// How many times a report was reported within the period.
pub fn events_in(r: &Report, period: &Period) -> u32 {
    event_times(r).filter(|t| period.contains(*t)).count() as u32
}

/// The index of the zone a report lies in, if it lies on the site.
pub(crate) fn zone_index_of(site: &Site, r: &Report) -> Option<usize> {
    let at = r.at()?;
    zone_index_local(site, site.frame.to_local(at))
}

pub(crate) fn zone_index_local(site: &Site, c: Coord<f64>) -> Option<usize> {
    let z = site.locate_local(c).ok()?;
    site.zones.iter().position(|x| std::ptr::eq(x, z))
}

/// Whether a local point is on the site or within `margin_m` of it.
pub(crate) fn near_site(site: &Site, c: Coord<f64>, margin_m: f64) -> bool {
    match site.locate_local(c) {
        Ok(_) => true,
        Err(d) => d < margin_m,
    }
}

/// A point in the view plane as `[x, y]` (metres; x along the site's axis, y up).
pub(crate) fn view_xy(c: Coord<f64>) -> [f64; 2] {
    [c.x, c.y]
}

/// Hours between two instants, rounded to a tenth.
pub fn hours_between(earlier_ms: i64, later_ms: i64) -> f64 {
    ((later_ms - earlier_ms) as f64 / 360_000.0).round() / 10.0
}
