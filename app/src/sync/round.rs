//! `sync_once`: push the outbox and pull everything new, round after round, until both are done.
//!
//! Each round takes the oldest unacknowledged operations, sends them with the pull position, and applies
//! the answer in one local transaction (acks, rejections, pulled rows, the new pull position). A cut
//! connection therefore loses at most the round in flight: the next attempt starts at the last
//! acknowledged batch, and a resend of operations the server already has is a no-op on both sides.

use std::sync::Mutex;
use std::time::Instant;

use torgkoll_shared::protocol::SyncResponse;
use torgkoll_shared::{Clock, Operation};

use crate::store::Store;

use super::plan::{Next, RoundFacts, can_send_prepared, next_after, shrink_batch};
use super::{SyncClient, SyncError, client::encode_request};

/// Operations per push request: 10,000 reports go in two or three requests.
pub const BATCH: usize = 5_000;
/// Operations the phone asks for per pull page (the server may send fewer).
pub const PULL_LIMIT: u32 = 5_000;
/// A guard against a server that keeps saying "more" while making progress forever.
const MAX_ROUNDS: u32 = 10_000;

/// Tuning of one sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyncOptions {
    pub batch: usize,
    pub pull_limit: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            batch: BATCH,
            pull_limit: PULL_LIMIT,
        }
    }
}

/// What a completed sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncSummary {
    /// Requests sent (each one round trip).
    pub requests: u32,
    /// Own operations sent (a resend counts again).
    pub pushed: u64,
    pub rejected: usize,
    /// New operations of other devices stored.
    pub pulled: usize,
    /// Own operations still waiting (0 after a complete sync).
    pub pending: u64,
    /// The position the phone pulls after next time.
    pub pull_pos: u64,
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    // A panic elsewhere while holding the lock cannot leave the database half-written (every write is one
    // transaction), so the store is still good to use.
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A request body ready to send, and the operations in it.
struct Prepared {
    ops: Vec<Operation>,
    body: Vec<u8>,
}

/// A request on its way: the answer comes from `task`.
struct InFlight {
    body_len: usize,
    /// When it left, on the phone's clock.
    sent_ms: i64,
    t_send: Instant,
    task: tokio::task::JoinHandle<Result<SyncResponse, SyncError>>,
}

impl InFlight {
    fn start(client: &SyncClient, body: Vec<u8>, clock: &dyn Clock) -> InFlight {
        let c = client.clone();
        InFlight {
            body_len: body.len(),
            sent_ms: clock.now_ms(),
            t_send: Instant::now(),
            task: tokio::spawn(async move { c.send(body).await }),
        }
    }
}

/// The request body, saying what the phone's clock reads now (`phone_ms`) and how many of its own
/// operations still wait after this request's (`pending`).
fn prepare(
    ops: Vec<Operation>,
    pull_after: u64,
    pull_limit: u32,
    phone_ms: i64,
    pending: u64,
) -> Result<Prepared, SyncError> {
    let body = encode_request(
        &ops,
        pull_after,
        Some(pull_limit),
        Some(phone_ms),
        Some(pending),
    )?;
    Ok(Prepared { ops, body })
}

