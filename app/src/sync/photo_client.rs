//! HTTP of the photo endpoints (docs/PROTOCOL.md, "Photos"): the upload's status, one chunk, and the
//! download of a photo or its thumbnail.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::{Body, StatusCode};
use serde::Deserialize;
use torgkoll_shared::photo::UploadStatus;

use super::client::{error_of, url};
use super::{SyncClient, SyncError};

/// The pieces an upload's body is handed to the connection in: small, so the count of bytes handed
/// over stays close to the bytes sent.
const PIECE_BYTES: usize = 16 * 1024;

/// What the server said to one upload request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PutAnswer {
    /// Stored; the new status.
    Stored(UploadStatus),
    /// 409 `offset`: the server holds a different amount; continue from its `received`.
    Offset(UploadStatus),
}

/// The 409 answer: the error body with the upload's status beside it.
#[derive(Deserialize)]
struct OffsetBody {
    received: u64,
    #[serde(default)]
    complete: bool,
}

impl SyncClient {
    fn photo_url(&self, hash: &str, tail: &str) -> String {
        url(&self.base, &format!("/v1/photos/{hash}{tail}"))
    }

    fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// `GET /v1/photos/{hash}/upload`: how much of the photo the server holds.
    pub(crate) async fn upload_status(&self, hash: &str) -> Result<UploadStatus, SyncError> {
        let resp = self
            .http
            .get(self.photo_url(hash, "/upload"))
            .header(AUTHORIZATION, self.bearer())
            .send()
            .await?;
        if resp.status().is_success() {
            let body = resp.bytes().await?;
            return serde_json::from_slice(&body)
                .map_err(|e| SyncError::BadResponse(e.to_string()));
        }
        Err(failed(resp).await)
    }

    /// `PUT /v1/photos/{hash}/upload?offset=N` with `chunk`. The body goes out in pieces; `sent` counts
    /// the bytes handed to the connection (what a cut may waste).
    pub(crate) async fn put_chunk(
        &self,
        hash: &str,
        offset: u64,
        chunk: Vec<u8>,
        sent: Arc<AtomicU64>,
    ) -> Result<PutAnswer, SyncError> {
        let len = chunk.len();
        let pieces: Vec<Vec<u8>> = chunk.chunks(PIECE_BYTES).map(<[u8]>::to_vec).collect();
        // Counted when the connection asks for the piece, not before.
        let pieces = pieces.into_iter().map(move |piece| {
            sent.fetch_add(piece.len() as u64, Ordering::Relaxed);
            Ok::<_, std::io::Error>(piece)
        });
        let resp = self
            .http
            .put(self.photo_url(hash, &format!("/upload?offset={offset}")))
            .header(AUTHORIZATION, self.bearer())
            .header(CONTENT_TYPE, "application/octet-stream")
            .header(CONTENT_LENGTH, len)
            .body(Body::wrap_stream(futures_util::stream::iter(pieces)))
            .send()
            .await?;
        let status = resp.status();
        if status.is_success() {
            let body = resp.bytes().await?;
            return serde_json::from_slice(&body)
                .map(PutAnswer::Stored)
                .map_err(|e| SyncError::BadResponse(e.to_string()));
        }
        if status == StatusCode::CONFLICT {
            let body = resp.bytes().await?;
            let b: OffsetBody = serde_json::from_slice(&body)
                .map_err(|e| SyncError::BadResponse(format!("a 409 without an offset: {e}")))?;
            return Ok(PutAnswer::Offset(UploadStatus {
                received: b.received,
                complete: b.complete,
            }));
        }
        Err(failed(resp).await)
    }

    /// `GET /v1/photos/{hash}` (or its `/thumb`): the bytes, or `None` when the server has none this
    /// phone may see (404 `unknown_photo`).
    pub(crate) async fn download_photo(
        &self,
        hash: &str,
        thumb: bool,
    ) -> Result<Option<Vec<u8>>, SyncError> {
        let resp = self
            .http
            .get(self.photo_url(hash, if thumb { "/thumb" } else { "" }))
            .header(AUTHORIZATION, self.bearer())
            .send()
            .await?;
        let status = resp.status();
        if status.is_success() {
            return Ok(Some(resp.bytes().await?.to_vec()));
        }
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        Err(failed(resp).await)
    }
}

/// An error answer as the sync's error.
async fn failed(resp: reqwest::Response) -> SyncError {
    let (status, body) = error_of(resp).await;
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => SyncError::BadToken {
            code: body.error,
            message: body.message,
        },
        s => SyncError::Server {
            status: s.as_u16(),
            code: body.error,
            message: body.message,
        },
    }
}
