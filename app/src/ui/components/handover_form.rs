//! Ending a shift: the app drafts what the next shift must know from the phone's data, the person adds a
//! short note (the same warning and limit as every note) and hands over.

use dioxus::prelude::*;
use torgkoll_shared::analytics::coverage::{LAST_CLEANED_LOOKBACK_MS, last_cleaned};
use torgkoll_shared::handover::draft_summary;
use torgkoll_shared::{HandoverSummary, Run};

use super::NoteInput;
use super::handover_card::summary_lines;
use crate::ui::i18n::Msg;
use crate::ui::state::actions::use_actions;
use crate::ui::state::background::use_store_background;
use crate::ui::state::queries::logged;
use crate::ui::state::{Services, use_lang, use_services};

/// Zones no machine has been in for this many hours are handed over.
pub const HANDOVER_STALE_H: u32 = 4;

/// The draft, from the phone's whole state and the last two weeks of machine runs.
fn draft(svc: &Services, shift_from: i64) -> HandoverSummary {
    let now = svc.now_ms();
    let store = svc.store();
    let state = logged("the state", store.state());
    let runs = logged(
        "the runs",
        store.runs_between(now - LAST_CLEANED_LOOKBACK_MS - 86_400_000, now + 1),
    );
    drop(store);
    let runs: Vec<Run> = runs.into_iter().map(|r| r.run).collect();
    let refs: Vec<&Run> = runs.iter().collect();
    let last = last_cleaned(&svc.site, &refs, now);
    draft_summary(&svc.site, &state, &last, shift_from, now, HANDOVER_STALE_H)
}

#[component]
pub fn HandoverForm(shift_from: i64, on_close: EventHandler<()>) -> Element {
    let lang = use_lang();
    let svc = use_services();
    let actions = use_actions();
    let mut note = use_signal(String::new);
    let summary = use_store_background(move || shift_from, draft);
    let drafted = match &*summary.read() {
        Some(Ok(s)) => Some(s.clone()),
        _ => None,
    };
    rsx! {
        div { class: "sheet", id: "handover-sheet",
            h2 { class: "sheet-title", "{Msg::HandOverTitle.t(lang)}" }
            p { class: "meta", "{Msg::HandOverIntro.t(lang)}" }
            match &drafted {
                Some(s) => rsx! {
                    ul { class: "handover-summary", id: "handover-draft",
                        for (i, l) in summary_lines(s, &svc.site, lang).into_iter().enumerate() {
                            li { key: "{i}", "{l}" }
                        }
                    }
                },
                None => rsx! {
                    p { class: "computing", "{Msg::Computing.t(lang)}" }
                },
            }
            NoteInput { id: "handover-note", value: note(), on_input: move |n| note.set(n) }
            div { class: "actions",
                button { id: "handover-cancel", onclick: move |_| on_close.call(()), "{Msg::Cancel.t(lang)}" }
                button {
                    class: "primary",
                    id: "handover-save",
                    disabled: drafted.is_none(),
                    onclick: move |_| {
                        let s = match &*summary.peek() {
                            Some(Ok(s)) => s.clone(),
                            _ => return,
                        };
                        if actions.hand_over(&note.peek(), s) {
                            on_close.call(());
                        }
                    },
                    "{Msg::HandOver.t(lang)}"
                }
            }
        }
    }
}
