//! Bearer-token authentication of every `/v1` call except health and enrollment.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::routes::blocking;
use crate::secret;
use crate::state::AppState;
use crate::store::Device;

/// The device that made the request, authenticated and not revoked.
#[derive(Clone, Debug)]
pub struct AuthDevice(pub Device);

impl FromRequestParts<AppState> for AuthDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or(ApiError::MissingToken)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::BadToken)?;
        let hash = secret::hash(token);
        let store = state.store.clone();
        let device = blocking(move || store.device_by_token(&hash))
            .await?
            .ok_or(ApiError::BadToken)?;
        if device.revoked_ms.is_some() {
            return Err(ApiError::Revoked);
        }
        Ok(AuthDevice(device))
    }
}
