//! The store's side of sync: what to send, and applying the server's answer in one transaction.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use torgkoll_shared::protocol::SyncResponse;
use torgkoll_shared::{Hlc, OpBody, Operation, Role, TimeFix};
use uuid::Uuid;

use super::materialize;
use super::record::insert_pulled;
use super::{Result, Store, StoreError, get_meta, meta_u64, set_meta};

/// What one applied answer changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyOutcome {
    pub acked: u64,
    pub rejected: usize,
    pub pulled_new: usize,
    pub pulled_dup: usize,
    /// Own operations whose time the server corrected (and this phone learned of now).
    pub fixed: usize,
    /// Own operations put back into the outbox because the server acknowledged less than it had before
    /// (it was restored from a backup): the next round sends them again.
    pub requeued: u64,
    /// Own photos marked for upload again because the server asked for them (`photos_wanted`).
    pub photos_again: usize,
    /// Other phones' operations pulled again with another time correction than the one held (the
    /// server was restored from a backup and corrected their resend anew): the server's holds.
    pub refixed: usize,
}

/// What the sync bar shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStatus {
    pub pending: u64,
    pub last_sync_ms: Option<i64>,
    pub last_error: Option<String>,
    /// This phone's clock minus the server's, as the last sync measured it.
    pub clock_offset_ms: Option<i64>,
}

pub(crate) fn op_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Operation> {
    let body: String = r.get("body")?;
    let role: String = r.get("role")?;
    let fix_at: Option<i64> = r.get("fix_at")?;
    let fix_hlc: Option<i64> = r.get("fix_hlc")?;
    Ok(Operation {
        fix: fix_at.zip(fix_hlc).map(|(at, h)| TimeFix {
            at,
            hlc: Hlc(h as u64),
        }),
        id: r.get("op_id")?,
        device: r.get("device")?,
        seq: r.get::<_, i64>("seq")? as u64,
        hlc: Hlc(r.get::<_, i64>("hlc")? as u64),
        wall_ms: r.get("wall_ms")?,
        role: Role::from_code(&role).unwrap_or(Role::Cleaner),
        body: serde_json::from_str::<OpBody>(&body).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?,
    })
}

/// After an answer acknowledging only through `acked`: this phone's own operations after it that it had
/// seen acknowledged before go back into the outbox, in the answer's transaction. That happens only when
/// the server lost them (restored from an older backup, docs/PROTOCOL.md "Restore"); it has them again
/// once the next rounds re-send them with their ids and sequence numbers. An operation that was sent goes
/// back to pending (so its photo waits for it), and every own photo is offered again (the upload resumes
/// from what the server holds); one refused stays refused here and is sent only to close the gap (the
/// server judges it again). Answers how many.
fn requeue_unacked(tx: &rusqlite::Transaction<'_>, me: Uuid, acked: u64) -> Result<u64> {
    let acked = acked as i64;
    let n = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO outbox (seq, op_id)
             SELECT seq, op_id FROM oplog
             WHERE device = ?1 AND local = 1 AND seq > ?2",
        )?
        .execute(params![me, acked])?;
    if n > 0 {
        // Every own photo, not only those of re-sent operations: the restored server may hold an
        // operation but not the photo uploaded after the backup. The upload asks first, so one it has
        // costs a status request and no bytes.
        tx.prepare_cached(
            "UPDATE photos SET upload = 'pending' WHERE own = 1 AND upload = 'sent' AND has_full = 1",
        )?
        .execute([])?;
        tracing::warn!(
            acked,
            requeued = n,
            "the server acknowledged less than before (restored?): sending those operations again"
        );
    }
    Ok(n as u64)
}

/// The own photos the server asks for again (it holds their operations but lost the files, restored
/// from an older backup: docs/PROTOCOL.md "Restore") go back to pending upload; the photo pass after
/// the sync sends them, asking first. A photo this phone no longer has whole, or that is pending or
/// failed already, is left as it is. Answers how many changed.
fn reoffer_photos(tx: &rusqlite::Transaction<'_>, wanted: &[String]) -> Result<usize> {
    let mut n = 0;
    for hash in wanted
        .iter()
        .take(torgkoll_shared::protocol::PHOTOS_WANTED_MAX)
    {
        n += tx
            .prepare_cached(
                "UPDATE photos SET upload = 'pending'
                 WHERE hash = ?1 AND own = 1 AND upload = 'sent' AND has_full = 1",
            )?
            .execute([hash])?;
    }
    if n > 0 {
        tracing::warn!(
            photos = n,
            "the server lacks photos it saw uploaded (restored?): sending them again"
        );
    }
    Ok(n)
}

/// Another phone's operation pulled again (already in the log) with another correction of its time than
/// the one held: after a restore from a backup, its author sent it again and the server corrected it
/// anew (its receive time and the phone's measured offset are new), and the other phones that pulled
/// it before would otherwise keep the old correction and fold it differently from the server and from
/// every phone that pulls it now (docs/PROTOCOL.md "Restore"). The server's correction holds, as it
/// does for a phone's own operations (`fixed`). Answers the operation as now held if it changed.
fn refix_pulled(tx: &rusqlite::Transaction<'_>, op: &Operation) -> Result<Option<Operation>> {
    let (at, hlc) = (op.fix.map(|f| f.at), op.fix.map(|f| f.hlc.0 as i64));
    Ok(tx
        .prepare_cached(
            "UPDATE oplog SET fix_at = ?2, fix_hlc = ?3
             WHERE op_id = ?1 AND local = 0 AND (fix_at IS NOT ?2 OR fix_hlc IS NOT ?3)
             RETURNING *",
        )?
        .query_row(params![op.id, at, hlc], op_from_row)
        .optional()?)
}

