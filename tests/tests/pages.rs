//! Pulling across page boundaries: with a page of N, exactly N, N+1 and 2N operations all arrive once, in
//! the fewest requests, and the loop stops on the last page.

use rand::SeedableRng;
use rand::rngs::StdRng;
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
