//! The phone's schema: append-only refinery migrations, `app/migrations/V{n}__{name}.sql`, embedded at
//! build time. Never edit a migration that has shipped (refinery refuses a database whose applied
//! migration's checksum differs); add the next one.
//!
//! Around refinery, in [`migrate`], the rules the server's database follows too (`torgkoll-migrate`):
//! a database carrying a migration this app does not know (a newer app wrote it, and this one was
//! installed over it) is refused with [`StoreError::TooNew`] before anything is written; a database
//! numbered by `PRAGMA user_version` alone (before refinery) is adopted; `user_version` stays the newest
//! applied version.

use refinery::Runner;
use rusqlite::Connection;
use torgkoll_migrate::MigrateError;
#[cfg(test)]
use torgkoll_migrate::{HISTORY, table_exists, user_version};

use super::{Result, StoreError};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The schema version this app writes: its newest migration.
pub const VERSION: u32 = 7;

/// Brings the database to the newest schema, one transaction per migration.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, VERSION)
}

fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    torgkoll_migrate::refuse_newer(conn, VERSION)?;
    if let Some(version) = torgkoll_migrate::adopt(conn, &runner())? {
        tracing::info!(version, "the phone's database adopted by refinery");
    }
    torgkoll_migrate::run(conn, runner(), target)?;
    torgkoll_migrate::record_newest(conn)?;
    Ok(())
}

fn runner() -> Runner {
    embedded::migrations::runner()
}

impl From<MigrateError> for StoreError {
    fn from(e: MigrateError) -> Self {
        match e {
            MigrateError::TooNew { found, known } => StoreError::TooNew { found, known },
            MigrateError::Sqlite(e) => StoreError::Db(e),
            MigrateError::Refinery(e) => StoreError::Migration(e),
        }
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
