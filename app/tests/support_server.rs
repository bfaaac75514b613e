//! A real sync server on 127.0.0.1 (port 0) in a thread of its own, for the component and window tests
//! (included by path in both).

use std::sync::Arc;

use torgkoll_server::{AppState, Limits, ManualClock, ServerStore, Sites};

/// Serves `store` on the test's `clock` until the process ends; returns its address.
#[allow(dead_code)] // the component tests serve their sites through `serve_sites_on_loopback`
pub fn serve_on_loopback(store: Arc<dyn ServerStore>, clock: Arc<ManualClock>) -> String {
    serve_sites_on_loopback(store, clock, Sites::builtin())
}

/// Serves `store` with these site plans on the test's `clock` until the process ends; returns its address.
#[allow(dead_code)] // not every test binary that includes this serves other sites
pub fn serve_sites_on_loopback(
    store: Arc<dyn ServerStore>,
    clock: Arc<ManualClock>,
    sites: Sites,
) -> String {
    let state = AppState {
        store,
        sites,
        clock,
        limits: Limits::default(),
        wake: Default::default(),
        wanted_photos: Default::default(),
        turns: Default::default(),
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
    url
}
