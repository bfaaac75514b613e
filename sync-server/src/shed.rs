//! Load shedding for `POST /v1/sync`: at most [`Limits::max_syncs`] syncs are served at once; the next
//! ones wait in one first-come-first-served queue (tokio's semaphore is fair, so every phone's request
//! takes its turn) for at most [`Limits::sync_wait`], and a request that cannot start by then is
//! answered 503 `busy` with `Retry-After` ([`ApiError::Busy`]) before its body is read. Nothing of it
//! was stored; the phone tries again after the pause (`SyncError::Busy` on the phone). A crowd thus
//! gets quick refusals it retries instead of requests that time out while the server works through a
//! backlog it cannot take.
//!
//! [`Limits::max_syncs`]: crate::Limits::max_syncs
//! [`Limits::sync_wait`]: crate::Limits::sync_wait

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::response::IntoResponse;
use axum::routing::MethodRouter;
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// How many syncs run at once when not told: two per core (one in the database while another
/// encodes or compresses), at least four.
pub fn default_max_syncs() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    (2 * cores).max(4)
}

/// Wraps the sync route in the gate: `max` at once, a wait of at most `wait` for a turn.
pub fn gate<S>(route: MethodRouter<S>, max: usize, wait: Duration) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    let permits = Arc::new(Semaphore::new(max.max(1)));
    route.layer(from_fn(move |req: Request, next: Next| {
        let permits = permits.clone();
        async move {
            let turn = tokio::time::timeout(wait, permits.acquire_owned()).await;
            match turn {
                Ok(Ok(_permit)) => next.run(req).await,
                _ => {
                    tracing::debug!(max, wait_ms = wait.as_millis() as u64, "sync shed: busy");
                    ApiError::Busy.into_response()
                }
            }
        }
    }))
}
