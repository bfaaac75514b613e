//! The toast: "Sparad" with a 5-second undo and a way to change the report (amount, note, level...).

use dioxus::prelude::*;

use crate::ui::i18n::Msg;
use crate::ui::state::actions::use_actions;
use crate::ui::state::{use_lang, use_ui};

#[component]
pub fn ToastBar() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let Some(t) = (ui.toast)() else {
        return rsx! {};
    };
    let mut details_for = ui.details_for;
    rsx! {
        div { class: if t.error { "toast error" } else { "toast" }, id: "toast", role: "status",
            span { class: "toast-text", id: "toast-text", "{t.text}" }
            if let Some((report, deadline)) = t.undo {
                button {
                    id: "add-details",
                    onclick: move |_| details_for.set(Some(report)),
                    "{Msg::AddDetails.t(lang)}"
                }
                button {
                    id: "undo",
                    onclick: move |_| actions.undo(report, deadline),
                    "{Msg::Undo.t(lang)}"
                }
            }
        }
    }
}