impl Store {
    /// The server position to pull after.
    pub fn pull_pos(&self) -> Result<u64> {
        meta_u64(&self.conn, "pull_pos")
    }

    /// Applies a server answer: acknowledgements, rejections, the server's corrections of this phone's
    /// times, the pulled operations and the new pull position, all in one transaction, so a crash can
    /// neither skip pulled rows nor lose an ack. `sent_ms` is when the request left (this phone's
    /// clock), `now_ms` when the answer came: the clock offset is measured from them and `server_ms`.
    pub fn apply_sync(
        &mut self,
        resp: &SyncResponse,
        sent_ms: i64,
        now_ms: i64,
    ) -> Result<ApplyOutcome> {
        let me = self
            .identity
            .as_ref()
            .ok_or(StoreError::NotEnrolled)?
            .device;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = ApplyOutcome {
            acked: resp.acked_through,
            ..Default::default()
        };
        for rej in &resp.rejected {
            let cause = rej
                .cause
                .as_ref()
                .and_then(|c| serde_json::to_string(c).ok());
            out.rejected += tx
                .prepare_cached(
                    "UPDATE oplog SET sync_state = 'rejected', reason = ?2, cause = ?4
                     WHERE op_id = ?1 AND device = ?3",
                )?
                .execute(params![rej.id, rej.reason, me, cause])?;
        }
        tx.prepare_cached("DELETE FROM outbox WHERE seq <= ?1")?
            .execute([resp.acked_through as i64])?;
        out.requeued = requeue_unacked(&tx, me, resp.acked_through)?;
        out.photos_again = reoffer_photos(&tx, &resp.photos_wanted)?;
        let mut refold = BTreeSet::new();
        for f in &resp.fixed {
            let changed = tx
                .prepare_cached(
                    "UPDATE oplog SET fix_at = ?3, fix_hlc = ?4
                     WHERE device = ?1 AND seq = ?2 AND (fix_at IS NOT ?3 OR fix_hlc IS NOT ?4)
                     RETURNING *",
                )?
                .query_row(
                    params![me, f.seq as i64, f.fix.at, f.fix.hlc.0 as i64],
                    op_from_row,
                )
                .optional()?;
            if let Some(op) = changed {
                refold.extend(torgkoll_shared::touches(&op).ids());
                out.fixed += 1;
            }
        }
        materialize::refold(&tx, &self.site, Some(me), &refold)?;

        // The page: the new operations into the log, many rows a statement (one already held is
        // skipped by its id), then all of them into the materialized state in one pass
        // (`materialize::apply_many`).
        let mut hlc = Hlc(meta_u64(&tx, "hlc")?);
        let page: Vec<_> = resp
            .ops
            .iter()
            .filter(|p| p.dev != me)
            .map(|p| (p.operation(), p.pos, p.recv))
            .collect();
        let mut new = insert_pulled(&tx, &page)?;
        let mut fresh = Vec::with_capacity(new.len());
        let mut refix = BTreeSet::new();
        for (op, _, _) in page {
            // `remove`: the same id twice in one page is new once.
            if new.remove(&op.id) {
                hlc = hlc.observe(op.clock(), now_ms);
                fresh.push(op);
            } else {
                out.pulled_dup += 1;
                if let Some(held) = refix_pulled(&tx, &op)? {
                    refix.extend(torgkoll_shared::touches(&held).ids());
                    out.refixed += 1;
                }
            }
        }
        out.pulled_new = fresh.len();
        materialize::apply_many(&tx, &self.site, Some(me), &fresh)?;
        materialize::refold(&tx, &self.site, Some(me), &refix)?;
        if resp.pull_pos > meta_u64(&tx, "pull_pos")? {
            set_meta(&tx, "pull_pos", &resp.pull_pos.to_string())?;
        }
        set_meta(&tx, "hlc", &hlc.0.to_string())?;
        set_meta(&tx, "last_sync_ms", &now_ms.to_string())?;
        let offset = sent_ms.midpoint(now_ms).saturating_sub(resp.server_ms);
        set_meta(&tx, "clock_offset_ms", &offset.to_string())?;
        tx.execute("DELETE FROM meta WHERE key = 'last_error'", [])?;
        tx.commit()?;
        Ok(out)
    }

    /// Remembers why the last sync attempt failed, for the sync bar.
    pub fn set_sync_error(&self, message: &str) -> Result<()> {
        set_meta(&self.conn, "last_error", message)
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(SyncStatus {
            pending: self.pending_count()?,
            last_sync_ms: get_meta(&self.conn, "last_sync_ms")?.and_then(|v| v.parse().ok()),
            last_error: get_meta(&self.conn, "last_error")?,
            clock_offset_ms: get_meta(&self.conn, "clock_offset_ms")?.and_then(|v| v.parse().ok()),
        })
    }

    /// The device id of this phone, if enrolled.
    pub fn device(&self) -> Option<Uuid> {
        self.identity.as_ref().map(|i| i.device)
    }
}
