//! Pushes on PostgreSQL: [`apply_push`] in one transaction under the position counter's row lock (why:
//! [`super::pg_sync`]), in a handful of round trips whatever the push's size. The statements are prepared
//! once per pooled connection ([`PgConn::prepared`]); the device is read once, the push's ids are looked
//! up in one `= ANY($1)`, and the accepted and refused operations are written with `INSERT … SELECT FROM
//! UNNEST(arrays)`, one statement per [`INSERT_ROWS`] rows.

use std::cell::RefCell;
use std::collections::HashSet;

use postgres::{GenericClient, Statement, Transaction};
use torgkoll_shared::protocol::{OwnFix, Rejection};
use torgkoll_shared::timefix::{DeviceTime, Receipt};
use torgkoll_shared::{Domain, Lookup};
use uuid::Uuid;

use super::pg::to_sql;
use super::pg_pool::PgConn;
use super::pg_push_sql::{COUNTER_LOCK, COUNTER_SET, Statements};
use super::pg_sync::fix_from_row;
use super::sqlite_sync::{domain_code, domain_from};
use super::{Contact, PushBatch, PushOutcome, Result, StoreError};
use crate::ingest::{Accepted, PushTx, Refused, apply_push};

/// Rows per `INSERT … UNNEST` statement (one round trip each).
const INSERT_ROWS: usize = 2_000;

/// Several pushes in one transaction, under the position counter's row lock (see [`super::pg_sync`]).
pub(super) fn push_batches(c: &mut PgConn, batches: Vec<PushBatch>) -> Result<Vec<PushOutcome>> {
    let sql = Statements::prepare(c)?;
    // A sync without operations (a pull) assigns no position and does not wait for the lock.
    let assigns = batches.iter().any(|b| !b.ops.is_empty());
    let (lock, set) = (c.prepared(COUNTER_LOCK)?, c.prepared(COUNTER_SET)?);
    let mut tx = c.client.transaction()?;
    let start: i64 = if assigns {
        tx.query_one(&lock, &[])?.try_get(0)?
    } else {
        0
    };
    let tx = RefCell::new(tx);
    let mut next_pos = start;
    let mut out = Vec::with_capacity(batches.len());
    for b in batches {
        let mut ptx = PgPushTx {
            tx: &tx,
            sql: &sql,
            device: b.device,
            site: &b.site.id,
            next_pos: &mut next_pos,
            error: RefCell::new(None),
        };
        out.push(apply_push(
            &mut ptx, b.device, b.role, b.ops, &b.site, b.receipt,
        )?);
        if let Some(contact) = &b.contact {
            touch(&mut *tx.borrow_mut(), b.device, contact)?;
        }
    }
    let mut tx = tx.into_inner();
    if next_pos != start {
        tx.execute(&set, &[&next_pos])?;
    }
    tx.commit()?;
    Ok(out)
}

/// Records a device's contact (`ServerStore::touch_device`) through `c`: alone, or inside a push's
/// transaction.
pub(super) fn touch(c: &mut impl GenericClient, device: Uuid, contact: &Contact) -> Result<()> {
    let pending = contact
        .pending
        .map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    c.execute(
        "UPDATE devices SET last_contact_ms = GREATEST(COALESCE(last_contact_ms, $2), $2),
            pending = COALESCE($3, pending), app = COALESCE($4, app)
         WHERE id = $1",
        &[&device, &contact.now_ms, &pending, &contact.app],
    )?;
    Ok(())
}

struct PgPushTx<'t, 'c> {
    tx: &'t RefCell<Transaction<'c>>,
    sql: &'t Statements,
    device: Uuid,
    /// The device's site: its operations are stored under it, and only its reports and runs are found.
    site: &'t str,
    /// The position the next accepted operation gets (read under the counter's row lock).
    next_pos: &'t mut i64,
    error: RefCell<Option<StoreError>>,
}

impl PgPushTx<'_, '_> {
    /// `r`'s value; a failure is kept for [`PushTx::take_error`] (a [`Lookup`] can only answer `None`).
    fn keep<T>(&self, r: std::result::Result<T, postgres::Error>) -> Option<T> {
        r.map_err(|e| self.error.borrow_mut().get_or_insert(e.into()).to_string())
            .ok()
    }

    /// The first row of `stmt` with the id `$1` and the device's site `$2`.
    fn in_site(&self, stmt: &Statement, id: Uuid) -> Option<postgres::Row> {
        let row = self.tx.borrow_mut().query_opt(stmt, &[&id, &self.site]);
        self.keep(row).flatten()
    }
}

impl Lookup for PgPushTx<'_, '_> {
    fn target(&self, id: Uuid) -> Option<(Domain, Uuid)> {
        let r = self.in_site(&self.sql.target, id)?;
        let (domain, device) = (
            self.keep(r.try_get::<_, &str>(0))?,
            self.keep(r.try_get(1))?,
        );
        Some((domain_from(domain)?, device))
    }

    fn run_started(&self, id: Uuid) -> Option<i64> {
        let r = self.in_site(&self.sql.run_started, id)?;
        self.keep(r.try_get::<_, Option<i64>>(0)).flatten()
    }

    fn is_task(&self, id: Uuid) -> bool {
        self.in_site(&self.sql.is_task, id).is_some()
    }

    fn photos_on(&self, report: Uuid) -> Vec<String> {
        let rows = self.tx.borrow_mut().query(&self.sql.photos_on, &[&report]);
        let hashes = rows.and_then(|rows| rows.iter().map(|r| r.try_get(0)).collect());
        self.keep(hashes).unwrap_or_default()
    }
}

