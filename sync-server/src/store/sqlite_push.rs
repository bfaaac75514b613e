//! Pushes on SQLite: one `IMMEDIATE` transaction on the writer running [`apply_push`], per site (a
//! push stores its operations under its device's site and finds only that site's reports and runs).
//! The push's ids are looked up [`TAKEN_CHUNK`] at a time and its operations written in multi-row
//! statements of [`INSERT_ROWS`] rows, each prepared once per connection (`prepare_cached`).

use std::cell::RefCell;
use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, TransactionBehavior, params};
use torgkoll_shared::protocol::{OwnFix, Rejection};
use torgkoll_shared::timefix::{DeviceTime, Receipt};
use torgkoll_shared::{Domain, Lookup};
use uuid::Uuid;

use super::sqlite_push_sql::*;
use super::sqlite_sync::{domain_code, domain_from, fix_from_row, to_sql};
use super::{Contact, PushBatch, PushOutcome, Result, StoreError};
use crate::ingest::{Accepted, PushTx, Refused, apply_push};

/// Several pushes in one transaction, each as [`apply_push`] against its own site.
pub(super) fn push_batches(
    conn: &mut Connection,
    batches: Vec<PushBatch>,
) -> Result<Vec<PushOutcome>> {
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
        if let Some(contact) = &b.contact {
            touch(&tx, b.device, contact)?;
        }
    }
    tx.commit()?;
    Ok(out)
}

