//! PostgreSQL for the tests: `TORGKOLL_TEST_STORE=postgres` runs the shared tests on it, each test on a
//! fresh database of the cluster `TORGKOLL_PG_URL` names (`scripts/test.sh` starts one with
//! `scripts/pg-cluster.sh`), so tests run in parallel and never see each other's rows.

#![allow(dead_code)]

use postgres::{Client, NoTls};

/// Whether this run's tests use PostgreSQL rather than SQLite.
pub fn wanted() -> bool {
    std::env::var("TORGKOLL_TEST_STORE").is_ok_and(|s| s == "postgres")
}

/// The cluster's URL; a test that needs PostgreSQL fails without it, saying how to get one.
pub fn cluster_url() -> String {
    std::env::var("TORGKOLL_PG_URL").unwrap_or_else(|_| {
        panic!(
            "this test needs PostgreSQL: start a throwaway cluster with \
             `scripts/pg-cluster.sh start $(mktemp -d)` and export TORGKOLL_PG_URL=<the URL it prints> \
             (scripts/test.sh does both)"
        )
    })
}

/// Runs `f` with a client on a thread of its own (the synchronous client must not run inside a tokio
/// runtime, and tests are async).
fn with_client<T: Send>(url: &str, f: impl FnOnce(&mut Client) -> T + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut c = Client::connect(url, NoTls).expect("connect to the test cluster");
            f(&mut c)
        })
        .join()
        .expect("the PostgreSQL helper thread")
    })
}

/// A fresh, empty database on the cluster (`t_<uuid>`): its URL.
pub fn fresh_db() -> String {
    let base = cluster_url();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    with_client(&base, |c| {
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE")
    });
    let (server, _db) = base
        .rsplit_once('/')
        .expect("TORGKOLL_PG_URL is postgres://user@host:port/dbname");
    format!("{server}/{name}")
}

/// The first column of every row of `sql` (text or NULL, NULL as "").
pub fn texts(url: &str, sql: &str) -> Vec<String> {
    with_client(url, |c| {
        c.query(sql, &[])
            .expect("query")
            .iter()
            .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
            .collect()
    })
}

/// The first column of the first row of `sql`, as text.
pub fn one_text(url: &str, sql: &str) -> String {
    with_client(url, |c| {
        c.query_one(&format!("SELECT ({sql})::TEXT"), &[])
            .expect("query")
            .get(0)
    })
}

/// Runs `sql` (one or more statements) on the database at `url`.
pub fn execute(url: &str, sql: &str) {
    with_client(url, |c| c.batch_execute(sql).expect("execute"));
}

/// The database name at the end of a URL.
pub fn db_name(url: &str) -> &str {
    url.rsplit_once('/').map_or(url, |(_, name)| name)
}
