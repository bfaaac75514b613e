//! The sheet of a tapped pin: what it is, its state, and what can be done about it here.

use dioxus::prelude::*;
use torgkoll_shared::{CleaningCategory, ReportBody, Role, Status, vocab::level_label};
use uuid::Uuid;

use super::ReportHistory;
use super::photo_strip::PhotoStrip;
use super::pins::{report_label, status_label, sync_badge, times_label, zone_label};
use crate::store::SyncState;
use crate::ui::explain::refusal_text;
use crate::ui::i18n::alerts::{Alert, asked_by, take_line, taken_label};
use crate::ui::i18n::{Msg, day_hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::{use_report, visible_to};
use crate::ui::state::{use_lang, use_role, use_services, use_ui};

/// What a guard can ask cleaners for from a disturbance.
pub const TASK_CATEGORIES: [CleaningCategory; 5] = [
    CleaningCategory::Glaskross,
    CleaningCategory::Spyor,
    CleaningCategory::Kanyler,
    CleaningCategory::Nedskrapning,
    CleaningCategory::Annat,
];

#[component]
pub fn ReportSheet(id: Uuid) -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let role = use_role();
    let actions = use_actions();
    let mut selected = ui.selected;
    let mut details_for = ui.details_for;
    let report = use_report(id);
    let Some(r) = report() else {
        return rsx! {};
    };
    let svc = use_services();
    let now = svc.now_ms();
    // The tasks a guard may ask for that this site uses.
    let task_categories: Vec<CleaningCategory> = TASK_CATEGORIES
        .into_iter()
        .filter(|c| svc.site.vocabulary.cleaning.contains(c))
        .collect();
    let when = r
        .report
        .when_ms()
        .map(|t| day_hhmm(t, now))
        .unwrap_or_default();
    let at = r.report.at();
    let is_disturbance = matches!(r.report.body, Some(ReportBody::Disturbance(_)));
    // A disturbance is dated by when it happened, which its author may give after the fact.
    let when_label = if is_disturbance {
        Msg::Time
    } else {
        Msg::Reported
    }
    .t(lang);
    let open = r.status() == Status::Open;
    let level = match (
        r.report.level(),
        r.report.people(),
        r.report.interventions(),
    ) {
        (Some(l), Some(p), Some(iv)) => Some((l, p, iv.clone())),
        _ => None,
    };
    let changeable = r.mine && !matches!(r.status(), Status::Withdrawn | Status::Duplicate);
    let amount = r.report.amount().map(|a| a.label(lang));
    let is_task = r.report.is_task();
    let take_state = take_line(&r.report, now, lang).unwrap_or_default();
    let asked = r
        .report
        .origin
        .as_ref()
        .map(|o| asked_by(o.role, r.report.requested_by(), lang))
        .unwrap_or_default();
    // "Jag tar det" on a level-1 alert (guards, the manager) and "Jag tar den" on a task (cleaners, the
    // manager), while it is open and nobody has it.
    let takeable = open
        && r.report.taken.is_none()
        && match role {
            Role::Cleaner => is_task,
            Role::Guard => r.report.level() == Some(1),
            Role::Manager => is_task || r.report.level() == Some(1),
        };
    let take_word = if is_task {
        Alert::TakeTask
    } else {
        Alert::TakeIt
    };
    let tasks: Vec<Uuid> = r.report.tasks.iter().copied().collect();
    let note = r.report.note().map(str::to_owned);
    rsx! {
        div { class: "sheet", id: "report-sheet",
            h2 { "{report_label(&r, lang)}" }
            div { class: "kv", b { "{Msg::Zone.t(lang)}" } "{zone_label(&svc.site, r.zone.as_deref())}" }
            div { class: "kv", b { "{when_label}" } "{when} · {times_label(r.report.count(), lang)}" }
            div { class: "kv", id: "sheet-status", b { "Status" } "{status_label(r.status(), lang)}" }
            if is_task {
                div { class: "kv", id: "sheet-asked-by", b { "{Alert::AskedBy.t(lang)}" } "{asked}" }
                div { class: "kv taken", id: "sheet-task-state", b { "{Alert::TaskState.t(lang)}" } "{take_state}" }
            } else if let Some(t) = &r.report.taken {
                div { class: "kv taken", id: "sheet-taken", "{taken_label(&t.by, t.at(), now, lang)}" }
            }
            if let Some((level, people, interventions)) = level {
                div { class: "kv", b { "{Msg::Level.t(lang)}" } "{level_label(level, lang)}" }
                div { class: "kv", b { "{Msg::People.t(lang)}" } "{people}" }
                for (i, n) in interventions.into_iter().filter(|(_, n)| *n > 0) {
                    div { class: "kv", key: "{i.code()}", b { "{i.label(lang)}" } "{n}" }
                }
            }
            if let Some(a) = amount {
                div { class: "kv", b { "{Msg::Amount.t(lang)}" } "{a}" }
            }
            if let Some(n) = note {
                div { class: "kv", b { "{Msg::Note.t(lang)}" } "{n}" }
            }
            if visible_to(role, &r) {
                PhotoStrip { report: id, can_add: changeable }
            }
            if let Some(s) = &r.sync {
                div { class: "kv",
                    span { class: "badge {sync_badge(s, lang).0}", "{sync_badge(s, lang).1}" }
                    if let SyncState::Rejected(refusal) = s {
                        div { class: "reason", "{refusal_text(refusal, lang)}" }
                    }
                }
            }
            if !tasks.is_empty() {
                RequestedTasks { ids: tasks }
            }
            div { class: "actions",
                if takeable {
                    button {
                        class: "take",
                        id: "act-take",
                        onclick: move |_| {
                            actions.take(id);
                        },
                        "{take_word.t(lang)}"
                    }
                }
                if !is_disturbance {
                    if open {
                        button {
                            class: "primary",
                            id: "act-resolve",
                            onclick: move |_| {
                                if actions.resolve(id) {
                                    selected.set(None);
                                }
                            },
                            "{Msg::Cleaned.t(lang)}"
                        }
                    }
                    button {
                        id: "act-still-there",
                        onclick: move |_| {
                            if actions.still_there(id) {
                                selected.set(None);
                            }
                        },
                        "{Msg::StillThere.t(lang)}"
                    }
                }
                if changeable {
                    button {
                        id: "act-details",
                        onclick: move |_| {
                            selected.set(None);
                            details_for.set(Some(id));
                        },
                        "{Msg::AddDetails.t(lang)}"
                    }
                }
            }
            if is_disturbance && role != Role::Cleaner {
                if let Some(at) = at {
                    h2 { "{Msg::RequestCleaning.t(lang)}" }
                    div { class: "chips",
                        for c in task_categories.iter().copied() {
                            button {
                                key: "{c.code()}",
                                id: "task-{c.code()}",
                                onclick: move |_| {
                                    if actions.request_cleaning(id, c, at) {
                                        selected.set(None);
                                    }
                                },
                                "{c.label(lang)}"
                            }
                        }
                    }
                }
            }
            ReportHistory { id }
            div { class: "actions",
                button { id: "sheet-close", onclick: move |_| selected.set(None), "{Msg::Close.t(lang)}" }
            }
        }
    }
}

/// The cleaning tasks asked for from a disturbance, each with where it stands ("väntar", "tagen av
/// Plock 1 23:15", "klar 23:40"): what the requester follows on the disturbance's sheet.
#[component]
fn RequestedTasks(ids: Vec<Uuid>) -> Element {
    let lang = use_lang();
    let now = use_services().now_ms();
    let tasks = crate::ui::state::queries::use_store_query("a disturbance's tasks", move |s, _| {
        ids.iter()
            .filter_map(|id| s.report(*id).transpose())
            .collect::<crate::store::Result<Vec<_>>>()
    });
    rsx! {
        h2 { "{Alert::Tasks.t(lang)}" }
        ul { class: "sheet-tasks", id: "sheet-tasks",
            for t in tasks.read().iter() {
                li { key: "{t.report.id}", id: "sheet-task-{t.report.id}",
                    b { "{report_label(t, lang)}" }
                    " · {take_line(&t.report, now, lang).unwrap_or_default()}"
                }
            }
        }
    }
}
