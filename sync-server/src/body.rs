//! Reading a request body within the size limit and the time limit, and its content encoding.

use std::time::Duration;

use axum::body::Body;
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_ENCODING, CONTENT_LENGTH};
use http_body_util::BodyExt;

use crate::error::ApiError;

/// How much of an oversized body is still read (and thrown away) so that the client, still sending,
/// gets the 413 answer rather than a reset connection.
const DRAIN_CAP: usize = 64 * 1024 * 1024;

/// A request body as sent, and whether it is gzip-compressed.
#[derive(Debug)]
pub struct RawBody {
    pub bytes: Vec<u8>,
    pub gzipped: bool,
}

/// Whether the body is gzip (`true`) or plain (`false`); another encoding is refused.
pub fn encoding(headers: &HeaderMap) -> Result<bool, ApiError> {
    let Some(value) = headers.get(CONTENT_ENCODING) else {
        return Ok(false);
    };
    let text = value.to_str().unwrap_or("?").trim().to_ascii_lowercase();
    match text.as_str() {
        "gzip" | "x-gzip" => Ok(true),
        "" | "identity" => Ok(false),
        _ => Err(ApiError::UnsupportedEncoding(text)),
    }
}

/// Reads the whole body, refusing more than `limit` bytes as sent and a body that has not arrived within
/// `deadline` (a client that stalls would otherwise hold the request for ever).
pub async fn read(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    deadline: Duration,
) -> Result<RawBody, ApiError> {
    let gzipped = encoding(headers)?;
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_CAP as u64) {
        return Err(ApiError::TooLarge { limit });
    }
    let bytes = tokio::time::timeout(deadline, collect(body, declared, limit))
        .await
        .map_err(|_| ApiError::BodyTimeout { after: deadline })??;
    Ok(RawBody { bytes, gzipped })
}

/// The body's bytes up to `limit`; past it, the rest is drained (up to [`DRAIN_CAP`]) and refused.
async fn collect(mut body: Body, declared: Option<u64>, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::with_capacity(declared.map_or(0, |n| (n as usize).min(limit)));
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::Malformed(format!("reading the body: {e}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len();
        if seen > DRAIN_CAP {
            break;
        }
        if seen <= limit {
            bytes.extend_from_slice(&data);
        }
    }
    if seen > limit {
        return Err(ApiError::TooLarge { limit });
    }
    Ok(bytes)
}
