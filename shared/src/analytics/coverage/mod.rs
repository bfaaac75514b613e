//! Machine coverage: which part of the site the period's fimpsug and skurmaskin runs covered.
//!
//! A run's path (WGS84), cut to the period, is first believed (`believable.rs`): tapped points as they are,
//! GPS fixes only when accurate enough and reachable at the machine's speed, in pieces cut where fixes are
//! more than [`MAX_GAP_MS`] apart, smoothed. Both paint a grid of [`COVERAGE_CELL_M`] cells in the view
//! plane, clipped to the site: the taps' path covers the cells whose centres lie within half the machine's
//! cleaning width of it (`paint.rs`); a GPS piece lays down the area it swept as a density, spread by how
//! uncertain its positions are, and covers the cells where that reaches 0.4 (`density.rs`, `motion.rs`). A
//! zone's covered share is its covered cells over its cells. The grid replaced buffering the path and
//! taking the union of polygons, which took 23 s to over a minute for one run of 2,000 points that crossed
//! itself; the density, painting every fix, which read 81 % for a zone half driven (BENCHMARKS.md).

mod believable;
mod density;
mod grid;
mod motion;
mod outline;
mod paint;
mod visits;

use serde::{Deserialize, Serialize};

pub use believable::MAX_GAP_MS;
pub use grid::COVERAGE_CELL_M;
pub use visits::{last_cleaned, run_length_m};

use super::{Period, hours_between};
use crate::report::Run;
use crate::site::Site;
use crate::vocab::MachineKind;
use believable::believe;
use density::Density;
use grid::{CellGrid, CellSet};

/// How far back "last cleaned" looks (ms): older runs read as "not in the last 14 days".
pub const LAST_CLEANED_LOOKBACK_MS: i64 = 14 * 86_400_000;

/// One machine kind's coverage of a zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindCoverage {
    pub kind: MachineKind,
    pub covered_m2: f64,
    /// 0.0-1.0 of the zone's area.
    pub share: f64,
}

/// A zone's coverage in the period and when a machine was last in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneCoverage {
    pub zone_id: String,
    pub zone_name: String,
    pub area_m2: f64,
    /// Per machine kind, in `MachineKind::ALL` order.
    pub by_kind: Vec<KindCoverage>,
    /// By any machine.
    pub covered_m2: f64,
    pub share: f64,
    /// The latest time (≤ now) a run's path was in the zone, within the last 14 days.
    pub last_cleaned_ms: Option<i64>,
    pub hours_since: Option<f64>,
    /// Not cleaned in the last `stale_after_h` hours (or never).
    pub stale: bool,
}

/// A polygon in the view plane (`[x, y]` metres, x along the site's axis, y up), for drawing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewPolygon {
    pub exterior: Vec<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holes: Vec<Vec<[f64; 2]>>,
}

/// The area one machine kind covered, for the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageShape {
    pub kind: MachineKind,
    pub area_m2: f64,
    pub polygons: Vec<ViewPolygon>,
}

/// The cells of the site's coverage grid that some runs covered (on the site only).
#[derive(Clone, Debug, PartialEq)]
pub struct Covered(CellSet);

impl Covered {
    /// The covered area in square metres (cells × cell area).
    pub fn area_m2(&self) -> f64 {
        self.0.count() as f64 * COVERAGE_CELL_M * COVERAGE_CELL_M
    }

    /// The outline of the covered cells as view-plane polygons, for drawing.
    pub fn view_polygons(&self) -> Vec<ViewPolygon> {
        outline::outline(&self.0)
    }
}

/// The area covered by the runs (of one kind, or of any kind) within the period, on the site.
pub fn covered_area(
    site: &Site,
    runs: &[&Run],
    kind: Option<MachineKind>,
    period: &Period,
) -> Covered {
    let grid = CellGrid::of(site);
    let on_site = site_cells(site, grid);
    let mut all = CellSet::empty(grid);
    for k in MachineKind::ALL
        .iter()
        .filter(|k| kind.is_none_or(|x| x == **k))
    {
        all.or(&kind_cells(site, &on_site, runs, *k, period).0);
    }
    Covered(all)
}

/// The cells on the site.
fn site_cells(site: &Site, grid: CellGrid) -> CellSet {
    let mut cells = CellSet::empty(grid);
    for s in grid.spans_of(site, &site.boundary) {
        cells.fill(s);
    }
    cells
}

/// The cells one kind's runs covered in the period, on the site.
fn kind_cells(
    site: &Site,
    on_site: &CellSet,
    runs: &[&Run],
    kind: MachineKind,
    period: &Period,
) -> Covered {
    let mut cells = CellSet::empty(on_site.grid);
    let width = site.vocabulary.width_m(kind);
    let mut density: Option<Density> = None;
    for run in runs
        .iter()
        .filter(|r| r.kind == Some(kind) && may_overlap(r, period))
    {
        let path = run.path();
        let believed = believe(
            site,
            path.iter().filter(|p| period.contains(p.t)),
            Some(kind),
        );
        if !believed.taps.is_empty() {
            paint::paint_path(&mut cells, believed.taps.iter().map(|t| t.0), width / 2.0);
        }
        for piece in &believed.pieces {
            density
                .get_or_insert_with(|| Density::new(on_site.grid))
                .add_piece(piece, width);
        }
    }
    if let Some(d) = density {
        cells.or(&d.covered());
    }
    cells.and(on_site);
    Covered(cells)
}

