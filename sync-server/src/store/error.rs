//! The store's one error type, [`StoreError`], turned into an answer in one place (`crate::error`).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the database schema is version {found}, newer than this server ({known})")]
    TooNew { found: u32, known: u32 },
    #[error("database migration: {0}")]
    Migration(String),
    #[error("the store lock is poisoned")]
    Poisoned,
    #[error("the work was cancelled: its client went away")]
    Cancelled,
    #[error("photo files: {0}")]
    Files(String),
    #[error("database: {0}")]
    Postgres(#[from] postgres::Error),
    /// The database cannot be reached now (down, restarting, no free connection in time).
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    /// Whether the database is away for now (PostgreSQL down or restarting, a connection lost, a
    /// conflict to retry): the client should try again later (503 with `Retry-After`). Nothing was
    /// stored half-way: the transaction rolled back, or committed and the phone's resend is skipped.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unavailable(_) => true,
            StoreError::Postgres(e) => {
                if e.is_closed() {
                    return true;
                }
                match e.code() {
                    // Connection exceptions, shutdown or startup, too many connections, serialisation
                    // failures and deadlocks.
                    Some(c) => {
                        let c = c.code();
                        c.starts_with("08")
                            || c.starts_with("57P")
                            || matches!(c, "53300" | "40001" | "40P01")
                    }
                    None => {
                        let mut src = std::error::Error::source(e);
                        while let Some(s) = src {
                            if s.is::<std::io::Error>() {
                                return true;
                            }
                            src = s.source();
                        }
                        false
                    }
                }
            }
            _ => false,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
