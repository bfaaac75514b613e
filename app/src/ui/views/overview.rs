//! The map with everything this phone may see: every open report, task and disturbance whatever its age
//! and what closed today (or as the filter says), and today's machine coverage. A tap on a pin opens it.

use dioxus::prelude::*;

use crate::ui::components::pins::pin_of;
use crate::ui::components::{FieldFilterChips, MapTap, SiteMap};
use crate::ui::state::queries::{
    use_field_reports, use_today_coverage, use_today_runs, visible_to,
};
use crate::ui::state::{use_role, use_services, use_ui};

#[component]
pub fn OverviewMap() -> Element {
    let ui = use_ui();
    let role = use_role();
    let reports = use_field_reports(ui.field_filter);
    let now = use_services().now_ms();
    let runs = use_today_runs();
    let coverage = use_today_coverage(runs);
    let mut selected = ui.selected;
    let pins: Vec<_> = reports
        .read()
        .iter()
        .filter(|r| visible_to(role, r))
        .filter_map(|r| pin_of(r, now))
        .collect();
    rsx! {
        FieldFilterChips {}
        SiteMap {
            pins,
            coverage: coverage(),
            selected: selected(),
            on_tap: move |t: MapTap| selected.set(t.pin),
        }
    }
}
