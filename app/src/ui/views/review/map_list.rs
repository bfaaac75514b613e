//! The map with everything synced in the period, filtered, and the list of the same reports beside it
//! (below it on a phone). A tap on a pin or a row opens the report's triage sheet.

use dioxus::prelude::*;
use uuid::Uuid;

use super::filter_panel::FilterPanel;
use super::use_review;
use crate::store::ReportView;
use crate::ui::components::pins::pin_of;
use crate::ui::components::review::ReviewList;
use crate::ui::components::{MapTap, SiteMap};
use crate::ui::i18n::review::{Word, counted};
use crate::ui::state::use_lang;

/// The most rows the list draws at once (the map shows every pin).
pub const LIST_MAX: usize = 300;

#[component]
pub fn ReviewMapList() -> Element {
    let rs = use_review();
    let lang = use_lang();
    let mut selected = rs.selected;
    let shown = use_memo(move || {
        let f = rs.filter.read();
        rs.reports
            .read()
            .iter()
            .filter(|r| f.matches(r))
            .cloned()
            .collect::<Vec<ReportView>>()
    });
    let list = shown.read();
    let now = crate::ui::state::use_services().now_ms();
    let pins: Vec<_> = list.iter().filter_map(|r| pin_of(r, now)).collect();
    let total = list.len();
    let filters_open = (rs.show_filters)();
    let rows: Vec<ReportView> = list.iter().take(LIST_MAX).cloned().collect();
    rsx! {
        div { class: "rv-split",
            SiteMap {
                pins,
                selected: selected(),
                on_tap: move |t: MapTap| {
                    if let Some(p) = t.pin {
                        selected.set(Some(p));
                    }
                },
            }
            div { class: "rv-list", id: "rv-list",
                div { class: "rv-count", id: "rv-count",
                    "{counted(total, Word::Report, Word::Reports, lang)}"
                    if total > LIST_MAX && !filters_open {
                        " · {Word::ShowingFirst.t(lang)} {LIST_MAX}"
                    }
                }
                if filters_open {
                    FilterPanel {}
                } else {
                    ReviewList { reports: rows, on_pick: move |id: Uuid| selected.set(Some(id)) }
                }
            }
        }
    }
}
