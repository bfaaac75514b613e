//! Two phones offline make reports and status changes, reconnect, and converge to the same state; a
//! cleaner's phone converges to the cleaning part of it and never holds disturbance text.

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::StdRng;
use torgkoll_app::store::SyncState;
use torgkoll_e2e::audit::{audit, domains, expected_state};
use torgkoll_e2e::phone::Phone;
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::workload;
use torgkoll_shared::{OpBody, Operation, Role, Status};

fn all_ops(phones: &[&Phone]) -> Vec<Operation> {
    phones.iter().flat_map(|p| p.own_ops().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_offline_converge_to_the_same_state() {
    let rig = Rig::start(None).unwrap();
    let guard = rig.phone(Role::Guard, "vakt", None).await.unwrap();
    let boss = rig.phone(Role::Manager, "chef", None).await.unwrap();
    let cleaner = rig.phone(Role::Cleaner, "plock", None).await.unwrap();
    let site = rig.site.clone();
    let mut rng = StdRng::seed_from_u64(7);

    // Offline: reports, and status changes on their own reports.
    for p in [&guard, &boss, &cleaner] {
        for _ in 0..40 {
            p.record(workload::report(p.role, &site, &mut rng)).unwrap();
        }
        let mine = workload::targets(&p.state().unwrap());
        for _ in 0..10 {
            if let Some(b) = workload::status_change(p.role, p.device, &mine, &site, &mut rng) {
                p.record(b).unwrap();
            }
        }
    }
    let pending: u64 = [&guard, &boss, &cleaner]
        .iter()
        .map(|p| p.pending().unwrap())
        .sum();
    assert!(pending >= 120);

    // Reconnect: push everything, then everyone pulls.
    for _ in 0..2 {
        for p in [&guard, &boss, &cleaner] {
            p.sync().await.unwrap();
        }
    }
    // Racing changes on the same report from two phones, then one more exchange.
    let shared = workload::targets(&guard.state().unwrap())
        .into_iter()
        .find(|(_, dist, author)| *dist && *author == guard.device)
        .unwrap()
        .0;
    guard.record(OpBody::Resolve { report: shared }).unwrap();
    boss.record(OpBody::StillThere { report: shared }).unwrap();
    boss.record(OpBody::Review { report: shared }).unwrap();
    for _ in 0..2 {
        for p in [&guard, &boss, &cleaner] {
            p.sync().await.unwrap();
        }
    }

    let made = all_ops(&[&guard, &boss, &cleaner]);
    let doms = domains(&made);
    let g = guard.state().unwrap();
    assert_eq!(
        g,
        boss.state().unwrap(),
        "guard and manager see the same site"
    );
    assert_eq!(g, expected_state(Role::Guard, &made, &doms));
    assert!(g.known_reports().count() >= 120);
    // The race resolved the same way on both phones: the later clock wins.
    assert_eq!(g.reports[&shared].status(), Status::Open);
    let c = cleaner.state().unwrap();
    assert_eq!(c, expected_state(Role::Cleaner, &made, &doms));
    assert!(
        c.known_reports()
            .all(|r| !matches!(r.body, Some(torgkoll_shared::ReportBody::Disturbance(_))))
    );
    let cleaner_ops = cleaner.store.lock().unwrap().all_ops().unwrap();
    assert!(
        cleaner_ops
            .iter()
            .all(|o| !matches!(o.body, OpBody::Disturbance(_)))
    );

    // Every own report is sent; the last sync time is kept.
    for p in [&guard, &boss, &cleaner] {
        let s = p.store.lock().unwrap();
        assert!(
            s.my_reports(1000)
                .unwrap()
                .iter()
                .all(|r| r.sync == Some(SyncState::Sent))
        );
        let st = s.sync_status().unwrap();
        assert_eq!(st.pending, 0);
        assert!(st.last_sync_ms.is_some() && st.last_error.is_none());
    }
    let server = rig.server_ops().await.unwrap();
    let a = audit(&made, &server);
    assert_eq!((a.missing, a.duplicates, a.on_server), (0, 0, made.len()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_operation_is_shown_and_does_not_block_the_queue() {
    let rig = Rig::start(None).unwrap();
    let phone = rig.phone(Role::Cleaner, "plock", None).await.unwrap();
    let site = Arc::clone(&rig.site);
    let mut rng = StdRng::seed_from_u64(3);
    // The phone believes it is a guard (its role was changed on the server, say): it records a
    // disturbance that the server, which knows it as a cleaner, can never accept.
    {
        let mut s = phone.store.lock().unwrap();
        let mut id = s.identity().unwrap().clone();
        id.role = Role::Guard;
        s.set_identity(id).unwrap();
    }
    let refused = phone
        .record(workload::disturbance(&site, &mut rng))
        .unwrap();
    let fine = phone.record(workload::clean(&site, &mut rng)).unwrap();
    let s = phone.sync().await.unwrap();
    assert_eq!((s.pending, s.rejected), (0, 1));
    let (refused_view, fine_view) = {
        let store = phone.store.lock().unwrap();
        (
            store.report(refused.id).unwrap().unwrap(),
            store.report(fine.id).unwrap().unwrap(),
        )
    };
    match refused_view.sync {
        Some(SyncState::Rejected(refusal)) => {
            assert!(
                refusal.reason.to_lowercase().contains("cleaner"),
                "{refusal:?}"
            );
            // The code beside the words, for the phone to say in its user's language.
            assert!(
                matches!(
                    refusal.cause,
                    Some(torgkoll_shared::Invalid::NotAllowed {
                        role: torgkoll_shared::Role::Cleaner,
                        ..
                    })
                ),
                "{refusal:?}"
            );
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(fine_view.sync, Some(SyncState::Sent));
    let server = rig.server_ops().await.unwrap();
    assert_eq!(
        server.iter().map(|p| p.op.id).collect::<Vec<_>>(),
        [fine.id]
    );
}
