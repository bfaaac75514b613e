//! `sync_once`: push the outbox and pull everything new, round after round, until both are done.
//!
//! Each round sends a batch of the oldest unacknowledged operations (the first with the pull position,
//! the ones sent early beside it pulling nothing) and applies the answer in one local transaction (acks,
//! rejections, pulled rows, the new pull position). A cut connection therefore loses at most the rounds
//! in flight: the next attempt starts at the last acknowledged batch, and a resend of operations the
//! server already has is a no-op on both sides.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use torgkoll_shared::Clock;
use torgkoll_shared::protocol::SyncResponse;

use crate::store::Store;

use super::flight::{
    Encoding, Flight, Flights, Prepared, encode_next, encoded, on_store, prepare, read_batch,
};
use super::plan::{MAX_IN_FLIGHT, Next, RoundFacts, next_after, shrink_batch};
use super::{SyncClient, SyncError};

/// Operations per push request: 10,000 reports go in four requests (with the short first one). Smaller
/// batches than the server allows (10,000), so that the next one is ready, and decoded by the server,
/// while the one before it is stored (BENCHMARKS.md, "Early batches": 3,000 gave the push of 10,000
/// about 5 ms less than 5,000).
pub const BATCH: usize = 3_000;
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

/// What woke the sync while it waited for an answer.
enum Woke {
    Answer(Result<Result<SyncResponse, SyncError>, tokio::task::JoinError>),
    Encoded(Result<Result<Prepared, SyncError>, tokio::task::JoinError>),
}

/// The batch after `p`'s, read and encoded from now on, if `p` is full (more may wait behind it).
fn follow(
    store: &Arc<Mutex<Store>>,
    p: &Prepared,
    batch: usize,
    clock: &dyn Clock,
) -> Option<Encoding> {
    let last = p.ops.last()?;
    (p.ops.len() >= batch).then(|| encode_next(store, (last.seq, batch), clock.now_ms()))
}

