//! The server database's schema: append-only refinery migrations, `migrations/sqlite/V{n}__{name}.sql`,
//! embedded at build time. Never edit a migration that has shipped (refinery refuses a database whose
//! applied migration's checksum differs); add the next one.
//!
//! Around refinery, in [`migrate`]: the rules the phone's database follows too (`torgkoll-migrate`:
//! adoption of databases numbered by `PRAGMA user_version` alone, `user_version` kept as the newest
//! applied version, the too-new guard), and one of the server's own.
//!
//! **Migration 4 is Rust** (`backfill::correct_stored_times`: the clock corrections must go through
//! the same code as a push), which refinery cannot run. V4 only creates the marker table
//! `pending_time_backfill`; refinery stops after 4, the corrections run and the marker is dropped in one
//! transaction, and only then do 5 and later (which read the corrected times) run. Killed between V4 and
//! the corrections, the marker is still there at the next open and the corrections run then.

use refinery::Runner;
use rusqlite::{Connection, TransactionBehavior};
#[cfg(test)]
use torgkoll_migrate::{CREATE_HISTORY, HISTORY, user_version};
use torgkoll_migrate::{MigrateError, table_exists};

use super::{Result, StoreError};

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

/// The schema version this server writes: its newest migration.
pub const VERSION: u32 = 13;

/// The migration that marks the clock corrections due, and its marker.
const BACKFILL_VERSION: u32 = 4;
const BACKFILL_MARKER: &str = "pending_time_backfill";

/// Brings the database up to [`VERSION`], each migration in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, VERSION)
}

fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    torgkoll_migrate::refuse_newer(conn, VERSION)?;
    if let Some(version) = torgkoll_migrate::adopt(conn, &runner())? {
        tracing::info!(version, "database adopted by refinery");
    }
    run(conn, target.min(BACKFILL_VERSION))?;
    finish_backfill(conn)?;
    run(conn, target)?;
    torgkoll_migrate::record_newest(conn)?;
    Ok(())
}

fn runner() -> Runner {
    embedded::migrations::runner()
}

/// Applies the migrations up to `target` that are not applied yet.
fn run(conn: &mut Connection, target: u32) -> Result<()> {
    for (version, name) in torgkoll_migrate::run(conn, runner(), target)? {
        tracing::info!(version, name, "database migrated");
    }
    Ok(())
}

/// Runs the clock corrections V4 marked due and drops the marker, in one transaction.
fn finish_backfill(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !table_exists(&tx, BACKFILL_MARKER)? {
        return Ok(());
    }
    super::backfill::correct_stored_times(&tx)?;
    tx.execute_batch(&format!("DROP TABLE {BACKFILL_MARKER}"))?;
    tx.commit()?;
    tracing::info!("stored clock corrections made (migration 4)");
    Ok(())
}

#[cfg(test)]
fn has_history(conn: &Connection) -> Result<bool> {
    Ok(table_exists(conn, HISTORY)?)
}

impl From<MigrateError> for StoreError {
    fn from(e: MigrateError) -> Self {
        match e {
            MigrateError::TooNew { found, known } => StoreError::TooNew { found, known },
            MigrateError::Sqlite(e) => StoreError::Sqlite(e),
            MigrateError::Refinery(e) => StoreError::Migration(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::params;
    use torgkoll_shared::Hlc;
    use torgkoll_shared::timefix::CLOCK_TOLERANCE_MS;

    use super::*;

    /// A database of version 2 with the clocks phones sent before the server corrected them, brought to
    /// the newest version: the corrections are those a push without a measured offset gets.
    #[test]
    fn stored_clocks_are_corrected_on_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 2).unwrap();
        let enrolled = 1_795_000_000_000i64;
        let recv = enrolled + 86_400_000;
        let dev = uuid::Uuid::from_u128(1);
        let id = |n: u128| uuid::Uuid::from_u128(0x100 + n);
        conn.execute(
            "INSERT INTO devices (id, name, role, token_hash, enrolled_ms) VALUES (?1, 'P', 'cleaner', 't', ?2)",
            params![dev, enrolled],
        )
        .unwrap();
        // (seq, wall, hlc): right; a day ahead; a clock of 2^64 - 1; a resolve made before its report.
        let rows: [(u128, i64, u64); 3] = [
            (1, recv - 60_000, Hlc::new((recv - 60_000) as u64, 0).0),
            (
                2,
                recv + 86_400_000,
                Hlc::new((recv + 86_400_000) as u64, 0).0,
            ),
            (3, recv - 30_000, u64::MAX),
        ];
        for (seq, wall, hlc) in rows {
            conn.execute(
                "INSERT INTO ops (op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain, target, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'cleaner', 'clean', 'cleaning', NULL, '{}')",
                params![id(seq), dev, seq as i64, hlc as i64, wall, recv],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO ops (op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain, target, body)
             VALUES (?1, ?2, 4, ?3, ?4, ?5, 'cleaner', 'resolve', 'cleaning', ?6, '{}')",
            params![id(9), dev, u64::MAX as i64, recv + 5 * 86_400_000, recv, id(2)],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let got: Vec<(i64, i64, i64)> = conn
            .prepare("SELECT seq, at_ms, clock FROM ops ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            got[0],
            (
                1,
                recv - 60_000,
                Hlc::new((recv - 60_000) as u64, 0).0 as i64
            )
        );
        // The day-ahead one was made before the next (whose clock was broken, but not its wall time),
        // the resolve from five days ahead before it arrived.
        let ats: Vec<i64> = got.iter().map(|g| g.1).collect();
        assert_eq!(ats[1..], [recv - 30_000, recv - 30_000, recv]);
        for (_, at, clock) in &got[1..] {
            let ms = Hlc(*clock as u64).millis() as i64;
            assert!((ms - at).abs() <= CLOCK_TOLERANCE_MS + 1, "{ms} vs {at}");
        }
        // Effective clocks keep the device's order.
        assert!(got.windows(2).all(|w| w[0].2 < w[1].2));
        // The review index follows the corrected values.
        let (made, resolved): (i64, Option<i64>) = conn
            .query_row(
                "SELECT made_ms, resolved_hlc FROM report_status WHERE id = ?1",
                [id(2)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(made, recv - 30_000);
        assert_eq!(resolved, Some(got[3].2));
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod adoption_tests;
