//! "Alla rapporter", the manager's list: what the field maps show, as a list (open whatever its age, and
//! what happened or closed today).

use dioxus::prelude::*;
use uuid::Uuid;

use crate::ui::components::FieldFilterChips;
use crate::ui::components::ReportList;
use crate::ui::i18n::Msg;
use crate::ui::state::queries::use_field_reports;
use crate::ui::state::{use_lang, use_ui};

#[component]
pub fn AllReportsView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let reports = use_field_reports(ui.field_filter);
    let mut selected = ui.selected;
    rsx! {
        div { class: "scroll", id: "all-reports",
            h1 { "{Msg::TabAll.t(lang)}" }
            FieldFilterChips {}
            ReportList { reports: reports(), on_pick: move |id: Uuid| selected.set(Some(id)) }
        }
    }
}
