//! The layers of the site map, bottom to top. The plan and the coverage are drawn in view metres under one
//! transform; labels, landmarks and pins are placed in pixels so they keep their size when zooming.

use dioxus::prelude::*;
use torgkoll_shared::analytics::{CoverageShape, ViewPolygon};
use torgkoll_shared::{GeoPoint, MachineKind, TrackPoint};
use uuid::Uuid;

use super::map::Pin;
use super::pins::themed;
use crate::ui::assets::icon;
use crate::ui::state::theme::use_night;
use crate::ui::state::{MapView, use_services};

#[component]
pub fn PlanLayer(view: MapView) -> Element {
    let svc = use_services();
    let plan = &svc.plan;
    let transform = view.transform(plan);
    let labels: Vec<(String, String, f64, f64)> = plan
        .zones
        .iter()
        .map(|z| {
            let (x, y) = view.to_screen(plan, z.label);
            (z.id.clone(), z.name.clone(), x, y)
        })
        .collect();
    rsx! {
        g { transform: "{transform}",
            for (i, d) in plan.areas.iter().enumerate() {
                path { key: "a{i}", class: "ref-area", d: "{d}" }
            }
            for (i, d) in plan.lines.iter().enumerate() {
                path { key: "l{i}", class: "ref-line", d: "{d}" }
            }
            path { class: "site", d: "{plan.boundary}" }
            for z in plan.zones.iter() {
                path { key: "{z.id}", class: "zone", d: "{z.d}" }
            }
        }
        for (id, name, x, y) in labels {
            text { key: "t{id}", class: "zone-label", x: "{x:.1}", y: "{y:.1}",
                tspan { class: "zone-id", x: "{x:.1}", dy: "-0.3em", "{id}" }
                tspan { x: "{x:.1}", dy: "1.2em", "{name}" }
            }
        }
    }
}

fn polygon_d(p: &ViewPolygon) -> String {
    use std::fmt::Write;
    let mut d = String::new();
    for ring in std::iter::once(&p.exterior).chain(p.holes.iter()) {
        for (i, [x, y]) in ring.iter().enumerate() {
            let _ = write!(d, "{}{x:.2},{:.2} ", if i == 0 { "M" } else { "L" }, -y);
        }
        d.push('Z');
    }
    d
}

#[component]
pub fn CoverageLayer(view: MapView, coverage: Vec<CoverageShape>) -> Element {
    let svc = use_services();
    let transform = view.transform(&svc.plan);
    let shapes: Vec<(String, &'static str)> = coverage
        .iter()
        .flat_map(|c| {
            let class = match c.kind {
                MachineKind::Fimpsug => "cov cov-fimpsug",
                MachineKind::Skurmaskin => "cov cov-skurmaskin",
            };
            c.polygons.iter().map(move |p| (polygon_d(p), class))
        })
        .collect();
    rsx! {
        g { id: "coverage", transform: "{transform}",
            for (i, (d, class)) in shapes.into_iter().enumerate() {
                path { key: "c{i}", class: "{class}", d: "{d}" }
            }
        }
    }
}

#[component]
pub fn LandmarkLayer(view: MapView) -> Element {
    let svc = use_services();
    let marks: Vec<(usize, String, String, f64, f64)> = svc
        .plan
        .landmarks
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (x, y) = view.to_screen(&svc.plan, l.pos);
            (i, icon(&l.kind), l.short.clone(), x, y)
        })
        .collect();
    rsx! {
        for (i, href, name, x, y) in marks {
            g { key: "m{i}", class: "landmark",
                image { href: "{href}", x: "{x - 9.0:.1}", y: "{y - 9.0:.1}", width: "18", height: "18" }
                text { class: "landmark-label", x: "{x + 11.0:.1}", y: "{y + 4.0:.1}", "{name}" }
            }
        }
    }
}

