//! A site plan: the boundary, named zones, landmarks and reference outlines, loaded from a GeoJSON file.
//!
//! A site is data, not code: another square is another file. Features are told apart by their `kind`
//! property (`site_boundary`, `zone`, `reference`, and point kinds for landmarks). The collection's own
//! `properties` may give `site_id`, `name`, `axis_bearing_deg`, `license` (the attribution) and `vocabulary`
//! (the terms the site uses, see [`vocabulary`]); without an axis bearing, the long side of the boundary's
//! minimum rotated rectangle is used.

mod load;
pub mod vocabulary;

use geo::{Contains, Coord, Distance, Euclidean, Geometry, Point, Polygon, Rect};
use thiserror::Error;

use crate::geometry::{GeoPoint, LocalFrame};
pub use vocabulary::{SiteMachine, SiteVocabulary, Term};

/// Why a site plan could not be loaded.
#[derive(Debug, Error, PartialEq)]
pub enum SiteError {
    #[error("the site plan is not valid GeoJSON: {0}")]
    Json(String),
    #[error("the site plan must be a FeatureCollection")]
    NotACollection,
    #[error("the site plan has no feature of kind 'site_boundary'")]
    NoBoundary,
    #[error("the site plan has no feature of kind 'zone'")]
    NoZones,
    #[error("feature '{id}' of kind '{kind}' must be a {expected}")]
    WrongGeometry {
        id: String,
        kind: String,
        expected: &'static str,
    },
    #[error("zone ids must be unique; '{0}' appears twice")]
    DuplicateZone(String),
    #[error("the site's vocabulary lists '{code}' under '{list}', which is no such term")]
    UnknownTerm { list: &'static str, code: String },
    #[error("the site's vocabulary is malformed: {0}")]
    Vocabulary(String),
}

/// How far outside the drawn boundary a point still counts as on the site, in metres: the plan is drawn to
/// a metre or two, and coordinates are rounded to about a centimetre.
pub const BOUNDARY_TOLERANCE_M: f64 = 0.5;

/// A point that is not on the site. The message says where it is and how far off.
#[derive(Debug, Error, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[error("the point ({lon:.6}, {lat:.6}) is {distance_m:.0} m outside the site '{site}'")]
pub struct OutsideSite {
    pub lon: f64,
    pub lat: f64,
    pub distance_m: f64,
    pub site: String,
}

/// A named part of the site.
#[derive(Clone, Debug)]
pub struct Zone {
    pub id: String,
    pub name: String,
    /// In local metres.
    pub polygon: Polygon<f64>,
    pub area_m2: f64,
    bbox: Rect<f64>,
}

/// A named point: a subway entrance, the office, a landmark.
#[derive(Clone, Debug)]
pub struct Landmark {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub at: GeoPoint,
    /// Whether it lies on the site (context landmarks such as the obelisk on the upper level may not).
    pub on_site: bool,
}

/// An outline or a line drawn for context (buildings, streets, the fountain).
#[derive(Clone, Debug)]
pub struct Reference {
    pub id: String,
    pub name: String,
    /// In local metres.
    pub geometry: Geometry<f64>,
}

/// A site plan, ready for lookups and measuring.
#[derive(Clone, Debug)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub attribution: String,
    pub axis_bearing_deg: f64,
    pub frame: LocalFrame,
    /// In local metres.
    pub boundary: Polygon<f64>,
    pub area_m2: f64,
    pub zones: Vec<Zone>,
    pub landmarks: Vec<Landmark>,
    pub references: Vec<Reference>,
    /// The categories and machines this site uses.
    pub vocabulary: SiteVocabulary,
    bbox: Rect<f64>,
}

impl Site {
    /// The zone a point lies in, or why it is not on the site. A point on the site that falls in a gap
    /// between zones (a drawing error) goes to the nearest zone.
    pub fn locate(&self, p: GeoPoint) -> Result<&Zone, OutsideSite> {
        self.locate_local(self.frame.to_local(p))
            .map_err(|distance_m| OutsideSite {
                lon: p.lon,
                lat: p.lat,
                distance_m,
                site: self.name.clone(),
            })
    }

    /// The zone of a point in local metres; the error is the distance to the site in metres.
    pub fn locate_local(&self, c: Coord<f64>) -> Result<&Zone, f64> {
        let pt = Point::from(c);
        let in_rect = |r: &Rect<f64>| {
            c.x >= r.min().x && c.x <= r.max().x && c.y >= r.min().y && c.y <= r.max().y
        };
        if !in_rect(&self.bbox) || !self.boundary.contains(&pt) {
            if self.boundary.exterior().coords().any(|v| *v == c) {
                // A vertex of the boundary is on the site.
            } else {
                let d = Euclidean.distance(&pt, &self.boundary);
                if d > BOUNDARY_TOLERANCE_M {
                    return Err(d);
                }
            }
        }
        if let Some(z) = self
            .zones
            .iter()
            .find(|z| in_rect(&z.bbox) && z.polygon.contains(&pt))
        {
            return Ok(z);
        }
        // On an edge or in a gap: the nearest zone.
        Ok(self
            .zones
            .iter()
            .min_by(|a, b| {
                Euclidean
                    .distance(&pt, &a.polygon)
                    .total_cmp(&Euclidean.distance(&pt, &b.polygon))
            })
            .expect("a site has zones"))
    }

    pub fn zone(&self, id: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.id == id)
    }

    /// The bounding box of the boundary in view coordinates: (min x, min y, max x, max y).
    pub fn view_bounds(&self) -> (f64, f64, f64, f64) {
        let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for c in self.boundary.exterior().coords() {
            let v = self.frame.local_to_view(*c);
            b = (b.0.min(v.x), b.1.min(v.y), b.2.max(v.x), b.3.max(v.y));
        }
        b
    }
}

#[cfg(test)]
mod tests;
