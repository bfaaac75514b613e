//! Amount and note, added after a quick report. Never required.

use dioxus::prelude::*;
use torgkoll_shared::Amount;
use torgkoll_shared::validate::MAX_NOTE_CHARS;
use uuid::Uuid;

use crate::ui::i18n::Msg;
use crate::ui::state::actions::use_actions;
use crate::ui::state::{use_lang, use_ui};

#[component]
pub fn DetailsSheet(id: Uuid) -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let mut details_for = ui.details_for;
    let mut amount = use_signal(|| None::<Amount>);
    let mut note = use_signal(String::new);
    let left = MAX_NOTE_CHARS as i64 - note.read().chars().count() as i64;
    rsx! {
        div { class: "sheet", id: "details-sheet",
            h2 { "{Msg::Amount.t(lang)}" }
            div { class: "chips",
                for a in Amount::ALL.iter().copied() {
                    button {
                        key: "{a.code()}",
                        id: "amount-{a.code()}",
                        class: if amount() == Some(a) { "on" } else { "" },
                        onclick: move |_| amount.set(if amount() == Some(a) { None } else { Some(a) }),
                        "{a.label(lang)}"
                    }
                }
            }
            h2 { "{Msg::Note.t(lang)}" }
            div { class: "warning", "{Msg::NoteWarning.t(lang)}" }
            textarea {
                id: "details-note",
                maxlength: "{MAX_NOTE_CHARS}",
                value: "{note}",
                oninput: move |e| note.set(e.value()),
            }
            div { class: "meta", "{left} {Msg::Remaining.t(lang)}" }
            div { class: "actions",
                button { id: "details-cancel", onclick: move |_| details_for.set(None), "{Msg::Cancel.t(lang)}" }
                button {
                    class: "primary",
                    id: "details-save",
                    onclick: move |_| {
                        let n = note.peek().clone();
                        if actions.add_details(id, *amount.peek(), Some(n)) {
                            details_for.set(None);
                        }
                    },
                    "{Msg::Save.t(lang)}"
                }
            }
        }
    }
}
