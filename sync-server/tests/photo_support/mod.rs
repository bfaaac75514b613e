//! Helpers for the photo tests: real photos made by the phones' own processing, the operation attaching
//! one, and the upload and download requests as a phone sends them.
#![allow(dead_code)]

use std::io::Cursor;
use std::path::PathBuf;

use image::{ImageFormat, Rgb, RgbImage};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use torgkoll_shared::OpBody;
use torgkoll_shared::photo::{Prepared, UPLOAD_CHUNK_BYTES, UploadStatus, prepare};
use torgkoll_shared::protocol::WireOp;
use uuid::Uuid;

use crate::common::{Phone, TestServer};

/// A photo as a phone saves it: a generated picture (a gradient with deterministic noise, so that it
/// takes a few chunks) through `torgkoll_shared::photo::prepare`.
pub fn photo(seed: u32) -> Prepared {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = RgbImage::from_fn(900, 600, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state & 0x3f) as u8;
        Rgb([
            (x / 4) as u8 ^ n,
            (y / 3) as u8 ^ n,
            (seed as u8).wrapping_add(n),
        ])
    });
    let mut png = Vec::new();
    img.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    let p = prepare(&png).unwrap();
    assert!(p.bytes.len() > 2 * UPLOAD_CHUNK_BYTES, "{}", p.bytes.len());
    p
}

/// The operation attaching `p` to `report`.
pub fn attach(phone: &mut Phone, report: Uuid, p: &Prepared) -> WireOp {
    phone.op(photo_body(report, p))
}

pub fn photo_body(report: Uuid, p: &Prepared) -> OpBody {
    OpBody::Photo {
        report,
        photo: p.reference.clone(),
    }
}

fn url(phone: &Phone, hash: &str, tail: &str) -> String {
    format!("{}/v1/photos/{hash}{tail}", phone.url)
}

/// `GET /v1/photos/{hash}/upload`.
pub async fn upload_status(phone: &Phone, hash: &str) -> reqwest::Response {
    phone
        .client
        .get(url(phone, hash, "/upload"))
        .header(AUTHORIZATION, format!("Bearer {}", phone.token))
        .send()
        .await
        .unwrap()
}

/// `PUT /v1/photos/{hash}/upload?offset=N` with `bytes`.
pub async fn put(phone: &Phone, hash: &str, offset: u64, bytes: &[u8]) -> reqwest::Response {
    phone
        .client
        .put(url(phone, hash, &format!("/upload?offset={offset}")))
        .header(AUTHORIZATION, format!("Bearer {}", phone.token))
        .header(CONTENT_TYPE, "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
}

/// The upload status of an answer that must be 200.
pub async fn ok_status(resp: reqwest::Response) -> UploadStatus {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Uploads the photo in chunks of `UPLOAD_CHUNK_BYTES` from where the server is; its last status.
pub async fn upload(phone: &Phone, p: &Prepared) -> UploadStatus {
    let hash = &p.reference.hash;
    let mut now = ok_status(upload_status(phone, hash).await).await;
    while !now.complete {
        let from = now.received as usize;
        let to = (from + UPLOAD_CHUNK_BYTES).min(p.bytes.len());
        now = ok_status(put(phone, hash, from as u64, &p.bytes[from..to]).await).await;
    }
    now
}

/// `GET /v1/photos/{hash}` (or its thumbnail).
pub async fn download(phone: &Phone, hash: &str, thumb: bool) -> reqwest::Response {
    phone
        .client
        .get(url(phone, hash, if thumb { "/thumb" } else { "" }))
        .header(AUTHORIZATION, format!("Bearer {}", phone.token))
        .send()
        .await
        .unwrap()
}

/// The server's photos directory (the default beside a SQLite file; one in the test's directory on
/// PostgreSQL).
pub fn photos_dir(srv: &TestServer) -> PathBuf {
    srv.store.photos_dir().to_path_buf()
}

/// Every file under the photos directory, relative and sorted.
pub fn files(srv: &TestServer) -> Vec<String> {
    let root = photos_dir(srv);
    let mut out = Vec::new();
    for sub in ["", "partial", "thumbs"] {
        let Ok(dir) = std::fs::read_dir(root.join(sub)) else {
            continue;
        };
        for e in dir.flatten() {
            if e.file_type().unwrap().is_file() {
                let name = e.file_name().to_string_lossy().into_owned();
                out.push(if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                });
            }
        }
    }
    out.sort();
    out
}

/// A server, a cleaner with a report and the photo `seed` attached to it (accepted).
pub async fn cleaner_with_photo(seed: u32) -> (TestServer, Phone, Prepared) {
    let srv = TestServer::start(torgkoll_server::Limits::default()).await;
    let mut cleaner = srv.phone(torgkoll_shared::Role::Cleaner, "Plock 1").await;
    let p = photo(seed);
    let report = cleaner.clean("Klotter på bänken");
    let attached = attach(&mut cleaner, report.id, &p);
    let r = cleaner.sync(&[report, attached], 0).await;
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    (srv, cleaner, p)
}
