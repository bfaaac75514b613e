//! What review reads and changes on SQLite: the operations of the reports and runs a period touches,
//! the devices active in a period, and the retention purge of free text.

use rusqlite::{Connection, params};
use serde_json::Value;
use torgkoll_shared::analytics::Retention;
use torgkoll_shared::{Hlc, OpBody, Operation, Role, TimeFix};

use super::sqlite::SqliteStore;
use super::sqlite_devices::role_from;
use super::{PurgeOutcome, Result, StoreError};
use crate::cancel::Cancel;

// `+site` in the queries below: the site is a filter, never the index to search by. A server holds one
// or two sites, so `ops_site_pos (site=?)` reads nearly every operation, but SQLite's planner, with no
// statistics, took it for as selective as `at_ms`, `op_id` or `target` and chose it: the lägesbild of a
// year's database took 1.1 s instead of 0.4 s (BENCHMARKS.md, "The site index that read everything").

/// The reports and runs of site `?3` with an operation made in `[from, to)` (by corrected time): a
/// creating operation is its own root, a change belongs to its target.
const ROOTS_IN_PERIOD: &str = "INSERT OR IGNORE INTO temp.review_roots
    SELECT COALESCE(target, op_id) FROM ops WHERE at_ms >= ?1 AND at_ms < ?2 AND +site = ?3";

/// Reports made before `?1` that may be open at `?1`: those open now by `report_status` (never withdrawn
/// or marked duplicate, and never resolved or said to be still there since), and those whose status
/// changed at or after `?1` (they may have been open then). A superset of the open ones, of any site (the
/// operations read are the site's only); the fold decides.
const ROOTS_MAYBE_OPEN: &str = "INSERT OR IGNORE INTO temp.review_roots
    SELECT id FROM report_status
    WHERE gone = 0 AND (resolved_hlc IS NULL OR again_hlc >= resolved_hlc) AND made_ms < ?1
    UNION ALL
    SELECT id FROM report_status WHERE changed_ms >= ?1 AND made_ms < ?1";

/// Every operation of site `?2` made before `?1` of the roots.
const OPS_OF_ROOTS: &str =
    "SELECT op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock FROM ops
    WHERE op_id IN (SELECT id FROM temp.review_roots) AND at_ms < ?1 AND +site = ?2
    UNION ALL
    SELECT op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock FROM ops
    WHERE target IN (SELECT id FROM temp.review_roots) AND at_ms < ?1 AND +site = ?2";

/// How many devices of each role made operations of site `?3` in `[?1, ?2)`.
const ACTIVE_ROLES: &str = "SELECT role, COUNT(DISTINCT device) FROM ops
    WHERE at_ms >= ?1 AND at_ms < ?2 AND +site = ?3 GROUP BY role ORDER BY role";

fn body_from(text: &str, col: usize) -> rusqlite::Result<OpBody> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// An operation with its correction from `op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock`.
pub(super) fn op_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Operation> {
    let (hlc, wall_ms) = (Hlc(r.get::<_, i64>(3)? as u64), r.get(4)?);
    Ok(Operation {
        id: r.get(0)?,
        device: r.get(1)?,
        seq: r.get::<_, i64>(2)? as u64,
        hlc,
        wall_ms,
        role: role_from(&r.get::<_, String>(5)?)?,
        body: body_from(&r.get::<_, String>(6)?, 6)?,
        fix: TimeFix::between(wall_ms, hlc, r.get(7)?, Hlc(r.get::<_, i64>(8)? as u64)),
    })
}

impl SqliteStore {
    pub(super) fn ops_touching_in_tx(
        &self,
        site: &str,
        from_ms: i64,
        to_ms: i64,
        open_at: Option<i64>,
        made_before: i64,
        cancel: &Cancel,
    ) -> Result<Vec<Operation>> {
        let mut conn = self.read()?;
        // SQLite asks every few thousand instructions whether to go on.
        let flag = cancel.clone();
        conn.progress_handler(10_000, Some(move || flag.is_cancelled()))?;
        let ops = Self::read_ops_touching(&mut conn, site, from_ms, to_ms, open_at, made_before);
        conn.progress_handler(10_000, None::<fn() -> bool>)?;
        // An interrupted read rolled its transaction back.
        match ops {
            Err(_) if cancel.is_cancelled() => Err(StoreError::Cancelled),
            other => other,
        }
    }

