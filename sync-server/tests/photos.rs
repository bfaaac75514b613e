//! Photos, the upload and the downloads (docs/PROTOCOL.md, "Photos"), through a real server on loopback:
//! an upload cut halfway resumes from the server's offset, a duplicate stores nothing new, a report takes
//! at most four photos, and a cleaner never gets a disturbance's photo. The refusals of the upload are in
//! `photos_refusals.rs`.

mod common;
mod photo_support;

use std::time::Duration;

use common::{TestServer, error_of};
use photo_support::{
    attach, cleaner_with_photo, download, files, ok_status, photo, photo_body, photos_dir, put,
    upload, upload_status,
};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use tokio::io::AsyncWriteExt;
use torgkoll_server::Limits;
use torgkoll_shared::photo::{THUMB_EDGE_PX, UPLOAD_CHUNK_BYTES, UploadStatus};
use torgkoll_shared::{OpBody, Role};

/// Sends a `PUT` of `body` whose connection is cut after `sent` bytes of it.
async fn cut_put(url: &str, token: &str, hash: &str, offset: u64, body: &[u8], sent: usize) {
    let addr = url.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PUT /v1/photos/{hash}/upload?offset={offset} HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    tcp.write_all(&body[..sent]).await.unwrap();
    tcp.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(tcp);
}

#[tokio::test]
async fn an_upload_cut_halfway_resumes_from_the_servers_offset() {
    let (srv, cleaner, p) = cleaner_with_photo(1).await;
    let hash = p.reference.hash.clone();
    let half = p.bytes.len() / 2;
    let first = ok_status(upload_status(&cleaner, &hash).await).await;
    assert_eq!(
        first,
        UploadStatus {
            received: 0,
            complete: false
        }
    );

    // Whole chunks up to the half, then the chunk across it, cut at the half.
    let mut received = 0usize;
    while received + UPLOAD_CHUNK_BYTES <= half {
        let chunk = &p.bytes[received..received + UPLOAD_CHUNK_BYTES];
        let s = ok_status(put(&cleaner, &hash, received as u64, chunk).await).await;
        received += UPLOAD_CHUNK_BYTES;
        assert_eq!((s.received, s.complete), (received as u64, false));
    }
    let next = &p.bytes[received..(received + UPLOAD_CHUNK_BYTES).min(p.bytes.len())];
    cut_put(
        &srv.url,
        &cleaner.token,
        &hash,
        received as u64,
        next,
        half - received,
    )
    .await;

    let resumed = ok_status(upload_status(&cleaner, &hash).await).await;
    assert_eq!(
        resumed.received, received as u64,
        "the cut chunk is not kept"
    );
    assert!(
        half - received < UPLOAD_CHUNK_BYTES,
        "at most a chunk is sent again"
    );
    assert_eq!(files(&srv), [format!("partial/{hash}")]);

    let done = upload(&cleaner, &p).await;
    assert_eq!((done.received, done.complete), (p.bytes.len() as u64, true));
    assert_eq!(
        files(&srv),
        [format!("{hash}.jpg"), format!("thumbs/{hash}.jpg")]
    );
    let dir = photos_dir(&srv);
    assert_eq!(
        std::fs::read(dir.join(format!("{hash}.jpg"))).unwrap(),
        p.bytes
    );

    let resp = download(&cleaner, &hash, false).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], "image/jpeg");
    assert_eq!(
        resp.headers()[CACHE_CONTROL],
        "private, max-age=31536000, immutable"
    );
    assert_eq!(resp.bytes().await.unwrap(), p.bytes);
    let thumb = download(&cleaner, &hash, true).await;
    assert_eq!(thumb.status(), StatusCode::OK);
    let thumb = image::load_from_memory(&thumb.bytes().await.unwrap()).unwrap();
    assert_eq!(thumb.width().max(thumb.height()), THUMB_EDGE_PX);
}

