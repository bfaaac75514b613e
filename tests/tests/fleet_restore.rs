//! `torgkoll-fleet --restore-mid`: the server backed up after the first syncs, restored from that backup
//! after more syncs and restarted; the phones give back what it lost, and the fleet converges with nothing
//! missing and nothing twice.

use std::time::Duration;

use torgkoll_e2e::fleet::{FleetOptions, run};

/// Runs a fleet of four phones with a restore mid-way and checks it converged with every operation once.
async fn converges_after_a_restore(reports: usize, skew: bool, seed: u64) {
    let opts = FleetOptions {
        devices: 4,
        reports,
        status_changes: 40,
        restore_mid: true,
        skew,
        seed,
        timeout: Duration::from_secs(if skew { 60 } else { 90 }),
        ..FleetOptions::default()
    };
    let r = run(&opts, &|s| eprintln!("{s}")).await.unwrap();
    eprintln!("{r}");
    assert!(r.ok(), "seed {seed}: {r}");
    assert_eq!((r.audit.missing, r.audit.duplicates), (0, 0));
    assert_eq!(r.audit.on_server, r.audit.made);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_converges_after_a_restore_mid_way() {
    converges_after_a_restore(300, false, 31).await;
}

/// The same with phones whose clocks are wrong (`--skew`): the operations re-sent after the restore are
/// corrected anew by the server (a new receive time, a new measured offset), and the phones that pulled
/// them before adopt the new correction when they pull them again; before they did, they kept the old
/// one and never converged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_with_wrong_clocks_converges_after_a_restore() {
    // Four seeds: whether a resend's new correction differs from the old one depends on the moments
    // the server received it, before and after the restore.
    for seed in 1..=4 {
        converges_after_a_restore(200, true, seed).await;
    }
}