    fn read_ops_touching(
        conn: &mut rusqlite::Connection,
        site: &str,
        from_ms: i64,
        to_ms: i64,
        open_at: Option<i64>,
        made_before: i64,
    ) -> Result<Vec<Operation>> {
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS review_roots (id BLOB PRIMARY KEY) WITHOUT ROWID;",
        )?;
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM temp.review_roots", [])?;
        tx.execute(ROOTS_IN_PERIOD, params![from_ms, to_ms, site])?;
        if let Some(at) = open_at {
            tx.execute(ROOTS_MAYBE_OPEN, [at])?;
        }
        let ops = {
            let mut stmt = tx.prepare(OPS_OF_ROOTS)?;
            stmt.query_map(params![made_before, site], op_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        tx.execute("DELETE FROM temp.review_roots", [])?;
        tx.commit()?;
        Ok(ops)
    }

    pub(super) fn active_in(
        &self,
        site: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<(Role, u32)>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(ACTIVE_ROLES)?;
        let rows = stmt.query_map(params![from_ms, to_ms, site], |r| {
            Ok((
                role_from(&r.get::<_, String>(0)?)?,
                r.get::<_, i64>(1)? as u32,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub(super) fn purge_in_tx(&self, retention: Retention, now_ms: i64) -> Result<PurgeOutcome> {
        let cutoff = retention.cutoff_ms(now_ms);
        let mut conn = self.write()?;
        // Freed pages are overwritten, so purged text does not linger in the file.
        conn.pragma_update(None, "secure_delete", "ON")?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = PurgeOutcome::default();
        let due: Vec<(i64, Operation)> = {
            let mut stmt = tx.prepare(
                "SELECT op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock, pos FROM ops
                 WHERE kind IN ('clean', 'clean_request', 'disturbance', 'details', 'amend', 'handover')
                   AND at_ms < ?1 AND json_extract(body, '$.note') IS NOT NULL",
            )?;
            let rows = stmt.query_map([cutoff], |r| Ok((r.get::<_, i64>(9)?, op_from_row(r)?)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        {
            let mut update = tx.prepare("UPDATE ops SET body = ?2 WHERE pos = ?1")?;
            for (pos, op) in due.iter().filter(|(_, op)| retention.is_due(op, now_ms)) {
                let body = serde_json::to_string(&op.body.without_note())
                    .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
                update.execute(params![pos, body])?;
                out.ops += 1;
            }
        }
        out.rejected = purge_rejected(&tx, cutoff)?;
        tx.commit()?;
        conn.pragma_update(None, "secure_delete", "OFF")?;
        if out.ops + out.rejected > 0 {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(out)
    }
}

/// Rejected operations keep the text as sent; their `body.note` goes once they were received before
/// `cutoff` (the receive time is never earlier than the making).
fn purge_rejected(conn: &Connection, cutoff: i64) -> Result<u64> {
    let rows: Vec<(Vec<u8>, i64, String)> = {
        let mut stmt = conn.prepare(
            "SELECT device, seq, raw FROM rejected
             WHERE received_ms < ?1 AND json_valid(raw)
               AND json_extract(raw, '$.body.note') IS NOT NULL",
        )?;
        let rows = stmt.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut n = 0;
    let mut update = conn.prepare("UPDATE rejected SET raw = ?3 WHERE device = ?1 AND seq = ?2")?;
    for (device, seq, raw) in rows {
        let Ok(mut v) = serde_json::from_str::<Value>(&raw) else {
            continue;
        };
        if let Some(body) = v.get_mut("body").and_then(Value::as_object_mut)
            && body.remove("note").is_some()
        {
            update.execute(params![device, seq, v.to_string()])?;
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod plans {
    use super::*;

    /// The index each review query searches by, as SQLite's planner chooses it on a fresh database (no
    /// statistics, as a server has): never the site's, which covers nearly every operation.
    #[test]
    fn review_queries_search_by_time_or_report_not_by_site() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.sqlite")).unwrap();
        let conn = store.read().unwrap();
        conn.execute_batch("CREATE TEMP TABLE review_roots (id BLOB PRIMARY KEY)")
            .unwrap();
        let plan = |sql: &str| -> String {
            let sql = sql.trim_start_matches("INSERT OR IGNORE INTO temp.review_roots");
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            // Unbound parameters are NULL: the plan is made before they are read.
            let mut rows = stmt.raw_query();
            let mut steps = Vec::new();
            while let Some(r) = rows.next().unwrap() {
                steps.push(r.get::<_, String>(3).unwrap());
            }
            steps.join("; ")
        };
        for (sql, wants) in [
            (
                ROOTS_IN_PERIOD,
                &["USING INDEX ops_at (at_ms>? AND at_ms<?)"][..],
            ),
            (ACTIVE_ROLES, &["USING INDEX ops_at (at_ms>? AND at_ms<?)"]),
            (
                OPS_OF_ROOTS,
                &[
                    "USING INDEX sqlite_autoindex_ops_1 (op_id=?)",
                    "USING INDEX ops_target (target=?)",
                ],
            ),
        ] {
            let got = plan(sql);
            assert!(!got.contains("ops_site_pos"), "{got}");
            for want in wants {
                assert!(got.contains(want), "{want} not in {got}");
            }
        }
    }
}
