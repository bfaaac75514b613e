//! A +/- counter with big buttons.

use dioxus::prelude::*;

#[component]
pub fn Counter(
    id: String,
    label: String,
    value: u16,
    min: u16,
    max: u16,
    on_change: EventHandler<u16>,
) -> Element {
    rsx! {
        div { class: "counter",
            span { class: "label", "{label}" }
            button {
                id: "{id}-minus",
                "aria-label": "−",
                disabled: value <= min,
                onclick: move |_| on_change.call(value.saturating_sub(1).max(min)),
                "−"
            }
            span { class: "value", id: "{id}-value", "{value}" }
            button {
                id: "{id}-plus",
                "aria-label": "+",
                disabled: value >= max,
                onclick: move |_| on_change.call((value + 1).min(max)),
                "+"
            }
        }
    }
}
