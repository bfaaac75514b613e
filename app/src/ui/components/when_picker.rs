//! "När?": when an incident happened, for the guard who logs it after the fact. Now, 5, 15 or 30 minutes
//! ago, or a time typed in, which must lie within the shift.

use dioxus::prelude::*;
use torgkoll_shared::calendar::{last_local_at, parse_hhmm};

use crate::ui::i18n::{Msg, hhmm};
use crate::ui::state::use_lang;

/// The minutes-ago chips.
pub const AGO_MINUTES: [u16; 3] = [5, 15, 30];

/// A choice of when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Now,
    /// Minutes before the moment of saving.
    Ago(u16),
    /// A chosen instant.
    At(i64),
}

impl When {
    /// The time it happened, `None` for "now" (the moment of saving).
    pub fn resolve(self, now_ms: i64) -> Option<i64> {
        match self {
            When::Now => None,
            When::Ago(m) => Some(now_ms - i64::from(m) * 60_000),
            When::At(t) => Some(t),
        }
    }
}

#[component]
pub fn WhenPicker(
    /// Keeps element ids apart where two forms could be on screen.
    prefix: String,
    value: When,
    now: i64,
    /// The earliest time that may be chosen (the shift's start).
    earliest: i64,
    on_change: EventHandler<When>,
) -> Element {
    let lang = use_lang();
    let mut problem = use_signal(|| false);
    let chosen = value.resolve(now);
    rsx! {
        h2 { "{Msg::When.t(lang)}" }
        div { class: "chips when",
            button {
                id: "{prefix}when-now",
                class: if value == When::Now { "on" } else { "" },
                onclick: move |_| {
                    problem.set(false);
                    on_change.call(When::Now)
                },
                "{Msg::Now.t(lang)}"
            }
            for m in AGO_MINUTES {
                button {
                    key: "{m}",
                    id: "{prefix}when-{m}",
                    class: if value == When::Ago(m) { "on" } else { "" },
                    onclick: move |_| {
                        problem.set(false);
                        on_change.call(When::Ago(m))
                    },
                    "−{m} min"
                }
            }
            button {
                id: "{prefix}when-other",
                class: if matches!(value, When::At(_)) { "on" } else { "" },
                onclick: move |_| on_change.call(When::At(now - now.rem_euclid(60_000))),
                "{Msg::OtherTime.t(lang)}"
            }
        }
        if let When::At(t) = value {
            input {
                r#type: "time",
                id: "{prefix}when-time",
                value: "{hhmm(t)}",
                oninput: move |e| {
                    let Some((h, m)) = parse_hhmm(&e.value()) else { return };
                    let t = last_local_at(now, h, m);
                    problem.set(t < earliest);
                    if t >= earliest {
                        on_change.call(When::At(t));
                    }
                },
            }
        }
        if problem() {
            div { class: "error-text", id: "{prefix}when-problem",
                "{Msg::TimeOutsideShift.t(lang)} {hhmm(earliest)}."
            }
        } else if let Some(t) = chosen {
            div { class: "meta", id: "{prefix}when-at", "{Msg::HappenedAt.t(lang)} {hhmm(t)}" }
        }
    }
}
