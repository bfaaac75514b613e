//! Bearer-token authentication of every `/v1` call except health and enrollment ([`AuthDevice`]), and
//! the manager's routes ([`Manager`]): who is calling, as extractors, so no handler checks it by hand.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use torgkoll_shared::Role;

use crate::error::ApiError;
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
        let device = state
            .blocking(move |store| store.device_by_token(&hash))
            .await?
            .ok_or(ApiError::BadToken)?;
        if device.revoked_ms.is_some() {
            return Err(ApiError::Revoked);
        }
        Ok(AuthDevice(device))
    }
}

/// A manager's device (the platsansvarig): any other authenticated device is refused, 403 `forbidden`.
#[derive(Clone, Debug)]
pub struct Manager(pub Device);

impl FromRequestParts<AppState> for Manager {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AuthDevice(device) = AuthDevice::from_request_parts(parts, state).await?;
        if device.role == Role::Manager {
            Ok(Manager(device))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}
