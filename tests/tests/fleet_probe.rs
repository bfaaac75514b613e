//! `--push-probe`: a probe phone in its own process (`torgkoll-push-probe`) pushes single reports, each
//! marked for the server's push lane, while a small crowd makes its first syncs; its times come back, and
//! its operations are in the audit (made = on the server, nothing missing or doubled, every phone
//! converged on a state that includes them).

use std::time::Duration;

use torgkoll_e2e::fleet::{FleetOptions, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_probe_pushes_from_its_own_process_and_its_reports_are_audited() {
    let opts = FleetOptions {
        devices: 4,
        reports: 400,
        status_changes: 20,
        seed: 31,
        timeout: Duration::from_secs(120),
        push_probe: true,
        ..FleetOptions::default()
    };
    let r = run(&opts, &|s| eprintln!("{s}")).await.unwrap();
    assert!(r.ok(), "{r}");
    let probe = r.probe.clone().expect("a probe ran");
    assert!(!probe.millis.is_empty(), "the probe pushed nothing");
    assert!(probe.millis.iter().all(|ms| *ms > 0.0));
    // Four phones of 400 reports (a few with details), and the probe's one report per push.
    assert!(
        r.audit.made >= 4 * 400 + probe.millis.len(),
        "the probe's operations are not in the audit: {r}"
    );
}