/// Pushes everything pending and pulls everything new. Never holds the store's lock across a request.
/// Every time on the phone's side (the clock each request carries, when the answer came) is `clock`'s.
///
/// While one batch is in flight, the next one is read and compressed on a blocking thread, so a large
/// push costs the client's encoding once rather than once per round. That early batch is sent only if
/// the answer acknowledged the whole batch before it and pulled nothing (see
/// [`plan::can_send_prepared`](super::plan::can_send_prepared)); otherwise it is encoded afresh.
pub async fn sync_once(
    client: &SyncClient,
    store: &Mutex<Store>,
    opts: SyncOptions,
    clock: &dyn Clock,
) -> Result<SyncSummary, SyncError> {
    let mut summary = SyncSummary::default();
    let mut batch = opts.batch.max(1);
    let mut ahead: Option<Prepared> = None;
    let mut pulling: Option<InFlight> = None;
    while summary.requests < MAX_ROUNDS {
        let t_prepare = Instant::now();
        let (cur, sent) = if let Some(sent) = pulling.take() {
            // The next page, asked for while the one before it was applied.
            let cur = Prepared {
                ops: Vec::new(),
                body: Vec::new(),
            };
            (cur, sent)
        } else {
            let mut cur = match ahead.take() {
                Some(p) => p,
                None => {
                    let (ops, pull_after, pending) = {
                        let s = lock(store);
                        if s.identity().is_none() {
                            return Err(SyncError::NotEnrolled);
                        }
                        let ops = s.outbox_batch(batch)?;
                        let after = s.pending_count()?.saturating_sub(ops.len() as u64);
                        (ops, s.pull_pos()?, after)
                    };
                    prepare(ops, pull_after, opts.pull_limit, clock.now_ms(), pending)?
                }
            };
            let body = std::mem::take(&mut cur.body);
            summary.requests += 1;
            (cur, InFlight::start(client, body, clock))
        };
        let InFlight {
            body_len,
            sent_ms,
            t_send,
            task: in_flight,
        } = sent;
        let prepared = t_prepare.elapsed();
        // Meanwhile: the next batch, if this one is full.
        let next = match cur.ops.last() {
            Some(last) if cur.ops.len() == batch => {
                let (ops, pull_after, pending) = {
                    let s = lock(store);
                    let ops = s.outbox_after(last.seq, batch)?;
                    let sent = (cur.ops.len() + ops.len()) as u64;
                    let after = s.pending_count()?.saturating_sub(sent);
                    (ops, s.pull_pos()?, after)
                };
                let (limit, phone_ms) = (opts.pull_limit, clock.now_ms());
                (!ops.is_empty()).then(|| {
                    tokio::task::spawn_blocking(move || {
                        prepare(ops, pull_after, limit, phone_ms, pending)
                    })
                })
            }
            _ => None,
        };
        let sent = in_flight
            .await
            .map_err(|e| SyncError::Network(format!("the request was abandoned: {e}")))?;
        let resp = match sent {
            Ok(r) => r,
            Err(SyncError::TooLarge) => {
                batch = shrink_batch(cur.ops.len().min(batch)).ok_or(SyncError::TooLarge)?;
                tracing::warn!(
                    batch,
                    "the server found the request too large; halving the batch"
                );
                continue;
            }
            Err(e) => return Err(e),
        };
        let round_trip = t_send.elapsed();
        // A pull-only round with more to pull and nothing to push: the next page is asked for now and
        // travels while this one is applied. Pulling is idempotent, so if this apply fails that
        // answer is dropped and the next sync asks again from the position stored.
        if cur.ops.is_empty() && resp.more && summary.requests + 1 < MAX_ROUNDS {
            let waiting = lock(store).pending_count()?;
            if waiting == 0 {
                let next = prepare(
                    Vec::new(),
                    resp.pull_pos,
                    opts.pull_limit,
                    clock.now_ms(),
                    0,
                )?;
                summary.requests += 1;
                pulling = Some(InFlight::start(client, next.body, clock));
            }
        }
        let t_apply = Instant::now();
        let (outcome, left) = {
            let mut s = lock(store);
            let outcome = s.apply_sync(&resp, sent_ms, clock.now_ms())?;
            (outcome, s.pending_count()?)
        };
        tracing::debug!(
            ops = cur.ops.len(),
            body_len,
            pulled = resp.ops.len(),
            prepare_ms = prepared.as_millis() as u64,
            round_trip_ms = round_trip.as_millis() as u64,
            apply_ms = t_apply.elapsed().as_millis() as u64,
            "sync round"
        );
        summary.pushed += cur.ops.len() as u64;
        summary.rejected += outcome.rejected;
        summary.pulled += outcome.pulled_new;
        summary.pending = left;
        summary.pull_pos = summary.pull_pos.max(resp.pull_pos);
        let last_sent = cur.ops.last().map(|o| o.seq);
        if let (Some(task), Some(last)) = (next, last_sent) {
            let early = task
                .await
                .map_err(|e| SyncError::Network(format!("encoding was abandoned: {e}")))??;
            if can_send_prepared(last, resp.acked_through, resp.ops.len(), resp.more) {
                ahead = Some(early);
            }
        }
        if outcome.requeued > 0 {
            // The server lost operations it had acknowledged (restored from a backup); they are back in
            // the outbox and go next, which is no stall.
            continue;
        }
        let facts = RoundFacts {
            sent: cur.ops.first().map(|o| o.seq).zip(last_sent),
            acked_through: resp.acked_through,
            outbox_left: left,
            pulled: resp.ops.len(),
            more: resp.more,
        };
        match next_after(facts) {
            Next::Round => {}
            Next::Done => break,
            Next::Stalled {
                sent_from,
                acked_through,
            } => {
                return Err(SyncError::Stalled {
                    sent_from,
                    acked_through,
                });
            }
        }
    }
    Ok(summary)
}
