//! The schema rules the phone's and the server's SQLite databases share, around refinery (each crate embeds
//! its own append-only `V{n}__{name}.sql` files and hands their [`Runner`] in):
//! - **Too new.** A database carrying a version this build does not know, in refinery's history or in
//!   `PRAGMA user_version`, is refused before anything is written ([`refuse_newer`]): a newer build wrote
//!   it, and must find its data as it left it.
//! - **Adoption.** Until refinery, migrations were numbered by `user_version` alone. A database with a
//!   `user_version` and no refinery history gets, in one transaction, the history rows refinery itself
//!   writes for V1..V`user_version` ([`adopt`]); refinery then applies the rest, and checks the
//!   checksums of the adopted ones like any other (the SQL files are the shipped SQL, verbatim).
//! - **`user_version` kept true.** It is still written as the newest applied version ([`record_newest`]),
//!   for tooling that reads it.
//!
//! And one rule that is not the schema's: WAL checkpoints run on a thread of their own, off the commits
//! that people and phones wait for ([`Checkpointer`], `checkpoint.rs`).

mod checkpoint;
pub use checkpoint::Checkpointer;

use refinery::{Migration, Runner, Target};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use thiserror::Error;
use time::format_description::well_known::Rfc3339;

/// refinery's history table (its default name).
pub const HISTORY: &str = "refinery_schema_history";

/// The history table as refinery creates it.
pub const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS refinery_schema_history(
             version int4 PRIMARY KEY,
             name VARCHAR(255),
             applied_on VARCHAR(255),
             checksum VARCHAR(255));";

#[derive(Debug, Error)]
pub enum MigrateError {
    /// A newer build wrote this database; nothing was changed.
    #[error("the database schema is version {found}, newer than this build knows ({known})")]
    TooNew { found: u32, known: u32 },
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// refinery refused or failed (a migration's SQL, a shipped migration edited or missing).
    #[error("{0}")]
    Refinery(String),
}

pub type Result<T, E = MigrateError> = std::result::Result<T, E>;

/// [`MigrateError::TooNew`] when the database says a version above `known`, in `user_version` or in
/// refinery's history. Reads only.
pub fn refuse_newer(conn: &Connection, known: u32) -> Result<()> {
    let found = user_version(conn)?.max(newest_in_history(conn)?);
    if found > known {
        return Err(MigrateError::TooNew { found, known });
    }
    Ok(())
}

/// A database migrated by `user_version` alone (no refinery history, or an empty one) gets the history
/// refinery would have written for the versions it has, in one transaction. Answers the version adopted,
/// if any.
pub fn adopt(conn: &mut Connection, runner: &Runner) -> Result<Option<u32>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = user_version(&tx)?;
    let recorded = table_exists(&tx, HISTORY)?
        && tx
            .query_row(&format!("SELECT 1 FROM {HISTORY} LIMIT 1"), [], |_| Ok(()))
            .optional()?
            .is_some();
    if version == 0 || recorded {
        return Ok(None);
    }
    tx.execute_batch(CREATE_HISTORY)?;
    for m in runner.get_migrations() {
        if m.version() as u32 <= version {
            insert_applied(&tx, m)?;
        }
    }
    tx.commit()?;
    Ok(Some(version))
}

/// Applies the runner's migrations up to `target` that are not applied yet, each in its own transaction
/// (refuses a shipped migration that was edited or is missing). Answers those applied, as
/// `(version, name)`.
pub fn run(conn: &mut Connection, runner: Runner, target: u32) -> Result<Vec<(u32, String)>> {
    let report = runner
        .set_abort_divergent(true)
        .set_abort_missing(true)
        .set_target(Target::Version(target as _))
        .run(conn)
        .map_err(|e| MigrateError::Refinery(e.to_string()))?;
    Ok(report
        .applied_migrations()
        .iter()
        .map(|m| (m.version() as u32, m.name().to_owned()))
        .collect())
}

/// Writes the newest applied version into `user_version` (if it differs) and answers it.
pub fn record_newest(conn: &Connection) -> Result<u32> {
    let newest = newest_in_history(conn)?;
    if user_version(conn)? != newest {
        conn.pragma_update(None, "user_version", newest)?;
    }
    Ok(newest)
}

/// The row refinery writes when it applies `m` (`refinery_core::traits::insert_migration_query`).
fn insert_applied(conn: &Connection, m: &Migration) -> Result<()> {
    let mut m = m.clone();
    m.set_applied();
    let applied_on = m
        .applied_on()
        .and_then(|t| t.format(&Rfc3339).ok())
        .ok_or_else(|| MigrateError::Refinery(format!("no time of application for {m}")))?;
    conn.execute(
        &format!(
            "INSERT INTO {HISTORY} (version, name, applied_on, checksum) VALUES (?1, ?2, ?3, ?4)"
        ),
        rusqlite::params![m.version(), m.name(), applied_on, m.checksum().to_string()],
    )?;
    Ok(())
}

/// The newest version in refinery's history, 0 without one.
fn newest_in_history(conn: &Connection) -> Result<u32> {
    if !table_exists(conn, HISTORY)? {
        return Ok(0);
    }
    Ok(conn.query_row(
        &format!("SELECT COALESCE(MAX(version), 0) FROM {HISTORY}"),
        [],
        |r| r.get(0),
    )?)
}

pub fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

pub fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
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
mod tests;
