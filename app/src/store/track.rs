//! The recorded track of a running machine run: points kept by the recorder wait in `track_buffer`,
//! each committed when taken, until they go out together as one `RunPoints` operation. Sending them and
//! clearing them is one transaction, so a point is never lost and never sent twice, whenever the app
//! is killed.

use rusqlite::{TransactionBehavior, params};
use torgkoll_shared::timefix::MAX_INNER_APART_MS;
use torgkoll_shared::{GeoPoint, OpBody, Operation, TrackPoint};
use uuid::Uuid;

use super::record::record_in;
use super::{Result, Store};

impl Store {
    /// Keeps one recorded point of `run` until the next [`Store::flush_track`]. A second point with the
    /// same time is ignored.
    pub fn buffer_point(&mut self, run: Uuid, p: TrackPoint) -> Result<()> {
        let at = p.at.rounded();
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO track_buffer (run, t, lon, lat, acc) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![run, p.t, at.lon, at.lat, p.acc.map(f64::from)])?;
        Ok(())
    }

    /// The points of `run` recorded and not yet sent, oldest first.
    pub fn buffered_points(&self, run: Uuid) -> Result<Vec<TrackPoint>> {
        read_buffer(&self.conn, run)
    }

    /// Sends what `run` has buffered as one `RunPoints` operation and clears the buffer, in one
    /// transaction. `None` when nothing was sent. Points more than a day from now (a run resumed after
    /// the phone lay off for longer) can never be accepted in an operation made now: they are dropped
    /// with a warning, so they cannot hold back the points that can.
    pub fn flush_track(&mut self, run: Uuid, now_ms: i64) -> Result<Option<Operation>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (points, stale): (Vec<_>, Vec<_>) = read_buffer(&tx, run)?
            .into_iter()
            .partition(|p| p.t.abs_diff(now_ms) <= MAX_INNER_APART_MS.unsigned_abs());
        if !stale.is_empty() {
            tracing::warn!(
                "{} recorded points of run {run} are more than a day old and cannot be sent",
                stale.len()
            );
        }
        let mut ops = None;
        // A chunk holds at most MAX_CHUNK_POINTS; a buffer that grew larger (a long kill) goes in several.
        for chunk in points.chunks(torgkoll_shared::validate::MAX_CHUNK_POINTS) {
            let body = OpBody::RunPoints {
                run,
                points: chunk.to_vec(),
            };
            ops = Some(record_in(
                &tx,
                &self.site,
                self.identity.as_ref(),
                body,
                now_ms,
            )?);
        }
        tx.execute("DELETE FROM track_buffer WHERE run = ?1", params![run])?;
        tx.commit()?;
        Ok(ops)
    }

    /// Forgets what a run buffered (its points could not be sent: the run is gone or refused).
    pub fn drop_track_buffer(&mut self, run: Uuid) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM track_buffer WHERE run = ?1", params![run])?)
    }
}

fn read_buffer(conn: &rusqlite::Connection, run: Uuid) -> Result<Vec<TrackPoint>> {
    let mut stmt =
        conn.prepare_cached("SELECT t, lon, lat, acc FROM track_buffer WHERE run = ?1 ORDER BY t")?;
    let rows = stmt.query_map(params![run], |r| {
        Ok(TrackPoint {
            t: r.get(0)?,
            at: GeoPoint::new(r.get(1)?, r.get(2)?),
            acc: r.get::<_, Option<f64>>(3)?.map(|a| a as f32),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The setting "report where I stand when the position is better than" (metres).
pub const GOOD_FIX_SETTING: &str = "good_fix_m";

/// The accuracy a fix needs for a report to be placed at it (the setting, or the default 15 m).
pub fn good_fix_accuracy_m(store: &Store) -> f32 {
    store
        .setting(GOOD_FIX_SETTING)
        .ok()
        .flatten()
        .and_then(|v| v.parse::<f32>().ok())
        .filter(|v| v.is_finite() && *v > 0.0)
        .unwrap_or(crate::platform::position::DEFAULT_GOOD_ACCURACY_M)
}
