//! Keeps the materialized `reports` and `runs` tables equal to the fold of the operation log.
//!
//! An operation is applied by loading the rows it touches, applying it with the shared fold, and writing
//! them back. The fold is order-independent, so operations may arrive in any order.

use rusqlite::{Connection, OptionalExtension, params};
use torgkoll_shared::validate::Lookup;
use torgkoll_shared::{
    Classification, Domain, GeoPoint, HandedOver, Operation, Report, ReportBody, Run, Site, State,
    Touches, touches,
};
use uuid::Uuid;

use super::{Result, StoreError};

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn load_report(conn: &Connection, id: Uuid) -> Result<Option<Report>> {
    let row: Option<String> = conn
        .query_row("SELECT state FROM reports WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    row.map(|s| decode(&s)).transpose()
}

pub(crate) fn load_run(conn: &Connection, id: Uuid) -> Result<Option<Run>> {
    let row: Option<String> = conn
        .query_row("SELECT state FROM runs WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    row.map(|s| decode(&s)).transpose()
}

pub(crate) fn category_code(c: Classification) -> &'static str {
    match c {
        Classification::Cleaning(c) => c.code(),
        Classification::Disturbance(d) => d.code(),
    }
}

/// A report as stored, with what its row says of it beyond the state: where it was and the zone found
/// there, so a save of a report that did not move skips the point-in-polygon search.
pub(crate) struct Loaded {
    pub at: Option<GeoPoint>,
    pub zone: Option<String>,
}

fn load_report_zone(conn: &Connection, id: Uuid) -> Result<Option<(Report, Loaded)>> {
    let row: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT state, zone FROM reports WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(s, zone)| {
        let r: Report = decode(&s)?;
        let at = r.at();
        Ok((r, Loaded { at, zone }))
    })
    .transpose()
}

fn save_report(conn: &Connection, site: &Site, me: Option<Uuid>, r: &Report) -> Result<()> {
    save_report_known(conn, site, me, r, None)
}

/// [`save_report`], given the report's row as it was loaded (its zone kept when its point is the same).
fn save_report_known(
    conn: &Connection,
    site: &Site,
    me: Option<Uuid>,
    r: &Report,
    was: Option<&Loaded>,
) -> Result<()> {
    let domain = r.body.as_ref().map(|b| match b {
        ReportBody::Cleaning { .. } => "cleaning",
        ReportBody::Disturbance(_) => "disturbance",
    });
    let at = r.at();
    let zone = match was {
        Some(w) if w.at == at => w.zone.clone(),
        _ => at.and_then(|p| site.locate(p).ok()).map(|z| z.id.clone()),
    };
    let author = r.origin.as_ref().map(|o| o.stamp.device);
    let state = serde_json::to_string(r).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO reports (id, known, domain, category, status, zone, created_ms, author, mine, state,
                              closed_ms, level, task, made_ms, taken_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (id) DO UPDATE SET known = excluded.known, domain = excluded.domain,
           category = excluded.category, status = excluded.status, zone = excluded.zone,
           created_ms = excluded.created_ms, author = excluded.author, mine = excluded.mine, state = excluded.state,
           closed_ms = excluded.closed_ms, level = excluded.level, task = excluded.task,
           made_ms = excluded.made_ms, taken_ms = excluded.taken_ms",
    )?
    .execute(params![
        r.id,
        r.is_known(),
        domain,
        r.classification().map(category_code),
        r.status().code(),
        zone,
        r.when_ms(),
        author,
        author.is_some() && author == me,
        state,
        r.closed_ms(),
        r.level(),
        r.is_task(),
        r.origin.as_ref().map(|o| o.stamp.at),
        r.taken.as_ref().map(|t| t.at()),
    ])?;
    Ok(())
}

