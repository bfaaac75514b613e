//! The push algorithm, independent of the database: which pushed operations are skipped (already
//! acknowledged), accepted, rejected, or left for later (after a gap). A store runs it inside one
//! transaction through [`PushTx`], so the writes and the new acknowledgement commit together.

use torgkoll_shared::protocol::Rejection;
use torgkoll_shared::{Domain, Invalid, Lookup, Operation, Role, Site, validate};
use uuid::Uuid;

use crate::decode::DecodedOp;
use crate::store::{PushOutcome, Result, StoreError};

/// What the push algorithm needs from a store's open transaction. The [`Lookup`] must see operations
/// inserted earlier in the same transaction, and record its own failures for [`PushTx::take_error`].
pub trait PushTx: Lookup {
    /// The device's acknowledgement as stored now.
    fn acked_through(&self) -> Result<u64>;
    /// Whether an accepted operation already has this id.
    fn id_taken(&self, id: Uuid) -> Result<bool>;
    fn insert_op(&mut self, op: &Operation, domain: Domain, received_ms: i64) -> Result<()>;
    fn insert_rejected(&mut self, op: &DecodedOp, reason: &str, received_ms: i64) -> Result<()>;
    /// The stored refusal of this device's operation `seq`, if it was refused.
    fn rejection_of(&self, seq: u64) -> Result<Option<Rejection>>;
    fn set_acked(&mut self, acked: u64) -> Result<()>;
    /// A failure the [`Lookup`] met (it can only answer `None`), to abort the transaction.
    fn take_error(&self) -> Option<StoreError>;
}

/// Applies one push of `device` (with `role`) to `tx`. Operations are taken in sequence order; those at
/// or below the acknowledgement are skipped (a resend is a no-op, though earlier refusals are reported
/// again so the phone still learns them), the next one is accepted or rejected and acknowledged either
/// way, and a missing sequence number stops the push there.
pub fn apply_push<T: PushTx>(
    tx: &mut T,
    device: Uuid,
    role: Role,
    mut ops: Vec<DecodedOp>,
    site: &Site,
    now_ms: i64,
) -> Result<PushOutcome> {
    ops.sort_by_key(|o| o.seq);
    let start = tx.acked_through()?;
    let mut out = PushOutcome {
        acked_through: start,
        ..Default::default()
    };
    for d in ops {
        let acked = out.acked_through;
        if d.seq <= acked {
            if d.seq <= start {
                out.skipped += 1;
                if let Some(r) = tx.rejection_of(d.seq)?
                    && !out.rejected.iter().any(|x| x.seq == r.seq)
                {
                    out.rejected.push(r);
                }
            }
            continue;
        }
        if d.seq != acked + 1 {
            out.gap = true;
            break;
        }
        match verdict(tx, &d, device, role, site)? {
            Ok((op, domain)) => {
                tx.insert_op(&op, domain, now_ms)?;
                out.accepted += 1;
            }
            Err(reason) => {
                tx.insert_rejected(&d, &reason, now_ms)?;
                out.rejected.push(Rejection {
                    seq: d.seq,
                    id: d.id,
                    reason,
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

/// Whether one operation is accepted (with its domain) or refused (with the reason to show).
fn verdict<T: PushTx>(
    tx: &T,
    d: &DecodedOp,
    device: Uuid,
    role: Role,
    site: &Site,
) -> Result<std::result::Result<(Operation, Domain), String>> {
    let wire = match &d.op {
        Ok(w) => w.clone(),
        Err(why) => return Ok(Err(why.to_string())),
    };
    let op = wire.into_op(device, role);
    if tx.id_taken(op.id)? {
        return Ok(Err(format!("the operation id {} is already in use", op.id)));
    }
    let checked: std::result::Result<Domain, Invalid> = validate(&op, site, tx);
    if let Some(e) = tx.take_error() {
        return Err(e);
    }
    Ok(checked
        .map(|domain| (op, domain))
        .map_err(|e| e.to_string()))
}
