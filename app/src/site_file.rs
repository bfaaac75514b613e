//! The phone's own copy of its site plan: `site.geojson` beside the database, as the server sent it
//! (`GET /v1/site`). At start the app uses it when it is there and loads, else the built-in Plattan; so a
//! phone enrolled at another site keeps that site's plan and vocabulary offline.
//!
//! The file is replaced atomically (a temporary file, synced, renamed over it, the directory synced): a
//! crash leaves the old plan or the new one, never half of one. A plan that does not load is never
//! written. Its entity tag is computed from the bytes (the server's `ETag` is their SHA-256), so nothing
//! else is stored and no database table is needed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use torgkoll_shared::{PLATTAN_GEOJSON, Site};

/// The file's name, in the database's directory.
pub const FILE_NAME: &str = "site.geojson";

/// Where the site plan of the database at `db` is kept.
pub fn path_beside(db: &Path) -> PathBuf {
    db.parent()
        .map_or_else(|| PathBuf::from(FILE_NAME), |d| d.join(FILE_NAME))
}

/// The entity tag of a plan's bytes, as the server sends it: the quoted SHA-256 in lowercase hex.
pub fn etag_of(raw: &[u8]) -> String {
    format!("\"{}\"", torgkoll_shared::photo::hash_hex(raw))
}

/// A plan kept on the phone.
#[derive(Debug)]
pub struct StoredSite {
    pub site: Site,
    pub etag: String,
}

/// The plan kept at `path`, if there is one that loads. A file that does not load is reported and
/// ignored (the next download replaces it).
pub fn load(path: &Path) -> Option<StoredSite> {
    let raw = match std::fs::read(path) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "the kept site plan cannot be read");
            return None;
        }
    };
    let site = std::str::from_utf8(&raw)
        .map_err(|e| e.to_string())
        .and_then(|t| Site::from_geojson(t).map_err(|e| e.to_string()));
    match site {
        Ok(site) => Some(StoredSite {
            site,
            etag: etag_of(&raw),
        }),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "the kept site plan does not load");
            None
        }
    }
}

/// The site to start with: the kept plan, else the built-in Plattan.
pub fn at_start(path: &Path) -> Arc<Site> {
    Arc::new(load(path).map_or_else(
        || Site::from_geojson(PLATTAN_GEOJSON).expect("the built-in site plan loads"),
        |s| s.site,
    ))
}

/// Keeps `raw` as the plan at `path`, atomically. A plan that does not load is refused (the kept one
/// stays); returns the site it holds.
pub fn save(path: &Path, raw: &[u8]) -> std::io::Result<Site> {
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let text = std::str::from_utf8(raw).map_err(|e| invalid(e.to_string()))?;
    let site = Site::from_geojson(text).map_err(|e| invalid(e.to_string()))?;
    let tmp = path.with_extension("geojson.tmp");
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(raw)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename itself survives a power cut once the directory is synced (not on every platform
        // possible; the file is whole either way).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_plan_is_replaced_whole_and_a_bad_one_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_beside(&dir.path().join("torgkoll.sqlite"));
        assert_eq!(path, dir.path().join("site.geojson"));
        assert!(load(&path).is_none());
        assert_eq!(at_start(&path).id, "plattan");

        let second = torgkoll_shared::test_support::MEDBORGARPLATSEN_GEOJSON.as_bytes();
        assert_eq!(save(&path, second).unwrap().id, "medborgarplatsen");
        let kept = load(&path).unwrap();
        assert_eq!(kept.site.id, "medborgarplatsen");
        assert_eq!(kept.etag, etag_of(second));
        assert_eq!(at_start(&path).id, "medborgarplatsen");

        assert!(save(&path, b"{\"type\": \"FeatureCollection\"").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), second);
        assert!(!path.with_extension("geojson.tmp").exists());

        std::fs::write(&path, b"garbage").unwrap();
        assert!(load(&path).is_none());
        assert_eq!(at_start(&path).id, "plattan");
    }
}
