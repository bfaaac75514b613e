//! The fleet against a running server (`--server URL --server-db PATH`) that is killed with SIGKILL and
//! restarted on the same port while the phones sync: it keeps retrying and converges, nothing lost.

use std::time::Duration;

use torgkoll_e2e::fleet::{FleetOptions, run};
use torgkoll_e2e::rig::Rig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_rides_out_server_restarts() {
    let mut rig = Rig::start(None).unwrap();
    let opts = FleetOptions {
        devices: 3,
        reports: 1_500,
        status_changes: 50,
        server: Some(rig.server.url()),
        server_db: Some(rig.server.db.clone()),
        seed: 23,
        timeout: Duration::from_secs(90),
        ..FleetOptions::default()
    };
    let fleet = tokio::spawn(async move { run(&opts, &|s| eprintln!("{s}")).await });
    let mut restarts = 0;
    for wait_ms in [300, 150, 150, 150, 150, 150, 150, 150] {
        tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        if fleet.is_finished() {
            break;
        }
        let addr = rig.server.addr;
        rig.server.restart().unwrap();
        assert_eq!(rig.server.addr, addr, "restarted on the same port");
        restarts += 1;
    }
    let r = fleet.await.unwrap().unwrap();
    eprintln!("{r} after {restarts} restarts");
    assert!(restarts > 0);
    assert!(r.ok(), "{r}");
    assert_eq!(r.audit.on_server, r.audit.made);
}
