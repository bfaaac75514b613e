//! Requests that cannot be read get a clear 4xx answer and store nothing.

mod common;

use common::{TestServer, error_of, gzip, request_json};
use reqwest::StatusCode;
use torgkoll_server::Limits;
use torgkoll_shared::Role;

async fn refused(srv: &TestServer, resp: reqwest::Response, status: StatusCode, code: &str) {
    let (got, body) = error_of(resp).await;
    assert_eq!(
        (got, body.error.as_str()),
        (status, code),
        "{}",
        body.message
    );
    assert!(!body.message.is_empty());
    assert_eq!(
        srv.count("ops") + srv.count("rejected"),
        0,
        "nothing is stored"
    );
}

#[tokio::test]
async fn malformed_bodies_are_refused_whole() {
    let srv = TestServer::start(Limits::default()).await;
    let mut p = srv.phone(Role::Guard, "G").await;
    let good = p.clean("ok");
    let good_json = serde_json::to_string(&good).unwrap();

    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (
            b"{\"v\":1,\"ops\":[".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            b"not json at all".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (b"[]".to_vec(), StatusCode::BAD_REQUEST, "malformed"),
        (
            b"{\"ops\":[]}".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            b"{\"v\":2,\"ops\":[]}".to_vec(),
            StatusCode::BAD_REQUEST,
            "unsupported_version",
        ),
        (
            format!("{{\"v\":1,\"ops\":[{good_json}],\"pull_after\":-1}}").into_bytes(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            // A good operation, then one without a readable id: neither is stored.
            format!("{{\"v\":1,\"ops\":[{good_json},{{\"seq\":2,\"body\":{{}}}}]}}").into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_op",
        ),
        (
            format!(
                "{{\"v\":1,\"ops\":[{}]}}",
                good_json.replace("\"seq\":1", "\"seq\":0")
            )
            .into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_op",
        ),
    ];
    for (body, status, code) in cases {
        for gz in [true, false] {
            refused(&srv, p.post_raw(body.clone(), gz).await, status, code).await;
        }
    }
    // Marked as gzip but not gzip.
    let resp = p
        .client
        .post(format!("{}/v1/sync", p.url))
        .header("Authorization", format!("Bearer {}", p.token))
        .header("Content-Encoding", "gzip")
        .body(request_json(std::slice::from_ref(&good), 0, None))
        .send()
        .await
        .unwrap();
    refused(&srv, resp, StatusCode::BAD_REQUEST, "malformed").await;
    let resp = p
        .client
        .post(format!("{}/v1/sync", p.url))
        .header("Authorization", format!("Bearer {}", p.token))
        .header("Content-Encoding", "br")
        .body(request_json(std::slice::from_ref(&good), 0, None))
        .send()
        .await
        .unwrap();
    refused(
        &srv,
        resp,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_encoding",
    )
    .await;

    // After all that, the good operation still goes through as seq 1.
    assert_eq!(p.sync(&[good], 0).await.acked_through, 1);
}

#[tokio::test]
async fn oversized_bodies_are_refused_compressed_and_inflated() {
    let limit = 64 * 1024;
    let srv = TestServer::start(Limits {
        max_body_bytes: limit,
        max_ops: 50,
        ..Limits::default()
    })
    .await;
    let mut p = srv.phone(Role::Guard, "G").await;

    // Too large as sent: random-ish text does not compress, sent plain.
    let note: String = (0..limit)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    let mut big = serde_json::to_value(p.clean("x")).unwrap();
    big["body"]["note"] = note.into();
    let body = format!("{{\"v\":1,\"ops\":[{big}]}}").into_bytes();
    refused(
        &srv,
        p.post_raw(body, false).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    )
    .await;

    // Small when sent, too large once inflated: a gzip bomb.
    let padding = " ".repeat(limit * 4);
    let bomb = format!("{{\"v\":1,{padding}\"ops\":[]}}");
    assert!(gzip(bomb.as_bytes()).len() < limit);
    refused(
        &srv,
        p.post_raw(bomb.into_bytes(), true).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    )
    .await;

    // Too many operations in one push.
    p.seq = 0;
    let ops: Vec<_> = (0..51).map(|i| p.clean(&i.to_string())).collect();
    let resp = p.post_raw(request_json(&ops, 0, None), true).await;
    refused(&srv, resp, StatusCode::PAYLOAD_TOO_LARGE, "too_many_ops").await;
    assert_eq!(p.sync(&ops[..50], 0).await.acked_through, 50);
}
