//! Settings: the language, the theme and the position rule (kept with the data) and who this phone is.

use dioxus::prelude::*;
use torgkoll_shared::Lang;

use crate::ui::components::{PositionSetting, ThemeSetting};
use crate::ui::i18n::Msg;
use crate::ui::state::actions::use_actions;
use crate::ui::state::{use_lang, use_ui};

#[component]
pub fn SettingsView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let identity = ui.identity.read().clone();
    rsx! {
        div { class: "scroll", id: "settings",
            h1 { "{Msg::TabSettings.t(lang)}" }
            h2 { "{Msg::Language.t(lang)}" }
            div { class: "chips lang",
                button {
                    id: "lang-sv",
                    class: if lang == Lang::Sv { "on" } else { "" },
                    onclick: move |_| actions.set_lang(Lang::Sv),
                    "Svenska"
                }
                button {
                    id: "lang-en",
                    class: if lang == Lang::En { "on" } else { "" },
                    onclick: move |_| actions.set_lang(Lang::En),
                    "English"
                }
            }
            ThemeSetting {}
            PositionSetting {}
            if let Some(id) = identity {
                h2 { "{Msg::Device.t(lang)}" }
                div { class: "kv", b { "{Msg::Role.t(lang)}" } span { id: "role", "{id.role.label(lang)}" } }
                div { class: "kv", b { "{Msg::Name.t(lang)}" } "{id.name}" }
                div { class: "kv", b { "{Msg::Server.t(lang)}" } "{id.server}" }
                div { class: "kv meta", "{id.device}" }
            }
        }
    }
}
