//! A report's photos on its sheets: the thumbnails with each own photo's state ("väntar", "skickad",
//! "misslyckades"), a tap that opens the photo whole (fetched when the phone has only its thumbnail),
//! and, where the person may add one, "Lägg till foto (n/4)" under the warning that nobody may be
//! recognisable. Never required: the report is saved whatever happens here.

use dioxus::prelude::*;
use torgkoll_shared::photo::MAX_PHOTOS_PER_REPORT;
use uuid::Uuid;

use crate::store::Upload;
use crate::ui::i18n::photo::{Photo, add_label, upload_label};
use crate::ui::state::actions::use_actions;
use crate::ui::state::photos::{FullPhoto, add_photo, open_photo, use_photos};
use crate::ui::state::{use_lang, use_services, use_ui};

fn badge_class(u: Upload) -> &'static str {
    match u {
        Upload::Pending => "pending",
        Upload::Sent => "sent",
        Upload::Failed => "rejected",
    }
}

#[component]
pub fn PhotoStrip(report: Uuid, can_add: bool) -> Element {
    let lang = use_lang();
    let svc = use_services();
    let ui = use_ui();
    let actions = use_actions();
    let photos = use_photos(report);
    let busy = use_signal(|| false);
    let mut shown = use_signal(|| None::<FullPhoto>);
    let items = photos();
    let n = items.len();
    if n == 0 && !can_add {
        return rsx! {};
    }
    let adding = can_add && n < MAX_PHOTOS_PER_REPORT;
    let add_svc = svc.clone();
    rsx! {
        div { class: "photos", id: "photos",
            h2 { "{Photo::Heading.t(lang)}" }
            if n > 0 {
                div { class: "thumbs",
                    for (i, item) in items.into_iter().enumerate() {
                        button {
                            key: "{item.photo.hash}",
                            class: "thumb",
                            id: "photo-{i}",
                            "data-hash": "{item.photo.hash}",
                            onclick: {
                                let (svc, hash) = (svc.clone(), item.photo.hash.clone());
                                move |_| open_photo(svc.clone(), hash.clone(), shown)
                            },
                            if let Some(src) = &item.thumb {
                                img { src: "{src}", alt: "{Photo::Heading.t(lang)} {i + 1}" }
                            } else {
                                span { class: "nothumb", "{Photo::NotHere.t(lang)}" }
                            }
                            if let Some(u) = item.photo.upload {
                                span { class: "badge {badge_class(u)}", id: "photo-{i}-state", "{upload_label(u, lang)}" }
                            }
                        }
                    }
                }
            }
            if can_add {
                div { class: "warning", id: "photo-warning", "⚠ {Photo::Warning.t(lang)}" }
                if adding {
                    button {
                        id: "photo-add",
                        disabled: busy(),
                        onclick: move |_| add_photo(add_svc.clone(), ui, actions, report, busy),
                        "{add_label(n, lang)}"
                    }
                } else {
                    p { class: "meta", id: "photo-full-up", "{Photo::Full.t(lang)}" }
                }
                if busy() {
                    p { class: "meta", id: "photo-busy", "{Photo::Working.t(lang)}" }
                }
            }
            if let Some(full) = shown() {
                div { class: "photo-full", id: "photo-full",
                    match full {
                        FullPhoto::Shown(src) => rsx! { img { id: "photo-full-img", src: "{src}" } },
                        FullPhoto::Fetching => rsx! { p { "{Photo::Fetching.t(lang)}" } },
                        FullPhoto::Missing => rsx! { p { id: "photo-missing", "{Photo::NotOnServer.t(lang)}" } },
                    }
                    button { id: "photo-full-close", onclick: move |_| shown.set(None), "{Photo::Close.t(lang)}" }
                }
            }
        }
    }
}
