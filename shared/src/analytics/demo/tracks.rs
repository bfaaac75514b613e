//! Synthetic machine tracks with a known truth, for the demo's runs, the coverage's noise tests and the
//! noise table in BENCHMARKS.md (`examples/coverage_noise.rs`): a machine driving lanes over a band of a
//! zone or standing parked, walked at a steady speed with a fix at a steady interval, then sent as a phone
//! would send it: each fix off by Gaussian noise (per axis) with that accuracy reported, now and then a
//! poor fix (15–30 m, reported as such) and a few outliers 40 m off that report a good accuracy.

use geo::Coord;

use super::SplitMix64;
use crate::op::TrackPoint;
use crate::site::Site;

/// A true position in local metres and its time (ms).
pub type TruePoint = (Coord<f64>, i64);

/// Lanes along the site's axis (view x) over the band `[lo, hi]` (fractions of the zone's extent across
/// the axis) of zone `zone`, `spacing_m` apart, driven back and forth: the turning points, local metres.
/// Each lane runs along the longest stretch of its line inside the zone.
pub fn lanes(site: &Site, zone: usize, (lo, hi): (f64, f64), spacing_m: f64) -> Vec<Coord<f64>> {
    let ring: Vec<Coord<f64>> = site.zones[zone]
        .polygon
        .exterior()
        .coords()
        .map(|c| site.frame.local_to_view(*c))
        .collect();
    let (y0, y1) = ring
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), c| (a.min(c.y), b.max(c.y)));
    let (y0, y1) = (y0 + (y1 - y0) * lo, y0 + (y1 - y0) * hi);
    let mut out = Vec::new();
    let mut y = y0 + spacing_m / 2.0;
    let mut forward = true;
    while y < y1 {
        let mut xs: Vec<f64> = ring
            .windows(2)
            .filter(|e| (e[0].y <= y) != (e[1].y <= y))
            .map(|e| e[0].x + (y - e[0].y) / (e[1].y - e[0].y) * (e[1].x - e[0].x))
            .collect();
        xs.sort_by(f64::total_cmp);
        let longest = xs
            .chunks_exact(2)
            .max_by(|p, q| (p[1] - p[0]).total_cmp(&(q[1] - q[0])));
        if let Some(&[a, b]) = longest {
            let (a, b) = if forward { (a, b) } else { (b, a) };
            for x in [a, b] {
                out.push(site.frame.view_to_local(Coord { x, y }));
            }
            forward = !forward;
        }
        y += spacing_m;
    }
    out
}

/// The polyline walked at `speed_mps` from `t0`, a position every `every_ms` (none unless both are
/// positive).
pub fn walk(line: &[Coord<f64>], speed_mps: f64, every_ms: i64, t0: i64) -> Vec<TruePoint> {
    let step = speed_mps * every_ms as f64 / 1000.0;
    let mut out = Vec::new();
    if step.is_nan() || step <= 0.0 {
        return out;
    }
    let mut t = t0;
    // How far along the current segment the next position lies.
    let mut along = 0.0;
    for seg in line.windows(2) {
        let (a, b) = (seg[0], seg[1]);
        let len = (b.x - a.x).hypot(b.y - a.y);
        while along <= len {
            let f = if len > 0.0 { along / len } else { 0.0 };
            out.push((a + (b - a) * f, t));
            t += every_ms;
            along += step;
        }
        along -= len;
    }
    if line.len() == 1 {
        out.push((line[0], t0));
    }
    out
}

/// A machine standing at `at` for `n` fixes, one every `every_ms` from `t0`.
pub fn parked(at: Coord<f64>, n: usize, every_ms: i64, t0: i64) -> Vec<TruePoint> {
    (0..n).map(|i| (at, t0 + i as i64 * every_ms)).collect()
}

/// The true path as tapped points (`acc: None`): what the coverage paints exactly, the truth.
pub fn taps(site: &Site, path: &[TruePoint]) -> Vec<TrackPoint> {
    path.iter()
        .map(|(c, t)| TrackPoint {
            at: site.frame.from_local(*c),
            t: *t,
            acc: None,
        })
        .collect()
}

/// How a phone's GPS gets a true path wrong.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GpsNoise {
    /// The standard deviation of each coordinate's error (m); the accuracy reported is this too, but at
    /// least 1 m (as phones report).
    pub sigma_m: f64,
    /// The share of fixes that are poor (15–30 m off, reporting 15–30 m).
    pub poor: f64,
    /// How many fixes are outliers: `outlier_m` off, reporting the usual accuracy.
    pub outliers: usize,
    pub outlier_m: f64,
}

impl GpsNoise {
    /// Gaussian noise of `sigma_m` only.
    pub fn gaussian(sigma_m: f64) -> GpsNoise {
        GpsNoise {
            sigma_m,
            poor: 0.0,
            outliers: 0,
            outlier_m: 40.0,
        }
    }
}

/// The fixes a phone would report along `path`. Every fix stays within 25 m of the site (the validation's
/// path tolerance; an outlier that would land farther is tried in other directions, else left out).
pub fn gps(
    site: &Site,
    path: &[TruePoint],
    noise: &GpsNoise,
    rng: &mut SplitMix64,
) -> Vec<TrackPoint> {
    let outliers: Vec<usize> = (0..noise.outliers)
        .map(|_| rng.below(path.len() as u64) as usize)
        .collect();
    let near_site = |c: Coord<f64>| crate::analytics::near_site(site, c, 24.0);
    let mut out = Vec::with_capacity(path.len());
    for (i, (c, t)) in path.iter().enumerate() {
        let (off, acc) = if outliers.contains(&i) {
            let a = std::f64::consts::TAU * rng.unit();
            let off = (0..12)
                .map(|k| a + std::f64::consts::TAU * f64::from(k) / 12.0)
                .map(|a| Coord {
                    x: noise.outlier_m * a.cos(),
                    y: noise.outlier_m * a.sin(),
                })
                .find(|o| near_site(*c + *o));
            match off {
                Some(o) => (o, noise.sigma_m.max(1.0)),
                None => continue,
            }
        } else {
            let sigma = if rng.unit() < noise.poor {
                15.0 + 15.0 * rng.unit()
            } else {
                noise.sigma_m
            };
            let off = Coord {
                x: sigma * rng.gaussian(),
                y: sigma * rng.gaussian(),
            };
            (off, sigma.max(1.0))
        };
        let at = *c + off;
        if near_site(at) {
            out.push(TrackPoint {
                at: site.frame.from_local(at).rounded(),
                t: *t,
                acc: Some(acc as f32),
            });
        }
    }
    out
}
