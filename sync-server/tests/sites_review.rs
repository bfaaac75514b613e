//! Review per site: a manager's lägesbild, export and device list (and the `lagesbild`, `export` and
//! `devices` commands with `--sites DIR --site ID`) hold only their own site's reports, staff and
//! devices, read with that site's plan. Run on SQLite, and on PostgreSQL with
//! `TORGKOLL_TEST_STORE=postgres`.

mod common;
mod review_support;

use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use serde_json::Value;
use torgkoll_server::Sites;
use torgkoll_server::{Clock, Limits};
use torgkoll_shared::analytics::Lagesbild;
use torgkoll_shared::analytics::lagesbild::Metric;
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::devices::DevicesResponse;
use torgkoll_shared::{GeoPoint, Role};
use uuid::Uuid;

use common::{Phone, TestServer};
use review_support::get;

const SITES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/sites");
const BIN: &str = env!("CARGO_BIN_EXE_torgkoll-server");

fn on_medborgarplatsen() -> GeoPoint {
    GeoPoint::new(18.0724, 59.3147)
}

/// Both sites, the Plattan the default: on the Plattan a cleaner with 2 reports, a guard with 1
/// disturbance and the manager; on Medborgarplatsen two cleaners with 3 reports and the manager.
struct Two {
    s: TestServer,
    chef_p: Phone,
    chef_m: Phone,
    /// Each site's devices and its reports' ids.
    devices_p: Vec<Uuid>,
    devices_m: Vec<Uuid>,
    reports_p: Vec<Uuid>,
    reports_m: Vec<Uuid>,
}

async fn two_sites() -> Two {
    let sites = Sites::load_dir(Path::new(SITES), Some("plattan")).unwrap();
    let s = TestServer::start_serving(Limits::default(), sites, |s| s).await;
    let m = "medborgarplatsen";
    let mut plock_p = s.phone(Role::Cleaner, "Plock P").await;
    let mut vakt_p = s.phone(Role::Guard, "Vakt P").await;
    let chef_p = s.phone(Role::Manager, "Chef P").await;
    let mut plock_m = s.phone_of_site(Role::Cleaner, "Plock M", m).await;
    let mut plock_m2 = s.phone_of_site(Role::Cleaner, "Plock M2", m).await;
    let chef_m = s.phone_of_site(Role::Manager, "Chef M", m).await;

    let p = [plock_p.clean("P 1"), plock_p.clean("P 2")];
    assert!(plock_p.sync(&p, 0).await.rejected.is_empty());
    let d = vakt_p.disturbance("P bråk");
    assert!(
        vakt_p
            .sync(std::slice::from_ref(&d), 0)
            .await
            .rejected
            .is_empty()
    );
    let m1 = [
        plock_m.clean_at("M 1", on_medborgarplatsen()),
        plock_m.clean_at("M 2", on_medborgarplatsen()),
    ];
    assert!(plock_m.sync(&m1, 0).await.rejected.is_empty());
    let m2 = plock_m2.clean_at("M 3", on_medborgarplatsen());
    assert!(
        plock_m2
            .sync(std::slice::from_ref(&m2), 0)
            .await
            .rejected
            .is_empty()
    );
    // The reports were made just after T0: the review looks an hour later, the same local day.
    s.clock.set(common::T0 + 3_600_000);
    Two {
        devices_p: vec![plock_p.device, vakt_p.device, chef_p.device],
        devices_m: vec![plock_m.device, plock_m2.device, chef_m.device],
        reports_p: vec![p[0].id, p[1].id, d.id],
        reports_m: vec![m1[0].id, m1[1].id, m2.id],
        s,
        chef_p,
        chef_m,
    }
}

fn sorted(mut v: Vec<Uuid>) -> Vec<Uuid> {
    v.sort();
    v
}

fn today(lb: &Lagesbild, metric: Metric) -> u32 {
    lb.totals
        .iter()
        .find(|t| t.metric == metric)
        .map_or(0, |t| t.today)
}

fn staff(lb: &Lagesbild, role: Role) -> u32 {
    lb.staff
        .iter()
        .find(|s| s.role == role)
        .map_or(0, |s| s.count)
}

/// The report ids of an export as GeoJSON (its points; machine runs are lines).
fn exported_reports(fc: &Value) -> Vec<Uuid> {
    let ids = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == "Point")
        .map(|f| f["properties"]["id"].as_str().unwrap().parse().unwrap())
        .collect();
    sorted(ids)
}

