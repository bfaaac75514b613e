//! Machine coverage: which part of the site the period's fimpsug and skurmaskin runs covered.
//!
//! A run's path (WGS84) is projected to local metres, cut to the period, buffered by half the machine's
//! cleaning width (round joins and caps) and clipped to the site boundary. A zone's covered share is the
//! area of its intersection with the union of the period's runs, over its own area.

use geo::{
    Area, BooleanOps, Buffer, Coord, LineString, MultiLineString, MultiPolygon, Polygon, Simplify,
};
use serde::{Deserialize, Serialize};

use super::{Period, hours_between, zone_index_local};
use crate::report::Run;
use crate::site::Site;
use crate::vocab::MachineKind;

/// Points closer than this to the simplified line are dropped before buffering (metres).
const SIMPLIFY_M: f64 = 0.1;
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

/// A run's path within the period, in local metres, lightly simplified.
pub fn run_path_local(site: &Site, run: &Run, period: &Period) -> LineString<f64> {
    let line: LineString<f64> = run
        .path()
        .iter()
        .filter(|p| period.contains(p.t) && p.at.is_finite())
        .map(|p| site.frame.to_local(p.at))
        .collect();
    line.simplify(SIMPLIFY_M)
}

/// The area covered by the runs (of one kind, or of any kind) within the period, in local metres,
/// clipped to the site boundary.
pub fn covered_area(
    site: &Site,
    runs: &[&Run],
    kind: Option<MachineKind>,
    period: &Period,
) -> MultiPolygon<f64> {
    let parts = MachineKind::ALL
        .iter()
        .filter(|k| kind.is_none_or(|x| x == **k))
        .map(|k| kind_area(site, runs, *k, period))
        .collect();
    union_all(parts)
}

fn union_all(parts: Vec<MultiPolygon<f64>>) -> MultiPolygon<f64> {
    let mut it = parts.into_iter().filter(|p| !p.0.is_empty());
    let first = it.next().unwrap_or_else(|| MultiPolygon::new(vec![]));
    it.fold(first, |acc, p| acc.union(&p))
}

/// The area one kind's runs covered in the period, clipped to the site.
fn kind_area(site: &Site, runs: &[&Run], kind: MachineKind, period: &Period) -> MultiPolygon<f64> {
    let lines: Vec<LineString<f64>> = runs
        .iter()
        .filter(|r| r.kind == Some(kind) && may_overlap(r, period))
        .map(|r| run_path_local(site, r, period))
        .filter(|l| l.0.len() >= 2)
        .collect();
    if lines.is_empty() {
        return MultiPolygon::new(vec![]);
    }
    let buffered = MultiLineString::new(lines).buffer(kind.cleaning_width_m() / 2.0);
    buffered.intersection(&site.boundary)
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

/// The area each machine kind covered in the period (local metres, clipped to the site), in
/// `MachineKind::ALL` order. Compute it once and pass it to [`zone_shares`] and [`shapes_of`].
pub fn covered_by_kind(
    site: &Site,
    runs: &[&Run],
    period: &Period,
) -> Vec<(MachineKind, MultiPolygon<f64>)> {
    let runs: Vec<&Run> = runs
        .iter()
        .copied()
        .filter(|r| may_overlap(r, period))
        .collect();
    MachineKind::ALL
        .iter()
        .map(|k| (*k, kind_area(site, &runs, *k, period)))
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
    by_kind: &[(MachineKind, MultiPolygon<f64>)],
    runs: &[&Run],
    now_ms: i64,
    stale_after_h: f64,
) -> Vec<ZoneCoverage> {
    let any = union_all(by_kind.iter().map(|(_, a)| a.clone()).collect());
    let last = last_cleaned(site, runs, now_ms);
    site.zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let area = z.area_m2.max(f64::EPSILON);
            let inside = |m: &MultiPolygon<f64>| -> f64 {
                if m.0.is_empty() {
                    0.0
                } else {
                    m.intersection(&z.polygon).unsigned_area()
                }
            };
            let covered_m2 = inside(&any);
            let last_cleaned_ms = last[i];
            let hours_since = last_cleaned_ms.map(|t| hours_between(t, now_ms));
            ZoneCoverage {
                zone_id: z.id.clone(),
                zone_name: z.name.clone(),
                area_m2: z.area_m2,
                by_kind: by_kind
                    .iter()
                    .map(|(k, m)| {
                        let c = if covered_m2 == 0.0 { 0.0 } else { inside(m) };
                        KindCoverage {
                            kind: *k,
                            covered_m2: c,
                            share: (c / area).min(1.0),
                        }
                    })
                    .collect(),
                covered_m2,
                share: (covered_m2 / area).min(1.0),
                last_cleaned_ms,
                hours_since,
                stale: hours_since.is_none_or(|h| h > stale_after_h),
            }
        })
        .collect()
}

/// Per zone index: the latest time (≤ now, within the lookback) a run's path point lay in the zone.
pub fn last_cleaned(site: &Site, runs: &[&Run], now_ms: i64) -> Vec<Option<i64>> {
    let mut last: Vec<Option<i64>> = vec![None; site.zones.len()];
    let from = now_ms - LAST_CLEANED_LOOKBACK_MS;
    for run in runs {
        let ended = run.stopped_ms.as_ref().map(|s| s.value);
        if run.started_ms.is_some_and(|s| s > now_ms) || ended.is_some_and(|e| e < from) {
            continue;
        }
        for p in run.chunks.values().flatten() {
            if p.t > now_ms || p.t < from || !p.at.is_finite() {
                continue;
            }
            if let Some(i) = zone_index_local(site, site.frame.to_local(p.at)) {
                last[i] = last[i].max(Some(p.t));
            }
        }
    }
    last
}

/// The covered area per machine kind as view-plane polygons, for the map.
pub fn coverage_shapes(site: &Site, runs: &[&Run], period: &Period) -> Vec<CoverageShape> {
    shapes_of(site, &covered_by_kind(site, runs, period))
}

/// [`coverage_shapes`] from areas already computed with [`covered_by_kind`].
pub fn shapes_of(site: &Site, by_kind: &[(MachineKind, MultiPolygon<f64>)]) -> Vec<CoverageShape> {
    by_kind
        .iter()
        .map(|(k, m)| CoverageShape {
            kind: *k,
            area_m2: m.unsigned_area(),
            polygons: m.0.iter().map(|p| to_view_polygon(site, p)).collect(),
        })
        .collect()
}

/// A local-metre polygon in the view plane.
pub fn to_view_polygon(site: &Site, p: &Polygon<f64>) -> ViewPolygon {
    let ring = |ls: &LineString<f64>| -> Vec<[f64; 2]> {
        ls.coords()
            .map(|c: &Coord<f64>| {
                let v = site.frame.local_to_view(*c);
                [v.x, v.y]
            })
            .collect()
    };
    ViewPolygon {
        exterior: ring(p.exterior()),
        holes: p.interiors().iter().map(ring).collect(),
    }
}
