//! HTTP to the sync server: enrollment, one sync round (gzip both ways), the health probe.

use std::io::Write;
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, RETRY_AFTER};
use torgkoll_shared::Operation;
use torgkoll_shared::protocol::{
    EnrollRequest, EnrollResponse, ErrorBody, PROTOCOL_VERSION, SyncRequest, SyncResponse, WireOp,
};

use super::SyncError;

/// How long one request may take before it counts as lost.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// An HTTP client set up for sync: rustls (the system's roots and the site's CA, [`super::trust`]), gzip
/// answers, timeouts, kept-alive connections.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    super::trust::client_builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(10))
        // Below the server's 30 s header timeout, which also closes idle connections: a connection the
        // server may be closing is never reused (the engine syncs every 30 s).
        .pool_idle_timeout(Duration::from_secs(20))
        .build()
        .expect("the HTTP client builds with static settings")
}

pub(super) fn url(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// Reads an error answer: the server's `ErrorBody` when it sent one.
pub(super) async fn error_of(resp: reqwest::Response) -> (StatusCode, ErrorBody) {
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    let body = serde_json::from_str::<ErrorBody>(&text).unwrap_or_else(|_| ErrorBody {
        error: status
            .canonical_reason()
            .unwrap_or("error")
            .to_lowercase()
            .replace(' ', "_"),
        message: text.chars().take(200).collect(),
    });
    (status, body)
}

/// Exchanges a one-time enrollment code for this phone's device id and token. The caller saves the answer
/// with [`Store::set_identity`](crate::store::Store::set_identity).
pub async fn enroll(server_url: &str, code: &str) -> Result<EnrollResponse, SyncError> {
    enroll_with(&http_client(REQUEST_TIMEOUT), server_url, code).await
}

/// [`enroll`] with a given HTTP client.
pub async fn enroll_with(
    http: &reqwest::Client,
    server_url: &str,
    code: &str,
) -> Result<EnrollResponse, SyncError> {
    let resp = http
        .post(url(server_url, "/v1/enroll"))
        .json(&EnrollRequest {
            code: code.trim().to_owned(),
        })
        .send()
        .await?;
    if resp.status().is_success() {
        return Ok(resp.json().await?);
    }
    let (status, body) = error_of(resp).await;
    Err(match status.as_u16() {
        400..=499 => SyncError::BadCode(body.message),
        s => SyncError::Server {
            status: s,
            code: body.error,
            message: body.message,
        },
    })
}

/// The app's version, said with every sync so the manager sees which phones run what.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The gzip-compressed JSON body of a sync request carrying `ops`, the phone's clock as it is made
/// (`phone_ms`, from which the server measures the phone's clock offset), its outbox size (`pending`)
/// and the app's version, for the manager's view of who is out there.
pub fn encode_request(
    ops: &[Operation],
    pull_after: u64,
    pull_limit: Option<u32>,
    phone_ms: Option<i64>,
    pending: Option<u64>,
) -> Result<Vec<u8>, SyncError> {
    let bad = |e: serde_json::Error| SyncError::BadResponse(format!("encoding the request: {e}"));
    let raw = ops
        .iter()
        .map(|op| serde_json::value::to_raw_value(&WireOp::from_op(op)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad)?;
    let req = SyncRequest {
        v: PROTOCOL_VERSION,
        ops: raw,
        pull_after,
        pull_limit,
        phone_ms,
        pending,
        app: Some(APP_VERSION.to_owned()),
    };
    let mut gz = GzEncoder::new(Vec::new(), Compression::new(GZIP_LEVEL));
    serde_json::to_writer(&mut gz, &req).map_err(bad)?;
    gz.flush()
        .and_then(|_| gz.finish())
        .map_err(|e| SyncError::BadResponse(format!("compressing the request: {e}")))
}

/// Compression level of request bodies. Level 4: a batch of 5,000 reports (about 1 MB of JSON) is
/// compressed in 10 ms instead of level 6's 28 ms, 5% larger (153 KB against 146 KB); level 1 is 3 ms
/// but 45% larger. While one batch is in flight the next is encoded, and at level 6 the push waited for
/// that encoding (BENCHMARKS.md, "The phone's side of a push"; `cargo bench -p torgkoll-app --bench
/// push_prepare`).
pub(super) const GZIP_LEVEL: u32 = 4;

/// A connection to one sync server as one enrolled device.
#[derive(Clone, Debug)]
pub struct SyncClient {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
    pub(super) token: String,
}

impl SyncClient {
    pub fn new(server_url: &str, token: &str) -> Self {
        Self::with_http(http_client(REQUEST_TIMEOUT), server_url, token)
    }

    pub fn with_http(http: reqwest::Client, server_url: &str, token: &str) -> Self {
        SyncClient {
            http,
            base: server_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        }
    }

    pub fn server_url(&self) -> &str {
        &self.base
    }

    /// Sends one gzip-compressed request body (see [`encode_request`]) and reads the answer.
    pub async fn send(&self, gz_body: Vec<u8>) -> Result<SyncResponse, SyncError> {
        self.send_marked(gz_body, false).await
    }

    /// [`send`](Self::send), and with `push` the request says `Torgkoll-Push: 1`: it carries operations
    /// its user waits on, and a small one takes the server's push lane instead of queueing behind other
    /// phones' page pulls (docs/PROTOCOL.md, "The push lane").
    pub async fn send_marked(
        &self,
        gz_body: Vec<u8>,
        push: bool,
    ) -> Result<SyncResponse, SyncError> {
        let mut req = self
            .http
            .post(url(&self.base, "/v1/sync"))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "gzip");
        if push {
            req = req.header("torgkoll-push", "1");
        }
        let resp = req.body(gz_body).send().await?;
        let status = resp.status();
        if status.is_success() {
            let body = resp.bytes().await?;
            let answer: SyncResponse =
                serde_json::from_slice(&body).map_err(|e| SyncError::BadResponse(e.to_string()))?;
            if answer.v != PROTOCOL_VERSION {
                return Err(SyncError::Version(answer.v));
            }
            return Ok(answer);
        }
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(super::error::parse_retry_after);
        let (status, body) = error_of(resp).await;
        Err(match status {
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS
                if retry_after.is_some() =>
            {
                SyncError::Busy {
                    status: status.as_u16(),
                    retry_after: retry_after.unwrap_or_default(),
                }
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => SyncError::BadToken {
                code: body.error,
                message: body.message,
            },
            StatusCode::PAYLOAD_TOO_LARGE => SyncError::TooLarge,
            s => SyncError::Server {
                status: s.as_u16(),
                code: body.error,
                message: body.message,
            },
        })
    }

    /// One round: push `ops`, pull after `pull_after`, without saying what the phone's clock reads
    /// (for tools; the engine's rounds say it, see [`sync_once`](super::sync_once)).
    pub async fn round(
        &self,
        ops: &[Operation],
        pull_after: u64,
        pull_limit: Option<u32>,
    ) -> Result<SyncResponse, SyncError> {
        self.send(encode_request(ops, pull_after, pull_limit, None, None)?)
            .await
    }

    /// Whether the server answers at all (`GET /v1/health`).
    pub async fn health(&self) -> Result<(), SyncError> {
        let resp = self
            .http
            .get(url(&self.base, "/v1/health"))
            .timeout(Duration::from_secs(5))
            .send()
            .await?;
        if resp.status().is_success() {
            Ok(())
        } else {
            let (status, body) = error_of(resp).await;
            Err(SyncError::Server {
                status: status.as_u16(),
                code: body.error,
                message: body.message,
            })
        }
    }
}
