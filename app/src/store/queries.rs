//! What the UI and sync ask of the store.

use rusqlite::params;
use torgkoll_shared::{Domain, Invalid, Operation, Report, Run, State, Status};
use uuid::Uuid;

use super::materialize_rows::load_report;
use super::sync::op_from_row;
use super::{Result, Store, StoreError};

/// Where one of this phone's own changes stands with the server.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncState {
    Pending,
    Sent,
    Rejected(Refusal),
}

/// Why the server refused one of this phone's operations: its English words, and its code when the
/// server sent one (the UI says that in the user's language).
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub reason: String,
    pub cause: Option<Invalid>,
}

/// A report as the UI shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportView {
    pub report: Report,
    pub zone: Option<String>,
    pub mine: bool,
    /// For reports this phone made or changed: the worst state among its own operations on it.
    pub sync: Option<SyncState>,
}

impl ReportView {
    pub fn status(&self) -> Status {
        self.report.status()
    }
}

/// A machine run as the UI shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    pub run: Run,
    pub mine: bool,
}

/// Reports counted per zone and domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneCount {
    pub zone: String,
    pub domain: Domain,
    pub count: u64,
}

/// One entry of a report's history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    pub op: Operation,
    pub local: bool,
    pub sync: Option<SyncState>,
    pub received_ms: Option<i64>,
}

fn sync_state(
    state: Option<String>,
    reason: Option<String>,
    cause: Option<String>,
) -> Option<SyncState> {
    match state.as_deref() {
        Some("pending") => Some(SyncState::Pending),
        Some("sent") => Some(SyncState::Sent),
        Some("rejected") => Some(SyncState::Rejected(Refusal {
            reason: reason.unwrap_or_default(),
            cause: cause.and_then(|c| serde_json::from_str(&c).ok()),
        })),
        _ => None,
    }
}

fn decode<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// An own operation's sync state, of the log row `o` (an SQL expression): `rejected` once the server
/// refused it, `pending` while it waits in the outbox, `sent` after; `NULL` for another device's. The
/// outbox says it, so an acknowledgement deletes from the outbox and rewrites no log row:
/// `oplog.sync_state` holds only `rejected` (rows written before this held `pending` or `sent` too,
/// which nothing reads).
macro_rules! own_state_sql {
    () => {
        "CASE WHEN o.local = 0 THEN NULL
              WHEN o.sync_state = 'rejected' THEN 'rejected'
              WHEN EXISTS (SELECT 1 FROM outbox q WHERE q.op_id = o.op_id) THEN 'pending'
              ELSE 'sent' END"
    };
}
pub(crate) use own_state_sql;

