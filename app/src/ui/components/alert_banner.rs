//! The red banner of an alert, on top of every screen until it is taken ("Jag tar det") or silenced
//! here ("Sett"): "AKUT · Bråk/våld · Fontänen · 23:14 · 3 pers." for a level-1 disturbance on a
//! guard's or the manager's phone, "NYTT UPPDRAG · Glaskross · Fontänen · 23:14 · Ordningsvakt · Vakt 1"
//! for a task on a cleaner's. Category, zone, time and a count only: never a report's free text.

use dioxus::prelude::*;
use torgkoll_shared::Lang;

use super::pins::{report_label, zone_label};
use crate::store::{Alert as AlertView, AlertKind};
use crate::ui::i18n::alerts::{Alert, asked_by};
use crate::ui::i18n::{Msg, day_hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::alerts::{use_active_alerts, use_alert_signals};
use crate::ui::state::{use_lang, use_services, use_ui};

/// How many banners stack on top before the rest are counted: the screen stays usable.
const SHOWN: usize = 2;

/// The banner's one line, in the order a person scans it.
pub fn banner_text(a: &AlertView, site: &torgkoll_shared::Site, now_ms: i64, lang: Lang) -> String {
    let r = &a.report;
    let when = r
        .report
        .when_ms()
        .map(|t| day_hhmm(t, now_ms))
        .unwrap_or_default();
    let mut parts = vec![
        match a.kind {
            AlertKind::Acute => Alert::Acute,
            AlertKind::Task => Alert::NewTask,
        }
        .t(lang)
        .to_owned(),
        report_label(r, lang),
        zone_label(site, r.zone.as_deref()),
        when,
    ];
    match a.kind {
        AlertKind::Acute => {
            if let Some(p) = r.report.people() {
                parts.push(format!("{p} {}", Msg::PeopleShort.t(lang)));
            }
        }
        AlertKind::Task => {
            if let Some(o) = &r.report.origin {
                parts.push(asked_by(o.role, r.report.requested_by(), lang));
            }
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}

/// Every active alert of this phone's role, newest on top, and the sound of a new one.
#[component]
pub fn AlertBanners() -> Element {
    let lang = use_lang();
    let alerts = use_active_alerts();
    use_alert_signals(alerts);
    let list = alerts.read().clone();
    if list.is_empty() {
        return rsx! {};
    }
    let more = list.len().saturating_sub(SHOWN);
    rsx! {
        div { class: "alerts", id: "alerts", role: "alert",
            for a in list.into_iter().take(SHOWN) {
                AlertBanner { key: "{a.report.report.id}", alert: a }
            }
            if more > 0 {
                div { class: "alert-more", id: "alerts-more", "+ {more} {Alert::MoreAlerts.t(lang)}" }
            }
        }
    }
}

#[component]
fn AlertBanner(alert: AlertView) -> Element {
    let lang = use_lang();
    let svc = use_services();
    let ui = use_ui();
    let actions = use_actions();
    let mut selected = ui.selected;
    let id = alert.report.report.id;
    let text = banner_text(&alert, &svc.site, svc.now_ms(), lang);
    let (class, take) = match alert.kind {
        AlertKind::Acute => ("alert-banner acute", Alert::TakeIt),
        AlertKind::Task => ("alert-banner task", Alert::TakeTask),
    };
    rsx! {
        div { class, id: "alert-{id}",
            button {
                class: "alert-text",
                id: "alert-open-{id}",
                onclick: move |_| selected.set(Some(id)),
                "{text}"
            }
            div { class: "alert-actions",
                button {
                    class: "take",
                    id: "alert-take-{id}",
                    onclick: move |_| {
                        actions.take(id);
                    },
                    "{take.t(lang)}"
                }
                button {
                    class: "seen",
                    id: "alert-seen-{id}",
                    onclick: move |_| actions.dismiss_alert(id),
                    "{Alert::Seen.t(lang)}"
                }
            }
        }
    }
}
