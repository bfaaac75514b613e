//! The server database's schema: append-only refinery migrations, `migrations/sqlite/V{n}__{name}.sql`,
//! embedded at build time. Never edit a migration that has shipped (refinery refuses a database whose
//! applied migration's checksum differs); add the next one.
//!
//! Three things around refinery, in [`migrate`]:
//! - **Adoption.** Until refinery, migrations were numbered by `PRAGMA user_version` alone. A database
//!   with a `user_version` and no refinery history gets, in one transaction, the history rows refinery
//!   itself writes for V1..V`user_version` (the same SQL files, verbatim), then refinery applies the
//!   rest. `user_version` is still written as the newest applied version, for tooling that reads it.
//! - **Migration 4 is Rust** (`backfill::correct_stored_times`: the clock corrections must go through
//!   the same code as a push), which refinery cannot run. V4 only creates the marker table
//!   `pending_time_backfill`; refinery stops after 4, the corrections run and the marker is dropped in
//!   one transaction, and only then do 5 and later (which read the corrected times) run. Killed between
//!   V4 and the corrections, the marker is still there at the next open and the corrections run then.
//! - **Too new.** A database carrying a migration this build does not know (in refinery's history or
//!   in `user_version`) is refused with [`StoreError::TooNew`] before anything is written.

use refinery::{Migration, Runner, Target};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use time::format_description::well_known::Rfc3339;

use super::{Result, StoreError};

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

/// The schema version this server writes: its newest migration.
pub const VERSION: u32 = 11;

/// refinery's history table (its default name) and its definition, as refinery creates it.
const HISTORY: &str = "refinery_schema_history";
const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS refinery_schema_history(
             version int4 PRIMARY KEY,
             name VARCHAR(255),
             applied_on VARCHAR(255),
             checksum VARCHAR(255));";

/// The migration that marks the clock corrections due, and its marker.
const BACKFILL_VERSION: u32 = 4;
const BACKFILL_MARKER: &str = "pending_time_backfill";

/// Brings the database up to [`VERSION`], each migration in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, VERSION)
}

fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    refuse_newer(conn)?;
    adopt(conn)?;
    run(conn, target.min(BACKFILL_VERSION))?;
    finish_backfill(conn)?;
    run(conn, target)?;
    let newest: u32 = conn.query_row(
        &format!("SELECT COALESCE(MAX(version), 0) FROM {HISTORY}"),
        [],
        |r| r.get(0),
    )?;
    if user_version(conn)? != newest {
        conn.pragma_update(None, "user_version", newest)?;
    }
    Ok(())
}

fn runner() -> Runner {
    embedded::migrations::runner()
        .set_abort_divergent(true)
        .set_abort_missing(true)
}

/// Applies the migrations up to `target` that are not applied yet.
fn run(conn: &mut Connection, target: u32) -> Result<()> {
    let report = runner()
        .set_target(Target::Version(target as _))
        .run(conn)
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    for m in report.applied_migrations() {
        tracing::info!(version = m.version(), name = m.name(), "database migrated");
    }
    Ok(())
}

/// [`StoreError::TooNew`] when the database says a version above [`VERSION`], in `user_version` or in
/// refinery's history. Reads only.
fn refuse_newer(conn: &Connection) -> Result<()> {
    let mut found = user_version(conn)?;
    if has_history(conn)? {
        let newest: u32 = conn.query_row(
            &format!("SELECT COALESCE(MAX(version), 0) FROM {HISTORY}"),
            [],
            |r| r.get(0),
        )?;
        found = found.max(newest);
    }
    if found > VERSION {
        return Err(StoreError::TooNew {
            found,
            known: VERSION,
        });
    }
    Ok(())
}

/// A database migrated by `user_version` alone (no refinery history, or an empty one) gets the history
/// refinery would have written for the versions it has, in one transaction.
fn adopt(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = user_version(&tx)?;
    let recorded = has_history(&tx)?
        && tx
            .query_row(&format!("SELECT 1 FROM {HISTORY} LIMIT 1"), [], |_| Ok(()))
            .optional()?
            .is_some();
    if version == 0 || recorded {
        return Ok(());
    }
    tx.execute_batch(CREATE_HISTORY)?;
    for m in runner().get_migrations() {
        if m.version() as u32 <= version {
            insert_applied(&tx, m)?;
        }
    }
    tx.commit()?;
    tracing::info!(version, "database adopted by refinery");
    Ok(())
}

/// The row refinery writes when it applies `m` (`refinery_core::traits::insert_migration_query`).
fn insert_applied(conn: &Connection, m: &Migration) -> Result<()> {
    let mut m = m.clone();
    m.set_applied();
    let applied_on = m
        .applied_on()
        .and_then(|t| t.format(&Rfc3339).ok())
        .ok_or_else(|| StoreError::Migration(format!("no time of application for {m}")))?;
    conn.execute(
        &format!(
            "INSERT INTO {HISTORY} (version, name, applied_on, checksum) VALUES (?1, ?2, ?3, ?4)"
        ),
        rusqlite::params![m.version(), m.name(), applied_on, m.checksum().to_string()],
    )?;
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

fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

fn has_history(conn: &Connection) -> Result<bool> {
    table_exists(conn, HISTORY)
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
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
