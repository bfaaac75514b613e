//! With a real sync server on the loopback: enroll on the first-start screen, report offline-first, and
//! see the sync bar go to zero pending once the engine has synced.

use std::sync::Arc;

use torgkoll_app::platform::{Clock, ManualClock};
use torgkoll_app::store::SyncState;
use torgkoll_shared::Role;

use crate::harness::Ui;

/// A real server on the loopback on the test's clock, and a fresh cleaner's enrollment code.
fn server(dir: &std::path::Path, clock: Arc<ManualClock>) -> (String, String) {
    let (url, mut codes) =
        crate::harness::server_with_codes(dir, clock, &[(Role::Cleaner, "Anna")]);
    (url, codes.pop().expect("a code"))
}

#[test]
fn enroll_report_and_see_it_synced() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = crate::harness::test_clock();
    let (url, code) = server(dir.path(), clock.clone());
    let mut ui = Ui::with_engine(clock);
    ui.input("server", &url);
    ui.input("code", &code.to_lowercase());
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-report\""));
    assert!(ui.has("map"), "{}", ui.html());
    let me = ui.disk().identity().cloned().expect("enrolled on disk");
    assert_eq!(me.role, Role::Cleaner);
    assert_eq!(me.server, url);

    ui.click("cat-fimpar");
    ui.tap(ui.place(0.0, 0.0));
    assert_eq!(ui.ops().len(), 1, "saved locally first");
    ui.run_until(|h| h.contains("0 väntar") && h.contains("Senast synkad"));
    let html = ui.html();
    assert!(html.contains("0 väntar"), "{html}");
    let mine = ui.disk().my_reports(5).expect("mine");
    assert_eq!(mine[0].sync, Some(SyncState::Sent));
}

/// A phone whose clock is a day ahead of the server's: its report is saved at once as always, the sync
/// bar tells the person to set the clock, and the server's correction of the report's time comes back
/// to the phone, so it shows the report where every other phone does.
#[test]
fn a_phone_a_day_ahead_is_told_and_its_report_is_placed_right() {
    let dir = tempfile::tempdir().expect("dir");
    let server_clock = crate::harness::test_clock();
    let (url, code) = server(dir.path(), server_clock.clone());
    let phone_clock = Arc::new(ManualClock::new(server_clock.now_ms() + 86_400_000));
    let mut ui = Ui::with_engine(phone_clock.clone());
    ui.input("server", &url);
    ui.input("code", &code);
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-report\""));
    ui.click("cat-glaskross");
    ui.tap(ui.place(0.0, 0.0));
    ui.run_until(|h| h.contains("0 väntar") && h.contains("id=\"clock-warning\""));
    let html = ui.html();
    assert!(
        html.contains("Telefonens klocka går före med 1 dygn 0 h."),
        "{html}"
    );
    let mine = ui.disk().my_reports(5).expect("mine");
    let origin = mine[0].report.origin.clone().expect("made");
    assert_eq!(
        origin.wall_ms,
        phone_clock.now_ms(),
        "the phone's own time is kept"
    );
    assert_eq!(
        origin.stamp.at,
        server_clock.now_ms(),
        "placed at the server's time"
    );
    assert_eq!(
        ui.disk().sync_status().unwrap().clock_offset_ms,
        Some(86_400_000)
    );
}

/// Enrolls an engine-running phone with `code` on the server at `url`.
fn enrolled(url: &str, code: &str, clock: Arc<ManualClock>) -> Ui {
    let mut ui = Ui::with_engine(clock);
    ui.input("server", url);
    ui.input("code", code);
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-settings\""));
    ui
}

/// A night shift through a real server: a guard logs a disturbance 15 minutes back, amends it and hands
/// over; the next guard's phone gets the handover on top and the amended disturbance; the manager sees the
/// handover among all; a cleaner's phone gets neither (disturbance data).
#[test]
fn a_night_shift_handed_over_through_the_server() {
    let dir = tempfile::tempdir().expect("dir");
    let today = torgkoll_shared::calendar::local_date(crate::harness::test_clock().now_ms());
    let clock = Arc::new(ManualClock::new(today.at_local(23, 0)));
    let (url, codes) = crate::harness::server_with_codes(
        dir.path(),
        clock.clone(),
        &[
            (Role::Guard, "Vakt A"),
            (Role::Guard, "Vakt B"),
            (Role::Cleaner, "Plock 1"),
            (Role::Manager, "Platsansvarig"),
        ],
    );

    let mut a = enrolled(&url, &codes[0], clock.clone());
    a.click("tab-mine");
    a.click("shift-start");
    a.click("tab-disturbance");
    let at = a.place(5.0, 5.0);
    a.tap(at);
    a.click("when-15");
    a.click("dcat-folksamling");
    a.click("save-disturbance");
    a.tap(at);
    a.click("act-details");
    a.click("amend-level-1");
    a.click("amend-iv-polis-plus");
    a.click("details-save");
    a.click("tab-mine");
    a.click("shift-end");
    a.run_until(|h| h.contains("id=\"handover-draft\""));
    a.input("handover-note", "Folksamling vid fontänen, polis på plats");
    a.click("handover-save");
    a.run_until(|h| h.contains("0 väntar"));
    assert!(a.disk().shift().unwrap().is_none());

    let mut b = enrolled(&url, &codes[1], clock.clone());
    b.run_until(|h| h.contains("id=\"handover-card\""));
    assert!(
        b.html()
            .contains("Folksamling vid fontänen, polis på plats")
    );
    assert!(
        b.html().contains("Störningar: 1, varav akuta (nivå 1): 1"),
        "{}",
        b.html()
    );
    let theirs = b.disk().field_reports(
        torgkoll_app::store::FieldFilter::All,
        &torgkoll_shared::analytics::Period::day(today),
        clock.now_ms(),
    );
    let d = theirs.unwrap().into_iter().next().expect("the disturbance");
    assert_eq!(d.report.level(), Some(1), "the amendment came along");
    assert_eq!(d.report.when_ms(), Some(today.at_local(22, 45)));
    b.click("handover-read");
    assert!(!b.has("handover-card"));

    let mut m = enrolled(&url, &codes[3], clock.clone());
    m.run_until(|h| h.contains("0 väntar") && h.contains("Senast synkad"));
    m.click("tab-mine");
    m.run_until(|h| h.contains("Folksamling vid fontänen"));
    assert!(
        !m.has("handover-card"),
        "not a manager's handover: in the list, not on top"
    );

    let mut c = enrolled(&url, &codes[2], clock);
    c.run_until(|h| h.contains("Senast synkad"));
    assert!(!c.has("handover-card"));
    assert!(
        c.disk().handovers(10).unwrap().is_empty(),
        "a guard's handover never reaches a cleaner"
    );
    assert!(c.disk().state().unwrap().reports.is_empty());
}
