//! Alerts and tasks that reach a person: the level-1 disturbances a guard's or the manager's banner
//! shows, the cleaning tasks on top of a cleaner's screen, and this phone's own marks on them ("Sett",
//! and whether its sound was given), kept beside the synced state and never sent.
//!
//! An alert stays until someone takes it (a `Take` from any phone), it is closed (resolved, withdrawn,
//! a duplicate), it was "Sett" here, or it is older than [`ALERT_WINDOW_MS`] by corrected time: a
//! phone back from a week offline does not ring for last week's fights.

use rusqlite::params;
use torgkoll_shared::Role;
use uuid::Uuid;

use super::queries::ReportView;
use super::{Result, Store};

/// How long after it was made an untaken alert still rings: 12 hours, one shift and its overlap.
pub const ALERT_WINDOW_MS: i64 = 12 * 3_600_000;

/// What an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// A level-1 disturbance (guards and the manager).
    Acute,
    /// A cleaning task asked for by a guard or the manager (cleaners).
    Task,
}

/// An alert as the banner shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub kind: AlertKind,
    pub report: ReportView,
    /// Whether this phone has given its sound and vibration for it already.
    pub signalled: bool,
}

/// The report columns `REPORT_VIEW_SQL` reads, for an alias-free query here.
const VIEW_SQL: &str = "
    SELECT r.state, r.zone, r.mine, NULL, NULL, NULL, m.signalled_ms IS NOT NULL
    FROM reports r LEFT JOIN alert_marks m ON m.report = r.id";

impl Store {
    /// The alerts a role's banner shows at `now_ms`, newest first: level-1 disturbances for guards and
    /// the manager, cleaning tasks for cleaners; not made on this phone, still open, not taken, made in
    /// the last 12 hours, not "Sett" here.
    pub fn active_alerts(&self, role: Role, now_ms: i64) -> Result<Vec<Alert>> {
        let (kind, which) = match role {
            Role::Cleaner => (AlertKind::Task, "r.task = 1"),
            Role::Guard | Role::Manager => {
                (AlertKind::Acute, "r.domain = 'disturbance' AND r.level = 1")
            }
        };
        let sql = format!(
            "{VIEW_SQL} WHERE r.known = 1 AND {which} AND r.mine = 0 AND r.status = 'open'
               AND r.taken_ms IS NULL AND r.made_ms >= ?1 AND m.seen_ms IS NULL
             ORDER BY r.made_ms DESC, r.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([now_ms - ALERT_WINDOW_MS], |r| {
            Ok(Alert {
                kind,
                report: super::queries::report_view(r)?,
                signalled: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The cleaning tasks not yet done (not resolved, withdrawn or a duplicate): untaken first, then
    /// newest first.
    pub fn open_tasks(&self) -> Result<Vec<ReportView>> {
        let sql = format!(
            "{} WHERE r.known = 1 AND r.task = 1 AND r.status = 'open'
             ORDER BY r.taken_ms IS NOT NULL, r.made_ms DESC, r.id",
            super::queries::REPORT_VIEW_SQL
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_map([], super::queries::report_view)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// "Sett": silences an alert's banner on this phone. Marking it again changes nothing.
    pub fn mark_alert_seen(&self, report: Uuid, now_ms: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO alert_marks (report, seen_ms) VALUES (?1, ?2)
             ON CONFLICT (report) DO UPDATE SET seen_ms = COALESCE(seen_ms, excluded.seen_ms)",
            params![report, now_ms],
        )?;
        Ok(())
    }

    /// Notes that an alert's sound was given; `true` only the first time, so it sounds once per alert on
    /// this phone, however often the screen is drawn and across restarts.
    pub fn mark_alert_signalled(&self, report: Uuid, now_ms: i64) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT INTO alert_marks (report, signalled_ms) VALUES (?1, ?2)
             ON CONFLICT (report) DO UPDATE SET signalled_ms = excluded.signalled_ms
               WHERE signalled_ms IS NULL",
            params![report, now_ms],
        )?;
        Ok(n == 1)
    }
}
