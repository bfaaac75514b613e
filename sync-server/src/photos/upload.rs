//! The resumable upload (docs/PROTOCOL.md, "Upload, resumable"), as blocking steps over the store and the
//! files: who may upload a photo, how much of it is here, one chunk appended, and the check that makes a
//! finished upload a stored photo. Each step holds the photo's lock, so a chunk replayed by a proxy or a
//! retry racing the original cannot interleave with it.

use torgkoll_shared::photo::{self, PhotoRef, UploadStatus};
use uuid::Uuid;

use super::files::PhotoFiles;
use crate::error::ApiError;
use crate::store::ServerStore;

/// An I/O failure of the photo files, logged as an internal error (never sent).
pub(super) fn io_failed(what: &'static str) -> impl Fn(std::io::Error) -> ApiError {
    move |e| ApiError::Internal(format!("{what}: {e}"))
}

/// The photo as `device` declared it in an accepted operation: only such a device may upload it. A photo
/// that no operation of `device` attaches, or that retention removed, is unknown.
fn declared_by(store: &dyn ServerStore, device: Uuid, hash: &str) -> Result<PhotoRef, ApiError> {
    let record = store.photo_record(hash)?;
    if record.purged {
        return Err(ApiError::UnknownPhoto);
    }
    record
        .attachments
        .into_iter()
        .find(|a| a.device == device)
        .map(|a| a.photo)
        .ok_or(ApiError::UnknownPhoto)
}

/// How much of the photo the server holds, as `device` (which must have attached it) asks.
pub fn status(store: &dyn ServerStore, device: Uuid, hash: &str) -> Result<UploadStatus, ApiError> {
    let files = PhotoFiles::new(store.photos_dir());
    let _held = PhotoFiles::lock(hash);
    declared_by(store, device, hash)?;
    current(&files, hash)
}

fn current(files: &PhotoFiles, hash: &str) -> Result<UploadStatus, ApiError> {
    if let Some(len) = files
        .complete_len(hash)
        .map_err(io_failed("reading a photo"))?
    {
        return Ok(UploadStatus {
            received: len,
            complete: true,
        });
    }
    Ok(UploadStatus {
        received: files
            .received(hash)
            .map_err(io_failed("reading an upload"))?,
        complete: false,
    })
}

/// Appends `bytes`, sent from `offset`, to the upload of `hash` by `device`; when the declared size is
/// reached, verifies the photo and stores it under its name with its thumbnail.
pub fn put_chunk(
    store: &dyn ServerStore,
    device: Uuid,
    hash: &str,
    offset: u64,
    bytes: &[u8],
) -> Result<UploadStatus, ApiError> {
    let files = PhotoFiles::new(store.photos_dir());
    let _held = PhotoFiles::lock(hash);
    let declared = declared_by(store, device, hash)?;
    let now = current(&files, hash)?;
    if now.complete {
        // Stored already (by any phone): nothing new is kept.
        return Ok(now);
    }
    if offset != now.received {
        return Err(ApiError::Offset {
            received: now.received,
        });
    }
    let size = u64::from(declared.bytes);
    if now.received + bytes.len() as u64 > size {
        return Err(ApiError::PastPhotoSize {
            declared: declared.bytes,
        });
    }
    let received = if bytes.is_empty() {
        now.received
    } else {
        files
            .append(hash, bytes)
            .map_err(io_failed("appending to an upload"))?
    };
    if received < size {
        return Ok(UploadStatus {
            received,
            complete: false,
        });
    }
    let whole = files
        .read_partial(hash)
        .map_err(io_failed("reading an upload"))?;
    match verify(&whole, &declared) {
        Ok(thumb) => {
            files
                .complete(hash, &thumb)
                .map_err(io_failed("storing a photo"))?;
            tracing::info!(%device, hash, bytes = received, "photo stored");
            Ok(UploadStatus {
                received,
                complete: true,
            })
        }
        Err(reason) => {
            files
                .discard_partial(hash)
                .map_err(io_failed("discarding an upload"))?;
            tracing::warn!(%device, hash, %reason, "photo refused");
            Err(ApiError::PhotoMismatch(reason))
        }
    }
}

/// Whether `bytes` are the photo `declared` names: its size, its SHA-256, a JPEG or WebP within its pixel
/// size that decodes. Answers the thumbnail, or why not.
fn verify(bytes: &[u8], declared: &PhotoRef) -> Result<Vec<u8>, String> {
    if bytes.len() as u64 != u64::from(declared.bytes) {
        return Err(format!(
            "{} bytes received, {} declared",
            bytes.len(),
            declared.bytes
        ));
    }
    let hash = photo::hash_hex(bytes);
    if hash != declared.hash {
        return Err(format!("the bytes' SHA-256 is {hash}"));
    }
    let jpeg = bytes.starts_with(&[0xff, 0xd8, 0xff]);
    let webp = bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP";
    if !jpeg && !webp {
        return Err("the bytes are neither a JPEG nor a WebP".into());
    }
    let (w, h) = photo::inspect(bytes).map_err(|e| e.to_string())?;
    if w > declared.w || h > declared.h {
        return Err(format!(
            "the picture is {w} × {h} pixels, {} × {} declared",
            declared.w, declared.h
        ));
    }
    photo::thumbnail(bytes).map_err(|e| e.to_string())
}
