//! A list of reports with their status and, for this phone's own, their sync state.

use dioxus::prelude::*;
use uuid::Uuid;

use super::pins::{report_color, report_label, status_label, sync_badge, themed};
use crate::store::{ReportView, SyncState};
use crate::ui::i18n::{Msg, hhmm};
use crate::ui::state::theme::use_night;
use crate::ui::state::use_lang;

#[component]
pub fn ReportList(reports: Vec<ReportView>, on_pick: EventHandler<Uuid>) -> Element {
    let lang = use_lang();
    let night = use_night();
    if reports.is_empty() {
        return rsx! {
            p { id: "no-reports", "{Msg::NoReports.t(lang)}" }
        };
    }
    rsx! {
        ul { class: "list", id: "report-list",
            for r in reports {
                li {
                    key: "{r.report.id}",
                    id: "row-{r.report.id}",
                    onclick: move |_| on_pick.call(r.report.id),
                    span { class: "swatch", style: "background: {themed(report_color(&r), night)}" }
                    div { class: "main",
                        div { b { "{report_label(&r, lang)}" } }
                        div { class: "meta",
                            "{r.report.origin.as_ref().map(|o| hhmm(o.stamp.at)).unwrap_or_default()}"
                            " · {r.zone.clone().unwrap_or_default()}"
                            " · {status_label(r.status(), lang)}"
                            if r.report.count() > 1 { " · {r.report.count()}×" }
                        }
                        if let Some(SyncState::Rejected(reason)) = &r.sync {
                            div { class: "reason", "{reason}" }
                        }
                    }
                    if let Some(s) = &r.sync {
                        span { class: "badge {sync_badge(s, lang).0}", "{sync_badge(s, lang).1}" }
                    }
                }
            }
        }
    }
}
