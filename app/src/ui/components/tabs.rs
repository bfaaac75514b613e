//! The bottom tabs: the screens of this phone's role.

use dioxus::prelude::*;

use crate::ui::i18n::Msg;
use crate::ui::state::{Screen, use_lang, use_role, use_ui};

pub fn screen_title(s: Screen) -> Msg {
    match s {
        Screen::Report => Msg::TabReport,
        Screen::Runs => Msg::TabRuns,
        Screen::Disturbance => Msg::TabDisturbance,
        Screen::Map => Msg::TabMap,
        Screen::Mine => Msg::TabShift,
        Screen::All => Msg::TabAll,
        Screen::Review => Msg::TabReview,
        Screen::Settings => Msg::TabSettings,
    }
}

#[component]
pub fn Tabs() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let role = use_role();
    let mut screen = ui.screen;
    let mut selected = ui.selected;
    let current = screen();
    rsx! {
        nav { class: "tabs",
            for s in Screen::tabs(role).iter().copied() {
                button {
                    key: "{s.id()}",
                    id: s.id(),
                    class: if s == current { "active" } else { "" },
                    onclick: move |_| {
                        selected.set(None);
                        screen.set(s);
                    },
                    "{screen_title(s).t(lang)}"
                }
            }
        }
    }
}
