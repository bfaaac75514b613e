//! `torgkoll`: the field app. Opens (or creates) the phone's database, enrolls when given a server and a
//! code, starts the sync engine and the phone-sized window.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use torgkoll_app::config::{Args, Launch};
use torgkoll_app::platform::geolocation::Geolocation;
use torgkoll_app::platform::replay::{Replay, Track};
use torgkoll_app::platform::{self, Clock, SystemClock};
use torgkoll_app::site_file;
use torgkoll_app::store::{Identity, Store};
use torgkoll_app::sync::{self, EngineConfig, SyncEngine};
use torgkoll_app::ui::{self, App, Services};

static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

fn main() {
    STARTED.get_or_init(Instant::now);
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,torgkoll_app=info".into()),
        )
        .init();
    let launch = command_line().resolve();
    let services = match prepare(&launch) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("torgkoll: {e}");
            std::process::exit(1);
        }
    };
    if std::env::var_os("TORGKOLL_READY_PROBE").is_some() {
        let ms = STARTED
            .get()
            .map_or(0.0, |s| s.elapsed().as_secs_f64() * 1000.0);
        eprintln!("prepared {ms:.1} ms");
        platform::set_ready_probe(|| {
            let ms = STARTED
                .get()
                .map_or(0.0, |s| s.elapsed().as_secs_f64() * 1000.0);
            println!("ready {ms:.1} ms");
            std::process::exit(0);
        });
    }
    run(services);
}

/// Opens the store, seeds the demo, enrolls, and starts the sync engine, all on the phone's one clock.
fn prepare(launch: &Launch) -> Result<Services, String> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    std::fs::create_dir_all(&launch.data_dir)
        .map_err(|e| format!("cannot create {}: {e}", launch.data_dir.display()))?;
    let path = launch.db_path();
    // The site plan the phone keeps (downloaded from its server), else the built-in Plattan.
    let site_path = site_file::path_beside(&path);
    let mut store = Store::open(&path, site_file::at_start(&site_path))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    // Before the first request (the enrollment below).
    launch.install_server_ca(&store)?;
    if let Some(role) = launch.demo {
        ui::demo::seed(&mut store, role, clock.now_ms()).map_err(|e| e.to_string())?;
    }
    let mut startup_error = None;
    if let (None, Some(server), Some(code)) =
        (store.identity(), &launch.server, &launch.enroll_code)
    {
        match enroll_now(server, code, &site_path) {
            Ok(id) => {
                store.set_identity(id).map_err(|e| e.to_string())?;
                // Enrolled at a site other than the one opened with: open again with its plan.
                let kept = site_file::at_start(&site_path);
                if kept.id != store.site().id {
                    drop(store);
                    store =
                        Store::open(&path, kept).map_err(|e| format!("{}: {e}", path.display()))?;
                }
            }
            Err(e) => {
                tracing::warn!("enrollment at start failed: {e}");
                startup_error = Some(e.failure());
            }
        }
    }
    let position = position_source(launch, clock.clone())?;
    let photos: Arc<dyn platform::PhotoPicker> = match &launch.photo_pick {
        Some(path) => Arc::new(platform::ScriptedPick(path.clone())),
        None => platform::photos::platform_picker(),
    };
    let mut services = Services::new(store, clock.clone())
        .with_position(position)
        .with_photos(photos)
        .with_opener(platform::open::platform_opener());
    services.server_hint = launch.server.clone();
    services.startup_error = startup_error;
    if launch.demo.is_none() {
        services.site_file = Some(site_path.clone());
    }
    if launch.demo.is_none() {
        let cfg = EngineConfig {
            site_file: Some(site_path),
            ..EngineConfig::default()
        };
        let handle = SyncEngine::start(services.store.clone(), cfg, clock);
        services.sync = Some(Arc::new(handle));
    }
    Ok(services)
}

/// The phone's position: a recorded track when one is given, else the webview's geolocation.
fn position_source(
    launch: &Launch,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn platform::PositionSource>, String> {
    Ok(match &launch.replay_track {
        Some(path) => {
            let track = Replay::new(
                Track::load(path).map_err(|e| e.to_string())?,
                launch.replay_speed,
                clock,
            );
            Arc::new(track)
        }
        None => Arc::new(Geolocation::new(clock)),
    })
}

/// Enrolls, then keeps the site plan of the server (a failure there is logged: the engine tries again).
fn enroll_now(server: &str, code: &str, site_path: &Path) -> Result<Identity, sync::SyncError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| sync::SyncError::Network(e.to_string()))?;
    let e = rt.block_on(sync::enroll(server, code))?;
    let client = sync::SyncClient::new(server, &e.token);
    if let Err(err) = rt.block_on(sync::refresh_site(&client, site_path)) {
        tracing::warn!(error = %err, "the site plan could not be downloaded at enrollment");
    }
    Ok(Identity {
        device: e.device,
        token: e.token,
        role: e.role,
        name: e.name,
        server: server.to_owned(),
    })
}

#[cfg(feature = "desktop")]
fn run(services: Services) {
    dioxus::LaunchBuilder::desktop()
        .with_cfg(platform::desktop::window_config(true))
        .with_context(services)
        .launch(App);
}

/// A phone: dx builds this binary for Android (linked as the APK's `libmain.so`, whose `main` Dioxus's
/// Activity glue looks up and calls) and for iOS (the app bundle's executable). The webview fills the
/// screen; there is no window to configure.
#[cfg(all(feature = "mobile", not(feature = "desktop")))]
fn run(services: Services) {
    dioxus::LaunchBuilder::mobile()
        .with_context(services)
        .launch(App);
}

#[cfg(not(any(feature = "desktop", feature = "mobile")))]
compile_error!("the `torgkoll` binary needs a renderer: the `desktop` or the `mobile` feature");

/// The command line and its environment. An Android app has no command line: Dioxus's Activity glue
/// calls `main` without `argc`/`argv`, so there only the environment (`TORGKOLL_*`) is read, and the
/// data directory comes from the app's Context (`platform::default_data_dir`).
fn command_line() -> Args {
    if cfg!(target_os = "android") {
        Args::parse_from(["torgkoll"])
    } else {
        Args::parse()
    }
}
