//! The fleet through the fault proxy (cuts after random byte counts, delays, replayed requests) still
//! converges with nothing missing and nothing duplicated.

use std::time::Duration;

use torgkoll_e2e::fleet::{FleetOptions, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_through_the_fault_proxy_converges() {
    let opts = FleetOptions {
        devices: 4,
        reports: 400,
        status_changes: 60,
        faults: true,
        seed: 17,
        timeout: Duration::from_secs(90),
        ..FleetOptions::default()
    };
    let r = run(&opts, &|s| eprintln!("{s}")).await.unwrap();
    eprintln!("{r}");
    assert!(r.ok(), "{r}");
    assert!(r.audit.made >= 4 * 400 + 4 * 60 - 60);
    assert_eq!(r.audit.on_server, r.audit.made);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_pages_at_page_boundaries_converge() {
    // A page of 50: the pulls cross many page boundaries, with exact multiples among them.
    let opts = FleetOptions {
        devices: 3,
        reports: 100,
        status_changes: 0,
        faults: false,
        page_size: Some(50),
        seed: 5,
        timeout: Duration::from_secs(60),
        ..FleetOptions::default()
    };
    let r = run(&opts, &|s| eprintln!("{s}")).await.unwrap();
    assert!(r.ok(), "{r}");
}
