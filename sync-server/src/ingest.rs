//! The push algorithm, independent of the database: which pushed operations are skipped (already
//! acknowledged), accepted, rejected, or left for later (after a gap), and the server's correction of
//! each accepted operation's time and clock (`torgkoll_shared::timefix`). A store runs it inside one
//! transaction through [`PushTx`], so the writes and the new acknowledgement commit together.

use torgkoll_shared::protocol::{OwnFix, Rejection};
use torgkoll_shared::timefix::{DeviceTime, Receipt, corrected_times, effective_clock};
use torgkoll_shared::{Domain, Invalid, Lookup, Operation, Role, Site, TimeFix, validate};
use uuid::Uuid;

use crate::decode::DecodedOp;
use crate::store::{PushOutcome, Result, StoreError};

/// What the push algorithm needs from a store's open transaction. The [`Lookup`] must see operations
/// inserted earlier in the same transaction, and record its own failures for [`PushTx::take_error`].
pub trait PushTx: Lookup {
    /// The device's acknowledgement as stored now.
    fn acked_through(&self) -> Result<u64>;
    /// The device's enrollment and its latest accepted operation's corrected time and clock.
    fn device_time(&self) -> Result<DeviceTime>;
    /// Keeps the clock offset measured on this push (when the phone said what its clock read).
    fn record_offset(&mut self, receipt: &Receipt) -> Result<()>;
    /// Whether an accepted operation already has this id.
    fn id_taken(&self, id: Uuid) -> Result<bool>;
    /// Stores an accepted operation with its correction (`op.fix`) and receive time.
    fn insert_op(&mut self, op: &Operation, domain: Domain, received_ms: i64) -> Result<()>;
    /// Stores a refused operation as sent, with why (in English and as a code).
    fn insert_rejected(&mut self, op: &DecodedOp, cause: &Invalid, received_ms: i64) -> Result<()>;
    /// What became of this device's operation `seq`, stored earlier: its refusal, or its correction.
    fn earlier_outcome(&self, seq: u64) -> Result<(Option<Rejection>, Option<TimeFix>)>;
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
    ops.sort_by_key(|o| o.seq);
    tx.record_offset(&receipt)?;
    let start = tx.acked_through()?;
    let mut out = PushOutcome {
        acked_through: start,
        ..Default::default()
    };
    let mut clock = tx.device_time()?;
    let mut times = new_times(&ops, start, &clock, &receipt).into_iter();
    for d in ops {
        let acked = out.acked_through;
        if d.seq <= acked {
            if d.seq <= start {
                out.skipped += 1;
                report_again(tx, d.seq, &mut out)?;
            }
            continue;
        }
        if d.seq != acked + 1 {
            out.gap = true;
            break;
        }
        let at = times.next().unwrap_or(receipt.recv_ms);
        match verdict(tx, &d, device, role, site)? {
            Ok((mut op, domain)) => {
                let eff = effective_clock(op.hlc, at, clock.last_clock);
                op.fix = TimeFix::between(op.wall_ms, op.hlc, at, eff);
                tx.insert_op(&op, domain, receipt.recv_ms)?;
                out.added.mark(domain);
                clock.last_at = Some(at);
                clock.last_clock = Some(eff);
                if let Some(fix) = op.fix {
                    out.fixed.push(OwnFix { seq: d.seq, fix });
                }
                out.accepted += 1;
            }
            Err(cause) => {
                tx.insert_rejected(&d, &cause, receipt.recv_ms)?;
                out.rejected.push(Rejection {
                    seq: d.seq,
                    id: d.id,
                    reason: cause.to_string(),
                    cause: Some(cause),
                });
            }
        }
        out.acked_through = d.seq;
    }
    if out.acked_through != start {
        tx.set_acked(out.acked_through)?;
    }
    Ok(out)
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

/// Reports again what became of a resent operation, once per push.
fn report_again<T: PushTx>(tx: &T, seq: u64, out: &mut PushOutcome) -> Result<()> {
    let (rejection, fix) = tx.earlier_outcome(seq)?;
    if let Some(r) = rejection
        && !out.rejected.iter().any(|x| x.seq == r.seq)
    {
        out.rejected.push(r);
    }
    if let Some(fix) = fix
        && !out.fixed.iter().any(|x| x.seq == seq)
    {
        out.fixed.push(OwnFix { seq, fix });
    }
    Ok(())
}

/// Whether one operation is accepted (with its domain) or refused (with why).
fn verdict<T: PushTx>(
    tx: &T,
    d: &DecodedOp,
    device: Uuid,
    role: Role,
    site: &Site,
) -> Result<std::result::Result<(Operation, Domain), Invalid>> {
    let wire = match &d.op {
        Ok(w) => w.clone(),
        Err(why) => return Ok(Err(why.clone())),
    };
    let op = wire.into_op(device, role);
    if tx.id_taken(op.id)? {
        return Ok(Err(Invalid::IdInUse(op.id)));
    }
    let checked: std::result::Result<Domain, Invalid> = validate(&op, site, tx);
    if let Some(e) = tx.take_error() {
        return Err(e);
    }
    Ok(checked.map(|domain| (op, domain)))
}
