//! "Telefoner": who is out there. Every enrolled phone as the server last heard from it, fetched from
//! `GET /v1/review/devices` when the view opens and on "Uppdatera": silent phones on top in red (the rule
//! is `torgkoll_shared::devices`, evaluated by the server), then those in contact, the never-synced,
//! and the ones not in use this shift. Offline, the last list stays with the time it was fetched.

use dioxus::prelude::*;

use crate::ui::components::review::DeviceRow;
use crate::ui::i18n::day_hhmm;
use crate::ui::i18n::review::Word;
use crate::ui::state::review_fetch::{FetchError, use_devices};
use crate::ui::state::{use_lang, use_services};

#[component]
pub fn DevicesView() -> Element {
    let svc = use_services();
    let lang = use_lang();
    let fetch = use_devices();
    let now = svc.now_ms();
    let list = fetch.list.read().clone();
    let fetched = (fetch.fetched_ms)();
    let problem = match fetch.error.read().clone() {
        None => None,
        Some(FetchError::Offline) => Some(match fetched {
            Some(t) => format!(
                "{} · {} {}",
                Word::CannotReach.t(lang),
                Word::LastFetched.t(lang),
                day_hhmm(t, now)
            ),
            None => format!(
                "{} · {}",
                Word::CannotReach.t(lang),
                Word::NothingFetched.t(lang)
            ),
        }),
        Some(FetchError::Server(m)) => Some(format!("{}: {m}", Word::ServerSaid.t(lang))),
    };
    let busy = (fetch.busy)();
    let refresh_svc = svc.clone();
    rsx! {
        div { class: "rv-scroll devices", id: "devices",
            div { class: "dev-top",
                h3 { "{Word::SubDevices.t(lang)}" }
                button {
                    id: "devices-refresh",
                    disabled: busy,
                    onclick: move |_| fetch.refresh(refresh_svc.clone()),
                    if busy { "{Word::Fetching.t(lang)}" } else { "{Word::Refresh.t(lang)}" }
                }
            }
            if let Some(p) = problem {
                p { class: "dev-problem", id: "devices-problem", "{p}" }
            }
            if let Some(l) = list {
                if l.devices.is_empty() {
                    p { "{Word::NoPhones.t(lang)}" }
                }
                ul { class: "dev-list",
                    for d in l.devices {
                        DeviceRow { key: "{d.id}", device: d, now_ms: l.now_ms }
                    }
                }
            }
        }
    }
}
