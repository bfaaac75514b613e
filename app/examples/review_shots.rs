//! Screenshots of the platsansvarig's review screens, for `scripts/screenshots-review.sh`: the real desktop
//! window (visible, phone-sized) on a manager's phone holding four weeks of a simulated Plattan, driven
//! through the page like the window test, saving the X screen with ImageMagick's `import` after each step.
//!
//! Run under a display: `TORGKOLL_SCREENSHOT_DIR=docs/screenshots xvfb-run -a -s "-screen 0 420x860x24"
//! cargo run -p torgkoll-app --example review_shots`.

#[allow(dead_code)]
#[path = "../tests/window/driver.rs"]
mod driver;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use dioxus::prelude::*;
use driver::{click, js, sleep_ms, wait_for};
use torgkoll_app::platform::desktop::window_config;
use torgkoll_app::platform::{Clock, SystemClock};
use torgkoll_app::store::{Identity, Store};
use torgkoll_app::ui::{App, Services};
use torgkoll_shared::analytics::demo::{DemoConfig, device, generate};
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::protocol::{PROTOCOL_VERSION, PulledOp, SyncResponse, WireOp};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{OpBody, Role};

/// A manager's phone that has pulled four weeks and today of the demo crew's work, and triaged a few
/// of today's reports itself.
fn manager_phone(db: &std::path::Path) -> Services {
    let mut store = Store::open(db, Arc::new(plattan())).expect("store");
    store
        .set_identity(Identity {
            device: device(Role::Manager, 9),
            token: String::new(),
            role: Role::Manager,
            name: "Demo (platsansvarig)".into(),
            server: String::new(),
        })
        .expect("identity");
    let now = SystemClock.now_ms();
    let cfg = DemoConfig {
        seed: 2018,
        start: local_date(now).add_days(-28),
        days: 29,
        cleaning_per_day: 140,
        disturbances_per_day: 10,
    };
    let mut ops: Vec<_> = generate(store.site(), &cfg)
        .into_iter()
        .filter(|o| o.wall_ms <= now)
        .collect();
    ops.sort_by_key(|o| (o.hlc, o.device, o.id));
    let pulled: Vec<PulledOp> = ops
        .iter()
        .enumerate()
        .map(|(i, o)| PulledOp {
            pos: i as u64 + 1,
            dev: o.device,
            role: o.role,
            recv: o.wall_ms + 1_500,
            op: WireOp::from_op(o),
            fix: None,
        })
        .collect();
    let resp = SyncResponse {
        v: PROTOCOL_VERSION,
        acked_through: 0,
        rejected: vec![],
        fixed: vec![],
        pull_pos: pulled.len() as u64,
        ops: pulled,
        more: false,
        photos_wanted: vec![],
        server_ms: now - 60_000,
    };
    store
        .apply_sync(&resp, now - 60_000, now - 60_000)
        .expect("pulled");
    let p = torgkoll_shared::analytics::Period::day(local_date(now));
    let today = store.reports_between(p.from_ms, p.to_ms).expect("today");
    for r in today.iter().skip(3).step_by(4).take(6) {
        store
            .record(
                OpBody::Review {
                    report: r.report.id,
                },
                now - 30_000,
            )
            .expect("review");
    }
    Services::new(store, Arc::new(SystemClock))
}

async fn shot(name: &str) -> Result<(), String> {
    let dir = PathBuf::from(
        std::env::var("TORGKOLL_SCREENSHOT_DIR")
            .map_err(|_| "TORGKOLL_SCREENSHOT_DIR is not set")?,
    );
    sleep_ms(700).await;
    let file = dir.join(format!("{name}.png"));
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&file)
        .status()
        .map_err(|e| format!("import: {e}"))?;
    if !status.success() {
        return Err(format!("import failed for {name}"));
    }
    println!("saved {}", file.display());
    Ok(())
}

/// Scrolls the review's scrolling part to the element with `id`.
async fn scroll_to(id: &str) {
    js(&format!(
        "document.getElementById('{id}').scrollIntoView({{block: 'start'}}); return true;"
    ))
    .await;
}

