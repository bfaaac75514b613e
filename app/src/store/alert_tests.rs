//! Alerts and tasks on a real SQLite file: which level-1 disturbances ring on a guard's or the manager's
//! phone and for how long, which tasks a cleaner sees on top and in what order, and the phone's own
//! "Sett" and "signalled" marks surviving a restart.

use std::sync::Arc;

use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    Amendment, CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint,
    OpBody, Operation, Role,
};
use uuid::Uuid;

use super::*;

const NOW: i64 = 1_764_150_000_000;
const MIN: i64 = 60_000;

fn spot() -> GeoPoint {
    let site = plattan();
    site.frame
        .from_view(geo::Coord { x: 0.0, y: 0.0 })
        .rounded()
}

fn phone(dir: &std::path::Path, name: &str, role: Role) -> Store {
    let mut s = Store::open(&dir.join(format!("{name}.sqlite")), Arc::new(plattan())).unwrap();
    s.set_identity(Identity {
        device: Uuid::now_v7(),
        token: "t".into(),
        role,
        name: name.into(),
        server: "http://127.0.0.1:1".into(),
    })
    .unwrap();
    s
}

fn disturbance(level: u8) -> OpBody {
    OpBody::Disturbance(DisturbanceReport {
        category: DisturbanceCategory::BrakVald,
        level,
        people: 3,
        interventions: Default::default(),
        note: Some("fritext".into()),
        at: spot(),
        happened: None,
    })
}

fn request(from: Uuid, by: &str) -> OpBody {
    OpBody::CleanRequest {
        from,
        task: CleaningReport {
            category: CleaningCategory::Glaskross,
            amount: None,
            note: None,
            at: spot(),
            acc: None,
        },
        by: Some(by.into()),
    }
}

/// Another phone's operation arriving on `s`, as a pull stores it (log row and materialized state in
/// one transaction).
fn pull(s: &mut Store, op: &Operation) {
    let me = s.identity().map(|i| i.device);
    let tx = s.conn.transaction().unwrap();
    assert!(record::insert_op(&tx, op, false, Some(1), Some(op.wall_ms)).unwrap());
    materialize::apply(&tx, &s.site, me, op).unwrap();
    tx.commit().unwrap();
}

fn alert_ids(s: &Store, role: Role, now: i64) -> Vec<Uuid> {
    s.active_alerts(role, now)
        .unwrap()
        .into_iter()
        .map(|a| a.report.report.id)
        .collect()
}

#[test]
fn a_level_one_disturbance_rings_elsewhere_until_taken_closed_seen_or_old() {
    let dir = tempfile::tempdir().unwrap();
    let mut guard = phone(dir.path(), "Vakt 1", Role::Guard);
    let mut manager = phone(dir.path(), "Platsansvarig", Role::Manager);
    let acute = guard.record(disturbance(1), NOW).unwrap();
    let routine = guard.record(disturbance(2), NOW + 1_000).unwrap();
    let later = guard.record(disturbance(1), NOW + 2_000).unwrap();
    // Not on the phone that made it.
    assert!(alert_ids(&guard, Role::Guard, NOW + MIN).is_empty());
    for op in [&acute, &routine, &later] {
        pull(&mut manager, op);
    }
    // Level 1 only, newest first; the banner's data holds no free text beyond the report itself.
    assert_eq!(
        alert_ids(&manager, Role::Manager, NOW + MIN),
        vec![later.id, acute.id]
    );
    let first = &manager.active_alerts(Role::Manager, NOW + MIN).unwrap()[0];
    assert_eq!(first.kind, AlertKind::Acute);
    assert!(!first.signalled);

    // Taken by the manager here: gone from every phone once the take arrives.
    let take = manager
        .record(
            OpBody::Take {
                report: acute.id,
                by: "Platsansvarig".into(),
            },
            NOW + 2 * MIN,
        )
        .unwrap();
    assert_eq!(
        alert_ids(&manager, Role::Manager, NOW + 2 * MIN),
        vec![later.id]
    );
    let mut guard2 = phone(dir.path(), "Vakt 2", Role::Guard);
    for op in [&acute, &later] {
        pull(&mut guard2, op);
    }
    assert_eq!(
        alert_ids(&guard2, Role::Guard, NOW + 2 * MIN),
        vec![later.id, acute.id]
    );
    pull(&mut guard2, &take);
    assert_eq!(
        alert_ids(&guard2, Role::Guard, NOW + 2 * MIN),
        vec![later.id]
    );
    let taken = guard2
        .report(acute.id)
        .unwrap()
        .unwrap()
        .report
        .taken
        .unwrap();
    assert_eq!(
        (taken.by.as_str(), taken.at()),
        ("Platsansvarig", NOW + 2 * MIN)
    );

    // Amended down to level 2 by its author: no longer an alert; back to 1: an alert again.
    let down = guard
        .record(
            OpBody::Amend {
                report: later.id,
                change: Amendment {
                    level: Some(2),
                    ..Default::default()
                },
            },
            NOW + 3 * MIN,
        )
        .unwrap();
    pull(&mut guard2, &down);
    assert!(alert_ids(&guard2, Role::Guard, NOW + 3 * MIN).is_empty());

    // "Sett" silences it on this phone only; resolving closes it everywhere; 12 hours end it.
    let fresh = guard.record(disturbance(1), NOW + 4 * MIN).unwrap();
    pull(&mut guard2, &fresh);
    pull(&mut manager, &fresh);
    guard2.mark_alert_seen(fresh.id, NOW + 5 * MIN).unwrap();
    assert!(alert_ids(&guard2, Role::Guard, NOW + 5 * MIN).is_empty());
    assert!(alert_ids(&manager, Role::Manager, NOW + 5 * MIN).contains(&fresh.id));
    let at_edge = NOW + 4 * MIN + ALERT_WINDOW_MS;
    assert!(alert_ids(&manager, Role::Manager, at_edge).contains(&fresh.id));
    assert!(!alert_ids(&manager, Role::Manager, at_edge + 1).contains(&fresh.id));
    let done = guard
        .record(OpBody::Resolve { report: fresh.id }, NOW + 6 * MIN)
        .unwrap();
    pull(&mut manager, &done);
    assert!(!alert_ids(&manager, Role::Manager, NOW + 6 * MIN).contains(&fresh.id));
    // A cleaner never rings for a disturbance (and is never sent one).
    assert!(alert_ids(&manager, Role::Cleaner, NOW + 6 * MIN).is_empty());
}

