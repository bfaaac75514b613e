//! PostgreSQL for the end-to-end tests and the fleet: `TORGKOLL_TEST_STORE=postgres` starts every
//! [`ServerProc`](crate::server::ServerProc) on a fresh database of the cluster `TORGKOLL_PG_URL` names
//! (`scripts/pg-cluster.sh start DIR` prints one; `scripts/test.sh` starts it), instead of a SQLite file.

use std::path::Path;

use postgres::{Client, NoTls};

use crate::Res;

/// Whether this run's servers use PostgreSQL.
pub fn wanted() -> bool {
    std::env::var("TORGKOLL_TEST_STORE").is_ok_and(|s| s == "postgres")
}

/// Whether `--db` names a PostgreSQL database (as the server decides it).
pub fn is_url(db: &Path) -> bool {
    db.to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// The cluster's URL from `TORGKOLL_PG_URL`, or an error saying how to start one.
pub fn cluster_url() -> Res<String> {
    std::env::var("TORGKOLL_PG_URL").map_err(|_| {
        "PostgreSQL is wanted but TORGKOLL_PG_URL is not set: start a throwaway cluster with \
         `scripts/pg-cluster.sh start $(mktemp -d)` and export TORGKOLL_PG_URL=<the URL it prints>"
            .into()
    })
}

/// A fresh, empty database (`t_<uuid>`) on the cluster at `cluster`: its URL. The synchronous client
/// runs on a thread of its own (callers may be inside a tokio runtime).
pub fn fresh_db_on(cluster: &str) -> Res<String> {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let sql = format!("CREATE DATABASE {name}");
    std::thread::scope(|s| {
        s.spawn(|| -> Result<(), String> {
            let mut c = Client::connect(cluster, NoTls).map_err(|e| format!("{cluster}: {e}"))?;
            c.batch_execute(&sql).map_err(|e| e.to_string())
        })
        .join()
        .map_err(|_| "the PostgreSQL thread panicked".to_string())?
    })?;
    let (server, _) = cluster
        .rsplit_once('/')
        .ok_or("the cluster URL is postgres://user@host:port/dbname")?;
    Ok(format!("{server}/{name}"))
}

/// A fresh database on the cluster of `TORGKOLL_PG_URL`.
pub fn fresh_db() -> Res<String> {
    fresh_db_on(&cluster_url()?)
}