fn save_run(conn: &Connection, me: Option<Uuid>, run: &Run) -> Result<()> {
    let author = run.origin.as_ref().map(|o| o.stamp.device);
    let state = serde_json::to_string(run).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO runs (id, kind, started_ms, stopped_ms, author, mine, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, started_ms = excluded.started_ms,
           stopped_ms = excluded.stopped_ms, author = excluded.author, mine = excluded.mine, state = excluded.state",
    )?
    .execute(params![
        run.id,
        run.kind.map(|k| k.code()),
        run.started_ms,
        run.stopped_ms.as_ref().map(|s| s.value),
        author,
        author.is_some() && author == me,
        state,
    ])?;
    Ok(())
}

/// Applies one operation to the materialized tables.
pub(crate) fn apply(
    conn: &Connection,
    site: &Site,
    me: Option<Uuid>,
    op: &Operation,
) -> Result<()> {
    let mut state = State::default();
    match touches(op) {
        t @ Touches::Reports(..) => {
            for id in t.report_ids() {
                if let Some(r) = load_report(conn, id)? {
                    state.reports.insert(id, r);
                }
            }
            state.apply(op);
            for id in t.report_ids() {
                if let Some(r) = state.reports.get(&id) {
                    save_report(conn, site, me, r)?;
                }
            }
            note_photo(conn, me, op)?;
        }
        Touches::Run(id) => {
            if let Some(r) = load_run(conn, id)? {
                state.runs.insert(id, r);
            }
            state.apply(op);
            if let Some(r) = state.runs.get(&id) {
                save_run(conn, me, r)?;
            }
        }
        Touches::Handover(id) => {
            state.apply(op);
            if let Some(h) = state.handovers.get(&id) {
                save_handover(conn, me, h)?;
            }
        }
    }
    Ok(())
}

/// Applies a page of operations to the materialized tables: every report and run they touch loaded
/// once, all of them applied in order, each touched row written once. The same as [`apply`] on each in
/// turn (an operation changes only what it touches, and the fold is order-independent), without
/// reading, decoding and writing a report again for each of its operations.
pub(crate) fn apply_many(
    conn: &Connection,
    site: &Site,
    me: Option<Uuid>,
    ops: &[Operation],
) -> Result<()> {
    let mut state = State::default();
    let mut loaded = std::collections::HashSet::new();
    let mut rows = std::collections::HashMap::new();
    for op in ops {
        match touches(op) {
            t @ Touches::Reports(..) => {
                for id in t.report_ids() {
                    if loaded.insert(id)
                        && let Some((r, row)) = load_report_zone(conn, id)?
                    {
                        state.reports.insert(id, r);
                        rows.insert(id, row);
                    }
                }
            }
            Touches::Run(id) => {
                if loaded.insert(id)
                    && let Some(r) = load_run(conn, id)?
                {
                    state.runs.insert(id, r);
                }
            }
            Touches::Handover(_) => {}
        }
        state.apply(op);
        note_photo(conn, me, op)?;
    }
    // Only what the page touched is in `state`.
    for r in state.reports.values() {
        save_report_known(conn, site, me, r, rows.get(&r.id))?;
    }
    state.reports.clear();
    save_state(conn, site, me, &state, |_| true)
}

/// Gives a photo another device attached a row (its files are fetched later, `store/photos.rs`). An own
/// photo has its row already, written with its files before its operation.
fn note_photo(conn: &Connection, me: Option<Uuid>, op: &Operation) -> Result<()> {
    let (torgkoll_shared::OpBody::Photo { report, photo }, false) =
        (&op.body, Some(op.device) == me)
    else {
        return Ok(());
    };
    conn.prepare_cached(
        "INSERT OR IGNORE INTO photos (hash, report, bytes, w, h, own, upload, has_full, has_thumb,
                                       created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, 0, 0, ?6)",
    )?
    .execute(params![
        photo.hash,
        report,
        photo.bytes,
        photo.w,
        photo.h,
        op.wall_ms
    ])?;
    Ok(())
}

