//! Store tests on a real SQLite file.

use std::sync::Arc;

use torgkoll_shared::protocol::{PulledOp, Rejection, SyncResponse, WireOp};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, GeoPoint, Hlc, Invalid, OpBody, Role, Status, TimeFix,
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
    // An accuracy no positioning system gives would pass every "accurate enough" rule.
    for acc in [-1.0, f32::INFINITY, 1e6] {
        let odd = OpBody::Clean(CleaningReport {
            category: CleaningCategory::Annat,
            amount: None,
            note: None,
            at: spot(),
            acc: Some(acc),
        });
        assert!(matches!(
            s.record(odd, NOW),
            Err(StoreError::Invalid(Invalid::Accuracy))
        ));
    }
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
            cause: None,
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
        photos_wanted: vec![],
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
        Some(SyncState::Rejected(crate::store::Refusal {
            reason: "nej".into(),
            cause: None
        }))
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

/// A phone's file from before the server corrected times (schema 1: no fix columns, stamps without the
/// corrected time) opens, migrates and folds its state anew: nothing is lost and every stamp says when.
#[test]
fn a_file_from_schema_1_is_upgraded_and_refolded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let (a, b) = {
        let mut s = enrolled(dir.path(), Role::Cleaner);
        let a = s.record(clean(CleaningCategory::Fimpar), NOW).unwrap();
        let b = s
            .record(OpBody::Resolve { report: a.id }, NOW + 1_000)
            .unwrap();
        (a, b)
    };
    {
        // Back to what schema 1 wrote, numbered by `user_version` alone as before refinery.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE refinery_schema_history;
             DROP TABLE alert_marks;
             DROP INDEX reports_alerts;
             ALTER TABLE reports DROP COLUMN level;
             ALTER TABLE reports DROP COLUMN task;
             ALTER TABLE reports DROP COLUMN made_ms;
             ALTER TABLE reports DROP COLUMN taken_ms;
             DROP TABLE photos;
             DROP TABLE track_buffer;
             DROP TABLE handovers;
             DROP INDEX reports_status;
             ALTER TABLE reports DROP COLUMN closed_ms;
             ALTER TABLE oplog DROP COLUMN cause;
             ALTER TABLE oplog DROP COLUMN fix_at;
             ALTER TABLE oplog DROP COLUMN fix_hlc;
             UPDATE reports SET state = json_remove(state, '$.origin.stamp.at', '$.last_change.at',
                                                    '$.resolution.stamp.at');
             PRAGMA user_version = 1;",
        )
        .unwrap();
        let stale: String = conn
            .query_row("SELECT state FROM reports", [], |r| r.get(0))
            .unwrap();
        assert!(!stale.contains("\"at\":17"), "{stale}");
    }
    let s = Store::open(&path, Arc::new(plattan())).unwrap();
    let r = s.report_state(a.id).unwrap().unwrap();
    assert_eq!(r.status(), Status::Resolved);
    assert_eq!(r.origin.unwrap().stamp.at, NOW);
    assert_eq!(r.resolution.unwrap().stamp.at, NOW + 1_000);
    assert_eq!(s.all_ops().unwrap().len(), 2);
    assert_eq!(s.pending_count().unwrap(), 2);
    assert_eq!(
        s.report_state(a.id)
            .unwrap()
            .unwrap()
            .last_change
            .unwrap()
            .op,
        b.id
    );
}

/// The server's correction of this phone's own operation comes back in the answer: the phone stores it
/// and folds the report anew, so a resolve made on a clock a day fast no longer beats a later "still
/// there" from a phone with a right clock.
#[test]
fn an_own_operation_corrected_by_the_server_is_refolded() {
    const DAY: i64 = 86_400_000;
    let dir = tempfile::tempdir().unwrap();
    let mut s = enrolled(dir.path(), Role::Cleaner);
    let other = Uuid::now_v7();
    // Someone else's report, pulled.
    let report = WireOp {
        id: Uuid::now_v7(),
        seq: 1,
        hlc: Hlc::new(NOW as u64, 0),
        wall: NOW,
        body: clean(CleaningCategory::Glaskross),
    };
    let pulled = |op: &WireOp, pos: u64| PulledOp {
        pos,
        dev: other,
        role: Role::Cleaner,
        recv: op.wall + 500,
        op: op.clone(),
        fix: None,
    };
    let answer = |acked, fixed, ops: Vec<PulledOp>, pull_pos| SyncResponse {
        v: 1,
        acked_through: acked,
        rejected: vec![],
        fixed,
        ops,
        pull_pos,
        more: false,
        photos_wanted: vec![],
        server_ms: NOW + 60_000,
    };
    s.apply_sync(&answer(0, vec![], vec![pulled(&report, 1)], 1), NOW, NOW)
        .unwrap();
    // This phone's clock is a day fast: its resolve wins locally for now.
    let resolve = s
        .record(OpBody::Resolve { report: report.id }, NOW + 60_000 + DAY)
        .unwrap();
    let again = WireOp {
        id: Uuid::now_v7(),
        seq: 2,
        hlc: Hlc::new((NOW + 120_000) as u64, 0),
        wall: NOW + 120_000,
        body: OpBody::StillThere { report: report.id },
    };
    let fix = TimeFix {
        at: NOW + 60_000,
        hlc: Hlc::new((NOW + 60_000) as u64, 0),
    };
    let out = s
        .apply_sync(
            &answer(
                1,
                vec![torgkoll_shared::protocol::OwnFix {
                    seq: resolve.seq,
                    fix,
                }],
                vec![pulled(&again, 2)],
                2,
            ),
            NOW + 60_000 + DAY,
            NOW + 61_000 + DAY,
        )
        .unwrap();
    assert_eq!(out.fixed, 1);
    let r = s.report_state(report.id).unwrap().unwrap();
    assert_eq!(r.status(), Status::Open, "the later still-there wins");
    let mine = s
        .all_ops()
        .unwrap()
        .into_iter()
        .find(|o| o.id == resolve.id)
        .unwrap();
    assert_eq!(mine.fix, Some(fix));
    assert_eq!(
        mine.wall_ms,
        NOW + 60_000 + DAY,
        "what the phone said stays"
    );
    // The clock offset the phone measured: a day and half the round trip.
    let offset = s.sync_status().unwrap().clock_offset_ms.unwrap();
    assert_eq!(offset, (NOW + 60_500 + DAY) - (NOW + 60_000));
}
