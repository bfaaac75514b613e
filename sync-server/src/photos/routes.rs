//! `/v1/photos/{hash}`: the resumable upload (`GET` and `PUT …/upload`) for the phone that attached the
//! photo, and the downloads (`GET` the photo, `GET …/thumb`) for the roles that may see a report it is
//! attached to. Every refusal that could tell whether a photo exists is the same 404 `unknown_photo`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use torgkoll_shared::access::may_see;
use torgkoll_shared::photo::{UploadStatus, is_hash};

use super::files::{PhotoFiles, Variant};
use super::upload::{self, io_failed};
use crate::auth::AuthDevice;
use crate::body::{Payload, limited};
use crate::error::ApiError;
use crate::query::Query;
use crate::state::{AppState, Limits};
use crate::store::Device;

/// The most one upload request may carry: four chunks of `UPLOAD_CHUNK_BYTES`.
pub const MAX_CHUNK_REQUEST_BYTES: usize = 256 * 1024;

/// What a download answers with: the name is the content, so it never changes.
const IMMUTABLE: &str = "private, max-age=31536000, immutable";

pub fn routes(limits: &Limits) -> Router<AppState> {
    let upload = limited(
        get(upload_status).put(upload_chunk),
        MAX_CHUNK_REQUEST_BYTES,
        limits.body_read_timeout,
    );
    Router::new()
        .route("/v1/photos/{hash}", get(photo))
        .route("/v1/photos/{hash}/thumb", get(thumb))
        .route("/v1/photos/{hash}/upload", upload)
}

/// The photo's name from the path; anything else names no photo.
fn checked(hash: String) -> Result<String, ApiError> {
    if is_hash(&hash) {
        Ok(hash)
    } else {
        Err(ApiError::UnknownPhoto)
    }
}

async fn upload_status(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
    Path(hash): Path<String>,
) -> Result<Json<UploadStatus>, ApiError> {
    let hash = checked(hash)?;
    let status = st
        .blocking(move |store| upload::status(store, device.id, &hash))
        .await?;
    Ok(Json(status))
}

/// `?offset=N`: where the chunk goes.
#[derive(Debug, Deserialize)]
struct OffsetQuery {
    offset: u64,
}

async fn upload_chunk(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
    Path(hash): Path<String>,
    Query(OffsetQuery { offset }): Query<OffsetQuery>,
    Payload(bytes): Payload,
) -> Result<Json<UploadStatus>, ApiError> {
    let hash = checked(hash)?;
    let status = st
        .blocking(move |store| upload::put_chunk(store, device.id, &hash, offset, &bytes))
        .await?;
    Ok(Json(status))
}

async fn photo(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    download(st, device, hash, Variant::Photo).await
}

async fn thumb(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    download(st, device, hash, Variant::Thumb).await
}

/// The bytes, to a role that may see at least one report the photo is attached to, once it is complete
/// and until retention removes it.
async fn download(
    st: AppState,
    device: Device,
    hash: String,
    variant: Variant,
) -> Result<Response, ApiError> {
    let hash = checked(hash)?;
    let bytes = st
        .blocking(move |store| {
            let record = store.photo_record(&hash)?;
            let visible = record
                .attachments
                .iter()
                .any(|a| may_see(device.role, a.domain));
            if record.purged || !visible {
                return Err(ApiError::UnknownPhoto);
            }
            PhotoFiles::new(store.photos_dir())
                .read(&hash, variant)
                .map_err(io_failed("reading a photo"))?
                .ok_or(ApiError::UnknownPhoto)
        })
        .await?;
    // What `prepare` makes, and every thumbnail, is a JPEG; the upload also takes a WebP.
    let webp = bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP";
    let content_type = if webp { "image/webp" } else { "image/jpeg" };
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    Ok(resp)
}
