//! The setting "report where I stand when the position is better than ±N m", and which position source
//! this phone has. A stricter value asks for a tap more often; a looser one puts pins farther off.

use dioxus::prelude::*;

use crate::store::GOOD_FIX_SETTING;
use crate::ui::i18n::position::Pos;
use crate::ui::state::queries::use_store_query;
use crate::ui::state::{use_lang, use_services, use_ui};

/// The choices offered (metres).
pub const CHOICES: [f32; 4] = [10.0, 15.0, 25.0, 50.0];

#[component]
pub fn PositionSetting() -> Element {
    let svc = use_services();
    let ui = use_ui();
    let lang = use_lang();
    let current = use_store_query("the good-fix setting", |s, _| {
        Ok(crate::store::good_fix_accuracy_m(s))
    });
    let source = svc.position.name();
    rsx! {
        h2 { "{Pos::GoodFixSetting.t(lang)}" }
        div { class: "chips", id: "good-fix",
            for m in CHOICES {
                button {
                    key: "{m}",
                    id: "good-fix-{m}",
                    class: if current() == m { "on" } else { "" },
                    onclick: {
                        let svc = svc.clone();
                        move |_| {
                            let saved = svc.store().set_setting(GOOD_FIX_SETTING, &m.to_string());
                            if let Err(e) = saved {
                                tracing::warn!("saving the setting failed: {e}");
                            }
                            let mut rev = ui.rev;
                            *rev.write() += 1;
                        }
                    },
                    "±{m} m"
                }
            }
        }
        div { class: "kv meta", b { "{Pos::Source.t(lang)}" } span { id: "position-source", "{source}" } }
    }
}
