//! The push lane (`src/shed.rs`): with the server's two sync slots taken by page pulls the store holds
//! (`common::held`) and more pulls queued behind them, a small sync marked `Torgkoll-Push: 1` is answered
//! while none of the pulls is, and the same push unmarked, and a marked push too large for the lane, are
//! not answered until the pulls go on. Order, not timing: while the pulls are held, nothing in the common
//! queue can be answered at all. And what a push in the lane pulls is a short page: the rest comes in the
//! phone's next rounds, each operation once.

mod common;

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::held::Held;
use common::{Phone, TestServer, gzip, request_json};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use torgkoll_server::Limits;
use torgkoll_server::shed::{PUSH_HEADER, PUSH_LANE_MAX_BYTES, PUSH_LANE_PAGE};
use torgkoll_shared::Role;
use torgkoll_shared::protocol::SyncResponse;

const SLOTS: usize = 2;
const PULLS: usize = 16;
/// Operations on the server: each pull of the flood is one full page of them.
const STORED: usize = 5_000;

/// Posts a gzip-compressed sync body, marked as a push or not, and returns its answer.
async fn post(p: &Phone, json: &[u8], marked: bool) -> SyncResponse {
    let mut req = p
        .client
        .post(format!("{}/v1/sync", p.url))
        .header(AUTHORIZATION, format!("Bearer {}", p.token))
        .header(CONTENT_TYPE, "application/json")
        .header(CONTENT_ENCODING, "gzip");
    if marked {
        req = req.header(PUSH_HEADER, "1");
    }
    let resp = req.body(gzip(json)).send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Waits (up to 30 s) until `held` page pulls wait in the store.
async fn until_held(store: &Held, held: usize) {
    for _ in 0..3_000 {
        if store.pulls.waiting.load(Ordering::SeqCst) >= held {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the pulls never reached the store");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_small_marked_push_overtakes_a_flood_of_pulls() {
    // Nothing is shed: everything waits for its turn.
    let held: Arc<OnceLock<Arc<Held>>> = Arc::default();
    let keep = held.clone();
    let srv = TestServer::start_with(
        Limits {
            max_syncs: SLOTS,
            sync_wait: Duration::from_secs(120),
            page_size: STORED as u32,
            ..Limits::default()
        },
        move |inner| {
            let h = Arc::new(Held::new(inner));
            keep.set(h.clone()).ok();
            h
        },
    )
    .await;
    let held = held.get().unwrap().clone();
    let mut writer = srv.phone(Role::Manager, "skrivare").await;
    let ops: Vec<_> = (0..STORED).map(|i| writer.clean(&format!("{i}"))).collect();
    let stored = post(&writer, &request_json(&ops, 0, Some(1)), false).await;
    assert_eq!(stored.acked_through, STORED as u64);

    let mut pullers = Vec::new();
    for i in 0..PULLS {
        pullers.push(srv.phone(Role::Manager, &format!("chef-{i}")).await);
    }
    let mut pusher = srv.phone(Role::Cleaner, "plock").await;
    let mut unmarked = srv.phone(Role::Cleaner, "plock-2").await;
    let mut big = srv.phone(Role::Cleaner, "plock-3").await;
    let one = request_json(&[pusher.clean("en")], 0, Some(1));
    let one_unmarked = request_json(&[unmarked.clean("en")], 0, Some(1));
    let many: Vec<_> = (0..STORED).map(|i| big.clean(&format!("b{i}"))).collect();
    let large = request_json(&many, 0, Some(1));
    assert!(gzip(&large).len() as u64 > PUSH_LANE_MAX_BYTES);
    assert!((gzip(&one).len() as u64) < PUSH_LANE_MAX_BYTES);

    // The flood: every puller asks for a full page at once; two of them take the slots and are held in
    // the store, the rest wait in the gate's queue.
    let served = Arc::new(AtomicUsize::new(0));
    let mut flood = tokio::task::JoinSet::new();
    for p in pullers {
        let served = served.clone();
        flood.spawn(async move {
            let page = post(&p, &request_json(&[], 0, None), false).await;
            assert_eq!(page.ops.len(), STORED);
            served.fetch_add(1, Ordering::SeqCst);
        });
    }
    until_held(&held, SLOTS).await;

    let after = |served: Arc<AtomicUsize>, p: Phone, json: Vec<u8>, marked: bool| async move {
        let r = post(&p, &json, marked).await;
        (served.load(Ordering::SeqCst), r.acked_through)
    };
    let plain = tokio::spawn(after(served.clone(), unmarked, one_unmarked, false));
    let large = tokio::spawn(after(served.clone(), big, large, true));
    let marked = tokio::spawn(after(served.clone(), pusher, one, true));

    let (pulls_before, acked) = marked.await.unwrap();
    assert_eq!(acked, 1);
    assert_eq!(pulls_before, 0, "the marked push waited for pulls");
    // The common queue is stuck behind the held pulls: the others are not answered (give them time).
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!plain.is_finished(), "the unmarked push overtook the flood");
    assert!(
        !large.is_finished(),
        "a push too large for the lane overtook the flood"
    );
    assert_eq!(served.load(Ordering::SeqCst), 0);

    held.pulls.open();
    let (_, acked) = plain.await.unwrap();
    assert_eq!(acked, 1);
    let (_, acked) = large.await.unwrap();
    assert_eq!(acked, STORED as u64);
    while let Some(r) = flood.join_next().await {
        r.unwrap();
    }
    assert_eq!(served.load(Ordering::SeqCst), PULLS);
    assert_eq!(srv.count("ops"), (2 * STORED + 2) as i64);
}

/// A push in the lane that asks for a full page (as the app's rounds do) pulls [`PUSH_LANE_PAGE`]
/// operations and `more`; the same request unmarked pulls the full page; the pulls after the short page
/// bring the rest, none twice.
#[tokio::test]
async fn a_push_in_the_lane_pulls_a_short_page_and_the_rest_follows() {
    let srv = TestServer::start(Limits::default()).await;
    let mut writer = srv.phone(Role::Manager, "skrivare").await;
    let stored = 1_000;
    let ops: Vec<_> = (0..stored).map(|i| writer.clean(&format!("{i}"))).collect();
    let ids: std::collections::HashSet<_> = ops.iter().map(|o| o.id).collect();
    post(&writer, &request_json(&ops, 0, Some(1)), false).await;

    let mut pusher = srv.phone(Role::Cleaner, "plock").await;
    let one = request_json(&[pusher.clean("en")], 0, None);
    let first = post(&pusher, &one, true).await;
    assert_eq!(first.acked_through, 1);
    assert_eq!(first.ops.len(), PUSH_LANE_PAGE as usize);
    assert!(first.more);
    let mut seen: Vec<_> = first.ops.iter().map(|o| o.op.id).collect();
    let mut after = first.pull_pos;
    loop {
        let page = post(&pusher, &request_json(&[], after, None), false).await;
        seen.extend(page.ops.iter().map(|o| o.op.id));
        after = page.pull_pos;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen.len(), stored, "each operation once");
    assert_eq!(
        seen.iter()
            .copied()
            .collect::<std::collections::HashSet<_>>(),
        ids
    );

    let mut unmarked = srv.phone(Role::Cleaner, "plock-2").await;
    let one = request_json(&[unmarked.clean("två")], 0, None);
    let full = post(&unmarked, &one, false).await;
    assert_eq!(
        full.ops.len(),
        stored + 1,
        "the others' operations, the pusher's too"
    );
    assert!(!full.more);
}
