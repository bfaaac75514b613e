//! The map's geometry, kept pure: the site plan as SVG paths in the view plane (the plaza's long axis
//! horizontal), and the zoom/pan transform between view metres and screen pixels.

use geo::{Coord, Geometry, InteriorPoint, LineString, Polygon};
use torgkoll_shared::{GeoPoint, Site};

/// SVG's y axis points down; the view plane's points up.
fn flip(v: Coord<f64>) -> (f64, f64) {
    (v.x, -v.y)
}

fn ring_path(site: &Site, ls: &LineString<f64>, out: &mut String) {
    use std::fmt::Write;
    for (i, c) in ls.coords().enumerate() {
        let (x, y) = flip(site.frame.local_to_view(*c));
        let _ = write!(out, "{}{x:.2},{y:.2} ", if i == 0 { "M" } else { "L" });
    }
    out.push('Z');
}

fn polygon_path(site: &Site, p: &Polygon<f64>) -> String {
    let mut d = String::new();
    ring_path(site, p.exterior(), &mut d);
    for hole in p.interiors() {
        ring_path(site, hole, &mut d);
    }
    d
}

fn line_path(site: &Site, ls: &LineString<f64>) -> String {
    let mut d = String::new();
    ring_path(site, ls, &mut d);
    d.pop();
    d
}

/// A zone ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneShape {
    pub id: String,
    pub name: String,
    pub d: String,
    /// Where its label goes (SVG coordinates).
    pub label: (f64, f64),
}

/// A landmark ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct LandmarkMark {
    pub kind: String,
    pub short: String,
    pub pos: (f64, f64),
}

/// The site plan in SVG coordinates (view metres, y down), computed once per site.
#[derive(Clone, Debug, PartialEq)]
pub struct SitePlan {
    pub boundary: String,
    pub zones: Vec<ZoneShape>,
    /// Building outlines and the fountain.
    pub areas: Vec<String>,
    /// Street centrelines.
    pub lines: Vec<String>,
    pub landmarks: Vec<LandmarkMark>,
    /// (min x, min y, max x, max y) of the boundary in SVG coordinates.
    pub bounds: (f64, f64, f64, f64),
    pub attribution: String,
}

/// A short label for a landmark: what a person on the Plattan calls it.
fn short_name(kind: &str, name: &str) -> Option<String> {
    let first = name.split([',', '(']).next().unwrap_or(name).trim();
    match kind {
        "subway_entrance" => Some("T-bana".into()),
        "office" => Some("Trygghetskontoret".into()),
        "stairs" => Some("Trappan".into()),
        "entrance" if name.contains("Kulturhus") => Some("Kulturhuset".into()),
        "passage" => Some("Sergelgången".into()),
        "landmark" if name.contains("obelisk") => Some("Obelisken".into()),
        "landmark" if name.contains("Hötorgsskrapan") => None,
        _ => Some(first.to_owned()),
    }
}

impl SitePlan {
    pub fn of(site: &Site) -> SitePlan {
        let (x0, y0, x1, y1) = site.view_bounds();
        let zones = site
            .zones
            .iter()
            .map(|z| {
                let c = z
                    .polygon
                    .interior_point()
                    .map_or(Coord { x: 0.0, y: 0.0 }, |p| p.0);
                ZoneShape {
                    id: z.id.clone(),
                    name: z
                        .name
                        .split(['(', '/'])
                        .next()
                        .unwrap_or(&z.name)
                        .trim()
                        .to_owned(),
                    d: polygon_path(site, &z.polygon),
                    label: flip(site.frame.local_to_view(c)),
                }
            })
            .collect();
        let mut areas = Vec::new();
        let mut lines = Vec::new();
        for r in &site.references {
            match &r.geometry {
                Geometry::Polygon(p) => areas.push(polygon_path(site, p)),
                Geometry::MultiPolygon(mp) => {
                    areas.extend(mp.0.iter().map(|p| polygon_path(site, p)));
                }
                Geometry::LineString(l) => lines.push(line_path(site, l)),
                _ => {}
            }
        }
        let margin = 60.0;
        let landmarks = site
            .landmarks
            .iter()
            .filter_map(|l| {
                let v = site.frame.to_view(l.at);
                let near = v.x > x0 - margin
                    && v.x < x1 + margin
                    && v.y > y0 - margin
                    && v.y < y1 + margin;
                let short = short_name(&l.kind, &l.name)?;
                near.then(|| LandmarkMark {
                    kind: l.kind.clone(),
                    short,
                    pos: flip(v),
                })
            })
            .collect();
        SitePlan {
            boundary: polygon_path(site, &site.boundary),
            zones,
            areas,
            lines,
            landmarks,
            bounds: (x0, -y1, x1, -y0),
            attribution: site.attribution.clone(),
        }
    }
}

