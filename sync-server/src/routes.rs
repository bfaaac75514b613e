//! The HTTP surface of protocol v1: health, enrollment and sync; review and photos add their routes.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use torgkoll_shared::protocol::{EnrollRequest, EnrollResponse, PROTOCOL_VERSION, SyncResponse};
use torgkoll_shared::timefix::Receipt;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use uuid::Uuid;

use crate::auth::AuthDevice;
use crate::decode::{decode_sync_body, gunzip};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::StoreError;
use crate::{body, secret};

/// The largest enrollment request.
const MAX_ENROLL_BYTES: usize = 4 * 1024;

/// Runs blocking store work off the async runtime.
pub async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("a blocking task failed: {e}")))?
        .map_err(ApiError::from)
}

/// Runs blocking work that answers an [`ApiError`] (store and file work together) off the async runtime.
pub async fn run_blocking<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("a blocking task failed: {e}")))?
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/enroll", post(enroll))
        .route("/v1/sync", post(sync))
        .merge(crate::review::routes::routes())
        .merge(crate::photos::routes::routes())
        .merge(crate::events::routes())
        .merge(crate::sites::routes())
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "protocol": PROTOCOL_VERSION }))
}

async fn enroll(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<EnrollResponse>, ApiError> {
    let raw = body::read(
        &headers,
        body,
        MAX_ENROLL_BYTES,
        st.limits.body_read_timeout,
    )
    .await?;
    let json = if raw.gzipped {
        gunzip(&raw.bytes, MAX_ENROLL_BYTES)?
    } else {
        raw.bytes
    };
    let req: EnrollRequest = serde_json::from_slice(&json)
        .map_err(|e| ApiError::Malformed(format!("not an enrollment request: {e}")))?;
    let code = secret::normalize_code(&req.code).ok_or(ApiError::BadCode)?;
    let code_hash = secret::hash(&code);
    let token = secret::new_token();
    let token_hash = secret::hash(&token);
    let device_id = Uuid::now_v7();
    let now = st.clock.now_ms();
    let store = st.store.clone();
    let sites = st.sites.clone();
    let device =
        run_blocking(move || {
            // A code for a site this server does not serve is refused before it is spent.
            match store.enroll_code_site(&code_hash, now)? {
                None => return Ok(None),
                Some(Some(site)) if sites.get(&site).is_none() => {
                    return Err(ApiError::SiteNotServed(site));
                }
                Some(_) => {}
            }
            Ok(store.redeem_enroll_code(
                &code_hash,
                device_id,
                &token_hash,
                sites.default_id(),
                now,
            )?)
        })
        .await?
        .ok_or(ApiError::BadCode)?;
    let what = if device.id == device_id {
        "device enrolled"
    } else {
        "device re-enrolled: new token, same id"
    };
    tracing::info!(device = %device.id, role = %device.role, name = %device.name, "{what}");
    let site_id = st.sites.of_device(&device)?.site.id.clone();
    Ok(Json(EnrollResponse {
        device: device.id,
        token,
        role: device.role,
        name: device.name,
        site_id,
    }))
}

async fn sync(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<SyncResponse>, ApiError> {
    let limits = st.limits;
    let raw = body::read(
        &headers,
        body,
        limits.max_body_bytes,
        limits.body_read_timeout,
    )
    .await?;
    let now = st.clock.now_ms();
    let site = st.sites.of_device(&device)?.site.clone();
    let work_state = st.clone();
    let (pushed, outcome, page, ms) = tokio::task::spawn_blocking(move || {
        let t = std::time::Instant::now();
        let req = decode_sync_body(
            &raw.bytes,
            raw.gzipped,
            limits.max_body_bytes,
            limits.max_ops,
        )?;
        let decode_ms = t.elapsed().as_millis();
        let pushed = req.ops.len();
        let store = &work_state.store;
        let receipt = Receipt::new(now, req.phone_ms);
        let outcome = store.push(device.id, device.role, req.ops, &site, receipt)?;
        store.touch_device(device.id, now, req.pending, req.app.as_deref())?;
        let push_ms = t.elapsed().as_millis() - decode_ms;
        let limit = req.pull_limit.unwrap_or(u32::MAX).min(limits.page_size);
        let page = store.pull(device.id, device.role, &site.id, req.pull_after, limit)?;
        if outcome.added.any() {
            // After the commit: the other phones' wake-up channels.
            let pos = if page.more {
                store.last_pos()?
            } else {
                page.pull_pos
            };
            work_state.wake.committed(device.id, pos, outcome.added);
        }
        let pull_ms = t.elapsed().as_millis() - decode_ms - push_ms;
        Ok::<_, ApiError>((pushed, outcome, page, [decode_ms, push_ms, pull_ms]))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("a blocking task failed: {e}")))??;
    tracing::info!(
        device = %device.id,
        role = %device.role,
        pushed,
        accepted = outcome.accepted,
        rejected = outcome.rejected.len(),
        fixed = outcome.fixed.len(),
        skipped = outcome.skipped,
        gap = outcome.gap,
        acked_through = outcome.acked_through,
        pulled = page.ops.len(),
        pull_pos = page.pull_pos,
        more = page.more,
        decode_ms = ms[0],
        push_ms = ms[1],
        pull_ms = ms[2],
        "sync"
    );
    Ok(Json(SyncResponse {
        v: PROTOCOL_VERSION,
        acked_through: outcome.acked_through,
        rejected: outcome.rejected,
        fixed: outcome.fixed,
        ops: page.ops,
        pull_pos: page.pull_pos,
        more: page.more,
        server_ms: st.clock.now_ms(),
    }))
}
