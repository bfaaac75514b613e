//! The theme in the settings: automatic, day or night, and today's sunrise and sunset at the site so that
//! "automatic" says what it will do.

use dioxus::prelude::*;
use torgkoll_shared::Lang;
use torgkoll_shared::calendar::{local_date, local_hhmm};
use torgkoll_shared::sun::{SunDay, sun_day};

use crate::ui::i18n::Msg;
use crate::ui::state::theme::{ThemeChoice, use_theme};
use crate::ui::state::{use_lang, use_services};

#[component]
pub fn ThemeSetting() -> Element {
    let lang = use_lang();
    let theme = use_theme();
    let svc = use_services();
    let chosen = (theme.choice)();
    let today = sun_day(&svc.site, local_date(svc.now_ms()));
    rsx! {
        h2 { "{Msg::Theme.t(lang)}" }
        div { class: "chips theme",
            for choice in ThemeChoice::ALL {
                button {
                    key: "{choice.code()}",
                    id: choice.id(),
                    class: if chosen == choice { "on" } else { "" },
                    onclick: move |_| theme.choose(choice),
                    "{choice.label(lang)}"
                }
            }
        }
        p { class: "meta", "{Msg::ThemeAutoHint.t(lang)}" }
        if let Some(day) = today {
            p { class: "meta", id: "sun-today", "{Msg::SunToday.t(lang)}: {sun_words(day, lang)}" }
        }
    }
}

/// "soluppgång 08:43, solnedgång 14:48", or what the sun does not do today.
fn sun_words(day: SunDay, lang: Lang) -> String {
    match day {
        SunDay::RiseSet { rise_ms, set_ms } => {
            let parts: Vec<String> = [(Msg::Sunrise, rise_ms), (Msg::Sunset, set_ms)]
                .into_iter()
                // To the nearest minute, as almanacs print them.
                .filter_map(|(m, t)| {
                    t.map(|t| format!("{} {}", m.t(lang), local_hhmm(t.saturating_add(30_000))))
                })
                .collect();
            parts.join(", ")
        }
        SunDay::Up => Msg::MidnightSun.t(lang).to_owned(),
        SunDay::Down => Msg::PolarNight.t(lang).to_owned(),
    }
}