/// Zoom and pan of the map, and the size of its drawing area in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    pub width: f64,
    pub height: f64,
    /// 1 shows the whole site.
    pub zoom: f64,
    /// Pixels the centre is moved by.
    pub pan: (f64, f64),
}

pub const MIN_ZOOM: f64 = 1.0;
pub const MAX_ZOOM: f64 = 8.0;

impl MapView {
    pub fn new(width: f64, height: f64) -> Self {
        MapView {
            width,
            height,
            zoom: 1.0,
            pan: (0.0, 0.0),
        }
    }

    /// Pixels per metre.
    pub fn scale(&self, plan: &SitePlan) -> f64 {
        let (x0, y0, x1, y1) = plan.bounds;
        let fit = ((self.width - 16.0) / (x1 - x0)).min((self.height - 16.0) / (y1 - y0));
        fit.max(0.01) * self.zoom
    }

    fn centre(plan: &SitePlan) -> (f64, f64) {
        let (x0, y0, x1, y1) = plan.bounds;
        ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
    }

    /// SVG coordinates (view metres, y down) to screen pixels.
    pub fn to_screen(&self, plan: &SitePlan, (x, y): (f64, f64)) -> (f64, f64) {
        let s = self.scale(plan);
        let (cx, cy) = Self::centre(plan);
        (
            self.width / 2.0 + self.pan.0 + (x - cx) * s,
            self.height / 2.0 + self.pan.1 + (y - cy) * s,
        )
    }

    pub fn from_screen(&self, plan: &SitePlan, (px, py): (f64, f64)) -> (f64, f64) {
        let s = self.scale(plan);
        let (cx, cy) = Self::centre(plan);
        (
            cx + (px - self.width / 2.0 - self.pan.0) / s,
            cy + (py - self.height / 2.0 - self.pan.1) / s,
        )
    }

    /// The SVG transform that draws SVG coordinates at their screen place.
    pub fn transform(&self, plan: &SitePlan) -> String {
        let s = self.scale(plan);
        let (tx, ty) = self.to_screen(plan, (0.0, 0.0));
        format!("translate({tx:.2} {ty:.2}) scale({s:.4})")
    }

    /// Zooms by `factor` keeping the point under `(px, py)` in place.
    pub fn zoom_at(&mut self, plan: &SitePlan, factor: f64, (px, py): (f64, f64)) {
        let before = self.from_screen(plan, (px, py));
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let after = self.to_screen(plan, before);
        self.pan.0 += px - after.0;
        self.pan.1 += py - after.1;
        if self.zoom <= MIN_ZOOM {
            self.pan = (0.0, 0.0);
        }
    }

    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        let limit = (self.width.max(self.height)) * self.zoom;
        self.pan.0 = (self.pan.0 + dx).clamp(-limit, limit);
        self.pan.1 = (self.pan.1 + dy).clamp(-limit, limit);
    }

    pub fn geo_to_screen(&self, site: &Site, plan: &SitePlan, p: GeoPoint) -> (f64, f64) {
        self.to_screen(plan, flip(site.frame.to_view(p)))
    }

    pub fn screen_to_geo(&self, site: &Site, plan: &SitePlan, px: (f64, f64)) -> GeoPoint {
        let (x, y) = self.from_screen(plan, px);
        site.frame.from_view(Coord { x, y: -y })
    }
}
