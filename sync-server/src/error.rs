//! The one error type of the HTTP boundary, turned into a response in one place: a status and an
//! [`ErrorBody`] with a stable code. Internal causes are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use thiserror::Error;
use torgkoll_shared::photo::UploadStatus;
use torgkoll_shared::protocol::ErrorBody;

use crate::decode::DecodeError;
use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum ApiError {
    #[error("no bearer token was given")]
    MissingToken,
    #[error("the token is not valid")]
    BadToken,
    #[error("this device has been revoked; enroll it again")]
    Revoked,
    #[error("the enrollment code is unknown, already used or expired")]
    BadCode,
    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("{count} operations in one request; at most {max} are allowed")]
    TooManyOps { count: usize, max: usize },
    #[error("the body could not be read: {0}")]
    Malformed(String),
    #[error("the body did not arrive within {} s", after.as_secs_f64())]
    BodyTimeout { after: std::time::Duration },
    #[error("content encoding '{0}' is not supported; send gzip or nothing")]
    UnsupportedEncoding(String),
    #[error("protocol version {0} is not supported; this server speaks version 1")]
    Version(u32),
    #[error("operation {index} has no readable id and seq: {message}")]
    BadOp { index: usize, message: String },
    #[error("only the platsansvarig (a manager device) may do this")]
    Forbidden,
    #[error("the query is not valid: {0}")]
    BadQuery(String),
    #[error("there is nothing at this address")]
    NotFound,
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    #[error("the request was abandoned by its client")]
    Abandoned,
    #[error("there is no such photo for this device")]
    UnknownPhoto,
    #[error("the upload is at byte {received}; continue from there")]
    Offset { received: u64 },
    #[error("the photo is not what its operation declared: {0}")]
    PhotoMismatch(String),
    #[error("the photo was declared as {declared} bytes; these bytes go beyond that")]
    PastPhotoSize { declared: u32 },
    /// The device (or the enrollment code) belongs to a site this server does not serve.
    #[error("site '{0}' is not served here")]
    SiteNotServed(String),
    #[error("the database is unavailable for now; try again shortly")]
    Unavailable(String),
    /// More syncs than the server takes at once waited too long for their turn (`crate::shed`).
    #[error("the server is busy; try again shortly")]
    Busy,
    #[error("internal error: {0}")]
    Internal(String),
}

/// How long a phone waits before trying again after 503 `unavailable` (PostgreSQL restarting).
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

/// How long a phone waits before trying again after 503 `busy` (the server shed its sync).
pub const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// The answer of 409 `offset`: the error and the upload's status in one object.
#[derive(Serialize)]
struct OffsetBody {
    #[serde(flatten)]
    body: ErrorBody,
    #[serde(flatten)]
    status: UploadStatus,
}

impl ApiError {
    /// The status and the stable code sent for this error.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::MissingToken | ApiError::BadToken => (StatusCode::UNAUTHORIZED, "bad_token"),
            ApiError::Revoked => (StatusCode::UNAUTHORIZED, "revoked"),
            ApiError::BadCode => (StatusCode::FORBIDDEN, "bad_code"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::TooManyOps { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_many_ops"),
            ApiError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed"),
            ApiError::BodyTimeout { .. } => (StatusCode::REQUEST_TIMEOUT, "timeout"),
            ApiError::UnsupportedEncoding(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_encoding")
            }
            ApiError::Version(_) => (StatusCode::BAD_REQUEST, "unsupported_version"),
            ApiError::BadOp { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "bad_op"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::BadQuery(_) => (StatusCode::BAD_REQUEST, "bad_query"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Abandoned => (StatusCode::SERVICE_UNAVAILABLE, "abandoned"),
            ApiError::UnknownPhoto => (StatusCode::NOT_FOUND, "unknown_photo"),
            ApiError::Offset { .. } => (StatusCode::CONFLICT, "offset"),
            ApiError::PhotoMismatch(_) => (StatusCode::UNPROCESSABLE_ENTITY, "photo_mismatch"),
            ApiError::PastPhotoSize { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::SiteNotServed(_) => (StatusCode::CONFLICT, "site_not_served"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<DecodeError> for ApiError {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::TooLarge { limit } => ApiError::TooLarge { limit },
            DecodeError::Gzip(m) | DecodeError::Json(m) => ApiError::Malformed(m),
            DecodeError::Version(v) => ApiError::Version(v),
            DecodeError::TooManyOps { count, max } => ApiError::TooManyOps { count, max },
            DecodeError::OpHeader { index, message } => ApiError::BadOp { index, message },
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            // Nobody reads this answer: its client went away, which is not the server failing.
            StoreError::Cancelled => ApiError::Abandoned,
            // PostgreSQL down or a connection lost: nothing was half stored, the phone tries again.
            e if e.is_unavailable() => ApiError::Unavailable(e.to_string()),
            e => ApiError::Internal(e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                "the server failed; try again later".to_string()
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                self.to_string()
            }
            other => {
                tracing::debug!(code, message = %other, "request refused");
                other.to_string()
            }
        };
        let body = ErrorBody {
            error: code.to_string(),
            message,
        };
        if let ApiError::Offset { received } = self {
            // The phone continues from the server's offset: the answer carries the `UploadStatus` too.
            let status_fields = UploadStatus {
                received,
                complete: false,
            };
            return (
                status,
                Json(OffsetBody {
                    body,
                    status: status_fields,
                }),
            )
                .into_response();
        }
        let retry_after = match self {
            ApiError::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            ApiError::Busy => Some(BUSY_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(secs) = retry_after {
            let retry = [(axum::http::header::RETRY_AFTER, secs.to_string())];
            return (status, retry, Json(body)).into_response();
        }
        (status, Json(body)).into_response()
    }
}
