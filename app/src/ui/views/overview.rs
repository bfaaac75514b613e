//! The map with everything this phone may see: today's reports, tasks and disturbances, and the machine
//! coverage. A tap on a pin opens it.

use dioxus::prelude::*;

use crate::ui::components::pins::pin_of;
use crate::ui::components::{MapTap, SiteMap};
use crate::ui::state::queries::{
    use_today_coverage, use_today_reports, use_today_runs, visible_to,
};
use crate::ui::state::{use_role, use_ui};

#[component]
pub fn OverviewMap() -> Element {
    let ui = use_ui();
    let role = use_role();
    let reports = use_today_reports();
    let runs = use_today_runs();
    let coverage = use_today_coverage(runs);
    let mut selected = ui.selected;
    let pins: Vec<_> = reports
        .read()
        .iter()
        .filter(|r| visible_to(role, r))
        .filter_map(pin_of)
        .collect();
    rsx! {
        SiteMap {
            pins,
            coverage: coverage(),
            selected: selected(),
            on_tap: move |t: MapTap| selected.set(t.pin),
        }
    }
}