#[test]
fn tasks_untaken_first_newest_first_until_done_and_marks_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut guard = phone(dir.path(), "Vakt 1", Role::Guard);
    let mut cleaner = phone(dir.path(), "Plock 1", Role::Cleaner);
    let d = guard.record(disturbance(1), NOW).unwrap();
    let old = guard.record(request(d.id, "Vakt 1"), NOW + MIN).unwrap();
    let new = guard
        .record(request(d.id, "Vakt 1"), NOW + 2 * MIN)
        .unwrap();
    let plain = guard
        .record(
            OpBody::Clean(CleaningReport {
                category: CleaningCategory::Fimpar,
                amount: None,
                note: None,
                at: spot(),
                acc: None,
            }),
            NOW + 3 * MIN,
        )
        .unwrap();
    // The guard sees its own tasks (with their state) but no alert for them.
    assert_eq!(guard.open_tasks().unwrap().len(), 2);
    assert!(alert_ids(&guard, Role::Cleaner, NOW + 3 * MIN).is_empty());
    for op in [&old, &new, &plain] {
        pull(&mut cleaner, op);
    }
    let ids = |s: &Store| -> Vec<Uuid> {
        s.open_tasks()
            .unwrap()
            .iter()
            .map(|r| r.report.id)
            .collect()
    };
    assert_eq!(ids(&cleaner), vec![new.id, old.id]);
    assert_eq!(
        alert_ids(&cleaner, Role::Cleaner, NOW + 3 * MIN),
        vec![new.id, old.id]
    );
    let task = cleaner.report(new.id).unwrap().unwrap();
    assert_eq!(task.report.requested_by(), Some("Vakt 1"));

    // Taking the newer one moves it below the untaken one and ends its alert.
    cleaner
        .record(
            OpBody::Take {
                report: new.id,
                by: "Plock 1".into(),
            },
            NOW + 4 * MIN,
        )
        .unwrap();
    assert_eq!(ids(&cleaner), vec![old.id, new.id]);
    assert_eq!(
        alert_ids(&cleaner, Role::Cleaner, NOW + 4 * MIN),
        vec![old.id]
    );
    // A plain cleaning report cannot be taken: refused before it is saved.
    assert!(matches!(
        cleaner.record(
            OpBody::Take {
                report: plain.id,
                by: "Plock 1".into()
            },
            NOW + 4 * MIN
        ),
        Err(StoreError::Invalid(torgkoll_shared::Invalid::NotTakeable(
            _
        )))
    ));
    // "Klar" is a resolve: done tasks leave the list.
    cleaner
        .record(OpBody::Resolve { report: new.id }, NOW + 5 * MIN)
        .unwrap();
    assert_eq!(ids(&cleaner), vec![old.id]);

    // The sound is given once per alert, and not again after a restart.
    assert!(cleaner.mark_alert_signalled(old.id, NOW + 5 * MIN).unwrap());
    assert!(!cleaner.mark_alert_signalled(old.id, NOW + 6 * MIN).unwrap());
    cleaner.mark_alert_seen(old.id, NOW + 6 * MIN).unwrap();
    drop(cleaner);
    let reopened = Store::open(&dir.path().join("Plock 1.sqlite"), Arc::new(plattan())).unwrap();
    assert!(
        !reopened
            .mark_alert_signalled(old.id, NOW + 7 * MIN)
            .unwrap()
    );
    assert!(alert_ids(&reopened, Role::Cleaner, NOW + 7 * MIN).is_empty());
    // "Sett" silences the banner, not the task: it stays on the list until done.
    assert_eq!(ids(&reopened), vec![old.id]);
}
