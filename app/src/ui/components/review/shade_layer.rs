//! Shaded areas on the site map, drawn in view metres under the plan's transform: hotspot cells as a heat
//! layer, zones not cleaned in N hours.

use dioxus::prelude::*;

use crate::ui::state::{MapView, SitePlan, use_services};

/// An area to shade: an SVG path in the plan's coordinates (view metres, y down), its CSS class, and how
/// strongly to fill it (0-1).
#[derive(Clone, Debug, PartialEq)]
pub struct Shade {
    pub d: String,
    pub class: &'static str,
    pub strength: f64,
}

impl Shade {
    /// A square cell of the view plane (`centre` with y up, as the analytics give it).
    pub fn cell(centre: [f64; 2], size_m: f64, class: &'static str, strength: f64) -> Shade {
        let (x, y) = (centre[0] - size_m / 2.0, -(centre[1] + size_m / 2.0));
        Shade {
            d: format!("M{x:.2},{y:.2} h{size_m:.2} v{size_m:.2} h{:.2} Z", -size_m),
            class,
            strength,
        }
    }

    /// A zone of the plan, by id.
    pub fn zone(plan: &SitePlan, id: &str, class: &'static str) -> Option<Shade> {
        plan.zones.iter().find(|z| z.id == id).map(|z| Shade {
            d: z.d.clone(),
            class,
            strength: 1.0,
        })
    }
}

#[component]
pub fn ShadeLayer(view: MapView, shades: Vec<Shade>) -> Element {
    let svc = use_services();
    let transform = view.transform(&svc.plan);
    rsx! {
        g { id: "shades", transform: "{transform}",
            for (i, s) in shades.iter().enumerate() {
                path {
                    key: "s{i}",
                    class: "{s.class}",
                    d: "{s.d}",
                    style: "fill-opacity: {s.strength.clamp(0.0, 1.0):.2}",
                }
            }
        }
    }
}
