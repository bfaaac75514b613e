//! One phone in the manager's "Telefoner" list: its name and role, its status (a silent one in red,
//! "Tyst i 2 h"), its last contact, what waits on it, its app version and a clock that is off.

use dioxus::prelude::*;
use torgkoll_shared::devices::{DeviceInfo, DeviceStatus, clock_is_off};

use crate::ui::i18n::day_hhmm;
use crate::ui::i18n::review::{Word, ago, duration};
use crate::ui::state::use_lang;

/// The status as the row says it, and its class.
fn status_text(d: &DeviceInfo, now_ms: i64, lang: torgkoll_shared::Lang) -> (String, &'static str) {
    match d.status {
        DeviceStatus::Silent => (
            format!(
                "{} {}",
                Word::SilentFor.t(lang),
                duration(d.silent_for_ms(now_ms).unwrap_or(0), lang)
            ),
            "silent",
        ),
        DeviceStatus::InContact => (Word::InContact.t(lang).to_owned(), "ok"),
        DeviceStatus::Never => (Word::NeverSynced.t(lang).to_owned(), "never"),
        DeviceStatus::Away => (Word::Away.t(lang).to_owned(), "away"),
        DeviceStatus::Revoked => (Word::Revoked.t(lang).to_owned(), "revoked"),
    }
}

/// A clock offset with its sign: "+3 min".
fn offset_text(ms: i64, lang: torgkoll_shared::Lang) -> String {
    let sign = if ms < 0 { '-' } else { '+' };
    format!("{sign}{}", duration(ms.abs(), lang))
}

/// One phone, as the server said at `now_ms` (the server's clock).
#[component]
pub fn DeviceRow(device: DeviceInfo, now_ms: i64) -> Element {
    let lang = use_lang();
    let d = &device;
    let (status, class) = status_text(d, now_ms, lang);
    let contact = d.last_contact_ms.map(|last| {
        format!(
            "{} {} ({})",
            Word::LastContact.t(lang),
            day_hhmm(last, now_ms),
            ago(now_ms - last, lang)
        )
    });
    let waiting = d.pending.map(|n| format!("{n} {}", Word::Waiting.t(lang)));
    let version = d
        .app
        .as_ref()
        .map(|a| format!("{} {a}", Word::AppVersion.t(lang)));
    let clock = d
        .clock_offset_ms
        .filter(|_| clock_is_off(d.clock_offset_ms))
        .map(|o| format!("{} {}", Word::ClockWord.t(lang), offset_text(o, lang)));
    rsx! {
        li { class: "dev {class}", id: "dev-{d.id}",
            div { class: "dev-head",
                strong { class: "dev-name", "{d.name}" }
                span { class: "dev-role", "{d.role.label(lang)}" }
                span { class: "dev-status {class}", id: "dev-{d.id}-status", "{status}" }
            }
            div { class: "dev-facts",
                if let Some(c) = contact {
                    span { id: "dev-{d.id}-contact", "{c}" }
                }
                if let Some(w) = waiting {
                    span { class: "dev-waiting", id: "dev-{d.id}-pending", "{w}" }
                }
                if let Some(v) = version {
                    span { class: "dev-app", "{v}" }
                }
                if let Some(c) = clock {
                    span { class: "dev-clock", id: "dev-{d.id}-clock", "{c}" }
                }
            }
        }
    }
}
