//! Recording what a person does: one operation, validated and committed in one transaction.

use rusqlite::{TransactionBehavior, params};
use torgkoll_shared::{Hlc, OpBody, Operation, validate};
use uuid::{NoContext, Timestamp, Uuid};

use super::materialize::{self, DbLookup};
use super::{Result, Store, StoreError, meta_u64, set_meta};

/// A UUIDv7 for an operation made at `now_ms`.
pub fn new_op_id(now_ms: i64) -> Uuid {
    let ms = now_ms.max(0) as u64;
    Uuid::new_v7(Timestamp::from_unix(
        NoContext,
        ms / 1000,
        ((ms % 1000) * 1_000_000) as u32,
    ))
}

impl Store {
    /// Records one operation made now by this phone's user. When this returns `Ok`, the operation is
    /// committed to disk, queued for the server, and visible in every query.
    pub fn record(&mut self, body: OpBody, now_ms: i64) -> Result<Operation> {
        let me = self.identity.clone().ok_or(StoreError::NotEnrolled)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = meta_u64(&tx, "last_seq")? + 1;
        let hlc = Hlc(meta_u64(&tx, "hlc")?).tick(now_ms);
        let op = Operation {
            id: new_op_id(now_ms),
            device: me.device,
            seq,
            hlc,
            wall_ms: now_ms,
            role: me.role,
            body,
        };
        validate(&op, &self.site, &DbLookup(&tx))?;
        insert_op(&tx, &op, true, None, None)?;
        tx.prepare_cached("INSERT INTO outbox (seq, op_id) VALUES (?1, ?2)")?
            .execute(params![seq as i64, op.id])?;
        materialize::apply(&tx, &self.site, Some(me.device), &op)?;
        set_meta(&tx, "last_seq", &seq.to_string())?;
        set_meta(&tx, "hlc", &hlc.0.to_string())?;
        tx.commit()?;
        Ok(op)
    }
}

/// Inserts an operation into the log; returns whether it was new.
pub(crate) fn insert_op(
    conn: &rusqlite::Connection,
    op: &Operation,
    local: bool,
    server_pos: Option<u64>,
    received_ms: Option<i64>,
) -> Result<bool> {
    let target = match torgkoll_shared::touches(op) {
        torgkoll_shared::Touches::Reports(id, _) | torgkoll_shared::Touches::Run(id) => id,
    };
    let body = serde_json::to_string(&op.body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO oplog (op_id, device, seq, hlc, wall_ms, role, kind, target, body, local,
               sync_state, server_pos, received_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            op.id,
            op.device,
            op.seq as i64,
            op.hlc.0 as i64,
            op.wall_ms,
            op.role.code(),
            op.body.name(),
            target,
            body,
            local,
            local.then_some("pending"),
            server_pos.map(|p| p as i64),
            received_ms,
        ])?;
    Ok(n == 1)
}
