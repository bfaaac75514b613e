//! The whole loop through a real sync server on the loopback: a cleaner's report reaches the manager's
//! phone, the manager resolves and reviews it on the review screen, and the cleaner's phone pulls the
//! decisions with the normal sync.

use std::sync::{Arc, Mutex};

use torgkoll_app::platform::{Clock, ManualClock};
use torgkoll_app::store::{Identity, Store};
use torgkoll_app::sync::{SyncClient, SyncOptions, enroll, sync_once};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody, Role, Status};

use crate::harness::Ui;
use crate::seed::in_zone;

/// A real server on the loopback on the test's clock, with codes for a cleaner and a manager.
fn server(dir: &std::path::Path, clock: Arc<ManualClock>) -> (String, String, String) {
    let (url, mut codes) = crate::harness::server_with_codes(
        dir,
        clock,
        &[(Role::Cleaner, "Anna"), (Role::Manager, "Lena")],
    );
    let manager = codes.pop().expect("manager code");
    (url, codes.pop().expect("cleaner code"), manager)
}

#[test]
fn triage_on_the_manager_phone_reaches_the_cleaners_phone() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = crate::harness::test_clock();
    let (url, cleaner_code, manager_code) = server(dir.path(), clock.clone());
    let rt = tokio::runtime::Runtime::new().expect("runtime");

    // The cleaner's phone, headless: enroll, report, sync.
    let mut cleaner = Store::open(&dir.path().join("cleaner.sqlite"), Arc::new(plattan()))
        .expect("cleaner store");
    let e = rt
        .block_on(enroll(&url, &cleaner_code))
        .expect("enroll cleaner");
    cleaner
        .set_identity(Identity {
            device: e.device,
            token: e.token.clone(),
            role: e.role,
            name: e.name,
            server: url.clone(),
        })
        .expect("identity");
    let at = in_zone(cleaner.site(), 3, 0.0, 0.0);
    let report = cleaner
        .record(
            OpBody::Clean(CleaningReport {
                category: CleaningCategory::Glaskross,
                amount: None,
                note: None,
                at,
                acc: None,
            }),
            clock.now_ms(),
        )
        .expect("report")
        .id;
    let cleaner = Arc::new(Mutex::new(cleaner));
    let client = SyncClient::new(&url, &e.token);
    rt.block_on(sync_once(
        &client,
        &cleaner,
        SyncOptions::default(),
        &*clock,
    ))
    .expect("cleaner sync");

    // The manager's phone with its sync engine: enroll on the first screen, see the report arrive.
    clock.advance(60_000);
    let mut ui = Ui::with_engine(clock.clone());
    ui.input("server", &url);
    ui.input("code", &manager_code);
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-review\""));
    ui.click("tab-review");
    let row = format!("id=\"rv-row-{report}\"");
    ui.run_until(|h| h.contains(&row));
    assert!(ui.html().contains(&row), "{}", ui.html());

    ui.click(&format!("rv-row-{report}"));
    ui.click("triage-review");
    ui.click("triage-resolve");
    // Wait on the disk, not the bar: an engine status from before the clicks can still say "0 väntar".
    let disk = ui.disk();
    ui.run_until(|_| disk.pending_count().is_ok_and(|n| n == 0));
    assert_eq!(
        ui.disk().pending_count().unwrap(),
        0,
        "pushed to the server"
    );

    // The cleaner's next sync brings the decisions.
    clock.advance(60_000);
    rt.block_on(sync_once(
        &client,
        &cleaner,
        SyncOptions::default(),
        &*clock,
    ))
    .expect("cleaner sync again");
    let seen = cleaner
        .lock()
        .unwrap()
        .report(report)
        .unwrap()
        .expect("the report");
    assert_eq!(seen.status(), Status::Resolved);
    assert!(seen.report.reviewed.is_some());
}
