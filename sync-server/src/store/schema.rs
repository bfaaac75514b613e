//! The server database's schema: append-only migrations, numbered by `PRAGMA user_version`.
//! Never edit a migration that has shipped; add a new one.

use rusqlite::{Connection, TransactionBehavior};

use super::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    // 1: devices, enrollment codes, accepted operations in commit order, rejected operations.
    "CREATE TABLE devices (
        id            BLOB PRIMARY KEY,
        name          TEXT NOT NULL,
        role          TEXT NOT NULL,
        token_hash    TEXT NOT NULL UNIQUE,
        enrolled_ms   INTEGER NOT NULL,
        revoked_ms    INTEGER,
        acked_through INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE TABLE enroll_codes (
        code_hash  TEXT PRIMARY KEY,
        role       TEXT NOT NULL,
        name       TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        used_ms    INTEGER,
        device     BLOB
    ) STRICT;
    CREATE TABLE ops (
        pos         INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id       BLOB NOT NULL UNIQUE,
        device      BLOB NOT NULL REFERENCES devices(id),
        seq         INTEGER NOT NULL,
        hlc         INTEGER NOT NULL,
        wall_ms     INTEGER NOT NULL,
        received_ms INTEGER NOT NULL,
        role        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        domain      TEXT NOT NULL CHECK (domain IN ('cleaning', 'disturbance')),
        target      BLOB,
        body        TEXT NOT NULL,
        UNIQUE (device, seq)
    ) STRICT;
    CREATE TABLE rejected (
        device      BLOB NOT NULL REFERENCES devices(id),
        seq         INTEGER NOT NULL,
        op_id       BLOB NOT NULL,
        reason      TEXT NOT NULL,
        received_ms INTEGER NOT NULL,
        raw         TEXT NOT NULL,
        PRIMARY KEY (device, seq)
    ) STRICT;",
    // 2: review reads operations by time and by the report or run they change.
    "CREATE INDEX ops_wall ON ops (wall_ms);
    CREATE INDEX ops_target ON ops (target);
    CREATE INDEX rejected_received ON rejected (received_ms);",
];

/// The schema version this server writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database up to [`VERSION`], each migration in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > VERSION {
            return Err(StoreError::TooNew {
                found,
                known: VERSION,
            });
        }
        let Some(step) = MIGRATIONS.get(found as usize) else {
            return Ok(());
        };
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
        tracing::info!(version = found + 1, "database migrated");
    }
}
