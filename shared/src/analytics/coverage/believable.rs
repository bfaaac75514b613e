//! What the coverage believes of a run's path, whatever phone sent it. GPS noise of 3–8 m against a machine
//! 0.8–1 m wide made every fix count: a zone half driven read 81 %, a parked machine's jitter 50 %, a zone no
//! run entered 12 % (40 m outliers). Now:
//!
//! - A tapped point (`acc: None`) is a person's statement of the path: always kept, and the taps are
//!   bridged one to the next as before (taps-only runs, and the tests built on them, paint what they did).
//! - A GPS fix is believed when its accuracy is at most the machine's width × [`ACCURACY_WIDTHS`] and the
//!   machine could have reached it from the previous believed fix ([`crate::track`]'s reach rule, which
//!   the phone's filter applies too; three fixes that agree with each other but not with the reference
//!   re-anchor there, dropping the reference if the fix before it agrees with them). Believed fixes form
//!   pieces; a gap of more than [`MAX_GAP_MS`] between two of them cuts the path: it is not bridged.
//! - Each piece is smoothed: a fix becomes the mean of the fixes around it, weighted by 1/accuracy², which
//!   also gives it its remaining uncertainty (accuracy / √fixes, for independent errors).

use geo::Coord;

use crate::op::TrackPoint;
use crate::site::Site;
use crate::track::{ACCURACY_WIDTHS, Fix, MAX_SPEED_MPS, Suspects};
use crate::vocab::MachineKind;

/// The longest time between two believed GPS fixes that is still bridged (ms).
pub const MAX_GAP_MS: i64 = 30_000;
/// Half the longest smoothing window (ms): seven fixes at one a second. A window straddling a turn at the
/// end of a lane pulls the turn in by about a quarter of its length: ±5 s read a zone driven in 63 m lanes
/// 1–4 points lower than ±3 s (BENCHMARKS.md).
pub(super) const HALF_WINDOW_MS: i64 = 3_000;
/// The uncertainty (metres per axis) smoothing stops at: good fixes are smoothed little.
const SMOOTH_TO_M: f64 = 0.5;

/// A smoothed GPS position in view metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Smoothed {
    pub(super) at: Coord<f64>,
    pub(super) t: i64,
    /// The uncertainty of `at`: one standard deviation per axis (metres).
    pub(super) sigma: f64,
}

/// A run's believed path in the period, in view metres.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Believed {
    /// The tapped points and their times, in time order, bridged one to the next.
    pub(super) taps: Vec<(Coord<f64>, i64)>,
    /// Pieces of believed GPS fixes, smoothed; nothing is bridged between pieces.
    pub(super) pieces: Vec<Vec<Smoothed>>,
}

/// The believed path of `points` (in time order) of a machine of `kind` at its width on the site (if
/// unknown, the narrowest width's accuracy rule).
pub(super) fn believe<'a>(
    site: &Site,
    points: impl IntoIterator<Item = &'a TrackPoint>,
    kind: Option<MachineKind>,
) -> Believed {
    let width = kind.map_or_else(
        || site.vocabulary.narrowest_width_m(),
        |k| site.vocabulary.width_m(k),
    );
    let max_acc = width * ACCURACY_WIDTHS;
    let mut taps = Vec::new();
    let mut pieces: Vec<Vec<Fix>> = Vec::new();
    let mut last: Option<Fix> = None;
    let mut suspects: Suspects<Fix> = Suspects::default();
    for p in points {
        if !p.at.is_finite() {
            continue;
        }
        let at = site.frame.to_view(p.at);
        let Some(acc) = p.acc.map(f64::from) else {
            taps.push((at, p.t));
            continue;
        };
        if !(0.0..=max_acc).contains(&acc) {
            continue;
        }
        let fix = Fix { at, t: p.t, acc };
        match last {
            Some(l) if l.reaches(&fix, MAX_SPEED_MPS) => {
                suspects.clear();
                match pieces.last_mut() {
                    Some(piece) if fix.t - l.t <= MAX_GAP_MS => piece.push(fix),
                    _ => pieces.push(vec![fix]),
                }
                last = Some(fix);
            }
            Some(_) => {
                let agrees = |s: &Fix| s.reaches(&fix, MAX_SPEED_MPS) && fix.t - s.t <= MAX_GAP_MS;
                if let Some(row) = suspects.add(fix, agrees) {
                    // If the fix before the reference reaches the row, the reference was the bad one (a
                    // fix far off that was just within reach): it goes, and the piece goes on. Else the
                    // row starts a piece of its own (the track had started on an outlier, or jumped).
                    let piece = pieces.last_mut().filter(|p| {
                        p.len() >= 2 && {
                            let before = p[p.len() - 2];
                            before.reaches(&row[0], MAX_SPEED_MPS)
                                && row[0].t - before.t <= MAX_GAP_MS
                        }
                    });
                    match piece {
                        Some(p) => {
                            p.pop();
                            p.extend(row);
                        }
                        None => pieces.push(row),
                    }
                    last = Some(fix);
                }
            }
            None => {
                pieces.push(vec![fix]);
                last = Some(fix);
            }
        }
    }
    Believed {
        taps,
        pieces: pieces.iter().map(|piece| smooth(piece)).collect(),
    }
}

