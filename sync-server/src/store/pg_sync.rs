//! Pushes and pulls on PostgreSQL.
//!
//! **Pull positions follow commit order.** A reader pages through `ops` by `pos` and remembers the
//! highest position it saw; if a push could commit a *lower* position after a reader had already seen a
//! higher one, that reader would skip the late row forever. A `BIGSERIAL` hands positions out at insert
//! time, not commit time, so it allows exactly that. Here every push transaction that carries operations
//! first locks the one row of `counters` (`SELECT … FOR UPDATE`) and only then assigns positions from it
//! (a sync without operations takes no lock: it assigns none), writing the new
//! `next` back before COMMIT. The row lock is held until the transaction ends, and PostgreSQL makes a
//! commit visible before it releases the transaction's locks, so the next pusher gets its positions only
//! after every lower position is visible: any snapshot that sees a position sees all below it. This
//! serialises pushers the way SQLite's single writer does (and with it the per-device acknowledgement,
//! so two pushes of one phone cannot both store its next operation). Idempotency is as on SQLite: `op_id` and `(device, seq)` are
//! unique and a push at or below the acknowledgement is skipped, so a push whose COMMIT outcome was lost
//! (the connection died) is simply sent again.
//!
//! A pull is one `REPEATABLE READ` read-only transaction, so the page and the highest position it
//! examined come from the same snapshot. Both are per site, as on SQLite (`super::sqlite_sync`).

use std::cell::RefCell;

use postgres::{Client, IsolationLevel, Transaction};
use torgkoll_shared::protocol::{PulledOp, Rejection, WireOp};
use torgkoll_shared::timefix::{DeviceTime, Receipt};
use torgkoll_shared::{Domain, Hlc, Invalid, Lookup, OpBody, Operation, Role, TimeFix};
use uuid::Uuid;

use super::pg::{role_from, to_sql};
use super::sqlite_sync::{domain_code, domain_from};
use super::{PullPage, PushBatch, PushOutcome, Result, StoreError, visible_domain};
use crate::decode::DecodedOp;
use crate::ingest::{PushTx, apply_push};

struct PgPushTx<'t, 'c> {
    tx: &'t RefCell<Transaction<'c>>,
    device: Uuid,
    /// The device's site: its operations are stored under it, and only its reports and runs are found.
    site: &'t str,
    /// The position the next accepted operation gets (read under the counter's row lock).
    next_pos: &'t RefCell<i64>,
    error: RefCell<Option<StoreError>>,
}

impl PgPushTx<'_, '_> {
    fn keep<T>(&self, r: Result<Option<T>>) -> Option<T> {
        r.unwrap_or_else(|e| {
            self.error.borrow_mut().get_or_insert(e);
            None
        })
    }

    fn opt(&self, sql: &str, id: Uuid) -> Result<Option<postgres::Row>> {
        Ok(self.tx.borrow_mut().query_opt(sql, &[&id])?)
    }

    /// As [`Self::opt`], with the device's site as `$2`.
    fn opt_in_site(&self, sql: &str, id: Uuid) -> Result<Option<postgres::Row>> {
        Ok(self.tx.borrow_mut().query_opt(sql, &[&id, &self.site])?)
    }
}

impl Lookup for PgPushTx<'_, '_> {
    fn target(&self, id: Uuid) -> Option<(Domain, Uuid)> {
        let found = self.keep(
            self.opt_in_site(
                "SELECT domain, device FROM ops WHERE op_id = $1 AND site = $2
                 AND kind IN ('clean', 'clean_request', 'disturbance', 'run_start')",
                id,
            )
            .and_then(|r| {
                r.map(|r| Ok((r.try_get::<_, String>(0)?, r.try_get::<_, Uuid>(1)?)))
                    .transpose()
            }),
        )?;
        Some((domain_from(&found.0)?, found.1))
    }

    fn run_started(&self, id: Uuid) -> Option<i64> {
        self.keep(
            self.opt_in_site(
                "SELECT ((body::jsonb) ->> 'started')::BIGINT FROM ops
                 WHERE op_id = $1 AND site = $2 AND kind = 'run_start'",
                id,
            )
            .and_then(|r| {
                Ok(r.map(|r| r.try_get::<_, Option<i64>>(0))
                    .transpose()?
                    .flatten())
            }),
        )
    }

    fn is_task(&self, id: Uuid) -> bool {
        self.keep(self.opt_in_site(
            "SELECT 1 FROM ops WHERE op_id = $1 AND site = $2 AND kind = 'clean_request'",
            id,
        ))
        .is_some()
    }

