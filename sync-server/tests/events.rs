//! The wake-up channel, `GET /v1/events`, through a real socket: who is woken by what (never a phone of
//! another site), one channel per device, refusals, and streams that end when the server shuts down.
//! Run on SQLite, and on PostgreSQL with `TORGKOLL_TEST_STORE=postgres`.

mod common;

use std::time::Duration;

use common::{Phone, TestServer};
use futures_util::StreamExt;
use reqwest::StatusCode;
use torgkoll_server::{Limits, Sites};
use torgkoll_shared::{GeoPoint, Role};

/// One open channel, read event by event.
struct Channel {
    body: futures_util::stream::BoxStream<'static, reqwest::Result<axum::body::Bytes>>,
    buf: String,
}

impl Channel {
    async fn open(phone: &Phone) -> Channel {
        let resp = open_raw(phone).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ct.starts_with("text/event-stream"), "{ct}");
        Channel {
            body: resp.bytes_stream().boxed(),
            buf: String::new(),
        }
    }

    /// The next `wake` event's position, or `None` if none comes within `wait` (or the stream ends).
    async fn next_wake(&mut self, wait: Duration) -> Option<u64> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                if block.contains("event: wake")
                    && let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: "))
                {
                    let v: serde_json::Value = serde_json::from_str(data).unwrap();
                    return v["pos"].as_u64();
                }
            }
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(Some(Ok(chunk))) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
                _ => return None,
            }
        }
    }

    /// Whether the stream ends within `wait`.
    async fn ends(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(None) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => {}
                Err(_) => return false,
            }
        }
    }
}

async fn open_raw(phone: &Phone) -> reqwest::Response {
    phone
        .client
        .get(format!("{}/v1/events", phone.url))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap()
}

const SOON: Duration = Duration::from_secs(5);
/// Long enough for a wake that would come to have come (they take milliseconds on loopback).
const QUIET: Duration = Duration::from_millis(400);

#[tokio::test]
async fn a_push_wakes_the_phones_that_may_see_it_but_not_its_author() {
    let srv = TestServer::start(Limits::default()).await;
    let mut g1 = srv.phone(Role::Guard, "Väktare 1").await;
    let g2 = srv.phone(Role::Guard, "Väktare 2").await;
    let c = srv.phone(Role::Cleaner, "Städ 1").await;
    let (mut ch_g1, mut ch_g2, mut ch_c) = (
        Channel::open(&g1).await,
        Channel::open(&g2).await,
        Channel::open(&c).await,
    );
    // Each channel starts with the server's position: nothing stored yet.
    for ch in [&mut ch_g1, &mut ch_g2, &mut ch_c] {
        assert_eq!(ch.next_wake(SOON).await, Some(0));
    }

    let d = g1.disturbance("x");
    let resp = g1.sync(&[d], 0).await;
    assert_eq!(resp.acked_through, 1);
    let pos = ch_g2
        .next_wake(SOON)
        .await
        .expect("the other guard is woken");
    assert!(pos >= 1, "{pos}");
    assert_eq!(ch_g1.next_wake(QUIET).await, None, "not the author");
    assert_eq!(
        ch_c.next_wake(QUIET).await,
        None,
        "a cleaner never hears of a disturbance"
    );

    let cl = g1.clean("x");
    g1.sync(&[cl], 0).await;
    let pos2 = ch_c.next_wake(SOON).await.expect("the cleaner is woken");
    assert!(pos2 > pos, "{pos2} after {pos}");
    assert_eq!(ch_g2.next_wake(SOON).await, Some(pos2));
    assert_eq!(ch_g1.next_wake(QUIET).await, None);

    // A reconnecting phone learns the latest position at once.
    let mut again = Channel::open(&c).await;
    assert_eq!(
        again.next_wake(SOON).await,
        Some(srv.store.last_pos().unwrap())
    );
}

