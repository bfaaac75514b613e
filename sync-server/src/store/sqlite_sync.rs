//! Pulls on SQLite: one read transaction, so the page and the highest position it examined come from the
//! same snapshot, of the requester's site only (`ops_site_pos`). (Pushes: `super::sqlite_push`.)

use rusqlite::params;
use torgkoll_shared::{Domain, Hlc, Role, TimeFix};
use uuid::Uuid;

use super::pulled::stored_body;
use super::sqlite::SqliteStore;
use super::sqlite_devices::role_from;
use super::{PullPage, RawPulled, RawWireOp, Result, visible_domain};

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
pub(super) fn to_sql(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
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

/// A row of the pull's query, its body as stored ([`super::pulled`]).
fn pulled_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawPulled> {
    let body = stored_body(r.get(8)?).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(8, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(RawPulled {
        pos: r.get::<_, i64>(0)? as u64,
        dev: r.get(2)?,
        role: role_from(&r.get::<_, String>(7)?)?,
        recv: r.get(6)?,
        op: RawWireOp {
            id: r.get(1)?,
            seq: r.get::<_, i64>(3)? as u64,
            hlc: Hlc(r.get::<_, i64>(4)? as u64),
            wall: r.get(5)?,
            body,
        },
        fix: fix_from_row(9)(r)?,
    })
}

/// A page of what a device may pull: its site's operations after `?1`, not its own, of the domain
/// its role sees (`?3`, or all), in position order, `?4` rows.
pub(super) const PULL_PAGE: &str =
    "SELECT pos, op_id, device, seq, hlc, wall_ms, received_ms, role, body,
            wall_ms, hlc, at_ms, clock FROM ops
     WHERE site = ?5 AND pos > ?1 AND device != ?2 AND (?3 IS NULL OR domain = ?3)
     ORDER BY pos LIMIT ?4";

impl SqliteStore {
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
            let mut stmt = tx.prepare_cached(PULL_PAGE)?;
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
