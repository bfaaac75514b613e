//! Enrollment codes and bearer tokens: a code works once and expires; a missing, wrong or revoked token
//! gets 401 and stores nothing.

mod common;

use common::{TestServer, error_of, request_json};
use reqwest::StatusCode;
use torgkoll_server::Limits;
use torgkoll_shared::Role;
use torgkoll_shared::protocol::EnrollResponse;

#[tokio::test]
async fn a_code_works_once() {
    let srv = TestServer::start(Limits::default()).await;
    let code = srv.code(Role::Manager, "Chefen", 24);
    // Typed in lower case, without the dash: still the same code.
    let typed = code.to_lowercase().replace('-', "");
    let resp = srv.post_enroll(&typed).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let e: EnrollResponse = resp.json().await.unwrap();
    assert_eq!(
        (e.role, e.name.as_str(), e.site_id.as_str()),
        (Role::Manager, "Chefen", "plattan")
    );
    assert_eq!(e.device.get_version_num(), 7);
    assert_eq!(e.token.len(), 43);

    let (status, body) = error_of(srv.post_enroll(&code).await).await;
    assert_eq!(
        (status, body.error.as_str()),
        (StatusCode::FORBIDDEN, "bad_code")
    );
    assert_eq!(srv.count("devices"), 1);

    // The token is stored hashed, never as sent.
    let stored = srv.one_text("SELECT token_hash FROM devices");
    assert_ne!(stored, e.token);
    assert_eq!(stored, torgkoll_server::secret::hash(&e.token));
}

#[tokio::test]
async fn codes_expire_and_wrong_codes_fail() {
    let srv = TestServer::start(Limits::default()).await;
    let code = srv.code(Role::Cleaner, "Plock", 24);
    srv.clock.advance(24 * 3_600_000 + 1);
    let (status, body) = error_of(srv.post_enroll(&code).await).await;
    assert_eq!(
        (status, body.error.as_str()),
        (StatusCode::FORBIDDEN, "bad_code")
    );

    for wrong in ["ABCDE-FGHJK", "short", "ÅÄÖÅÄ-ÅÄÖÅÄ", ""] {
        let (status, body) = error_of(srv.post_enroll(wrong).await).await;
        assert_eq!(
            (status, body.error.as_str()),
            (StatusCode::FORBIDDEN, "bad_code"),
            "{wrong}"
        );
    }
    let resp = srv
        .client
        .post(format!("{}/v1/enroll", srv.url))
        .body("{\"kod\":1}")
        .send()
        .await
        .unwrap();
    let (status, body) = error_of(resp).await;
    assert_eq!(
        (status, body.error.as_str()),
        (StatusCode::BAD_REQUEST, "malformed")
    );
    assert_eq!(srv.count("devices"), 0);
}

#[tokio::test]
async fn missing_wrong_and_revoked_tokens_get_401_and_store_nothing() {
    let srv = TestServer::start(Limits::default()).await;
    let mut phone = srv.phone(Role::Guard, "G").await;
    let body = request_json(&[phone.clean("x")], 0, None);
    let post = |auth: Option<String>| {
        let mut req = srv
            .client
            .post(format!("{}/v1/sync", srv.url))
            .body(body.clone());
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        req.send()
    };
    let cases = [
        (None, "bad_token"),
        (Some("Bearer".to_string()), "bad_token"),
        (Some(format!("Basic {}", phone.token)), "bad_token"),
        (
            Some("Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()),
            "bad_token",
        ),
    ];
    for (auth, code) in cases {
        let (status, err) = error_of(post(auth.clone()).await.unwrap()).await;
        assert_eq!(
            (status, err.error.as_str()),
            (StatusCode::UNAUTHORIZED, code),
            "{auth:?}"
        );
    }
    assert!(srv.store.revoke(phone.device, common::T0).unwrap());
    let (status, err) =
        error_of(post(Some(format!("Bearer {}", phone.token))).await.unwrap()).await;
    assert_eq!(
        (status, err.error.as_str()),
        (StatusCode::UNAUTHORIZED, "revoked")
    );
    assert_eq!(srv.count("ops") + srv.count("rejected"), 0);
    // Revoking twice reports that nothing changed.
    assert!(!srv.store.revoke(phone.device, common::T0).unwrap());
}

#[tokio::test]
async fn health_needs_no_token() {
    let srv = TestServer::start(Limits::default()).await;
    let resp = srv
        .client
        .get(format!("{}/v1/health", srv.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v, serde_json::json!({"status": "ok", "protocol": 1}));
    let (status, err) = error_of(
        srv.client
            .get(format!("{}/v2/sync", srv.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, err.error.as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}
