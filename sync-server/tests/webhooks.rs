//! Webhooks end to end: a guard's phone pushes to the in-process server, the worker (on the server's
//! `ManualClock`, turned by hand) signs and posts to a real receiver on loopback, retries with the same
//! id and bytes, stops once accepted, and gives up after 24 hours.

mod common;
mod webhook_support;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{TestServer, on_site};
use torgkoll_server::store::ServerStore;
use torgkoll_server::webhooks::Worker;
use torgkoll_server::webhooks::model::NewWebhook;
use torgkoll_server::{Clock, Limits, Sites};
use torgkoll_shared::{
    Amendment, DisturbanceCategory, DisturbanceReport, Intervention, OpBody, Role,
};
use webhook_support::Receiver;

const SECRET: &str = "delad-hemlighet-med-polisen";
const NOTE: &str = "Kalle Karlsson i grön jacka";
const GUARD: &str = "Vakt Ingrid Svensson";

fn level(n: u8) -> OpBody {
    OpBody::Disturbance(DisturbanceReport {
        category: DisturbanceCategory::BrakVald,
        level: n,
        people: 4,
        interventions: BTreeMap::from([(Intervention::ALL[0], 1)]),
        note: Some(NOTE.into()),
        at: on_site(),
        happened: None,
    })
}

fn worker(s: &TestServer) -> Worker {
    let store: Arc<dyn ServerStore> = s.store.clone();
    Worker::new(store, Sites::builtin(), s.clock.clone(), None)
}

fn hook(s: &TestServer, url: &str, events: &str) -> i64 {
    let h = NewWebhook::parse(url, events, SECRET).unwrap();
    s.store.add_webhook(&h, s.clock.now_ms()).unwrap()
}

#[tokio::test]
async fn a_level_1_disturbance_is_signed_retried_and_delivered_once() {
    let s = TestServer::start(Limits::default()).await;
    let rx = Receiver::start(|n| if n < 2 { 500 } else { 200 }).await;
    hook(&s, &rx.url, "level1");
    let w = worker(&s);
    let mut guard = s.phone(Role::Guard, GUARD).await;
    let (akut, lugn) = (guard.op(level(1)), guard.op(level(2)));
    let r = guard.sync(&[akut.clone(), lugn.clone()], 0).await;
    assert_eq!(r.acked_through, 2);

    // First attempt at once: 500.
    let turn = w.turn().await.finished().await;
    assert_eq!(
        turn.enqueued, 1,
        "one level-1 event, the level-2 one is none"
    );
    assert_eq!(rx.got().len(), 1);
    // Not due again before 5 s.
    s.clock.advance(4_000);
    w.turn().await.finished().await;
    assert_eq!(rx.got().len(), 1);
    s.clock.advance(1_000);
    w.turn().await.finished().await;
    assert_eq!(rx.got().len(), 2, "the first retry within 5 s");
    s.clock.advance(30_000);
    w.turn().await.finished().await;
    let got = rx.got();
    assert_eq!(got.len(), 3, "the second retry 30 s later is accepted");
    for g in &got {
        assert_eq!(g.event, "level1");
        assert_eq!(g.delivery, got[0].delivery, "the same delivery id");
        assert_eq!(g.body, got[0].body, "the same bytes");
        assert!(g.signed_with(SECRET), "signed with the secret");
        assert!(!g.signed_with("another secret"));
    }
    assert!(uuid::Uuid::parse_str(&got[0].delivery).is_ok());
    let text = String::from_utf8(got[0].body.clone()).unwrap();
    for secret_thing in [
        "Kalle",
        "jacka",
        GUARD,
        "Ingrid",
        &guard.device.to_string(),
        "note",
    ] {
        assert!(!text.contains(secret_thing), "{secret_thing} in {text}");
    }
    let p = got[0].json();
    assert_eq!(p["event"], "level1");
    assert_eq!(p["report"], akut.id.to_string());
    assert_eq!(
        (
            p["category"].as_str(),
            p["level"].as_u64(),
            p["people"].as_u64()
        ),
        (Some("brak_vald"), Some(1), Some(4))
    );
    assert!(
        p["zone"]["id"].is_string() && p["zone"]["name"].is_string(),
        "{p}"
    );
    assert!(p["at_local"].as_str().unwrap().len() == 16, "{p}");

    // Accepted: never sent again, however long the server runs.
    for _ in 0..26 {
        s.clock.advance(3_600_000);
        w.turn().await.finished().await;
    }
    assert_eq!(rx.got().len(), 3);

    // The level-2 report amended to level 1 is announced once; amending it again is not.
    let up = guard.op(OpBody::Amend {
        report: lugn.id,
        change: Amendment {
            level: Some(1),
            note: Some(format!("{NOTE}!")),
            ..Amendment::default()
        },
    });
    let again = guard.op(OpBody::Amend {
        report: lugn.id,
        change: Amendment {
            level: Some(1),
            ..Amendment::default()
        },
    });
    guard.sync(&[up, again], 0).await;
    assert_eq!(w.turn().await.finished().await.enqueued, 1);
    let got = rx.got();
    assert_eq!(got.len(), 4);
    assert_ne!(got[3].delivery, got[0].delivery);
    assert_eq!(got[3].json()["report"], lugn.id.to_string());
    assert!(!String::from_utf8_lossy(&got[3].body).contains("Kalle"));
    let list = s.store.webhooks().unwrap();
    assert_eq!(
        (list[0].delivered, list[0].pending, list[0].failed.len()),
        (2, 0, 0)
    );
}

#[tokio::test]
async fn a_partner_that_never_answers_yes_is_listed_as_failed_after_a_day() {
    let s = TestServer::start(Limits::default()).await;
    let rx = Receiver::start(|_| 503).await;
    let id = hook(&s, &rx.url, "level1,lagesbild");
    let w = worker(&s);
    let mut guard = s.phone(Role::Guard, GUARD).await;
    let op = guard.op(level(1));
    guard.sync(&[op], 0).await;
    let created = s.clock.now_ms();
    // Turn every minute for 25 hours: attempts follow the back-off, not the turns.
    let mut turns = 0;
    while s.clock.now_ms() < created + 25 * 3_600_000 {
        w.turn().await.finished().await;
        s.clock.advance(60_000);
        turns += 1;
    }
    assert!(turns > 1_000);
    let got = rx.got();
    assert!((25..=32).contains(&got.len()), "{} attempts", got.len());
    assert!(
        got.iter()
            .all(|g| g.delivery == got[0].delivery && g.body == got[0].body)
    );
    let list = s.store.webhooks().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].hook.id, list[0].pending, list[0].delivered),
        (id, 0, 0)
    );
    let [failed] = list[0].failed.as_slice() else {
        panic!("{list:?}")
    };
    assert_eq!(failed.event, "level1");
    assert_eq!(failed.attempts as usize, got.len());
    assert_eq!(failed.last_error.as_deref(), Some("HTTP 503"));
    assert_eq!(failed.created_ms, created);
    assert_eq!(
        failed.last_ms,
        Some(created + 24 * 3_600_000),
        "the last attempt at the 24-hour mark"
    );
    assert_eq!(failed.id.to_string(), got[0].delivery);
    // Failed stays failed.
    s.clock.advance(48 * 3_600_000);
    w.turn().await.finished().await;
    assert_eq!(rx.got().len(), got.len());
    // The operator sees it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_torgkoll-server"))
        .args(["webhook", "list", "--db"])
        .arg(&s.db)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(
        text.contains(&failed.id.to_string()) && text.contains("HTTP 503"),
        "{text}"
    );
    assert!(!text.contains(SECRET), "{text}");
}
