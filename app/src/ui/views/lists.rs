//! Lists: "Mina rapporter" (this phone's reports with their sync state) and, for the manager, all of
//! today's reports.

use dioxus::prelude::*;
use torgkoll_shared::{ReportBody, Role};
use uuid::Uuid;

use crate::store::ReportView;
use crate::ui::components::FieldFilterChips;
use crate::ui::components::ReportList;
use crate::ui::i18n::Msg;
use crate::ui::i18n::hhmm;
use crate::ui::state::queries::{use_field_reports, use_my_reports};
use crate::ui::state::{use_lang, use_role, use_services, use_ui};

/// How many of its own reports the phone lists.
pub const MINE_LIMIT: usize = 200;

#[component]
pub fn MineView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let role = use_role();
    let mine = use_my_reports(MINE_LIMIT);
    let mut selected = ui.selected;
    let shift = if role == Role::Guard {
        interventions(&mine.read(), lang, use_services().now_ms())
    } else {
        vec![]
    };
    rsx! {
        div { class: "scroll", id: "mine",
            h1 { "{Msg::TabMine.t(lang)}" }
            ReportList { reports: mine(), on_pick: move |id: Uuid| selected.set(Some(id)) }
            if !shift.is_empty() {
                h2 { "{Msg::ShiftList.t(lang)}" }
                ul { class: "list", id: "shift-list",
                    for (i, line) in shift.into_iter().enumerate() {
                        li { key: "{i}", "{line}" }
                    }
                }
            }
        }
    }
}

/// The guard's interventions of the day, oldest first, as lines to copy into the duty report: time,
/// intervention and count, and the category as the ground. Never who.
fn interventions(mine: &[ReportView], lang: torgkoll_shared::Lang, now_ms: i64) -> Vec<String> {
    let today = crate::ui::state::queries::today(now_ms);
    let mut lines: Vec<(i64, String)> = Vec::new();
    for r in mine {
        let (Some(ReportBody::Disturbance(d)), Some(o)) = (&r.report.body, &r.report.origin) else {
            continue;
        };
        if o.stamp.at < today.from_ms || r.status() == torgkoll_shared::Status::Withdrawn {
            continue;
        }
        for (i, n) in &d.interventions {
            let line = format!(
                "{} · {} × {} · {}",
                hhmm(o.stamp.at),
                n,
                i.label(lang),
                d.category.label(lang)
            );
            lines.push((o.stamp.at, line));
        }
    }
    lines.sort();
    lines.into_iter().map(|(_, l)| l).collect()
}

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
