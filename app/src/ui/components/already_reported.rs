//! "Finns redan rapporterad här": a tap with a category armed right by an open report of the same
//! category asks whether it is the same thing still there (+1 on that report) or a new report.

use dioxus::prelude::*;

use super::pins::times_label;
use crate::ui::i18n::{Msg, hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::use_report;
use crate::ui::state::use_lang;

/// A tap that may mean a report already made: the category armed, where, and the open report near.
#[derive(Clone, Debug, PartialEq)]
pub struct Nearby {
    pub category: torgkoll_shared::CleaningCategory,
    pub at: torgkoll_shared::GeoPoint,
    /// The fix's accuracy when the place is the phone's position, `None` for a tap.
    pub acc: Option<f32>,
    pub existing: uuid::Uuid,
}

#[component]
pub fn AlreadyReported(nearby: Nearby, on_done: EventHandler<()>) -> Element {
    let lang = use_lang();
    let actions = use_actions();
    let existing = use_report(nearby.existing);
    let since = existing()
        .and_then(|r| r.report.when_ms())
        .map(hhmm)
        .unwrap_or_default();
    let count = existing().map_or(1, |r| r.report.count());
    let (id, category, at, acc) = (nearby.existing, nearby.category, nearby.at, nearby.acc);
    rsx! {
        div { class: "sheet", id: "already-sheet",
            h2 { "{category.label(lang)} · {Msg::AlreadyReported.t(lang)}" }
            p { class: "meta", "{Msg::Reported.t(lang)} {since} · {times_label(count, lang)}" }
            div { class: "actions column",
                button {
                    class: "primary",
                    id: "near-still-there",
                    onclick: move |_| {
                        actions.still_there(id);
                        on_done.call(());
                    },
                    "{Msg::PlusOne.t(lang)}"
                }
                button {
                    id: "near-new",
                    onclick: move |_| {
                        actions.quick_report(category, at, acc);
                        on_done.call(());
                    },
                    "{Msg::NewReport.t(lang)}"
                }
                button { id: "near-cancel", onclick: move |_| on_done.call(()), "{Msg::Cancel.t(lang)}" }
            }
        }
    }
}
