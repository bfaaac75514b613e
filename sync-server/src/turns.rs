//! Each device's batches stored in order. A phone sends its next batch before the answer to the one
//! before it (an early batch, docs/PROTOCOL.md "Early batches"), on a second connection, so that the
//! server decodes one while it stores the other. The early one may come first to the store; it would
//! find a gap (its first operation after what the device has acknowledged + 1) and store nothing. So a
//! request whose operations start after a gap waits, decoded and before the store, until the device's
//! acknowledgement reaches the operation before them, or for at most a bound; then it goes on as it is
//! (a gap that stays is what `ingest` answers: acknowledged up to it, the phone sends the rest again).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;
use uuid::Uuid;

/// Every device's acknowledgement as the pushes since start left it, for requests to wait on: one
/// entry per device that has pushed since the server started (a few hundred bytes each), kept while it
/// runs.
#[derive(Debug, Default)]
pub struct Turns {
    acked: Mutex<HashMap<Uuid, watch::Sender<u64>>>,
}

impl Turns {
    fn channel(&self, device: Uuid) -> watch::Sender<u64> {
        self.acked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(device)
            .or_insert_with(|| watch::Sender::new(0))
            .clone()
    }

    /// A push of `device` committed with everything through `through` acknowledged.
    pub fn acked(&self, device: Uuid, through: u64) {
        self.channel(device).send_if_modified(|v| {
            let later = through > *v;
            *v = (*v).max(through);
            later
        });
    }

    /// Waits until `device` has acknowledged everything before `first_seq`, for at most `max`.
    /// `known` is its acknowledgement as read with the request (the store's; a push since then is in
    /// this hub). Answers whether the turn came (false: the wait ran out).
    pub async fn wait(&self, device: Uuid, known: u64, first_seq: u64, max: Duration) -> bool {
        let ready = |acked: &u64| acked.saturating_add(1) >= first_seq;
        if ready(&known) {
            return true;
        }
        let mut rx = self.channel(device).subscribe();
        tokio::time::timeout(max, rx.wait_for(ready))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: Uuid = Uuid::from_u128(7);

    #[tokio::test]
    async fn a_batch_after_a_gap_waits_for_the_one_before_it() {
        let turns = std::sync::Arc::new(Turns::default());
        // Nothing to wait for: the batch follows what the store says is acknowledged.
        assert!(turns.wait(D, 1000, 1001, Duration::ZERO).await);
        // After a gap: it waits until a push acknowledges through 1000.
        let waiting = {
            let turns = turns.clone();
            tokio::spawn(async move { turns.wait(D, 0, 1001, Duration::from_secs(60)).await })
        };
        tokio::task::yield_now().await;
        turns.acked(D, 400);
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        turns.acked(D, 1000);
        assert!(waiting.await.unwrap());
        // A push already committed before the request came: no wait.
        assert!(turns.wait(D, 0, 1001, Duration::ZERO).await);
        // An acknowledgement never goes back (a restored server's lower one is the store's to say).
        turns.acked(D, 10);
        assert!(turns.wait(D, 0, 1001, Duration::ZERO).await);
    }

    #[tokio::test]
    async fn the_wait_is_bounded() {
        let turns = Turns::default();
        assert!(!turns.wait(D, 0, 5001, Duration::from_millis(20)).await);
        // Another device's pushes do not count.
        turns.acked(Uuid::from_u128(8), 5000);
        assert!(!turns.wait(D, 0, 5001, Duration::from_millis(20)).await);
        turns.acked(D, 5000);
        assert!(turns.wait(D, 0, 5001, Duration::from_millis(20)).await);
    }
}
