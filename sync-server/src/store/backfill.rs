//! Migration 4: the clock corrections of operations stored before the server made them. They go through
//! the same rules as a push (`torgkoll_shared::timefix`), one device at a time in sequence order; the
//! operations received together count as one push, and no clock offset was measured then.
//! refinery runs SQL only: V4 creates the marker `pending_time_backfill`, and `schema.rs` runs this and
//! drops the marker in one transaction before migration 5.

use rusqlite::{Transaction, params};
use torgkoll_shared::Hlc;
use torgkoll_shared::timefix::{DeviceTime, Receipt, corrected_times, effective_clock};
use uuid::Uuid;

use super::Result;

struct Row {
    pos: i64,
    wall: i64,
    hlc: Hlc,
    recv: i64,
}

pub(super) fn correct_stored_times(tx: &Transaction<'_>) -> Result<()> {
    let devices: Vec<(Uuid, i64)> = tx
        .prepare("SELECT id, enrolled_ms FROM devices ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut read = tx
        .prepare("SELECT pos, wall_ms, hlc, received_ms FROM ops WHERE device = ?1 ORDER BY seq")?;
    let mut write = tx.prepare("UPDATE ops SET at_ms = ?2, clock = ?3 WHERE pos = ?1")?;
    for (device, enrolled_ms) in devices {
        let rows: Vec<Row> = read
            .query_map([device], |r| {
                Ok(Row {
                    pos: r.get(0)?,
                    wall: r.get(1)?,
                    hlc: Hlc(r.get::<_, i64>(2)? as u64),
                    recv: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut dev = DeviceTime {
            enrolled_ms,
            last_at: None,
            last_clock: None,
        };
        for push in rows.chunk_by(|a, b| a.recv == b.recv) {
            let walls: Vec<Option<i64>> = push.iter().map(|r| Some(r.wall)).collect();
            let ats = corrected_times(&dev, &Receipt::new(push[0].recv, None), &walls);
            for (row, at) in push.iter().zip(ats) {
                let clock = effective_clock(row.hlc, at, dev.last_clock);
                write.execute(params![row.pos, at, clock.0 as i64])?;
                dev.last_at = Some(at);
                dev.last_clock = Some(clock);
            }
        }
    }
    Ok(())
}
