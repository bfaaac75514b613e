//! Pushes and pulls on SQLite: a push is one `IMMEDIATE` transaction running [`apply_push`]; a pull is one
//! read transaction, so the page and the highest position it examined come from the same snapshot.
//! Both are per site: a push stores its operations under its device's site and finds only that site's
//! reports and runs; a pull reads only the requester's site (`ops_site_pos`).

use std::cell::RefCell;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use torgkoll_shared::protocol::{PulledOp, Rejection, WireOp};
use torgkoll_shared::timefix::{DeviceTime, Receipt};
use torgkoll_shared::{Domain, Hlc, Invalid, Lookup, OpBody, Operation, Role, Site, TimeFix};
use uuid::Uuid;

use super::sqlite::{SqliteStore, role_from};
use super::{PullPage, PushBatch, PushOutcome, Result, StoreError, visible_domain};
use crate::decode::DecodedOp;
use crate::ingest::{PushTx, apply_push};

pub(super) fn domain_code(d: Domain) -> &'static str {
    match d {
        Domain::Cleaning => "cleaning",
        Domain::Disturbance => "disturbance",
    }
}

pub(super) fn domain_from(code: &str) -> Option<Domain> {
    match code {
        "cleaning" => Some(Domain::Cleaning),
        "disturbance" => Some(Domain::Disturbance),
        _ => None,
    }
}

/// Positions and sequence numbers are `u64` on the wire and `i64` in SQLite; no real value nears 2^63.
fn to_sql(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

struct SqlitePushTx<'a> {
    tx: &'a Transaction<'a>,
    device: Uuid,
    /// The device's site: its operations are stored under it, and only its reports and runs are found.
    site: &'a str,
    error: RefCell<Option<StoreError>>,
}

impl SqlitePushTx<'_> {
    fn keep<T>(&self, r: rusqlite::Result<Option<T>>) -> Option<T> {
        r.unwrap_or_else(|e| {
            self.error.borrow_mut().get_or_insert(e.into());
            None
        })
    }
}

impl Lookup for SqlitePushTx<'_> {
    fn target(&self, id: Uuid) -> Option<(Domain, Uuid)> {
        let found = self.keep(
            self.tx
                .prepare_cached(
                    "SELECT domain, device FROM ops WHERE op_id = ?1 AND site = ?2
                     AND kind IN ('clean', 'clean_request', 'disturbance', 'run_start')",
                )
                .and_then(|mut s| {
                    s.query_row(params![id, self.site], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, Uuid>(1)?))
                    })
                    .optional()
                }),
        )?;
        Some((domain_from(&found.0)?, found.1))
    }

    fn run_started(&self, id: Uuid) -> Option<i64> {
        self.keep(
            self.tx
                .prepare_cached(
                    "SELECT json_extract(body, '$.started') FROM ops
                     WHERE op_id = ?1 AND site = ?2 AND kind = 'run_start'",
                )
                .and_then(|mut s| {
                    s.query_row(params![id, self.site], |r| r.get::<_, Option<i64>>(0))
                        .optional()
                })
                .map(Option::flatten),
        )
    }

    fn is_task(&self, id: Uuid) -> bool {
        self.keep(
            self.tx
                .prepare_cached(
                    "SELECT 1 FROM ops WHERE op_id = ?1 AND site = ?2 AND kind = 'clean_request'",
                )
                .and_then(|mut s| s.query_row(params![id, self.site], |_| Ok(())).optional()),
        )
        .is_some()
    }

    fn photos_on(&self, report: Uuid) -> Vec<String> {
        self.keep(
            self.tx
                .prepare_cached(
                    "SELECT DISTINCT json_extract(body, '$.hash') FROM ops
                     WHERE target = ?1 AND kind = 'photo'",
                )
                .and_then(|mut s| {
                    s.query_map([report], |r| r.get::<_, String>(0))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .map(Some),
        )
        .unwrap_or_default()
    }
}

impl PushTx for SqlitePushTx<'_> {
    fn acked_through(&self) -> Result<u64> {
        let n: i64 = self.tx.query_row(
            "SELECT acked_through FROM devices WHERE id = ?1",
            [self.device],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    fn device_time(&self) -> Result<DeviceTime> {
        let enrolled_ms: i64 = self.tx.query_row(
            "SELECT enrolled_ms FROM devices WHERE id = ?1",
            [self.device],
            |r| r.get(0),
        )?;
        let last: Option<(i64, i64)> = self
            .tx
            .prepare_cached(
                "SELECT at_ms, clock FROM ops WHERE device = ?1 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([self.device], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(DeviceTime {
            enrolled_ms,
            last_at: last.map(|l| l.0),
            last_clock: last.map(|l| Hlc(l.1 as u64)),
        })
    }

    fn record_offset(&mut self, receipt: &Receipt) -> Result<()> {
        if let Some(offset) = receipt.offset_ms {
            self.tx
                .prepare_cached(
                    "UPDATE devices SET clock_offset_ms = ?2, offset_measured_ms = ?3 WHERE id = ?1",
                )?
                .execute(params![self.device, offset, receipt.recv_ms])?;
        }
        Ok(())
    }

    fn id_taken(&self, id: Uuid) -> Result<bool> {
        let mut s = self
            .tx
            .prepare_cached("SELECT 1 FROM ops WHERE op_id = ?1")?;
        Ok(s.exists([id])?)
    }

    fn insert_op(&mut self, op: &Operation, domain: Domain, received_ms: i64) -> Result<()> {
        let body = serde_json::to_string(&op.body)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
        self.tx
            .prepare_cached(
                "INSERT INTO ops (op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain,
                                  target, body, at_ms, clock, site)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                op.id,
                op.device,
                to_sql(op.seq),
                op.hlc.0 as i64,
                op.wall_ms,
                received_ms,
                op.role.code(),
                op.body.name(),
                domain_code(domain),
                op.body.target(),
                body,
                op.at_ms(),
                op.clock().0 as i64,
                self.site,
            ])?;
        Ok(())
    }

    fn insert_rejected(&mut self, op: &DecodedOp, cause: &Invalid, received_ms: i64) -> Result<()> {
        let cause_json = serde_json::to_string(cause)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode a cause: {e}")))?;
        self.tx
            .prepare_cached(
                "INSERT INTO rejected (device, seq, op_id, reason, received_ms, raw, cause)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                self.device,
                to_sql(op.seq),
                op.id,
                cause.to_string(),
                received_ms,
                op.raw.get(),
                cause_json,
            ])?;
        Ok(())
    }

    fn earlier_outcome(&self, seq: u64) -> Result<(Option<Rejection>, Option<TimeFix>)> {
        let rejection = self
            .tx
            .prepare_cached(
                "SELECT op_id, reason, cause FROM rejected WHERE device = ?1 AND seq = ?2",
            )?
            .query_row(params![self.device, to_sql(seq)], |r| {
                let cause: Option<String> = r.get(2)?;
                Ok(Rejection {
                    seq,
                    id: r.get(0)?,
                    reason: r.get(1)?,
                    cause: cause.and_then(|c| serde_json::from_str(&c).ok()),
                })
            })
            .optional()?;
        let fix = self
            .tx
            .prepare_cached(
                "SELECT wall_ms, hlc, at_ms, clock FROM ops WHERE device = ?1 AND seq = ?2",
            )?
            .query_row(params![self.device, to_sql(seq)], fix_from_row(0))
            .optional()?
            .flatten();
        Ok((rejection, fix))
    }

    fn set_acked(&mut self, acked: u64) -> Result<()> {
        self.tx.execute(
            "UPDATE devices SET acked_through = ?2 WHERE id = ?1",
            params![self.device, to_sql(acked)],
        )?;
        Ok(())
    }

    fn take_error(&self) -> Option<StoreError> {
        self.error.borrow_mut().take()
    }
}

