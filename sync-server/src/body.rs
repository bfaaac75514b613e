//! Request bodies through tower-http's layers: gzip inflated by `RequestDecompressionLayer`, the size
//! bounded as sent by `RequestBodyLimitLayer` and once inflated by axum's `DefaultBodyLimit`, each route
//! with its own limit ([`limited`]). Handlers take the bytes with the [`Payload`] extractor, which reads
//! them within `Limits::body_read_timeout` and turns every refusal into an [`ApiError`]: 413 `too_large`
//! (a gzip bomb stops inflating at the limit: the inflated body is read lazily, 4 KiB at a time), 415
//! `unsupported_encoding`, 408 `timeout`, 400 `malformed` (gzip that does not inflate). The pure decoder
//! the fuzz target feeds stays in [`crate::decode`].
//!
//! One thing the layers do not do: a body refused for its size is still read (and thrown away, up to
//! [`DRAIN_CAP`]) before the 413 is sent, so a client still sending gets the answer rather than a reset
//! connection (hyper reads no further and closes; unread bytes make the kernel send a reset). The
//! outermost layer of [`limited`] keeps a handle on the body as received for that, and drains it as
//! sent, never through the inflater.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::{RequestExt, http};
use http_body_util::{BodyExt, LengthLimitError};
use hyper::body::{Frame, SizeHint};
use tower::ServiceBuilder;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

use crate::error::ApiError;

/// How much of an oversized body is still read (and thrown away) so that the client, still sending,
/// gets the 413 answer rather than a reset connection. A body declared larger is refused unread.
pub const DRAIN_CAP: usize = 64 * 1024 * 1024;

/// A route's body rules, for [`Payload`] (set by [`limited`]).
#[derive(Clone, Copy, Debug)]
struct Rules {
    limit: usize,
    deadline: Duration,
}

/// `route` with its request bodies inflated (gzip only) and bounded to `limit` bytes, as sent and once
/// inflated, read within `deadline`.
pub fn limited<S>(route: MethodRouter<S>, limit: usize, deadline: Duration) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    let rules = Rules { limit, deadline };
    // The first layer is the outermost, the first to see the request.
    route.layer(
        ServiceBuilder::new()
            .layer(from_fn(move |req, next| refusals(rules, req, next)))
            .layer(RequestBodyLimitLayer::new(limit))
            .layer(
                RequestDecompressionLayer::new()
                    .no_br()
                    .no_deflate()
                    .no_zstd()
                    // Another encoding reaches `Payload`, which refuses it with our answer.
                    .pass_through_unaccepted(true),
            )
            .layer(DefaultBodyLimit::max(limit)),
    )
}

/// A request's body, inflated, within its route's limits and deadline.
#[derive(Debug)]
pub struct Payload(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Payload {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let rules =
            req.extensions().get::<Rules>().copied().ok_or_else(|| {
                ApiError::Internal("a body read on a route without limits".into())
            })?;
        // The decompression layer removed a gzip it inflated; what is left, it could not.
        if let Some(other) = req.headers().get(CONTENT_ENCODING) {
            let name = other.to_str().unwrap_or("?").to_string();
            if name != "identity" {
                return Err(ApiError::UnsupportedEncoding(name));
            }
        }
        let read = req.into_limited_body().collect();
        let body = tokio::time::timeout(rules.deadline, read)
            .await
            .map_err(|_| ApiError::BodyTimeout {
                after: rules.deadline,
            })?
            .map_err(|e| refused(&e, rules.limit))?;
        Ok(Payload(body.to_bytes()))
    }
}

/// A body that failed to arrive: over a limit (either layer's), or not what it said (bad gzip, a
/// connection that broke).
fn refused(e: &axum::Error, limit: usize) -> ApiError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<LengthLimitError>() {
            return ApiError::TooLarge { limit };
        }
        cause = c.source();
    }
    ApiError::Malformed(format!("reading the body: {e}"))
}

