//! What review, retention and the photo routes read and change on PostgreSQL: the operations of the
//! reports and runs a period touches, the devices active in a period, the retention purge of free text,
//! and the operations attaching a photo (found through the index on their hash).

use postgres::{Client, IsolationLevel};
use serde_json::Value;
use torgkoll_shared::analytics::Retention;
use torgkoll_shared::{Hlc, OpBody, Operation, Role, TimeFix};

use super::pg_devices::role_from;
use super::sqlite_sync::domain_from;
use super::{PhotoAttachment, PhotoRecord, PurgeOutcome, Result, StoreError};
use crate::cancel::Cancel;

/// The reports and runs of site `$5` with an operation made in `[$1, $2)` (a creating operation is its
/// own root, a change belongs to its target) and, with `$3`, the reports made before `$3` that may be
/// open then (see `sqlite_review.rs`: a superset of the open ones, of any site; the fold decides); then
/// every operation of site `$5` of those made before `$4`.
const OPS_TOUCHING: &str = "WITH roots AS (
        SELECT COALESCE(target, op_id) AS id FROM ops
        WHERE at_ms >= $1 AND at_ms < $2 AND site = $5
        UNION
        SELECT id FROM report_status
        WHERE $3::BIGINT IS NOT NULL AND made_ms < $3
          AND ((NOT gone AND (resolved_hlc IS NULL OR again_hlc >= resolved_hlc)) OR changed_ms >= $3)
    )
    SELECT op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock FROM ops
    WHERE op_id IN (SELECT id FROM roots) AND at_ms < $4 AND site = $5
    UNION ALL
    SELECT op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock FROM ops
    WHERE target IN (SELECT id FROM roots) AND at_ms < $4 AND site = $5";

/// The period of [`ops_touching`] (see `ServerStore::ops_touching`).
pub(super) struct Span {
    pub from_ms: i64,
    pub to_ms: i64,
    pub open_at: Option<i64>,
    pub made_before: i64,
}

/// An operation with its correction from `op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock`.
pub(super) fn op_from_row(r: &postgres::Row) -> Result<Operation> {
    let (hlc, wall_ms) = (Hlc(r.try_get::<_, i64>(3)? as u64), r.try_get(4)?);
    let body: OpBody = serde_json::from_str(r.try_get::<_, &str>(6)?)
        .map_err(|e| StoreError::Corrupt(format!("an operation's body: {e}")))?;
    Ok(Operation {
        id: r.try_get(0)?,
        device: r.try_get(1)?,
        seq: r.try_get::<_, i64>(2)? as u64,
        hlc,
        wall_ms,
        role: role_from(r.try_get(5)?)?,
        body,
        fix: TimeFix::between(
            wall_ms,
            hlc,
            r.try_get(7)?,
            Hlc(r.try_get::<_, i64>(8)? as u64),
        ),
    })
}

/// One statement: a cancelled request is noticed before it runs and once it has (PostgreSQL is not
/// interrupted half-way, unlike SQLite's progress handler).
pub(super) fn ops_touching(
    c: &mut Client,
    site: &str,
    span: &Span,
    cancel: &Cancel,
) -> Result<Vec<Operation>> {
    let Span {
        from_ms,
        to_ms,
        open_at,
        made_before,
    } = *span;
    if cancel.is_cancelled() {
        return Err(StoreError::Cancelled);
    }
    let mut tx = c
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let rows = tx.query(
        OPS_TOUCHING,
        &[&from_ms, &to_ms, &open_at, &made_before, &site],
    )?;
    tx.commit()?;
    if cancel.is_cancelled() {
        return Err(StoreError::Cancelled);
    }
    rows.iter().map(op_from_row).collect()
}

