//! The lägesbild that makes itself: at the set Stockholm time, once a day, the previous day's report as
//! files and as a delivery, remembered across a restart (a new store and worker on the same database).

mod common;
mod webhook_support;

use std::path::Path;
use std::sync::Arc;

use common::{TestServer, on_site};
use torgkoll_server::store::ServerStore;
use torgkoll_server::webhooks::model::NewWebhook;
use torgkoll_server::webhooks::{DailyReport, Worker};
use torgkoll_server::{Clock, Limits, Sites, SqliteStore};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{DisturbanceCategory, DisturbanceReport, OpBody, Role};
use webhook_support::Receiver;

fn worker(store: Arc<dyn ServerStore>, s: &TestServer, dir: &Path) -> Worker {
    let daily = DailyReport {
        at: (7, 0),
        dir: dir.to_path_buf(),
    };
    Worker::new(store, Sites::builtin(), s.clock.clone(), Some(daily))
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_lagesbild_is_made_at_its_time_once_a_day_across_a_restart() {
    let s = TestServer::start(Limits::default()).await;
    let rx = Receiver::start(|_| 200).await;
    let hook = NewWebhook::parse(&rx.url, "lagesbild", "s").unwrap();
    s.store.add_webhook(&hook, 0).unwrap();
    // A day in the week the clocks go back, so one of the days has 25 hours.
    let day = Date::parse("2026-10-26").unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("lagesbild");

    // Yesterday, a guard logged a disturbance with a note.
    s.clock.set(day.add_days(-1).at_local(14, 0));
    let mut guard = s.phone(Role::Guard, "Vakt Kalle").await;
    let op = guard.op(OpBody::Disturbance(DisturbanceReport {
        category: DisturbanceCategory::Berusad,
        level: 2,
        people: 1,
        interventions: Default::default(),
        note: Some("Kalle sover på bänken".into()),
        at: on_site(),
        happened: None,
    }));
    let mut op = op;
    op.wall = s.clock.now_ms();
    op.hlc = torgkoll_shared::Hlc::new(op.wall as u64, 0);
    guard.sync(&[op], 0).await;

    let w = worker(s.store.clone(), &s, &dir);
    s.clock.set(day.at_local(6, 59));
    assert_eq!(w.turn().await.finished().await.made, None);
    assert!(!dir.exists() || files(&dir).is_empty());
    s.clock.set(day.at_local(7, 0));
    assert_eq!(w.turn().await.finished().await.made, Some(day.add_days(-1)));
    let first = "lagesbild-2026-10-25";
    assert_eq!(
        files(&dir),
        [format!("{first}.html"), format!("{first}.json")]
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{first}.json"))).unwrap())
            .unwrap();
    assert_eq!(json["date"]["day"], 25, "{json}");
    assert!(
        std::fs::read_to_string(dir.join(format!("{first}.html")))
            .unwrap()
            .contains("<html")
    );
    s.clock.set(day.at_local(7, 5));
    assert_eq!(w.turn().await.finished().await.made, None, "once a day");
    let got = rx.got();
    assert_eq!(got.len(), 1);
    let p = got[0].json();
    assert_eq!(
        (p["event"].as_str(), p["disturbances"]["total"].as_u64()),
        (Some("lagesbild"), Some(1))
    );
    assert_eq!(got[0].event, "lagesbild");
    assert!(got[0].signed_with("s"));
    let text = String::from_utf8_lossy(&got[0].body);
    assert!(
        !text.contains("Kalle") && !text.contains(&guard.device.to_string()),
        "{text}"
    );

    // A restart at 12:00: a new store and worker on the same database remember the day.
    drop(w);
    let store: Arc<dyn ServerStore> = Arc::new(SqliteStore::open(&s.db).unwrap());
    let w = worker(store, &s, &dir);
    s.clock.set(day.at_local(12, 0));
    assert_eq!(w.turn().await.finished().await.made, None);
    s.clock.set(day.add_days(1).at_local(6, 0));
    assert_eq!(w.turn().await.finished().await.made, None);
    s.clock.set(day.add_days(1).at_local(7, 1));
    assert_eq!(w.turn().await.finished().await.made, Some(day));
    s.clock.set(day.add_days(1).at_local(23, 0));
    assert_eq!(w.turn().await.finished().await.made, None);
    assert_eq!(files(&dir).len(), 4, "{:?}", files(&dir));
    assert!(files(&dir).contains(&"lagesbild-2026-10-26.json".to_string()));
    let got = rx.got();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].json()["date"]["day"], 26);
}
