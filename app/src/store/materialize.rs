//! Keeps the materialized `reports` and `runs` tables equal to the fold of the operation log.
//!
//! An operation is applied by loading the rows it touches, applying it with the shared fold, and writing
//! them back. The fold is order-independent, so operations may arrive in any order.

use rusqlite::{Connection, params};
use torgkoll_shared::{Operation, Site, State, Touches, touches};
use uuid::Uuid;

use super::Result;
use super::materialize_rows::{
    load_report, load_report_zone, load_run, save_handover, save_report, save_report_known,
    save_run,
};

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
