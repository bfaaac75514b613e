//! `sync_once`: push the outbox and pull everything new, round after round, until both are done.
//!
//! Each round takes the oldest unacknowledged operations, sends them with the pull position, and applies
//! the answer in one local transaction (acks, rejections, pulled rows, the new pull position). A cut
//! connection therefore loses at most the round in flight: the next attempt starts at the last
//! acknowledged batch, and a resend of operations the server already has is a no-op on both sides.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use torgkoll_shared::Clock;
use torgkoll_shared::protocol::SyncResponse;

use crate::store::{OutboxOp, Store};

use super::plan::{Next, RoundFacts, can_send_prepared, next_after, shrink_batch};
use super::{SyncClient, SyncError, encode::encode_outbox};

/// Operations per push request: 10,000 reports go in three requests (with the short first one).
pub const BATCH: usize = 5_000;
/// Operations in the first push request of a sync: short, so that it leaves soon and the next batch is
/// encoded while it is in flight.
pub const FIRST_BATCH: usize = 1_000;
/// Operations the phone asks for per pull page (the server may send fewer).
pub const PULL_LIMIT: u32 = 5_000;
/// A guard against a server that keeps saying "more" while making progress forever.
const MAX_ROUNDS: u32 = 10_000;

/// Tuning of one sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyncOptions {
    pub batch: usize,
    /// The first request's batch (at most `batch`).
    pub first_batch: usize,
    pub pull_limit: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            batch: BATCH,
            first_batch: FIRST_BATCH,
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
    ops: Vec<OutboxOp>,
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
    /// Sends `body`; `push` when it carries operations: it says so, and a small one takes the server's
    /// push lane (docs/PROTOCOL.md, "The push lane").
    fn start(client: &SyncClient, body: Vec<u8>, push: bool, clock: &dyn Clock) -> InFlight {
        let c = client.clone();
        InFlight {
            body_len: body.len(),
            sent_ms: clock.now_ms(),
            t_send: Instant::now(),
            task: tokio::spawn(async move { c.send_marked(body, push).await }),
        }
    }
}

/// The request body, saying what the phone's clock reads now (`phone_ms`) and how many of its own
/// operations still wait after this request's (`pending`).
fn prepare(
    ops: Vec<OutboxOp>,
    pull_after: u64,
    pull_limit: u32,
    phone_ms: i64,
    pending: u64,
) -> Result<Prepared, SyncError> {
    let body = encode_outbox(
        &ops,
        pull_after,
        Some(pull_limit),
        Some(phone_ms),
        Some(pending),
    )?;
    Ok(Prepared { ops, body })
}

/// A batch being read and encoded on a blocking thread.
type Encoding = tokio::task::JoinHandle<Result<Prepared, SyncError>>;

/// Reads (under the store's lock) and encodes (after it) the batch of up to `limit` operations after
/// `after`, on a blocking thread.
fn encode_next(
    store: &Arc<Mutex<Store>>,
    (after, limit): (u64, usize),
    pull_limit: u32,
    phone_ms: i64,
) -> Encoding {
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let (ops, pull_after, pending) = read_batch(&lock(&store), after, limit)?;
        prepare(ops, pull_after, pull_limit, phone_ms, pending)
    })
}

/// Up to `limit` outbox operations after `after_seq`, the pull position, and how many operations wait
/// after these (whatever batches before them are still unacknowledged).
fn read_batch(
    s: &Store,
    after_seq: u64,
    limit: usize,
) -> Result<(Vec<OutboxOp>, u64, u64), SyncError> {
    if s.identity().is_none() {
        return Err(SyncError::NotEnrolled);
    }
    let ops = s.outbox_wire(after_seq, limit)?;
    let pending = s.pending_after(ops.last().map_or(after_seq, |o| o.seq))?;
    Ok((ops, s.pull_pos()?, pending))
}

/// Runs `f` on the store on a blocking thread. The store's work never runs on the sync's own task:
/// a request just started must not wait for it (a task spawned by this one runs only when this one
/// waits, on the engine's one-thread runtime and in tokio's LIFO slot alike).
async fn on_store<T: Send + 'static>(
    store: &Arc<Mutex<Store>>,
    f: impl FnOnce(&mut Store) -> Result<T, SyncError> + Send + 'static,
) -> Result<T, SyncError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&mut lock(&store)))
        .await
        .map_err(|e| SyncError::Network(format!("the store's work was abandoned: {e}")))?
}

