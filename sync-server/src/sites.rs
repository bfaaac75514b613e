//! The sites a server serves: each site's plan (with its vocabulary) by id, the file's bytes as they were
//! read (what `GET /v1/site` sends a phone), and the default site.
//!
//! `serve` builds it from `--sites DIR` (every `*.geojson` in the directory), `--site FILE` or the
//! built-in Plattan. Which site a device belongs to is [`Sites::of_device`], the one place that decides:
//! the site the device was enrolled in (`Device::site`), never silently another.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use torgkoll_shared::Site;

use crate::auth::AuthDevice;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::Device;

/// The media type of a site plan (RFC 7946).
pub const GEOJSON_TYPE: &str = "application/geo+json";

/// Why the sites could not be loaded: which file (or directory) and what is wrong with it.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct SitesError {
    pub path: PathBuf,
    pub message: String,
}

fn error(path: &Path, message: impl ToString) -> SitesError {
    SitesError {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// One site: the plan, and the file it came from, byte for byte, with its entity tag.
#[derive(Debug)]
pub struct SiteFile {
    pub site: Arc<Site>,
    pub raw: Bytes,
    /// `"<SHA-256 of raw, lowercase hex>"`, quoted as an HTTP entity tag: a phone computes the same of
    /// the file it keeps.
    pub etag: String,
}

impl SiteFile {
    /// Parses a plan file's bytes.
    pub fn parse(raw: Bytes) -> Result<SiteFile, String> {
        let text = std::str::from_utf8(&raw).map_err(|e| format!("not UTF-8: {e}"))?;
        let site = Site::from_geojson(text).map_err(|e| e.to_string())?;
        let etag = format!("\"{}\"", torgkoll_shared::photo::hash_hex(&raw));
        Ok(SiteFile {
            site: Arc::new(site),
            raw,
            etag,
        })
    }
}

/// The sites by id, and the default one. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Sites {
    by_id: Arc<BTreeMap<String, SiteFile>>,
    default: String,
}

impl Sites {
    /// One site, the default.
    pub fn one(file: SiteFile) -> Sites {
        let default = file.site.id.clone();
        Sites {
            by_id: Arc::new(BTreeMap::from([(default.clone(), file)])),
            default,
        }
    }

    /// The built-in Plattan alone.
    pub fn builtin() -> Sites {
        Sites::one(
            SiteFile::parse(Bytes::from_static(
                torgkoll_shared::PLATTAN_GEOJSON.as_bytes(),
            ))
            .expect("the built-in site plan loads"),
        )
    }

    /// The one plan in `path`.
    pub fn load_file(path: &Path) -> Result<Sites, SitesError> {
        let raw = std::fs::read(path).map_err(|e| error(path, e))?;
        Ok(Sites::one(
            SiteFile::parse(raw.into()).map_err(|e| error(path, e))?,
        ))
    }

    /// Every `*.geojson` plan in `dir`; their site ids must be unique. The default is `default`, which
    /// may be left out only when there is one site (it is never guessed: devices enrolled without a
    /// site, and rows from before sites, belong to it).
    pub fn load_dir(dir: &Path, default: Option<&str>) -> Result<Sites, SitesError> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| error(dir, e))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(|e| error(dir, e))?;
        paths.retain(|p| p.extension().is_some_and(|e| e == "geojson") && p.is_file());
        paths.sort();
        let mut by_id: BTreeMap<String, (PathBuf, SiteFile)> = BTreeMap::new();
        for path in paths {
            let raw = std::fs::read(&path).map_err(|e| error(&path, e))?;
            let file = SiteFile::parse(raw.into()).map_err(|e| error(&path, e))?;
            let id = file.site.id.clone();
            if let Some((first, _)) = by_id.get(&id) {
                return Err(error(
                    &path,
                    format!(
                        "site id '{id}' is also the id of {}; each site needs its own 'site_id'",
                        first.display()
                    ),
                ));
            }
            by_id.insert(id, (path, file));
        }
        let default = match default {
            Some(d) if by_id.contains_key(d) => d.to_owned(),
            Some(d) => {
                let known: Vec<&str> = by_id.keys().map(String::as_str).collect();
                return Err(error(
                    dir,
                    format!("no site '{d}' here (there are: {})", known.join(", ")),
                ));
            }
            None if by_id.len() == 1 => by_id.keys().next().cloned().unwrap_or_default(),
            None if by_id.is_empty() => {
                return Err(error(dir, "no *.geojson site plan in this directory"));
            }
            None => {
                let known: Vec<&str> = by_id.keys().map(String::as_str).collect();
                return Err(error(
                    dir,
                    format!(
                        "several sites ({}): name the devices' site with --default-site",
                        known.join(", ")
                    ),
                ));
            }
        };
        Ok(Sites {
            by_id: Arc::new(by_id.into_iter().map(|(id, (_, f))| (id, f)).collect()),
            default,
        })
    }

    pub fn get(&self, id: &str) -> Option<&SiteFile> {
        self.by_id.get(id)
    }

    /// The site of devices that name none.
    pub fn default_file(&self) -> &SiteFile {
        &self.by_id[&self.default]
    }

    /// The default site's plan (what server-wide work such as the webhooks uses).
    pub fn default_site(&self) -> Arc<Site> {
        self.default_file().site.clone()
    }

    /// The id of the site of devices that name none (codes made without `--site`, rows from before
    /// sites).
    pub fn default_id(&self) -> &str {
        &self.default
    }

    /// The site a device belongs to: the one place that decides. A device of a site this server does
    /// not serve (its plan was removed from `--sites`) gets an error answer, never another site.
    pub fn of_device(&self, device: &Device) -> Result<&SiteFile, ApiError> {
        self.get(&device.site)
            .ok_or_else(|| ApiError::SiteNotServed(device.site.clone()))
    }

    /// The site ids served, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/site", get(site))
}

/// Whether an `If-None-Match` header names this entity tag (or is `*`).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

/// `GET /v1/site`: the calling device's site plan as stored, or 304 when the phone has it already.
async fn site(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let file = st.sites.of_device(&device)?;
    let etag = HeaderValue::from_str(&file.etag)
        .map_err(|e| ApiError::Internal(format!("an entity tag: {e}")))?;
    if matches(&headers, &file.etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response());
    }
    tracing::info!(device = %device.id, site = %file.site.id, bytes = file.raw.len(), "site plan");
    Ok((
        [
            (CONTENT_TYPE, HeaderValue::from_static(GEOJSON_TYPE)),
            (ETAG, etag),
        ],
        file.raw.clone(),
    )
        .into_response())
}
