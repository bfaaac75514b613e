//! A short free-text note under the warning never to write identities, with the characters left.

use dioxus::prelude::*;
use torgkoll_shared::validate::MAX_NOTE_CHARS;

use crate::ui::i18n::Msg;
use crate::ui::state::use_lang;

#[component]
pub fn NoteInput(id: String, value: String, on_input: EventHandler<String>) -> Element {
    let lang = use_lang();
    let left = MAX_NOTE_CHARS as i64 - value.chars().count() as i64;
    rsx! {
        h2 { "{Msg::Note.t(lang)}" }
        div { class: "warning", id: "{id}-warning", "⚠ {Msg::NoteWarning.t(lang)}" }
        textarea {
            id: "{id}",
            maxlength: "{MAX_NOTE_CHARS}",
            value: "{value}",
            oninput: move |e| on_input.call(e.value()),
        }
        div { class: "meta", "{left} {Msg::Remaining.t(lang)}" }
    }
}
