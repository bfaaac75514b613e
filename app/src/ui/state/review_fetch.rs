//! What the manager's review fetches from the server itself rather than from the phone's store: who is
//! out there (`use_devices`), and the lägesbild and exports saved into the data directory's `exports/`
//! and handed to the platform's opener (`save_document`). The server is the one reached through this
//! phone's identity, with its token.

use std::path::PathBuf;

use dioxus::prelude::*;
use torgkoll_shared::devices::DevicesResponse;

use super::{Services, use_services};
use crate::platform::Opened;
use crate::sync::{ReviewDoc, SyncClient, SyncError};

/// Why a fetch from the server failed, as the screen tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// No answer: the phone is offline or the server is down.
    Offline,
    /// The server answered with a refusal or something unreadable.
    Server(String),
}

impl From<SyncError> for FetchError {
    fn from(e: SyncError) -> Self {
        if e.is_offline() {
            FetchError::Offline
        } else {
            FetchError::Server(e.to_string())
        }
    }
}

/// The server of this phone's identity, as this phone; `None` when not enrolled.
fn client(svc: &Services) -> Option<SyncClient> {
    let store = svc.store();
    let id = store.identity()?;
    Some(SyncClient::new(&id.server, &id.token))
}

/// The phones list: the last one fetched (kept while the server cannot be reached), when that was
/// (the phone's clock), and why the latest fetch failed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DevicesFetch {
    pub list: Signal<Option<DevicesResponse>>,
    pub fetched_ms: Signal<Option<i64>>,
    pub error: Signal<Option<FetchError>>,
    pub busy: Signal<bool>,
}

impl DevicesFetch {
    /// Fetches the list again.
    pub fn refresh(self, svc: Services) {
        let DevicesFetch {
            mut list,
            mut fetched_ms,
            mut error,
            mut busy,
        } = self;
        if busy() {
            return;
        }
        busy.set(true);
        spawn(async move {
            let answer = match client(&svc) {
                Some(c) => c.review_devices().await.map_err(FetchError::from),
                None => Err(FetchError::Server(SyncError::NotEnrolled.to_string())),
            };
            match answer {
                Ok(l) => {
                    list.set(Some(l));
                    fetched_ms.set(Some(svc.now_ms()));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    }
}

/// The phones list of the "Telefoner" view, fetched when it opens.
pub fn use_devices() -> DevicesFetch {
    let svc = use_services();
    let fetch = DevicesFetch {
        list: use_signal(|| None),
        fetched_ms: use_signal(|| None),
        error: use_signal(|| None),
        busy: use_signal(|| false),
    };
    use_hook(move || fetch.refresh(svc));
    fetch
}

/// Why a document did not reach the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocError {
    Fetch(FetchError),
    Save(String),
    /// Saved at the path, but the opener failed.
    Open(PathBuf, String),
}

/// Fetches `doc`, saves it into `exports/` and hands it to the platform's opener; the saved path and
/// whether it was opened.
pub async fn save_document(svc: Services, doc: ReviewDoc) -> Result<(PathBuf, Opened), DocError> {
    let c = client(&svc)
        .ok_or_else(|| DocError::Fetch(FetchError::Server(SyncError::NotEnrolled.to_string())))?;
    let bytes = c
        .review_document(doc)
        .await
        .map_err(|e| DocError::Fetch(e.into()))?;
    let dir = svc
        .store()
        .exports_dir()
        .ok_or_else(|| DocError::Save("no data directory".into()))?;
    let opener = svc.opener.clone();
    tokio::task::spawn_blocking(move || {
        let path = crate::store::save_document(&dir, &doc.file_name(), &bytes)
            .map_err(|e| DocError::Save(e.to_string()))?;
        match opener.open(&path) {
            Ok(opened) => Ok((path, opened)),
            Err(e) => Err(DocError::Open(path, e)),
        }
    })
    .await
    .map_err(|e| DocError::Save(e.to_string()))?
}
