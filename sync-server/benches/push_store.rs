//! The server's side of one push request of 5,000 cleaning reports, as the phone sends them: decoding
//! the JSON (`decode_sync_request`) and storing it in one transaction on a fresh SQLite file
//! (`push_and_touch`: the lookups, the checks, the inserts, `report_status` and the commit with
//! `synchronous=FULL`). With a fast phone this is most of a push's time (BENCHMARKS.md,
//! "The phone's side of a push").
//!
//! Run: `cargo bench -p torgkoll-server --bench push_store`

use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use torgkoll_server::decode::decode_sync_request;
use torgkoll_server::store::Contact;
use torgkoll_server::{ServerStore, SqliteStore};
use torgkoll_shared::protocol::{PROTOCOL_VERSION, SyncRequest, WireOp};
use torgkoll_shared::test_support::{bench_note, plattan};
use torgkoll_shared::timefix::Receipt;
use torgkoll_shared::{CleaningCategory, CleaningReport, GeoPoint, Hlc, OpBody, Role};
use uuid::Uuid;

const BATCH: usize = 5_000;
const NOW: i64 = 1_764_000_000_000;

/// The body of a push of `BATCH` reports, as JSON.
fn request() -> Vec<u8> {
    let site = plattan();
    // A grid of about 1 m around a point on the Plattan, the points inside the site.
    let points: Vec<_> = (-20..20)
        .flat_map(|x| (-10..10).map(move |y| (x, y)))
        .map(|(x, y)| {
            GeoPoint::new(
                18.0641234 + f64::from(x) * 1.8e-5,
                59.3321234 + f64::from(y) * 9e-6,
            )
        })
        .filter(|p| site.locate(*p).is_ok())
        .collect();
    assert!(points.len() > 100, "points on the site");
    let ops = (0..BATCH).map(|i| {
        let wall = NOW - 3_600_000 + i as i64 * 100;
        let note = bench_note(i);
        let op = WireOp {
            id: Uuid::now_v7(),
            seq: i as u64 + 1,
            hlc: Hlc::new(wall as u64, 0),
            wall,
            body: OpBody::Clean(CleaningReport {
                category: CleaningCategory::ALL[i % 12],
                amount: None,
                note,
                at: points[(i * 31) % points.len()],
                acc: None,
            }),
        };
        serde_json::value::to_raw_value(&op).expect("encodes")
    });
    let req = SyncRequest {
        v: PROTOCOL_VERSION,
        ops: ops.collect(),
        pull_after: 0,
        pull_limit: Some(5_000),
        phone_ms: Some(NOW),
        pending: Some(0),
        app: Some("bench".into()),
    };
    serde_json::to_vec(&req).expect("encodes")
}

/// A fresh store with one enrolled cleaner.
fn enrolled(dir: &std::path::Path) -> (SqliteStore, Uuid) {
    let store = SqliteStore::open(&dir.join("server.sqlite")).expect("store");
    store
        .add_enroll_code("code", Role::Cleaner, "bench", NOW + 60_000, NOW)
        .expect("code");
    let device = Uuid::now_v7();
    store
        .redeem_enroll_code("code", device, "token", "plattan", NOW)
        .expect("redeemed")
        .expect("a device");
    (store, device)
}

fn push_store(c: &mut Criterion) {
    let json = request();
    println!(
        "push_store: {BATCH} operations, {} bytes of JSON",
        json.len()
    );
    let site = Arc::new(plattan());
    let mut g = c.benchmark_group("push_store");
    g.sample_size(20);
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("decode_5000", |b| {
        b.iter(|| decode_sync_request(&json, 10_000).expect("decodes"))
    });
    g.bench_function("push_5000", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let (store, device) = enrolled(dir.path());
                let req = decode_sync_request(&json, 10_000).expect("decodes");
                (dir, store, device, req.ops)
            },
            |(dir, store, device, ops)| {
                let contact = Contact {
                    now_ms: NOW,
                    pending: Some(0),
                    app: None,
                };
                let out = store
                    .push_and_touch(
                        device,
                        Role::Cleaner,
                        ops,
                        &site,
                        Receipt::new(NOW, Some(NOW)),
                        Some(contact),
                    )
                    .expect("stored");
                assert_eq!(out.accepted, BATCH);
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, push_store);
criterion_main!(benches);
