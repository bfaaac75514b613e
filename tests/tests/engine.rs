//! The app's background engine against a real server: it syncs on demand through a proxy that cuts
//! connections, goes offline when the server dies, and syncs again by itself when the server comes back.

use std::sync::Arc;
use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::watch;
use torgkoll_app::sync::plan::Backoff;
use torgkoll_app::sync::{EngineConfig, EngineStatus, Phase, SyncEngine};
use torgkoll_e2e::audit::audit;
use torgkoll_e2e::proxy::{Proxy, ProxyConfig};
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::workload;
use torgkoll_shared::Role;

async fn until(
    rx: &mut watch::Receiver<EngineStatus>,
    f: impl Fn(&EngineStatus) -> bool,
) -> EngineStatus {
    tokio::time::timeout(Duration::from_secs(60), rx.wait_for(|s| f(s)))
        .await
        .expect("the engine gets there in time")
        .expect("the engine runs")
        .clone()
}

fn config() -> EngineConfig {
    EngineConfig {
        interval: Duration::from_secs(3600),
        backoff: Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_millis(400),
        },
        ..EngineConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_syncs_through_cuts_and_comes_back_after_the_server_does() {
    let mut rig = Rig::start(None).unwrap();
    let proxy = Proxy::start(
        rig.server.addr,
        ProxyConfig {
            faults: true,
            seed: 3,
            ..ProxyConfig::default()
        },
    )
    .await
    .unwrap();
    let phone = rig
        .phone(Role::Guard, "vakt", Some(&proxy.url()))
        .await
        .unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    for _ in 0..1_500 {
        phone
            .record(workload::report(Role::Guard, &rig.site, &mut rng))
            .unwrap();
    }
    let handle = SyncEngine::start(Arc::clone(&phone.store), config(), phone.clock.clone());
    let mut rx = handle.subscribe();
    let st = until(&mut rx, |s| s.phase == Phase::Idle && s.completed >= 1).await;
    assert_eq!(st.pending, 0);
    assert!(st.last_sync_ms.is_some() && st.last_error.is_none());

    // The server dies: the engine goes offline and keeps the new report queued.
    proxy.set_faults(false);
    rig.server.kill();
    phone
        .record(workload::report(Role::Guard, &rig.site, &mut rng))
        .unwrap();
    handle.sync_now();
    // The wake-up channel may start a sync of its own that fails at the kill, before the report is
    // made: wait for the failure that knows of it.
    let st = until(&mut rx, |s| s.phase == Phase::Offline && s.pending == 1).await;
    assert_eq!(st.pending, 1);
    assert!(
        phone
            .store
            .lock()
            .unwrap()
            .sync_status()
            .unwrap()
            .last_error
            .is_some()
    );

    // It comes back (on another port, behind the same proxy): the engine notices by itself.
    rig.server.restart().unwrap();
    proxy.set_upstream(rig.server.addr);
    let st = until(&mut rx, |s| s.phase == Phase::Idle && s.completed >= 2).await;
    assert_eq!(st.pending, 0);
    assert_eq!(st.last_error, None);
    handle.shutdown();

    let a = audit(&phone.own_ops().unwrap(), &rig.server_ops().await.unwrap());
    assert_eq!((a.on_server, a.missing, a.duplicates), (1_501, 0, 0));
}