/// Pushes everything pending and pulls everything new. Never holds the store's lock across a request,
/// and never touches the store on the async task itself ([`on_store`]).
/// Every time on the phone's side (the clock each request carries, when the answer came) is `clock`'s.
///
/// The pipeline: the first request carries a short batch ([`SyncOptions::first_batch`]) and pulls. The
/// batch after it is read and compressed on a blocking thread from the moment the first is read, and
/// leaves as soon as it is ready, the first still in flight, as an early request that pulls nothing;
/// each later batch likewise from the moment the one before it leaves, at most [`MAX_IN_FLIGHT`]
/// requests on their way at once. The server stores a device's batches in order (an early one waits
/// for the one before it, docs/PROTOCOL.md "Early batches") and decodes one while it stores the other,
/// so a push costs about the first short batch's encoding plus the server's storing. Answers are applied
/// in the order their requests left. After the outbox, rounds that pull go on until the server has
/// nothing more.
pub async fn sync_once(
    client: &SyncClient,
    store: &Arc<Mutex<Store>>,
    opts: SyncOptions,
    clock: &dyn Clock,
) -> Result<SyncSummary, SyncError> {
    let mut summary = SyncSummary::default();
    let mut batch = opts.batch.max(1);
    let mut first = true;
    let mut flights = Flights::default();
    // The batch after the last one sent, being read and encoded to leave early.
    let mut encoding: Option<Encoding> = None;
    // What the last answer that pulled said: how many it pulled, and whether more waits.
    let mut last_pull = (0, false);
    while summary.requests < MAX_ROUNDS {
        let t_prepare = Instant::now();
        // Nothing on its way: the batch encoded ahead if there is one (it follows what the server has
        // acknowledged, or it would have been dropped), else a fresh read that pulls.
        if flights.is_empty()
            && let Some(task) = encoding.take()
        {
            let p = encoded(task).await?;
            if !p.ops.is_empty() {
                encoding = follow(store, &p, batch, clock);
                summary.requests += 1;
                flights.push(Flight::send(client, p, false, clock));
            }
        }
        if flights.is_empty() {
            let size = if first {
                opts.first_batch.clamp(1, batch)
            } else {
                batch
            };
            first = false;
            let (limit, phone_ms) = (opts.pull_limit, clock.now_ms());
            tracing::trace!(size, "reading a batch");
            let (ops, pull_after, pending) =
                on_store(store, move |s| read_batch(s, 0, size)).await?;
            tracing::trace!(ops = ops.len(), "batch read");
            // The batch after this one, if it is full, is read and encoded at once, beside it.
            encoding = match ops.last() {
                Some(last) if ops.len() >= size => {
                    Some(encode_next(store, (last.seq, batch), phone_ms))
                }
                _ => None,
            };
            let p = tokio::task::spawn_blocking(move || {
                prepare(ops, pull_after, limit, phone_ms, pending)
            })
            .await
            .map_err(|e| SyncError::Network(format!("encoding was abandoned: {e}")))??;
            summary.requests += 1;
            flights.push(Flight::send(client, p, true, clock));
        }
        let prepared = t_prepare.elapsed();
        // The oldest request's answer; a batch encoded meanwhile leaves at once, beside it.
        let sent = loop {
            let room = flights.len() < MAX_IN_FLIGHT && summary.requests + 1 < MAX_ROUNDS;
            let oldest = flights.oldest().expect("a request on its way");
            let woke = match encoding.as_mut() {
                Some(next) if room => tokio::select! {
                    biased;
                    e = next => Woke::Encoded(e),
                    a = oldest => Woke::Answer(a),
                },
                _ => Woke::Answer(oldest.await),
            };
            match woke {
                Woke::Answer(a) => {
                    break a.map_err(|e| {
                        SyncError::Network(format!("the request was abandoned: {e}"))
                    })?;
                }
                Woke::Encoded(e) => {
                    encoding = None;
                    let p =
                        e.map_err(|e| SyncError::Network(format!("encoding was abandoned: {e}")))??;
                    if !p.ops.is_empty() {
                        encoding = follow(store, &p, batch, clock);
                        summary.requests += 1;
                        flights.push(Flight::send(client, p, false, clock));
                    }
                }
            }
        };
        let f = flights.pop().expect("the request just answered");
        let resp = match sent {
            Ok(r) => r,
            Err(SyncError::TooLarge) => {
                // What was sent after it would follow a gap: read the outbox again, in smaller batches.
                flights.abandon();
                encoding = None;
                batch = shrink_batch(f.ops.len().min(batch)).ok_or(SyncError::TooLarge)?;
                tracing::warn!(
                    batch,
                    "the server found the request too large; halving the batch"
                );
                continue;
            }
            Err(e) => return Err(e),
        };
        let round_trip = f.sent.t_send.elapsed();
        // A pull-only round with more to pull and nothing to push: the next page is asked for now and
        // travels while this one is applied. Pulling is idempotent, so if this apply fails that
        // answer is dropped and the next sync asks again from the position stored.
        if f.pulls
            && f.ops.is_empty()
            && resp.more
            && flights.is_empty()
            && encoding.is_none()
            && summary.requests + 1 < MAX_ROUNDS
        {
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
                flights.push(Flight::send(client, next, true, clock));
            }
        }
        let t_apply = Instant::now();
        let (sent_ms, now_ms, resp) = (f.sent.sent_ms, clock.now_ms(), Arc::new(resp));
        let answer = resp.clone();
        let (outcome, left) = on_store(store, move |s| {
            let outcome = s.apply_sync(&answer, sent_ms, now_ms)?;
            Ok((outcome, s.pending_count()?))
        })
        .await?;
        tracing::debug!(
            ops = f.ops.len(),
            body_len = f.sent.body_len,
            pulls = f.pulls,
            pulled = resp.ops.len(),
            prepare_ms = prepared.as_millis() as u64,
            round_trip_ms = round_trip.as_millis() as u64,
            apply_ms = t_apply.elapsed().as_millis() as u64,
            "sync round"
        );
        summary.pushed += f.ops.len() as u64;
        summary.rejected += outcome.rejected;
        summary.pulled += outcome.pulled_new;
        summary.pending = left;
        summary.pull_pos = summary.pull_pos.max(resp.pull_pos);
        if f.pulls {
            last_pull = (resp.ops.len(), resp.more);
        }
        let last_sent = f.last_seq();
        // A batch not acknowledged to its end (refused ones are acknowledged too: the server stopped
        // short, or it lost what it had, restored from a backup, and the operations are back in the
        // outbox): what was sent or encoded after it would follow a gap. Read the outbox again.
        if outcome.requeued > 0 || last_sent.is_some_and(|l| resp.acked_through < l) {
            flights.abandon();
            encoding = None;
        }
        if outcome.requeued > 0 {
            continue;
        }
        let facts = RoundFacts {
            sent: f.ops.first().map(|o| o.seq).zip(last_sent),
            acked_through: resp.acked_through,
            outbox_left: left,
            pulled: last_pull.0,
            more: last_pull.1,
            early: !f.pulls,
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
