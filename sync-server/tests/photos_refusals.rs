//! The refusals of the photo upload (docs/PROTOCOL.md, "Upload, resumable"), through a real server on
//! loopback: a wrong photo is refused with a reason and its bytes thrown away, an offset not the server's
//! is answered with the right one, bytes past the declared size are refused and what came before stays,
//! and only the phone that attached a photo may upload it (anyone else, or an unknown photo: 404).

mod common;
mod photo_support;

use common::{TestServer, error_of};
use photo_support::{
    cleaner_with_photo, download, files, ok_status, photo, put, upload, upload_status,
};
use reqwest::StatusCode;
use torgkoll_server::Limits;
use torgkoll_shared::photo::UPLOAD_CHUNK_BYTES;
use torgkoll_shared::{OpBody, Role};

#[tokio::test]
async fn a_wrong_photo_is_refused_with_a_reason_and_its_bytes_are_thrown_away() {
    let srv = TestServer::start(Limits::default()).await;
    let mut cleaner = srv.phone(Role::Cleaner, "Plock 1").await;
    let (real, other) = (photo(3), photo(4));
    // The operation names one photo; the phone sends another of the same size.
    let mut claimed = real.reference.clone();
    claimed.bytes = other.bytes.len() as u32;
    let report = cleaner.clean("Skada");
    let op = cleaner.op(OpBody::Photo {
        report: report.id,
        photo: claimed.clone(),
    });
    assert!(cleaner.sync(&[report, op], 0).await.rejected.is_empty());

    let hash = &claimed.hash;
    let mid = ok_status(put(&cleaner, hash, 0, &other.bytes[..UPLOAD_CHUNK_BYTES]).await).await;
    assert_eq!(mid.received, UPLOAD_CHUNK_BYTES as u64);
    let rest = &other.bytes[UPLOAD_CHUNK_BYTES..];
    let (status, body) = error_of(put(&cleaner, hash, UPLOAD_CHUNK_BYTES as u64, rest).await).await;
    assert_eq!(
        (status.as_u16(), body.error.as_str()),
        (422, "photo_mismatch")
    );
    assert!(body.message.contains("SHA-256"), "{}", body.message);
    assert!(
        body.message.contains(&other.reference.hash),
        "{}",
        body.message
    );

    let now = ok_status(upload_status(&cleaner, hash).await).await;
    assert_eq!((now.received, now.complete), (0, false));
    assert!(files(&srv).is_empty(), "{:?}", files(&srv));
    assert_eq!(download(&cleaner, hash, false).await.status(), 404);
}

#[tokio::test]
async fn an_offset_not_the_servers_is_refused_with_the_right_one() {
    let (_srv, cleaner, p) = cleaner_with_photo(5).await;
    let hash = &p.reference.hash;
    ok_status(put(&cleaner, hash, 0, &p.bytes[..UPLOAD_CHUNK_BYTES]).await).await;
    for wrong in [0, 1000, UPLOAD_CHUNK_BYTES as u64 + 1, 10_000_000] {
        let resp = put(&cleaner, hash, wrong, &p.bytes[..100]).await;
        assert_eq!(resp.status(), StatusCode::CONFLICT);
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["error"], "offset");
        assert_eq!(v["received"], UPLOAD_CHUNK_BYTES as u64);
        assert_eq!(v["complete"], false);
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Without an offset the request is malformed.
    let resp = cleaner
        .client
        .put(format!("{}/v1/photos/{hash}/upload", cleaner.url))
        .header("Authorization", format!("Bearer {}", cleaner.token))
        .body(vec![1u8; 10])
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(resp).await.1.error, "bad_query");
    let done = upload(&cleaner, &p).await;
    assert!(done.complete);
}

#[tokio::test]
async fn bytes_past_the_declared_size_are_refused_and_what_came_before_stays() {
    let (_srv, cleaner, p) = cleaner_with_photo(6).await;
    let hash = &p.reference.hash;
    ok_status(put(&cleaner, hash, 0, &p.bytes[..UPLOAD_CHUNK_BYTES]).await).await;
    let mut long = p.bytes[UPLOAD_CHUNK_BYTES..].to_vec();
    long.extend_from_slice(b"trailing");
    let (status, body) =
        error_of(put(&cleaner, hash, UPLOAD_CHUNK_BYTES as u64, &long).await).await;
    assert_eq!((status.as_u16(), body.error.as_str()), (413, "too_large"));
    let now = ok_status(upload_status(&cleaner, hash).await).await;
    assert_eq!(now.received, UPLOAD_CHUNK_BYTES as u64);
    // A request larger than 256 KiB is refused before it is looked at.
    let huge = vec![0u8; 256 * 1024 + 1];
    let (status, body) =
        error_of(put(&cleaner, hash, UPLOAD_CHUNK_BYTES as u64, &huge).await).await;
    assert_eq!((status.as_u16(), body.error.as_str()), (413, "too_large"));
    assert!(upload(&cleaner, &p).await.complete);
}

#[tokio::test]
async fn only_the_phone_that_attached_a_photo_may_upload_it() {
    let (srv, cleaner, p) = cleaner_with_photo(7).await;
    let hash = &p.reference.hash;
    let other = srv.phone(Role::Cleaner, "Plock 2").await;
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;
    let unknown = photo(8).reference.hash;
    let refused = [
        (&other, hash.as_str()),
        (&manager, hash.as_str()),
        (&cleaner, unknown.as_str()),
        (&cleaner, "not-a-hash"),
        (&cleaner, &hash.to_uppercase()),
    ];
    for (phone, h) in refused {
        for resp in [
            upload_status(phone, h).await,
            put(phone, h, 0, &p.bytes[..100]).await,
        ] {
            let (status, body) = error_of(resp).await;
            assert_eq!(
                (status.as_u16(), body.error.as_str()),
                (404, "unknown_photo")
            );
        }
    }
    assert!(files(&srv).is_empty());
    // Not complete yet: nobody can download it, not even its phone.
    ok_status(put(&cleaner, hash, 0, &p.bytes[..100]).await).await;
    for phone in [&cleaner, &manager] {
        let (status, body) = error_of(download(phone, hash, true).await).await;
        assert_eq!(
            (status.as_u16(), body.error.as_str()),
            (404, "unknown_photo")
        );
    }
    // Without a token: 401 as everywhere.
    let resp = reqwest::get(format!("{}/v1/photos/{hash}", srv.url))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}
