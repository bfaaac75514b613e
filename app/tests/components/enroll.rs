//! First start: the enrollment screen.

use crate::harness::Ui;

#[test]
fn an_unenrolled_phone_asks_for_the_server_and_a_code() {
    let mut ui = Ui::new(None);
    let html = ui.html();
    assert!(html.contains("Välkommen till Torgkoll"));
    assert!(ui.has("server") && ui.has("code") && ui.has("enroll-button"));
    assert!(!ui.has("map") && !ui.has("tab-report"));

    ui.click("enroll-button");
    assert!(ui.html().contains("Fyll i både adress och kod."));
}

#[test]
fn an_unreachable_server_is_a_readable_error_and_the_phone_stays_unenrolled() {
    let mut ui = Ui::new(None);
    // Port 1 on the loopback: nothing listens there.
    ui.input("server", "http://127.0.0.1:1");
    ui.input("code", "ABCD-1234");
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("enroll-error"));
    let html = ui.html();
    assert!(
        html.contains("Ingen kontakt med servern"),
        "said in Swedish: {html}"
    );
    assert!(ui.disk().identity().is_none());
}
