//! The shift and its handover on a real SQLite file: when a shift starts and ends, a handover needs a
//! shift, and a read mark is this phone's and survives refolds.

use std::sync::Arc;

use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{HandoverSummary, OpBody, Role};
use uuid::Uuid;

use super::*;

const NOW: i64 = 1_764_150_000_000;
const H: i64 = 3_600_000;

fn guard(dir: &std::path::Path) -> Store {
    let mut s = Store::open(&dir.join(DB_FILE), Arc::new(plattan())).unwrap();
    s.set_identity(Identity {
        device: Uuid::now_v7(),
        token: "t".into(),
        role: Role::Guard,
        name: "Vakt 1".into(),
        server: "http://127.0.0.1:1".into(),
    })
    .unwrap();
    s
}

#[test]
fn a_shift_runs_until_six_quiet_hours_after_its_start_or_its_last_report() {
    let dir = tempfile::tempdir().unwrap();
    let s = guard(dir.path());
    assert_eq!(s.shift().unwrap(), None);
    // The first report with no shift starts one.
    assert_eq!(s.ensure_shift(NOW).unwrap().start_ms, NOW);
    // Started by hand at 18:00; a report five hours later belongs to it.
    s.start_shift(NOW + 10 * H).unwrap();
    assert_eq!(s.ensure_shift(NOW + 15 * H).unwrap().start_ms, NOW + 10 * H);
    // Seven quiet hours after the start, with no report since: a new shift.
    s.start_shift(NOW + 20 * H).unwrap();
    assert_eq!(s.ensure_shift(NOW + 27 * H).unwrap().start_ms, NOW + 27 * H);
    s.end_shift().unwrap();
    assert_eq!(s.shift().unwrap(), None);
}

#[test]
fn a_handover_needs_a_shift_ends_it_and_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = guard(dir.path());
    let summary = HandoverSummary {
        disturbances: 2,
        ..HandoverSummary::default()
    };
    assert!(matches!(
        s.hand_over(None, summary.clone(), NOW),
        Err(StoreError::NoShift)
    ));
    assert_eq!(s.pending_count().unwrap(), 0, "nothing recorded");

    s.start_shift(NOW - 8 * H).unwrap();
    let op = s
        .hand_over(Some("Lugnt".into()), summary.clone(), NOW)
        .unwrap();
    let OpBody::Handover(h) = &op.body else {
        panic!("{op:?}")
    };
    assert_eq!((h.shift_from, h.summary.disturbances), (NOW - 8 * H, 2));
    assert_eq!(s.shift().unwrap(), None, "the shift has ended");
    assert_eq!(s.pending_count().unwrap(), 1, "queued for the server");

    // The next shift on this phone sees it; a cleaner's list would not.
    let unread = s.unread_handovers(Role::Guard).unwrap();
    assert_eq!(unread.len(), 1);
    assert!(unread[0].mine && unread[0].read_ms.is_none());
    assert!(s.unread_handovers(Role::Cleaner).unwrap().is_empty());
    s.mark_handover_read(op.id, NOW + H).unwrap();
    s.mark_handover_read(op.id, NOW + 2 * H).unwrap();
    assert!(s.unread_handovers(Role::Guard).unwrap().is_empty());
    assert_eq!(s.handovers(10).unwrap()[0].read_ms, Some(NOW + H));

    // A refold of the whole log keeps the read mark.
    materialize::rebuild_all(&s.conn, &s.site, s.device()).unwrap();
    assert!(s.unread_handovers(Role::Guard).unwrap().is_empty());
    assert_eq!(s.handovers(10).unwrap().len(), 1);
}
