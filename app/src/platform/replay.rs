//! A recorded track played back as the phone's position (`--replay-track FILE`, `--replay-speed N`): for
//! tests, demos and benchmarks on a desktop that has no positioning system.
//!
//! The file is GeoJSON: one Feature (alone or as the only member of a FeatureCollection) with a
//! LineString and, per vertex, `properties.t_ms` (milliseconds from the start, not decreasing) and
//! `properties.accuracy_m` (the fix's horizontal accuracy in metres). See docs/REPLAY.md.
//!
//! Playback starts when the source is started (a run starts, or the first "where I stand"). Vertex `i`
//! is delivered when the phone's clock reaches `start + t_ms[i] / speed`, stamped `start + t_ms[i]`: at
//! speed 1 that is the moment it arrives; faster, the fixes keep the track's own spacing, so the
//! recorder's filter and the coverage see the machine's real pace (their times run ahead of the clock
//! by `(1 − 1/speed) · t_ms`). After the last vertex no more fixes come: the recording has ended.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use torgkoll_shared::GeoPoint;

use super::clock::Clock;
use super::position::{Fix, PositionSource};

/// Why a track file cannot be played.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TrackError {
    #[error("cannot read the track: {0}")]
    Read(String),
    #[error("the track is not GeoJSON of one Feature with a LineString: {0}")]
    Format(String),
    #[error("the track has no points")]
    Empty,
    #[error("the track has {points} points but {what} has {n} values")]
    Lengths {
        points: usize,
        what: &'static str,
        n: usize,
    },
    #[error("point {0} of the track is not a finite position, time or accuracy")]
    NotFinite(usize),
    #[error("the times of the track go backwards at point {0}")]
    Backwards(usize),
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Vec<[f64; 2]>,
}

#[derive(Deserialize)]
struct Properties {
    t_ms: Vec<i64>,
    accuracy_m: Vec<f32>,
}

#[derive(Deserialize)]
struct Feature {
    geometry: Geometry,
    properties: Properties,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Document {
    Feature(Feature),
    FeatureCollection { features: Vec<Feature> },
}

/// One vertex of a recorded track.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackVertex {
    pub at: GeoPoint,
    /// Milliseconds from the start of the recording.
    pub t_ms: i64,
    pub accuracy_m: f32,
}

/// A recorded track, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    pub vertices: Vec<TrackVertex>,
}

impl Track {
    pub fn load(path: &Path) -> Result<Track, TrackError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| TrackError::Read(format!("{}: {e}", path.display())))?;
        Track::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Track, TrackError> {
        let doc: Document =
            serde_json::from_str(text).map_err(|e| TrackError::Format(e.to_string()))?;
        let f = match doc {
            Document::Feature(f) => f,
            Document::FeatureCollection { mut features } if features.len() == 1 => {
                features.remove(0)
            }
            Document::FeatureCollection { features } => {
                return Err(TrackError::Format(format!(
                    "{} features, not one",
                    features.len()
                )));
            }
        };
        if f.geometry.kind != "LineString" {
            return Err(TrackError::Format(format!("a {}", f.geometry.kind)));
        }
        let (coords, p) = (f.geometry.coordinates, f.properties);
        if coords.is_empty() {
            return Err(TrackError::Empty);
        }
        for (what, n) in [("t_ms", p.t_ms.len()), ("accuracy_m", p.accuracy_m.len())] {
            if n != coords.len() {
                return Err(TrackError::Lengths {
                    points: coords.len(),
                    what,
                    n,
                });
            }
        }
        let mut vertices = Vec::with_capacity(coords.len());
        for (i, ((c, t), acc)) in coords.iter().zip(p.t_ms).zip(p.accuracy_m).enumerate() {
            let at = GeoPoint::new(c[0], c[1]);
            if !at.is_finite() || !acc.is_finite() || acc < 0.0 || t < 0 {
                return Err(TrackError::NotFinite(i));
            }
            if vertices.last().is_some_and(|v: &TrackVertex| v.t_ms > t) {
                return Err(TrackError::Backwards(i));
            }
            vertices.push(TrackVertex {
                at,
                t_ms: t,
                accuracy_m: acc,
            });
        }
        Ok(Track { vertices })
    }

    /// How long the recording lasts (ms).
    pub fn duration_ms(&self) -> i64 {
        self.vertices.last().map_or(0, |v| v.t_ms)
    }
}

/// A [`Track`] played back on the phone's clock.
pub struct Replay {
    track: Track,
    speed: f64,
    clock: Arc<dyn Clock>,
    started_ms: Mutex<Option<i64>>,
}

