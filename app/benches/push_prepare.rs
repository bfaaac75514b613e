//! Preparing a push on the phone: reading a batch of 5,000 operations from the outbox as they go on the
//! wire (`Store::outbox_wire`) and encoding the request (`encode_outbox`: JSON, then gzip). While one
//! batch is in flight the next is prepared, so with a fast server this is what the push waits for
//! (BENCHMARKS.md, "The phone's side of a push"). Also: the request's JSON at three gzip levels, and
//! applying the answer that acknowledges the batch.
//!
//! Run: `cargo bench -p torgkoll-app --bench push_prepare`

use std::io::{Read, Write};
use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use geo::BoundingRect;
use torgkoll_app::store::{DB_FILE, Durability, Store};
use torgkoll_app::sync::encode_outbox;
use torgkoll_shared::protocol::{PROTOCOL_VERSION, SyncResponse};
use torgkoll_shared::test_support::{bench_note, plattan};
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody};

mod support;

const BATCH: usize = 5_000;

fn push_prepare(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = Arc::new(plattan());
    let mut store = support::cleaners_store(dir.path(), site.clone(), Durability::Normal);
    // Points on a 1 m grid over the first zone, those inside the site.
    let rect = site.zones[0]
        .polygon
        .bounding_rect()
        .expect("a zone has an extent");
    let points: Vec<_> = (0..rect.width() as usize)
        .flat_map(|x| (0..rect.height() as usize).map(move |y| (x, y)))
        .map(|(x, y)| geo::Coord {
            x: rect.min().x + x as f64,
            y: rect.min().y + y as f64,
        })
        .map(|c| site.frame.from_local(c).rounded())
        .filter(|p| site.locate(*p).is_ok())
        .collect();
    assert!(
        !points.is_empty(),
        "the first zone has points inside the site"
    );
    let mut now = 1_764_000_000_000i64;
    for i in 0..BATCH {
        now += 1_000;
        let at = points[(i * 31) % points.len()];
        let note = bench_note(i);
        let body = OpBody::Clean(CleaningReport {
            category: CleaningCategory::ALL[i % 12],
            amount: None,
            note,
            at,
            acc: None,
        });
        store.record(body, now).expect("recorded");
    }
    let ops = store.outbox_wire(0, BATCH).expect("outbox");
    assert_eq!(ops.len(), BATCH);
    let body = encode_outbox(&ops, 0, Some(5_000), Some(now), Some(0)).expect("encoded");
    println!(
        "push_prepare: {BATCH} operations, request body {} bytes",
        body.len()
    );
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut json)
        .expect("inflates");

    let mut g = c.benchmark_group("push_prepare");
    g.sample_size(20);
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("outbox_wire_5000", |b| {
        b.iter(|| store.outbox_wire(0, BATCH).expect("outbox"))
    });
    g.bench_function("encode_outbox_5000", |b| {
        b.iter(|| encode_outbox(&ops, 0, Some(5_000), Some(now), Some(0)).expect("encoded"))
    });
    // The request's JSON alone at the gzip levels around the app's (`GZIP_LEVEL`).
    for level in [1u32, 4, 6] {
        let gzip = || {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
            e.write_all(&json).expect("compresses");
            e.finish().expect("compresses")
        };
        println!(
            "gzip level {level}: {} of {} bytes",
            gzip().len(),
            json.len()
        );
        g.bench_function(format!("gzip_level_{level}"), |b| b.iter(gzip));
    }
    // The answer acknowledging the batch, applied to a fresh copy of the phone's file each time.
    drop(store);
    let ack = SyncResponse {
        v: PROTOCOL_VERSION,
        acked_through: BATCH as u64,
        rejected: Vec::new(),
        fixed: Vec::new(),
        ops: Vec::new(),
        pull_pos: 0,
        more: false,
        photos_wanted: Vec::new(),
        server_ms: now,
    };
    let copies = tempfile::tempdir().expect("temp dir");
    let mut n = 0;
    g.bench_function("apply_ack_5000", |b| {
        b.iter_batched(
            || {
                n += 1;
                let copy = copies.path().join(format!("{n}.sqlite"));
                std::fs::copy(dir.path().join(DB_FILE), &copy).expect("copy");
                Store::open_with(&copy, site.clone(), Durability::Normal).expect("store")
            },
            |mut s| {
                let out = s.apply_sync(&ack, now, now).expect("applied");
                assert_eq!(out.acked, BATCH as u64);
                s
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, push_prepare);
criterion_main!(benches);