    fn photos_on(&self, report: Uuid) -> Vec<String> {
        let rows = self.tx.borrow_mut().query(
            "SELECT DISTINCT (body::jsonb) ->> 'hash' FROM ops WHERE target = $1 AND kind = 'photo'",
            &[&report],
        );
        self.keep(
            rows.map_err(StoreError::from)
                .and_then(|rows| {
                    rows.iter()
                        .map(|r| Ok(r.try_get::<_, String>(0)?))
                        .collect::<Result<Vec<_>>>()
                })
                .map(Some),
        )
        .unwrap_or_default()
    }
}

impl PushTx for PgPushTx<'_, '_> {
    fn acked_through(&self) -> Result<u64> {
        let n: i64 = self
            .tx
            .borrow_mut()
            .query_one(
                "SELECT acked_through FROM devices WHERE id = $1",
                &[&self.device],
            )?
            .try_get(0)?;
        Ok(n as u64)
    }

    fn device_time(&self) -> Result<DeviceTime> {
        let mut tx = self.tx.borrow_mut();
        let enrolled_ms: i64 = tx
            .query_one(
                "SELECT enrolled_ms FROM devices WHERE id = $1",
                &[&self.device],
            )?
            .try_get(0)?;
        let last = tx.query_opt(
            "SELECT at_ms, clock FROM ops WHERE device = $1 ORDER BY seq DESC LIMIT 1",
            &[&self.device],
        )?;
        let last: Option<(i64, i64)> = last
            .map(|r| Ok::<_, StoreError>((r.try_get(0)?, r.try_get(1)?)))
            .transpose()?;
        Ok(DeviceTime {
            enrolled_ms,
            last_at: last.map(|l| l.0),
            last_clock: last.map(|l| Hlc(l.1 as u64)),
        })
    }

    fn record_offset(&mut self, receipt: &Receipt) -> Result<()> {
        if let Some(offset) = receipt.offset_ms {
            self.tx.borrow_mut().execute(
                "UPDATE devices SET clock_offset_ms = $2, offset_measured_ms = $3 WHERE id = $1",
                &[&self.device, &offset, &receipt.recv_ms],
            )?;
        }
        Ok(())
    }

    fn id_taken(&self, id: Uuid) -> Result<bool> {
        Ok(self
            .opt("SELECT 1 FROM ops WHERE op_id = $1", id)?
            .is_some())
    }

    fn insert_op(&mut self, op: &Operation, domain: Domain, received_ms: i64) -> Result<()> {
        let body = serde_json::to_string(&op.body)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
        let pos = {
            let mut next = self.next_pos.borrow_mut();
            *next += 1;
            *next - 1
        };
        self.tx.borrow_mut().execute(
            "INSERT INTO ops (pos, op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain,
                              target, body, at_ms, clock, site)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            &[
                &pos,
                &op.id,
                &op.device,
                &to_sql(op.seq),
                &(op.hlc.0 as i64),
                &op.wall_ms,
                &received_ms,
                &op.role.code(),
                &op.body.name(),
                &domain_code(domain),
                &op.body.target(),
                &body,
                &op.at_ms(),
                &(op.clock().0 as i64),
                &self.site,
            ],
        )?;
        Ok(())
    }

    fn insert_rejected(&mut self, op: &DecodedOp, cause: &Invalid, received_ms: i64) -> Result<()> {
        let cause_json = serde_json::to_string(cause)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode a cause: {e}")))?;
        self.tx.borrow_mut().execute(
            "INSERT INTO rejected (device, seq, op_id, reason, received_ms, raw, cause)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &self.device,
                &to_sql(op.seq),
                &op.id,
                &cause.to_string(),
                &received_ms,
                &op.raw.get(),
                &cause_json,
            ],
        )?;
        Ok(())
    }

    fn earlier_outcome(&self, seq: u64) -> Result<(Option<Rejection>, Option<TimeFix>)> {
        let mut tx = self.tx.borrow_mut();
        let rejection = tx
            .query_opt(
                "SELECT op_id, reason, cause FROM rejected WHERE device = $1 AND seq = $2",
                &[&self.device, &to_sql(seq)],
            )?
            .map(|r| {
                let cause: Option<String> = r.try_get(2)?;
                Ok::<_, StoreError>(Rejection {
                    seq,
                    id: r.try_get(0)?,
                    reason: r.try_get(1)?,
                    cause: cause.and_then(|c| serde_json::from_str(&c).ok()),
                })
            })
            .transpose()?;
        let fix = tx
            .query_opt(
                "SELECT wall_ms, hlc, at_ms, clock FROM ops WHERE device = $1 AND seq = $2",
                &[&self.device, &to_sql(seq)],
            )?
            .map(|r| fix_from_row(&r, 0))
            .transpose()?
            .flatten();
        Ok((rejection, fix))
    }

    fn set_acked(&mut self, acked: u64) -> Result<()> {
        self.tx.borrow_mut().execute(
            "UPDATE devices SET acked_through = $2 WHERE id = $1",
            &[&self.device, &to_sql(acked)],
        )?;
        Ok(())
    }

    fn take_error(&self) -> Option<StoreError> {
        self.error.borrow_mut().take()
    }
}

