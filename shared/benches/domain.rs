//! Domain benchmarks: folding 100,000 operations into state, and zone lookup of 1,000,000 points.
//!
//! Run: `cargo bench -p torgkoll-shared --bench domain`

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use geo::Coord;
use std::hint::black_box;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, GeoPoint, Hlc, OpBody, Operation, Role, State,
};
use uuid::Uuid;

/// A small deterministic generator (SplitMix64), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 100,000 operations of a busy site: 70 % new cleaning reports, the rest status changes on earlier ones,
/// from 5 devices, shuffled.
fn operations(n: usize) -> Vec<Operation> {
    let site = plattan();
    let (x0, y0, x1, y1) = site.view_bounds();
    let mut rng = Rng(42);
    let devices: Vec<Uuid> = (0..5).map(|i| Uuid::from_u128(0xD0 + i)).collect();
    let mut reports = Vec::new();
    let mut ops = Vec::with_capacity(n);
    for i in 0..n {
        let device = devices[(rng.next() % 5) as usize];
        let id = Uuid::from_u64_pair(rng.next(), i as u64);
        let body = if reports.is_empty() || rng.unit() < 0.7 {
            let at = loop {
                let v = Coord {
                    x: x0 + rng.unit() * (x1 - x0),
                    y: y0 + rng.unit() * (y1 - y0),
                };
                let p = site.frame.from_view(v);
                if site.locate(p).is_ok() {
                    break p.rounded();
                }
            };
            reports.push(id);
            let category = CleaningCategory::ALL[(rng.next() % 12) as usize];
            OpBody::Clean(CleaningReport {
                category,
                amount: None,
                note: None,
                at,
                acc: None,
            })
        } else {
            let report = reports[(rng.next() as usize) % reports.len()];
            match rng.next() % 3 {
                0 => OpBody::Resolve { report },
                1 => OpBody::StillThere { report },
                _ => OpBody::Review { report },
            }
        };
        let hlc = Hlc::new(1_764_000_000_000 + i as u64 * 100, 0);
        ops.push(Operation {
            id,
            device,
            seq: i as u64 + 1,
            hlc,
            wall_ms: 0,
            role: Role::Manager,
            body,
            fix: None,
        });
    }
    for i in (1..ops.len()).rev() {
        ops.swap(i, (rng.next() as usize) % (i + 1));
    }
    ops
}

fn fold(c: &mut Criterion) {
    let ops = operations(100_000);
    let mut g = c.benchmark_group("fold");
    g.sample_size(20);
    g.bench_function("fold_100k_ops", |b| {
        b.iter(|| black_box(State::fold(black_box(&ops))))
    });
    g.finish();
}

fn zone_lookup(c: &mut Criterion) {
    let site = plattan();
    let (x0, y0, x1, y1) = site.view_bounds();
    let mut rng = Rng(7);
    // Points over the site's bounding box: most on the site, some off it.
    let points: Vec<GeoPoint> = (0..1_000_000)
        .map(|_| {
            site.frame.from_view(Coord {
                x: x0 + rng.unit() * (x1 - x0),
                y: y0 + rng.unit() * (y1 - y0),
            })
        })
        .collect();
    let mut g = c.benchmark_group("zone_lookup");
    g.sample_size(10);
    g.bench_function("locate_1m_points", |b| {
        b.iter_batched(
            || (),
            |_| {
                let mut on_site = 0usize;
                for p in &points {
                    if site.locate(*p).is_ok() {
                        on_site += 1;
                    }
                }
                black_box(on_site)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, fold, zone_lookup);
criterion_main!(benches);
