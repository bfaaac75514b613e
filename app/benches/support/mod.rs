//! What the app's benchmarks share.

use std::path::Path;
use std::sync::Arc;

use torgkoll_app::store::{DB_FILE, Durability, Identity, Store};
use torgkoll_shared::{Role, Site};
use uuid::Uuid;

/// A store in `dir` (its file named as on a phone), enrolled as a cleaner of a server it never calls.
pub fn cleaners_store(dir: &Path, site: Arc<Site>, durability: Durability) -> Store {
    let mut store = Store::open_with(&dir.join(DB_FILE), site, durability).expect("store");
    store
        .set_identity(Identity {
            device: Uuid::now_v7(),
            token: "bench".into(),
            role: Role::Cleaner,
            name: "bench".into(),
            server: String::new(),
        })
        .expect("identity");
    store
}
