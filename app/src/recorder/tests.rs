//! The recorder against a real store file: kills, chunks, the idle question, fixes off the site.

use std::sync::Arc;

use geo::Coord;
use torgkoll_shared::OpBody;
use torgkoll_shared::test_support::plattan;

use super::*;
use crate::store::Identity;

const T0: i64 = 1_764_000_000_000;

fn phone(path: &std::path::Path) -> Store {
    let mut s = Store::open(path, Arc::new(plattan())).unwrap();
    if s.identity().is_none() {
        s.set_identity(Identity {
            device: Uuid::now_v7(),
            token: "t".into(),
            role: torgkoll_shared::Role::Cleaner,
            name: "test".into(),
            server: String::new(),
        })
        .unwrap();
    }
    s
}

/// A machine walking east along the middle of Plattan norra at 1 m/s, one fix a second, 3 m accuracy.
fn walk(site: &torgkoll_shared::Site, from_s: i64, to_s: i64) -> Vec<Fix> {
    let z = site.zone("Z3").unwrap();
    let c = geo::Centroid::centroid(&z.polygon).unwrap();
    (from_s..to_s)
        .map(|s| Fix {
            at: site.frame.from_local(Coord {
                x: c.x() - 20.0 + s as f64,
                y: c.y(),
            }),
            accuracy_m: 3.0,
            t: T0 + s * 1_000,
        })
        .collect()
}

fn start(store: &mut Store) -> Run {
    store
        .record(
            OpBody::RunStart {
                kind: MachineKind::Skurmaskin,
                machine: "Skurmaskin 1".into(),
                started: T0,
            },
            T0,
        )
        .unwrap();
    store.active_run().unwrap().unwrap()
}

fn sent_points(store: &Store) -> Vec<i64> {
    let mut ts: Vec<i64> = store
        .active_run()
        .unwrap()
        .map(|r| r.path().iter().map(|p| p.t).collect())
        .unwrap_or_default();
    ts.sort_unstable();
    ts
}

#[test]
fn a_killed_run_resumes_and_loses_and_repeats_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("phone.sqlite");
    let site = plattan();
    let fixes = walk(&site, 0, 40);
    let first = {
        let mut store = phone(&path);
        let run = start(&mut store);
        let mut rec = Recorder::resume(&store, &run).unwrap();
        // 25 s of fixes: buffered, not yet due, then the app is killed.
        let t = rec.tick(&mut store, &fixes[..25], T0 + 25_000).unwrap();
        assert!(!t.flushed && t.kept > 5, "{t:?}");
        assert_eq!(store.buffered_points(run.id).unwrap().len(), t.kept);
        run.id
    };
    let mut store = phone(&path);
    let run = store
        .active_run()
        .unwrap()
        .expect("still running after the kill");
    assert_eq!(run.id, first);
    let mut rec = Recorder::resume(&store, &run).unwrap();
    let before = rec.buffered();
    assert!(before > 5);
    assert_eq!(rec.last_offered_ms(), T0 + 24_000);
    // The source hands everything it still has: what came before the kill is not taken twice.
    let t = rec.tick(&mut store, &fixes, T0 + 40_000).unwrap();
    assert!(t.flushed, "the oldest point is 30 s old: {t:?}");
    assert_eq!(t.offered, 15);
    let sent = sent_points(&store);
    assert_eq!(sent.len(), before + t.kept);
    assert!(sent.windows(2).all(|w| w[1] - w[0] >= MIN_INTERVAL_MS));
    assert!(store.buffered_points(run.id).unwrap().is_empty());
}

