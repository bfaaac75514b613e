//! Launching one scenario: a fresh data directory, the real app in the desktop renderer, and a root
//! component that runs the scenario and exits with its result.

use std::path::Path;
use std::sync::Arc;

use dioxus::prelude::*;
use torgkoll_app::platform::desktop::window_config;
use torgkoll_app::platform::{Clock, ManualClock, SystemClock};
use torgkoll_app::store::{Identity, Store};
use torgkoll_app::ui::{App, Services};
use torgkoll_shared::Role;
use torgkoll_shared::test_support::plattan;
use uuid::Uuid;

use crate::scenarios::{DB, SCENARIO, disturbance, machine_run, quick_report};

pub fn run(name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join(torgkoll_app::store::DB_FILE);
    let role = match name {
        "disturbance"
        | "shots-guard"
        | "night-shift-guard"
        | "shots-alerts-guard"
        | "shots-enroll-second-site" => Role::Guard,
        "shots-manager" | "shots-photo-manager" | "shots-devices" => Role::Manager,
        _ => Role::Cleaner,
    };
    let shots = name.starts_with("shots-");
    let services = if name == "replayed-run" {
        crate::replay_scenarios::replay_services(&db, role, false)
    } else if name == "shots-position" {
        crate::replay_scenarios::replay_services(&db, role, true)
    } else if name.starts_with("night-shift-") {
        crate::shift_scenarios::night_services(&db, role)
    } else if name == "shots-night" {
        // A November evening, hours after sunset: the automatic theme is dark.
        let evening =
            torgkoll_shared::calendar::Date::parse("2026-11-24").map(|d| d.at_local(22, 30));
        demo_services(
            &db,
            role,
            Arc::new(ManualClock::new(evening.expect("a date"))),
        )
    } else if name == "shots-devices" {
        crate::device_shots::device_services(&db, clock())
    } else if name == "shots-enroll-second-site" {
        crate::site_shots::site_services(&db, clock())
    } else if name.starts_with("shots-alerts-") {
        crate::alert_shots::alert_services(&db, role, clock())
    } else if name.starts_with("shots-photo-") {
        crate::photo_shots::photo_services(&db, role, clock())
    } else if shots {
        demo_services(&db, role, clock())
    } else {
        services(&db, role)
    };
    DB.set(db).expect("once");
    SCENARIO.set(name.to_owned()).expect("once");
    dioxus::LaunchBuilder::desktop()
        .with_cfg(window_config(shots))
        .with_context(services)
        .launch(TestRoot);
    eprintln!("window test: the window closed before the scenario finished");
    std::process::exit(1);
}

/// The window tests' clock: 13:00 local on the day they run, standing still (as in the component tests).
fn clock() -> Arc<ManualClock> {
    let today = torgkoll_shared::calendar::local_date(SystemClock.now_ms());
    Arc::new(ManualClock::new(today.at_local(13, 0)))
}

/// A phone with the demo day up to the clock's time, as `torgkoll --demo` makes it.
fn demo_services(db: &Path, role: Role, clock: Arc<ManualClock>) -> Services {
    let mut store = Store::open(db, Arc::new(plattan())).expect("store");
    torgkoll_app::ui::demo::seed(&mut store, role, clock.now_ms()).expect("demo");
    Services::new(store, clock)
}

fn services(db: &Path, role: Role) -> Services {
    Services::new(enrolled_store(db, role), clock())
}

/// The phone's store, enrolled with `role` (no server).
pub fn enrolled_store(db: &Path, role: Role) -> Store {
    let mut store = Store::open(db, Arc::new(plattan())).expect("store");
    store
        .set_identity(Identity {
            device: Uuid::now_v7(),
            token: "t".into(),
            role,
            name: "window test".into(),
            server: String::new(),
        })
        .expect("identity");
    store
}

#[component]
fn TestRoot() -> Element {
    use_future(|| async {
        let name = SCENARIO.get().cloned().unwrap_or_default();
        let result = match name.as_str() {
            "quick-report" => quick_report().await,
            "machine-run" => machine_run().await,
            "replayed-run" => crate::replay_scenarios::replayed_run().await,
            "disturbance" => disturbance().await,
            "night-shift-guard" => crate::shift_scenarios::night_guard().await,
            "night-shift-cleaner" => crate::shift_scenarios::night_cleaner().await,
            "night-theme" => crate::night::night_theme().await,
            "shots-devices" => crate::device_shots::take().await,
            "shots-enroll-second-site" => crate::site_shots::take().await,
            shots if shots.starts_with("shots-photo-") => crate::photo_shots::take(shots).await,
            shots if shots.starts_with("shots-alerts-") => crate::alert_shots::take(shots).await,
            shots if shots.starts_with("shots-") => crate::shots::take(shots).await,
            other => Err(format!("unknown scenario {other}")),
        };
        match result {
            Ok(()) => std::process::exit(0),
            Err(e) => {
                eprintln!("window test {name}: {e}");
                std::process::exit(1);
            }
        }
    });
    rsx! { App {} }
}
