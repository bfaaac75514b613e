//! Recording what a person does: one operation, validated and committed in one transaction.

use rusqlite::{TransactionBehavior, params};
use torgkoll_shared::{Hlc, OpBody, Operation, validate};
use uuid::Uuid;

use super::materialize;
use super::materialize_rows::DbLookup;
use super::{Result, Store, StoreError, meta_u64, set_meta};

/// The UUIDv7 of this device's operation number `seq`, made at `now_ms`.
///
/// Laid out as RFC 9562 allows for distributed generation (§6.2 counters, §6.4 node bits): 48 bits of
/// Unix milliseconds, then in `rand_a` the high 12 bits of a 36-bit sequence counter, and in `rand_b` 38 bits
/// that identify the device (taken from its random server-made id) followed by the low 24 bits of the
/// counter. Within a device ids are unique because `seq` is; across devices they differ in the node bits
/// (and the server refuses an id it has seen from another device, so a clash could never overwrite). Unlike
/// fully random bits, this compresses: a batch of one device's operations shares its node bits and counts
/// up, which is most of what makes 1,000 status changes small on the wire.
pub fn new_op_id(now_ms: i64, device: Uuid, seq: u64) -> Uuid {
    let ms = (now_ms.max(0) as u64) & ((1 << 48) - 1);
    let node =
        u64::from_be_bytes(device.as_bytes()[8..16].try_into().expect("8 bytes")) & ((1 << 38) - 1);
    let rand_a = (seq >> 24) & 0xFFF;
    let rand_b = (node << 24) | (seq & 0xFF_FFFF);
    let hi = (ms << 16) | (0x7 << 12) | rand_a;
    let lo = (0b10 << 62) | rand_b;
    Uuid::from_u64_pair(hi, lo)
}

impl Store {
    /// Records one operation made now by this phone's user. When this returns `Ok`, the operation is
    /// committed to disk, queued for the server, and visible in every query.
    pub fn record(&mut self, body: OpBody, now_ms: i64) -> Result<Operation> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let op = record_in(&tx, &self.site, self.identity.as_ref(), body, now_ms)?;
        tx.commit()?;
        Ok(op)
    }
}

/// [`Store::record`] inside a transaction the caller commits (with what else must happen with it).
pub(crate) fn record_in(
    tx: &rusqlite::Transaction<'_>,
    site: &torgkoll_shared::Site,
    me: Option<&super::Identity>,
    body: OpBody,
    now_ms: i64,
) -> Result<Operation> {
    let me = me.ok_or(StoreError::NotEnrolled)?;
    let seq = meta_u64(tx, "last_seq")? + 1;
    let hlc = Hlc(meta_u64(tx, "hlc")?).tick(now_ms);
    let op = Operation {
        id: new_op_id(now_ms, me.device, seq),
        device: me.device,
        seq,
        hlc,
        wall_ms: now_ms,
        role: me.role,
        body,
        fix: None,
    };
    validate(&op, site, &DbLookup(tx))?;
    insert_op(tx, &op, true, None, None)?;
    tx.prepare_cached("INSERT INTO outbox (seq, op_id) VALUES (?1, ?2)")?
        .execute(params![seq as i64, op.id])?;
    materialize::apply(tx, site, Some(me.device), &op)?;
    set_meta(tx, "last_seq", &seq.to_string())?;
    set_meta(tx, "hlc", &hlc.0.to_string())?;
    Ok(op)
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
        torgkoll_shared::Touches::Reports(id, _)
        | torgkoll_shared::Touches::Run(id)
        | torgkoll_shared::Touches::Handover(id) => id,
    };
    let body = serde_json::to_string(&op.body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO oplog (op_id, device, seq, hlc, wall_ms, role, kind, target, body, local,
               sync_state, server_pos, received_ms, fix_at, fix_hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
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
            // The state of an own operation comes from the outbox (`queries::own_state_sql`).
            None::<&str>,
            server_pos.map(|p| p as i64),
            received_ms,
            op.fix.map(|f| f.at),
            op.fix.map(|f| f.hlc.0 as i64),
        ])?;
    Ok(n == 1)
}

