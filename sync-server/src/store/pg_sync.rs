//! Pushes and pulls on PostgreSQL: why positions follow commit order (the push itself: `super::pg_push`).
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

use postgres::{Client, IsolationLevel};
use torgkoll_shared::{Hlc, Role, TimeFix};
use uuid::Uuid;

use super::pg::to_sql;
use super::pg_devices::role_from;
use super::pulled::stored_body;
use super::sqlite_sync::domain_code;
use super::{PullPage, RawPulled, RawWireOp, Result, visible_domain};

/// The correction stored in four columns from `first`: `wall_ms, hlc, at_ms, clock`.
pub(super) fn fix_from_row(r: &postgres::Row, first: usize) -> Result<Option<TimeFix>> {
    Ok(TimeFix::between(
        r.try_get(first)?,
        Hlc(r.try_get::<_, i64>(first + 1)? as u64),
        r.try_get(first + 2)?,
        Hlc(r.try_get::<_, i64>(first + 3)? as u64),
    ))
}

/// A row of the pull's query, its body as stored ([`super::pulled`]).
fn pulled_from_row(r: &postgres::Row) -> Result<RawPulled> {
    Ok(RawPulled {
        pos: r.try_get::<_, i64>(0)? as u64,
        dev: r.try_get(2)?,
        role: role_from(r.try_get(7)?)?,
        recv: r.try_get(6)?,
        op: RawWireOp {
            id: r.try_get(1)?,
            seq: r.try_get::<_, i64>(3)? as u64,
            hlc: Hlc(r.try_get::<_, i64>(4)? as u64),
            wall: r.try_get(5)?,
            body: stored_body(r.try_get(8)?)?,
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
