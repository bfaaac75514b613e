//! A site plan: the boundary, named zones, landmarks and reference outlines, loaded from a GeoJSON file.
//!
//! A site is data, not code: another square is another file. Features are told apart by their `kind`
//! property (`site_boundary`, `zone`, `reference`, and point kinds for landmarks). The collection's own
//! `properties` may give `site_id`, `name`, `axis_bearing_deg`, `license` (the attribution) and `vocabulary`
//! (the terms the site uses, see [`vocabulary`]); without an axis bearing, the long side of the boundary's
//! minimum rotated rectangle is used.

pub mod vocabulary;

use geo::{
    Area, BoundingRect, Centroid, Contains, Coord, Distance, Euclidean, Geometry, LineString,
    MinimumRotatedRect, Point, Polygon, Rect,
};
use geojson::{Feature, FeatureCollection, GeoJson};
use serde_json::Value;
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

fn str_prop(f: &Feature, key: &str) -> Option<String> {
    f.property(key).and_then(Value::as_str).map(str::to_owned)
}

fn polygon_of(f: &Feature, id: &str, kind: &str) -> Result<Polygon<f64>, SiteError> {
    let wrong = || SiteError::WrongGeometry {
        id: id.to_owned(),
        kind: kind.to_owned(),
        expected: "Polygon",
    };
    let g = f.geometry.as_ref().ok_or_else(wrong)?;
    Polygon::<f64>::try_from(&g.value).map_err(|_| wrong())
}

fn to_local_polygon(frame: &LocalFrame, p: &Polygon<f64>) -> Polygon<f64> {
    let ring = |ls: &LineString<f64>| -> LineString<f64> {
        ls.coords()
            .map(|c| frame.to_local(GeoPoint::new(c.x, c.y)))
            .collect()
    };
    Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())
}

fn to_local_geometry(frame: &LocalFrame, g: Geometry<f64>) -> Geometry<f64> {
    use geo::MapCoords;
    g.map_coords(|c| frame.to_local(GeoPoint::new(c.x, c.y)))
}

/// The compass bearing (0-180°) of the long side of the polygon's minimum rotated rectangle.
fn long_axis_bearing(local: &Polygon<f64>) -> f64 {
    let Some(rect) = local.minimum_rotated_rect() else {
        return 90.0;
    };
    let c: Vec<Coord<f64>> = rect.exterior().coords().copied().collect();
    let side = |a: Coord<f64>, b: Coord<f64>| (b.x - a.x, b.y - a.y);
    let (s1, s2) = (side(c[0], c[1]), side(c[1], c[2]));
    let (dx, dy) = if s1.0.hypot(s1.1) >= s2.0.hypot(s2.1) {
        s1
    } else {
        s2
    };
    dx.atan2(dy).to_degrees().rem_euclid(180.0)
}

impl Site {
    /// Loads a site plan from GeoJSON text.
    pub fn from_geojson(text: &str) -> Result<Site, SiteError> {
        let gj: GeoJson = text
            .parse()
            .map_err(|e: geojson::Error| SiteError::Json(e.to_string()))?;
        let GeoJson::FeatureCollection(fc) = gj else {
            return Err(SiteError::NotACollection);
        };
        // The collection's own `properties` is not part of RFC 7946, so the GeoJSON reader drops it.
        let raw: Value = serde_json::from_str(text).map_err(|e| SiteError::Json(e.to_string()))?;
        Self::from_collection(&fc, raw.get("properties").cloned().unwrap_or_default())
    }

    fn from_collection(fc: &FeatureCollection, props: Value) -> Result<Site, SiteError> {
        let prop = |k: &str| props.get(k).and_then(Value::as_str).map(str::to_owned);
        let vocabulary = SiteVocabulary::from_json(props.get("vocabulary"))?;
        let kind_of = |f: &Feature| str_prop(f, "kind").unwrap_or_default();
        let id_of =
            |f: &Feature, i: usize| str_prop(f, "id").unwrap_or_else(|| format!("feature-{i}"));

        let (bi, bf) = fc
            .features
            .iter()
            .enumerate()
            .find(|(_, f)| kind_of(f) == "site_boundary")
            .ok_or(SiteError::NoBoundary)?;
        let boundary_geo = polygon_of(bf, &id_of(bf, bi), "site_boundary")?;
        let centre = boundary_geo.centroid().ok_or(SiteError::NoBoundary)?;
        let origin = GeoPoint::new(centre.x(), centre.y());
        let provisional = LocalFrame::new(origin, 90.0);
        let axis = props
            .get("axis_bearing_deg")
            .and_then(Value::as_f64)
            .unwrap_or_else(|| long_axis_bearing(&to_local_polygon(&provisional, &boundary_geo)));
        let frame = LocalFrame::new(origin, axis);
        let boundary = to_local_polygon(&frame, &boundary_geo);

        let mut zones = Vec::new();
        let mut landmarks = Vec::new();
        let mut references = Vec::new();
        for (i, f) in fc.features.iter().enumerate() {
            let id = id_of(f, i);
            let kind = kind_of(f);
            let name = str_prop(f, "name").unwrap_or_else(|| id.clone());
            match kind.as_str() {
                "site_boundary" => {}
                "zone" => {
                    if zones.iter().any(|z: &Zone| z.id == id) {
                        return Err(SiteError::DuplicateZone(id));
                    }
                    let polygon = to_local_polygon(&frame, &polygon_of(f, &id, &kind)?);
                    let bbox = polygon.bounding_rect().ok_or(SiteError::NoZones)?;
                    zones.push(Zone {
                        area_m2: polygon.unsigned_area(),
                        id,
                        name,
                        polygon,
                        bbox,
                    });
                }
                "reference" => {
                    if let Some(g) = f
                        .geometry
                        .as_ref()
                        .and_then(|g| Geometry::<f64>::try_from(&g.value).ok())
                    {
                        references.push(Reference {
                            id,
                            name,
                            geometry: to_local_geometry(&frame, g),
                        });
                    }
                }
                _ => {
                    let point = f
                        .geometry
                        .as_ref()
                        .and_then(|g| Point::<f64>::try_from(&g.value).ok());
                    let Some(p) = point else {
                        return Err(SiteError::WrongGeometry {
                            id,
                            kind,
                            expected: "Point",
                        });
                    };
                    let at = GeoPoint::new(p.x(), p.y());
                    let on_site = boundary.contains(&Point::from(frame.to_local(at)));
                    landmarks.push(Landmark {
                        id,
                        kind,
                        name,
                        at,
                        on_site,
                    });
                }
            }
        }
        if zones.is_empty() {
            return Err(SiteError::NoZones);
        }
        let bbox = boundary.bounding_rect().ok_or(SiteError::NoBoundary)?;
        Ok(Site {
            id: prop("site_id").unwrap_or_else(|| prop("name").unwrap_or_else(|| "site".into())),
            name: str_prop(bf, "name")
                .or_else(|| prop("name"))
                .unwrap_or_else(|| "Site".into()),
            attribution: prop("license").unwrap_or_default(),
            axis_bearing_deg: axis,
            area_m2: boundary.unsigned_area(),
            frame,
            boundary,
            zones,
            landmarks,
            references,
            vocabulary,
            bbox,
        })
    }

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
