//! A list of reports with their status and, for this phone's own, their sync state.

use dioxus::prelude::*;
use uuid::Uuid;

use super::report_row::{ReportRow, RowBadge};
use crate::store::ReportView;
use crate::ui::i18n::Msg;
use crate::ui::state::photos::use_photo_counts;
use crate::ui::state::use_lang;

#[component]
pub fn ReportList(reports: Vec<ReportView>, on_pick: EventHandler<Uuid>) -> Element {
    let lang = use_lang();
    let counts = use_photo_counts();
    if reports.is_empty() {
        return rsx! {
            p { id: "no-reports", "{Msg::NoReports.t(lang)}" }
        };
    }
    rsx! {
        ul { class: "list", id: "report-list",
            for r in reports {
                ReportRow {
                    key: "{r.report.id}",
                    row_id: "row-{r.report.id}",
                    r: r.clone(),
                    badge: RowBadge::Sync,
                    photos: counts.read().get(&r.report.id).copied(),
                    on_pick,
                }
            }
        }
    }
}
