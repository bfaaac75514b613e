//! The push lane (`src/shed.rs`): with the server's two sync slots flooded by page pulls, a small sync
//! marked `Torgkoll-Push: 1` is answered before the flood is served, while the same push unmarked, and a
//! marked push too large for the lane, wait their turn in the common queue behind the pulls.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Phone, TestServer, gzip, request_json};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use torgkoll_server::Limits;
use torgkoll_server::shed::{PUSH_HEADER, PUSH_LANE_MAX_BYTES};
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_small_marked_push_overtakes_a_flood_of_pulls() {
    // Nothing is shed: everything waits for its turn, so the order of the answers is the gate's order.
    let srv = TestServer::start(Limits {
        max_syncs: SLOTS,
        sync_wait: Duration::from_secs(120),
        page_size: STORED as u32,
        ..Limits::default()
    })
    .await;
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

    // The flood: every puller asks for a full page at once.
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
    // Let the flood reach the gate first.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        served.load(Ordering::SeqCst) < PULLS / 2,
        "the flood was served too fast to test anything"
    );

    let after = |served: Arc<AtomicUsize>, p: Phone, json: Vec<u8>, marked: bool| async move {
        let r = post(&p, &json, marked).await;
        (served.load(Ordering::SeqCst), r.acked_through)
    };
    let marked = tokio::spawn(after(served.clone(), pusher, one, true));
    let plain = tokio::spawn(after(served.clone(), unmarked, one_unmarked, false));
    let large = tokio::spawn(after(served.clone(), big, large, true));

    let (pulls_before, acked) = marked.await.unwrap();
    assert_eq!(acked, 1);
    assert!(
        pulls_before < PULLS / 2,
        "the marked push waited for {pulls_before} of {PULLS} pulls"
    );
    let (pulls_before, acked) = plain.await.unwrap();
    assert_eq!(acked, 1);
    assert!(
        pulls_before >= PULLS / 2,
        "the unmarked push overtook the flood ({pulls_before} pulls before it)"
    );
    let (pulls_before, acked) = large.await.unwrap();
    assert_eq!(acked, STORED as u64);
    assert!(
        pulls_before >= PULLS / 2,
        "a push too large for the lane overtook the flood ({pulls_before} pulls before it)"
    );
    while let Some(r) = flood.join_next().await {
        r.unwrap();
    }
    assert_eq!(srv.count("ops"), (2 * STORED + 2) as i64);
}
