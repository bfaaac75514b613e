//! Demo machine runs: a machine drives lanes back and forth across zones (in the view plane) at walking
//! pace, and its phone's GPS fixes every 2 s with the noise of a real phone on the Plattan (2–4 m, now and
//! then a poor fix or a 40 m outlier). The fixes go through the phone's [`TrackFilter`] and what it keeps
//! is sent in chunks, as the app does, so the demo's coverage is what a real run would show.

use super::tracks::{self, GpsNoise};
use super::{Draft, SplitMix64, device, push};
use crate::calendar::Date;
use crate::op::{OpBody, TrackPoint};
use crate::site::Site;
use crate::track::filter_track;
use crate::vocab::{MachineKind, Role};

const SPEED_MPS: f64 = 1.0;
const STEP_MS: i64 = 2_000;
const CHUNK: usize = 60;
/// Mixed into a run's start time for the seed of its GPS noise (the day's generator is left alone).
const NOISE_SEED: u64 = 0x6E01_5E00;

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
        let line: Vec<_> = zones
            .iter()
            .flat_map(|&(z, lo, hi)| {
                tracks::lanes(site, z, (lo, hi), site.vocabulary.width_m(kind) * 0.9)
            })
            .collect();
        let path = tracks::walk(&line, SPEED_MPS, STEP_MS, started + STEP_MS);
        let t = path.last().map_or(started, |p| p.1);
        let points = phone_fixes(site, kind, &path, started);
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

/// What the phone of a machine of `kind` driving `path` sends: its GPS fixes (noise seeded by the start
/// time), as many as its track filter keeps.
fn phone_fixes(
    site: &Site,
    kind: MachineKind,
    path: &[tracks::TruePoint],
    started: i64,
) -> Vec<TrackPoint> {
    let mut rng = SplitMix64::new(started as u64 ^ NOISE_SEED);
    let noise = GpsNoise {
        sigma_m: 2.0 + 2.0 * rng.unit(),
        poor: 0.03,
        outliers: path.len() / 500,
        outlier_m: 40.0,
    };
    filter_track(site, kind, tracks::gps(site, path, &noise, &mut rng))
}