/// The correction stored in four columns from `first`: `wall_ms, hlc, at_ms, clock`.
pub(super) fn fix_from_row(
    first: usize,
) -> impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<Option<TimeFix>> {
    move |r| {
        Ok(TimeFix::between(
            r.get(first)?,
            Hlc(r.get::<_, i64>(first + 1)? as u64),
            r.get(first + 2)?,
            Hlc(r.get::<_, i64>(first + 3)? as u64),
        ))
    }
}

fn pulled_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PulledOp> {
    let body: String = r.get(8)?;
    let body: OpBody = serde_json::from_str(&body).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(8, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(PulledOp {
        pos: r.get::<_, i64>(0)? as u64,
        dev: r.get(2)?,
        role: role_from(&r.get::<_, String>(7)?)?,
        recv: r.get(6)?,
        op: WireOp {
            id: r.get(1)?,
            seq: r.get::<_, i64>(3)? as u64,
            hlc: Hlc(r.get::<_, i64>(4)? as u64),
            wall: r.get(5)?,
            body,
        },
        fix: fix_from_row(9)(r)?,
    })
}

impl SqliteStore {
    pub(super) fn push_in_tx(
        &self,
        device: Uuid,
        role: Role,
        ops: Vec<DecodedOp>,
        site: &Site,
        receipt: Receipt,
    ) -> Result<PushOutcome> {
        let mut conn = self.write()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outcome = {
            let mut ptx = SqlitePushTx {
                tx: &tx,
                device,
                site: &site.id,
                error: RefCell::new(None),
            };
            apply_push(&mut ptx, device, role, ops, site, receipt)?
        };
        tx.commit()?;
        Ok(outcome)
    }

    pub(super) fn push_batches_in_tx(&self, batches: Vec<PushBatch>) -> Result<Vec<PushOutcome>> {
        let mut conn = self.write()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(batches.len());
        for b in batches {
            let mut ptx = SqlitePushTx {
                tx: &tx,
                device: b.device,
                site: &b.site.id,
                error: RefCell::new(None),
            };
            out.push(apply_push(
                &mut ptx, b.device, b.role, b.ops, &b.site, b.receipt,
            )?);
        }
        tx.commit()?;
        Ok(out)
    }

    pub(super) fn pull_page(
        &self,
        requester: Uuid,
        role: Role,
        site: &str,
        after: u64,
        limit: u32,
    ) -> Result<PullPage> {
        let mut conn = self.read()?;
        let tx = conn.transaction()?;
        let mut rows = {
            let mut stmt = tx.prepare_cached(
                "SELECT pos, op_id, device, seq, hlc, wall_ms, received_ms, role, body,
                        wall_ms, hlc, at_ms, clock FROM ops
                 WHERE site = ?5 AND pos > ?1 AND device != ?2 AND (?3 IS NULL OR domain = ?3)
                 ORDER BY pos LIMIT ?4",
            )?;
            let domain = visible_domain(role).map(domain_code);
            stmt.query_map(
                params![to_sql(after), requester, domain, i64::from(limit) + 1, site],
                pulled_from_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let pull_pos = if more {
            rows.last().map_or(after, |p| p.pos)
        } else {
            let max: i64 =
                tx.query_row("SELECT COALESCE(MAX(pos), 0) FROM ops", [], |r| r.get(0))?;
            after.max(max as u64)
        };
        tx.finish()?;
        Ok(PullPage {
            ops: rows,
            pull_pos,
            more,
        })
    }
}
