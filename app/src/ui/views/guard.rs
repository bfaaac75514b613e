//! The guard's home: a disturbance in a few taps, or, one tap away, the same quick cleaning report the
//! cleaners have (needles or glass found without any disturbance).

use dioxus::prelude::*;

use super::{DisturbanceView, ReportView};
use crate::ui::i18n::Msg;
use crate::ui::state::use_lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Disturbance,
    Cleaning,
}

#[component]
pub fn GuardHome() -> Element {
    let lang = use_lang();
    let mut mode = use_signal(|| Mode::Disturbance);
    let m = mode();
    rsx! {
        div { class: "chips mode-toggle", role: "tablist",
            button {
                id: "mode-disturbance",
                class: if m == Mode::Disturbance { "on" } else { "" },
                onclick: move |_| mode.set(Mode::Disturbance),
                "{Msg::TabDisturbance.t(lang)}"
            }
            button {
                id: "mode-cleaning",
                class: if m == Mode::Cleaning { "on" } else { "" },
                onclick: move |_| mode.set(Mode::Cleaning),
                "{Msg::Cleaning.t(lang)}"
            }
        }
        match m {
            Mode::Disturbance => rsx! { DisturbanceView {} },
            Mode::Cleaning => rsx! { ReportView {} },
        }
    }
}
