//! The HTTP surface of protocol v1: health, enrollment and sync; review and photos add their routes.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{Value, json};
use torgkoll_shared::protocol::{EnrollRequest, EnrollResponse, PROTOCOL_VERSION};
use torgkoll_shared::timefix::Receipt;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;
use uuid::Uuid;

use crate::auth::AuthDevice;
use crate::body::{Payload, limited};
use crate::decode::decode_sync_request;
use crate::error::ApiError;
use crate::photos::files::PhotoFiles;
use crate::secret;
use crate::shed::{PUSH_LANE_PAGE, PushLane};
use crate::state::AppState;
use crate::store::{Contact, PullPage, SyncAnswer};

/// The largest enrollment request.
const MAX_ENROLL_BYTES: usize = 4 * 1024;

pub fn router(state: AppState) -> Router {
    let limits = state.limits;
    let deadline = limits.body_read_timeout;
    Router::new()
        .route("/v1/health", get(health))
        .route(
            "/v1/enroll",
            limited(post(enroll), MAX_ENROLL_BYTES, deadline),
        )
        .route(
            "/v1/sync",
            crate::shed::gate(
                limited(post(sync), limits.max_body_bytes, deadline),
                limits.max_syncs,
                limits.sync_wait,
            ),
        )
        .merge(crate::review::routes::routes())
        .merge(crate::photos::routes::routes(&limits))
        .merge(crate::events::routes())
        .merge(crate::sites::routes())
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        // gzip's fastest level: on a page of 5,000 pulled operations (2.8 MB of JSON) the default level
        // took ~70 ms of the server's CPU for 480 kB, the fastest ~15 ms for 585 kB (BENCHMARKS.md,
        // issue 12 point 5); the server's CPU is what a crowd runs out of first.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "protocol": PROTOCOL_VERSION }))
}

async fn enroll(
    State(st): State<AppState>,
    Payload(json): Payload,
) -> Result<Json<EnrollResponse>, ApiError> {
    let req: EnrollRequest = serde_json::from_slice(&json)
        .map_err(|e| ApiError::Malformed(format!("not an enrollment request: {e}")))?;
    let code = secret::normalize_code(&req.code).ok_or(ApiError::BadCode)?;
    let code_hash = secret::hash(&code);
    let token = secret::new_token();
    let token_hash = secret::hash(&token);
    let device_id = Uuid::now_v7();
    let now = st.clock.now_ms();
    let sites = st.sites.clone();
    let device = st
        .blocking(move |store| {
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
    lane: Option<Extension<PushLane>>,
    Payload(json): Payload,
) -> Result<Response, ApiError> {
    let limits = st.limits;
    // A push-lane request pulls a short page: the lane is for the push (`shed.rs`).
    let page_size = match lane {
        Some(_) => limits.page_size.min(PUSH_LANE_PAGE),
        None => limits.page_size,
    };
    let now = st.clock.now_ms();
    let site = st.sites.of_device(&device)?.site.clone();
    let wake = st.wake.clone();
    let wanted = st.wanted_photos.clone();
    // Decoded before the store is touched, so beside another request's push: a phone's early batch
    // (`crate::turns`) is decoded while the batch before it is stored.
    let t = std::time::Instant::now();
    let max_ops = limits.max_ops;
    let req = st
        .blocking(move |_| decode_sync_request(&json, max_ops))
        .await?;
    let decode_ms = t.elapsed().as_millis();
    if let Some(first) = req.ops.iter().map(|o| o.seq).min()
        && !st
            .turns
            .wait(device.id, device.acked_through, first, limits.turn_wait)
            .await
    {
        tracing::info!(device = %device.id, first, "the batch before an early one did not come in time");
    }
    let turn_ms = t.elapsed().as_millis() - decode_ms;
    let turns = st.turns.clone();
    let (pushed, outcome, page, photos_wanted, ms) = st
        .blocking(move |store| {
            let t = std::time::Instant::now();
            let pushed = req.ops.len();
            let receipt = Receipt::new(now, req.phone_ms);
            // The push and the device's contact in one transaction: one commit per sync.
            let contact = Contact {
                now_ms: now,
                pending: req.pending,
                app: req.app,
            };
            let outcome = store.push_and_touch(
                device.id,
                device.role,
                req.ops,
                &site,
                receipt,
                Some(contact),
            )?;
            if pushed > 0 {
                turns.acked(device.id, outcome.acked_through);
            }
            let push_ms = t.elapsed().as_millis();
            // A pull limit of 0 asks for nothing (an early batch): no page is read.
            let limit = req.pull_limit.unwrap_or(u32::MAX).min(page_size);
            let page = match limit {
                0 => PullPage {
                    ops: Vec::new(),
                    pull_pos: req.pull_after,
                    more: false,
                },
                _ => store.pull(device.id, device.role, &site.id, req.pull_after, limit)?,
            };
            if outcome.added.any() {
                // After the commit: the other phones' wake-up channels.
                let pos = if page.more || limit == 0 {
                    store.last_pos()?
                } else {
                    page.pull_pos
                };
                wake.committed(device.id, &site.id, pos, outcome.added);
            }
            // Photos of this device the server lacks (`photos::wanted`): almost always none.
            let photos = wanted.for_device(device.id, &PhotoFiles::new(store.photos_dir()));
            let pull_ms = t.elapsed().as_millis() - push_ms;
            Ok::<_, ApiError>((
                pushed,
                outcome,
                page,
                photos,
                [decode_ms, turn_ms, push_ms, pull_ms],
            ))
        })
        .await?;
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
        photos_wanted = photos_wanted.len(),
        pull_pos = page.pull_pos,
        more = page.more,
        decode_ms = ms[0],
        turn_ms = ms[1],
        push_ms = ms[2],
        pull_ms = ms[3],
        "sync"
    );
    // The pulled operations' bodies as stored, not decoded and encoded again (`store::pulled`).
    // Encoded and compressed on a blocking thread (`answer`), not on the runtime's workers.
    let answer = SyncAnswer {
        v: PROTOCOL_VERSION,
        acked_through: outcome.acked_through,
        rejected: outcome.rejected,
        fixed: outcome.fixed,
        ops: page.ops,
        pull_pos: page.pull_pos,
        more: page.more,
        photos_wanted,
        server_ms: st.clock.now_ms(),
    };
    crate::answer::respond(answer, crate::answer::accepts_gzip(&headers)).await
}
