//! The PostgreSQL store's connections: an `r2d2` pool of synchronous `postgres` clients, each with the
//! statements prepared on it, and the rule that such a client is never driven where a tokio runtime is
//! current.

use std::collections::HashMap;

use postgres::{Client, NoTls, Statement};
use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::r2d2::ManageConnection;

use super::Result;

/// A pooled connection and the statements prepared on it, each prepared once (see [`PgConn::prepared`]).
pub(super) struct PgConn {
    pub(super) client: Client,
    statements: HashMap<&'static str, Statement>,
}

impl PgConn {
    /// The statement `sql` prepared on this connection: one round trip the first time, none after.
    /// A statement lives as long as its connection; a broken connection is dropped with its cache.
    pub(super) fn prepared(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }
}

/// `r2d2_postgres`'s manager, giving connections with a statement cache.
#[derive(Debug)]
pub(super) struct Manager(pub(super) PostgresConnectionManager<NoTls>);

impl ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<PgConn, postgres::Error> {
        Ok(PgConn {
            client: self.0.connect()?,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> std::result::Result<(), postgres::Error> {
        self.0.is_valid(&mut conn.client)
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        self.0.has_broken(&mut conn.client)
    }
}

/// One connection per core, at least four (a push, pulls and a report at the same time).
pub(super) fn pool_size() -> u32 {
    std::thread::available_parallelism().map_or(4, |n| (n.get() as u32).clamp(4, 32))
}

/// Runs `f` on this thread, or on a scoped thread when a tokio runtime is current here (see
/// [`super::PgStore::run`]).
pub(super) fn off_runtime<T: Send>(f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| {
        s.spawn(f)
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}