pub(crate) const REPORT_VIEW_SQL: &str = concat!(
    "
    SELECT r.state, r.zone, r.mine,
      (SELECT CASE WHEN SUM(st = 'rejected') > 0 THEN 'rejected'
                   WHEN SUM(st = 'pending') > 0 THEN 'pending'
                   WHEN COUNT(*) > 0 THEN 'sent' END
         FROM (SELECT ",
    own_state_sql!(),
    " AS st FROM oplog o WHERE o.target = r.id AND o.local = 1)),
      (SELECT o.reason FROM oplog o WHERE o.target = r.id AND o.local = 1 AND o.sync_state = 'rejected' LIMIT 1),
      (SELECT o.cause FROM oplog o WHERE o.target = r.id AND o.local = 1 AND o.sync_state = 'rejected' LIMIT 1)
    FROM reports r"
);

pub(crate) fn report_view(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReportView> {
    let state: String = r.get(0)?;
    Ok(ReportView {
        report: decode(&state)?,
        zone: r.get(1)?,
        mine: r.get(2)?,
        sync: sync_state(r.get(3)?, r.get(4)?, r.get(5)?),
    })
}

/// Which reports the field maps and lists show ("Öppna / Idag / Allt").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FieldFilter {
    /// Everything still open, whatever its age.
    Open,
    /// What happened or was closed today.
    Today,
    /// Everything still open, whatever its age, and what happened or closed today.
    #[default]
    All,
}

impl Store {
    /// The reports a field map shows under `filter` (`today` is the phone's local day), newest first;
    /// withdrawn ones never.
    pub fn field_reports(
        &self,
        filter: FieldFilter,
        today: &torgkoll_shared::analytics::Period,
        _now_ms: i64,
    ) -> Result<Vec<ReportView>> {
        let today_sql = "((r.created_ms >= ?1 AND r.created_ms < ?2) OR (r.closed_ms >= ?1 AND r.closed_ms < ?2))";
        let cond = match filter {
            FieldFilter::Open => "r.status = 'open'".to_owned(),
            FieldFilter::Today => today_sql.to_owned(),
            FieldFilter::All => format!("(r.status = 'open' OR {today_sql})"),
        };
        let sql = format!(
            "{REPORT_VIEW_SQL} WHERE r.known = 1 AND r.status != 'withdrawn' AND {cond}
               AND ?1 IS NOT NULL AND ?2 IS NOT NULL
             ORDER BY r.created_ms DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_map(params![today.from_ms, today.to_ms], report_view)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Reports created in `[from_ms, to_ms)`, newest first, withdrawn ones left out.
    pub fn reports_between(&self, from_ms: i64, to_ms: i64) -> Result<Vec<ReportView>> {
        let sql = format!(
            "{REPORT_VIEW_SQL} WHERE r.known = 1 AND r.created_ms >= ?1 AND r.created_ms < ?2
             AND r.status != 'withdrawn' ORDER BY r.created_ms DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_map(params![from_ms, to_ms], report_view)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// This phone's own disturbances of a shift from `from_ms` to `to_ms`, by when they happened, oldest
    /// first, without the withdrawn and the duplicates (a guard's shift list). A shift holds what
    /// happened in it and what was logged in it: the report that started a shift may tell of something
    /// a quarter of an hour before.
    pub fn my_disturbances(&self, from_ms: i64, to_ms: i64) -> Result<Vec<ReportView>> {
        let sql = format!(
            "{REPORT_VIEW_SQL} WHERE r.known = 1 AND r.mine = 1 AND r.domain = 'disturbance'
               AND r.status NOT IN ('withdrawn', 'duplicate')
               AND ((r.created_ms >= ?1 AND r.created_ms <= ?2)
                    OR r.id IN (SELECT op_id FROM oplog WHERE local = 1 AND kind = 'disturbance'
                                  AND wall_ms >= ?1 AND wall_ms <= ?2))
             ORDER BY r.created_ms"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_map(params![from_ms, to_ms], report_view)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// This phone's own reports, newest first, each with its sync state.
    pub fn my_reports(&self, limit: usize) -> Result<Vec<ReportView>> {
        let sql = format!(
            "{REPORT_VIEW_SQL} WHERE r.known = 1 AND r.mine = 1 ORDER BY r.created_ms DESC LIMIT ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_map([limit as i64], report_view)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// One report, with its sync state.
    pub fn report(&self, id: Uuid) -> Result<Option<ReportView>> {
        let sql = format!("{REPORT_VIEW_SQL} WHERE r.id = ?1 AND r.known = 1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query_map([id], report_view)?;
        Ok(rows.next().transpose()?)
    }

    /// Reports created in `[from_ms, to_ms)` counted by zone and domain (withdrawn and duplicates left out).
    pub fn counts_by_zone_and_domain(&self, from_ms: i64, to_ms: i64) -> Result<Vec<ZoneCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT zone, domain, COUNT(*) FROM reports WHERE known = 1 AND created_ms >= ?1 AND created_ms < ?2
               AND status NOT IN ('withdrawn', 'duplicate') AND zone IS NOT NULL
             GROUP BY zone, domain ORDER BY zone, domain",
        )?;
        let rows = stmt.query_map(params![from_ms, to_ms], |r| {
            let domain: String = r.get(1)?;
            Ok(ZoneCount {
                zone: r.get(0)?,
                domain: if domain == "disturbance" {
                    Domain::Disturbance
                } else {
                    Domain::Cleaning
                },
                count: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everything done to a report, in (effective) clock order.
    pub fn history(&self, id: Uuid) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT o.*, ",
            own_state_sql!(),
            " AS own_state FROM oplog o WHERE target = ?1 OR op_id = ?1
                   OR (kind = 'clean_request' AND json_extract(body, '$.from') = ?2)
                 ORDER BY COALESCE(fix_hlc, hlc), device, op_id"
        ))?;
        let rows = stmt.query_map(params![id, id.to_string()], |r| {
            Ok(HistoryEntry {
                op: op_from_row(r)?,
                local: r.get("local")?,
                sync: sync_state(r.get("own_state")?, r.get("reason")?, r.get("cause")?),
                received_ms: r.get("received_ms")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The state of the whole site as it was at `at_ms` (by the operations' corrected times), folded
    /// from the log.
    pub fn state_at(&self, at_ms: i64) -> Result<State> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT * FROM oplog WHERE COALESCE(fix_at, wall_ms) <= ?1")?;
        let ops = stmt
            .query_map([at_ms], op_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(State::fold(&ops))
    }

    /// The current state of everything, from the materialized tables.
    pub fn state(&self) -> Result<State> {
        let mut state = State::default();
        let mut stmt = self.conn.prepare_cached("SELECT state FROM reports")?;
        for s in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let r: Report =
                serde_json::from_str(&s?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            state.reports.insert(r.id, r);
        }
        let mut stmt = self.conn.prepare_cached("SELECT state FROM runs")?;
        for s in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let r: Run =
                serde_json::from_str(&s?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            state.runs.insert(r.id, r);
        }
        Ok(state)
    }

    /// Machine runs started in `[from_ms, to_ms)`, newest first.
    pub fn runs_between(&self, from_ms: i64, to_ms: i64) -> Result<Vec<RunView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, mine FROM runs WHERE kind IS NOT NULL AND started_ms >= ?1 AND started_ms < ?2
             ORDER BY started_ms DESC",
        )?;
        let rows = stmt.query_map(params![from_ms, to_ms], |r| {
            let s: String = r.get(0)?;
            Ok(RunView {
                run: decode(&s)?,
                mine: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// This phone's run that has started and not stopped, if any.
    pub fn active_run(&self) -> Result<Option<Run>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT state FROM runs WHERE mine = 1 AND kind IS NOT NULL AND stopped_ms IS NULL
             ORDER BY started_ms DESC LIMIT 1",
        )?;
        let mut rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        match rows.next() {
            Some(s) => Ok(Some(decode(&s?)?)),
            None => Ok(None),
        }
    }

    /// Every operation in the log (for checks and tools), in (effective) clock order.
    pub fn all_ops(&self) -> Result<Vec<Operation>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT * FROM oplog ORDER BY COALESCE(fix_hlc, hlc), device, op_id")?;
        Ok(stmt
            .query_map([], op_from_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// A report's state straight from the materialized table.
    pub fn report_state(&self, id: Uuid) -> Result<Option<Report>> {
        load_report(&self.conn, id)
    }
}
