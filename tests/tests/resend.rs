//! Idempotence and resuming: a resent batch creates nothing, and a sync cut off midway resumes at the
//! last acknowledged batch instead of starting over.

use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use torgkoll_app::sync::{SyncClient, SyncOptions};
use torgkoll_e2e::audit::audit;
use torgkoll_e2e::proxy::{Proxy, ProxyConfig};
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::workload;
use torgkoll_shared::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resent_batch_creates_nothing() {
    let rig = Rig::start(None).unwrap();
    let phone = rig.phone(Role::Guard, "vakt", None).await.unwrap();
    let mut rng = StdRng::seed_from_u64(11);
    for _ in 0..25 {
        phone
            .record(workload::report(Role::Guard, &rig.site, &mut rng))
            .unwrap();
    }
    let (ops, token) = {
        let s = phone.store.lock().unwrap();
        (
            s.outbox_batch(100).unwrap(),
            s.identity().unwrap().token.clone(),
        )
    };
    let client = SyncClient::new(&rig.server.url(), &token);
    // The batch arrives, but its answer is lost: the phone never applies it.
    let first = client.round(&ops, 0, None).await.unwrap();
    assert_eq!((first.acked_through, first.rejected.len()), (25, 0));
    // Sent again by hand, and once more by the phone's own sync (its outbox still holds all 25).
    let again = client.round(&ops, 0, None).await.unwrap();
    assert_eq!((again.acked_through, again.rejected.len()), (25, 0));
    let s = phone.sync().await.unwrap();
    assert_eq!((s.pushed, s.pending, s.rejected), (25, 0, 0));
    // A resend of an older part only, after everything was acknowledged.
    let old = client.round(&ops[..5], 0, None).await.unwrap();
    assert_eq!(old.acked_through, 25);

    let made = phone.own_ops().unwrap();
    let a = audit(&made, &rig.server_ops().await.unwrap());
    assert_eq!(
        (a.made, a.on_server, a.missing, a.duplicates),
        (25, 25, 0, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_sync_resumes_at_the_last_acknowledged_batch() {
    let rig = Rig::start(None).unwrap();
    // Every connection is cut after 24 kB: a few rounds of 100 operations get through, then one breaks.
    let proxy = Proxy::start(
        rig.server.addr,
        ProxyConfig {
            cut_after: Some(24_000),
            ..ProxyConfig::default()
        },
    )
    .await
    .unwrap();
    let phone = rig
        .phone(Role::Cleaner, "plock", Some(&proxy.url()))
        .await
        .unwrap();
    let mut rng = StdRng::seed_from_u64(5);
    for _ in 0..1_000 {
        phone.record(workload::clean(&rig.site, &mut rng)).unwrap();
    }
    let small = SyncOptions {
        batch: 100,
        ..SyncOptions::default()
    };
    let err = phone.sync_with(small).await.unwrap_err();
    assert!(err.is_offline(), "{err}");
    let left = phone.pending().unwrap();
    assert!(left < 1_000 && left > 0, "{left} pending after the cut");
    assert_eq!(left % 100, 0, "acknowledgements come per batch");
    // Each new attempt gets further; none starts over.
    let mut last = left;
    let mut pushed = 0;
    for _ in 0..100 {
        match phone.sync_with(small).await {
            Ok(s) => {
                pushed += s.pushed;
                break;
            }
            Err(e) => assert!(e.is_offline(), "{e}"),
        }
        let now = phone.pending().unwrap();
        assert!(now <= last, "went backwards: {now} pending after {last}");
        last = now;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(phone.pending().unwrap(), 0);
    // Only what was unacknowledged, or less: a batch sent early (beside the one before it) may have
    // been stored in an attempt that was cut before its answer came; the server's answer to the
    // batch before it then acknowledges it too, and it is not sent again.
    assert!(
        pushed > 0 && pushed <= last,
        "the last attempt sent {pushed} of {last} unacknowledged"
    );
    assert!(proxy.stats().cuts > 0);
    let a = audit(&phone.own_ops().unwrap(), &rig.server_ops().await.unwrap());
    assert_eq!((a.on_server, a.missing, a.duplicates), (1_000, 0, 0));
}