/// The path as drawn: each recorded fix averaged with its two neighbours on each side (a GPS track's
/// metre-by-metre noise otherwise draws a zigzag); tapped points stay where they were tapped.
fn smoothed(pts: &[(f64, f64, bool)]) -> Vec<(f64, f64)> {
    const HALF: usize = 2;
    (0..pts.len())
        .map(|i| {
            let (x, y, tapped) = pts[i];
            if tapped {
                return (x, y);
            }
            let near: Vec<_> = pts[i.saturating_sub(HALF)..(i + HALF + 1).min(pts.len())]
                .iter()
                .filter(|p| !p.2)
                .collect();
            let n = near.len() as f64;
            (
                near.iter().map(|p| p.0).sum::<f64>() / n,
                near.iter().map(|p| p.1).sum::<f64>() / n,
            )
        })
        .collect()
}

#[component]
pub fn PathLayer(view: MapView, path: Vec<TrackPoint>) -> Element {
    let svc = use_services();
    let pts: Vec<(f64, f64, bool)> = path
        .iter()
        .map(|p| {
            let (x, y) = view.geo_to_screen(&svc.site, &svc.plan, p.at);
            (x, y, p.acc.is_none())
        })
        .collect();
    let drawn = smoothed(&pts);
    let line = drawn
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let gps = pts.iter().any(|p| !p.2);
    // The machine where the drawn line ends (a recorded fix: a tapped last point has its own dot).
    let here = drawn
        .last()
        .zip(pts.last())
        .map(|((x, y), p)| (*x, *y, p.2));
    rsx! {
        if !pts.is_empty() {
            g { id: "run-path",
                polyline { class: if gps { "run-line gps" } else { "run-line" }, points: "{line}" }
                // Tapped points get a dot each; a recorded track is a line with the machine at its end.
                for (i, (x, y, _)) in pts.into_iter().enumerate().filter(|(_, p)| p.2) {
                    circle { key: "p{i}", class: "run-point", cx: "{x:.1}", cy: "{y:.1}", r: "5" }
                }
                if let Some((x, y, false)) = here {
                    circle { class: "run-here", id: "run-here", cx: "{x:.1}", cy: "{y:.1}", r: "7" }
                }
            }
        }
    }
}

#[component]
pub fn PinLayer(
    view: MapView,
    pins: Vec<Pin>,
    selected: Option<Uuid>,
    marker: Option<GeoPoint>,
) -> Element {
    let svc = use_services();
    let night = use_night();
    let placed: Vec<(Pin, f64, f64, &str)> = pins
        .into_iter()
        .map(|p| {
            let (x, y) = view.geo_to_screen(&svc.site, &svc.plan, p.at);
            let color = themed(p.color, night);
            (p, x, y, color)
        })
        .collect();
    let marker = marker.map(|m| view.geo_to_screen(&svc.site, &svc.plan, m));
    // Pixels per metre, for accuracy circles.
    let scale = view.scale(&svc.plan);
    rsx! {
        g { id: "pins",
            for (p, x, y, color) in placed {
                g { key: "{p.id}", id: "pin-{p.id}",
                    class: if selected == Some(p.id) { "pin selected {p.age.class()}" } else { "pin {p.age.class()}" },
                    if let Some(acc) = p.accuracy_m {
                        circle {
                            class: "pin-accuracy",
                            cx: "{x:.1}",
                            cy: "{y:.1}",
                            r: "{f64::from(acc) * scale:.1}",
                            stroke: color,
                            fill: color,
                        }
                    }
                    circle {
                        cx: "{x:.1}",
                        cy: "{y:.1}",
                        r: "10",
                        fill: if p.hollow { "white" } else { color },
                        stroke: color,
                        stroke_width: "3",
                    }
                    if p.count > 1 {
                        text { class: "pin-count", x: "{x:.1}", y: "{y + 4.0:.1}", "{p.count}" }
                    }
                    if let Some(age) = p.age.badge().filter(|_| !p.hollow) {
                        text { class: "pin-age", x: "{x + 12.0:.1}", y: "{y - 9.0:.1}", "{age}" }
                    }
                }
            }
            if let Some((x, y)) = marker {
                g { id: "spot-marker",
                    circle { class: "spot", cx: "{x:.1}", cy: "{y:.1}", r: "13" }
                    circle { class: "spot-dot", cx: "{x:.1}", cy: "{y:.1}", r: "3" }
                }
            }
        }
    }
}
