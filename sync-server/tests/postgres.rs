//! What only PostgreSQL has: its schema guard, and a database that goes away under a running server.
//! These tests need a cluster (`TORGKOLL_PG_URL`, see `common/pg.rs`); the shared tests run on
//! PostgreSQL too with `TORGKOLL_TEST_STORE=postgres` (`scripts/test.sh`).

mod common;

use std::time::Duration;

use common::{TestServer, pg, request_json};
use reqwest::StatusCode;
use torgkoll_server::store::StoreError;
use torgkoll_server::{Limits, PgStore};
use torgkoll_shared::Role;

#[test]
fn a_database_migrated_by_a_newer_server_is_refused() {
    let url = pg::fresh_db();
    let dir = tempfile::tempdir().unwrap();
    drop(PgStore::open(&url, dir.path().into()).unwrap());
    // Opening again changes nothing.
    drop(PgStore::open(&url, dir.path().into()).unwrap());
    let known = torgkoll_server::store::pg_schema_version();
    pg::execute(
        &url,
        &format!(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
             VALUES ({}, 'from_the_future', '2030-01-01T00:00:00Z', '1')",
            known + 1
        ),
    );
    match PgStore::open(&url, dir.path().into()) {
        Err(StoreError::TooNew { found, known: k }) => {
            assert_eq!((found, k), (known + 1, known));
        }
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("a too-new database was opened"),
    }
}

/// The database refuses connections and its sessions end (as when PostgreSQL restarts): a sync gets
/// 503 with `Retry-After`, and once it is back the phone's resend stores everything exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_database_is_503_with_retry_after_and_nothing_is_lost_or_doubled() {
    let srv = TestServer::start_postgres(Limits::default()).await;
    let url = srv.pg_url.clone().unwrap();
    let name = pg::db_name(&url).to_string();
    let mut a = srv.phone(Role::Cleaner, "Plock").await;
    let b = srv.phone(Role::Cleaner, "Sop").await;
    let first = [a.clean("ett"), a.clean("två")];
    assert_eq!(a.sync(&first, 0).await.acked_through, 2);

    let cluster = pg::cluster_url();
    let cut = format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';"
    );
    pg::execute(&cluster, &cut);
    let more = [a.clean("tre"), a.clean("fyra")];
    let resp = a.post_raw(request_json(&more, 0, None), false).await;
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry = resp.headers().get("retry-after").expect("Retry-After");
    assert!(retry.to_str().unwrap().parse::<u64>().unwrap() >= 1);
    let body: torgkoll_shared::protocol::ErrorBody = resp.json().await.unwrap();
    assert_eq!(body.error, "unavailable");

    pg::execute(
        &cluster,
        &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true;"),
    );
    // The phone sends its whole outbox again: the acknowledged ones are skipped.
    let all = [
        first[0].clone(),
        first[1].clone(),
        more[0].clone(),
        more[1].clone(),
    ];
    let mut out = None;
    for _ in 0..20 {
        let resp = a.post_raw(request_json(&all, 0, None), false).await;
        if resp.status() == StatusCode::OK {
            out = Some(
                resp.json::<torgkoll_shared::protocol::SyncResponse>()
                    .await
                    .unwrap(),
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(out.expect("the server is back").acked_through, 4);
    assert_eq!(srv.count("ops"), 4);
    let pulled = b.sync(&[], 0).await;
    assert_eq!(pulled.ops.len(), 4, "every operation once");
}

/// `--db` with a URL: the commands run on PostgreSQL, `serve` needs `--photos-dir`, and what works on a
/// SQLite file only says so and points at `pg_dump`.
#[test]
fn the_cli_takes_a_url_and_refuses_what_is_sqlite_only() {
    let url = pg::fresh_db();
    let bin = env!("CARGO_BIN_EXE_torgkoll-server");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .env_remove("TORGKOLL_DB")
            .env_remove("TORGKOLL_PHOTOS_DIR")
            .output()
            .unwrap()
    };
    let out = run(&[
        "enroll", "--db", &url, "--role", "cleaner", "--name", "Plock",
    ]);
    assert!(out.status.success(), "{out:?}");
    let out = run(&["devices", "--db", &url]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(pg::one_text(&url, "SELECT COUNT(*) FROM enroll_codes"), "1");

    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("b").display().to_string();
    for args in [
        vec!["backup", "--db", &url, "--out", &backup],
        vec!["restore", "--db", &url, "--from", &backup],
    ] {
        let out = run(&args);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("pg_dump"), "{err}");
    }
    let out = run(&["serve", "--db", &url, "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--photos-dir is required"), "{err}");
}
