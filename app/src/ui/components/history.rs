//! A report's history on its sheet: who (this phone, or the author's role: never a name) did what, when,
//! newest first. Amendments say what they changed.

use dioxus::prelude::*;
use torgkoll_shared::vocab::level_label;
use torgkoll_shared::{Amendment, Classification, Lang, OpBody, Operation};
use uuid::Uuid;

use crate::store::HistoryEntry;
use crate::ui::i18n::alerts::Alert;
use crate::ui::i18n::{Msg, day_hhmm};
use crate::ui::state::queries::use_store_query;
use crate::ui::state::{use_lang, use_services, use_ui};

/// How many entries the sheet shows; older ones are counted.
const SHOWN: usize = 12;

#[component]
pub fn ReportHistory(id: Uuid) -> Element {
    let lang = use_lang();
    let ui = use_ui();
    let now = use_services().now_ms();
    let me = ui.identity.read().as_ref().map(|i| i.device);
    let history = use_store_query("a report's history", move |s, _| s.history(id));
    let entries = history.read();
    let hidden = entries.len().saturating_sub(SHOWN);
    rsx! {
        h2 { "{Msg::History.t(lang)}" }
        ol { class: "history", id: "history",
            for e in entries.iter().rev().take(SHOWN) {
                li { key: "{e.op.id}", class: "history-entry",
                    span { class: "when", "{day_hhmm(op_time(&e.op), now)}" }
                    span { class: "who",
                        if Some(e.op.device) == me { "{Msg::You.t(lang)}" } else { "{e.op.role.label(lang)}" }
                    }
                    span { class: "what", "{what(e, lang)}" }
                }
            }
        }
        if hidden > 0 {
            div { class: "meta", "+ {hidden} {Msg::Older.t(lang)}" }
        }
    }
}

/// When an operation was made, corrected by the server once it has seen it.
fn op_time(op: &Operation) -> i64 {
    op.fix.map_or(op.wall_ms, |f| f.at)
}

/// What an entry did, in words.
fn what(e: &HistoryEntry, lang: Lang) -> String {
    let op = &e.op;
    let shift = op_time(op) - op.wall_ms;
    match &op.body {
        OpBody::Clean(_) | OpBody::Disturbance(_) => Msg::Reported.t(lang).to_owned(),
        OpBody::CleanRequest { .. } => Msg::CleaningRequested.t(lang).to_owned(),
        OpBody::StillThere { .. } => Msg::StillThere.t(lang).to_owned(),
        OpBody::Resolve { .. } => Msg::Cleaned.t(lang).to_owned(),
        OpBody::Withdraw { .. } => Msg::StatusWithdrawn.t(lang).to_owned(),
        OpBody::Duplicate { .. } => Msg::StatusDuplicate.t(lang).to_owned(),
        OpBody::Review { .. } => Msg::Reviewed.t(lang).to_owned(),
        OpBody::Reclassify { to, .. } => {
            let label = match to {
                Classification::Cleaning(c) => c.label(lang),
                Classification::Disturbance(d) => d.label(lang),
            };
            format!("{}: {label}", Msg::Reclassified.t(lang))
        }
        OpBody::Details { amount, note, .. } => {
            let change = Amendment {
                amount: *amount,
                note: note.clone(),
                ..Amendment::default()
            };
            changed(&change, shift, lang)
        }
        OpBody::Amend { change, .. } => changed(change, shift, lang),
        OpBody::RunStart { .. }
        | OpBody::RunPoints { .. }
        | OpBody::RunStop { .. }
        | OpBody::Handover(_) => op.body.name().to_owned(),
        OpBody::Photo { .. } => match lang {
            Lang::Sv => "Foto tillagt".to_owned(),
            Lang::En => "Photo added".to_owned(),
        },
        OpBody::Take { by, .. } => format!("{} {by}", Alert::TakenBy.t(lang)),
    }
}

/// "Ändrad: Nivå 1 – Akut · Antal personer 4 · …".
fn changed(c: &Amendment, shift_ms: i64, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(h) = c.happened {
        parts.push(format!(
            "{} {}",
            Msg::When.t(lang),
            crate::ui::i18n::hhmm(h + shift_ms)
        ));
    }
    if let Some(l) = c.level {
        parts.push(format!("{} {}", Msg::Level.t(lang), level_label(l, lang)));
    }
    if let Some(p) = c.people {
        parts.push(format!("{} {p}", Msg::People.t(lang)));
    }
    if let Some(iv) = &c.interventions {
        let list: Vec<String> = iv
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| format!("{} {n}", i.label(lang)))
            .collect();
        let list = if list.is_empty() {
            Msg::NoneOf.t(lang).to_owned()
        } else {
            list.join(", ")
        };
        parts.push(format!("{}: {list}", Msg::Interventions.t(lang)));
    }
    if let Some(a) = c.amount {
        parts.push(format!("{} {}", Msg::Amount.t(lang), a.label(lang)));
    }
    match c.note.as_deref() {
        Some("") => parts.push(Msg::NoteRemoved.t(lang).to_owned()),
        Some(n) => parts.push(format!("{} «{n}»", Msg::Note.t(lang))),
        None => {}
    }
    format!("{}: {}", Msg::Changed.t(lang), parts.join(" · "))
}
