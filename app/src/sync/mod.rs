//! The phone's sync engine: pushes the outbox and pulls other devices' operations over `POST /v1/sync`.
//! Usable without any UI.
//!
//! # Using it
//!
//! ```no_run
//! use std::sync::{Arc, Mutex};
//! use torgkoll_app::store::{Identity, Store};
//! use torgkoll_app::sync::{EngineConfig, SyncEngine, enroll};
//! # async fn demo(mut store: Store) -> Result<(), Box<dyn std::error::Error>> {
//! // Once: exchange the one-time code for an identity, and keep it.
//! let e = enroll("http://127.0.0.1:8080", "ABCD-1234").await?;
//! store.set_identity(Identity {
//!     device: e.device, token: e.token, role: e.role, name: e.name,
//!     server: "http://127.0.0.1:8080".into(),
//! })?;
//! // Then: the engine on its own thread, sharing the store.
//! let store = Arc::new(Mutex::new(store));
//! let clock = Arc::new(torgkoll_app::platform::SystemClock);
//! let handle = SyncEngine::start(store.clone(), EngineConfig::default(), clock);
//! let mut status = handle.subscribe(); // phase, pending, last sync, last error
//! handle.sync_now();                   // e.g. right after recording a report
//! status.changed().await?;
//! handle.shutdown();
//! # Ok(()) }
//! ```
//!
//! - [`enroll`] → `EnrollResponse`; save it with [`Store::set_identity`](crate::store::Store::set_identity).
//! - [`SyncEngine::start`]`(Arc<Mutex<Store>>, EngineConfig, Arc<dyn Clock>) -> SyncHandle` runs on its own
//!   std thread with its own tokio runtime, reading the phone's one clock. It syncs at start, every `interval` (30 s), on [`SyncHandle::sync_now`], and after
//!   a failure with capped exponential backoff with jitter; while the server cannot be reached it probes
//!   `GET /v1/health` at each backoff step and syncs as soon as the server answers. While enrolled it also
//!   keeps the wake-up channel open ([`wake`], `GET /v1/events`, `EngineConfig::live`) and syncs as soon as
//!   the server says another device stored something this phone may see; `EngineStatus::live` says so.
//! - [`SyncHandle::subscribe`] gives a `tokio::sync::watch::Receiver<EngineStatus>`; the last error is also
//!   saved in the store (`Store::sync_status().last_error`), cleared by the next successful sync.
//! - [`SyncHandle::shutdown`] (or dropping the handle) stops the engine and joins its thread.
//! - Each report's own sync state (pending, sent, rejected with a reason) is `ReportView::sync`; the last
//!   successful sync is `Store::sync_status().last_sync_ms`.
//! - The store's lock is taken only for the local reads and the one-transaction apply of each answer,
//!   never across a request, and only on blocking threads: the sync's own task never waits for the
//!   store, so a request it has just started is on its way meanwhile.
//!
//! For tools and tests, [`sync_once`] does one complete sync with a [`SyncClient`]: rounds of up to
//! [`BATCH`] operations until the outbox is empty and the last page is pulled. Acknowledgements are
//! stored per round, so a cut connection resumes at the last acknowledged batch. After it,
//! [`send_photos`] uploads the phone's own photos (resumable, one at a time, smallest first) and
//! [`fetch_thumbnails`] brings the thumbnails of pulled ones; [`fetch_photo`] gets one photo whole when
//! someone opens it. The engine runs both after every successful sync.

mod client;
mod encode;
mod engine;
pub mod error;
mod flight;
mod handle;
mod photo_client;
mod photos;
pub mod plan;
mod review_client;
mod round;
mod site_client;
pub mod trust;
pub mod wake;

pub use client::{
    APP_VERSION, REQUEST_TIMEOUT, SyncClient, encode_request, enroll, enroll_with, http_client,
};
pub use encode::encode_outbox;
pub use engine::SyncEngine;
pub use error::{Failure, FailureKind, SyncError};
pub use handle::{EngineConfig, EngineStatus, Phase, SyncHandle};
pub use photos::{PhotoSummary, fetch_photo, fetch_thumbnails, send_photos, send_photos_into};
pub use review_client::{ExportKind, ReviewDoc};
pub use round::{BATCH, FIRST_BATCH, PULL_LIMIT, SyncOptions, SyncSummary, sync_once};
pub use site_client::{refresh_and_switch, refresh_site};
pub use trust::{SERVER_CA_SETTING, trust_server_ca};

#[cfg(test)]
mod busy_tests;
#[cfg(test)]
mod tests;
