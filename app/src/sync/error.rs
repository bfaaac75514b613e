//! The one error type of the sync engine, with messages a person can act on.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::store::StoreError;

/// Why a sync (or an enrollment) did not complete.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error("this phone is not enrolled yet: enter an enrollment code first")]
    NotEnrolled,
    #[error("could not reach the server: {0}")]
    Network(String),
    #[error(
        "the server's certificate is not trusted (not from a known authority, expired, or for another \
         name); a site with its own CA must give it to the app (--server-ca): {0}"
    )]
    Certificate(String),
    #[error("the server no longer accepts this phone ({message}): enroll it again with a new code")]
    BadToken {
        /// The server's code: `bad_token` or `revoked`.
        code: String,
        message: String,
    },
    #[error("the enrollment code was not accepted: {0}")]
    BadCode(String),
    #[error("the request was too large for the server even with one operation")]
    TooLarge,
    #[error("the server said: {message} (HTTP {status}, {code})")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// The server shed load (503 or 429 with `Retry-After`): nothing was stored, try again after the pause.
    #[error("the server is busy (HTTP {status}); it asked to try again in {} s", retry_after.as_secs())]
    Busy { status: u16, retry_after: Duration },
    #[error("the server's answer could not be read: {0}")]
    BadResponse(String),
    #[error("the server speaks sync protocol version {0}; this app speaks version 1")]
    Version(u32),
    #[error(
        "the server did not acknowledge operations from number {sent_from} on (it has them only through \
         {acked_through}); syncing again would not help"
    )]
    Stalled { sent_from: u64, acked_through: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Whether the server could not be reached at all (the phone is offline, the server down, the link cut).
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Network(_))
    }

    /// Whether the phone must be enrolled (again) before it can sync.
    pub fn needs_enrollment(&self) -> bool {
        matches!(self, SyncError::NotEnrolled | SyncError::BadToken { .. })
    }

    /// What the sync bar and the enrollment screen say about it (kept in the store between starts).
    pub fn failure(&self) -> Failure {
        let kind = match self {
            SyncError::NotEnrolled => FailureKind::NotEnrolled,
            SyncError::Network(_) => FailureKind::Offline,
            SyncError::Certificate(_) => FailureKind::Certificate,
            SyncError::BadToken { code, .. } if code == "revoked" => FailureKind::Revoked,
            SyncError::BadToken { .. } => FailureKind::BadToken,
            SyncError::BadCode(_) => FailureKind::BadCode,
            SyncError::TooLarge => FailureKind::TooLarge,
            SyncError::Server { status, .. } if *status >= 500 => FailureKind::ServerDown,
            SyncError::Busy { .. } => FailureKind::ServerDown,
            SyncError::Server { .. } => FailureKind::Refused,
            SyncError::BadResponse(_) => FailureKind::BadResponse,
            SyncError::Version(_) => FailureKind::Version,
            SyncError::Stalled { .. } => FailureKind::Stalled,
            SyncError::Store(_) => FailureKind::Store,
        };
        Failure {
            kind,
            message: self.to_string(),
        }
    }

    /// Whether trying again later may help.
    pub fn is_retryable(&self) -> bool {
        match self {
            // A certificate may be renewed or the CA given: the engine keeps trying, slowly.
            SyncError::Network(_)
            | SyncError::BadResponse(_)
            | SyncError::Certificate(_)
            | SyncError::Busy { .. } => true,
            SyncError::Server { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }
}

/// The longest pause a server's `Retry-After` may ask for; a longer one is cut to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

impl SyncError {
    /// How long the server asked the phone to wait before trying again, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SyncError::Busy { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    /// The wait before the next try: the backoff's `delay`, or longer when the server asked for more.
    pub fn wait_before_retry(&self, delay: Duration) -> Duration {
        self.retry_after().map_or(delay, |asked| asked.max(delay))
    }
}

/// A `Retry-After` header in seconds (the HTTP-date form is not used by our server and is ignored),
/// at most [`MAX_RETRY_AFTER`].
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: u64 = value.trim().parse().ok()?;
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

impl From<reqwest::Error> for SyncError {
    fn from(e: reqwest::Error) -> Self {
        if e.is_decode() && !cut_short(&e) {
            return SyncError::BadResponse(e.to_string());
        }
        // Connect failures, timeouts, cut connections and broken bodies all mean: no answer came back.
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        if super::trust::is_certificate_error(&e) {
            return SyncError::Certificate(msg);
        }
        SyncError::Network(msg)
    }
}

/// Whether a body that could not be decoded was merely cut off: a compressed answer whose connection broke
/// mid-way fails in the decompressor with an I/O error, and that is the network, not the server.
fn cut_short(e: &reqwest::Error) -> bool {
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return io.kind() != std::io::ErrorKind::InvalidData;
        }
        if s.to_string().contains("connection closed") || s.to_string().contains("incomplete") {
            return true;
        }
        src = s.source();
    }
    false
}

/// A failed sync or enrollment as the person is told of it: what kind of failure (which decides the
/// words in their language and what they can do) and the English details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    NotEnrolled,
    Offline,
    /// The server's certificate is not trusted.
    Certificate,
    BadToken,
    Revoked,
    BadCode,
    TooLarge,
    ServerDown,
    Refused,
    BadResponse,
    Version,
    Stalled,
    Store,
    /// Kept by an older version of the app, as English text only.
    Other,
}

impl Failure {
    /// As the store keeps it.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| self.message.clone())
    }

    /// From the store; text an older version kept reads as `Other`.
    pub fn from_stored(s: &str) -> Failure {
        serde_json::from_str(s).unwrap_or_else(|_| Failure {
            kind: FailureKind::Other,
            message: s.to_owned(),
        })
    }
}
