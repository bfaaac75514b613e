//! The fleet's live phase (`torgkoll-fleet --live SECONDS`): every phone online with the app's own sync
//! engine running (timer, wake-up channel, reconnects), people making reports at random moments, and for
//! each report the time from its commit on the author's phone to its being applied on every other phone
//! whose role may see it.
//!
//! "Applied" is observed through each engine's status: a sync that applied an operation publishes a new
//! status after the transaction, and a watcher then looks for the report in that phone's store. A report
//! is registered under the same lock as its commit, so no watcher can miss it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use torgkoll_app::sync::{EngineConfig, SyncEngine, SyncHandle};
use torgkoll_shared::access::may_see;
use torgkoll_shared::{Domain, OpBody, Site};
use uuid::Uuid;

use crate::fleet::FleetOptions;
use crate::phone::Phone;
use crate::proxy::Proxy;
use crate::{Res, workload};

/// What the live phase measured.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveResult {
    pub events: usize,
    /// Reports applied on phones allowed to see them.
    pub deliveries: usize,
    /// Deliveries expected but not seen by the end of the grace period.
    pub missed: usize,
    pub p50_ms: u64,
    pub p95_ms: u64,
    pub max_ms: u64,
}

impl LiveResult {
    /// The line `torgkoll-fleet` prints before its summary.
    pub fn line(&self) -> String {
        format!(
            "live: events={} deliveries={} p50_ms={} p95_ms={} max_ms={} missed={}",
            self.events, self.deliveries, self.p50_ms, self.p95_ms, self.max_ms, self.missed
        )
    }
}

struct Event {
    id: Uuid,
    author: usize,
    domain: Domain,
    t0: Instant,
    seen_by: HashSet<usize>,
}

#[derive(Default)]
struct Registry {
    events: Vec<Event>,
    latencies: Vec<u64>,
}

/// How long after the last report the phase waits for its deliveries.
const GRACE: Duration = Duration::from_secs(20);

/// Runs the live phase for `opts.live` seconds with the phones' engines, then stops the engines. With
/// `cut_every`, every connection through the proxy (wake-up channels too) is cut that often.
pub async fn phase(
    phones: &[Arc<Phone>],
    site: &Site,
    proxy: &Proxy,
    cut_every: Option<Duration>,
    opts: &FleetOptions,
    say: &(dyn Fn(&str) + Sync),
) -> Res<LiveResult> {
    let (secs, seed) = (opts.live, opts.seed);
    let engines: Vec<SyncHandle> = phones
        .iter()
        .map(|p| SyncEngine::start(p.store.clone(), EngineConfig::default(), p.clock.clone()))
        .collect();
    // Every channel open and a first sync done.
    let ready_by = Instant::now() + Duration::from_secs(60);
    for (e, p) in engines.iter().zip(phones) {
        let mut rx = e.subscribe();
        while !(rx.borrow().live && rx.borrow().completed > 0) {
            if Instant::now() > ready_by {
                return Err(format!("{}: the wake-up channel did not open", p.name).into());
            }
            let _ = tokio::time::timeout(Duration::from_millis(200), rx.changed()).await;
        }
    }
    say(&format!("live: {} engines online", engines.len()));

    let reg = Arc::new(Mutex::new(Registry::default()));
    let mut watchers = Vec::new();
    for (j, (e, p)) in engines.iter().zip(phones).enumerate() {
        let (mut rx, reg, phone) = (e.subscribe(), reg.clone(), p.clone());
        watchers.push(tokio::spawn(async move {
            while rx.changed().await.is_ok() {
                let now = Instant::now();
                let mut r = reg.lock().unwrap();
                let Registry { events, latencies } = &mut *r;
                let store = phone.store.lock().unwrap();
                for ev in events.iter_mut().filter(|ev| {
                    ev.author != j && may_see(phone.role, ev.domain) && !ev.seen_by.contains(&j)
                }) {
                    if store.report_state(ev.id).ok().flatten().is_some() {
                        ev.seen_by.insert(j);
                        latencies.push(now.duration_since(ev.t0).as_millis() as u64);
                    }
                }
            }
        }));
    }

    // People report at random moments: about one report every two seconds across the fleet.
    let mut rng = StdRng::seed_from_u64(seed);
    let end = Instant::now() + Duration::from_secs(secs);
    let mut next_cut = cut_every.map(|d| Instant::now() + d);
    while Instant::now() < end {
        if let Some(at) = next_cut.filter(|at| Instant::now() >= *at) {
            proxy.cut_all();
            next_cut = cut_every.map(|d| at + d);
        }
        let gap = Duration::from_millis(rng.random_range(200..3_800));
        tokio::time::sleep(gap).await;
        let a = rng.random_range(0..phones.len());
        let body = workload::report(phones[a].role, site, &mut rng);
        let domain = match body {
            OpBody::Disturbance(_) => Domain::Disturbance,
            _ => Domain::Cleaning,
        };
        {
            let mut r = reg.lock().unwrap();
            let op = phones[a].record(body)?;
            let t0 = Instant::now();
            r.events.push(Event {
                id: op.id,
                author: a,
                domain,
                t0,
                seen_by: HashSet::new(),
            });
        }
        // What the app does after every saved report.
        engines[a].sync_now();
    }

    // Wait for the last deliveries.
    let expected = |r: &Registry| -> usize {
        r.events
            .iter()
            .map(|ev| {
                (0..phones.len())
                    .filter(|&j| j != ev.author && may_see(phones[j].role, ev.domain))
                    .count()
            })
            .sum()
    };
    let grace_end = Instant::now() + GRACE;
    loop {
        let (want, have) = {
            let r = reg.lock().unwrap();
            (expected(&r), r.latencies.len())
        };
        if have >= want || Instant::now() > grace_end {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for e in engines {
        e.shutdown();
    }
    for w in watchers {
        let _ = w.await;
    }
    let r = reg.lock().unwrap();
    let mut l = r.latencies.clone();
    l.sort_unstable();
    let pct = |p: f64| -> u64 {
        if l.is_empty() {
            return 0;
        }
        let i = ((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1;
        l[i]
    };
    Ok(LiveResult {
        events: r.events.len(),
        deliveries: l.len(),
        missed: expected(&r).saturating_sub(l.len()),
        p50_ms: pct(0.50),
        p95_ms: pct(0.95),
        max_ms: l.last().copied().unwrap_or(0),
    })
}
