//! `GET /v1/lagesbild`, `GET /v1/export` and `GET /v1/review/devices`, for a manager's token only.

use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::Arc;

use torgkoll_shared::devices::DevicesResponse;
use torgkoll_shared::{Role, Site};

use super::export::{ExportFormat, ExportRequest};
use super::lagesbild::ReportFormat;
use super::parse_date;
use crate::auth::AuthDevice;
use crate::cancel::{Cancel, CancelOnDrop};
use crate::error::ApiError;
use crate::routes::blocking;
use crate::state::AppState;
use crate::store::Device;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/lagesbild", get(lagesbild))
        .route("/v1/export", get(export))
        .route("/v1/review/devices", get(devices))
}

/// A flag for the work a request starts, and the guard that sets it should the request be dropped (its
/// client went away) before the work is done.
fn cancellable() -> (Cancel, CancelOnDrop) {
    let cancel = Cancel::default();
    let guard = cancel.on_drop();
    (cancel, guard)
}

fn manager_only(device: &Device) -> Result<(), ApiError> {
    if device.role == Role::Manager {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The site a review route works on, with its plan: the manager's own ([`crate::sites::Sites::of_device`]);
/// the store reads that site's operations and devices only.
fn review_site(st: &AppState, device: &Device) -> Result<Arc<Site>, ApiError> {
    Ok(st.sites.of_device(device)?.site.clone())
}

pub(crate) fn query<T: serde::de::DeserializeOwned>(uri: &Uri) -> Result<T, ApiError> {
    Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| ApiError::BadQuery(e.body_text()))
}

fn document(content_type: &'static str, disposition: String, body: String) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

#[derive(Deserialize)]
struct LagesbildQuery {
    date: String,
    format: Option<String>,
}

async fn lagesbild(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
    uri: Uri,
) -> Result<Response, ApiError> {
    manager_only(&device)?;
    let q: LagesbildQuery = query(&uri)?;
    let date = parse_date(&q.date).map_err(ApiError::BadQuery)?;
    let format = match q.format.as_deref() {
        None => ReportFormat::Html,
        Some(f) => ReportFormat::parse(f)
            .ok_or_else(|| ApiError::BadQuery(format!("format '{f}': use html or json")))?,
    };
    let site = review_site(&st, &device)?;
    let (store, now) = (st.store.clone(), st.clock.now_ms());
    let (cancel, guard) = cancellable();
    let body =
        blocking(move || super::lagesbild::render(&*store, &site, date, now, format, &cancel))
            .await?;
    guard.disarm();
    tracing::info!(device = %device.id, %date, ?format, bytes = body.len(), "lägesbild");
    let name = format!(
        "inline; filename=\"lagesbild-{date}.{}\"",
        format.extension()
    );
    Ok(document(format.content_type(), name, body))
}

#[derive(Deserialize)]
struct ExportQuery {
    from: String,
    to: String,
    format: String,
    notes: Option<bool>,
}

async fn export(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
    uri: Uri,
) -> Result<Response, ApiError> {
    manager_only(&device)?;
    let q: ExportQuery = query(&uri)?;
    let req = ExportRequest {
        from: parse_date(&q.from).map_err(ApiError::BadQuery)?,
        to: parse_date(&q.to).map_err(ApiError::BadQuery)?,
        format: ExportFormat::parse(&q.format).ok_or_else(|| {
            ApiError::BadQuery(format!("format '{}': use csv or geojson", q.format))
        })?,
        with_notes: q.notes.unwrap_or(false),
    };
    req.check().map_err(ApiError::BadQuery)?;
    let site = review_site(&st, &device)?;
    let name = format!("attachment; filename=\"{}\"", req.file_name(&site));
    let store = st.store.clone();
    let (cancel, guard) = cancellable();
    let body = blocking(move || super::export::render(&*store, &site, &req, &cancel)).await?;
    guard.disarm();
    tracing::info!(device = %device.id, from = %req.from, to = %req.to, format = ?req.format,
        notes = req.with_notes, bytes = body.len(), "export");
    Ok(document(req.format.content_type(), name, body))
}

/// Every phone enrolled in the manager's site with its last contact and status at the server's now.
async fn devices(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
) -> Result<Json<DevicesResponse>, ApiError> {
    manager_only(&device)?;
    let site = review_site(&st, &device)?;
    let (store, now) = (st.store.clone(), st.clock.now_ms());
    let listing = blocking(move || super::devices::listing(&*store, &site.id, now)).await?;
    Ok(Json(listing))
}