/// Pushes everything pending and pulls everything new. Never holds the store's lock across a request,
/// and never touches the store on the async task itself ([`on_store`]).
/// Every time on the phone's side (the clock each request carries, when the answer came) is `clock`'s.
///
/// The pipeline: the first request carries a short batch ([`SyncOptions::first_batch`]) so that it
/// leaves soon; the batch after it is read and compressed on another blocking thread from the moment
/// the first is read, and each later one from the moment the one before it leaves; when the answer
/// comes, that next batch leaves at once, before the answer is applied, if the answer acknowledged the
/// whole batch before it and pulled nothing (see
/// [`plan::can_send_prepared`](super::plan::can_send_prepared)); otherwise it is encoded afresh after
/// the apply. So the phone's encoding and applying overlap the server's work, and a push costs about
/// the first short batch's encoding plus the server's time.
pub async fn sync_once(
    client: &SyncClient,
    store: &Arc<Mutex<Store>>,
    opts: SyncOptions,
    clock: &dyn Clock,
) -> Result<SyncSummary, SyncError> {
    let mut summary = SyncSummary::default();
    let mut batch = opts.batch.max(1);
    // The size of the batch read next from the outbox: the first one short.
    let mut size = opts.first_batch.clamp(1, batch);
    // A request already sent (before the answer to the one before it was applied), with its operations
    // and the batch after it, being encoded.
    let mut flying: Option<(Vec<OutboxOp>, InFlight, Option<Encoding>)> = None;
    while summary.requests < MAX_ROUNDS {
        let t_prepare = Instant::now();
        let (cur, sent, next) = match flying.take() {
            Some(f) => f,
            None => {
                let (limit, phone_ms) = (opts.pull_limit, clock.now_ms());
                let (ops, pull_after, pending) =
                    on_store(store, move |s| read_batch(s, 0, size)).await?;
                // The batch after this one, if it is full, is read and encoded at once, beside it.
                let next = match ops.last() {
                    Some(last) if ops.len() >= size => {
                        Some(encode_next(store, (last.seq, batch), limit, phone_ms))
                    }
                    _ => None,
                };
                let p = tokio::task::spawn_blocking(move || {
                    prepare(ops, pull_after, limit, phone_ms, pending)
                })
                .await
                .map_err(|e| SyncError::Network(format!("encoding was abandoned: {e}")))??;
                summary.requests += 1;
                let sent = InFlight::start(client, p.body, !p.ops.is_empty(), clock);
                (p.ops, sent, next)
            }
        };
        let InFlight {
            body_len,
            sent_ms,
            t_send,
            task: in_flight,
        } = sent;
        let prepared = t_prepare.elapsed();
        size = batch;
        let sent = in_flight
            .await
            .map_err(|e| SyncError::Network(format!("the request was abandoned: {e}")))?;
        let resp = match sent {
            Ok(r) => r,
            Err(SyncError::TooLarge) => {
                batch = shrink_batch(cur.len().min(batch)).ok_or(SyncError::TooLarge)?;
                size = batch;
                tracing::warn!(
                    batch,
                    "the server found the request too large; halving the batch"
                );
                continue;
            }
            Err(e) => return Err(e),
        };
        let round_trip = t_send.elapsed();
        // The next batch leaves now, before this answer is applied, if it is still right (its pull
        // position is). Should the apply fail, the sync ends with the error and that request's answer
        // is dropped: the next sync sends those operations again, which the server skips.
        let last_sent = cur.last().map(|o| o.seq);
        if let (Some(task), Some(last)) = (next, last_sent) {
            let early = task
                .await
                .map_err(|e| SyncError::Network(format!("encoding was abandoned: {e}")))??;
            if !early.ops.is_empty()
                && can_send_prepared(last, resp.acked_through, resp.ops.len(), resp.more)
            {
                summary.requests += 1;
                let sent = InFlight::start(client, early.body, !early.ops.is_empty(), clock);
                let after = early.ops.last().map(|o| o.seq).unwrap_or(last);
                // And the one after it, if this one is full.
                let following = (early.ops.len() >= batch)
                    .then(|| encode_next(store, (after, batch), opts.pull_limit, clock.now_ms()));
                flying = Some((early.ops, sent, following));
            }
        }
        // A pull-only round with more to pull and nothing to push: the next page is asked for now and
        // travels while this one is applied. Pulling is idempotent, so if this apply fails that
        // answer is dropped and the next sync asks again from the position stored.
        if cur.is_empty() && resp.more && summary.requests + 1 < MAX_ROUNDS {
            let waiting = on_store(store, |s| Ok(s.pending_count()?)).await?;
            if waiting == 0 {
                let next = prepare(
                    Vec::new(),
                    resp.pull_pos,
                    opts.pull_limit,
                    clock.now_ms(),
                    0,
                )?;
                summary.requests += 1;
                let sent = InFlight::start(client, next.body, false, clock);
                flying = Some((Vec::new(), sent, None));
            }
        }
        let t_apply = Instant::now();
        let (now_ms, resp) = (clock.now_ms(), Arc::new(resp));
        let answer = resp.clone();
        let (outcome, left) = on_store(store, move |s| {
            let outcome = s.apply_sync(&answer, sent_ms, now_ms)?;
            Ok((outcome, s.pending_count()?))
        })
        .await?;
        tracing::debug!(
            ops = cur.len(),
            body_len,
            pulled = resp.ops.len(),
            prepare_ms = prepared.as_millis() as u64,
            round_trip_ms = round_trip.as_millis() as u64,
            apply_ms = t_apply.elapsed().as_millis() as u64,
            "sync round"
        );
        summary.pushed += cur.len() as u64;
        summary.rejected += outcome.rejected;
        summary.pulled += outcome.pulled_new;
        summary.pending = left;
        summary.pull_pos = summary.pull_pos.max(resp.pull_pos);
        if outcome.requeued > 0 {
            // The server lost operations it had acknowledged (restored from a backup); they are back in
            // the outbox and go next, which is no stall.
            continue;
        }
        let facts = RoundFacts {
            sent: cur.first().map(|o| o.seq).zip(last_sent),
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
