//! The site map: the plan drawn from the site's geometry with the plaza horizontal, zones labelled,
//! landmarks, today's pins, machine coverage and paths. Zoom and pan with the wheel, a drag, a pinch or
//! the buttons; a tap (no drag) reports where it was and which pin, if any, is under it.

use dioxus::prelude::*;
use torgkoll_shared::GeoPoint;
use torgkoll_shared::analytics::CoverageShape;
use uuid::Uuid;

use super::map_layers::{CoverageLayer, LandmarkLayer, PathLayer, PinLayer, PlanLayer};
use crate::ui::i18n::Msg;
use crate::ui::state::{MapView, use_lang, use_services};

/// A report on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    pub id: Uuid,
    pub at: GeoPoint,
    pub color: &'static str,
    /// Resolved: drawn as a ring.
    pub hollow: bool,
    pub count: usize,
    pub age: PinAge,
    /// Placed at the phone's position with this accuracy (metres): drawn as a circle round the pin.
    pub accuracy_m: Option<f32>,
}

/// How old a report is, for the pin's shade (under an hour, under a day, older) and, from a day up, a
/// badge: the night shift sees at a glance what the evening left and what has waited for days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinAge {
    /// Under an hour.
    Fresh,
    /// Under a day.
    Hours(u32),
    /// A day or more.
    Days(u32),
}

impl PinAge {
    pub fn of(when_ms: i64, now_ms: i64) -> PinAge {
        let h = (now_ms.saturating_sub(when_ms).max(0) / 3_600_000) as u32;
        match h {
            0 => PinAge::Fresh,
            1..24 => PinAge::Hours(h),
            _ => PinAge::Days(h / 24),
        }
    }

    /// The CSS class of the pin.
    pub fn class(self) -> &'static str {
        match self {
            PinAge::Fresh => "age-fresh",
            PinAge::Hours(_) => "age-hours",
            PinAge::Days(_) => "age-days",
        }
    }

    /// The badge drawn beside the pin: "2 d" for what has been open a day or more. Younger ones carry
    /// their age as a shade only, so a busy evening's map stays readable.
    pub fn badge(self) -> Option<String> {
        match self {
            PinAge::Days(d) => Some(format!("{d} d")),
            PinAge::Fresh | PinAge::Hours(_) => None,
        }
    }
}

/// A tap on the map: where, and the pin under it (when pins can be picked).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapTap {
    pub at: GeoPoint,
    pub pin: Option<Uuid>,
}

/// How far from a pin a tap still picks it, in pixels (a fingertip).
pub const PICK_RADIUS_PX: f64 = 24.0;
/// How far a pointer may move before a tap becomes a drag, in pixels.
const DRAG_SLOP_PX: f64 = 8.0;
/// The map's size before the first layout measurement.
pub const DEFAULT_SIZE: (f64, f64) = (420.0, 380.0);