/// The area one run swept in the period (m², on the site), for the run lists: the cells its taps painted,
/// plus the density its believed GPS pieces laid down, capped at one per cell. [`covered_area`] claims only
/// cells whose density makes them believably cleaned, so one pass with 3 m of noise claims nothing; this is
/// the expected area, about the width times the ground covered, wherever the noise put it.
pub fn swept_area_m2(site: &Site, run: &Run, period: &Period) -> f64 {
    let Some(kind) = run.kind else {
        return 0.0;
    };
    let grid = CellGrid::of(site);
    let on_site = site_cells(site, grid);
    let width = site.vocabulary.width_m(kind);
    let path = run.path();
    let believed = believe(
        site,
        path.iter().filter(|p| period.contains(p.t)),
        Some(kind),
    );
    let mut taps = CellSet::empty(grid);
    if !believed.taps.is_empty() {
        paint::paint_path(&mut taps, believed.taps.iter().map(|t| t.0), width / 2.0);
    }
    taps.and(&on_site);
    let mut cells = taps.count() as f64;
    if !believed.pieces.is_empty() {
        let mut density = Density::new(grid);
        for piece in &believed.pieces {
            density.add_piece(piece, width);
        }
        cells += density.expected_cells(&on_site, &taps);
    }
    cells * COVERAGE_CELL_M * COVERAGE_CELL_M
}

/// Whether a run may have path points in the period (by its start and stop times).
pub fn may_overlap(run: &Run, period: &Period) -> bool {
    let started_after = run.started_ms.is_some_and(|s| s >= period.to_ms);
    let stopped_before = run
        .stopped_ms
        .as_ref()
        .is_some_and(|s| s.value < period.from_ms);
    !started_after && !stopped_before
}

/// The area each machine kind covered in the period (on the site), in `MachineKind::ALL` order. Compute it
/// once and pass it to [`zone_shares`] and [`shapes_of`].
pub fn covered_by_kind(site: &Site, runs: &[&Run], period: &Period) -> Vec<(MachineKind, Covered)> {
    let runs: Vec<&Run> = runs
        .iter()
        .copied()
        .filter(|r| may_overlap(r, period))
        .collect();
    let on_site = site_cells(site, CellGrid::of(site));
    MachineKind::ALL
        .iter()
        .map(|k| (*k, kind_cells(site, &on_site, &runs, *k, period)))
        .collect()
}

/// Per zone: the share covered in the period by each machine kind and by any, when a machine was last in
/// it (as of `now_ms`, from all the runs given), and whether that is longer ago than `stale_after_h` hours.
pub fn zone_coverage(
    site: &Site,
    runs: &[&Run],
    period: &Period,
    now_ms: i64,
    stale_after_h: f64,
) -> Vec<ZoneCoverage> {
    zone_shares(
        site,
        &covered_by_kind(site, runs, period),
        runs,
        now_ms,
        stale_after_h,
    )
}

/// [`zone_coverage`] from areas already computed with [`covered_by_kind`].
pub fn zone_shares(
    site: &Site,
    by_kind: &[(MachineKind, Covered)],
    runs: &[&Run],
    now_ms: i64,
    stale_after_h: f64,
) -> Vec<ZoneCoverage> {
    let grid = CellGrid::of(site);
    let mut any = CellSet::empty(grid);
    for (_, c) in by_kind {
        any.or(&c.0);
    }
    let cell_m2 = COVERAGE_CELL_M * COVERAGE_CELL_M;
    let last = last_cleaned(site, runs, now_ms);
    site.zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let spans = grid.spans_of(site, &z.polygon);
            // A zone smaller than a cell still has an area to divide by.
            let cells = spans.iter().map(|s| s.b - s.a + 1).sum::<usize>().max(1) as f64;
            let inside = |c: &CellSet| spans.iter().map(|s| c.count_in(*s)).sum::<usize>() as f64;
            let covered = inside(&any);
            let last_cleaned_ms = last[i];
            let hours_since = last_cleaned_ms.map(|t| hours_between(t, now_ms));
            ZoneCoverage {
                zone_id: z.id.clone(),
                zone_name: z.name.clone(),
                area_m2: z.area_m2,
                by_kind: by_kind
                    .iter()
                    .map(|(k, c)| {
                        let n = if covered == 0.0 { 0.0 } else { inside(&c.0) };
                        KindCoverage {
                            kind: *k,
                            covered_m2: n * cell_m2,
                            share: (n / cells).min(1.0),
                        }
                    })
                    .collect(),
                covered_m2: covered * cell_m2,
                share: (covered / cells).min(1.0),
                last_cleaned_ms,
                hours_since,
                stale: hours_since.is_none_or(|h| h > stale_after_h),
            }
        })
        .collect()
}

/// The covered area per machine kind as view-plane polygons, for the map.
pub fn coverage_shapes(site: &Site, runs: &[&Run], period: &Period) -> Vec<CoverageShape> {
    shapes_of(&covered_by_kind(site, runs, period))
}

/// [`coverage_shapes`] from areas already computed with [`covered_by_kind`].
pub fn shapes_of(by_kind: &[(MachineKind, Covered)]) -> Vec<CoverageShape> {
    by_kind
        .iter()
        .map(|(k, c)| CoverageShape {
            kind: *k,
            area_m2: c.area_m2(),
            polygons: c.view_polygons(),
        })
        .collect()
}
