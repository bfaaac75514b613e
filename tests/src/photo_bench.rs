//! The photo benchmark: a week offline (5,000 operations and 200 photos on one phone) drained through
//! the proxy at 1 Mbit/s with 300 ms round trips, by the app's own code in the engine's order: the
//! operations (`sync_once`) until none is pending, then the photos (`send_photos`), then the thumbnails
//! a second phone fetches. Measures when the operations are on the server and when the photos are.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use torgkoll_app::sync::PhotoSummary;
use torgkoll_shared::{OpBody, Role};
use uuid::Uuid;

use crate::phone::Phone;
use crate::proxy::{Proxy, ProxyConfig};
use crate::rig::Rig;
use crate::{Res, photos, workload};

#[derive(Clone, Debug)]
pub struct PhotoBenchOptions {
    /// Operations made offline (reports, and "städat" on some of them).
    pub ops: usize,
    pub photos: usize,
    /// The link's speed, bits per second each way.
    pub bits_per_s: u64,
    pub latency_ms: u64,
    pub seed: u64,
}

impl Default for PhotoBenchOptions {
    fn default() -> Self {
        PhotoBenchOptions {
            ops: 5_000,
            photos: 200,
            bits_per_s: 1_000_000,
            latency_ms: 300,
            seed: 7,
        }
    }
}

/// What one run measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhotoBench {
    /// From the first request until the phone has no operation pending (all on the server).
    pub ops_secs: f64,
    pub ops_up: u64,
    pub ops_down: u64,
    pub ops_requests: u64,
    /// From then until every photo is on the server whole.
    pub photos_secs: f64,
    pub photo_bytes: u64,
    pub photos_up: u64,
    pub photos_requests: u64,
    /// Another phone fetching the thumbnails afterwards.
    pub thumbs: usize,
    pub thumbs_secs: f64,
}

/// A week of a cleaner's work. The phone was enrolled a moment ago, and the server would (rightly) correct
/// any time before its enrollment, so the week is stamped a millisecond apart from now on: the volume and
/// the shape of a week, not its calendar.
fn record_week(p: &Phone, opts: &PhotoBenchOptions, rng: &mut StdRng) -> Res<Vec<Uuid>> {
    let now = p.clock.now_ms();
    let site = torgkoll_shared::test_support::plattan();
    let mut reports = Vec::new();
    let store = p.store.clone();
    let mut s = store.lock().unwrap();
    for i in 0..opts.ops {
        let t = now + i as i64;
        let body = match reports.choose(rng) {
            Some(r) if rng.random_bool(0.2) => OpBody::Resolve { report: *r },
            _ => workload::clean(&site, rng),
        };
        let op = s.record(body, t)?;
        if matches!(op.body, OpBody::Clean(_)) {
            reports.push(op.id);
        }
    }
    Ok(reports)
}

/// One run.
pub async fn run(opts: &PhotoBenchOptions, say: &(dyn Fn(&str) + Sync)) -> Res<PhotoBench> {
    let rig = Rig::start(None)?;
    let proxy = Proxy::start(
        rig.server.addr,
        ProxyConfig {
            latency: Duration::from_millis(opts.latency_ms),
            rate: Some(opts.bits_per_s / 8),
            ..ProxyConfig::default()
        },
    )
    .await?;
    let phone = rig
        .phone(Role::Cleaner, "plock", Some(&proxy.url()))
        .await?;
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let reports = record_week(&phone, opts, &mut rng)?;
    let t = Instant::now();
    let mut photo_bytes = 0;
    for k in 0..opts.photos {
        let report = *reports
            .choose(&mut rng)
            .ok_or("no reports to attach photos to")?;
        let photo = photos::photo(opts.seed.wrapping_mul(1_000).wrapping_add(k as u64))?;
        phone.attach_photo(report, &photo)?;
        photo_bytes += u64::from(photo.reference.bytes);
    }
    say(&format!(
        "recorded {} operations and {} photos ({photo_bytes} B) in {:.1} s",
        opts.ops + opts.photos,
        opts.photos,
        t.elapsed().as_secs_f64()
    ));

    let mut b = PhotoBench {
        photo_bytes,
        ..PhotoBench::default()
    };
    proxy.reset_stats();
    let t0 = Instant::now();
    while phone.sync().await?.pending != 0 {}
    b.ops_secs = t0.elapsed().as_secs_f64();
    let st = proxy.stats();
    (b.ops_up, b.ops_down, b.ops_requests) = (st.up, st.down, st.requests);
    say(&format!(
        "operations on the server after {:.2} s",
        b.ops_secs
    ));

    let t1 = Instant::now();
    let mut sent = PhotoSummary::default();
    while phone.photos_outstanding()?.0 != 0 {
        phone.send_photos_into(&mut sent).await?;
        if sent.failed > 0 {
            return Err(format!("{} photos failed", sent.failed).into());
        }
    }
    b.photos_secs = t1.elapsed().as_secs_f64();
    let st2 = proxy.stats();
    (b.photos_up, b.photos_requests) = (st2.up - st.up, st2.requests - st.requests);

    // The platsansvarig's phone, online beside the server, pulls the week and its thumbnails.
    let manager = Arc::new(rig.phone(Role::Manager, "platsansvarig", None).await?);
    while manager.sync().await?.pulled != 0 {}
    let t2 = Instant::now();
    b.thumbs = manager.fetch_thumbnails().await?;
    b.thumbs_secs = t2.elapsed().as_secs_f64();
    Ok(b)
}
