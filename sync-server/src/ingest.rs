//! The push, in the protocol's order and independent of the database: which pushed operations are
//! skipped (already acknowledged), accepted, rejected, or left for later (after a gap), and the server's
//! correction of each accepted operation's time and clock (`torgkoll_shared::timefix`). A store runs
//! [`apply_push`] inside one transaction through [`PushTx`], so the writes and the new acknowledgement
//! commit together.
//!
//! The work is set-based: the device is read once, the ids of the whole push are looked up in one
//! query, earlier outcomes of resent operations in one, and the accepted and refused operations are
//! written at the end in multi-row statements. Operations of the same push that name each other (a
//! status change of a report made a moment before) are found in memory (`Pending`).

use std::collections::{HashMap, HashSet};

use serde_json::value::RawValue;
use torgkoll_shared::protocol::{OwnFix, Rejection};
use torgkoll_shared::timefix::{DeviceTime, Receipt, corrected_times, effective_clock};
use torgkoll_shared::{Domain, Invalid, Lookup, OpBody, Operation, Role, Site, TimeFix, validate};
use uuid::Uuid;

use crate::decode::DecodedOp;
use crate::store::{PushOutcome, Result, StoreError};

/// An accepted operation as it is stored: with its correction (`op.fix`) and domain.
#[derive(Debug)]
pub struct Accepted {
    pub op: Operation,
    pub domain: Domain,
}

/// A refused operation as it is stored: the text as sent and why.
#[derive(Debug)]
pub struct Refused {
    pub seq: u64,
    pub id: Uuid,
    pub raw: Box<RawValue>,
    pub cause: Invalid,
}

/// The [`DeviceTime`] a push starts from, as both stores read it: the device's enrollment and, when it
/// has an accepted operation, the latest one's corrected time and effective clock (`at_ms, clock`).
pub(crate) fn device_time(enrolled_ms: i64, last: Option<(i64, i64)>) -> DeviceTime {
    DeviceTime {
        enrolled_ms,
        last_at: last.map(|(at_ms, _)| at_ms),
        last_clock: last.map(|(_, clock)| torgkoll_shared::Hlc(clock as u64)),
    }
}

/// What the push needs from a store's open transaction. The [`Lookup`] answers from the stored
/// operations (the push's own ones are found in memory) and records its own failures for
/// [`PushTx::take_error`].
pub trait PushTx: Lookup {
    /// The device's acknowledgement as stored now, its enrollment, and its latest accepted operation's
    /// corrected time and clock.
    fn device(&self) -> Result<(u64, DeviceTime)>;
    /// Keeps the clock offset measured on this push (when the phone said what its clock read).
    fn record_offset(&mut self, receipt: &Receipt) -> Result<()>;
    /// Which of `ids` an accepted operation already has.
    fn taken(&self, ids: &[Uuid]) -> Result<HashSet<Uuid>>;
    /// What became of this device's operations `seqs` (ascending, stored earlier): the refusals, and
    /// the corrections of accepted ones, each in `seqs` order.
    fn earlier_outcomes(&self, seqs: &[u64]) -> Result<(Vec<Rejection>, Vec<OwnFix>)>;
    /// Stores accepted operations, in order (their positions follow it), with the receive time.
    fn insert_ops(&mut self, ops: &[Accepted], received_ms: i64) -> Result<()>;
    /// Stores refused operations as sent, with why (in English and as a code).
    fn insert_rejected(&mut self, refused: &[Refused], received_ms: i64) -> Result<()>;
    fn set_acked(&mut self, acked: u64) -> Result<()>;
    /// A failure the [`Lookup`] met (it can only answer `None`), to abort the transaction.
    fn take_error(&self) -> Option<StoreError>;
}

/// Applies one push of `device` (with `role`) to `tx`. Operations are taken in sequence order; those at
/// or below the acknowledgement are skipped (a resend is a no-op, though earlier refusals and corrections
/// are reported again so the phone still learns them), the next one is accepted or rejected and
/// acknowledged either way, and a missing sequence number stops the push there.
pub fn apply_push<T: PushTx>(
    tx: &mut T,
    device: Uuid,
    role: Role,
    mut ops: Vec<DecodedOp>,
    site: &Site,
    receipt: Receipt,
) -> Result<PushOutcome> {
    // 1. The device as stored, and the clock offset this push measured.
    ops.sort_by_key(|o| o.seq);
    tx.record_offset(&receipt)?;
    let (start, mut clock) = tx.device()?;
    let mut out = PushOutcome {
        acked_through: start,
        ..Default::default()
    };
    // 2. Resent operations: skipped, their earlier outcomes reported again (once each).
    let resent = ops.partition_point(|d| d.seq <= start);
    let mut seqs: Vec<u64> = ops[..resent].iter().map(|d| d.seq).collect();
    seqs.dedup();
    out.skipped = resent;
    if !seqs.is_empty() {
        (out.rejected, out.fixed) = tx.earlier_outcomes(&seqs)?;
    }
    // 3. New operations, in sequence order up to a gap: each accepted or refused, and acknowledged.
    let fresh = ops.split_off(resent);
    let times = new_times(&fresh, start, &clock, &receipt);
    let ids: Vec<Uuid> = fresh
        .iter()
        .filter_map(|d| d.op.as_ref().ok().map(|w| w.id))
        .collect();
    let taken = if ids.is_empty() {
        HashSet::new()
    } else {
        tx.taken(&ids)?
    };
    let mut pending = Pending::new(&*tx);
    let mut refused = Vec::new();
    let mut times = times.into_iter();
    for d in fresh {
        let acked = out.acked_through;
        if d.seq <= acked {
            continue; // the same operation twice in one request
        }
        if d.seq != acked + 1 {
            out.gap = true;
            break;
        }
        out.acked_through = d.seq;
        let at = times.next().unwrap_or(receipt.recv_ms);
        let op = match d.op {
            Ok(wire) => wire.into_op(device, role),
            Err(cause) => {
                refused.push(refuse(d.seq, d.id, d.raw, cause, &mut out));
                continue;
            }
        };
        let checked = if taken.contains(&op.id) || pending.has(op.id) {
            Err(Invalid::IdInUse(op.id))
        } else {
            validate(&op, site, &pending)
        };
        if let Some(e) = pending.tx.take_error() {
            return Err(e);
        }
        match checked {
            Ok(domain) => {
                let mut op = op;
                let eff = effective_clock(op.hlc, at, clock.last_clock);
                op.fix = TimeFix::between(op.wall_ms, op.hlc, at, eff);
                clock.last_at = Some(at);
                clock.last_clock = Some(eff);
                if let Some(fix) = op.fix {
                    out.fixed.push(OwnFix { seq: d.seq, fix });
                }
                out.added.mark(domain);
                out.accepted += 1;
                pending.add(Accepted { op, domain });
            }
            Err(cause) => refused.push(refuse(d.seq, d.id, d.raw, cause, &mut out)),
        }
    }
    // 4. The writes, and the new acknowledgement.
    let accepted = pending.into_ops();
    if !accepted.is_empty() {
        tx.insert_ops(&accepted, receipt.recv_ms)?;
    }
    if !refused.is_empty() {
        tx.insert_rejected(&refused, receipt.recv_ms)?;
    }
    if out.acked_through != start {
        tx.set_acked(out.acked_through)?;
    }
    Ok(out)
}