#[tokio::test]
async fn a_duplicate_upload_stores_nothing_new() {
    let (srv, mut cleaner, p) = cleaner_with_photo(2).await;
    let hash = p.reference.hash.clone();
    upload(&cleaner, &p).await;
    let stored = photos_dir(&srv).join(format!("{hash}.jpg"));
    let before = std::fs::metadata(&stored).unwrap().modified().unwrap();
    let listing = files(&srv);

    // The same phone sends it again from the start, and attaches it to a second report.
    let again = ok_status(put(&cleaner, &hash, 0, &p.bytes[..UPLOAD_CHUNK_BYTES]).await).await;
    assert_eq!(
        (again.received, again.complete),
        (p.bytes.len() as u64, true)
    );
    let second = cleaner.clean("Samma klotter, andra sidan");
    let attached = attach(&mut cleaner, second.id, &p);
    assert!(
        cleaner
            .sync(&[second, attached], 0)
            .await
            .rejected
            .is_empty()
    );
    // Another phone with the same photo (attached to its own report) is told at once.
    let mut other = srv.phone(Role::Cleaner, "Plock 2").await;
    let report = other.clean("Klotter");
    let attached = attach(&mut other, report.id, &p);
    assert!(other.sync(&[report, attached], 0).await.rejected.is_empty());
    let told = ok_status(upload_status(&other, &hash).await).await;
    assert_eq!((told.received, told.complete), (p.bytes.len() as u64, true));
    let sent = ok_status(put(&other, &hash, 0, &p.bytes).await).await;
    assert!(sent.complete);

    assert_eq!(files(&srv), listing, "nothing new is stored");
    assert_eq!(
        std::fs::metadata(&stored).unwrap().modified().unwrap(),
        before
    );
}

#[tokio::test]
async fn a_cleaner_never_gets_a_disturbance_photo() {
    let srv = TestServer::start(Limits::default()).await;
    let mut guard = srv.phone(Role::Guard, "Vakt 1").await;
    let mut cleaner = srv.phone(Role::Cleaner, "Plock 1").await;
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;
    let (secret, open) = (photo(9), photo(10));
    let d = guard.disturbance("Bråk vid trappan");
    let attached = attach(&mut guard, d.id, &secret);
    assert!(
        guard
            .sync(&[d.clone(), attached], 0)
            .await
            .rejected
            .is_empty()
    );
    assert!(upload(&guard, &secret).await.complete);
    let c = cleaner.clean("Sprutor");
    let attached = attach(&mut cleaner, c.id, &open);
    assert!(cleaner.sync(&[c, attached], 0).await.rejected.is_empty());
    assert!(upload(&cleaner, &open).await.complete);

    let hash = &secret.reference.hash;
    for thumb in [false, true] {
        let (status, body) = error_of(download(&cleaner, hash, thumb).await).await;
        assert_eq!(
            (status.as_u16(), body.error.as_str()),
            (404, "unknown_photo")
        );
        for phone in [&guard, &manager] {
            let resp = download(phone, hash, thumb).await;
            assert_eq!(resp.status(), StatusCode::OK, "thumb: {thumb}");
        }
        // Everyone may see the cleaning report's photo.
        for phone in [&guard, &manager, &cleaner] {
            assert_eq!(
                download(phone, &open.reference.hash, thumb).await.status(),
                200
            );
        }
    }
    // A cleaner cannot attach it to the disturbance either, and never pulls its operation.
    let sneak = cleaner.op(photo_body(d.id, &secret));
    assert_eq!(cleaner.sync(&[sneak], 0).await.rejected.len(), 1);
    let (pulled, _, _) = cleaner.pull_all(0).await;
    assert!(
        pulled
            .iter()
            .all(|o| o.op.body.photo().is_none_or(|p| &p.hash != hash))
    );
    let (seen, _, _) = manager.pull_all(0).await;
    assert!(
        seen.iter()
            .any(|o| o.op.body.photo().is_some_and(|p| &p.hash == hash))
    );
}

#[tokio::test]
async fn a_report_takes_four_distinct_photos_and_the_same_one_again() {
    let srv = TestServer::start(Limits::default()).await;
    let mut cleaner = srv.phone(Role::Cleaner, "Plock 1").await;
    let report = cleaner.clean("Skada");
    let id = report.id;
    let reference = |n: u8| torgkoll_shared::photo::PhotoRef {
        hash: format!("{n:02x}").repeat(32),
        bytes: 1000,
        w: 800,
        h: 600,
    };
    let mut ops = vec![report];
    for n in [1, 2, 3, 4, 2, 5] {
        ops.push(cleaner.op(OpBody::Photo {
            report: id,
            photo: reference(n),
        }));
    }
    // In one push, so the fifth distinct photo is counted against those stored earlier in it.
    let r = cleaner.sync(&ops, 0).await;
    let refused: Vec<_> = r
        .rejected
        .iter()
        .map(|x| (x.seq, x.cause.clone()))
        .collect();
    assert_eq!(
        refused,
        [(7, Some(torgkoll_shared::Invalid::TooManyPhotos))]
    );
    // In a later push as well.
    let late = cleaner.op(OpBody::Photo {
        report: id,
        photo: reference(6),
    });
    assert_eq!(cleaner.sync(&[late], 0).await.rejected.len(), 1);
}
