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

/// A client still sending a body far over the limit gets the 413 answer, not a reset connection: the
/// server reads (and throws away) the rest before it answers. A body declared too large is refused by
/// the limit layer before any handler runs, a chunked one as it arrives; both answer our JSON.
#[tokio::test]
async fn a_client_still_sending_an_oversized_body_gets_the_answer() {
    let srv = TestServer::start(Limits {
        max_body_bytes: 64 * 1024,
        ..Limits::default()
    })
    .await;
    let p = srv.phone(Role::Guard, "G").await;
    let big = vec![b' '; 16 * 1024 * 1024];
    let post = || {
        p.client
            .post(format!("{}/v1/sync", p.url))
            .header("Authorization", format!("Bearer {}", p.token))
    };
    let declared = post().body(big.clone()).send().await.expect("an answer");
    refused(&srv, declared, StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let chunked = post()
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("an answer");
    refused(&srv, chunked, StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;
    // An enrollment has its own, smaller limit.
    let enroll = srv
        .client
        .post(format!("{}/v1/enroll", srv.url))
        .body(format!(r#"{{"code":"{}"}}"#, "A".repeat(8 * 1024)))
        .send()
        .await
        .unwrap();
    refused(&srv, enroll, StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;
}

/// Content codings are named case-insensitively and `x-gzip` is gzip (RFC 9110, 8.4.1.3); gzip is the
/// only one taken.
#[tokio::test]
async fn gzip_by_any_spelling_and_nothing_else() {
    let srv = TestServer::start(Limits::default()).await;
    let mut p = srv.phone(Role::Guard, "G").await;
    for (seq, name) in [(1, "x-gzip"), (2, " GZip ")] {
        p.seq = seq - 1;
        let op = p.clean(name);
        let resp = p
            .client
            .post(format!("{}/v1/sync", p.url))
            .header("Authorization", format!("Bearer {}", p.token))
            .header("Content-Encoding", name)
            .body(gzip(&request_json(&[op], 0, None)))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{name}");
    }
    for name in ["deflate", "br", "zstd", "gzip, gzip"] {
        let resp = p
            .client
            .post(format!("{}/v1/sync", p.url))
            .header("Authorization", format!("Bearer {}", p.token))
            .header("Content-Encoding", name)
            .body(b"{}".to_vec())
            .send()
            .await
            .unwrap();
        let (status, body) = error_of(resp).await;
        assert_eq!(
            (status, body.error.as_str()),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_encoding"),
            "{name}"
        );
    }
}
