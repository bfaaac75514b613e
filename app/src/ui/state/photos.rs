//! Photos in the UI: a report's photos with their pictures, the counts the lists show, adding a photo
//! (picked, processed off the UI thread, then attached: the report itself was saved long before), and
//! fetching one whole when someone opens it.

use std::collections::BTreeMap;

use base64::Engine;
use dioxus::prelude::*;
use torgkoll_shared::photo::{self, MAX_PHOTOS_PER_REPORT};
use uuid::Uuid;

use crate::store::{PhotoCounts, PhotoView};
use crate::sync::{SyncClient, fetch_photo};
use crate::ui::explain::store_error_text;
use crate::ui::i18n::photo::Photo;

use super::actions::Actions;
use super::queries::use_store_query;
use super::sync_view::after_local_write;
use super::{Services, UiState};

/// A photo of a report with its small picture as a data URL, when the phone has one.
#[derive(Clone, Debug, PartialEq)]
pub struct PhotoItem {
    pub photo: PhotoView,
    pub thumb: Option<String>,
}

/// Bytes of a JPEG as a URL the webview shows without a file or a server.
pub fn data_url(bytes: &[u8]) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A report's photos, each with its thumbnail (or the photo itself where the phone has no thumbnail).
pub fn use_photos(report: Uuid) -> Memo<Vec<PhotoItem>> {
    use_store_query("a report's photos", move |s, _| {
        let photos = s.photos_of(report)?;
        photos
            .into_iter()
            .map(|p| {
                let thumb = match s.read_photo_file(&p.hash, true)? {
                    Some(b) => Some(b),
                    None if p.has_full => s.read_photo_file(&p.hash, false)?,
                    None => None,
                };
                Ok(PhotoItem {
                    thumb: thumb.as_deref().map(data_url),
                    photo: p,
                })
            })
            .collect()
    })
}

/// Photo counts per report, for the lists.
pub fn use_photo_counts() -> Memo<BTreeMap<Uuid, PhotoCounts>> {
    use_store_query("the photo counts", |s, _| s.photo_counts())
}

/// Asks the picker for a picture and attaches it to `report`: processed on a blocking thread (at most
/// 1600 px and 250 KB, no metadata), its thumbnail made, then recorded. `busy` is true meanwhile.
pub fn add_photo(
    svc: Services,
    ui: UiState,
    actions: Actions,
    report: Uuid,
    mut busy: Signal<bool>,
) {
    let lang = *ui.lang.peek();
    let count = svc.store().photos_of(report).map_or(0, |p| p.len());
    if count >= MAX_PHOTOS_PER_REPORT {
        actions.toast(Photo::Full.t(lang).to_owned(), true, None);
        return;
    }
    let picking = svc.photos.pick();
    busy.set(true);
    spawn(async move {
        let bytes = match picking.await {
            Ok(Some(b)) => b,
            Ok(None) => {
                busy.set(false);
                return;
            }
            Err(e) => {
                busy.set(false);
                tracing::warn!("no picture: {e}");
                actions.toast(format!("{}{e}", Photo::NoCamera.t(lang)), true, None);
                return;
            }
        };
        let processed = tokio::task::spawn_blocking(move || {
            let p = photo::prepare(&bytes)?;
            let thumb = photo::thumbnail(&p.bytes).ok();
            Ok::<_, photo::PhotoError>((p, thumb))
        })
        .await;
        let (prepared, thumb) = match processed {
            Ok(Ok(done)) => done,
            Ok(Err(e)) => {
                busy.set(false);
                tracing::warn!("the picture could not be processed: {e}");
                actions.toast(Photo::Unreadable.t(lang).to_owned(), true, None);
                return;
            }
            Err(e) => {
                busy.set(false);
                tracing::error!("processing the picture was abandoned: {e}");
                return;
            }
        };
        let now = svc.now_ms();
        let attached = svc
            .store()
            .attach_photo(report, &prepared, thumb.as_deref(), now);
        busy.set(false);
        match attached {
            Ok(_) => {
                let mut rev = ui.rev;
                *rev.write() += 1;
                after_local_write(&svc, ui);
                crate::platform::haptic_tick();
                actions.toast(Photo::Saved.t(lang).to_owned(), false, None);
            }
            Err(e) => {
                tracing::warn!("attaching the photo failed: {e}");
                actions.toast(store_error_text(&e, lang), true, None);
            }
        }
    });
}

/// What the full-size view of a photo shows.
#[derive(Clone, Debug, PartialEq)]
pub enum FullPhoto {
    Fetching,
    Shown(String),
    Missing,
}

/// Opens a photo whole: from the phone's files, or fetched from the server first (once; it is kept).
pub fn open_photo(svc: Services, hash: String, mut shown: Signal<Option<FullPhoto>>) {
    let local = svc.store().read_photo_file(&hash, false).ok().flatten();
    if let Some(b) = local {
        shown.set(Some(FullPhoto::Shown(data_url(&b))));
        return;
    }
    let who = svc
        .store()
        .identity()
        .map(|i| (i.server.clone(), i.token.clone()));
    let Some((server, token)) = who else {
        shown.set(Some(FullPhoto::Missing));
        return;
    };
    shown.set(Some(FullPhoto::Fetching));
    spawn(async move {
        let client = SyncClient::new(&server, &token);
        let got = fetch_photo(&client, &svc.store, &hash).await;
        let bytes = match got {
            Ok(true) => svc.store().read_photo_file(&hash, false).ok().flatten(),
            Ok(false) => None,
            Err(e) => {
                tracing::info!("fetching photo {hash} failed: {e}");
                None
            }
        };
        if shown.peek().is_some() {
            shown.set(Some(match bytes {
                Some(b) => FullPhoto::Shown(data_url(&b)),
                None => FullPhoto::Missing,
            }));
        }
    });
}
