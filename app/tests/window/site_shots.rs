//! The screenshot of a guard's phone enrolled in the app at a server of another site
//! (`scripts/screenshots.sh enroll-second-site`, `63-enrolled-second-site.png`): the phone starts on the
//! built-in Plattan, a pasted enrollment link enrolls it at a real server in this process serving only
//! Medborgarplatsen, and the first map it shows is Medborgarplatsen's, without a restart.

use std::sync::{Arc, OnceLock};

use torgkoll_app::platform::{Clock, ManualClock};
use torgkoll_app::site_file;
use torgkoll_app::store::Store;
use torgkoll_app::sync::{EngineConfig, SyncEngine};
use torgkoll_app::ui::Services;
use torgkoll_server::secret::{hash, new_code, normalize_code};
use torgkoll_server::sites::SiteFile;
use torgkoll_server::{ServerStore, Sites, SqliteStore};
use torgkoll_shared::Role;
use torgkoll_shared::enroll_link::EnrollLink;
use torgkoll_shared::test_support::MEDBORGARPLATSEN_GEOJSON;

use crate::driver::{click, type_into, wait_for};

/// The enrollment link the scenario pastes.
static LINK: OnceLock<String> = OnceLock::new();

/// An unenrolled phone on the Plattan, its engine keeping the site plan, as `torgkoll` starts one; and
/// a server of Medborgarplatsen with a guard's code.
pub fn site_services(db: &std::path::Path, clock: Arc<ManualClock>) -> Services {
    let dir = db.parent().expect("a directory");
    let server = Arc::new(SqliteStore::open(&dir.join("server.sqlite")).expect("server store"));
    let code = new_code();
    let now = clock.now_ms();
    let h = hash(&normalize_code(&code).expect("a code"));
    server
        .add_enroll_code(&h, Role::Guard, "Vakt M", now + 3_600_000, now)
        .expect("code");
    let plan = SiteFile::parse(MEDBORGARPLATSEN_GEOJSON.as_bytes().to_vec().into()).expect("loads");
    let url =
        crate::support_server::serve_sites_on_loopback(server, clock.clone(), Sites::one(plan));
    LINK.set(EnrollLink { server: url, code }.to_link())
        .expect("once");
    let site_path = site_file::path_beside(db);
    let store = Store::open(db, site_file::at_start(&site_path)).expect("store");
    let mut services = Services::new(store, clock.clone());
    services.site_file = Some(site_path.clone());
    let cfg = EngineConfig {
        site_file: Some(site_path),
        ..EngineConfig::default()
    };
    let engine = SyncEngine::start(services.store.clone(), cfg, clock);
    services.sync = Some(Arc::new(engine));
    services
}

pub async fn take() -> Result<(), String> {
    let link = LINK.get().ok_or("no link")?;
    type_into("code", link).await;
    click("enroll-button").await;
    wait_for(
        "Medborgarplatsen's map",
        "document.getElementById('map') && \
         document.getElementById('map').textContent.includes('Götgatssidan')",
    )
    .await;
    if crate::driver::js("return document.getElementById('map').textContent.includes('Trappan')")
        .await
        == serde_json::Value::Bool(true)
    {
        return Err("a Plattan zone on Medborgarplatsen's map".into());
    }
    crate::shots::shot("63-enrolled-second-site").await
}
