//! The server killed with SIGKILL in the middle of syncs, and restarted on the same database, loses and
//! duplicates nothing.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use torgkoll_app::sync::SyncOptions;
use torgkoll_e2e::audit::{audit, domains, expected_state};
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::workload;
use torgkoll_shared::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_sync_loses_and_duplicates_nothing() {
    let mut rig = Rig::start(None).unwrap();
    let a = rig.phone(Role::Guard, "vakt", None).await.unwrap();
    let b = rig.phone(Role::Manager, "chef", None).await.unwrap();
    let mut rng = StdRng::seed_from_u64(99);
    for _ in 0..3_000 {
        a.record(workload::report(Role::Guard, &rig.site, &mut rng))
            .unwrap();
    }
    for _ in 0..500 {
        b.record(workload::report(Role::Manager, &rig.site, &mut rng))
            .unwrap();
    }
    let small = SyncOptions {
        batch: 100,
        ..SyncOptions::default()
    };
    let mut kills = 0;
    for _ in 0..8 {
        // Both phones sync; the server dies a random moment later.
        let (pa, pb) = (&a, &b);
        let syncs = async move { tokio::join!(pa.sync_with(small), pb.sync_with(small)) };
        let wait = Duration::from_millis(rng.random_range(5..40));
        tokio::select! {
            (ra, rb) = syncs => {
                if ra.is_ok() && rb.is_ok() && a.pending().unwrap() == 0 && b.pending().unwrap() == 0 {
                    break;
                }
            }
            _ = tokio::time::sleep(wait) => {}
        }
        rig.server.kill();
        kills += 1;
        // Offline for a moment: syncing fails cleanly.
        assert!(a.sync_with(small).await.unwrap_err().is_offline());
        rig.server.restart().unwrap();
        a.set_server(&rig.server.url());
        b.set_server(&rig.server.url());
        // New work keeps arriving between crashes.
        a.record(workload::report(Role::Guard, &rig.site, &mut rng))
            .unwrap();
    }
    eprintln!("server killed {kills} times");
    assert!(kills > 0, "the server was killed at least once mid-sync");
    for _ in 0..2 {
        a.sync().await.unwrap();
        b.sync().await.unwrap();
    }
    let made: Vec<_> = [&a, &b].iter().flat_map(|p| p.own_ops().unwrap()).collect();
    let server = rig.server_ops().await.unwrap();
    let got = audit(&made, &server);
    assert_eq!((got.missing, got.duplicates), (0, 0));
    assert_eq!(got.on_server, made.len());
    let doms = domains(&made);
    assert_eq!(
        a.state().unwrap(),
        expected_state(Role::Guard, &made, &doms)
    );
    assert_eq!(b.state().unwrap(), a.state().unwrap());
}
