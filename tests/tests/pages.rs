//! Pulling across page boundaries: with a page of N, exactly N, N+1 and 2N operations all arrive once, in
//! the fewest requests, and the loop stops on the last page; and beside a push sent in early batches.

use rand::SeedableRng;
use rand::rngs::StdRng;
use torgkoll_app::sync::SyncOptions;
use torgkoll_e2e::audit::audit;
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::workload;
use torgkoll_shared::Role;

const N: u32 = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_of_exactly_n_n_plus_one_and_2n() {
    for (count, requests) in [(N, 1), (N + 1, 2), (2 * N, 2), (2 * N + 1, 3)] {
        let rig = Rig::start(Some(N)).unwrap();
        let a = rig.phone(Role::Cleaner, "a", None).await.unwrap();
        let mut rng = StdRng::seed_from_u64(count as u64);
        for _ in 0..count {
            a.record(workload::clean(&rig.site, &mut rng)).unwrap();
        }
        assert_eq!(a.sync().await.unwrap().pending, 0);
        let b = rig.phone(Role::Cleaner, "b", None).await.unwrap();
        let s = b.sync().await.unwrap();
        assert_eq!(s.pulled, count as usize, "{count} operations");
        assert_eq!(s.requests, requests, "{count} operations");
        assert_eq!(b.state().unwrap(), a.state().unwrap());
        // Nothing new: one request, nothing pulled.
        let again = b.sync().await.unwrap();
        assert_eq!((again.requests, again.pulled), (1, 0));
    }
}

/// A sync that pushes a backlog and pulls: the first request pulls a page, the batches after it are
/// sent early (before the answer to the one before them) and pull nothing, and the pages left are
/// pulled once the outbox is empty. Every operation arrives once; the phones converge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_in_early_batches_then_the_pages_left() {
    let rig = Rig::start(Some(N)).unwrap();
    let b = rig.phone(Role::Cleaner, "b", None).await.unwrap();
    let a = rig.phone(Role::Cleaner, "a", None).await.unwrap();
    let mut rng = StdRng::seed_from_u64(3);
    for _ in 0..25 {
        b.record(workload::clean(&rig.site, &mut rng)).unwrap();
    }
    assert_eq!(b.sync().await.unwrap().pending, 0);
    for _ in 0..2_500 {
        a.record(workload::clean(&rig.site, &mut rng)).unwrap();
    }
    let opts = SyncOptions {
        batch: 500,
        first_batch: 100,
        ..SyncOptions::default()
    };
    let s = a.sync_with(opts).await.unwrap();
    // 100 and a page of 10; 500 × 4 and 400, early; then the pages of 10 and 5 left.
    assert_eq!(
        (s.pushed, s.pending, s.pulled, s.requests),
        (2_500, 0, 25, 8)
    );
    let own = a.own_ops().unwrap();
    let got = audit(&own, &rig.server_ops().await.unwrap());
    assert_eq!((got.on_server, got.missing, got.duplicates), (2_525, 0, 0));
    assert_eq!(b.sync().await.unwrap().pulled, 2_500);
    assert_eq!(b.state().unwrap(), a.state().unwrap());
}