/// The correction stored in four columns from `first`: `wall_ms, hlc, at_ms, clock`.
pub(super) fn fix_from_row(r: &postgres::Row, first: usize) -> Result<Option<TimeFix>> {
    Ok(TimeFix::between(
        r.try_get(first)?,
        Hlc(r.try_get::<_, i64>(first + 1)? as u64),
        r.try_get(first + 2)?,
        Hlc(r.try_get::<_, i64>(first + 3)? as u64),
    ))
}

/// Several pushes in one transaction, under the position counter's row lock (see the module's comment).
pub(super) fn push_batches(
    client: &mut Client,
    batches: Vec<PushBatch>,
) -> Result<Vec<PushOutcome>> {
    let mut tx = client.transaction()?;
    // A sync without operations (a pull) assigns no position and does not wait for the lock.
    let assigns = batches.iter().any(|b| !b.ops.is_empty());
    let start: i64 = if assigns {
        tx.query_one(
            "SELECT next FROM counters WHERE name = 'ops' FOR UPDATE",
            &[],
        )?
        .try_get(0)?
    } else {
        0
    };
    let tx = RefCell::new(tx);
    let next_pos = RefCell::new(start);
    let mut out = Vec::with_capacity(batches.len());
    for b in batches {
        let mut ptx = PgPushTx {
            tx: &tx,
            device: b.device,
            site: &b.site.id,
            next_pos: &next_pos,
            error: RefCell::new(None),
        };
        out.push(apply_push(
            &mut ptx, b.device, b.role, b.ops, &b.site, b.receipt,
        )?);
    }
    let mut tx = tx.into_inner();
    let next = next_pos.into_inner();
    if next != start {
        tx.execute("UPDATE counters SET next = $1 WHERE name = 'ops'", &[&next])?;
    }
    tx.commit()?;
    Ok(out)
}

fn pulled_from_row(r: &postgres::Row) -> Result<PulledOp> {
    let body: OpBody = serde_json::from_str(r.try_get::<_, &str>(8)?)
        .map_err(|e| StoreError::Corrupt(format!("an operation's body: {e}")))?;
    Ok(PulledOp {
        pos: r.try_get::<_, i64>(0)? as u64,
        dev: r.try_get(2)?,
        role: role_from(r.try_get(7)?)?,
        recv: r.try_get(6)?,
        op: WireOp {
            id: r.try_get(1)?,
            seq: r.try_get::<_, i64>(3)? as u64,
            hlc: Hlc(r.try_get::<_, i64>(4)? as u64),
            wall: r.try_get(5)?,
            body,
        },
        fix: fix_from_row(r, 9)?,
    })
}

pub(super) fn pull_page(
    client: &mut Client,
    requester: Uuid,
    role: Role,
    site: &str,
    after: u64,
    limit: u32,
) -> Result<PullPage> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let domain = visible_domain(role).map(domain_code);
    let rows = tx.query(
        "SELECT pos, op_id, device, seq, hlc, wall_ms, received_ms, role, body,
                wall_ms, hlc, at_ms, clock FROM ops
         WHERE site = $5 AND pos > $1 AND device != $2 AND ($3::TEXT IS NULL OR domain = $3)
         ORDER BY pos LIMIT $4",
        &[
            &to_sql(after),
            &requester,
            &domain,
            &(i64::from(limit) + 1),
            &site,
        ],
    )?;
    let mut ops = rows
        .iter()
        .map(pulled_from_row)
        .collect::<Result<Vec<_>>>()?;
    let more = ops.len() > limit as usize;
    ops.truncate(limit as usize);
    let pull_pos = if more {
        ops.last().map_or(after, |p| p.pos)
    } else {
        let max: i64 = tx
            .query_one("SELECT COALESCE(MAX(pos), 0) FROM ops", &[])?
            .try_get(0)?;
        after.max(max as u64)
    };
    tx.commit()?;
    Ok(PullPage {
        ops,
        pull_pos,
        more,
    })
}
