//! The screenshot of "Telefoner" (`scripts/screenshots.sh devices`, `52-devices.png`): a manager's phone
//! against a real sync server in this process, where four phones have been in contact: one two hours
//! ago (silent), one five minutes ago with its clock three minutes fast, one never, one three days ago.

use std::sync::Arc;

use torgkoll_app::platform::{Clock, ManualClock};
use torgkoll_app::store::{Identity, Store};
use torgkoll_app::sync::{EngineConfig, SyncClient, SyncEngine, encode_request, enroll};
use torgkoll_app::ui::Services;
use torgkoll_server::secret::{hash, new_code, normalize_code};
use torgkoll_server::{ServerStore, SqliteStore};
use torgkoll_shared::Role;
use torgkoll_shared::test_support::plattan;

use crate::driver::{click, wait_for};

const MIN: i64 = 60_000;

/// A server on 127.0.0.1 in a thread of its own, on `clock`, with its database in `dir`.
fn start_server(dir: &std::path::Path, clock: Arc<ManualClock>) -> (String, Arc<SqliteStore>) {
    let store = Arc::new(SqliteStore::open(&dir.join("server.sqlite")).expect("server store"));
    let url = crate::support_server::serve_on_loopback(store.clone(), clock);
    (url, store)
}

/// The manager's phone, enrolled with a server where the phones of the picture have synced.
pub fn device_services(db: &std::path::Path, clock: Arc<ManualClock>) -> Services {
    let dir = db.parent().expect("a directory");
    let (url, server) = start_server(dir, clock.clone());
    let now = clock.now_ms();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let enrolled = |role: Role, name: &str| {
        let code = new_code();
        let t = clock.now_ms();
        let h = hash(&normalize_code(&code).expect("a code"));
        server
            .add_enroll_code(&h, role, name, t + 3_600_000, t)
            .expect("code");
        rt.block_on(enroll(&url, &code)).expect("enrolled")
    };
    // (name, role, minutes ago (none: never synced), the phone's clock ahead by, what waited)
    let phones = [
        ("Plock 1", Role::Cleaner, Some(125), 0, 3),
        ("Vakt 1", Role::Guard, Some(5), 3 * MIN, 0),
        ("Plock 2", Role::Cleaner, None, 0, 0),
        ("Vakt 2", Role::Guard, Some(3 * 24 * 60), 0, 0),
    ];
    for (name, role, ago, ahead, pending) in phones {
        clock.set(now - ago.unwrap_or(0) * MIN);
        let e = enrolled(role, name);
        if ago.is_some() {
            let c = SyncClient::new(&url, &e.token);
            let body = encode_request(&[], 0, None, Some(clock.now_ms() + ahead), Some(pending))
                .expect("a request");
            rt.block_on(c.send(body)).expect("synced");
        }
    }
    clock.set(now);
    let manager = enrolled(Role::Manager, "Platsansvarig");
    let mut store = Store::open(db, Arc::new(plattan())).expect("store");
    store
        .set_identity(Identity {
            device: manager.device,
            token: manager.token,
            role: manager.role,
            name: manager.name,
            server: url,
        })
        .expect("identity");
    // The manager's phone syncs too, as `torgkoll` does: its own bar and row say so.
    let mut services = Services::new(store, clock.clone());
    let engine = SyncEngine::start(services.store.clone(), EngineConfig::default(), clock);
    services.sync = Some(Arc::new(engine));
    services
}

pub async fn take() -> Result<(), String> {
    wait_for("the map", "document.getElementById('map')").await;
    click("tab-review").await;
    // After the phone's own first sync, so it is listed in contact.
    wait_for(
        "synced",
        "!document.body.innerText.includes('aldrig synkad')",
    )
    .await;
    click("rv-devices").await;
    wait_for("the silent phone", "document.querySelector('.dev.silent')").await;
    crate::shots::shot("52-devices").await
}
