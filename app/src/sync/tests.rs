//! Engine tests that need no server: request encoding, and the engine's behaviour when the server cannot
//! be reached (a real loopback port with nothing listening). Syncing against the real server is tested in
//! the `tests/` crate.

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use geo::InteriorPoint;
use torgkoll_shared::protocol::{SyncRequest, WireOp};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{CleaningCategory, CleaningReport, ManualClock, OpBody, Role};
use uuid::Uuid;

use super::error::{Failure, FailureKind};
use super::plan::Backoff;
use super::*;
use crate::store::{Identity, Store};

const NOW: i64 = 1_764_150_000_000;

fn clean() -> OpBody {
    let site = plattan();
    let z = site.zone("Z4").unwrap();
    let at = site
        .frame
        .from_local(z.polygon.interior_point().unwrap().0)
        .rounded();
    OpBody::Clean(CleaningReport {
        category: CleaningCategory::Fimpar,
        amount: None,
        note: Some("vid bänken".into()),
        at,
        acc: None,
    })
}

fn store_for(server: &str) -> Store {
    let mut s = Store::open_in_memory(Arc::new(plattan())).unwrap();
    s.set_identity(Identity {
        device: Uuid::now_v7(),
        token: "t".into(),
        role: Role::Cleaner,
        name: "Plock 1".into(),
        server: server.into(),
    })
    .unwrap();
    s
}

/// A loopback address where nothing listens.
fn dead_server() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

#[test]
fn a_request_is_gzip_json_with_ops_in_sequence_order() {
    let mut s = store_for("http://127.0.0.1:1");
    for i in 0..3 {
        s.record(clean(), NOW + i).unwrap();
    }
    let ops = s.outbox_batch(10).unwrap();
    let body = encode_request(&ops, 41, Some(5000), Some(NOW + 9), Some(3)).unwrap();
    let mut json = String::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_string(&mut json)
        .unwrap();
    let req: SyncRequest = serde_json::from_str(&json).unwrap();
    assert_eq!((req.v, req.pull_after, req.pull_limit), (1, 41, Some(5000)));
    assert_eq!(req.phone_ms, Some(NOW + 9));
    assert_eq!(req.pending, Some(3));
    assert_eq!(req.app.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    let wire: Vec<WireOp> = req
        .ops
        .iter()
        .map(|r| serde_json::from_str(r.get()).unwrap())
        .collect();
    assert_eq!(wire.iter().map(|w| w.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(wire[0], WireOp::from_op(&ops[0]));
}

fn wait_for(
    rx: &mut tokio::sync::watch::Receiver<EngineStatus>,
    what: impl Fn(&EngineStatus) -> bool,
) -> EngineStatus {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(60), rx.wait_for(|s| what(s)))
            .await
            .expect("the engine reports in time")
            .expect("the engine is running")
            .clone()
    })
}

#[test]
fn the_engine_goes_offline_keeps_the_queue_and_saves_the_error() {
    let mut s = store_for(&dead_server());
    s.record(clean(), NOW).unwrap();
    let store = Arc::new(Mutex::new(s));
    let cfg = EngineConfig {
        interval: Duration::from_secs(3600),
        backoff: Backoff {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(100),
        },
        ..EngineConfig::default()
    };
    let handle = SyncEngine::start(store.clone(), cfg, Arc::new(ManualClock::new(NOW)));
    let mut rx = handle.subscribe();
    let st = wait_for(&mut rx, |s| s.phase == Phase::Offline);
    assert_eq!(st.pending, 1);
    let failure = st.last_error.expect("a failure");
    assert_eq!(failure.kind, FailureKind::Offline);
    assert!(failure.message.contains("could not reach"));
    assert!(!st.needs_enrollment);
    // Asking again while offline keeps it offline, and the lock is free between attempts.
    handle.sync_now();
    let saved = store.lock().unwrap().sync_status().unwrap();
    assert_eq!(saved.pending, 1);
    let kept = Failure::from_stored(saved.last_error.as_deref().expect("kept"));
    assert_eq!(kept.kind, FailureKind::Offline);
    assert_eq!(saved.last_sync_ms, None);
    handle.shutdown();
}

#[test]
fn an_engine_without_identity_asks_for_enrollment() {
    let store = Arc::new(Mutex::new(
        Store::open_in_memory(Arc::new(plattan())).unwrap(),
    ));
    let handle = SyncEngine::start(
        store,
        EngineConfig::default(),
        Arc::new(ManualClock::new(NOW)),
    );
    let st = wait_for(&mut handle.subscribe(), |s| s.needs_enrollment);
    assert_eq!(st.phase, Phase::Idle);
    assert_eq!(st.completed, 0);
    drop(handle); // dropping stops the engine too
}

#[test]
fn errors_say_what_to_do() {
    let e = SyncError::BadToken {
        code: "revoked".into(),
        message: "this device has been revoked".into(),
    };
    assert_eq!(e.failure().kind, FailureKind::Revoked);
    assert!(e.needs_enrollment() && !e.is_retryable());
    assert!(e.to_string().contains("enroll it again"));
    let e = SyncError::Network("connection refused".into());
    assert!(e.is_offline() && e.is_retryable());
    let e = SyncError::Server {
        status: 503,
        code: "unavailable".into(),
        message: "busy".into(),
    };
    assert!(e.is_retryable() && !e.is_offline());
    let e = SyncError::Server {
        status: 400,
        code: "malformed".into(),
        message: "bad json".into(),
    };
    assert!(!e.is_retryable());
}
