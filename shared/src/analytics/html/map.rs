//! The site map as inline SVG, drawn in the view plane (the plaza's long axis horizontal): context
//! outlines, zones with their names, the day's machine coverage, the top hotspot cells numbered, landmarks,
//! the boundary, a north arrow and a scale bar.

use std::fmt::Write;

use geo::{Coord, Geometry, InteriorPoint, LineString, Polygon};

use super::esc;
use crate::analytics::lagesbild::Lagesbild;
use crate::site::Site;
use crate::vocab::MachineKind;

const WIDTH_PX: f64 = 900.0;
const PAD_M: f64 = 6.0;

/// The colour of a machine kind's coverage.
pub fn kind_colour(k: MachineKind) -> &'static str {
    match k {
        MachineKind::Fimpsug => "#1f78b4",
        MachineKind::Skurmaskin => "#4daf4a",
    }
}

/// View metres to SVG pixels (y flipped: up is up).
struct Px {
    x0: f64,
    y1: f64,
    scale: f64,
}

impl Px {
    fn of(site: &Site) -> (Px, f64, f64) {
        let (x0, y0, x1, y1) = site.view_bounds();
        let w = x1 - x0 + 2.0 * PAD_M;
        let h = y1 - y0 + 2.0 * PAD_M;
        let scale = WIDTH_PX / w;
        (
            Px {
                x0: x0 - PAD_M,
                y1: y1 + PAD_M,
                scale,
            },
            WIDTH_PX,
            h * scale,
        )
    }

    fn pt(&self, v: [f64; 2]) -> (f64, f64) {
        ((v[0] - self.x0) * self.scale, (self.y1 - v[1]) * self.scale)
    }

    fn path(&self, rings: impl IntoIterator<Item = Vec<[f64; 2]>>) -> String {
        let mut d = String::new();
        for ring in rings {
            for (i, v) in ring.iter().enumerate() {
                let (x, y) = self.pt(*v);
                let _ = write!(d, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
            }
            d.push_str("Z ");
        }
        d
    }

    fn line(&self, pts: Vec<[f64; 2]>) -> String {
        let mut d = String::new();
        for (i, v) in pts.iter().enumerate() {
            let (x, y) = self.pt(*v);
            let _ = write!(d, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
        }
        d
    }
}

fn view_ring(site: &Site, ls: &LineString<f64>) -> Vec<[f64; 2]> {
    ls.coords()
        .map(|c| {
            let v = site.frame.local_to_view(*c);
            [v.x, v.y]
        })
        .collect()
}

fn polygon_rings(site: &Site, p: &Polygon<f64>) -> Vec<Vec<[f64; 2]>> {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|r| view_ring(site, r))
        .collect()
}

/// A landmark's short name: up to the first comma or parenthesis.
fn short_name(name: &str) -> &str {
    name.split([',', '(']).next().unwrap_or(name).trim()
}

fn context(site: &Site, px: &Px, s: &mut String) {
    for r in &site.references {
        match &r.geometry {
            Geometry::Polygon(p) => {
                let _ = write!(
                    s,
                    r#"<path class="ref" d="{}"/>"#,
                    px.path(polygon_rings(site, p))
                );
            }
            Geometry::MultiPolygon(m) => {
                for p in &m.0 {
                    let _ = write!(
                        s,
                        r#"<path class="ref" d="{}"/>"#,
                        px.path(polygon_rings(site, p))
                    );
                }
            }
            Geometry::LineString(l) => {
                let _ = write!(
                    s,
                    r#"<path class="street" d="{}"/>"#,
                    px.line(view_ring(site, l))
                );
            }
            _ => {}
        }
    }
}

fn zones(site: &Site, px: &Px, s: &mut String) {
    for z in &site.zones {
        let _ = write!(
            s,
            r#"<path class="zone" d="{}"/>"#,
            px.path(polygon_rings(site, &z.polygon))
        );
    }
}

/// Boxes of the labels placed so far, so later labels that would overlap are left out.
#[derive(Default)]
struct Placed(Vec<[f64; 4]>);

impl Placed {
    /// Claims the box of a text of `chars` characters at (x, y) (left or centred), if it is free.
    fn claim(&mut self, x: f64, y: f64, chars: usize, lines: f64, centred: bool) -> bool {
        let w = chars as f64 * 6.2;
        let x0 = if centred { x - w / 2.0 } else { x };
        let b = [x0, y - 11.0, x0 + w, y - 11.0 + 13.0 * lines];
        if self
            .0
            .iter()
            .any(|o| b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3])
        {
            return false;
        }
        self.0.push(b);
        true
    }
}

