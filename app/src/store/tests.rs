//! Store tests on a real SQLite file.

use std::sync::Arc;

use torgkoll_shared::protocol::{PulledOp, Rejection, SyncResponse, WireOp};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, GeoPoint, Hlc, Invalid, OpBody, Role, Status,
};
use uuid::Uuid;

use super::*;

const NOW: i64 = 1_764_150_000_000;

fn spot() -> GeoPoint {
    // The centre of zone Z4 (Plattan södra).
    let site = plattan();
    let z = site.zone("Z4").unwrap();
    use geo::InteriorPoint;
    site.frame
        .from_local(z.polygon.interior_point().unwrap().0)
        .rounded()
}

fn clean(cat: CleaningCategory) -> OpBody {
    OpBody::Clean(CleaningReport {
        category: cat,
        amount: None,
        note: None,
        at: spot(),
        acc: None,
    })
}

fn enrolled(dir: &std::path::Path, role: Role) -> Store {
    let mut s = Store::open(&dir.join(DB_FILE), Arc::new(plattan())).unwrap();
    s.set_identity(Identity {
        device: Uuid::now_v7(),
        token: "t".into(),
        role,
        name: "Plock 1".into(),
        server: "http://127.0.0.1:1".into(),
    })
    .unwrap();
    s
}

#[test]
fn a_recorded_report_is_durable_queued_and_visible() {
    let dir = tempfile::tempdir().unwrap();
    let op = {
        let mut s = enrolled(dir.path(), Role::Cleaner);
        let op = s.record(clean(CleaningCategory::Fimpar), NOW).unwrap();
        assert_eq!(op.seq, 1);
        op
    };
    // Reopened from disk, as after the app was killed.
    let s = Store::open(&dir.path().join(DB_FILE), Arc::new(plattan())).unwrap();
    assert_eq!(s.pending_count().unwrap(), 1);
    let today = s.reports_between(NOW - 1000, NOW + 1000).unwrap();
    assert_eq!(today.len(), 1);
    assert_eq!(today[0].report.id, op.id);
    assert_eq!(today[0].zone.as_deref(), Some("Z4"));
    assert_eq!(today[0].sync, Some(SyncState::Pending));
    let counts = s.counts_by_zone_and_domain(NOW - 1000, NOW + 1000).unwrap();
    assert_eq!(
        counts,
        vec![ZoneCount {
            zone: "Z4".into(),
            domain: torgkoll_shared::Domain::Cleaning,
            count: 1
        }]
    );
    assert_eq!(s.outbox_batch(10).unwrap(), vec![op]);
}

#[test]
fn invalid_input_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = enrolled(dir.path(), Role::Cleaner);
    let far = OpBody::Clean(CleaningReport {
        category: CleaningCategory::Fimpar,
        amount: None,
        note: None,
        at: GeoPoint::new(18.0, 59.0),
        acc: None,
    });
    let err = s.record(far, NOW).unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::Outside(_))),
        "{err}"
    );
    let long = OpBody::Clean(CleaningReport {
        category: CleaningCategory::Annat,
        amount: None,
        note: Some("x".repeat(281)),
        at: spot(),
        acc: None,
    });
    assert!(matches!(
        s.record(long, NOW),
        Err(StoreError::Invalid(Invalid::NoteTooLong(281)))
    ));
    assert_eq!(s.pending_count().unwrap(), 0);
    assert!(s.all_ops().unwrap().is_empty());
    // The next good one still gets sequence 1: nothing was used up.
    assert_eq!(s.record(clean(CleaningCategory::Snus), NOW).unwrap().seq, 1);
}

#[test]
fn status_changes_history_and_state_at_a_moment() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = enrolled(dir.path(), Role::Cleaner);
    let r = s.record(clean(CleaningCategory::Glaskross), NOW).unwrap();
    s.record(OpBody::Resolve { report: r.id }, NOW + 60_000)
        .unwrap();
    assert_eq!(s.report(r.id).unwrap().unwrap().status(), Status::Resolved);
    s.record(OpBody::StillThere { report: r.id }, NOW + 120_000)
        .unwrap();
    let v = s.report(r.id).unwrap().unwrap();
    assert_eq!(v.status(), Status::Open);
    assert_eq!(v.report.count(), 2);
    let h = s.history(r.id).unwrap();
    assert_eq!(
        h.iter().map(|e| e.op.body.name()).collect::<Vec<_>>(),
        ["clean", "resolve", "still_there"]
    );
    // As it was after one minute: resolved.
    let then = s.state_at(NOW + 90_000).unwrap();
    assert_eq!(then.reports[&r.id].status(), Status::Resolved);
    // The materialized state equals the fold of the log.
    assert_eq!(
        s.state().unwrap(),
        torgkoll_shared::State::fold(&s.all_ops().unwrap())
    );
}

#[test]
fn a_sync_answer_acks_rejects_and_pulls_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = enrolled(dir.path(), Role::Manager);
    let a = s.record(clean(CleaningCategory::Fimpar), NOW).unwrap();
    let b = s.record(clean(CleaningCategory::Klotter), NOW + 1).unwrap();
    let other = Uuid::now_v7();
    let theirs = WireOp {
        id: Uuid::now_v7(),
        seq: 1,
        hlc: Hlc::new((NOW + 5_000) as u64, 0),
        wall: NOW + 5_000,
        body: clean(CleaningCategory::Snus),
    };
    let resp = SyncResponse {
        v: 1,
        acked_through: 2,
        rejected: vec![Rejection {
            seq: 2,
            id: b.id,
            reason: "nej".into(),
        }],
        ops: vec![PulledOp {
            pos: 7,
            dev: other,
            role: Role::Cleaner,
            recv: NOW + 6_000,
            op: theirs.clone(),
            fix: None,
        }],
        fixed: vec![],
        pull_pos: 7,
        more: false,
        server_ms: NOW + 6_000,
    };
    let out = s.apply_sync(&resp, NOW + 5_900, NOW + 6_000).unwrap();
    assert_eq!((out.pulled_new, out.rejected), (1, 1));
    // The same answer again changes nothing.
    let again = s.apply_sync(&resp, NOW + 6_900, NOW + 7_000).unwrap();
    assert_eq!((again.pulled_new, again.pulled_dup), (0, 1));
    assert_eq!(s.pending_count().unwrap(), 0);
    assert_eq!(s.pull_pos().unwrap(), 7);
    assert_eq!(s.report(a.id).unwrap().unwrap().sync, Some(SyncState::Sent));
    assert_eq!(
        s.report(b.id).unwrap().unwrap().sync,
        Some(SyncState::Rejected("nej".into()))
    );
    let pulled = s.report(theirs.id).unwrap().unwrap();
    assert!(!pulled.mine);
    assert_eq!(pulled.sync, None);
    // The clock moved past what was seen: the next local operation orders after it.
    let c = s.record(clean(CleaningCategory::Snus), NOW).unwrap();
    assert!(c.hlc > theirs.hlc);
    assert_eq!(s.sync_status().unwrap().last_sync_ms, Some(NOW + 7_000));
}

#[test]
fn recording_needs_enrollment() {
    let s = Store::open_in_memory(Arc::new(plattan()));
    let mut s = s.unwrap();
    assert!(matches!(
        s.record(clean(CleaningCategory::Fimpar), NOW),
        Err(StoreError::NotEnrolled)
    ));
}