/// Pointers currently down on the map.
#[derive(Clone, Debug, Default, PartialEq)]
struct Gesture {
    pointers: Vec<(i32, (f64, f64))>,
    start: (f64, f64),
    dragged: bool,
    pinch: Option<f64>,
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

/// Takes the measured size of the drawing area (ignoring the zero size of a hidden layout).
fn set_size(mut view: Signal<MapView>, width: f64, height: f64) {
    if width > 0.0 && height > 0.0 && (view.peek().width, view.peek().height) != (width, height) {
        view.with_mut(|v| {
            v.width = width;
            v.height = height;
        });
    }
}

#[component]
pub fn SiteMap(
    pins: Vec<Pin>,
    #[props(default)] coverage: Vec<CoverageShape>,
    /// Shaded areas under the coverage (the review's hotspot cells, zones not cleaned).
    #[props(default)]
    shades: Vec<super::review::Shade>,
    #[props(default)] path: Vec<torgkoll_shared::TrackPoint>,
    #[props(default)] marker: Option<GeoPoint>,
    #[props(default)] selected: Option<Uuid>,
    /// Whether a tap near a pin picks the pin (otherwise every tap is a place).
    #[props(default = true)]
    pick_pins: bool,
    on_tap: EventHandler<MapTap>,
) -> Element {
    let svc = use_services();
    let lang = use_lang();
    let mut view = use_signal(|| MapView::new(DEFAULT_SIZE.0, DEFAULT_SIZE.1));
    let mut gesture = use_signal(Gesture::default);
    let plan = svc.plan.clone();
    let v = view();

    let tap = {
        let (svc, pins) = (svc.clone(), pins.clone());
        move |px: (f64, f64)| {
            let v = *view.peek();
            let at = v.screen_to_geo(&svc.site, &svc.plan, px);
            let pin = pick_pins
                .then(|| {
                    pins.iter()
                        .map(|p| (p.id, dist(v.geo_to_screen(&svc.site, &svc.plan, p.at), px)))
                        .filter(|(_, d)| *d <= PICK_RADIUS_PX)
                        .min_by(|a, b| a.1.total_cmp(&b.1))
                        .map(|(id, _)| id)
                })
                .flatten();
            on_tap.call(MapTap { at, pin });
        }
    };
    let plan_w = plan.clone();
    let plan_m = plan.clone();
    let plan_b = plan.clone();

    rsx! {
        div {
            class: "map-wrap",
            onmounted: move |e| async move {
                if let Ok(r) = e.get_client_rect().await {
                    set_size(view, r.size.width, r.size.height);
                }
            },
            onresize: move |e| {
                if let Ok(size) = e.get_content_box_size() {
                    set_size(view, size.width, size.height);
                }
            },
            svg {
                id: "map",
                class: "map",
                width: "{v.width}",
                height: "{v.height}",
                view_box: "0 0 {v.width} {v.height}",
                onmounted: move |_| crate::platform::map_ready(),
                onwheel: move |e| {
                    e.prevent_default();
                    let dy = e.delta().strip_units().y;
                    let p = e.element_coordinates();
                    view.with_mut(|v| v.zoom_at(&plan_w, (-dy * 0.002).exp(), (p.x, p.y)));
                },
                onpointerdown: move |e| {
                    let p = e.element_coordinates();
                    gesture.with_mut(|g| {
                        g.pointers.retain(|(id, _)| *id != e.pointer_id());
                        g.pointers.push((e.pointer_id(), (p.x, p.y)));
                        if g.pointers.len() == 1 {
                            g.start = (p.x, p.y);
                            g.dragged = false;
                            g.pinch = None;
                        } else {
                            g.dragged = true;
                            g.pinch = Some(dist(g.pointers[0].1, g.pointers[1].1));
                        }
                    });
                },
                onpointermove: move |e| {
                    let p = (e.element_coordinates().x, e.element_coordinates().y);
                    let mut g = gesture.write();
                    let Some(i) = g.pointers.iter().position(|(id, _)| *id == e.pointer_id()) else {
                        return;
                    };
                    let last = g.pointers[i].1;
                    g.pointers[i].1 = p;
                    if g.pointers.len() >= 2 {
                        let d = dist(g.pointers[0].1, g.pointers[1].1);
                        let mid = (
                            (g.pointers[0].1.0 + g.pointers[1].1.0) / 2.0,
                            (g.pointers[0].1.1 + g.pointers[1].1.1) / 2.0,
                        );
                        if let Some(d0) = g.pinch.filter(|d0| *d0 > 0.0) {
                            view.with_mut(|v| v.zoom_at(&plan_m, d / d0, mid));
                        }
                        g.pinch = Some(d);
                    } else if g.dragged || dist(p, g.start) > DRAG_SLOP_PX {
                        g.dragged = true;
                        view.with_mut(|v| v.pan_by(p.0 - last.0, p.1 - last.1));
                    }
                },
                onpointerup: move |e| {
                    let p = (e.element_coordinates().x, e.element_coordinates().y);
                    let was_tap = {
                        let mut g = gesture.write();
                        let single = g.pointers.len() == 1;
                        g.pointers.retain(|(id, _)| *id != e.pointer_id());
                        single && !g.dragged
                    };
                    if was_tap {
                        tap(p);
                    }
                },
                onpointercancel: move |_| gesture.set(Gesture::default()),
                onpointerleave: move |_| gesture.set(Gesture::default()),
                PlanLayer { view: v }
                super::review::ShadeLayer { view: v, shades }
                CoverageLayer { view: v, coverage }
                LandmarkLayer { view: v }
                PathLayer { view: v, path }
                PinLayer { view: v, pins, selected, marker }
            }
            div { class: "map-buttons",
                button {
                    class: "map-btn",
                    id: "zoom-in",
                    title: Msg::ZoomIn.t(lang),
                    onclick: move |_| {
                        let c = (view.peek().width / 2.0, view.peek().height / 2.0);
                        view.with_mut(|v| v.zoom_at(&plan_b, 1.5, c));
                    },
                    "+"
                }
                button {
                    class: "map-btn",
                    id: "zoom-out",
                    title: Msg::ZoomOut.t(lang),
                    onclick: move |_| {
                        let c = (view.peek().width / 2.0, view.peek().height / 2.0);
                        view.with_mut(|v| v.zoom_at(&plan, 1.0 / 1.5, c));
                    },
                    "−"
                }
                button {
                    class: "map-btn",
                    id: "zoom-reset",
                    title: Msg::ResetView.t(lang),
                    onclick: move |_| view.with_mut(|v| *v = MapView::new(v.width, v.height)),
                    "⤢"
                }
            }
            div { class: "attribution", "{svc.plan.attribution}" }
        }
    }
}