#[test]
fn chunks_go_every_fifty_points_or_thirty_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = phone(&dir.path().join("phone.sqlite"));
    let site = plattan();
    let run = start(&mut store);
    let mut rec = Recorder::resume(&store, &run).unwrap();
    // Fast fixes (a replay at 20x stamps them a second apart), all handed in at once.
    let fixes = walk(&site, 0, 120);
    let mut chunks = 0;
    for f in fixes.chunks(10) {
        let now = f.last().unwrap().t;
        if rec.tick(&mut store, f, now).unwrap().flushed {
            chunks += 1;
            assert!(rec.buffered() == 0);
        }
        assert!(rec.buffered() < CHUNK_POINTS);
    }
    assert!(chunks >= 3, "{chunks} chunks");
    let ops = store.all_ops().unwrap();
    for o in ops {
        if let OpBody::RunPoints { points, .. } = o.body {
            assert!(points.len() <= CHUNK_POINTS);
            let span = points.last().unwrap().t - points[0].t;
            assert!(span < CHUNK_EVERY_MS + 10_000, "{span} ms in one chunk");
        }
    }
}

#[test]
fn after_ten_still_minutes_it_asks_and_still_running_waits_ten_more() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = phone(&dir.path().join("phone.sqlite"));
    let site = plattan();
    let run = start(&mut store);
    let mut rec = Recorder::resume(&store, &run).unwrap();
    rec.tick(&mut store, &walk(&site, 0, 30), T0 + 30_000)
        .unwrap();
    // Parked at the last spot: the same fix every second for 12 minutes.
    let last = walk(&site, 29, 30)[0];
    let parked: Vec<Fix> = (31..31 + 720)
        .map(|s| Fix {
            t: T0 + s * 1_000,
            ..last
        })
        .collect();
    let mut asked_at = None;
    for f in parked.chunks(60) {
        let now = f.last().unwrap().t;
        let t = rec.tick(&mut store, f, now).unwrap();
        assert_eq!(t.kept, 0, "a parked machine adds nothing");
        if asked_at.is_none() && rec.idle(now) {
            asked_at = Some(now);
        }
    }
    let asked = asked_at.expect("it asks");
    assert!((asked - (T0 + 29_000) - IDLE_ASK_MS).abs() <= 60_000);
    rec.snooze(asked);
    assert!(!rec.idle(asked + IDLE_ASK_MS - 1));
    assert!(rec.idle(asked + IDLE_ASK_MS));
}

#[test]
fn a_fix_far_off_the_site_is_never_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = phone(&dir.path().join("phone.sqlite"));
    let site = plattan();
    let run = start(&mut store);
    let mut rec = Recorder::resume(&store, &run).unwrap();
    let mut fixes = walk(&site, 0, 10);
    fixes[5].at = east_of(&site, fixes[5].at, 500.0);
    let t = rec.tick(&mut store, &fixes, T0 + 10_000).unwrap();
    rec.flush(&mut store, T0 + 10_000).unwrap();
    assert!(t.kept >= 3);
    assert_eq!(store.pending_count().unwrap(), 2, "the start and one chunk");
}

fn east_of(
    site: &torgkoll_shared::Site,
    p: torgkoll_shared::GeoPoint,
    m: f64,
) -> torgkoll_shared::GeoPoint {
    let c = site.frame.to_local(p);
    site.frame.from_local(Coord { x: c.x + m, y: c.y })
}

#[test]
fn points_from_before_a_long_time_off_do_not_hold_back_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = phone(&dir.path().join("phone.sqlite"));
    let site = plattan();
    let run = start(&mut store);
    let fixes = walk(&site, 0, 3);
    for f in &fixes {
        let p = TrackPoint {
            at: f.at,
            t: f.t,
            acc: Some(3.0),
        };
        store.buffer_point(run.id, p).unwrap();
    }
    // The phone was off for two days; the recorder resumes and flushes.
    let later = T0 + 2 * 86_400_000;
    let fresh = TrackPoint {
        at: fixes[2].at,
        t: later,
        acc: Some(3.0),
    };
    store.buffer_point(run.id, fresh).unwrap();
    let op = store.flush_track(run.id, later).unwrap().expect("a chunk");
    match op.body {
        OpBody::RunPoints { points, .. } => assert_eq!(
            points,
            vec![TrackPoint {
                at: fresh.at.rounded(),
                ..fresh
            }]
        ),
        other => panic!("{other:?}"),
    }
    assert!(store.buffered_points(run.id).unwrap().is_empty());
}