impl PushTx for PgPushTx<'_, '_> {
    fn device(&self) -> Result<(u64, DeviceTime)> {
        let mut tx = self.tx.borrow_mut();
        let row = tx.query_one(&self.sql.device, &[&self.device])?;
        let (acked, enrolled_ms): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        let last = tx.query_opt(&self.sql.last_op, &[&self.device])?;
        let last: Option<(i64, i64)> = last
            .map(|r| Ok::<_, StoreError>((r.try_get(0)?, r.try_get(1)?)))
            .transpose()?;
        Ok((acked as u64, crate::ingest::device_time(enrolled_ms, last)))
    }

    fn record_offset(&mut self, receipt: &Receipt) -> Result<()> {
        if let Some(offset) = receipt.offset_ms {
            self.tx
                .borrow_mut()
                .execute(&self.sql.offset, &[&self.device, &offset, &receipt.recv_ms])?;
        }
        Ok(())
    }

    fn taken(&self, ids: &[Uuid]) -> Result<HashSet<Uuid>> {
        let rows = self.tx.borrow_mut().query(&self.sql.taken, &[&ids])?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    fn earlier_outcomes(&self, seqs: &[u64]) -> Result<(Vec<Rejection>, Vec<OwnFix>)> {
        let (Some(&lo), Some(&hi)) = (seqs.first(), seqs.last()) else {
            return Ok((Vec::new(), Vec::new()));
        };
        let wanted = |seq: u64| seqs.binary_search(&seq).is_ok();
        let mut tx = self.tx.borrow_mut();
        let args: [&(dyn postgres::types::ToSql + Sync); 3] =
            [&self.device, &to_sql(lo), &to_sql(hi)];
        let mut rejected = Vec::new();
        for r in tx.query(&self.sql.earlier_rejected, &args)? {
            let seq = r.try_get::<_, i64>(0)? as u64;
            if wanted(seq) {
                let cause: Option<String> = r.try_get(3)?;
                rejected.push(Rejection {
                    seq,
                    id: r.try_get(1)?,
                    reason: r.try_get(2)?,
                    cause: cause.and_then(|c| serde_json::from_str(&c).ok()),
                });
            }
        }
        let mut fixed = Vec::new();
        for r in tx.query(&self.sql.earlier_fixes, &args)? {
            let seq = r.try_get::<_, i64>(0)? as u64;
            if let (true, Some(fix)) = (wanted(seq), fix_from_row(&r, 1)?) {
                fixed.push(OwnFix { seq, fix });
            }
        }
        Ok((rejected, fixed))
    }

    fn insert_ops(&mut self, ops: &[Accepted], received_ms: i64) -> Result<()> {
        let mut tx = self.tx.borrow_mut();
        let from = *self.next_pos;
        for chunk in ops.chunks(INSERT_ROWS) {
            let n = chunk.len();
            let first = *self.next_pos;
            *self.next_pos += n as i64;
            let pos: Vec<i64> = (first..first + n as i64).collect();
            let col = |f: &dyn Fn(&Accepted) -> i64| chunk.iter().map(f).collect::<Vec<i64>>();
            let id: Vec<Uuid> = chunk.iter().map(|a| a.op.id).collect();
            let seq = col(&|a| to_sql(a.op.seq));
            let hlc = col(&|a| a.op.hlc.0 as i64);
            let wall = col(&|a| a.op.wall_ms);
            let at = col(&|a| a.op.at_ms());
            let clock = col(&|a| a.op.clock().0 as i64);
            let role: Vec<&str> = chunk.iter().map(|a| a.op.role.code()).collect();
            let kind: Vec<&str> = chunk.iter().map(|a| a.op.body.name()).collect();
            let domain: Vec<&str> = chunk.iter().map(|a| domain_code(a.domain)).collect();
            let target: Vec<Option<Uuid>> = chunk.iter().map(|a| a.op.body.target()).collect();
            let body = chunk
                .iter()
                .map(|a| serde_json::to_string(&a.op.body))
                .collect::<std::result::Result<Vec<String>, _>>()
                .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
            tx.execute(
                &self.sql.insert_ops,
                &[
                    &pos,
                    &id,
                    &seq,
                    &hlc,
                    &wall,
                    &role,
                    &kind,
                    &domain,
                    &target,
                    &body,
                    &at,
                    &self.device,
                    &received_ms,
                    &self.site,
                    &clock,
                ],
            )?;
        }
        let to = *self.next_pos - 1;
        tx.execute(&self.sql.reports_made, &[&from, &to])?;
        tx.execute(&self.sql.reports_changed, &[&from, &to])?;
        Ok(())
    }

    fn insert_rejected(&mut self, refused: &[Refused], received_ms: i64) -> Result<()> {
        let seq: Vec<i64> = refused.iter().map(|r| to_sql(r.seq)).collect();
        let id: Vec<Uuid> = refused.iter().map(|r| r.id).collect();
        let reason: Vec<String> = refused.iter().map(|r| r.cause.to_string()).collect();
        let raw: Vec<&str> = refused.iter().map(|r| r.raw.get()).collect();
        let cause = refused
            .iter()
            .map(|r| serde_json::to_string(&r.cause))
            .collect::<std::result::Result<Vec<String>, _>>()
            .map_err(|e| StoreError::Corrupt(format!("cannot encode a cause: {e}")))?;
        self.tx.borrow_mut().execute(
            &self.sql.insert_rejected,
            &[&self.device, &received_ms, &seq, &id, &reason, &raw, &cause],
        )?;
        Ok(())
    }

    fn set_acked(&mut self, acked: u64) -> Result<()> {
        self.tx
            .borrow_mut()
            .execute(&self.sql.set_acked, &[&self.device, &to_sql(acked)])?;
        Ok(())
    }

    fn take_error(&self) -> Option<StoreError> {
        self.error.borrow_mut().take()
    }
}
