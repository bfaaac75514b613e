//! "Mitt pass": the shift on this phone. Start it (or let the first report after hours of quiet start
//! it), see it, and end it with a handover. A guard's shift list for the duty report, the manager's view
//! of every handover, and this phone's own reports with their sync state.

use dioxus::prelude::*;
use torgkoll_shared::Role;
use uuid::Uuid;

use crate::ui::components::ReportList;
use crate::ui::components::handover_card::HandoverCard;
use crate::ui::components::handover_form::HandoverForm;
use crate::ui::components::shift_list::{ShiftDoc, ShiftList};
use crate::ui::i18n::{Msg, clock_off, day_hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::{use_my_reports, use_shift, use_store_query};
use crate::ui::state::{use_lang, use_role, use_services, use_ui};

/// How many of its own reports the phone lists.
pub const MINE_LIMIT: usize = 200;

/// How many handovers the manager sees.
pub const HANDOVERS_SHOWN: usize = 30;

#[component]
pub fn ShiftView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let role = use_role();
    let mine = use_my_reports(MINE_LIMIT);
    let mut selected = ui.selected;
    rsx! {
        div { class: "scroll", id: "mine",
            h1 { "{Msg::MyShift.t(lang)}" }
            ShiftPanel {}
            if role == Role::Manager {
                Handovers {}
            }
            h2 { "{Msg::TabMine.t(lang)}" }
            ReportList { reports: mine(), on_pick: move |id: Uuid| selected.set(Some(id)) }
        }
    }
}

/// The shift: not started ("Starta pass"), or running, with the guard's list and "Avsluta pass".
#[component]
fn ShiftPanel() -> Element {
    let lang = use_lang();
    let role = use_role();
    let svc = use_services();
    let actions = use_actions();
    let shift = use_shift();
    let mut ending = use_signal(|| false);
    let site = svc.site.clone();
    let doc = use_store_query("the shift's disturbances", move |s, now| {
        let Some(shift) = s.shift()? else {
            return Ok(None);
        };
        let reports = s.my_disturbances(shift.start_ms, now)?;
        Ok(Some(ShiftDoc::of(&site, &reports, shift.start_ms, now)))
    });
    let now = svc.now_ms();
    let Some(shift) = shift() else {
        return rsx! {
            section { class: "shift-box", id: "shift-box",
                p { "{Msg::NoShift.t(lang)}" }
                button { class: "primary", id: "shift-start", onclick: move |_| { actions.start_shift(); }, "{Msg::StartShift.t(lang)}" }
            }
        };
    };
    rsx! {
        section { class: "shift-box on", id: "shift-box",
            p { id: "shift-since",
                b { "{Msg::ShiftSince.t(lang)} {day_hhmm(shift.start_ms, now)}" }
                " ({clock_off(now - shift.start_ms, lang)})"
            }
            if role != Role::Cleaner {
                if let Some(doc) = doc() {
                    h2 { "{Msg::ShiftListHeading.t(lang)}" }
                    ShiftList { doc }
                }
            }
            if ending() {
                HandoverForm { shift_from: shift.start_ms, on_close: move |_| ending.set(false) }
            } else {
                button { class: "primary stop", id: "shift-end", onclick: move |_| ending.set(true), "{Msg::EndShift.t(lang)}" }
            }
        }
    }
}

/// Every role's handovers, newest first (the manager's view).
#[component]
fn Handovers() -> Element {
    let lang = use_lang();
    let all = use_store_query("the handovers", |s, _| s.handovers(HANDOVERS_SHOWN));
    rsx! {
        h2 { "{Msg::Handovers.t(lang)}" }
        div { id: "handovers",
            if all.read().is_empty() {
                p { class: "meta", "{Msg::NoHandovers.t(lang)}" }
            }
            for v in all() {
                HandoverCard { key: "{v.handover.id}", view: v }
            }
        }
    }
}