pub(super) fn active_in(
    c: &mut Client,
    site: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<(Role, u32)>> {
    c.query(
        "SELECT role, COUNT(DISTINCT device) FROM ops WHERE at_ms >= $1 AND at_ms < $2 AND site = $3
         GROUP BY role ORDER BY role COLLATE \"C\"",
        &[&from_ms, &to_ms, &site],
    )?
    .iter()
    .map(|r| Ok((role_from(r.try_get(0)?)?, r.try_get::<_, i64>(1)? as u32)))
    .collect()
}

pub(super) fn purge(c: &mut Client, retention: Retention, now_ms: i64) -> Result<PurgeOutcome> {
    let cutoff = retention.cutoff_ms(now_ms);
    let mut tx = c.transaction()?;
    let mut out = PurgeOutcome::default();
    let due = tx.query(
        "SELECT op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock, pos FROM ops
         WHERE kind IN ('clean', 'clean_request', 'disturbance', 'details', 'amend', 'handover')
           AND at_ms < $1 AND (body::jsonb) ->> 'note' IS NOT NULL",
        &[&cutoff],
    )?;
    for row in &due {
        let op = op_from_row(row)?;
        if !retention.is_due(&op, now_ms) {
            continue;
        }
        let pos: i64 = row.try_get(9)?;
        let body = serde_json::to_string(&op.body.without_note())
            .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
        tx.execute("UPDATE ops SET body = $2 WHERE pos = $1", &[&pos, &body])?;
        out.ops += 1;
    }
    // Rejected operations keep the text as sent (maybe not JSON at all): their `body.note` goes once
    // they were received before the cutoff.
    let rejected = tx.query(
        "SELECT device, seq, raw FROM rejected WHERE received_ms < $1 AND raw LIKE '%note%'",
        &[&cutoff],
    )?;
    for row in &rejected {
        let (device, seq): (uuid::Uuid, i64) = (row.try_get(0)?, row.try_get(1)?);
        let Ok(mut v) = serde_json::from_str::<Value>(row.try_get(2)?) else {
            continue;
        };
        if let Some(body) = v.get_mut("body").and_then(Value::as_object_mut)
            && body.remove("note").is_some()
        {
            tx.execute(
                "UPDATE rejected SET raw = $3 WHERE device = $1 AND seq = $2",
                &[&device, &seq, &v.to_string()],
            )?;
            out.rejected += 1;
        }
    }
    tx.commit()?;
    Ok(out)
}

pub(super) fn photo_record(c: &mut Client, hash: &str) -> Result<PhotoRecord> {
    let rows = c.query(
        "SELECT domain, device, at_ms, body FROM ops
         WHERE kind = 'photo' AND ((body::jsonb) ->> 'hash') = $1 ORDER BY pos",
        &[&hash],
    )?;
    let corrupt = || StoreError::Corrupt(format!("a photo operation of {hash}"));
    let mut attachments = Vec::with_capacity(rows.len());
    for r in &rows {
        let body: OpBody = serde_json::from_str(r.try_get(3)?).map_err(|_| corrupt())?;
        attachments.push(PhotoAttachment {
            domain: domain_from(r.try_get(0)?).ok_or_else(corrupt)?,
            device: r.try_get(1)?,
            at_ms: r.try_get(2)?,
            photo: body.photo().ok_or_else(corrupt)?.clone(),
        });
    }
    let purged = c
        .query_opt("SELECT 1 FROM photos_purged WHERE hash = $1", &[&hash])?
        .is_some();
    Ok(PhotoRecord {
        attachments,
        purged,
    })
}

pub(super) fn photo_owners(c: &mut Client) -> Result<Vec<(uuid::Uuid, String)>> {
    c.query(
        "SELECT DISTINCT device, h FROM (SELECT device, ((body::jsonb) ->> 'hash') AS h FROM ops
                                          WHERE kind = 'photo') AS p
         WHERE h IS NOT NULL AND h NOT IN (SELECT hash FROM photos_purged)",
        &[],
    )?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect()
}

pub(super) fn photos_made_before(c: &mut Client, cutoff_ms: i64) -> Result<Vec<String>> {
    c.query(
        "SELECT h FROM (SELECT ((body::jsonb) ->> 'hash') AS h, MAX(at_ms) AS made FROM ops
                        WHERE kind = 'photo' GROUP BY 1) AS p
         WHERE made < $1 AND h IS NOT NULL AND h NOT IN (SELECT hash FROM photos_purged)
         ORDER BY h COLLATE \"C\"",
        &[&cutoff_ms],
    )?
    .iter()
    .map(|r| Ok(r.try_get(0)?))
    .collect()
}