/// Each fix replaced by the mean of the fixes around it, weighted by 1/accuracy²: the fewest on either side
/// (within ±[`HALF_WINDOW_MS`]) that bring the uncertainty to [`SMOOTH_TO_M`]. Linear in the fixes: a
/// window holds at most a few seconds of them.
fn smooth(fixes: &[Fix]) -> Vec<Smoothed> {
    let weight = |f: &Fix| 1.0 / f.acc.max(0.1).powi(2);
    let enough = 1.0 / (SMOOTH_TO_M * SMOOTH_TO_M);
    fixes
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let near = |j: usize| (fixes[j].t - f.t).abs() <= HALF_WINDOW_MS;
            let w = weight(f);
            let (mut sum, mut sw) = (f.at * w, w);
            let (mut lo, mut hi) = (i, i);
            while sw < enough {
                let before = (lo > 0 && near(lo - 1)).then(|| lo - 1);
                let after = (hi + 1 < fixes.len() && near(hi + 1)).then_some(hi + 1);
                if before.is_none() && after.is_none() {
                    break;
                }
                for j in before.into_iter().chain(after) {
                    let w = weight(&fixes[j]);
                    (sum, sw) = (sum + fixes[j].at * w, sw + w);
                    (lo, hi) = (lo.min(j), hi.max(j));
                }
            }
            Smoothed {
                at: sum / sw,
                t: f.t,
                sigma: 1.0 / sw.sqrt(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::plattan;

    fn gps(site: &Site, x: f64, t_s: i64, acc: f32) -> TrackPoint {
        TrackPoint {
            at: site.frame.from_view(Coord { x, y: 0.0 }),
            t: t_s * 1000,
            acc: Some(acc),
        }
    }

    #[test]
    fn poor_fast_and_far_apart_fixes_are_not_believed_and_taps_always_are() {
        let site = plattan();
        let mut points: Vec<TrackPoint> = (0..10)
            .map(|i| gps(&site, f64::from(i as u8), i, 3.0))
            .collect();
        points[3].acc = Some(9.0); // worse than 8 m: a skurmaskin's limit
        points[5].at = site.frame.from_view(Coord { x: 45.0, y: 0.0 }); // 40 m off
        points.push(gps(&site, 10.0, 41, 3.0)); // 31 s after the last: a new piece
        points.push(TrackPoint {
            acc: None,
            ..gps(&site, 60.0, 42, 0.0)
        });
        let b = believe(&site, &points, Some(MachineKind::Skurmaskin));
        assert_eq!(b.taps.len(), 1, "the tap is kept, however far");
        let lens: Vec<usize> = b.pieces.iter().map(Vec::len).collect();
        assert_eq!(lens, vec![8, 1]);
        let xs: Vec<f64> = b.pieces[0].iter().map(|s| s.at.x).collect();
        let origin = site.frame.to_view(points[0].at).x;
        assert!(
            xs.iter().all(|x| (x - origin).abs() < 10.0),
            "no outlier pulls: {xs:?}"
        );
    }

    #[test]
    fn three_agreeing_fixes_re_anchor_a_track_that_started_on_an_outlier() {
        let site = plattan();
        let mut points: Vec<TrackPoint> = (0..8)
            .map(|i| gps(&site, f64::from(i as u8), i, 2.0))
            .collect();
        points[0].at = site.frame.from_view(Coord { x: -40.0, y: 0.0 });
        let b = believe(&site, &points, Some(MachineKind::Fimpsug));
        let lens: Vec<usize> = b.pieces.iter().map(Vec::len).collect();
        assert_eq!(
            lens,
            vec![1, 7],
            "the outlier alone; the track from its first three fixes on"
        );
    }

    #[test]
    fn a_far_fix_just_within_reach_goes_when_the_fixes_after_it_agree_with_the_one_before() {
        let site = plattan();
        let points = [
            gps(&site, 0.0, 0, 1.0),
            gps(&site, 12.0, 5, 1.0), // 12 m in 5 s: within reach, but far off
            gps(&site, 1.0, 6, 1.0),
            gps(&site, 1.0, 7, 1.0),
            gps(&site, 1.0, 8, 1.0),
        ];
        let b = believe(&site, &points, Some(MachineKind::Skurmaskin));
        assert_eq!(b.pieces.len(), 1);
        let ts: Vec<i64> = b.pieces[0].iter().map(|s| s.t / 1000).collect();
        assert_eq!(ts, vec![0, 6, 7, 8]);
    }

    #[test]
    fn smoothing_shrinks_the_uncertainty_to_what_the_window_holds() {
        let fixes: Vec<Fix> = (0..20)
            .map(|i| Fix {
                at: Coord {
                    x: f64::from(i),
                    y: 0.0,
                },
                t: i64::from(i) * 1000,
                acc: 3.0,
            })
            .collect();
        let s = smooth(&fixes);
        // Seven fixes of 3 m: 3 / √7.
        assert!((s[10].sigma - 3.0 / 7f64.sqrt()).abs() < 1e-9);
        assert!(
            (s[10].at.x - 10.0).abs() < 1e-9,
            "a straight line stays put"
        );
        assert!(
            (s[0].sigma - 3.0 / 2.0).abs() < 1e-9,
            "four fixes at the start"
        );
        let good: Vec<Fix> = fixes.iter().map(|f| Fix { acc: 0.4, ..*f }).collect();
        assert_eq!(smooth(&good)[10].at.x, 10.0, "a good fix is left alone");
    }
}
