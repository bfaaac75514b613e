//! Who is out there: every sync records the device's last contact (the server's clock), its outbox size
//! and app version; `GET /v1/review/devices` shows them to a manager with the shared rule's status.

mod common;

use common::{T0, TestServer, error_of};
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use torgkoll_server::Limits;
use torgkoll_shared::Role;
use torgkoll_shared::devices::{DeviceStatus, DevicesResponse};
use torgkoll_shared::protocol::SyncRequest;

const MIN: i64 = 60_000;

/// A sync as the app sends it: with its outbox size and version (`extra` is more JSON, as sent).
async fn sync_saying(phone: &common::Phone, pending: u64, app: &str) -> StatusCode {
    let req = SyncRequest {
        v: 1,
        ops: vec![],
        pull_after: 0,
        pull_limit: None,
        phone_ms: Some(T0),
        pending: Some(pending),
        app: Some(app.into()),
    };
    phone
        .post_raw(serde_json::to_vec(&req).unwrap(), true)
        .await
        .status()
}

async fn devices_as(srv: &TestServer, token: &str) -> reqwest::Response {
    srv.client
        .get(format!("{}/v1/review/devices", srv.url))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_phone_quiet_for_two_hours_in_the_shift_is_silent() {
    let srv = TestServer::start(Limits::default()).await;
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;
    let early = srv.phone(Role::Cleaner, "Plock 1").await;
    let recent = srv.phone(Role::Guard, "Vakt 1").await;
    let never = srv.phone(Role::Cleaner, "Plock 2").await;

    assert_eq!(sync_saying(&early, 3, "0.1.0").await, StatusCode::OK);
    srv.clock.advance(115 * MIN);
    // An old phone says neither: its contact counts all the same.
    recent.sync(&[], 0).await;
    srv.clock.advance(5 * MIN);

    let resp = devices_as(&srv, &manager.token).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let list: DevicesResponse = resp.json().await.unwrap();
    assert_eq!(list.now_ms, T0 + 120 * MIN);
    let names: Vec<&str> = list.devices.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names[..3], ["Plock 1", "Vakt 1", "Platsansvarig"][..]);

    let e = &list.devices[0];
    assert_eq!(e.id, early.device);
    assert_eq!(e.status, DeviceStatus::Silent);
    assert_eq!(e.last_contact_ms, Some(T0));
    assert_eq!(e.pending, Some(3));
    assert_eq!(e.app.as_deref(), Some("0.1.0"));
    assert_eq!(e.clock_offset_ms, Some(0));
    assert_eq!(e.silent_for_ms(list.now_ms), Some(120 * MIN));

    let r = &list.devices[1];
    assert_eq!(r.status, DeviceStatus::InContact);
    assert_eq!(r.last_contact_ms, Some(T0 + 115 * MIN));
    assert_eq!((r.pending, r.app.as_deref()), (None, None));

    let n = list.devices.iter().find(|d| d.id == never.device).unwrap();
    assert_eq!((n.status, n.last_contact_ms), (DeviceStatus::Never, None));
    // The manager's own fetch is not a sync.
    assert_eq!(list.devices[2].status, DeviceStatus::Never);

    // Three days on, nobody is silent: they are away, and still listed.
    srv.clock.advance(3 * 24 * 60 * MIN);
    let list: DevicesResponse = devices_as(&srv, &manager.token).await.json().await.unwrap();
    assert_eq!(list.devices.len(), 4);
    let e = list.devices.iter().find(|d| d.id == early.device).unwrap();
    assert_eq!(e.status, DeviceStatus::Away);
}

#[tokio::test]
async fn a_later_sync_updates_the_count_and_a_bad_version_is_ignored() {
    let srv = TestServer::start(Limits::default()).await;
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;
    let mut phone = srv.phone(Role::Cleaner, "Plock 1").await;
    assert_eq!(sync_saying(&phone, 7, "0.1.0").await, StatusCode::OK);
    srv.clock.advance(MIN);
    // 41 characters, and a control character: the sync goes through, the version stays.
    assert_eq!(
        sync_saying(&phone, 2, &"1".repeat(41)).await,
        StatusCode::OK
    );
    assert_eq!(sync_saying(&phone, 0, "0.2\n").await, StatusCode::OK);
    // A count that is no count is ignored too, not a refused sync.
    let op = phone.clean("vid bänken");
    let mut body: serde_json::Value =
        serde_json::from_slice(&common::request_json(&[op], 0, None)).unwrap();
    body["pending"] = serde_json::json!(-1);
    body["app"] = serde_json::json!(["x"]);
    let resp = phone
        .post_raw(serde_json::to_vec(&body).unwrap(), true)
        .await;
    assert_eq!(resp.status(), StatusCode::OK);

    let all = srv.store.devices(None).unwrap();
    let s = all.iter().find(|s| s.device.id == phone.device).unwrap();
    assert_eq!(s.last_contact_ms, Some(T0 + MIN));
    assert_eq!(s.pending, Some(0));
    assert_eq!(s.app.as_deref(), Some("0.1.0"));

    // The wake-up channel's touch keeps what the phone said.
    srv.store
        .touch_device(phone.device, T0 + 2 * MIN, None, None)
        .unwrap();
    let list: DevicesResponse = devices_as(&srv, &manager.token).await.json().await.unwrap();
    let d = list.devices.iter().find(|d| d.id == phone.device).unwrap();
    assert_eq!(d.last_contact_ms, Some(T0 + 2 * MIN));
    assert_eq!((d.pending, d.app.as_deref()), (Some(0), Some("0.1.0")));
}

#[tokio::test]
async fn only_a_manager_sees_the_devices() {
    let srv = TestServer::start(Limits::default()).await;
    let cleaner = srv.phone(Role::Cleaner, "Plock 1").await;
    let guard = srv.phone(Role::Guard, "Vakt 1").await;
    for token in [&cleaner.token, &guard.token] {
        let (status, body) = error_of(devices_as(&srv, token).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body.error, "forbidden");
    }
    let resp = srv
        .client
        .get(format!("{}/v1/review/devices", srv.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}
