//! The review list: each report with its kind's colour, what it is, when and where, its status, how many
//! times it was reported, and whether the platsansvarig has reviewed it.

use dioxus::prelude::*;
use uuid::Uuid;

use crate::store::ReportView;
use crate::ui::components::pins::{report_color, report_label, status_label, themed};
use crate::ui::i18n::Msg;
use crate::ui::state::theme::use_night;
use crate::ui::state::{use_lang, use_services};
use crate::ui::views::review::words::{Word, when};

#[component]
pub fn ReviewList(reports: Vec<ReportView>, on_pick: EventHandler<Uuid>) -> Element {
    let lang = use_lang();
    let night = use_night();
    let now = use_services().now_ms();
    if reports.is_empty() {
        return rsx! {
            p { id: "rv-empty", "{Msg::NoReports.t(lang)}" }
        };
    }
    rsx! {
        ul { class: "list rv-rows",
            for r in reports {
                li {
                    key: "{r.report.id}",
                    id: "rv-row-{r.report.id}",
                    onclick: move |_| on_pick.call(r.report.id),
                    span { class: "swatch", style: "background: {themed(report_color(&r), night)}" }
                    div { class: "main",
                        div { b { "{report_label(&r, lang)}" } }
                        div { class: "meta",
                            "{r.report.origin.as_ref().map(|o| when(o.stamp.at, now)).unwrap_or_default()}"
                            " · {r.zone.clone().unwrap_or_default()}"
                            " · {status_label(r.status(), lang)}"
                            if r.report.count() > 1 { " · {r.report.count()}×" }
                        }
                    }
                    if r.report.reviewed.is_some() {
                        span { class: "badge reviewed", title: Word::Reviewed.t(lang), "✓" }
                    }
                }
            }
        }
    }
}