impl Replay {
    /// Plays `track` at `speed` times real time (clamped to 0.1–1000) once started.
    pub fn new(track: Track, speed: f64, clock: Arc<dyn Clock>) -> Replay {
        let speed = if speed.is_finite() {
            speed.clamp(0.1, 1000.0)
        } else {
            1.0
        };
        Replay {
            track,
            speed,
            clock,
            started_ms: Mutex::new(None),
        }
    }

    fn started(&self) -> Option<i64> {
        *self.started_ms.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The fixes delivered by now, as (index range) into the track.
    fn delivered(&self, start: i64) -> usize {
        let elapsed = self.clock.now_ms().saturating_sub(start) as f64 * self.speed;
        self.track
            .vertices
            .partition_point(|v| v.t_ms as f64 <= elapsed)
    }

    fn fix(&self, start: i64, v: &TrackVertex) -> Fix {
        Fix {
            at: v.at,
            accuracy_m: v.accuracy_m,
            t: start.saturating_add(v.t_ms),
        }
    }
}

impl PositionSource for Replay {
    fn start(&self) {
        let mut s = self.started_ms.lock().unwrap_or_else(|e| e.into_inner());
        if s.is_none() {
            *s = Some(self.clock.now_ms());
            tracing::info!(
                points = self.track.vertices.len(),
                speed = self.speed,
                "replaying a recorded track"
            );
        }
    }

    fn latest(&self) -> Option<Fix> {
        let start = self.started()?;
        let n = self.delivered(start);
        let v = self.track.vertices.get(n.checked_sub(1)?)?;
        Some(self.fix(start, v))
    }

    fn since(&self, after_ms: i64) -> Vec<Fix> {
        let Some(start) = self.started() else {
            return Vec::new();
        };
        let n = self.delivered(start);
        self.track.vertices[..n]
            .iter()
            .map(|v| self.fix(start, v))
            .filter(|f| f.t > after_ms)
            .collect()
    }

    fn name(&self) -> &'static str {
        "replay"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::ManualClock;

    const TRACK: &str = r#"{"type":"Feature","geometry":{"type":"LineString",
        "coordinates":[[18.0640,59.3322],[18.0641,59.3322],[18.0642,59.3322]]},
        "properties":{"t_ms":[0,1000,2000],"accuracy_m":[4,5,6]}}"#;

    #[test]
    fn a_track_plays_on_the_clock_once_started() {
        let clock = Arc::new(ManualClock::new(1_000_000));
        let r = Replay::new(Track::parse(TRACK).unwrap(), 1.0, clock.clone());
        assert_eq!(r.latest(), None, "nothing before it is started");
        r.start();
        assert_eq!(
            r.latest().map(|f| (f.t, f.accuracy_m)),
            Some((1_000_000, 4.0))
        );
        clock.advance(1_500);
        assert_eq!(r.since(1_000_000).len(), 1);
        assert_eq!(r.latest().map(|f| f.at.lon), Some(18.0641));
        clock.advance(10_000);
        assert_eq!(r.since(0).len(), 3, "the recording ends at its last point");
        r.start();
        assert_eq!(r.since(0).len(), 3, "starting again does not restart it");
    }

    #[test]
    fn faster_keeps_the_tracks_spacing() {
        let clock = Arc::new(ManualClock::new(0));
        let r = Replay::new(Track::parse(TRACK).unwrap(), 10.0, clock.clone());
        r.start();
        clock.advance(200);
        let ts: Vec<i64> = r.since(-1).iter().map(|f| f.t).collect();
        assert_eq!(ts, vec![0, 1_000, 2_000]);
    }

    #[test]
    fn the_shipped_sample_track_plays() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../assets/tracks/skurmaskin-plattan-norra.geojson"
        );
        let t = Track::load(Path::new(path)).unwrap();
        assert!(t.vertices.len() > 100 && t.duration_ms() > 60_000);
    }

    #[test]
    fn a_bad_track_says_why() {
        assert_eq!(
            Track::parse(&TRACK.replace("[0,1000,2000]", "[0,1000]")),
            Err(TrackError::Lengths {
                points: 3,
                what: "t_ms",
                n: 2
            })
        );
        assert_eq!(
            Track::parse(&TRACK.replace("[0,1000,2000]", "[0,3000,2000]")),
            Err(TrackError::Backwards(2))
        );
        assert!(matches!(
            Track::parse(&TRACK.replace("LineString", "Point")),
            Err(TrackError::Format(_))
        ));
        assert!(matches!(Track::parse("{}"), Err(TrackError::Format(_))));
    }
}
