//! The sync answer is encoded and compressed off the runtime's workers (`answer.rs`): gzip when the
//! phone takes it, once (not again by the compression layer), the same JSON either way, and plain for a
//! client that does not take gzip.

mod common;

use std::io::Read;

use common::{TestServer, request_json};
use reqwest::header::{ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use serde_json::Value;
use torgkoll_server::Limits;
use torgkoll_shared::Role;

/// Pulls after `pos` with `Accept-Encoding: accept`, from a client that inflates nothing itself:
/// the answer's `Content-Encoding` and its JSON.
async fn pull(srv: &TestServer, token: &str, pos: u64, accept: &str) -> (Option<String>, Value) {
    let client = reqwest::Client::builder().no_gzip().build().unwrap();
    let resp = client
        .post(format!("{}/v1/sync", srv.url))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT_ENCODING, accept)
        .body(request_json(&[], pos, None))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let encoding = resp
        .headers()
        .get(CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = resp.bytes().await.unwrap();
    let json = if encoding.as_deref() == Some("gzip") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .expect("gzip, once");
        out
    } else {
        bytes.to_vec()
    };
    (encoding, serde_json::from_slice(&json).expect("JSON"))
}

#[tokio::test]
async fn answers_gzip_once_when_taken_and_the_same_json_either_way() {
    let srv = TestServer::start(Limits::default()).await;
    let mut maker = srv.phone(Role::Cleaner, "maker").await;
    let reader = srv.phone(Role::Manager, "reader").await;
    let ops: Vec<_> = (0..40)
        .map(|i| maker.clean(&format!("fimpar {i}")))
        .collect();
    assert_eq!(maker.sync(&ops, 0).await.acked_through, 40);

    let (enc, gz) = pull(&srv, &reader.token, 0, "gzip").await;
    assert_eq!(enc.as_deref(), Some("gzip"));
    assert_eq!(gz["ops"].as_array().map(Vec::len), Some(40));
    let (enc, plain) = pull(&srv, &reader.token, 0, "identity").await;
    assert_eq!(enc, None);
    let (enc, refused) = pull(&srv, &reader.token, 0, "br, gzip;q=0").await;
    assert_eq!(enc, None);
    // The test server's clock stands still, so the answers are equal to the byte.
    assert_eq!(gz, plain);
    assert_eq!(plain, refused);

    // An answer with nothing to pull goes through the compression layer as before: still gzip, once.
    let end = gz["pull_pos"].as_u64().unwrap();
    let (enc, empty) = pull(&srv, &reader.token, end, "gzip").await;
    assert_eq!(enc.as_deref(), Some("gzip"));
    assert_eq!(empty["ops"].as_array().map_or(0, Vec::len), 0);
    let (enc, empty_plain) = pull(&srv, &reader.token, end, "identity").await;
    assert_eq!(enc, None);
    assert_eq!(empty, empty_plain);
}
