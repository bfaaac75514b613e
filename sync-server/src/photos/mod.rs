//! Photos on the server (docs/PROTOCOL.md, "Photos"): the files on disk ([`files`]), the resumable upload
//! ([`upload`]), the routes ([`routes`]), and their removal by retention ([`purge_expired`]).
//!
//! Which photos exist, who attached them and to which domain's report is the store's
//! ([`crate::store::ServerStore::photo_record`]); the bytes are files, content-addressed, in the store's
//! photos directory.

pub mod files;
pub mod routes;
pub mod upload;
pub mod wanted;

use files::PhotoFiles;
use wanted::WantedPhotos;

use crate::store::{Result, ServerStore, StoreError};

/// Removes the files of every photo whose attaching operations were all made before `cutoff_ms`, and
/// records it so that the photo stays unknown (uploads and downloads answer 404). Answers how many photos
/// had files, and stops asking phones for them (`wanted`). Each photo is removed and recorded under its lock, so an upload finishing meanwhile is
/// either removed with it or refused after.
pub fn purge_expired(
    store: &dyn ServerStore,
    wanted: &WantedPhotos,
    cutoff_ms: i64,
    now_ms: i64,
) -> Result<u64> {
    let files = PhotoFiles::new(store.photos_dir());
    let mut removed = 0;
    for hash in store.photos_made_before(cutoff_ms)? {
        let _held = PhotoFiles::lock(&hash);
        if torgkoll_shared::photo::is_hash(&hash) {
            let had = files.remove(&hash).map_err(|e| {
                StoreError::Files(format!("removing the files of photo {hash}: {e}"))
            })?;
            removed += u64::from(had);
        }
        store.mark_photo_purged(&hash, now_ms)?;
        wanted.forget(&hash);
    }
    Ok(removed)
}
