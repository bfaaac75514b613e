//! "Öppna / Idag / Allt": which reports the field maps and lists show. By default everything still open
//! whatever its age and what closed today, so the night shift starts where the evening left off.

use dioxus::prelude::*;

use crate::store::FieldFilter;
use crate::ui::i18n::Msg;
use crate::ui::state::{use_lang, use_ui};

const CHOICES: [(FieldFilter, &str, Msg); 3] = [
    (FieldFilter::Open, "ff-open", Msg::FilterOpen),
    (FieldFilter::Today, "ff-today", Msg::Today),
    (FieldFilter::All, "ff-all", Msg::FilterAll),
];

#[component]
pub fn FieldFilterChips() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let mut filter = ui.field_filter;
    let now = filter();
    rsx! {
        div { class: "chips field-filter", role: "radiogroup",
            for (f, id, word) in CHOICES {
                button {
                    key: "{id}",
                    id,
                    class: if now == f { "on" } else { "" },
                    onclick: move |_| filter.set(f),
                    "{word.t(lang)}"
                }
            }
        }
    }
}
