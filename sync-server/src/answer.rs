//! The sync answer encoded off the runtime's workers. A page of 5,000 pulled operations is 2.8 MB of JSON
//! and some 15 ms of gzip; done on a tokio worker, as the compression layer would do it while the body
//! streams, it holds up every other request that worker polls, a person's one-report push among them
//! (BENCHMARKS.md, "One push while the crowd syncs"). Here the answer is encoded and compressed on a
//! blocking thread, and the compression layer leaves an answer that already names its encoding alone.

use std::io::Write;

use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::error::ApiError;
use crate::store::SyncAnswer;

/// Whether the request's `Accept-Encoding` takes gzip (`gzip` or `x-gzip`, with no `q=0`).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                let p = p.trim();
                let q = p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="));
                q.is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            (coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip"))
                && !refused
        })
}

/// The answer as its HTTP response: JSON, gzip-compressed at the fastest level when the phone takes it,
/// both on a blocking thread. An answer that pulled nothing (a few hundred bytes) is left to the
/// compression layer on the worker: a thread hop would cost more than it saves.
pub async fn respond(answer: SyncAnswer, gzip: bool) -> Result<Response, ApiError> {
    if answer.ops.is_empty() {
        return Ok(axum::Json(answer).into_response());
    }
    tokio::task::spawn_blocking(move || encode(&answer, gzip))
        .await
        .map_err(|e| ApiError::Internal(format!("encoding the answer was abandoned: {e}")))?
}

fn encode(answer: &SyncAnswer, gzip: bool) -> Result<Response, ApiError> {
    let internal = |e: std::io::Error| ApiError::Internal(format!("encoding the answer: {e}"));
    let json = serde_json::to_vec(answer).map_err(|e| internal(e.into()))?;
    let json_type = (CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let vary = (VARY, HeaderValue::from_static("accept-encoding"));
    if !gzip {
        return Ok(([json_type, vary], json).into_response());
    }
    // The fastest level, as the compression layer used (routes.rs): the server's CPU is what a crowd
    // runs out of first.
    let mut enc = GzEncoder::new(Vec::with_capacity(json.len() / 4), Compression::fast());
    enc.write_all(&json).map_err(internal)?;
    let gz = enc.finish().map_err(internal)?;
    let gzip = (CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    Ok(([json_type, gzip, vary], gz).into_response())
}

#[cfg(test)]
mod tests {
    use super::accepts_gzip;
    use axum::http::{HeaderMap, HeaderValue, header::ACCEPT_ENCODING};

    fn with(v: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT_ENCODING, HeaderValue::from_static(v));
        h
    }

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts_gzip(&with("gzip")));
        assert!(accepts_gzip(&with("br, GZIP;q=0.5")));
        assert!(accepts_gzip(&with("x-gzip")));
        assert!(accepts_gzip(&with("deflate, gzip ; q=1")));
        assert!(!accepts_gzip(&with("gzip;q=0")));
        assert!(!accepts_gzip(&with("gzip; q=0.0, br")));
        assert!(!accepts_gzip(&with("identity")));
        assert!(!accepts_gzip(&with("gzipped")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
