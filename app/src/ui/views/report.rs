//! The cleaner's home: the map and the big category buttons. Category then spot, or spot then category,
//! and it is saved (with an undo for 5 seconds). A tap on a pin opens it.

use dioxus::prelude::*;
use torgkoll_shared::{CleaningCategory, Role};

use crate::ui::components::category_grid::QUICK;
use crate::ui::components::pins::pin_of;
use crate::ui::components::{CategoryGrid, MapTap, SiteMap};
use crate::ui::i18n::Msg;
use crate::ui::state::actions::use_actions;
use crate::ui::components::FieldFilterChips;
use crate::ui::state::queries::{
    use_field_reports, use_today_coverage, use_today_runs, visible_to,
};
use crate::ui::state::{use_lang, use_services, use_ui};

#[component]
pub fn ReportView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let reports = use_field_reports(ui.field_filter);
    let now = use_services().now_ms();
    let runs = use_today_runs();
    let coverage = use_today_coverage(runs);
    let mut armed = use_signal(|| None::<CleaningCategory>);
    let (mut spot, mut selected) = (ui.spot, ui.selected);

    let pins: Vec<_> = reports
        .read()
        .iter()
        .filter(|r| visible_to(Role::Cleaner, r))
        .filter_map(|r| pin_of(r, now))
        .collect();
    let hint = match (armed(), spot()) {
        (Some(c), _) => format!("{} {}", Msg::TapSpotFor.t(lang), c.label(lang)),
        (None, Some(_)) => Msg::SpotChosen.t(lang).to_owned(),
        (None, None) => Msg::PickCategory.t(lang).to_owned(),
    };

    let on_tap = move |t: MapTap| {
        if let Some(c) = armed() {
            armed.set(None);
            actions.quick_report(c, t.at);
        } else if let Some(id) = t.pin {
            spot.set(None);
            selected.set(Some(id));
        } else {
            spot.set(Some(t.at));
        }
    };
    let on_pick = move |c: CleaningCategory| {
        if let Some(at) = spot() {
            spot.set(None);
            actions.quick_report(c, at);
        } else {
            armed.set(if armed() == Some(c) { None } else { Some(c) });
        }
    };
    let pending = armed().is_some() || spot().is_some();
    rsx! {
        FieldFilterChips {}
        SiteMap {
            pins,
            coverage: coverage(),
            marker: spot(),
            selected: selected(),
            pick_pins: armed().is_none(),
            on_tap,
        }
        div { class: if pending { "hint armed" } else { "hint" }, id: "hint",
            span { "{hint}" }
            if pending {
                button {
                    id: "cancel-pending",
                    onclick: move |_| {
                        armed.set(None);
                        spot.set(None);
                    },
                    "{Msg::Cancel.t(lang)}"
                }
            }
        }
        CategoryGrid { categories: QUICK.to_vec(), armed: armed(), on_pick }
    }
}
