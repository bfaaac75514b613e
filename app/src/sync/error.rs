//! The one error type of the sync engine, with messages a person can act on.

use thiserror::Error;

use crate::store::StoreError;

/// Why a sync (or an enrollment) did not complete.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error("this phone is not enrolled yet: enter an enrollment code first")]
    NotEnrolled,
    #[error("could not reach the server: {0}")]
    Network(String),
    #[error("the server no longer accepts this phone ({0}): enroll it again with a new code")]
    BadToken(String),
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
        matches!(self, SyncError::NotEnrolled | SyncError::BadToken(_))
    }

    /// Whether trying again later may help.
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncError::Network(_) | SyncError::BadResponse(_) => true,
            SyncError::Server { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }
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
