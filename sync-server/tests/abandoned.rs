//! Review work stops when its client has gone: the request's future is dropped, the work's flag is set,
//! and the store's read (or the next step) stops. A store that holds the read up until it is cancelled
//! shows it through a real socket; SQLite's own read is stopped mid-query.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::TestServer;
use common::held::Held;
use torgkoll_server::cancel::Cancel;
use torgkoll_server::review::demo;
use torgkoll_server::store::StoreError;
use torgkoll_server::{Clock, Limits};
use torgkoll_shared::Role;
use torgkoll_shared::calendar::Date;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_whose_client_went_away_stops() {
    let slow: Arc<std::sync::OnceLock<Arc<Held>>> = Arc::default();
    let keep = slow.clone();
    let srv = TestServer::start_with(Limits::default(), move |inner| {
        let s = Arc::new(Held::new(inner));
        s.pulls.open();
        keep.set(s.clone()).ok();
        s
    })
    .await;
    let slow = slow.get().unwrap().clone();
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;
    let url = format!("{}/v1/lagesbild?date=2025-11-24&format=json", srv.url);
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let gone = impatient.get(&url).bearer_auth(&manager.token).send().await;
    assert!(gone.is_err(), "the client gave up");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !slow.reviews.saw_cancel.load(Ordering::SeqCst) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        slow.reviews.saw_cancel.load(Ordering::SeqCst),
        "the work went on after its client had gone"
    );
    // A client that waits gets its report.
    slow.reviews.open();
    let resp = reqwest::Client::new()
        .get(&url)
        .bearer_auth(&manager.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn sqlite_stops_a_read_in_the_middle() {
    let srv = TestServer::start(Limits::default()).await;
    let last = Date::parse("2026-11-26").unwrap();
    srv.clock.set(last.bounds_ms().1);
    let site = torgkoll_shared::test_support::plattan();
    let seeded = demo::seed(
        &*srv.store,
        &site,
        &demo::config(5, last, 10, 120, 14),
        srv.clock.now_ms(),
    )
    .unwrap();
    assert!(seeded.accepted > 1_000);
    let (from, to) = (last.add_days(-9).bounds_ms().0, last.bounds_ms().1);
    let cancel = Cancel::default();
    cancel.cancel();
    let stopped = srv
        .store
        .ops_touching(&site.id, from, to, Some(to), to, &cancel);
    assert!(matches!(stopped, Err(StoreError::Cancelled)), "{stopped:?}");
    // The connection is fine afterwards.
    let all = srv
        .store
        .ops_touching(&site.id, from, to, Some(to), to, &Cancel::never())
        .unwrap();
    assert!(all.len() > 1_000);
}
