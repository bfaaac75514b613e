//! The parts `sync_once` (`round.rs`) is made of: reading a batch from the outbox, encoding it, sending it,
//! all off the sync's own task, so a request already sent is never held up by the store's work.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use torgkoll_shared::Clock;
use torgkoll_shared::protocol::SyncResponse;

use crate::store::{OutboxOp, Store};

use super::{SyncClient, SyncError, encode::encode_outbox};

pub(super) fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    // A panic elsewhere while holding the lock cannot leave the database half-written (every write is one
    // transaction), so the store is still good to use.
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A request body ready to send, and the operations in it.
pub(super) struct Prepared {
    pub ops: Vec<OutboxOp>,
    pub body: Vec<u8>,
}

/// A request on its way: the answer comes from `task`.
pub(super) struct InFlight {
    pub body_len: usize,
    /// When it left, on the phone's clock.
    pub sent_ms: i64,
    pub t_send: Instant,
    pub task: tokio::task::JoinHandle<Result<SyncResponse, SyncError>>,
}

impl InFlight {
    /// Sends `body`; `push` when it carries operations: it says so, and a small one takes the server's
    /// push lane (docs/PROTOCOL.md, "The push lane").
    pub fn start(client: &SyncClient, body: Vec<u8>, push: bool, clock: &dyn Clock) -> InFlight {
        let c = client.clone();
        InFlight {
            body_len: body.len(),
            sent_ms: clock.now_ms(),
            t_send: Instant::now(),
            task: tokio::spawn(async move { c.send_marked(body, push).await }),
        }
    }
}

/// A request of a sync on its way, with the operations it carries and whether it asked to pull (an
/// early batch, sent before the answer to the request before it, pulls nothing).
pub(super) struct Flight {
    pub ops: Vec<OutboxOp>,
    pub sent: InFlight,
    pub pulls: bool,
}

impl Flight {
    /// Sends a prepared body.
    pub fn send(client: &SyncClient, p: Prepared, pulls: bool, clock: &dyn Clock) -> Flight {
        tracing::trace!(
            ops = p.ops.len(),
            pulls,
            body_len = p.body.len(),
            "request sent"
        );
        Flight {
            sent: InFlight::start(client, p.body, !p.ops.is_empty(), clock),
            ops: p.ops,
            pulls,
        }
    }

    /// The sequence number of the last operation it carries.
    pub fn last_seq(&self) -> Option<u64> {
        self.ops.last().map(|o| o.seq)
    }
}

/// The request body, saying what the phone's clock reads now (`phone_ms`) and how many of its own
/// operations still wait after this request's (`pending`). A `pull_limit` of 0 asks to pull nothing.
pub(super) fn prepare(
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
pub(super) type Encoding = tokio::task::JoinHandle<Result<Prepared, SyncError>>;

/// Reads (under the store's lock) and encodes (after it) the batch of up to `limit` operations after
/// `after`, on a blocking thread, as an early request: one that pulls nothing.
pub(super) fn encode_next(
    store: &Arc<Mutex<Store>>,
    (after, limit): (u64, usize),
    phone_ms: i64,
) -> Encoding {
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let (ops, pull_after, pending) = read_batch(&lock(&store), after, limit)?;
        tracing::trace!(after, ops = ops.len(), "batch read");
        let p = prepare(ops, pull_after, 0, phone_ms, pending);
        tracing::trace!(after, "batch encoded");
        p
    })
}

/// Waits for a batch being encoded.
pub(super) async fn encoded(task: Encoding) -> Result<Prepared, SyncError> {
    task.await
        .map_err(|e| SyncError::Network(format!("encoding was abandoned: {e}")))?
}

/// Up to `limit` outbox operations after `after_seq`, the pull position, and how many operations wait
/// after these (whatever batches before them are still unacknowledged).
pub(super) fn read_batch(
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
pub(super) async fn on_store<T: Send + 'static>(
    store: &Arc<Mutex<Store>>,
    f: impl FnOnce(&mut Store) -> Result<T, SyncError> + Send + 'static,
) -> Result<T, SyncError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&mut lock(&store)))
        .await
        .map_err(|e| SyncError::Network(format!("the store's work was abandoned: {e}")))?
}

/// The requests of one sync on their way, oldest first. Those still on their way when it stops
/// waiting for them (the sync ends with an error, or a batch before them was not acknowledged whole)
/// are abandoned: their connections close, and the server stores nothing of a batch whose request it
/// has not read whole (whatever it did store, the next sync's resend skips).
#[derive(Default)]
pub(super) struct Flights(std::collections::VecDeque<Flight>);

impl Flights {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, f: Flight) {
        self.0.push_back(f);
    }

    pub fn pop(&mut self) -> Option<Flight> {
        self.0.pop_front()
    }

    /// The oldest request's answer, to wait for.
    pub fn oldest(
        &mut self,
    ) -> Option<&mut tokio::task::JoinHandle<Result<SyncResponse, SyncError>>> {
        self.0.front_mut().map(|f| &mut f.sent.task)
    }

    pub fn abandon(&mut self) {
        for f in self.0.drain(..) {
            f.sent.task.abort();
        }
    }
}

impl Drop for Flights {
    fn drop(&mut self) {
        self.abandon();
    }
}
