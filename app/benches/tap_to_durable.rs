//! Tap to durable: one quick cleaning report recorded on a file-backed WAL database, from the call to the
//! committed transaction, with the phone's default durability (`synchronous=NORMAL`: survives the app being
//! killed) and with `synchronous=FULL` (also survives power loss). Prints p50 and p99 over the measured
//! taps besides criterion's own statistics.
//!
//! Run: `cargo bench -p torgkoll-app --bench tap_to_durable`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use torgkoll_app::store::Durability;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody};

mod support;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn tap_to_durable(c: &mut Criterion) {
    for (name, durability) in [
        ("tap_to_durable", Durability::Normal),
        ("tap_to_durable_full_sync", Durability::Full),
    ] {
        bench_one(c, name, durability);
    }
}

fn bench_one(c: &mut Criterion, name: &str, durability: Durability) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = Arc::new(plattan());
    let at = site
        .frame
        .from_local(geo::Coord { x: 0.0, y: 0.0 })
        .rounded();
    let mut store = support::cleaners_store(dir.path(), site, durability);
    let samples = Mutex::new(Vec::new());
    let mut now = 1_764_000_000_000i64;
    let mut g = c.benchmark_group("store");
    g.sample_size(50);
    g.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                now += 1_000;
                let body = OpBody::Clean(CleaningReport {
                    category: CleaningCategory::ALL[(i % 12) as usize],
                    amount: None,
                    note: None,
                    at,
                    acc: None,
                });
                let t = Instant::now();
                store.record(body, now).expect("recorded");
                let d = t.elapsed();
                samples.lock().expect("samples").push(d);
                total += d;
            }
            total
        })
    });
    g.finish();
    let mut s = samples.into_inner().expect("samples");
    if s.is_empty() {
        return; // filtered out: `cargo bench -p torgkoll-app -- <another bench>`
    }
    s.sort();
    println!(
        "{name}: n={} p50={:.3} ms p99={:.3} ms max={:.3} ms",
        s.len(),
        percentile(&s, 0.50).as_secs_f64() * 1e3,
        percentile(&s, 0.99).as_secs_f64() * 1e3,
        s.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

criterion_group!(benches, tap_to_durable);
criterion_main!(benches);
