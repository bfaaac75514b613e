//! The fleet's push probe (`--push-probe`): while the crowd makes its first syncs, one more phone records a
//! report every 200 ms and pushes it in a round of its own that pulls at most one operation, timed from
//! the request to its answer applied (waits on a 503 `busy` and retries included: that is what its user
//! waits). Its operations count among those made, so the audit and the other phones' states include them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;
use torgkoll_app::sync::plan::Backoff;
use torgkoll_shared::Site;

use crate::phone::Phone;
use crate::{Res, workload};

/// The pushes' times, and how many of their tries were shed or failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProbeResult {
    pub millis: Vec<f64>,
    pub retries: usize,
}

impl ProbeResult {
    /// The `q` quantile (0..=1) of the times, nearest rank.
    pub fn quantile(&self, q: f64) -> f64 {
        let mut v = self.millis.clone();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            return 0.0;
        }
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    }

    pub fn line(&self) -> String {
        format!(
            "push probe: {} pushes, p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms, {} retries",
            self.millis.len(),
            self.quantile(0.5),
            self.quantile(0.99),
            self.quantile(1.0),
            self.retries
        )
    }
}

/// Pushes one report at a time from `phone` until `stop` is set.
pub async fn run(
    phone: Arc<Phone>,
    site: Arc<Site>,
    stop: Arc<AtomicBool>,
    seed: u64,
) -> Res<ProbeResult> {
    let mut rng = StdRng::seed_from_u64(seed);
    let backoff = Backoff {
        base: Duration::from_millis(50),
        cap: Duration::from_secs(1),
    };
    let mut out = ProbeResult::default();
    while !stop.load(Ordering::SeqCst) {
        phone.record(workload::report(phone.role, &site, &mut rng))?;
        let t = Instant::now();
        let mut attempt = 0;
        loop {
            match phone.push_round().await {
                Ok(()) => break,
                Err(e) if e.is_retryable() && attempt < 100 => {
                    out.retries += 1;
                    tokio::time::sleep(e.wait_before_retry(backoff.delay(attempt, rand::random())))
                        .await;
                    attempt += 1;
                }
                Err(e) => return Err(e.into()),
            }
        }
        out.millis.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(out)
}
