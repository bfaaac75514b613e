//! With a real sync server on the loopback: enroll on the first-start screen, report offline-first, and
//! see the sync bar go to zero pending once the engine has synced.

use torgkoll_app::store::SyncState;
use torgkoll_shared::Role;

use crate::harness::Ui;

/// A real server on the loopback and a fresh cleaner's enrollment code.
fn server(dir: &std::path::Path) -> (String, String) {
    let (url, mut codes) = crate::harness::server_with_codes(dir, &[(Role::Cleaner, "Anna")]);
    (url, codes.pop().expect("a code"))
}

#[test]
fn enroll_report_and_see_it_synced() {
    let dir = tempfile::tempdir().expect("dir");
    let (url, code) = server(dir.path());
    let mut ui = Ui::with_engine();
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
