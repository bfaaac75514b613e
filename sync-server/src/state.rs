//! What every handler shares: the store, the sites, the clock and the limits, and the one way a handler
//! runs blocking store work ([`AppState::blocking`]).

use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::photos::wanted::WantedPhotos;
use crate::sites::Sites;
use crate::store::ServerStore;
use crate::turns::Turns;
use crate::wake::Wake;

/// Bounds on what one request may carry, how long a client may take to send it, and what one answer may
/// hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, both as sent (compressed) and once inflated.
    pub max_body_bytes: usize,
    /// The most operations one push may carry.
    pub max_ops: usize,
    /// The most operations one answer carries.
    pub page_size: u32,
    /// How long a connection may take to send a request's headers, counted from the moment the server
    /// waits for them (a new connection, or the end of the previous answer); then it is closed.
    pub header_read_timeout: Duration,
    /// How long a request's whole body may take to arrive once its headers are in; then the answer is
    /// 408 `timeout` and nothing is stored.
    pub body_read_timeout: Duration,
    /// How many syncs are served at once (`crate::shed`); more wait for a turn.
    pub max_syncs: usize,
    /// How long a sync waits for its turn before it is answered 503 `busy` with `Retry-After`.
    pub sync_wait: Duration,
    /// How long an early batch waits for the device's batch before it (`crate::turns`).
    pub turn_wait: Duration,
}

impl Limits {
    pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
    pub const DEFAULT_MAX_OPS: usize = 10_000;
    pub const DEFAULT_PAGE_SIZE: u32 = 5_000;
    /// 30 s, hyper's own default: headers are a few hundred bytes.
    pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
    /// 10 minutes: the largest body (8 MiB) still arrives at 14 KiB/s (112 kbit/s, a phone on EDGE);
    /// a real push, a few hundred KiB of gzip, needs a fraction of that.
    pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(600);
    /// 5 s: well within a phone's timeout, long enough to ride out a burst.
    pub const DEFAULT_SYNC_WAIT: Duration = Duration::from_secs(5);
    /// 2 s: the batch before an early one is on its way already; storing it takes tens of
    /// milliseconds, a second or so behind a crowd's writes.
    pub const DEFAULT_TURN_WAIT: Duration = Duration::from_secs(2);
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            max_ops: Self::DEFAULT_MAX_OPS,
            page_size: Self::DEFAULT_PAGE_SIZE,
            header_read_timeout: Self::DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: Self::DEFAULT_BODY_READ_TIMEOUT,
            max_syncs: crate::shed::default_max_syncs(),
            sync_wait: Self::DEFAULT_SYNC_WAIT,
            turn_wait: Self::DEFAULT_TURN_WAIT,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn ServerStore>,
    /// The site plans served; a device's is `sites.of_device(&device)`.
    pub sites: Sites,
    pub clock: Arc<dyn Clock>,
    pub limits: Limits,
    /// The wake-up channel's hub: pushes tell it, `GET /v1/events` streams listen.
    pub wake: Wake,
    /// The photos to ask their phones for again (found at start, [`WantedPhotos::find`]).
    pub wanted_photos: WantedPhotos,
    /// Each device's batches stored in order (an early batch waits for the one before it).
    pub turns: Arc<Turns>,
}

impl AppState {
    /// Runs blocking work on the store (SQLite calls, a PostgreSQL pool, photo files) on tokio's
    /// blocking pool, off the async runtime, and turns its error ([`crate::store::StoreError`] or
    /// [`ApiError`]) into the answer's.
    pub async fn blocking<T, E, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&dyn ServerStore) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&*store))
            .await
            .map_err(|e| ApiError::Internal(format!("a blocking task failed: {e}")))?
            .map_err(Into::into)
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("sites", &self.sites.ids().collect::<Vec<_>>())
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}