/// Records a device's contact (`ServerStore::touch_device`) on `conn`: alone, or inside a push's
/// transaction.
pub(super) fn touch(conn: &Connection, device: Uuid, c: &Contact) -> Result<()> {
    let pending = c.pending.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    conn.prepare_cached(TOUCH)?
        .execute(params![device, c.now_ms, pending, c.app])?;
    Ok(())
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
        let found = self.keep(self.tx.prepare_cached(TARGET).and_then(|mut s| {
            s.query_row(params![id, self.site], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Uuid>(1)?))
            })
            .optional()
        }))?;
        Some((domain_from(&found.0)?, found.1))
    }

    fn run_started(&self, id: Uuid) -> Option<i64> {
        self.keep(
            self.tx
                .prepare_cached(RUN_STARTED)
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
                .prepare_cached(IS_TASK)
                .and_then(|mut s| s.query_row(params![id, self.site], |_| Ok(())).optional()),
        )
        .is_some()
    }

    fn photos_on(&self, report: Uuid) -> Vec<String> {
        self.keep(
            self.tx
                .prepare_cached(PHOTOS_ON)
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
    fn device(&self) -> Result<(u64, DeviceTime)> {
        let (acked, enrolled_ms): (i64, i64) = self
            .tx
            .prepare_cached(DEVICE)?
            .query_row([self.device], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let last: Option<(i64, i64)> = self
            .tx
            .prepare_cached(LAST_OP)?
            .query_row([self.device], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok((acked as u64, crate::ingest::device_time(enrolled_ms, last)))
    }

    fn record_offset(&mut self, receipt: &Receipt) -> Result<()> {
        if let Some(offset) = receipt.offset_ms {
            self.tx.prepare_cached(OFFSET)?.execute(params![
                self.device,
                offset,
                receipt.recv_ms
            ])?;
        }
        Ok(())
    }

    fn taken(&self, ids: &[Uuid]) -> Result<HashSet<Uuid>> {
        let mut stmt = self.tx.prepare_cached(&taken_sql())?;
        let mut taken = HashSet::new();
        for chunk in ids.chunks(TAKEN_CHUNK) {
            let last = chunk[chunk.len() - 1];
            let args = (0..TAKEN_CHUNK).map(|i| chunk.get(i).copied().unwrap_or(last));
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            while let Some(r) = rows.next()? {
                taken.insert(r.get(0)?);
            }
        }
        Ok(taken)
    }

    fn earlier_outcomes(&self, seqs: &[u64]) -> Result<(Vec<Rejection>, Vec<OwnFix>)> {
        let (Some(&lo), Some(&hi)) = (seqs.first(), seqs.last()) else {
            return Ok((Vec::new(), Vec::new()));
        };
        let wanted = |seq: u64| seqs.binary_search(&seq).is_ok();
        let args = params![self.device, to_sql(lo), to_sql(hi)];
        let mut rejected = Vec::new();
        let mut stmt = self.tx.prepare_cached(EARLIER_REJECTED)?;
        let mut rows = stmt.query(args)?;
        while let Some(r) = rows.next()? {
            let seq = r.get::<_, i64>(0)? as u64;
            if wanted(seq) {
                let cause: Option<String> = r.get(3)?;
                rejected.push(Rejection {
                    seq,
                    id: r.get(1)?,
                    reason: r.get(2)?,
                    cause: cause.and_then(|c| serde_json::from_str(&c).ok()),
                });
            }
        }
        let mut fixed = Vec::new();
        let mut stmt = self.tx.prepare_cached(EARLIER_FIXES)?;
        let mut rows = stmt.query(args)?;
        while let Some(r) = rows.next()? {
            let seq = r.get::<_, i64>(0)? as u64;
            if let (true, Some(fix)) = (wanted(seq), fix_from_row(1)(r)?) {
                fixed.push(OwnFix { seq, fix });
            }
        }
        Ok((rejected, fixed))
    }

    fn insert_ops(&mut self, ops: &[Accepted], received_ms: i64) -> Result<()> {
        let before: i64 = self
            .tx
            .prepare_cached(LAST_POS)?
            .query_row([], |r| r.get(0))?;
        let mut rest = ops;
        for rows in INSERT_ROWS {
            let mut stmt = self.tx.prepare_cached(&insert_ops_sql(rows))?;
            while rest.len() >= rows {
                let (chunk, tail) = rest.split_at(rows);
                for (i, a) in chunk.iter().enumerate() {
                    let op = &a.op;
                    let body = serde_json::to_string(&op.body).map_err(|e| {
                        StoreError::Corrupt(format!("cannot encode an operation: {e}"))
                    })?;
                    let values: [&dyn ToSql; 14] = [
                        &op.id,
                        &op.device,
                        &to_sql(op.seq),
                        &(op.hlc.0 as i64),
                        &op.wall_ms,
                        &received_ms,
                        &op.role.code(),
                        &op.body.name(),
                        &domain_code(a.domain),
                        &op.body.target(),
                        &body,
                        &op.at_ms(),
                        &(op.clock().0 as i64),
                        &self.site,
                    ];
                    for (j, v) in values.into_iter().enumerate() {
                        stmt.raw_bind_parameter(i * 14 + j + 1, v)?;
                    }
                }
                stmt.raw_execute()?;
                rest = tail;
            }
        }
        let made: Vec<_> = ops
            .iter()
            .filter(|a| MAKES_REPORT.contains(&a.op.body.name()))
            .map(|a| (a.op.id, a.op.at_ms()))
            .collect();
        let mut rest = &made[..];
        for rows in INSERT_ROWS {
            let mut stmt = self.tx.prepare_cached(&reports_made_sql(rows))?;
            while rest.len() >= rows {
                let (chunk, tail) = rest.split_at(rows);
                for (i, (id, made_ms)) in chunk.iter().enumerate() {
                    stmt.raw_bind_parameter(i * 2 + 1, id)?;
                    stmt.raw_bind_parameter(i * 2 + 2, made_ms)?;
                }
                stmt.raw_execute()?;
                rest = tail;
            }
        }
        self.tx.prepare_cached(REPORTS_CHANGED)?.execute([before])?;
        Ok(())
    }

    fn insert_rejected(&mut self, refused: &[Refused], received_ms: i64) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(INSERT_REJECTED)?;
        for r in refused {
            let cause_json = serde_json::to_string(&r.cause)
                .map_err(|e| StoreError::Corrupt(format!("cannot encode a cause: {e}")))?;
            stmt.execute(params![
                self.device,
                to_sql(r.seq),
                r.id,
                r.cause.to_string(),
                received_ms,
                r.raw.get(),
                cause_json,
            ])?;
        }
        Ok(())
    }

    fn set_acked(&mut self, acked: u64) -> Result<()> {
        self.tx
            .prepare_cached(SET_ACKED)?
            .execute(params![self.device, to_sql(acked)])?;
        Ok(())
    }

    fn take_error(&self) -> Option<StoreError> {
        self.error.borrow_mut().take()
    }
}
