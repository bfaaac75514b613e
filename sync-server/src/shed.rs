//! Load shedding for `POST /v1/sync`: at most [`Limits::max_syncs`] syncs are served at once; the next
//! ones wait in one first-come-first-served queue (tokio's semaphore is fair, so every phone's request
//! takes its turn) for at most [`Limits::sync_wait`], and a request that cannot start by then is
//! answered 503 `busy` with `Retry-After` ([`ApiError::Busy`]) before its body is read. Nothing of it
//! was stored; the phone tries again after the pause (`SyncError::Busy` on the phone). A crowd thus
//! gets quick refusals it retries instead of requests that time out while the server works through a
//! backlog it cannot take.
//!
//! The push lane: a request the phone marks as carrying its user's operations ([`PUSH_HEADER`]`: 1`)
//! whose body is small (a `Content-Length` of at most [`PUSH_LANE_MAX_BYTES`]) does not queue behind the
//! crowd's page pulls: it waits for one of [`PUSH_LANE`] permits of its own, with the same wait and the
//! same 503 `busy` after it. A person's one report is thus answered in the time of its own work, not of a
//! hundred phones' pulls (BENCHMARKS.md, "One push while the crowd syncs"). A large marked request (a
//! phone's first sync after days offline) is no quicker to serve than a pull and takes the common queue;
//! a phone that marks a pull gains at most the lane's few permits beside the common ones. What a lane
//! request pulls is cut to [`PUSH_LANE_PAGE`] operations (the request carries [`PushLane`]): a push
//! round asks for a full page as every round does, and a hundred phones' first pushes, each pulling
//! thousands of the others' operations, would otherwise fill the lane with the crowd's page pulls.
//! The answer says `more` and the phone pulls the rest in rounds of the common queue.
//!
//! [`Limits::max_syncs`]: crate::Limits::max_syncs
//! [`Limits::sync_wait`]: crate::Limits::sync_wait

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::{Next, from_fn};
use axum::response::IntoResponse;
use axum::routing::MethodRouter;
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// The request header by which a phone says its sync carries operations its user is waiting on.
pub const PUSH_HEADER: &str = "torgkoll-push";

/// How many marked small pushes are served at once beside the common permits.
pub const PUSH_LANE: usize = 2;

/// The largest (gzip-compressed) body that takes the push lane: what a person just did, a few taps
/// or a shift's status changes (dozens of operations). A phone's backlog after hours offline is
/// larger and takes the common queue: at a crowd's first syncs a hundred phones
/// each pushing 300 reports (9 KB) filled a 64 KiB lane, and one person's report waited 5 s behind them
/// (BENCHMARKS.md, "A push onto a year, and the lane kept for taps").
pub const PUSH_LANE_MAX_BYTES: u64 = 4 * 1024;

/// The most operations a request served in the push lane pulls.
pub const PUSH_LANE_PAGE: u32 = 200;

/// Marks a request the gate let through the push lane (a request extension).
#[derive(Clone, Copy, Debug)]
pub struct PushLane;

/// How many syncs run at once when not told: two per core (one in the database while another
/// encodes or compresses), at least four.
pub fn default_max_syncs() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    (2 * cores).max(4)
}

/// Whether `req` takes the push lane: marked, and a declared body small enough.
fn is_small_push(req: &Request) -> bool {
    let h = req.headers();
    let marked = h.get(PUSH_HEADER).is_some_and(|v| v.as_bytes() == b"1");
    let len = h
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    marked && len.is_some_and(|n| n <= PUSH_LANE_MAX_BYTES)
}

/// Wraps the sync route in the gate: `max` at once, a wait of at most `wait` for a turn; small marked
/// pushes through a lane of [`PUSH_LANE`] permits of their own.
pub fn gate<S>(route: MethodRouter<S>, max: usize, wait: Duration) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    let common = Arc::new(Semaphore::new(max.max(1)));
    let pushes = Arc::new(Semaphore::new(PUSH_LANE));
    route.layer(from_fn(move |mut req: Request, next: Next| {
        let push = is_small_push(&req);
        if push {
            req.extensions_mut().insert(PushLane);
        }
        let permits = if push { pushes.clone() } else { common.clone() };
        async move {
            let turn = tokio::time::timeout(wait, permits.acquire_owned()).await;
            match turn {
                Ok(Ok(_permit)) => next.run(req).await,
                _ => {
                    tracing::debug!(
                        max,
                        push,
                        wait_ms = wait.as_millis() as u64,
                        "sync shed: busy"
                    );
                    ApiError::Busy.into_response()
                }
            }
        }
    }))
}
