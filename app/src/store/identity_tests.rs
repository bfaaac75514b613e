//! Re-enrollment on the phone: the same device id with a new token keeps the queue and continues its
//! `seq`; another device id is refused while the queue holds anything (never orphan a queue).

use std::sync::Arc;

use torgkoll_shared::protocol::SyncResponse;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{GeoPoint, OpBody, Role};
use uuid::Uuid;

use super::*;

const NOW: i64 = 1_764_150_000_000;

fn identity(device: Uuid, token: &str, server: &str) -> Identity {
    Identity {
        device,
        token: token.into(),
        role: Role::Cleaner,
        name: "Plock 1".into(),
        server: server.into(),
    }
}

fn report() -> OpBody {
    OpBody::Clean(torgkoll_shared::CleaningReport {
        category: torgkoll_shared::CleaningCategory::Fimpar,
        amount: None,
        note: None,
        at: GeoPoint::new(18.0641234, 59.3321234),
        acc: None,
    })
}

fn ack(through: u64) -> SyncResponse {
    serde_json::from_value(
        serde_json::json!({"v": 1, "acked_through": through, "pull_pos": 0, "server_ms": NOW}),
    )
    .unwrap()
}

#[test]
fn the_same_device_with_a_new_token_keeps_its_queue() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let me = Uuid::now_v7();
    let mut s = Store::open(&path, Arc::new(plattan())).unwrap();
    s.set_identity(identity(me, "old", "http://a:1")).unwrap();
    for i in 0..3 {
        s.record(report(), NOW + i).unwrap();
    }
    s.set_identity(identity(me, "new", "https://b")).unwrap();
    drop(s);
    let mut s = Store::open(&path, Arc::new(plattan())).unwrap();
    assert_eq!(s.identity(), Some(&identity(me, "new", "https://b")));
    assert_eq!(s.pending_count().unwrap(), 3);
    let queued: Vec<_> = s
        .outbox_batch(10)
        .unwrap()
        .iter()
        .map(|o| (o.device, o.seq))
        .collect();
    assert_eq!(queued, [(me, 1), (me, 2), (me, 3)]);
    assert_eq!(s.record(report(), NOW + 9).unwrap().seq, 4);
}

#[test]
fn another_device_is_refused_while_the_queue_holds_anything() {
    let dir = tempfile::tempdir().unwrap();
    let (me, other) = (Uuid::now_v7(), Uuid::now_v7());
    let mut s = Store::open(&dir.path().join(DB_FILE), Arc::new(plattan())).unwrap();
    s.set_identity(identity(me, "t", "http://a:1")).unwrap();
    s.record(report(), NOW).unwrap();
    s.record(report(), NOW + 1).unwrap();
    let err = s
        .set_identity(identity(other, "u", "http://a:1"))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::WouldOrphan { device, pending: 2 } if device == me),
        "{err:?}"
    );
    assert_eq!(s.identity().unwrap().device, me);
    assert_eq!(s.pending_count().unwrap(), 2);

    // Once everything is acknowledged the phone may become another device, whose seq starts at 1.
    s.apply_sync(&ack(2), NOW + 2, NOW + 3).unwrap();
    assert_eq!(s.pending_count().unwrap(), 0);
    s.set_identity(identity(other, "u", "http://a:1")).unwrap();
    let op = s.record(report(), NOW + 4).unwrap();
    assert_eq!((op.device, op.seq), (other, 1));
}