#[tokio::test]
async fn each_sites_manager_reviews_only_that_site() {
    let t = two_sites().await;
    let day = local_date(t.s.clock.now_ms());
    let base = &t.s.url;

    for (chef, site, cleaning, disturbances, cleaners, guards) in [
        (&t.chef_p, "plattan", 2, 1, 1, 1),
        (&t.chef_m, "medborgarplatsen", 3, 0, 2, 0),
    ] {
        let resp = get(
            &format!("{base}/v1/lagesbild?date={day}&format=json"),
            Some(chef),
        )
        .await;
        assert_eq!(resp.status(), StatusCode::OK, "{site}");
        let lb: Lagesbild = resp.json().await.unwrap();
        assert_eq!(lb.site_id, site, "the manager's own site's plan");
        assert_eq!(today(&lb, Metric::CleaningReports), cleaning, "{site}");
        assert_eq!(today(&lb, Metric::Disturbances), disturbances, "{site}");
        assert_eq!(staff(&lb, Role::Cleaner), cleaners, "{site}");
        assert_eq!(staff(&lb, Role::Guard), guards, "{site}");
        // The HTML shows the site's own map.
        let resp = get(&format!("{base}/v1/lagesbild?date={day}"), Some(chef)).await;
        assert_eq!(resp.status(), StatusCode::OK, "{site}");
    }

    for (chef, reports) in [(&t.chef_p, &t.reports_p), (&t.chef_m, &t.reports_m)] {
        let url = format!("{base}/v1/export?from={day}&to={day}&format=geojson");
        let resp = get(&url, Some(chef)).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let fc: Value = resp.json().await.unwrap();
        assert_eq!(exported_reports(&fc), sorted(reports.clone()));
    }

    for (chef, devices) in [(&t.chef_p, &t.devices_p), (&t.chef_m, &t.devices_m)] {
        let resp = get(&format!("{base}/v1/review/devices"), Some(chef)).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let listing: DevicesResponse = resp.json().await.unwrap();
        let ids = listing.devices.iter().map(|d| d.id).collect();
        assert_eq!(sorted(ids), sorted(devices.clone()));
    }
}

fn command(t: &Two, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--db")
        .arg(&t.s.db)
        .env_remove("TORGKOLL_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_review_commands_report_on_the_site_they_are_given() {
    let t = two_sites().await;
    let day = local_date(t.s.clock.now_ms()).to_string();
    let day = day.as_str();

    // --sites DIR --site ID picks a site; --default-site ID (as serve) is the one without --site.
    for (site_args, site, cleaning) in [
        (
            vec!["--sites", SITES, "--site", "medborgarplatsen"],
            "medborgarplatsen",
            3,
        ),
        (
            vec!["--sites", SITES, "--default-site", "plattan"],
            "plattan",
            2,
        ),
        (vec![], "plattan", 2),
    ] {
        let lagesbild = [&["lagesbild", "--date", day, "--json"][..], &site_args].concat();
        let lb: Lagesbild = serde_json::from_str(&command(&t, &lagesbild)).unwrap();
        assert_eq!(
            (lb.site_id.as_str(), today(&lb, Metric::CleaningReports)),
            (site, cleaning)
        );

        let export = [
            &["export", "--from", day, "--to", day, "--format", "geojson"][..],
            &site_args,
        ]
        .concat();
        let fc: Value = serde_json::from_str(&command(&t, &export)).unwrap();
        let want = if site == "plattan" {
            &t.reports_p
        } else {
            &t.reports_m
        };
        assert_eq!(exported_reports(&fc), sorted(want.clone()), "{site}");

        let devices = [&["devices"][..], &site_args].concat();
        let listed: Vec<Uuid> = command(&t, &devices)
            .lines()
            .skip(1)
            .map(|l| l.split('\t').next().unwrap().parse().unwrap())
            .collect();
        let want = if site == "plattan" {
            &t.devices_p
        } else {
            &t.devices_m
        };
        assert_eq!(sorted(listed), sorted(want.clone()), "{site}");
    }

    // Several sites and none named: the command says to name one.
    let out = Command::new(BIN)
        .args(["lagesbild", "--date", day, "--sites", SITES, "--db"])
        .arg(&t.s.db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("several sites"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