/// The columns of an operation's log row, in `INSERT` order.
const COLUMNS: &str = "op_id, device, seq, hlc, wall_ms, role, kind, target, body, local, sync_state, \
                       server_pos, received_ms, fix_at, fix_hlc";

/// Inserts operations pulled from the server into the log, many rows a statement (50, 10, then one at a
/// time: three statements the connection keeps prepared); answers the ids of those that were new (one
/// already held is skipped by its id, as [`insert_op`] does).
pub(crate) fn insert_pulled(
    conn: &rusqlite::Connection,
    ops: &[(Operation, u64, i64)],
) -> Result<std::collections::HashSet<uuid::Uuid>> {
    let mut new = std::collections::HashSet::with_capacity(ops.len());
    let mut rest = ops;
    for rows in [50, 10, 1] {
        let sql = format!(
            "INSERT OR IGNORE INTO oplog ({COLUMNS}) VALUES {} RETURNING op_id",
            vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?, ?)"; rows].join(", ")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        while rest.len() >= rows {
            let (chunk, after) = rest.split_at(rows);
            rest = after;
            for (i, (op, pos, recv)) in chunk.iter().enumerate() {
                let target = match torgkoll_shared::touches(op) {
                    torgkoll_shared::Touches::Reports(id, _)
                    | torgkoll_shared::Touches::Run(id)
                    | torgkoll_shared::Touches::Handover(id) => id,
                };
                let body = serde_json::to_string(&op.body)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let at = i * 13;
                stmt.raw_bind_parameter(at + 1, op.id)?;
                stmt.raw_bind_parameter(at + 2, op.device)?;
                stmt.raw_bind_parameter(at + 3, op.seq as i64)?;
                stmt.raw_bind_parameter(at + 4, op.hlc.0 as i64)?;
                stmt.raw_bind_parameter(at + 5, op.wall_ms)?;
                stmt.raw_bind_parameter(at + 6, op.role.code())?;
                stmt.raw_bind_parameter(at + 7, op.body.name())?;
                stmt.raw_bind_parameter(at + 8, target)?;
                stmt.raw_bind_parameter(at + 9, body)?;
                stmt.raw_bind_parameter(at + 10, *pos as i64)?;
                stmt.raw_bind_parameter(at + 11, *recv)?;
                stmt.raw_bind_parameter(at + 12, op.fix.map(|f| f.at))?;
                stmt.raw_bind_parameter(at + 13, op.fix.map(|f| f.hlc.0 as i64))?;
            }
            let mut returned = stmt.raw_query();
            while let Some(row) = returned.next()? {
                new.insert(row.get::<_, uuid::Uuid>(0)?);
            }
        }
    }
    Ok(new)
}

#[cfg(test)]
mod id_tests {
    use super::new_op_id;
    use uuid::{Uuid, Variant};

    #[test]
    fn op_ids_are_uuid_v7_unique_per_device_and_time_ordered() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let now = 1_764_150_000_000;
        let id = new_op_id(now, a, 1);
        assert_eq!(id.get_version_num(), 7);
        assert_eq!(id.get_variant(), Variant::RFC4122);
        let (secs, nanos) = id.get_timestamp().unwrap().to_unix();
        assert_eq!(secs as i64 * 1000 + i64::from(nanos / 1_000_000), now);
        let mut seen = std::collections::HashSet::new();
        for seq in 1..5_000u64 {
            assert!(seen.insert(new_op_id(now, a, seq)));
            assert!(seen.insert(new_op_id(now, b, seq)));
        }
        // Beyond 24 bits the counter carries into rand_a.
        assert_ne!(new_op_id(now, a, 1), new_op_id(now, a, 1 + (1 << 24)));
        assert!(new_op_id(now + 1, a, 1) > new_op_id(now, a, 2));
    }
}
