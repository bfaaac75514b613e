//! Demo machine runs: a machine drives lanes back and forth across a zone (in the view plane), one track
//! point every 2 m at walking pace, sent in chunks as a phone would.

use geo::{Contains, Coord, Point};

use super::{Draft, SplitMix64, device, push};
use crate::calendar::Date;
use crate::op::{OpBody, TrackPoint};
use crate::site::Site;
use crate::vocab::{MachineKind, Role};

const STEP_M: f64 = 2.0;
const STEP_MS: i64 = 2_000;
const CHUNK: usize = 60;

/// A round: the local hour it starts, the machine, and the zones it does with the band of each zone
/// (as fractions of the zone's extent across the axis) it covers.
type Round = (i64, MachineKind, Vec<(usize, f64, f64)>);

/// The day's rounds. The scrubber does whole zones early; the butt vacuum does bands where butts gather.
/// Zones late in the list (under the deck, the east end) are done less often, so "not cleaned in 24 h"
/// shows up.
fn plan(site: &Site, date: Date, rng: &mut SplitMix64) -> Vec<Round> {
    let n = site.zones.len();
    let half = n.div_ceil(2);
    let whole = |zs: std::ops::Range<usize>| zs.map(|z| (z, 0.0, 1.0)).collect::<Vec<_>>();
    let mut v: Vec<Round> = vec![(6, MachineKind::Skurmaskin, whole(0..half))];
    if date.weekday().is_multiple_of(2) && n > half + 1 {
        v.push((7, MachineKind::Skurmaskin, whole(half..n - 1)));
    }
    let band = |rng: &mut SplitMix64, z: usize| {
        let w = 0.25 + 0.25 * rng.unit();
        let lo = rng.unit() * (1.0 - w);
        (z, lo, lo + w)
    };
    let morning: Vec<_> = (0..n.saturating_sub(1)).map(|z| band(rng, z)).collect();
    v.push((9, MachineKind::Fimpsug, morning));
    let afternoon: Vec<_> = (0..2)
        .map(|_| {
            let z = rng.below(half as u64) as usize;
            band(rng, z)
        })
        .collect();
    v.push((15, MachineKind::Fimpsug, afternoon));
    if date.weekday() == 0 {
        v.push((10, MachineKind::Fimpsug, vec![(n - 1, 0.0, 1.0)]));
    }
    v
}

/// Lanes across a zone's view bounding box, keeping the points inside the zone.
fn lanes(site: &Site, (zone, lo, hi): (usize, f64, f64), kind: MachineKind) -> Vec<Coord<f64>> {
    let z = &site.zones[zone];
    // The zone's extent in the view plane.
    let vs: Vec<Coord<f64>> = z
        .polygon
        .exterior()
        .coords()
        .map(|c| site.frame.local_to_view(*c))
        .collect();
    if vs.is_empty() {
        return Vec::new();
    }
    let (x0, x1) = (
        vs.iter().map(|v| v.x).fold(f64::MAX, f64::min),
        vs.iter().map(|v| v.x).fold(f64::MIN, f64::max),
    );
    let (y0, y1) = (
        vs.iter().map(|v| v.y).fold(f64::MAX, f64::min),
        vs.iter().map(|v| v.y).fold(f64::MIN, f64::max),
    );
    let gap = kind.cleaning_width_m() * 0.9;
    let mut out = Vec::new();
    let (y0, y1) = (y0 + (y1 - y0) * lo, y0 + (y1 - y0) * hi);
    let mut y = y0 + gap / 2.0;
    let mut forward = true;
    while y < y1 {
        let steps = ((x1 - x0) / STEP_M) as usize;
        for i in 0..=steps {
            let x = if forward {
                x0 + i as f64 * STEP_M
            } else {
                x1 - i as f64 * STEP_M
            };
            let c = site.frame.view_to_local(Coord { x, y });
            if z.polygon.contains(&Point::from(c)) {
                out.push(c);
            }
        }
        forward = !forward;
        y += gap;
    }
    out
}

/// The day's machine runs, as start, point chunks and stop.
pub(super) fn day_runs(site: &Site, rng: &mut SplitMix64, drafts: &mut Vec<Draft>, date: Date) {
    let (from, _) = date.bounds_ms();
    for (hour, kind, zones) in plan(site, date, rng) {
        let cleaner = device(Role::Cleaner, 1 + rng.below(2) as u8);
        let started = from + hour * 3_600_000 + rng.below(900_000) as i64;
        let machine = format!(
            "{} {}",
            kind.label(crate::vocab::Lang::Sv),
            1 + rng.below(2)
        );
        let run = push(
            drafts,
            rng,
            started,
            cleaner,
            Role::Cleaner,
            OpBody::RunStart {
                kind,
                machine,
                started,
            },
        );
        let mut t = started;
        let points: Vec<TrackPoint> = zones
            .iter()
            .flat_map(|z| lanes(site, *z, kind))
            .map(|c| {
                t += STEP_MS;
                TrackPoint {
                    at: site.frame.from_local(c).rounded(),
                    t,
                    acc: Some(4.0),
                }
            })
            .collect();
        for chunk in points.chunks(CHUNK) {
            let at = chunk.last().map_or(t, |p| p.t);
            push(
                drafts,
                rng,
                at,
                cleaner,
                Role::Cleaner,
                OpBody::RunPoints {
                    run,
                    points: chunk.to_vec(),
                },
            );
        }
        push(
            drafts,
            rng,
            t + 1_000,
            cleaner,
            Role::Cleaner,
            OpBody::RunStop {
                run,
                stopped: t + 1_000,
            },
        );
    }
}