/// A handover as handed over; a second copy of it (a pull after a resend) changes nothing, and its
/// read mark stays.
fn save_handover(conn: &Connection, me: Option<Uuid>, h: &HandedOver) -> Result<()> {
    let state = serde_json::to_string(h).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO handovers (id, role, author, mine, made_ms, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, made_ms = excluded.made_ms",
    )?
    .execute(params![
        h.id,
        h.origin.role.code(),
        h.origin.stamp.device,
        Some(h.origin.stamp.device) == me,
        h.origin.stamp.at,
        state,
    ])?;
    Ok(())
}

/// Folds the reports and runs `ids` anew from every operation in the log that touches them (after the
/// server corrected the time of some of them: a register keeps the latest stamp it saw, so a lowered
/// stamp needs a fold from scratch).
pub(crate) fn refold(
    conn: &Connection,
    site: &Site,
    me: Option<Uuid>,
    ids: &std::collections::BTreeSet<Uuid>,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut ops = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM oplog WHERE target = ?1
            OR (kind = 'clean_request' AND json_extract(body, '$.from') = ?2)",
    )?;
    for id in ids {
        let rows = stmt.query_map(
            rusqlite::params![id, id.to_string()],
            super::sync::op_from_row,
        )?;
        for op in rows {
            ops.push(op?);
        }
    }
    save_state(conn, site, me, &State::fold(&ops), |id| ids.contains(&id))
}

/// Folds the whole log anew into the materialized tables.
pub(crate) fn rebuild_all(conn: &Connection, site: &Site, me: Option<Uuid>) -> Result<()> {
    let ops = conn
        .prepare("SELECT * FROM oplog")?
        .query_map([], super::sync::op_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    conn.execute_batch("DELETE FROM reports; DELETE FROM runs;")?;
    save_state(conn, site, me, &State::fold(&ops), |_| true)
}

fn save_state(
    conn: &Connection,
    site: &Site,
    me: Option<Uuid>,
    state: &State,
    keep: impl Fn(Uuid) -> bool,
) -> Result<()> {
    for r in state.reports.values().filter(|r| keep(r.id)) {
        save_report(conn, site, me, r)?;
    }
    for run in state.runs.values().filter(|r| keep(r.id)) {
        save_run(conn, me, run)?;
    }
    for h in state.handovers.values().filter(|h| keep(h.id)) {
        save_handover(conn, me, h)?;
    }
    Ok(())
}

/// Validation's view of the phone's data.
pub(crate) struct DbLookup<'a>(pub &'a Connection);

impl Lookup for DbLookup<'_> {
    fn target(&self, id: Uuid) -> Option<(Domain, Uuid)> {
        let report: Option<(Option<String>, Option<Uuid>)> = self
            .0
            .query_row(
                "SELECT domain, author FROM reports WHERE id = ?1 AND known = 1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .ok()
            .flatten();
        if let Some((Some(domain), Some(author))) = report {
            let d = if domain == "disturbance" {
                Domain::Disturbance
            } else {
                Domain::Cleaning
            };
            return Some((d, author));
        }
        let run: Option<Option<Uuid>> = self
            .0
            .query_row(
                "SELECT author FROM runs WHERE id = ?1 AND kind IS NOT NULL",
                [id],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten();
        run.flatten().map(|author| (Domain::Cleaning, author))
    }

    fn is_task(&self, id: Uuid) -> bool {
        self.0
            .query_row(
                "SELECT 1 FROM oplog WHERE op_id = ?1 AND kind = 'clean_request'",
                [id],
                |_| Ok(()),
            )
            .optional()
            .ok()
            .flatten()
            .is_some()
    }

    fn photos_on(&self, report: Uuid) -> Vec<String> {
        load_report(self.0, report)
            .ok()
            .flatten()
            .map(|r| r.photos.into_keys().collect())
            .unwrap_or_default()
    }

    fn run_started(&self, id: Uuid) -> Option<i64> {
        self.0
            .query_row("SELECT started_ms FROM runs WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .ok()
            .flatten()
    }
}
