//! The phone's schema: append-only refinery migrations, `app/migrations/V{n}__{name}.sql`, embedded at
//! build time. Never edit a migration that has shipped (refinery refuses a database whose applied
//! migration's checksum differs); add the next one.
//!
//! Around refinery, in [`migrate`]:
//! - **Adoption.** Until refinery, migrations were numbered by `PRAGMA user_version` alone. A database
//!   with a `user_version` and no refinery history gets, in one transaction, the history rows refinery
//!   itself writes for V1..V`user_version` (the same SQL files, verbatim), then refinery applies the
//!   rest. `user_version` is still written as the newest applied version, for tooling that reads it.
//! - **Too new.** A database carrying a migration this app does not know (a newer app wrote it, and
//!   this one was installed over it) is refused with [`StoreError::TooNew`] before anything is written,
//!   so the newer app finds its data as it left it.

use refinery::{Migration, Runner, Target};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use time::format_description::well_known::Rfc3339;

use super::{Result, StoreError};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The schema version this app writes: its newest migration.
pub const VERSION: u32 = 6;

/// refinery's history table (its default name) and its definition, as refinery creates it.
const HISTORY: &str = "refinery_schema_history";
const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS refinery_schema_history(
             version int4 PRIMARY KEY,
             name VARCHAR(255),
             applied_on VARCHAR(255),
             checksum VARCHAR(255));";

/// Brings the database to the newest schema, one transaction per migration.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, VERSION)
}

fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    refuse_newer(conn)?;
    adopt(conn)?;
    runner()
        .set_target(Target::Version(target as _))
        .run(conn)
        .map_err(|e| StoreError::Migration(e.to_string()))?;
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

/// [`StoreError::TooNew`] when the database says a version above [`VERSION`], in `user_version` or in
/// refinery's history. Reads only.
fn refuse_newer(conn: &Connection) -> Result<()> {
    let mut found = user_version(conn)?;
    if table_exists(conn, HISTORY)? {
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
    let recorded = table_exists(&tx, HISTORY)?
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
    tracing::info!(version, "the phone's database adopted by refinery");
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

fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
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
#[path = "schema_tests.rs"]
mod tests;
