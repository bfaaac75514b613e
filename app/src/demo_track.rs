//! Recorded tracks made up for tests, demos and benchmarks: a machine driving lanes over a zone at
//! walking pace, one fix a second, with GPS noise and now and then an outlier, as a phone records it.
//! The noise-free path comes with it, so a test knows the truth. `examples/make_track.rs` writes one
//! as a replay file (`--replay-track`).

use geo::{Contains, Coord, Point};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use torgkoll_shared::{GeoPoint, Site};

use crate::platform::replay::{Track, TrackVertex};

/// What to drive.
#[derive(Clone, Debug, PartialEq)]
pub struct LanesSpec {
    pub zone: String,
    /// The band of the zone across the site's axis to drive, as fractions (0.0–1.0) of its extent.
    pub band: (f64, f64),
    /// Distance between lanes (a machine's width covers the band without gaps).
    pub spacing_m: f64,
    pub speed_mps: f64,
    /// Standard deviation of the GPS error per axis (metres); also the accuracy the fixes report.
    pub noise_m: f64,
    /// Chance of a fix 40 m off (and reporting a poor accuracy, as phones mostly do).
    pub outliers: f64,
    pub seed: u64,
}

/// A track made up by [`lanes`]: the fixes as recorded, and where the machine really was.
#[derive(Clone, Debug, PartialEq)]
pub struct MadeTrack {
    pub track: Track,
    pub truth: Vec<GeoPoint>,
}

/// A normal deviate (Box–Muller).
fn gauss(rng: &mut StdRng) -> f64 {
    let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Lanes along the site's axis over `spec.band` of the zone, back and forth, one fix a second.
pub fn lanes(site: &Site, spec: &LanesSpec) -> Option<MadeTrack> {
    let zone = site.zones.iter().find(|z| z.id == spec.zone)?;
    let view: Vec<Coord<f64>> = zone
        .polygon
        .exterior()
        .coords()
        .map(|c| site.frame.local_to_view(*c))
        .collect();
    let poly = geo::Polygon::new(geo::LineString::from(view.clone()), vec![]);
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for c in &view {
        (x0, x1, y0, y1) = (x0.min(c.x), x1.max(c.x), y0.min(c.y), y1.max(c.y));
    }
    let (lo, hi) = (
        y0 + (y1 - y0) * spec.band.0.clamp(0.0, 1.0),
        y0 + (y1 - y0) * spec.band.1.clamp(0.0, 1.0),
    );
    let step = spec.speed_mps.max(0.1);
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let (mut vertices, mut truth) = (Vec::new(), Vec::new());
    let mut y = lo + spec.spacing_m / 2.0;
    let mut forward = true;
    let mut t_ms = 0i64;
    while y <= hi {
        let n = ((x1 - x0) / step).ceil() as usize;
        for i in 0..=n {
            let x = if forward {
                x0 + i as f64 * step
            } else {
                x1 - i as f64 * step
            };
            let here = Coord { x, y };
            if !poly.contains(&Point::from(here)) {
                continue;
            }
            let outlier = rng.random_bool(spec.outliers.clamp(0.0, 1.0));
            let (dx, dy, acc) = if outlier {
                let a = rng.random::<f64>() * std::f64::consts::TAU;
                (
                    40.0 * a.cos(),
                    40.0 * a.sin(),
                    30.0 + 20.0 * rng.random::<f64>(),
                )
            } else {
                (
                    gauss(&mut rng) * spec.noise_m,
                    gauss(&mut rng) * spec.noise_m,
                    spec.noise_m.max(1.0) * (0.8 + 0.4 * rng.random::<f64>()),
                )
            };
            truth.push(site.frame.from_view(here));
            vertices.push(TrackVertex {
                at: site
                    .frame
                    .from_view(Coord {
                        x: x + dx,
                        y: y + dy,
                    })
                    .rounded(),
                t_ms,
                accuracy_m: acc as f32,
            });
            t_ms += 1_000;
        }
        y += spec.spacing_m;
        forward = !forward;
    }
    if vertices.is_empty() {
        return None;
    }
    Some(MadeTrack {
        track: Track { vertices },
        truth,
    })
}

impl Track {
    /// The track as a replay file (see docs/REPLAY.md).
    pub fn to_geojson(&self) -> String {
        let coords: Vec<[f64; 2]> = self.vertices.iter().map(|v| [v.at.lon, v.at.lat]).collect();
        let t: Vec<i64> = self.vertices.iter().map(|v| v.t_ms).collect();
        let acc: Vec<f64> = self
            .vertices
            .iter()
            .map(|v| (f64::from(v.accuracy_m) * 10.0).round() / 10.0)
            .collect();
        serde_json::json!({
            "type": "Feature",
            "geometry": { "type": "LineString", "coordinates": coords },
            "properties": { "t_ms": t, "accuracy_m": acc },
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_track_reads_back_and_stays_in_its_band() {
        let site = torgkoll_shared::test_support::plattan();
        let spec = LanesSpec {
            zone: "Z3".into(),
            band: (0.0, 0.2),
            spacing_m: 2.0,
            speed_mps: 1.0,
            noise_m: 0.0,
            outliers: 0.0,
            seed: 1,
        };
        let made = lanes(&site, &spec).unwrap();
        assert!(made.track.vertices.len() > 20);
        assert_eq!(made.track.vertices.len(), made.truth.len());
        let back = Track::parse(&made.track.to_geojson()).unwrap();
        assert_eq!(back.vertices.len(), made.track.vertices.len());
        for p in &made.truth {
            assert_eq!(site.locate(*p).ok().map(|z| z.id.as_str()), Some("Z3"));
        }
    }
}
