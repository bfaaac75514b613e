//! A handover as the next shift reads it: which shift, what it left open (by zone and age), open
//! cleaning tasks, zones without a machine for hours, its disturbances, and the person's note.

use dioxus::prelude::*;
use torgkoll_shared::{HandedOver, HandoverSummary, Lang, Site};

use crate::store::HandoverView;
use crate::ui::i18n::{Msg, day_hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::{use_lang, use_services};

/// An age in hours as a person reads it: "< 1 h", "5 h", "3 d" (the same in both languages).
pub fn age(hours: u32) -> String {
    match hours {
        0 => "< 1 h".to_owned(),
        h if h < 48 => format!("{h} h"),
        h => format!("{} d", h / 24),
    }
}

fn zone_name(site: &Site, id: &str) -> String {
    super::pins::zone_label(site, Some(id))
}

/// The summary, one line per thing to know.
pub fn summary_lines(s: &HandoverSummary, site: &Site, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    for z in &s.open {
        lines.push(format!(
            "{}: {} {}, {} {}",
            zone_name(site, &z.zone),
            z.count,
            Msg::OpenItems.t(lang),
            Msg::OldestAge.t(lang),
            age(z.oldest_h)
        ));
    }
    if s.open_tasks > 0 {
        lines.push(format!("{}: {}", Msg::OpenTasks.t(lang), s.open_tasks));
    }
    if !s.not_cleaned.is_empty() {
        let zones: Vec<String> = s.not_cleaned.iter().map(|z| zone_name(site, z)).collect();
        lines.push(format!(
            "{} {} h: {}",
            Msg::NoMachineFor.t(lang),
            s.not_cleaned_h,
            zones.join(", ")
        ));
    }
    if s.disturbances > 0 {
        lines.push(format!(
            "{}: {}, {} {}",
            Msg::Disturbances.t(lang),
            s.disturbances,
            Msg::OfWhichAcute.t(lang),
            s.level1
        ));
    }
    if lines.is_empty() {
        lines.push(Msg::NothingOpen.t(lang).to_owned());
    }
    lines
}

/// "Överlämning · Ordningsvakt · pass 18:02–02:10".
fn title(h: &HandedOver, now: i64, lang: Lang) -> String {
    format!(
        "{} · {} · {} {}–{}",
        Msg::Handover.t(lang),
        h.origin.role.label(lang),
        Msg::Shift.t(lang),
        day_hhmm(h.handover.shift_from, now),
        day_hhmm(h.origin.stamp.at, now)
    )
}

/// A handover, with "Läst" when it is unread on this phone.
#[component]
pub fn HandoverCard(view: HandoverView, #[props(default)] top: bool) -> Element {
    let lang = use_lang();
    let svc = use_services();
    let actions = use_actions();
    let now = svc.now_ms();
    let h = &view.handover;
    let id = h.id;
    let lines = summary_lines(&h.handover.summary, &svc.site, lang);
    rsx! {
        section {
            class: if top { "handover-card top" } else { "handover-card" },
            id: if top { "handover-card".to_owned() } else { format!("handover-{id}") },
            h2 { "{title(h, now, lang)}" }
            if let Some(note) = &h.handover.note {
                p { class: "handover-note", "«{note}»" }
            }
            ul { class: "handover-summary",
                for (i, l) in lines.into_iter().enumerate() {
                    li { key: "{i}", "{l}" }
                }
            }
            if view.read_ms.is_none() {
                button {
                    class: "primary",
                    id: if top { "handover-read".to_owned() } else { format!("handover-read-{id}") },
                    onclick: move |_| actions.mark_handover_read(id),
                    "{Msg::MarkRead.t(lang)}"
                }
            } else {
                div { class: "meta", "✓ {Msg::Read.t(lang)}" }
            }
        }
    }
}

/// The newest handover of this phone's role not read here yet, on top of the home screen until someone
/// marks it read; then the next unread one, if any.
#[component]
pub fn UnreadHandover() -> Element {
    let lang = use_lang();
    let role = crate::ui::state::use_role();
    let unread = crate::ui::state::queries::use_store_query("unread handovers", move |s, _| {
        s.unread_handovers(role)
    });
    let list = unread.read();
    let Some(first) = list.first().cloned() else {
        return rsx! {};
    };
    let more = list.len() - 1;
    rsx! {
        HandoverCard { view: first, top: true }
        if more > 0 {
            div { class: "meta handover-more", "+ {more} {Msg::MoreUnread.t(lang)}" }
        }
    }
}
