//! `GET /v1/lagesbild`, `GET /v1/export` and `GET /v1/review/devices`, for a manager's token only (the
//! [`Manager`] extractor), their query strings typed ([`Query`]): a bad date or format is 400
//! `bad_query` saying why.

use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Deserializer, de};
use std::sync::Arc;

use torgkoll_shared::Site;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::devices::DevicesResponse;

use super::export::{ExportFormat, ExportRequest};
use super::lagesbild::ReportFormat;
use super::parse_date;
use crate::auth::Manager;
use crate::cancel::{Cancel, CancelOnDrop};
use crate::error::ApiError;
use crate::query::Query;
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

/// The site a review route works on, with its plan: the manager's own ([`crate::sites::Sites::of_device`]);
/// the store reads that site's operations and devices only.
fn review_site(st: &AppState, device: &Device) -> Result<Arc<Site>, ApiError> {
    Ok(st.sites.of_device(device)?.site.clone())
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

/// A day of a review, `YYYY-MM-DD` from [`super::FIRST_DAY`] to [`super::LAST_DAY`] ([`parse_date`]).
fn day<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    parse_date(&String::deserialize(d)?).map_err(de::Error::custom)
}

fn report_format<'de, D: Deserializer<'de>>(d: D) -> Result<ReportFormat, D::Error> {
    let f = String::deserialize(d)?;
    ReportFormat::parse(&f)
        .ok_or_else(|| de::Error::custom(format!("format '{f}': use html or json")))
}

fn export_format<'de, D: Deserializer<'de>>(d: D) -> Result<ExportFormat, D::Error> {
    let f = String::deserialize(d)?;
    ExportFormat::parse(&f)
        .ok_or_else(|| de::Error::custom(format!("format '{f}': use csv or geojson")))
}

fn html() -> ReportFormat {
    ReportFormat::Html
}

/// `?date=YYYY-MM-DD[&format=html|json]`.
#[derive(Deserialize)]
struct LagesbildQuery {
    #[serde(deserialize_with = "day")]
    date: Date,
    #[serde(deserialize_with = "report_format", default = "html")]
    format: ReportFormat,
}

async fn lagesbild(
    State(st): State<AppState>,
    Manager(device): Manager,
    Query(LagesbildQuery { date, format }): Query<LagesbildQuery>,
) -> Result<Response, ApiError> {
    let site = review_site(&st, &device)?;
    let now = st.clock.now_ms();
    let (cancel, guard) = cancellable();
    let body = st
        .blocking(move |store| super::lagesbild::render(store, &site, date, now, format, &cancel))
        .await?;
    guard.disarm();
    tracing::info!(device = %device.id, %date, ?format, bytes = body.len(), "lägesbild");
    let name = format!(
        "inline; filename=\"lagesbild-{date}.{}\"",
        format.extension()
    );
    Ok(document(format.content_type(), name, body))
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|geojson[&notes=true|false]`.
#[derive(Deserialize)]
struct ExportQuery {
    #[serde(deserialize_with = "day")]
    from: Date,
    #[serde(deserialize_with = "day")]
    to: Date,
    #[serde(deserialize_with = "export_format")]
    format: ExportFormat,
    #[serde(default)]
    notes: bool,
}

async fn export(
    State(st): State<AppState>,
    Manager(device): Manager,
    Query(q): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let req = ExportRequest {
        from: q.from,
        to: q.to,
        format: q.format,
        with_notes: q.notes,
    };
    req.check().map_err(ApiError::BadQuery)?;
    let site = review_site(&st, &device)?;
    let name = format!("attachment; filename=\"{}\"", req.file_name(&site));
    let (cancel, guard) = cancellable();
    let body = st
        .blocking(move |store| super::export::render(store, &site, &req, &cancel))
        .await?;
    guard.disarm();
    tracing::info!(device = %device.id, from = %req.from, to = %req.to, format = ?req.format,
        notes = req.with_notes, bytes = body.len(), "export");
    Ok(document(req.format.content_type(), name, body))
}

/// Every phone enrolled in the manager's site with its last contact and status at the server's now.
async fn devices(
    State(st): State<AppState>,
    Manager(device): Manager,
) -> Result<Json<DevicesResponse>, ApiError> {
    let site = review_site(&st, &device)?;
    let now = st.clock.now_ms();
    let listing = st
        .blocking(move |store| super::devices::listing(store, &site.id, now))
        .await?;
    Ok(Json(listing))
}
