//! The wake-up channel end to end: real server processes, the app's own sync engines with a timer set to
//! an hour, so whatever reaches another phone within the test got there through `GET /v1/events`.

use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::watch;
use torgkoll_app::sync::{EngineConfig, EngineStatus, SyncEngine, SyncHandle};
use torgkoll_e2e::phone::Phone;
use torgkoll_e2e::proxy::{Proxy, ProxyConfig};
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::workload;
use torgkoll_shared::Role;
use uuid::Uuid;

/// Far longer than any test: a sync on the timer never happens here.
fn live_only() -> EngineConfig {
    EngineConfig {
        interval: Duration::from_secs(3600),
        ..EngineConfig::default()
    }
}

fn engine(p: &Phone) -> SyncHandle {
    SyncEngine::start(p.store.clone(), live_only(), p.clock.clone())
}

async fn until(rx: &mut watch::Receiver<EngineStatus>, f: impl Fn(&EngineStatus) -> bool) {
    tokio::time::timeout(Duration::from_secs(60), rx.wait_for(|s| f(s)))
        .await
        .expect("the engine gets there in time")
        .expect("the engine runs");
}

/// Waits until `phone` holds report `id` (the engine applied it), for at most a minute.
async fn arrives(phone: &Phone, id: Uuid) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while phone
        .store
        .lock()
        .unwrap()
        .report_state(id)
        .unwrap()
        .is_none()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} never got {id}",
            phone.name
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_reaches_the_online_phones_that_may_see_it_without_the_timer() {
    let rig = Rig::start(None).unwrap();
    let guard = rig.phone(Role::Guard, "vakt-1", None).await.unwrap();
    let other = rig.phone(Role::Guard, "vakt-2", None).await.unwrap();
    let cleaner = rig.phone(Role::Cleaner, "stad-1", None).await.unwrap();
    let (eg, eo, ec) = (engine(&guard), engine(&other), engine(&cleaner));
    for e in [&eg, &eo, &ec] {
        until(&mut e.subscribe(), |s| s.live && s.completed > 0).await;
    }
    let mut rng = StdRng::seed_from_u64(5);
    let d = guard
        .record(workload::disturbance(&rig.site, &mut rng))
        .unwrap();
    eg.sync_now();
    arrives(&other, d.id).await;
    let c = guard.record(workload::clean(&rig.site, &mut rng)).unwrap();
    eg.sync_now();
    arrives(&cleaner, c.id).await;
    arrives(&other, c.id).await;
    assert!(
        cleaner
            .store
            .lock()
            .unwrap()
            .report_state(d.id)
            .unwrap()
            .is_none(),
        "a cleaner never gets a disturbance"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_channel_comes_back_after_a_cut_and_after_the_server_restarts() {
    let mut rig = Rig::start(None).unwrap();
    let proxy = Proxy::start(rig.server.addr, ProxyConfig::default())
        .await
        .unwrap();
    let guard = rig
        .phone(Role::Guard, "vakt-1", Some(&proxy.url()))
        .await
        .unwrap();
    let manager = rig
        .phone(Role::Manager, "chef", Some(&proxy.url()))
        .await
        .unwrap();
    let (eg, em) = (engine(&guard), engine(&manager));
    let mut rx = em.subscribe();
    until(&mut rx, |s| s.live && s.completed > 0).await;
    until(&mut eg.subscribe(), |s| s.live).await;
    let mut rng = StdRng::seed_from_u64(6);

    // Every connection is cut, and new ones too (at their first byte) while the guard reports: the
    // manager's channel is down when the report reaches the server.
    proxy.set_cut_after(Some(1));
    proxy.cut_all();
    until(&mut rx, |s| !s.live).await;
    let d = guard
        .record(workload::disturbance(&rig.site, &mut rng))
        .unwrap();
    proxy.set_cut_after(None);
    eg.sync_now();
    // The manager's phone reconnects by itself, learns the server's position and catches up.
    arrives(&manager, d.id).await;
    until(&mut rx, |s| s.live).await;

    // The server is killed and comes back; so does the channel (the timer would take an hour).
    rig.server.restart().unwrap();
    proxy.set_upstream(rig.server.addr);
    let d2 = guard
        .record(workload::disturbance(&rig.site, &mut rng))
        .unwrap();
    eg.sync_now();
    arrives(&manager, d2.id).await;
}
