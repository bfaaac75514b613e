//! Reading a site plan from GeoJSON: the boundary, zones, landmarks and references, turned into the
//! site's local frame (metres along its axis).

use geo::{
    Area, BoundingRect, Centroid, Contains, Coord, Geometry, LineString, MinimumRotatedRect, Point,
    Polygon,
};
use geojson::{Feature, FeatureCollection, GeoJson};
use serde_json::Value;

use super::{Landmark, Reference, Site, SiteError, SiteVocabulary, Zone};
use crate::geometry::{GeoPoint, LocalFrame};

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
}