#[tokio::test]
async fn a_push_wakes_only_phones_of_its_own_site() {
    let sites = Sites::load_dir(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/sites")),
        Some("plattan"),
    )
    .unwrap();
    let srv = TestServer::start_serving(Limits::default(), sites, |s| s).await;
    let mut guard_p = srv.phone_of_site(Role::Guard, "Väktare P", "plattan").await;
    let guard_p2 = srv
        .phone_of_site(Role::Guard, "Väktare P2", "plattan")
        .await;
    let mut guard_m = srv
        .phone_of_site(Role::Guard, "Väktare M", "medborgarplatsen")
        .await;
    let manager_m = srv
        .phone_of_site(Role::Manager, "Chef M", "medborgarplatsen")
        .await;
    let (mut ch_p2, mut ch_m, mut ch_chef_m) = (
        Channel::open(&guard_p2).await,
        Channel::open(&guard_m).await,
        Channel::open(&manager_m).await,
    );
    for ch in [&mut ch_p2, &mut ch_m, &mut ch_chef_m] {
        assert_eq!(ch.next_wake(SOON).await, Some(0));
    }

    // A push on the Plattan wakes the Plattan's other guard, and nobody of Medborgarplatsen.
    let d = guard_p.disturbance("Plattan");
    let r = guard_p.sync(&[d], 0).await;
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let pos = ch_p2.next_wake(SOON).await.expect("the same site's guard");
    assert!(pos >= 1, "{pos}");
    assert_eq!(ch_m.next_wake(QUIET).await, None, "another site's guard");
    assert_eq!(
        ch_chef_m.next_wake(QUIET).await,
        None,
        "another site's manager"
    );

    // And the other way round.
    let on_medborgarplatsen = GeoPoint::new(18.0724, 59.3147);
    let m = guard_m.clean_at("Medborgarplatsen", on_medborgarplatsen);
    assert!(guard_m.sync(&[m], 0).await.rejected.is_empty());
    let pos_m = ch_chef_m
        .next_wake(SOON)
        .await
        .expect("the same site's manager");
    assert!(pos_m > pos, "{pos_m} after {pos}");
    assert_eq!(ch_p2.next_wake(QUIET).await, None, "another site's guard");
}

#[tokio::test]
async fn a_resent_push_that_stores_nothing_wakes_nobody() {
    let srv = TestServer::start(Limits::default()).await;
    let mut g1 = srv.phone(Role::Guard, "Väktare 1").await;
    let g2 = srv.phone(Role::Guard, "Väktare 2").await;
    let mut ch = Channel::open(&g2).await;
    assert_eq!(ch.next_wake(SOON).await, Some(0));
    let d = g1.disturbance("x");
    g1.sync(std::slice::from_ref(&d), 0).await;
    assert!(ch.next_wake(SOON).await.is_some());
    g1.sync(&[d], 0).await;
    assert_eq!(ch.next_wake(QUIET).await, None);
}

#[tokio::test]
async fn a_second_channel_of_a_device_ends_the_first() {
    let srv = TestServer::start(Limits::default()).await;
    let g = srv.phone(Role::Guard, "Väktare 1").await;
    let mut old = Channel::open(&g).await;
    assert_eq!(old.next_wake(SOON).await, Some(0));
    let mut new = Channel::open(&g).await;
    assert!(old.ends(SOON).await, "the older channel ends");
    assert_eq!(new.next_wake(SOON).await, Some(0));
    assert!(!new.ends(QUIET).await, "the newer stays open");
}

#[tokio::test]
async fn a_bad_or_revoked_token_is_refused() {
    let srv = TestServer::start(Limits::default()).await;
    let mut g = srv.phone(Role::Guard, "Väktare 1").await;
    let good = g.token.clone();
    g.token = "not-a-token".into();
    let (status, body) = common::error_of(open_raw(&g).await).await;
    assert_eq!(
        (status, body.error.as_str()),
        (StatusCode::UNAUTHORIZED, "bad_token")
    );
    g.token = good;
    srv.store.revoke(g.device, srv.clock.now_ms()).unwrap();
    let (status, body) = common::error_of(open_raw(&g).await).await;
    assert_eq!(
        (status, body.error.as_str()),
        (StatusCode::UNAUTHORIZED, "revoked")
    );
}

#[tokio::test]
async fn shutdown_ends_open_channels_and_the_server_drains() {
    let mut srv = TestServer::start(Limits::default()).await;
    let g = srv.phone(Role::Guard, "Väktare 1").await;
    let mut ch = Channel::open(&g).await;
    assert_eq!(ch.next_wake(SOON).await, Some(0));
    let served = srv.stop();
    assert!(ch.ends(SOON).await, "the channel ends");
    tokio::time::timeout(SOON, served)
        .await
        .expect("the server drains with a channel open")
        .unwrap()
        .unwrap();
}

use torgkoll_server::Clock as _;
