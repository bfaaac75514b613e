//! Where runs went, by what the coverage believes of their paths: when a machine was last in each zone, and
//! how far a run's machine moved (for the run list's length).

use geo::{Contains, Distance, Euclidean, Point};

use super::believable::{Smoothed, believe};
use super::motion::Motion;
use super::{LAST_CLEANED_LOOKBACK_MS, Period};
use crate::analytics::zone_index_local;
use crate::report::Run;
use crate::site::Site;
use crate::track::dist2;

/// The least time a GPS track must spend in a zone, inside it by more than its uncertainty, to have been
/// there: walking through a zone on the way to the next takes less, and so does the noise smearing a lane
/// along a zone's border across it now and then.
const MIN_DWELL_MS: i64 = 60_000;
/// How often a GPS piece's zone is looked up for its dwell (ms).
const LOOK_EVERY_MS: i64 = 4_000;

/// Per zone index: the latest time (≤ now, within the lookback) a run's believed path was in the zone: a
/// tap in it, or the last smoothed GPS fix in it of a run that spent a minute in it, inside it by more
/// than its uncertainty (a 40 m outlier is not believed at all, so it is never a visit).
pub fn last_cleaned(site: &Site, runs: &[&Run], now_ms: i64) -> Vec<Option<i64>> {
    let mut last: Vec<Option<i64>> = vec![None; site.zones.len()];
    let from = now_ms - LAST_CLEANED_LOOKBACK_MS;
    let mut latest = |i: usize, t: i64| {
        if last[i].is_none_or(|l| l < t) {
            last[i] = Some(t);
        }
    };
    for run in runs {
        let ended = run.stopped_ms.as_ref().map(|s| s.value);
        if run.started_ms.is_some_and(|s| s > now_ms) || ended.is_some_and(|e| e < from) {
            continue;
        }
        let path = run.path();
        let window = path.iter().filter(|p| p.t <= now_ms && p.t >= from);
        let believed = believe(site, window, run.kind);
        for (at, t) in &believed.taps {
            if let Some(i) = zone_index_local(site, site.frame.view_to_local(*at)) {
                latest(i, *t);
            }
        }
        // Per zone: the time spent in it and the last time there.
        let mut dwell: Vec<(i64, i64)> = vec![(0, i64::MIN); site.zones.len()];
        for piece in &believed.pieces {
            // A look every few seconds is plenty for a minute's dwell (zone lookups are the cost here).
            let mut prev: Option<(i64, Option<usize>)> = None;
            for (k, s) in piece.iter().enumerate() {
                let due =
                    prev.is_none_or(|(t, _)| s.t >= t + LOOK_EVERY_MS) || k + 1 == piece.len();
                if !due {
                    continue;
                }
                let zone = zone_of(site, s, prev.and_then(|p| p.1));
                if let (Some(i), Some((t, z))) = (zone, prev)
                    && z == zone
                {
                    dwell[i] = (dwell[i].0 + (s.t - t), s.t);
                }
                prev = Some((s.t, zone));
            }
        }
        for (i, (time, t)) in dwell.into_iter().enumerate() {
            if time >= MIN_DWELL_MS {
                latest(i, t);
            }
        }
    }
    last
}

/// The zone a smoothed fix lies in by more than its uncertainty; `hint`, the zone of the fix before, is
/// tried first.
fn zone_of(site: &Site, s: &Smoothed, hint: Option<usize>) -> Option<usize> {
    let local = site.frame.view_to_local(s.at);
    let pt = Point::from(local);
    let i = hint
        .filter(|i| site.zones[*i].polygon.contains(&pt))
        .or_else(|| zone_index_local(site, local))?;
    let edge = Euclidean.distance(&pt, site.zones[i].polygon.exterior());
    (edge > s.sigma).then_some(i)
}

/// How far a run's machine moved within the period (metres), as the coverage believes it: along its taps,
/// and the ground its GPS pieces covered while moving (pace × time; the length of a noisy track would count
/// its noise, a parked machine's jitter as kilometres).
pub fn run_length_m(site: &Site, run: &Run, period: &Period) -> f64 {
    let path = run.path();
    let believed = believe(site, path.iter().filter(|p| period.contains(p.t)), run.kind);
    let taps: f64 = believed
        .taps
        .windows(2)
        .map(|w| dist2(w[0].0, w[1].0).sqrt())
        .sum();
    let width = run.kind.map_or_else(
        || site.vocabulary.narrowest_width_m(),
        |k| site.vocabulary.width_m(k),
    );
    let gps: f64 = believed
        .pieces
        .iter()
        .filter_map(|p| Some(Motion::of(p, width)?.steps(p).map(|s| s.2).sum::<f64>()))
        .sum();
    taps + gps
}

#[cfg(test)]
mod tests {
    use geo::{Coord, InteriorPoint};
    use uuid::Uuid;

    use super::*;
    use crate::op::TrackPoint;
    use crate::test_support::plattan;
    use crate::vocab::MachineKind;

    /// A skurmaskin's GPS run (2 m accuracy, no noise) through `xs` (metres east of zone Z2's inner point),
    /// one a second.
    fn run(site: &Site, xs: impl Iterator<Item = f64>) -> Run {
        let c = site.zones[1].polygon.interior_point().unwrap().0;
        let mut r = Run::new(Uuid::from_u128(1));
        r.kind = Some(MachineKind::Skurmaskin);
        r.started_ms = Some(0);
        let points = xs
            .enumerate()
            .map(|(i, x)| TrackPoint {
                at: site.frame.from_local(c + Coord { x, y: 0.0 }),
                t: 1_000 * (i as i64 + 1),
                acc: Some(2.0),
            })
            .collect();
        r.chunks.insert(Uuid::from_u128(2), points);
        r
    }

    #[test]
    fn half_a_minute_in_a_zone_is_passing_through_two_minutes_are_a_visit() {
        let site = plattan();
        let now = 3_600_000;
        let through = run(&site, (0..30).map(|i| f64::from(i as u8) - 15.0));
        assert_eq!(last_cleaned(&site, &[&through], now)[1], None);
        let lanes = run(
            &site,
            (0..120).map(|i| f64::from(((i % 40) as i8 - 20).abs()) - 10.0),
        );
        assert_eq!(last_cleaned(&site, &[&lanes], now)[1], Some(120_000));
        let len = run_length_m(&site, &lanes, &Period::new(0, now));
        assert!((len - 119.0).abs() < 20.0, "{len}");
    }
}
