//! The scan for level-1 events on SQLite (webhooks, `crate::webhooks`): a cursor over `ops.pos`, each
//! operation that first made its report level 1 enqueued for its site's webhooks in the transaction that
//! moves the cursor, so a crash neither loses an event nor doubles one.

use rusqlite::{TransactionBehavior, params};
use torgkoll_shared::partner::{PartnerEvent, first_level1, level1_payload, may_make_level1};
use torgkoll_shared::{OpBody, apply_to_report};
use uuid::Uuid;

use super::sqlite::SqliteStore;
use super::sqlite_review::op_from_row;
use super::sqlite_webhooks::enqueue;
use super::{Result, StoreError};
use crate::sites::Sites;
use crate::webhooks::model::Scan;

/// What one batch's read found.
struct Candidates {
    /// The cursor the batch read after.
    cursor: i64,
    /// The last position read, and how many operations were read.
    last: Option<(i64, u64)>,
    /// Each level-1 event found: its site and payload.
    found: Vec<(String, Vec<u8>)>,
}

impl SqliteStore {
    /// Scans up to `batch` operations after the cursor; each that first made its report level 1 (by
    /// its site's plan) is enqueued for every webhook of its site subscribed to `level1`, in the
    /// transaction that moves the cursor.
    ///
    /// The operations are read and judged on a reader, in one snapshot (positions follow commit order,
    /// so it holds every operation up to the last one read), and only the enqueue and the cursor are
    /// written. The write lock is held for that alone: a scan over a long backlog (the first start after
    /// a year was loaded) once held it batch after batch with hardly a gap, and a command such as
    /// `enroll` run beside the server, which polls for the lock, gave up with "database is locked".
    pub(super) fn scan_level1_batch(&self, sites: &Sites, now_ms: i64, batch: u32) -> Result<Scan> {
        let Candidates {
            cursor,
            last,
            found,
        } = self.level1_candidates(sites, now_ms, batch)?;
        let mut scan = Scan {
            enqueued: 0,
            more: last.is_some_and(|(_, n)| n >= u64::from(batch)),
        };
        let mut conn = self.write()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE webhooks SET site = ?1 WHERE site = ''",
            [sites.default_id()],
        )?;
        let now_cursor: i64 =
            tx.query_row("SELECT pos FROM webhook_cursor WHERE id = 1", [], |r| {
                r.get(0)
            })?;
        if now_cursor != cursor {
            // Moved meanwhile (there is one scanner a server; this is a second process): scan again.
            return Ok(Scan {
                enqueued: 0,
                more: true,
            });
        }
        for (site_id, bytes) in &found {
            scan.enqueued += enqueue(&tx, site_id, PartnerEvent::Level1, bytes, now_ms)?;
        }
        if let Some((last, _)) = last {
            tx.execute("UPDATE webhook_cursor SET pos = ?1 WHERE id = 1", [last])?;
        }
        tx.commit()?;
        Ok(scan)
    }

    /// The read half of [`Self::scan_level1_batch`], in one read transaction.
    fn level1_candidates(&self, sites: &Sites, now_ms: i64, batch: u32) -> Result<Candidates> {
        let conn = self.read()?;
        let tx = conn.unchecked_transaction()?;
        let cursor: i64 = tx.query_row("SELECT pos FROM webhook_cursor WHERE id = 1", [], |r| {
            r.get(0)
        })?;
        type Row = (i64, String, Option<Uuid>, Uuid, i64, String, String);
        let rows: Vec<Row> = tx
            .prepare_cached(
                "SELECT pos, kind, target, op_id, at_ms, body, site FROM ops WHERE pos > ?1
                 ORDER BY pos LIMIT ?2",
            )?
            .query_map(params![cursor, batch], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut found = Vec::new();
        for (pos, kind, target, op_id, at_ms, body, site_id) in &rows {
            if !matches!(kind.as_str(), "disturbance" | "amend") {
                continue;
            }
            let Some(site) = sites.get(site_id) else {
                tracing::warn!(pos, site = %site_id, "a level-1 candidate of a site not served is passed over");
                continue;
            };
            let body: OpBody = serde_json::from_str(body)
                .map_err(|e| StoreError::Corrupt(format!("operation at {pos}: {e}")))?;
            if !may_make_level1(&body) {
                continue;
            }
            let report = target.unwrap_or(*op_id);
            let ops = tx
                .prepare_cached(
                    "SELECT op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock FROM ops
                     WHERE (op_id = ?1 OR target = ?1) AND pos <= ?2 AND +site = ?3 ORDER BY pos",
                )?
                .query_map(params![report, pos, site_id], op_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // The report's own operation comes first by position: it was stored before any change.
            if ops.first().map(|o| o.id) != Some(report)
                || first_level1(&ops) != Some(ops.len() - 1)
            {
                continue;
            }
            let mut folded = torgkoll_shared::Report::new(report);
            ops.iter().for_each(|o| apply_to_report(&mut folded, o));
            let Some(payload) = level1_payload(&site.site, &folded, *at_ms, now_ms) else {
                continue;
            };
            let bytes = serde_json::to_vec(&payload)
                .map_err(|e| StoreError::Corrupt(format!("a level-1 payload: {e}")))?;
            found.push((site_id.clone(), bytes));
        }
        Ok(Candidates {
            cursor,
            last: rows.last().map(|(pos, ..)| (*pos, rows.len() as u64)),
            found,
        })
    }
}
