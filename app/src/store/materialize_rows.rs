//! The rows behind the materialized tables: reading a report or run back from its row, writing a
//! report, run or handover to its row with the columns the map's queries filter on, and validation's
//! view of the phone's data (`DbLookup`), which reads the same rows.

use rusqlite::{Connection, OptionalExtension, params};
use torgkoll_shared::validate::Lookup;
use torgkoll_shared::{
    Classification, Domain, GeoPoint, HandedOver, Report, ReportBody, Run, Site,
};
use uuid::Uuid;

use super::{Result, StoreError};

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn load_report(conn: &Connection, id: Uuid) -> Result<Option<Report>> {
    let row: Option<String> = conn
        .query_row("SELECT state FROM reports WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    row.map(|s| decode(&s)).transpose()
}

pub(super) fn load_run(conn: &Connection, id: Uuid) -> Result<Option<Run>> {
    let row: Option<String> = conn
        .query_row("SELECT state FROM runs WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    row.map(|s| decode(&s)).transpose()
}

fn category_code(c: Classification) -> &'static str {
    match c {
        Classification::Cleaning(c) => c.code(),
        Classification::Disturbance(d) => d.code(),
    }
}

/// A report as stored, with what its row says of it beyond the state: where it was and the zone found
/// there, so a save of a report that did not move skips the point-in-polygon search.
pub(super) struct Loaded {
    at: Option<GeoPoint>,
    zone: Option<String>,
}

pub(super) fn load_report_zone(conn: &Connection, id: Uuid) -> Result<Option<(Report, Loaded)>> {
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

pub(super) fn save_report(
    conn: &Connection,
    site: &Site,
    me: Option<Uuid>,
    r: &Report,
) -> Result<()> {
    save_report_known(conn, site, me, r, None)
}

/// [`save_report`], given the report's row as it was loaded (its zone kept when its point is the same).
pub(super) fn save_report_known(
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

pub(super) fn save_run(conn: &Connection, me: Option<Uuid>, run: &Run) -> Result<()> {
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

/// A handover as handed over; a second copy of it (a pull after a resend) changes nothing, and its
/// read mark stays.
pub(super) fn save_handover(conn: &Connection, me: Option<Uuid>, h: &HandedOver) -> Result<()> {
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

/// Validation's view of the phone's data.
pub(super) struct DbLookup<'a>(pub(super) &'a Connection);

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