async fn take() -> Result<(), String> {
    wait_for("the map", "document.getElementById('map')").await;
    click("tab-review").await;
    wait_for("the list", "document.getElementById('rv-count')").await;
    shot("20-review-map-list").await?;
    click("rv-filter-toggle").await;
    click("f-kind-cleaning").await;
    click("f-status-unreviewed").await;
    shot("21-review-filters").await?;
    click("rv-filter-toggle").await;
    // The first fimpar report of the filtered list, with the duplicate picker open.
    js(
        "const rows = [...document.querySelectorAll('[id^=rv-row-]')];
        const r = rows.find(r => r.textContent.includes('Fimpar')) || rows[0];
        r.click(); return true;",
    )
    .await;
    click("triage-duplicate").await;
    shot("22-review-triage-duplicate").await?;
    click("triage-close").await;
    click("span-7d").await;
    click("rv-hotspots").await;
    wait_for(
        "the hotspots",
        "document.getElementById('rv-hotspots-view')",
    )
    .await;
    shot("23-review-hotspots-7-days").await?;
    scroll_to("recurring").await;
    shot("24-review-recurring").await?;
    click("rv-machines").await;
    wait_for("coverage", "document.getElementById('coverage-table')").await;
    shot("25-review-coverage").await?;
    click("stale-8").await;
    scroll_to("coverage-table").await;
    shot("26-review-coverage-table-8h").await?;
    click("rv-disturbances").await;
    wait_for("the heat table", "document.getElementById('dist-heat')").await;
    shot("27-review-disturbances-7-days").await?;
    click("rv-freshness").await;
    wait_for("freshness", "document.getElementById('fresh-table')").await;
    shot("28-review-freshness").await?;
    // How long four weeks take to appear on the map and in the list (read, filter, draw every pin).
    click("rv-map").await;
    click("rv-filter-toggle").await;
    click("f-clear").await;
    click("rv-filter-toggle").await;
    wait_for("the list", "document.getElementById('rv-count')").await;
    js(
        "window.__before = document.getElementById('rv-count').textContent;
        window.__t0 = performance.now(); document.getElementById('span-4w').click(); return true;",
    )
    .await;
    wait_for(
        "four weeks",
        "document.getElementById('span-4w').classList.contains('on') \
         && !document.getElementById('rv-count').textContent.startsWith(window.__before)",
    )
    .await;
    let ms = js("return performance.now() - window.__t0;").await;
    let pins = js("return document.querySelectorAll('#pins .pin').length;").await;
    println!("four weeks on the map: {pins} pins in {ms} ms");
    shot("2a-review-map-4-weeks").await?;
    click("span-today").await;
    click("tab-settings").await;
    click("lang-en").await;
    click("tab-review").await;
    wait_for("the list", "document.getElementById('rv-count')").await;
    shot("29-review-map-list-english").await?;
    Ok(())
}

/// A tablet-sized window: the list beside the map.
async fn take_wide() -> Result<(), String> {
    wait_for("the map", "document.getElementById('map')").await;
    click("tab-review").await;
    wait_for("the list", "document.getElementById('rv-count')").await;
    click("span-7d").await;
    js("const r = document.querySelector('[id^=rv-row-]'); r.click(); return true;").await;
    wait_for("the sheet", "document.getElementById('triage-sheet')").await;
    click("triage-reclassify").await;
    shot("2b-review-wide-reclassify").await
}

/// Whether to take the wide shot instead of the phone-sized ones.
fn wide() -> bool {
    std::env::var_os("REVIEW_SHOTS_WIDE").is_some()
}

#[component]
fn ShotsRoot() -> Element {
    use_future(|| async {
        let result = if wide() {
            take_wide().await
        } else {
            take().await
        };
        match result {
            Ok(()) => std::process::exit(0),
            Err(e) => {
                eprintln!("review shots: {e}");
                std::process::exit(1);
            }
        }
    });
    rsx! { App {} }
}

fn main() {
    std::thread::spawn(|| {
        std::thread::sleep(std::time::Duration::from_secs(180));
        eprintln!("review shots: watchdog fired");
        std::process::exit(3);
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let services = manager_phone(&dir.path().join(torgkoll_app::store::DB_FILE));
    let cfg = if wide() {
        use dioxus::desktop::{Config, LogicalSize, WindowBuilder};
        Config::new()
            .with_window(
                WindowBuilder::new()
                    .with_title("Torgkoll")
                    .with_inner_size(LogicalSize::new(1000.0, 700.0)),
            )
            .with_menu(None)
    } else {
        window_config(true)
    };
    dioxus::LaunchBuilder::desktop()
        .with_cfg(cfg)
        .with_context(services)
        .launch(ShotsRoot);
}
