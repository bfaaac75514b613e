//! Re-enrollment and token rotation: a code made for an existing device gives that same device a new
//! token; the old token stops working, a revoked device is let back in, and its acknowledgements (and so
//! its phone's queue) are kept. The real binary prints only the code on stdout, the link and QR elsewhere.

mod common;

use std::process::{Command, Stdio};

use common::{TestServer, error_of};
use reqwest::StatusCode;
use torgkoll_server::{Clock, Limits, secret};
use torgkoll_shared::Role;
use torgkoll_shared::enroll_link::EnrollLink;
use torgkoll_shared::protocol::EnrollResponse;
use uuid::Uuid;

const BIN: &str = env!("CARGO_BIN_EXE_torgkoll-server");

/// A re-enrollment code for `device`, as `enroll --device` makes it; `None` for an unknown device.
fn reenroll_code(srv: &TestServer, device: Uuid) -> Option<String> {
    let code = secret::new_code();
    let now = srv.clock.now_ms();
    let hash = secret::hash(&secret::normalize_code(&code).unwrap());
    let found = srv
        .store
        .add_reenroll_code(&hash, device, now + 3_600_000, now)
        .unwrap()?;
    assert_eq!(found.id, device);
    Some(code)
}

async fn redeem(srv: &TestServer, code: &str) -> EnrollResponse {
    let resp = srv.post_enroll(code).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

#[tokio::test]
async fn reenrolling_keeps_the_id_and_the_acks_and_refuses_the_old_token() {
    let srv = TestServer::start(Limits::default()).await;
    let mut phone = srv.phone(Role::Cleaner, "Plock 1").await;
    let ops = [phone.clean("a"), phone.clean("b")];
    assert_eq!(phone.sync(&ops, 0).await.acked_through, 2);

    let code = reenroll_code(&srv, phone.device).unwrap();
    let e = redeem(&srv, &code).await;
    assert_eq!(
        (e.device, e.role, e.name.as_str()),
        (phone.device, Role::Cleaner, "Plock 1")
    );
    assert_ne!(e.token, phone.token);
    // The code works once.
    let (status, _) = error_of(srv.post_enroll(&code).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The old token is refused, and nothing is stored for it.
    let old = phone.token.clone();
    let next = phone.clean("c");
    let (status, err) = error_of(
        phone
            .post_raw(
                common::request_json(std::slice::from_ref(&next), 0, None),
                false,
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, err.error.as_str()),
        (StatusCode::UNAUTHORIZED, "bad_token")
    );
    assert_eq!(srv.count("ops"), 2);

    // The new token continues where the device was: seq 3 follows its acked 2.
    phone.token = e.token;
    assert_ne!(phone.token, old);
    assert_eq!(phone.sync(&[], 0).await.acked_through, 2);
    assert_eq!(phone.sync(&[next], 0).await.acked_through, 3);
    assert_eq!((srv.count("devices"), srv.count("ops")), (1, 3));
}

#[tokio::test]
async fn a_revoked_device_is_let_back_in_and_unknown_devices_are_refused() {
    let srv = TestServer::start(Limits::default()).await;
    let mut phone = srv.phone(Role::Guard, "Vakt 2").await;
    let op = phone.disturbance("bråk");
    assert_eq!(phone.sync(&[op], 0).await.acked_through, 1);
    assert!(srv.store.revoke(phone.device, srv.clock.now_ms()).unwrap());
    let (status, err) = error_of(
        phone
            .post_raw(common::request_json(&[], 0, None), false)
            .await,
    )
    .await;
    assert_eq!(
        (status, err.error.as_str()),
        (StatusCode::UNAUTHORIZED, "revoked")
    );

    let e = redeem(&srv, &reenroll_code(&srv, phone.device).unwrap()).await;
    assert_eq!(e.device, phone.device);
    phone.token = e.token;
    assert_eq!(phone.sync(&[], 0).await.acked_through, 1);
    let d = srv.store.devices(None).unwrap();
    let d = d.iter().find(|s| s.device.id == phone.device).unwrap();
    assert_eq!(d.device.revoked_ms, None);

    assert!(reenroll_code(&srv, Uuid::now_v7()).is_none());
    assert_eq!(srv.count("enroll_codes"), 2);
}

/// `enroll --device` and `rotate` through the binary: only the code on stdout, the link (and QR code) on
/// stderr, an SVG file when asked, a clear error for an unknown id.
#[tokio::test]
async fn the_cli_makes_reenroll_codes_and_links() {
    let srv = TestServer::start(Limits::default()).await;
    let phone = srv.phone(Role::Cleaner, "Plock 3").await;
    let svg = srv.dir.path().join("qr.svg");
    let id = phone.device.to_string();
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .env("TORGKOLL_DB", &srv.db)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (ok, out, err) = run(&[
        "enroll",
        "--device",
        &id,
        "--server",
        "https://torg.example.se/",
        "--qr-svg",
        svg.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let code = out.trim();
    assert_eq!((code.len(), out.lines().count()), (11, 1), "{out:?}");
    let link = EnrollLink {
        server: "https://torg.example.se".into(),
        code: code.into(),
    };
    assert!(err.contains(&link.to_link()), "{err}");
    assert!(
        err.contains("Plock 3") && err.contains("old token stops working"),
        "{err}"
    );
    assert!(
        err.contains('▀') || err.contains('▄'),
        "a QR code in half blocks: {err}"
    );
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));

    // Rotation is the same: a code for the same device, which it redeems for a new token.
    srv.store.revoke(phone.device, srv.clock.now_ms()).unwrap();
    let (ok, out, err) = run(&["rotate", "--device", &id]);
    assert!(ok, "{err}");
    assert!(err.contains("un-revokes"), "{err}");
    assert!(
        !err.contains("torgkoll://"),
        "no link without --server: {err}"
    );
    let e = redeem(&srv, out.trim()).await;
    assert_eq!(e.device, phone.device);

    let unknown = Uuid::now_v7().to_string();
    let (ok, out, err) = run(&["enroll", "--device", &unknown]);
    assert!(!ok && out.is_empty());
    assert!(err.contains(&format!("no device {unknown}")), "{err}");
    let (ok, _, _) = run(&["enroll", "--device", &id, "--role", "guard"]);
    assert!(!ok, "--device takes the role from the device");
    let (ok, _, err) = run(&[
        "enroll",
        "--role",
        "guard",
        "--name",
        "V",
        "--server",
        "torg.example.se",
    ]);
    assert!(!ok && err.contains("--server"), "{err}");
}
