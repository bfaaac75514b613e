//! The statements of a PostgreSQL push (`super::pg_push`), each prepared once per pooled connection.

use postgres::Statement;

use super::Result;
use super::pg_pool::PgConn;

pub(super) const COUNTER_LOCK: &str = "SELECT next FROM counters WHERE name = 'ops' FOR UPDATE";
pub(super) const COUNTER_SET: &str = "UPDATE counters SET next = $1 WHERE name = 'ops'";
const TARGET: &str = "SELECT domain, device FROM ops WHERE op_id = $1 AND site = $2
     AND kind IN ('clean', 'clean_request', 'disturbance', 'run_start')";
const RUN_STARTED: &str = "SELECT ((body::jsonb) ->> 'started')::BIGINT FROM ops
     WHERE op_id = $1 AND site = $2 AND kind = 'run_start'";
const IS_TASK: &str = "SELECT 1 FROM ops WHERE op_id = $1 AND site = $2 AND kind = 'clean_request'";
const PHOTOS_ON: &str =
    "SELECT DISTINCT (body::jsonb) ->> 'hash' FROM ops WHERE target = $1 AND kind = 'photo'";
const DEVICE: &str = "SELECT acked_through, enrolled_ms FROM devices WHERE id = $1";
const LAST_OP: &str = "SELECT at_ms, clock FROM ops WHERE device = $1 ORDER BY seq DESC LIMIT 1";
const OFFSET: &str =
    "UPDATE devices SET clock_offset_ms = $2, offset_measured_ms = $3 WHERE id = $1";
const TAKEN: &str = "SELECT op_id FROM ops WHERE op_id = ANY($1::UUID[])";
const EARLIER_REJECTED: &str = "SELECT seq, op_id, reason, cause FROM rejected
     WHERE device = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq";
const EARLIER_FIXES: &str = "SELECT seq, wall_ms, hlc, at_ms, clock FROM ops
     WHERE device = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq";
const INSERT_OPS: &str = "INSERT INTO ops (pos, op_id, device, seq, hlc, wall_ms, received_ms, role,
                      kind, domain, target, body, at_ms, clock, site)
     SELECT pos, op_id, $12, seq, hlc, wall_ms, $13, role, kind, domain, target, body, at_ms, clock, $14
     FROM UNNEST($1::BIGINT[], $2::UUID[], $3::BIGINT[], $4::BIGINT[], $5::BIGINT[], $6::TEXT[],
                 $7::TEXT[], $8::TEXT[], $9::UUID[], $10::TEXT[], $11::BIGINT[], $15::BIGINT[])
          AS t(pos, op_id, seq, hlc, wall_ms, role, kind, domain, target, body, at_ms, clock)";
const INSERT_REJECTED: &str =
    "INSERT INTO rejected (device, seq, op_id, reason, received_ms, raw, cause)
     SELECT $1, seq, op_id, reason, $2, raw, cause
     FROM UNNEST($3::BIGINT[], $4::UUID[], $5::TEXT[], $6::TEXT[], $7::TEXT[])
          AS t(seq, op_id, reason, raw, cause)";
/// The reports made by the operations at positions `$1..=$2` (migration 4: the push keeps
/// `report_status`, set-based, where a trigger kept it row by row).
const REPORTS_MADE: &str = "INSERT INTO report_status (id, made_ms)
     SELECT op_id, at_ms FROM ops
     WHERE pos BETWEEN $1 AND $2 AND kind IN ('clean', 'clean_request', 'disturbance')
     ON CONFLICT (id) DO NOTHING";
/// What the operations at positions `$1..=$2` changed of their reports: each column a maximum, as the
/// trigger kept it (`GREATEST` ignores NULLs).
const REPORTS_CHANGED: &str = "UPDATE report_status r SET
         gone = r.gone OR c.now_gone,
         resolved_hlc = GREATEST(r.resolved_hlc, c.resolved),
         again_hlc = GREATEST(r.again_hlc, c.again),
         changed_ms = GREATEST(r.changed_ms, c.changed)
     FROM (SELECT target,
                  bool_or(kind IN ('withdraw', 'duplicate')) AS now_gone,
                  MAX(clock) FILTER (WHERE kind = 'resolve') AS resolved,
                  MAX(clock) FILTER (WHERE kind = 'still_there') AS again,
                  MAX(at_ms) AS changed
           FROM ops
           WHERE pos BETWEEN $1 AND $2 AND kind IN ('withdraw', 'duplicate', 'resolve', 'still_there')
           GROUP BY target) AS c
     WHERE r.id = c.target";
const SET_ACKED: &str = "UPDATE devices SET acked_through = $2 WHERE id = $1";

/// The push's statements, prepared on the connection it runs on.
pub(super) struct Statements {
    pub(super) target: Statement,
    pub(super) run_started: Statement,
    pub(super) is_task: Statement,
    pub(super) photos_on: Statement,
    pub(super) device: Statement,
    pub(super) last_op: Statement,
    pub(super) offset: Statement,
    pub(super) taken: Statement,
    pub(super) earlier_rejected: Statement,
    pub(super) earlier_fixes: Statement,
    pub(super) insert_ops: Statement,
    pub(super) insert_rejected: Statement,
    pub(super) reports_made: Statement,
    pub(super) reports_changed: Statement,
    pub(super) set_acked: Statement,
}

impl Statements {
    pub(super) fn prepare(c: &mut PgConn) -> Result<Statements> {
        Ok(Statements {
            target: c.prepared(TARGET)?,
            run_started: c.prepared(RUN_STARTED)?,
            is_task: c.prepared(IS_TASK)?,
            photos_on: c.prepared(PHOTOS_ON)?,
            device: c.prepared(DEVICE)?,
            last_op: c.prepared(LAST_OP)?,
            offset: c.prepared(OFFSET)?,
            taken: c.prepared(TAKEN)?,
            earlier_rejected: c.prepared(EARLIER_REJECTED)?,
            earlier_fixes: c.prepared(EARLIER_FIXES)?,
            insert_ops: c.prepared(INSERT_OPS)?,
            insert_rejected: c.prepared(INSERT_REJECTED)?,
            reports_made: c.prepared(REPORTS_MADE)?,
            reports_changed: c.prepared(REPORTS_CHANGED)?,
            set_acked: c.prepared(SET_ACKED)?,
        })
    }
}
