//! Webhooks per site: a hook belongs to one site (`webhook add --site`, the default site without it);
//! a site's level-1 events, checked with that site's plan, go to its hooks only, and each site's daily
//! lägesbild is made from its own operations with its own plan and sent to its own hooks. Run on
//! SQLite, and on PostgreSQL with `TORGKOLL_TEST_STORE=postgres`.

mod common;
mod webhook_support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use common::{Phone, TestServer, on_site};
use torgkoll_server::store::ServerStore;
use torgkoll_server::webhooks::model::NewWebhook;
use torgkoll_server::webhooks::{DailyReport, Worker};
use torgkoll_server::{Clock, Limits, Sites};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::protocol::WireOp;
use torgkoll_shared::{
    DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc, Intervention, OpBody, Role,
};
use uuid::Uuid;
use webhook_support::Receiver;

const SITES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/sites");
const M: &str = "medborgarplatsen";

fn on_medborgarplatsen() -> GeoPoint {
    GeoPoint::new(18.0724, 59.3147)
}

fn sites() -> Sites {
    Sites::load_dir(Path::new(SITES), Some("plattan")).unwrap()
}

/// Both sites, the Plattan the default.
async fn server() -> TestServer {
    TestServer::start_serving(Limits::default(), sites(), |s| s).await
}

fn worker(s: &TestServer, daily: Option<DailyReport>) -> Worker {
    let store: Arc<dyn ServerStore> = s.store.clone();
    Worker::new(store, sites(), s.clock.clone(), daily)
}

/// A hook of `site` (`None`: the default site, as `webhook add` without `--site`).
fn hook(s: &TestServer, url: &str, events: &str, site: Option<&str>) -> i64 {
    let mut h = NewWebhook::parse(url, events, "hemligt").unwrap();
    h.site = site.map(str::to_owned);
    s.store.add_webhook(&h, s.clock.now_ms()).unwrap()
}

/// A level-`level` disturbance at `at`, made now by the server's clock.
fn disturbance(s: &TestServer, guard: &mut Phone, level: u8, at: GeoPoint) -> WireOp {
    let mut op = guard.op(OpBody::Disturbance(DisturbanceReport {
        category: DisturbanceCategory::BrakVald,
        level,
        people: 2,
        interventions: BTreeMap::from([(Intervention::ALL[0], 1)]),
        note: None,
        at,
        happened: None,
    }));
    op.wall = s.clock.now_ms();
    op.hlc = Hlc::new(op.wall as u64, 0);
    op
}

