//! Review dates are days from 2000-01-01 to 2200-12-31. Outside that range the review calls answer
//! 400 `bad_query` and the commands fail with a usage error, instead of computing instants that overflow
//! (a year of 300 million once turned the daily report into a 500).

mod common;
mod review_support;

use std::process::Command;

use common::TestServer;
use review_support::{bad_query, get};
use torgkoll_server::Limits;
use torgkoll_shared::Role;

const RANGE: &str = "2000-01-01 to 2200-12-31";

#[tokio::test]
async fn review_calls_refuse_dates_outside_the_range() {
    let srv = TestServer::start(Limits::default()).await;
    let manager = srv.phone(Role::Manager, "P").await;
    for bad in [
        "/v1/lagesbild?date=1999-12-31&format=json",
        "/v1/lagesbild?date=2201-01-01&format=json",
        "/v1/lagesbild?date=0001-01-01&format=json",
        "/v1/lagesbild?date=9999-12-31&format=json",
        "/v1/export?from=1999-12-31&to=2000-01-02&format=csv",
        "/v1/export?from=2200-12-31&to=2201-01-01&format=geojson",
        "/v1/export?from=9999-12-01&to=9999-12-31&format=csv",
    ] {
        let message = bad_query(&srv.url, bad, &manager).await;
        assert!(message.contains(RANGE), "{bad}: {message}");
    }
    // Years that do not have four digits are not dates at all.
    for bad in [
        "/v1/lagesbild?date=300000000-01-01",
        "/v1/export?from=2026-01-01&to=292278994-08-17&format=csv",
    ] {
        let message = bad_query(&srv.url, bad, &manager).await;
        assert!(message.contains("is not a date"), "{message}");
    }
    // Both ends of the range are served.
    for good in [
        "/v1/lagesbild?date=2000-01-01&format=json",
        "/v1/lagesbild?date=2200-12-31&format=json",
        "/v1/export?from=2000-01-01&to=2000-01-31&format=csv",
        "/v1/export?from=2200-12-01&to=2200-12-31&format=geojson",
    ] {
        let resp = get(&format!("{}{good}", srv.url), Some(&manager)).await;
        assert_eq!(resp.status(), 200, "{good}");
    }
}

#[test]
fn review_commands_refuse_dates_outside_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    for args in [
        &["lagesbild", "--date", "1999-12-31"][..],
        &["lagesbild", "--date", "2201-01-01", "--format", "json"],
        &[
            "export",
            "--from",
            "2200-12-30",
            "--to",
            "2201-01-01",
            "--format",
            "csv",
        ],
        &["demo", "--date", "9999-01-01"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_torgkoll-server"))
            .args(args)
            .arg("--db")
            .arg(&db)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "a usage error: {args:?}: {said}"
        );
        assert!(said.contains(RANGE), "{args:?}: {said}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
