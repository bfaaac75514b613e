//! With a real sync server on the loopback: enroll on the first-start screen, report offline-first, and
//! see the sync bar go to zero pending once the engine has synced.

use std::sync::Arc;

use torgkoll_app::store::SyncState;
use torgkoll_server::secret::{hash, new_code, normalize_code};
use torgkoll_server::{AppState, Limits, ServerStore, SqliteStore, SystemClock};
use torgkoll_shared::Role;
use torgkoll_shared::test_support::plattan;

use crate::harness::Ui;

/// Starts the server on 127.0.0.1 (port 0) in a thread of its own; returns its address and a fresh
/// cleaner's enrollment code.
fn server(dir: &std::path::Path) -> (String, String) {
    let store = SqliteStore::open(&dir.join("server.sqlite")).expect("server store");
    let code = new_code();
    let now = crate::harness::now();
    store
        .add_enroll_code(
            &hash(&normalize_code(&code).expect("a code")),
            Role::Cleaner,
            "Anna",
            now + 3_600_000,
            now,
        )
        .expect("code");
    let state = AppState {
        store: Arc::new(store),
        site: Arc::new(plattan()),
        clock: Arc::new(SystemClock),
        limits: Limits::default(),
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            torgkoll_server::serve(listener, state, std::future::pending())
                .await
                .expect("serve");
        });
    });
    (url, code)
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