/// The outermost layer: names the encoding as the decompression layer spells it, answers the limit
/// layer's refusal of a declared length with our 413, and reads what is left of a body refused for its
/// size before answering.
async fn refusals(rules: Rules, mut req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_CAP as u64) {
        return too_large(rules.limit);
    }
    canonical_encoding(req.headers_mut());
    let started = tokio::time::Instant::now();
    req.extensions_mut().insert(rules);
    let (parts, body) = req.into_parts();
    let received = Shared(Arc::new(Mutex::new(body)));
    let resp = next
        .run(Request::from_parts(parts, Body::new(received.clone())))
        .await;
    if resp.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return resp;
    }
    let json = resp
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    // `RequestBodyLimitLayer` answers a declared length over the limit itself, in plain text.
    let resp = if json { resp } else { too_large(rules.limit) };
    let drained = tokio::time::timeout_at(started + rules.deadline, drain(received)).await;
    if drained.is_err() {
        tracing::debug!("an oversized body did not end within the body deadline");
    }
    resp
}

fn too_large(limit: usize) -> Response {
    ApiError::TooLarge { limit }.into_response()
}

/// `gzip` as the decompression layer matches it: `x-gzip` (RFC 9110, 8.4.1.3) and any case or padding
/// are the same coding.
fn canonical_encoding(headers: &mut http::HeaderMap) {
    let Some(value) = headers.get(CONTENT_ENCODING) else {
        return;
    };
    let name = value.to_str().unwrap_or("?").trim().to_ascii_lowercase();
    let name = match name.as_str() {
        "x-gzip" => "gzip".to_string(),
        "" => "identity".to_string(),
        _ => name,
    };
    if let Ok(v) = HeaderValue::from_str(&name) {
        headers.insert(CONTENT_ENCODING, v);
    }
}

/// Reads and drops what is left of the body, up to [`DRAIN_CAP`] bytes in all.
async fn drain(mut body: Shared) {
    let mut seen = 0usize;
    while let Some(Ok(frame)) = body.frame().await {
        seen += frame.data_ref().map_or(0, Bytes::len);
        if seen > DRAIN_CAP {
            break;
        }
    }
}

/// The body as received, shared between the layers that read it and [`refusals`], which reads what they
/// left.
#[derive(Clone)]
struct Shared(Arc<Mutex<Body>>);

impl HttpBody for Shared {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let mut body = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Pin::new(&mut *body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use axum::Router;
    use axum::routing::post;
    use flate2::{Compression, write::GzEncoder};
    use tower::ServiceExt;

    use super::*;

    const LIMIT: usize = 4 * 1024;

    fn app() -> Router {
        async fn length(Payload(bytes): Payload) -> String {
            bytes.len().to_string()
        }
        Router::new().route("/", limited(post(length), LIMIT, Duration::from_secs(5)))
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    /// The status and the body of the answer to `body` sent with `encoding` (and `Content-Length`).
    async fn send(body: Vec<u8>, encoding: Option<&str>) -> (StatusCode, String) {
        let mut req = Request::post("/").header(CONTENT_LENGTH, body.len());
        if let Some(e) = encoding {
            req = req.header(CONTENT_ENCODING, e);
        }
        let resp = app()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn gzip_is_inflated_by_any_spelling() {
        let text = vec![b'a'; LIMIT];
        for name in ["gzip", "X-Gzip", " GZIP "] {
            let answer = send(gzip(&text), Some(name)).await;
            assert_eq!(answer, (StatusCode::OK, LIMIT.to_string()), "{name}");
        }
        assert_eq!(send(text, None).await.1, LIMIT.to_string());
    }

    #[tokio::test]
    async fn every_refusal_is_our_answer() {
        let error = |(status, body): (StatusCode, String)| {
            let v: serde_json::Value = serde_json::from_str(&body).expect(&body);
            (status, v["error"].as_str().unwrap_or_default().to_owned())
        };
        let too_large = (StatusCode::PAYLOAD_TOO_LARGE, "too_large".to_owned());
        // Declared over the limit: refused by the limit layer, answered as ours.
        assert_eq!(error(send(vec![b'a'; LIMIT + 1], None).await), too_large);
        // Small as sent, over the limit inflated.
        let bomb = gzip(&vec![b' '; 1024 * 1024]);
        assert!(bomb.len() < LIMIT);
        assert_eq!(error(send(bomb, Some("gzip")).await), too_large);
        assert_eq!(
            error(send(b"not gzip".to_vec(), Some("gzip")).await),
            (StatusCode::BAD_REQUEST, "malformed".to_owned())
        );
        assert_eq!(
            error(send(b"{}".to_vec(), Some("deflate")).await),
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_encoding".to_owned()
            )
        );
    }
}
