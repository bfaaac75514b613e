//! Photos after the record: own photos uploaded once their operations are on the server, and the
//! thumbnails of pulled photos fetched, each strictly one at a time (docs/PROTOCOL.md, "Photos").
//!
//! An upload resumes from what the server holds (`GET …/upload`), so a cut costs at most one chunk of
//! [`UPLOAD_CHUNK_BYTES`]; a photo the server already has whole is marked sent without a byte. The
//! smallest photos go first, so a slow link gets most photos through soonest. Nothing here holds the
//! store's lock across a request.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use torgkoll_shared::photo::UPLOAD_CHUNK_BYTES;

use crate::store::{Store, Upload};

use super::photo_client::PutAnswer;
use super::{SyncClient, SyncError};

/// What one pass of [`send_photos`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhotoSummary {
    /// Photos the server now holds whole that it did not before this pass (or that another phone sent).
    pub sent: usize,
    /// Bytes the server confirmed it stored in answer to this phone's uploads.
    pub bytes_sent: u64,
    /// Bytes handed to the connection, stored or not (what a cut wasted counts too): what a flaky link
    /// cost beyond the photos' own size.
    pub bytes_attempted: u64,
    /// Photos given up on: the attaching operation was refused, or the server refused the bytes.
    pub failed: usize,
    /// Photos left for a later pass (their operation is not accepted yet).
    pub waiting: usize,
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

fn is_status(e: &SyncError, code: u16) -> bool {
    matches!(e, SyncError::Server { status, .. } if *status == code)
}

/// Sends this phone's pending photos, smallest first, one at a time. Call it after the operations are
/// pushed ([`sync_once`](super::sync_once)): a photo goes only once the operation attaching it is
/// accepted. A photo whose operation was refused is marked failed; one the server does not know yet
/// (404) waits for the next pass; one whose bytes the server refuses (422) is marked failed.
pub async fn send_photos(
    client: &SyncClient,
    store: &Mutex<Store>,
) -> Result<PhotoSummary, SyncError> {
    let mut summary = PhotoSummary::default();
    send_photos_into(client, store, &mut summary).await?;
    Ok(summary)
}

/// [`send_photos`], adding what it does to `summary` as it goes, so a pass a cut ends still counts.
pub async fn send_photos_into(
    client: &SyncClient,
    store: &Mutex<Store>,
    summary: &mut PhotoSummary,
) -> Result<(), SyncError> {
    let todo = lock(store).photos_to_send()?;
    for p in todo {
        match p.attach_state.as_deref() {
            Some("sent") => {}
            Some("rejected") => {
                lock(store).set_photo_upload(&p.hash, Upload::Failed)?;
                summary.failed += 1;
                continue;
            }
            _ => {
                summary.waiting += 1;
                continue;
            }
        }
        let Some(bytes) = lock(store).read_photo_file(&p.hash, false)? else {
            tracing::warn!(hash = %p.hash, "an own photo's file is missing");
            lock(store).set_photo_upload(&p.hash, Upload::Failed)?;
            summary.failed += 1;
            continue;
        };
        match upload(client, &p.hash, &bytes, summary).await {
            Ok(Outcome::Complete) => {
                lock(store).set_photo_upload(&p.hash, Upload::Sent)?;
                summary.sent += 1;
            }
            Ok(Outcome::Later) => summary.waiting += 1,
            Err(e) if is_status(&e, 422) => {
                tracing::warn!(hash = %p.hash, error = %e, "the server refused a photo's bytes");
                lock(store).set_photo_upload(&p.hash, Upload::Failed)?;
                summary.failed += 1;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

enum Outcome {
    Complete,
    Later,
}

/// One photo's resumable upload: from the server's `received` on, chunk after chunk.
async fn upload(
    client: &SyncClient,
    hash: &str,
    bytes: &[u8],
    summary: &mut PhotoSummary,
) -> Result<Outcome, SyncError> {
    let mut status = match client.upload_status(hash).await {
        Ok(s) => s,
        Err(e) if is_status(&e, 404) => return Ok(Outcome::Later),
        Err(e) => return Err(e),
    };
    // Every chunk once, and a few offset corrections: a server that keeps moving the offset is broken.
    let mut steps = bytes.len().div_ceil(UPLOAD_CHUNK_BYTES) + 8;
    loop {
        if status.complete {
            return Ok(Outcome::Complete);
        }
        let from = usize::try_from(status.received).unwrap_or(usize::MAX);
        if from >= bytes.len() || steps == 0 {
            return Err(SyncError::BadResponse(format!(
                "the server holds {} of photo {hash}'s {} bytes and does not call it complete",
                status.received,
                bytes.len()
            )));
        }
        steps -= 1;
        // One chunk a request: a cut wastes at most that. (The whole rest in one request, stored chunk
        // by chunk as it arrives, used the link better but lost the connection's buffers with each
        // cut, 100-130 KB measured: see BENCHMARKS.md.)
        let to = (from + UPLOAD_CHUNK_BYTES).min(bytes.len());
        let handed = Arc::new(AtomicU64::new(0));
        let answer = client
            .put_chunk(hash, from as u64, bytes[from..to].to_vec(), handed.clone())
            .await;
        summary.bytes_attempted += handed.load(Ordering::Relaxed);
        status = match answer {
            Ok(PutAnswer::Stored(s)) => {
                summary.bytes_sent += s.received.saturating_sub(from as u64);
                s
            }
            Ok(PutAnswer::Offset(s)) => s,
            Err(e) if is_status(&e, 404) => return Ok(Outcome::Later),
            Err(e) => return Err(e),
        };
    }
}

/// Fetches the thumbnails of photos this phone shows and has none of yet, one at a time; returns how
/// many it got. A photo the server does not serve yet (not complete, or retention removed it) is
/// skipped until the next pass.
pub async fn fetch_thumbnails(
    client: &SyncClient,
    store: &Mutex<Store>,
) -> Result<usize, SyncError> {
    let wanted = {
        let s = lock(store);
        let Some(role) = s.identity().map(|i| i.role) else {
            return Err(SyncError::NotEnrolled);
        };
        s.thumbs_wanted(role)?
    };
    let mut got = 0;
    for hash in wanted {
        if let Some(bytes) = client.download_photo(&hash, true).await? {
            lock(store).save_photo_file(&hash, &bytes, true)?;
            got += 1;
        }
    }
    Ok(got)
}

/// Fetches one photo whole (someone opened it) unless the phone has it; `false` when the server has
/// none this phone may see.
pub async fn fetch_photo(
    client: &SyncClient,
    store: &Mutex<Store>,
    hash: &str,
) -> Result<bool, SyncError> {
    if lock(store).read_photo_file(hash, false)?.is_some() {
        return Ok(true);
    }
    match client.download_photo(hash, false).await? {
        Some(bytes) => {
            lock(store).save_photo_file(hash, &bytes, false)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The engine's pass of photos after a successful sync: own ones up, then thumbnails down. A failure is logged and left to the next
/// round; the operations' sync already succeeded and says what the sync bar shows.
pub(crate) async fn photo_pass(client: &SyncClient, store: &Mutex<Store>) {
    match send_photos(client, store).await {
        Ok(p) if p != Default::default() => tracing::debug!(?p, "photos"),
        Ok(_) => {}
        Err(e) => {
            tracing::info!(error = %e, "sending photos stopped");
            return;
        }
    }
    if let Err(e) = fetch_thumbnails(client, store).await {
        tracing::info!(error = %e, "fetching thumbnails stopped");
    }
}