fn zone_labels(site: &Site, px: &Px, placed: &mut Placed, s: &mut String) {
    for z in &site.zones {
        if let Some(c) = z.polygon.interior_point() {
            let v = site.frame.local_to_view(c.0);
            let (x, y) = px.pt([v.x, v.y]);
            placed.claim(x, y, short_name(&z.name).chars().count(), 2.0, true);
            let _ = write!(
                s,
                r#"<text class="zl" x="{x:.1}" y="{y:.1}"><tspan x="{x:.1}" font-weight="bold">{}</tspan><tspan x="{x:.1}" dy="13">{}</tspan></text>"#,
                esc(&z.id),
                esc(short_name(&z.name))
            );
        }
    }
}

fn coverage(l: &Lagesbild, px: &Px, s: &mut String) {
    // The scrubber (whole zones) below, the butt vacuum (bands) on top.
    for shape in l.coverage_shapes.iter().rev() {
        let rings = shape
            .polygons
            .iter()
            .flat_map(|p| std::iter::once(p.exterior.clone()).chain(p.holes.iter().cloned()));
        let _ = write!(
            s,
            r#"<path class="cov" fill-rule="evenodd" fill="{}" d="{}"/>"#,
            kind_colour(shape.kind),
            px.path(rings)
        );
    }
}

fn hotspots(l: &Lagesbild, px: &Px, placed: &mut Placed, s: &mut String) {
    let half = l.hotspot_cell_m / 2.0;
    let size = l.hotspot_cell_m * px.scale;
    for (i, c) in l.top_hotspots.iter().enumerate() {
        let (x, y) = px.pt([c.centre_view[0] - half, c.centre_view[1] + half]);
        let (cx, cy) = px.pt(c.centre_view);
        placed.0.push([x, y, x + size, y + size]);
        let _ = write!(
            s,
            r#"<rect class="hot" x="{x:.1}" y="{y:.1}" width="{size:.1}" height="{size:.1}"/><circle class="hotn" cx="{cx:.1}" cy="{cy:.1}" r="9"/><text class="hott" x="{cx:.1}" y="{:.1}">{}</text>"#,
            cy + 4.0,
            i + 1
        );
    }
}

fn landmarks(site: &Site, px: &Px, placed: &mut Placed, s: &mut String) {
    for lm in &site.landmarks {
        let c = site.frame.to_local(lm.at);
        if !crate::analytics::near_site(site, c, 8.0) {
            continue;
        }
        let v = site.frame.local_to_view(c);
        let (x, y) = px.pt([v.x, v.y]);
        let _ = write!(s, r#"<circle class="lm" cx="{x:.1}" cy="{y:.1}" r="3.5"/>"#);
        let name = short_name(&lm.name);
        if placed.claim(x + 6.0, y - 5.0, name.chars().count(), 1.0, false) {
            let _ = write!(
                s,
                r#"<text class="lmt" x="{:.1}" y="{:.1}">{}</text>"#,
                x + 6.0,
                y - 5.0,
                esc(name)
            );
        }
    }
}

/// North arrow (top right) and a 20 m scale bar (bottom left).
fn furniture(site: &Site, px: &Px, w: f64, h: f64, s: &mut String) {
    let n = site.frame.local_to_view(Coord { x: 0.0, y: 1.0 });
    let (cx, cy) = (w - 40.0, 40.0);
    let (dx, dy) = (n.x * 24.0, -n.y * 24.0);
    let _ = write!(
        s,
        r#"<g class="north"><circle cx="{cx}" cy="{cy}" r="28"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" marker-end="url(#arrow)"/><text x="{:.1}" y="{:.1}">N</text></g>"#,
        cx - dx * 0.6,
        cy - dy * 0.6,
        cx + dx * 0.6,
        cy + dy * 0.6,
        cx + dx * 1.05,
        cy + dy * 1.05 + 4.0
    );
    let len = 20.0 * px.scale;
    let _ = write!(
        s,
        r#"<g class="scale"><line x1="16" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}"/><text x="16" y="{ty:.1}">20 m</text></g>"#,
        y = h - 16.0,
        x2 = 16.0 + len,
        ty = h - 22.0
    );
}

/// The map as an `<svg>` element.
pub fn site_map_svg(site: &Site, l: &Lagesbild) -> String {
    let (px, w, h) = Px::of(site);
    let mut s = format!(
        r##"<svg class="map" viewBox="0 0 {w:.0} {h:.0}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Karta över {}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#222"/></marker></defs><rect width="100%" height="100%" fill="#f4f4f1"/>"##,
        esc(&site.name)
    );
    context(site, &px, &mut s);
    zones(site, &px, &mut s);
    coverage(l, &px, &mut s);
    let _ = write!(
        s,
        r#"<path class="boundary" d="{}"/>"#,
        px.path(polygon_rings(site, &site.boundary))
    );
    let mut placed = Placed::default();
    hotspots(l, &px, &mut placed, &mut s);
    zone_labels(site, &px, &mut placed, &mut s);
    landmarks(site, &px, &mut placed, &mut s);
    furniture(site, &px, w, h, &mut s);
    s.push_str("</svg>");
    s
}
