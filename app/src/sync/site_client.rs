//! `GET /v1/site` (docs/PROTOCOL.md, "Site plan"): the phone's site plan, downloaded after enrolling and
//! checked at each sync with the kept file's entity tag, so an unchanged plan costs a 304 and no bytes.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, IF_NONE_MATCH};

use super::client::{error_of, url};
use super::{SyncClient, SyncError};
use crate::site_file;
use crate::store::Store;
use torgkoll_shared::Site;

impl SyncClient {
    /// The site plan's bytes, or `None` when the server says the phone's copy (`etag`) is current.
    pub async fn site_plan(&self, etag: Option<&str>) -> Result<Option<Vec<u8>>, SyncError> {
        let mut req = self
            .http
            .get(url(&self.base, "/v1/site"))
            .header(AUTHORIZATION, format!("Bearer {}", self.token));
        if let Some(tag) = etag {
            req = req.header(IF_NONE_MATCH, tag);
        }
        let resp = req.send().await?;
        match resp.status() {
            StatusCode::NOT_MODIFIED => Ok(None),
            s if s.is_success() => Ok(Some(resp.bytes().await?.to_vec())),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                let (_, body) = error_of(resp).await;
                Err(SyncError::BadToken {
                    code: body.error,
                    message: body.message,
                })
            }
            _ => {
                let (status, body) = error_of(resp).await;
                Err(SyncError::Server {
                    status: status.as_u16(),
                    code: body.error,
                    message: body.message,
                })
            }
        }
    }
}

/// Brings the kept plan at `path` up to date with the server's; returns the new plan when it changed. A
/// plan that does not load is refused and the kept one stays.
pub async fn refresh_site(client: &SyncClient, path: &Path) -> Result<Option<Site>, SyncError> {
    let kept = site_file::load(path).map(|s| s.etag);
    let Some(raw) = client.site_plan(kept.as_deref()).await? else {
        return Ok(None);
    };
    if kept.as_deref() == Some(site_file::etag_of(&raw).as_str()) {
        return Ok(None);
    }
    let path = path.to_path_buf();
    let site = tokio::task::spawn_blocking(move || site_file::save(&path, &raw))
        .await
        .map_err(|e| SyncError::BadResponse(format!("the site plan: {e}")))?
        .map_err(|e| SyncError::BadResponse(format!("the site plan: {e}")))?;
    tracing::info!(site = %site.id, "site plan kept");
    Ok(Some(site))
}

/// [`refresh_site`], then the phone works on the plan it keeps: when the server gave a changed plan, the
/// store switches to it ([`Store::set_site`], off the async thread: it rebuilds the map state). Returns
/// the store's site id afterwards, changed or not.
pub async fn refresh_and_switch(
    client: &SyncClient,
    path: &Path,
    store: &Arc<Mutex<Store>>,
) -> Result<String, SyncError> {
    let Some(site) = refresh_site(client, path).await? else {
        return Ok(locked(store).site().id.clone());
    };
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let mut s = locked(&store);
        s.set_site(Arc::new(site))?;
        tracing::info!(site = %s.site().id, "switched to the new site plan");
        Ok(s.site().id.clone())
    })
    .await
    .map_err(|e| SyncError::BadResponse(format!("the site plan: {e}")))?
}

fn locked(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}
