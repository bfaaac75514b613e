//! Enrolling with a pasted link, and coming back after the server refused the token: the sync bar says
//! what happened with the device id, the enrollment screen takes a new code (as a link) for the same
//! device, and the queue recorded meanwhile reaches the server under the same id.

use torgkoll_app::platform::Clock;

use torgkoll_server::secret::{hash, new_code, normalize_code};
use torgkoll_server::{ServerStore, SqliteStore};
use torgkoll_shared::Role;
use torgkoll_shared::enroll_link::EnrollLink;

use crate::harness::Ui;

fn link(server: &str, code: &str) -> String {
    EnrollLink {
        server: server.into(),
        code: code.into(),
    }
    .to_link()
}

#[test]
fn a_bad_link_is_said_and_nothing_is_sent() {
    let mut ui = Ui::new(None);
    ui.input("code", "torgkoll://enroll?code=ABCDE-FGHJK");
    ui.click("enroll-button");
    assert!(
        ui.html().contains("Länken går inte att läsa"),
        "{}",
        ui.html()
    );
    assert!(ui.disk().identity().is_none());
}

#[test]
fn a_refused_phone_reenrolls_with_a_link_and_keeps_its_queue() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = crate::harness::test_clock();
    let (url, mut codes) =
        crate::harness::server_with_codes(dir.path(), clock.clone(), &[(Role::Cleaner, "Anna")]);
    let server = SqliteStore::open(&dir.path().join("server.sqlite")).expect("server store");
    let mut ui = Ui::with_engine(clock.clone());
    // Only the link: the server's address comes from it.
    ui.input("code", &link(&url, &codes.pop().expect("code")));
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-report\""));
    let me = ui.disk().identity().cloned().expect("enrolled");
    assert_eq!(me.server, url);

    // The manager revokes the phone; the phone goes on recording, offline-first.
    assert!(server.revoke(me.device, clock.now_ms()).expect("revoke"));
    ui.click("cat-fimpar");
    ui.tap(ui.place(0.0, 0.0));
    ui.click("sync-now");
    ui.run_until(|h| h.contains("id=\"token-refused\""));
    let html = ui.html();
    assert!(
        html.contains("Telefonen är inte längre godkänd av servern")
            && html.contains(&format!("enroll --device {}", me.device)),
        "{html}"
    );
    assert_eq!(
        ui.disk().pending_count().expect("pending"),
        1,
        "the queue is kept"
    );

    // A code for this same device, pasted as a link on the enrollment screen.
    let code = new_code();
    let now = clock.now_ms();
    let h = hash(&normalize_code(&code).expect("code"));
    server
        .add_reenroll_code(&h, me.device, now + 3_600_000, now)
        .expect("store")
        .expect("a known device");
    ui.click("reenroll");
    assert!(
        ui.has("reenroll-why") && ui.has("enroll-button"),
        "{}",
        ui.html()
    );
    ui.input("code", &link(&url, &code));
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-report\"") && h.contains("0 väntar"));
    let again = ui.disk().identity().cloned().expect("enrolled");
    assert_eq!(again.device, me.device, "the same device");
    assert_ne!(again.token, me.token, "a new token");
    let row = server.devices(None).expect("devices");
    assert_eq!(row.len(), 1);
    assert_eq!(
        (
            row[0].ops,
            row[0].device.acked_through,
            row[0].device.revoked_ms
        ),
        (1, 1, None)
    );
}