/// Records a refusal in the outcome and returns the row to store.
fn refuse(
    seq: u64,
    id: Uuid,
    raw: Box<RawValue>,
    cause: Invalid,
    out: &mut PushOutcome,
) -> Refused {
    out.rejected.push(Rejection {
        seq,
        id,
        reason: cause.to_string(),
        cause: Some(cause.clone()),
    });
    Refused {
        seq,
        id,
        raw,
        cause,
    }
}

/// The corrected times of the operations this push adds (those after `start`, up to a gap), in order.
/// An operation whose body cannot be read says nothing of its time; it is rejected anyway.
fn new_times(ops: &[DecodedOp], start: u64, dev: &DeviceTime, receipt: &Receipt) -> Vec<i64> {
    let mut walls = Vec::new();
    let mut next = start + 1;
    for d in ops.iter().filter(|d| d.seq > start) {
        if d.seq < next {
            continue; // the same operation twice in one request
        }
        if d.seq != next {
            break;
        }
        next += 1;
        walls.push(d.op.as_ref().ok().map(|w| w.wall));
    }
    corrected_times(dev, receipt, &walls)
}

/// The operations this push accepted so far (not stored yet), in front of the stored ones: a
/// [`Lookup`] that sees both, as validation needs.
struct Pending<'a, T> {
    tx: &'a T,
    ops: Vec<Accepted>,
    by_id: HashMap<Uuid, usize>,
    /// The photo hashes this push attached to each report.
    photos: HashMap<Uuid, Vec<String>>,
}

impl<'a, T: PushTx> Pending<'a, T> {
    fn new(tx: &'a T) -> Self {
        Pending {
            tx,
            ops: Vec::new(),
            by_id: HashMap::new(),
            photos: HashMap::new(),
        }
    }

    fn has(&self, id: Uuid) -> bool {
        self.by_id.contains_key(&id)
    }

    fn add(&mut self, a: Accepted) {
        if let OpBody::Photo { report, photo } = &a.op.body {
            self.photos
                .entry(*report)
                .or_default()
                .push(photo.hash.clone());
        }
        self.by_id.insert(a.op.id, self.ops.len());
        self.ops.push(a);
    }

    fn into_ops(self) -> Vec<Accepted> {
        self.ops
    }

    /// This push's own operation `id`, or `None` to look among the stored ones.
    fn own(&self, id: Uuid) -> Option<&Accepted> {
        self.by_id.get(&id).map(|&i| &self.ops[i])
    }
}

/// Mirrors the stores' queries: a report or run is made by a `clean`, `clean_request`, `disturbance`
/// or `run_start` operation; a task by a `clean_request`.
impl<T: PushTx> Lookup for Pending<'_, T> {
    fn target(&self, id: Uuid) -> Option<(Domain, Uuid)> {
        match self.own(id) {
            Some(a) => matches!(
                a.op.body,
                OpBody::Clean(_)
                    | OpBody::CleanRequest { .. }
                    | OpBody::Disturbance(_)
                    | OpBody::RunStart { .. }
            )
            .then_some((a.domain, a.op.device)),
            None => self.tx.target(id),
        }
    }

    fn run_started(&self, id: Uuid) -> Option<i64> {
        match self.own(id) {
            Some(a) => match a.op.body {
                OpBody::RunStart { started, .. } => Some(started),
                _ => None,
            },
            None => self.tx.run_started(id),
        }
    }

    fn is_task(&self, id: Uuid) -> bool {
        match self.own(id) {
            Some(a) => matches!(a.op.body, OpBody::CleanRequest { .. }),
            None => self.tx.is_task(id),
        }
    }

    fn photos_on(&self, report: Uuid) -> Vec<String> {
        let mut on = self.tx.photos_on(report);
        for hash in self.photos.get(&report).into_iter().flatten() {
            if !on.contains(hash) {
                on.push(hash.clone());
            }
        }
        on
    }
}
