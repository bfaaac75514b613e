//! PostgreSQL's schema: the SQL migrations in `sync-server/migrations/postgres/`, embedded and run by
//! refinery, which records them in `refinery_schema_history`. Append-only: never edit a shipped
//! migration; add the next `V<n>__what.sql`. A database that a newer server migrated (it has a migration
//! this server does not know) is refused with [`StoreError::TooNew`], never written to.

use postgres::Client;
use refinery::error::Kind;

use super::{Result, StoreError};

mod embedded {
    refinery::embed_migrations!("migrations/postgres");
}

/// The schema version this server writes: its newest migration.
pub fn version() -> u32 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version() as u32)
        .max()
        .unwrap_or(0)
}

/// Brings the database up to [`version`], each migration in its own transaction.
pub(super) fn migrate(client: &mut Client) -> Result<()> {
    let report = embedded::migrations::runner()
        .set_abort_missing(true)
        .set_abort_divergent(true)
        .run(client)
        .map_err(|e| match e.kind() {
            Kind::MissingVersion(m) => StoreError::TooNew {
                found: m.version() as u32,
                known: version(),
            },
            _ => StoreError::Corrupt(format!("migrating the schema: {e}")),
        })?;
    for m in report.applied_migrations() {
        tracing::info!(version = m.version(), name = m.name(), "database migrated");
    }
    Ok(())
}
