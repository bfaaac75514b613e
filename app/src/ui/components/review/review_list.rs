//! The review list: the same rows as every list of reports, with the platsansvarig's "reviewed" mark.

use dioxus::prelude::*;
use uuid::Uuid;

use crate::store::ReportView;
use crate::ui::components::report_row::{ReportRow, RowBadge};
use crate::ui::i18n::Msg;
use crate::ui::state::use_lang;

#[component]
pub fn ReviewList(reports: Vec<ReportView>, on_pick: EventHandler<Uuid>) -> Element {
    let lang = use_lang();
    if reports.is_empty() {
        return rsx! {
            p { id: "rv-empty", "{Msg::NoReports.t(lang)}" }
        };
    }
    rsx! {
        ul { class: "list rv-rows",
            for r in reports {
                ReportRow {
                    key: "{r.report.id}",
                    row_id: "rv-row-{r.report.id}",
                    r: r.clone(),
                    badge: RowBadge::Reviewed,
                    on_pick,
                }
            }
        }
    }
}
