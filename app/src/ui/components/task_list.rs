//! The cleaner's open tasks ("Uppdrag"), on top of every screen but the settings until done: what
//! (category), where (zone), who asked (role and device name) and when, how urgent (the amount when the
//! request gave one, and how long it has waited), where it stands (väntar / tagen av X 23:15), with
//! "Jag tar den" and "Klar". Untaken first, then newest first.

use dioxus::prelude::*;

use super::pins::{report_label, zone_label};
use crate::store::ReportView;
use crate::ui::i18n::alerts::{Alert, asked_by, take_line};
use crate::ui::i18n::{Msg, day_hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::alerts::use_open_tasks;
use crate::ui::state::{use_lang, use_services};

/// The open tasks, when there are any (the list scrolls within its own height).
#[component]
pub fn TaskList() -> Element {
    let lang = use_lang();
    let tasks = use_open_tasks();
    let list = tasks.read().clone();
    if list.is_empty() {
        return rsx! {};
    }
    rsx! {
        section { class: "task-list", id: "task-list",
            h2 { "{Alert::Tasks.t(lang)} ({list.len()})" }
            ul {
                for t in list {
                    TaskRow { key: "{t.report.id}", task: t }
                }
            }
        }
    }
}

#[component]
fn TaskRow(task: ReportView) -> Element {
    let lang = use_lang();
    let svc = use_services();
    let actions = use_actions();
    let now = svc.now_ms();
    let r = &task.report;
    let id = r.id;
    let made = r.origin.as_ref().map(|o| o.stamp.at);
    let who = r
        .origin
        .as_ref()
        .map(|o| asked_by(o.role, r.requested_by(), lang))
        .unwrap_or_default();
    let when = made.map(|t| day_hhmm(t, now)).unwrap_or_default();
    let zone = zone_label(&svc.site, task.zone.as_deref());
    let state = take_line(r, now, lang).unwrap_or_default();
    let untaken = r.taken.is_none();
    let waited = made.filter(|_| untaken).map(|t| {
        format!(
            "{} {} {}",
            Alert::Waited.t(lang),
            (now - t).max(0) / 60_000,
            Msg::Minutes.t(lang)
        )
    });
    let amount = r
        .amount()
        .map(|a| format!("{} {}", Msg::Amount.t(lang), a.label(lang).to_lowercase()));
    let urgency: Vec<String> = amount.into_iter().chain(waited).collect();
    rsx! {
        li { class: if untaken { "task-row untaken" } else { "task-row" }, id: "open-task-{id}",
            div { class: "task-head",
                b { class: "task-what", "{report_label(&task, lang)}" }
                span { class: "task-zone", "{zone}" }
            }
            div { class: "meta", "{Alert::AskedBy.t(lang)}: {who} · {when}" }
            if !urgency.is_empty() {
                div { class: "meta task-urgency", "{Alert::Urgency.t(lang)}: {urgency.join(\" · \")}" }
            }
            div { class: "task-state", id: "open-task-state-{id}", "{state}" }
            div { class: "task-actions",
                if untaken {
                    button {
                        class: "take",
                        id: "open-task-take-{id}",
                        onclick: move |_| {
                            actions.take(id);
                        },
                        "{Alert::TakeTask.t(lang)}"
                    }
                }
                button {
                    class: "primary",
                    id: "open-task-done-{id}",
                    onclick: move |_| {
                        actions.task_done(id);
                    },
                    "{Alert::Done.t(lang)}"
                }
            }
        }
    }
}
