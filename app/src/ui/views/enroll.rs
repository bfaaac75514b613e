//! First start: the server's address and a one-time enrollment code, which give the phone its role.
//! After that the phone works offline for good: the token does not expire. The code field also takes an
//! enrollment link (`torgkoll://enroll?server=...&code=...`), which gives the server too. Opened again on
//! an enrolled phone whose token the server refused (`UiState::reenroll`), it takes a new code for the
//! same device: the store keeps everything and the queue is sent ([`Store::set_identity`] refuses another
//! device id while operations wait). Before it leaves, it fetches the server's site plan when it can
//! (`sync::refresh_and_switch`), so the first map shown is the phone's own site.
//!
//! [`Store::set_identity`]: crate::store::Store::set_identity

use dioxus::prelude::*;

use torgkoll_shared::enroll_link::EnrollLink;

use crate::store::Identity;
use crate::sync;
use crate::ui::explain::{failure_text, store_error_text, token_refused_text};
use crate::ui::i18n::Msg;
use crate::ui::state::{Screen, Services, use_lang, use_services, use_site_switch, use_ui};

#[component]
pub fn EnrollView() -> Element {
    let svc = use_services();
    let ui = use_ui();
    let lang = use_lang();
    let switch = use_site_switch();
    let mut server = use_signal(|| svc.server_hint.clone().unwrap_or_default());
    let mut code = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| {
        svc.startup_error
            .as_ref()
            .map(|f| failure_text(f, *ui.lang.peek()))
    });

    let me = ui.identity.peek().as_ref().map(|i| i.device);
    let mut back = ui.reenroll;
    let enroll = move |_| {
        let typed = code.peek().trim().to_owned();
        let (url, c) = if EnrollLink::looks_like_link(&typed) {
            match EnrollLink::parse(&typed) {
                Ok(link) => {
                    server.set(link.server.clone());
                    (link.server, link.code)
                }
                Err(e) => {
                    tracing::info!("not an enrollment link: {e}");
                    error.set(Some(Msg::EnrollBadLink.t(*ui.lang.peek()).to_owned()));
                    return;
                }
            }
        } else {
            (server.peek().trim().trim_end_matches('/').to_owned(), typed)
        };
        if url.is_empty() || c.is_empty() {
            error.set(Some(Msg::EnrollMissing.t(*ui.lang.peek()).to_owned()));
            return;
        }
        busy.set(true);
        let svc = svc.clone();
        let (mut identity, mut screen, mut reenroll) = (ui.identity, ui.screen, ui.reenroll);
        spawn(async move {
            let result = sync::enroll(&url, &c).await;
            match result {
                Ok(e) => {
                    let id = Identity {
                        device: e.device,
                        token: e.token,
                        role: e.role,
                        name: e.name,
                        server: url,
                    };
                    let saved = svc.store().set_identity(id.clone());
                    if saved.is_ok() {
                        fetch_site_plan(&svc, &id).await;
                    }
                    busy.set(false);
                    match saved {
                        // On another plan now: every screen is built again, home first (the store
                        // holds the identity); these signals go with the old screens.
                        Ok(()) if switch.is_some_and(|s| s.follow_store()) => {
                            if let Some(h) = &svc.sync {
                                h.sync_now();
                            }
                        }
                        Ok(()) => {
                            reenroll.set(false);
                            screen.set(Screen::home(id.role));
                            identity.set(Some(id));
                            if let Some(h) = &svc.sync {
                                h.sync_now();
                            }
                        }
                        Err(e) => error.set(Some(store_error_text(&e, *ui.lang.peek()))),
                    }
                }
                Err(e) => {
                    busy.set(false);
                    tracing::warn!("enrollment failed: {e}");
                    error.set(Some(failure_text(&e.failure(), *ui.lang.peek())));
                }
            }
        });
    };
    rsx! {
        div { class: "scroll enroll", id: "enroll",
            if let Some(device) = me {
                h1 { "{Msg::ReenrollTitle.t(lang)}" }
                p { id: "reenroll-why", "{token_refused_text(device, lang)}" }
            } else {
                h1 { "{Msg::EnrollTitle.t(lang)}" }
                p { "{Msg::EnrollIntro.t(lang)}" }
            }
            label { r#for: "server", "{Msg::ServerAddress.t(lang)}" }
            input {
                id: "server",
                r#type: "url",
                placeholder: "http://127.0.0.1:8080",
                value: "{server}",
                oninput: move |e| server.set(e.value()),
            }
            label { r#for: "code", "{Msg::EnrollCode.t(lang)}" }
            input {
                id: "code",
                autocomplete: "off",
                placeholder: "{Msg::EnrollCodeHint.t(lang)}",
                value: "{code}",
                oninput: move |e| code.set(e.value()),
            }
            if let Some(e) = error() {
                p { class: "error-text", id: "enroll-error", "{e}" }
            }
            button {
                class: "primary",
                id: "enroll-button",
                disabled: busy(),
                onclick: enroll,
                if busy() { "{Msg::Enrolling.t(lang)}" } else { "{Msg::EnrollButton.t(lang)}" }
            }
            if me.is_some() {
                button {
                    id: "reenroll-back",
                    onclick: move |_| back.set(false),
                    "{Msg::ReenrollBack.t(lang)}"
                }
            }
        }
    }
}

/// Downloads the server's site plan and switches the store to it, so the first map after enrolling is
/// the right one. Offline (or without a place to keep it) the plan follows at the first sync.
async fn fetch_site_plan(svc: &Services, id: &Identity) {
    let Some(path) = &svc.site_file else {
        return;
    };
    let client = sync::SyncClient::new(&id.server, &id.token);
    if let Err(e) = sync::refresh_and_switch(&client, path, &svc.store).await {
        tracing::info!(error = %e, "the site plan could not be fetched at enrollment");
    }
}
