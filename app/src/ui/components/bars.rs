//! The bars at the top of every screen: sync state, and the running machine run.

use std::time::Duration;

use dioxus::prelude::*;
use torgkoll_shared::Run;
use torgkoll_shared::timefix::CLOCK_TOLERANCE_MS;

use crate::sync::Phase;
use crate::ui::explain::{failure_text, token_refused_text};
use crate::ui::i18n::photo::Photo;
use crate::ui::i18n::{Msg, clock_off, hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::{use_lang, use_services, use_ui};

/// Pending count, last successful sync, and "Synka nu". On every screen.
#[component]
pub fn SyncBar() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let s = (ui.sync)();
    // The server refuses this phone's token: say so, with the id a new code is made for.
    let refused = ui
        .identity
        .read()
        .as_ref()
        .map(|i| i.device)
        .filter(|_| s.needs_enrollment && s.phase == Some(Phase::Error));
    let mut reenroll = ui.reenroll;
    let last = s
        .last_sync_ms
        .map_or(Msg::NeverSynced.t(lang).to_owned(), |t| {
            format!("{} {}", Msg::LastSync.t(lang), hhmm(t))
        });
    let state = match s.phase {
        None => Some(Msg::NoServer.t(lang)),
        Some(Phase::Syncing) => Some(Msg::Syncing.t(lang)),
        Some(Phase::Offline) => Some(Msg::Offline.t(lang)),
        Some(Phase::Error) => Some(Msg::Error.t(lang)),
        Some(Phase::Idle) => None,
    };
    // A clock more than the tolerance off: its reports are corrected by the server, but the person
    // should set it right (a wrong clock also shows wrong times on this phone).
    let clock_warning = s
        .clock_offset_ms
        .filter(|o| o.abs() > CLOCK_TOLERANCE_MS)
        .map(|off| {
            let side = if off > 0 {
                Msg::ClockFast
            } else {
                Msg::ClockSlow
            };
            format!("{} {}.", side.t(lang), clock_off(off, lang))
        });
    rsx! {
        div { class: "sync-bar", id: "sync-bar",
            div { class: "sync-text",
                div {
                    span { class: "pending", id: "pending-count", "{s.pending} {Msg::Waiting.t(lang)}" }
                    if s.photos_pending > 0 {
                        // Photos go after the reports: say how many are still to follow.
                        span { id: "photos-pending",
                            " · {s.photos_pending} {photo_word(s.photos_pending, lang)} {Msg::Waiting.t(lang)}"
                        }
                    }
                    " · {last}"
                    if s.live && s.phase == Some(Phase::Idle) {
                        // The wake-up channel is open: others' reports arrive within seconds.
                        span { class: "live", id: "live", " · ● {Msg::Live.t(lang)}" }
                    }
                }
                if let Some(st) = state {
                    div { class: "offline", "{st}" }
                }
                if let Some(device) = refused {
                    div { class: "offline", id: "token-refused",
                        "{token_refused_text(device, lang)} "
                        button {
                            id: "reenroll",
                            onclick: move |_| reenroll.set(true),
                            "{Msg::ReenrollButton.t(lang)}"
                        }
                    }
                } else if let Some(err) = s.last_error.as_ref().filter(|_| s.phase == Some(Phase::Error)) {
                    div { class: "offline", id: "sync-error", "{failure_text(err, lang)}" }
                }
                if let Some(clock) = clock_warning.as_ref() {
                    div { class: "clock-warning", id: "clock-warning",
                        strong { "{clock} " }
                        "{Msg::ClockFix.t(lang)}"
                    }
                }
            }
            button {
                id: "sync-now",
                disabled: s.phase.is_none(),
                onclick: move |_| actions.sync_now(),
                "{Msg::SyncNow.t(lang)}"
            }
        }
    }
}

fn photo_word(n: u64, lang: torgkoll_shared::Lang) -> &'static str {
    if n == 1 {
        Photo::One.t(lang)
    } else {
        Photo::Many.t(lang)
    }
}

/// "Skurmaskin 2 · 14 min · 212 punkter": stays while this phone's run is on (the recorder beside it
/// records the track).
#[component]
pub fn RunBanner(run: Run) -> Element {
    let lang = use_lang();
    let svc = use_services();
    let ui = use_ui();
    let clock = svc.clock.clone();
    let mut now = use_signal(|| clock.now_ms());
    use_future(move || {
        let clock = clock.clone();
        async move {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                now.set(clock.now_ms());
            }
        }
    });
    let _ = (ui.track_rev)();
    let buffered = svc.store().buffered_points(run.id).map_or(0, |b| b.len());
    let minutes = (now() - run.started_ms.unwrap_or(now())).max(0) / 60_000;
    let machine = run.machine.clone().unwrap_or_default();
    let points = run.path().len() + buffered;
    rsx! {
        div { class: "run-banner", id: "run-banner",
            span { class: "run-title", "{machine} · {minutes} {Msg::Minutes.t(lang)}" }
            span { id: "run-banner-points", "{points} {Msg::RunPoints.t(lang)}" }
        }
    }
}
