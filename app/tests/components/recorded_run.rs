//! End to end, headless: a skurmaskin run recorded from a replayed track (3 m of GPS noise) by the app's
//! own recorder, synced in chunks to a real server on the loopback while it goes on, and the server's
//! lägesbild showing the coverage the machine really drove. The phone and the server share the test's
//! clock, moved one second per step.

use std::sync::{Arc, Mutex};

use torgkoll_app::demo_track::{LanesSpec, lanes};
use torgkoll_app::platform::replay::Replay;
use torgkoll_app::platform::{Clock, PositionSource};
use torgkoll_app::recorder::Recorder;
use torgkoll_app::store::{Identity, Store};
use torgkoll_app::sync::{SyncClient, SyncOptions, enroll, sync_once};
use torgkoll_shared::analytics::Lagesbild;
use torgkoll_shared::analytics::coverage::zone_coverage;
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{MachineKind, OpBody, Role, Run, TrackPoint};

#[test]
fn a_replayed_run_syncs_in_chunks_and_the_lagesbild_shows_what_it_drove() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = crate::harness::test_clock();
    let (url, codes) = crate::harness::server_with_codes(
        dir.path(),
        clock.clone(),
        &[(Role::Cleaner, "Anna"), (Role::Manager, "Chef")],
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let site = Arc::new(plattan());
    let cleaner = rt.block_on(enroll(&url, &codes[0])).expect("enroll");
    let manager = rt.block_on(enroll(&url, &codes[1])).expect("enroll");
    let mut store = Store::open(&dir.path().join("phone.sqlite"), site.clone()).expect("store");
    store
        .set_identity(Identity {
            device: cleaner.device,
            token: cleaner.token.clone(),
            role: cleaner.role,
            name: cleaner.name.clone(),
            server: url.clone(),
        })
        .expect("identity");
    let store = Arc::new(Mutex::new(store));
    let client = SyncClient::new(&url, &cleaner.token);
    let sync = || {
        rt.block_on(sync_once(&client, &store, SyncOptions::default(), &*clock))
            .expect("sync")
    };

    // Half of Plattan södra, lane by lane at the scrubber's width.
    let spec = LanesSpec {
        zone: "Z4".into(),
        band: (0.0, 0.5),
        spacing_m: MachineKind::Skurmaskin.cleaning_width_m(),
        speed_mps: 1.0,
        noise_m: 3.0,
        outliers: 0.01,
        seed: 3,
    };
    let made = lanes(&site, &spec).expect("a track");
    let replay = Replay::new(made.track.clone(), 1.0, clock.clone());
    let started = clock.now_ms();
    let run = store
        .lock()
        .unwrap()
        .record(
            OpBody::RunStart {
                kind: MachineKind::Skurmaskin,
                machine: "Skurmaskin 1".into(),
                started,
            },
            started,
        )
        .expect("start")
        .id;
    replay.start();
    let active = store
        .lock()
        .unwrap()
        .active_run()
        .unwrap()
        .expect("running");
    let mut rec = Recorder::resume(&store.lock().unwrap(), &active).expect("recorder");

    let secs = made.track.duration_ms() / 1_000 + 2;
    let (mut pushed_while_running, mut syncs_while_running) = (0, 0);
    for s in 1..=secs {
        clock.advance(1_000);
        let fixes = replay.since(rec.last_offered_ms());
        rec.tick(&mut store.lock().unwrap(), &fixes, clock.now_ms())
            .expect("tick");
        if s % 60 == 0 {
            let summary = sync();
            pushed_while_running += summary.pushed;
            syncs_while_running += 1;
        }
    }
    assert!(secs > 300, "a run of some minutes ({secs} s)");
    assert!(
        pushed_while_running >= syncs_while_running - 1,
        "chunks went out while the run went on: {pushed_while_running} in {syncs_while_running} syncs"
    );
    {
        let mut s = store.lock().unwrap();
        rec.flush(&mut s, clock.now_ms()).expect("flush");
        let stopped = clock.now_ms();
        s.record(OpBody::RunStop { run, stopped }, stopped)
            .expect("stop");
    }
    sync();
    assert_eq!(store.lock().unwrap().pending_count().unwrap(), 0);

    // What the manager's lägesbild says about Plattan södra, against what the machine drove.
    let today = local_date(clock.now_ms());
    let text = rt
        .block_on(async {
            reqwest::Client::new()
                .get(format!("{url}/v1/lagesbild?date={today}&format=json"))
                .bearer_auth(&manager.token)
                .send()
                .await?
                .error_for_status()?
                .text()
                .await
        })
        .expect("the lägesbild");
    let lagesbild: Lagesbild = serde_json::from_str(&text).expect("json");
    let z4 = |c: &[torgkoll_shared::analytics::coverage::ZoneCoverage]| {
        c.iter().find(|z| z.zone_id == "Z4").expect("Z4").share
    };
    let served = z4(&lagesbild.coverage);
    let mut truth_run = Run::new(run);
    truth_run.kind = Some(MachineKind::Skurmaskin);
    truth_run.started_ms = Some(started);
    truth_run.chunks.insert(
        run,
        made.truth
            .iter()
            .zip(&made.track.vertices)
            .map(|(at, v)| TrackPoint {
                at: *at,
                t: started + v.t_ms,
                acc: None,
            })
            .collect(),
    );
    let truth = z4(&zone_coverage(
        &site,
        &[&truth_run],
        &lagesbild.period,
        clock.now_ms(),
        24.0,
    ));
    eprintln!("Z4 covered: lägesbild {served:.3}, driven {truth:.3}");
    assert!(truth > 0.35, "the band is about half the zone: {truth}");
    assert!(
        (served - truth).abs() <= 0.10,
        "the lägesbild shows {served:.2} of Z4 covered; the machine drove {truth:.2}"
    );
    let others: f64 = lagesbild
        .coverage
        .iter()
        .filter(|z| z.zone_id != "Z4")
        .map(|z| z.share)
        .sum();
    assert!(others < 0.05, "outliers paint other zones: {others:.3}");
}