fn reports(got: &[webhook_support::Received]) -> Vec<Uuid> {
    got.iter()
        .map(|g| g.json()["report"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_sites_level_1_events_go_to_its_own_hooks_with_its_own_zones() {
    let s = server().await;
    let (rx_p, rx_m) = (
        Receiver::start(|_| 200).await,
        Receiver::start(|_| 200).await,
    );
    // The Plattan's hook is added without a site: it is the default site's.
    hook(&s, &rx_p.url, "level1", None);
    hook(&s, &rx_m.url, "level1", Some(M));
    let w = worker(&s, None);
    let mut vakt_p = s.phone(Role::Guard, "Vakt P").await;
    let mut vakt_m = s.phone_of_site(Role::Guard, "Vakt M", M).await;

    let on_p = disturbance(&s, &mut vakt_p, 1, on_site());
    assert!(
        vakt_p
            .sync(std::slice::from_ref(&on_p), 0)
            .await
            .rejected
            .is_empty()
    );
    let on_m = disturbance(&s, &mut vakt_m, 1, on_medborgarplatsen());
    let calm = disturbance(&s, &mut vakt_m, 2, on_medborgarplatsen());
    let r = vakt_m.sync(&[on_m.clone(), calm], 0).await;
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);

    let turn = w.turn().await.finished().await;
    assert_eq!(
        turn.enqueued, 2,
        "one level-1 event of each site, one hook each"
    );
    assert_eq!(reports(&rx_p.got()), [on_p.id]);
    assert_eq!(reports(&rx_m.got()), [on_m.id]);
    // Each located with its own site's plan: a zone of that site.
    let zone = |rx: &Receiver| rx.got()[0].json()["zone"]["id"].as_str().map(str::to_owned);
    let (zone_p, zone_m) = (zone(&rx_p), zone(&rx_m));
    assert!(
        zone_p.is_some() && zone_m.is_some(),
        "{zone_p:?} {zone_m:?}"
    );
    let site_m = sites().get(M).unwrap().site.clone();
    let located = site_m.locate(on_medborgarplatsen()).unwrap();
    assert_eq!(zone_m.as_deref(), Some(located.id.as_str()));

    // The hook without a site was given the default one.
    let listed: Vec<String> = s
        .store
        .webhooks()
        .unwrap()
        .into_iter()
        .map(|l| l.hook.site)
        .collect();
    assert_eq!(listed, ["plattan", M]);
}

fn daily(dir: &Path) -> DailyReport {
    DailyReport {
        at: (7, 0),
        dir: dir.to_path_buf(),
    }
}

#[tokio::test]
async fn each_site_gets_its_own_daily_lagesbild() {
    let s = server().await;
    let (rx_p, rx_m) = (
        Receiver::start(|_| 200).await,
        Receiver::start(|_| 200).await,
    );
    hook(&s, &rx_p.url, "lagesbild", Some("plattan"));
    hook(&s, &rx_m.url, "lagesbild", Some(M));
    let day = Date::parse("2026-11-25").unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("lagesbild");

    // Yesterday: one disturbance on the Plattan, three on Medborgarplatsen.
    s.clock.set(day.at_local(14, 0));
    let mut vakt_p = s.phone(Role::Guard, "Vakt P").await;
    let mut vakt_m = s.phone_of_site(Role::Guard, "Vakt M", M).await;
    let p = [disturbance(&s, &mut vakt_p, 2, on_site())];
    assert!(vakt_p.sync(&p, 0).await.rejected.is_empty());
    let m: Vec<WireOp> = (0..3)
        .map(|_| disturbance(&s, &mut vakt_m, 2, on_medborgarplatsen()))
        .collect();
    assert!(vakt_m.sync(&m, 0).await.rejected.is_empty());

    let w = worker(&s, Some(daily(&dir)));
    s.clock.set(day.add_days(1).at_local(7, 0));
    let turn = w.turn().await.finished().await;
    let made: BTreeMap<String, Date> = turn.made_of.into_iter().collect();
    assert_eq!(
        made,
        BTreeMap::from([(M.to_owned(), day), ("plattan".to_owned(), day)])
    );
    for (rx, site, n) in [(&rx_p, "plattan", 1), (&rx_m, M, 3)] {
        let got = rx.got();
        assert_eq!(got.len(), 1, "{site}: one lägesbild");
        let body = got[0].json();
        assert_eq!(body["site_id"], site, "{body}");
        assert_eq!(body["disturbances"]["total"], n, "{site}: {body}");
    }
    // The default site's files keep their names; the other site's carry its id.
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "lagesbild-2026-11-25.html",
            "lagesbild-2026-11-25.json",
            "lagesbild-medborgarplatsen-2026-11-25.html",
            "lagesbild-medborgarplatsen-2026-11-25.json",
        ]
    );
    // Each site's day is remembered: nothing more that day, by this worker or a new one.
    assert!(w.turn().await.finished().await.made_of.is_empty());
    assert!(
        worker(&s, Some(daily(&dir)))
            .turn()
            .await
            .finished()
            .await
            .made_of
            .is_empty()
    );
    assert_eq!(s.store.last_lagesbild_day(M).unwrap(), Some(day));
    assert_eq!(s.store.last_lagesbild_day("plattan").unwrap(), Some(day));
}
