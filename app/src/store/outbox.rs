//! The outbox: this phone's own operations the server has not acknowledged yet, read in sequence order.
//!
//! Two readings: as [`Operation`]s (for tools and tests), and as they go on the wire ([`OutboxOp`]),
//! with each body the JSON text the operation log stores. The log stores a body as
//! `serde_json::to_string(&OpBody)`, which is what encoding the parsed body gives again, so a request
//! built from the stored text is byte for byte the request built from the parsed operation
//! (`sync::encode::encode_outbox`, tested against `encode_request` in `outbox_tests.rs`) without parsing and re-encoding
//! 5,000 bodies per request.

use rusqlite::params;
use serde_json::value::RawValue;
use torgkoll_shared::{Hlc, Operation};
use uuid::Uuid;

use super::sync::op_from_row;
use super::{Result, Store};

/// An own operation as the phone sends it: its numbering, and its body as the operation log stores it.
#[derive(Clone, Debug)]
pub struct OutboxOp {
    pub id: Uuid,
    pub seq: u64,
    pub hlc: Hlc,
    pub wall_ms: i64,
    /// The body's JSON as stored (checked to be JSON when read).
    pub body: Box<RawValue>,
}

fn outbox_op_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxOp> {
    let body: String = r.get(4)?;
    Ok(OutboxOp {
        id: r.get(0)?,
        seq: r.get::<_, i64>(1)? as u64,
        hlc: Hlc(r.get::<_, i64>(2)? as u64),
        wall_ms: r.get(3)?,
        body: RawValue::from_string(body).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
        })?,
    })
}

impl Store {
    /// The oldest unacknowledged operations, in sequence order.
    pub fn outbox_batch(&self, limit: usize) -> Result<Vec<Operation>> {
        // Sequence numbers start at 1.
        self.outbox_after(0, limit)
    }

    /// Unacknowledged operations after sequence number `after_seq`, in sequence order (the batch after
    /// one already in flight).
    pub fn outbox_after(&self, after_seq: u64, limit: usize) -> Result<Vec<Operation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.* FROM outbox q JOIN oplog o ON o.op_id = q.op_id WHERE q.seq > ?1
             ORDER BY q.seq LIMIT ?2",
        )?;
        let ops = stmt
            .query_map(params![after_seq as i64, limit as i64], op_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ops)
    }

    /// Up to `limit` unacknowledged operations after sequence number `after_seq` (0: from the oldest),
    /// in sequence order, as they go on the wire: what a sync round sends.
    pub fn outbox_wire(&self, after_seq: u64, limit: usize) -> Result<Vec<OutboxOp>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.op_id, o.seq, o.hlc, o.wall_ms, o.body
             FROM outbox q JOIN oplog o ON o.op_id = q.op_id WHERE q.seq > ?1
             ORDER BY q.seq LIMIT ?2",
        )?;
        let ops = stmt
            .query_map(params![after_seq as i64, limit as i64], outbox_op_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ops)
    }

    /// How many operations after `seq` wait for the server.
    pub fn pending_after(&self, seq: u64) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM outbox WHERE seq > ?1",
            [seq as i64],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// How many operations wait for the server.
    pub fn pending_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get::<_, i64>(0))?
            as u64)
    }
}
