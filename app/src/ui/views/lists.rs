//! Lists: "Mina rapporter" (this phone's reports with their sync state) and, for the manager, all of
//! today's reports.

use dioxus::prelude::*;
use uuid::Uuid;

use crate::ui::components::ReportList;
use crate::ui::i18n::Msg;
use crate::ui::state::queries::{use_my_reports, use_today_reports};
use crate::ui::state::{use_lang, use_ui};

/// How many of its own reports the phone lists.
pub const MINE_LIMIT: usize = 200;

#[component]
pub fn MineView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let mine = use_my_reports(MINE_LIMIT);
    let mut selected = ui.selected;
    rsx! {
        div { class: "scroll", id: "mine",
            h1 { "{Msg::TabMine.t(lang)}" }
            ReportList { reports: mine(), on_pick: move |id: Uuid| selected.set(Some(id)) }
        }
    }
}

#[component]
pub fn AllReportsView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let reports = use_today_reports();
    let mut selected = ui.selected;
    rsx! {
        div { class: "scroll", id: "all-reports",
            h1 { "{Msg::TabAll.t(lang)} · {Msg::Today.t(lang)}" }
            ReportList { reports: reports(), on_pick: move |id: Uuid| selected.set(Some(id)) }
        }
    }
}
