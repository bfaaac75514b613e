//! Photos on the phone: attaching one to a report (files first, then the operation, in one transaction
//! with its row), what the sync sends and fetches, and what the screens show.
//!
//! Own photos are `pending` until the server holds them whole (`sent`), or `failed` when the operation
//! attaching them was refused or the server found the bytes not to be what the operation named. Pulled
//! photos get a row when their operation is applied (`materialize::note_photo`); their thumbnail and,
//! on demand, the photo itself are fetched later.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rusqlite::{TransactionBehavior, params};
use torgkoll_shared::photo::{MAX_PHOTOS_PER_REPORT, Prepared, hash_hex};
use torgkoll_shared::validate::Lookup;
use torgkoll_shared::{OpBody, Operation, Role, access};
use uuid::Uuid;

use super::materialize_rows::DbLookup;
use super::queries::own_state_sql;
use super::record::record_in;
use super::{Result, Store, StoreError, photo_files};

/// Where an own photo's upload stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upload {
    Pending,
    Sent,
    Failed,
}

impl Upload {
    fn code(self) -> &'static str {
        match self {
            Upload::Pending => "pending",
            Upload::Sent => "sent",
            Upload::Failed => "failed",
        }
    }

    fn from_code(s: &str) -> Option<Upload> {
        match s {
            "pending" => Some(Upload::Pending),
            "sent" => Some(Upload::Sent),
            "failed" => Some(Upload::Failed),
            _ => None,
        }
    }
}

/// A photo of a report as the screens show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoView {
    pub hash: String,
    pub bytes: u32,
    pub w: u32,
    pub h: u32,
    pub own: bool,
    /// Own photos only.
    pub upload: Option<Upload>,
    pub has_full: bool,
    pub has_thumb: bool,
}

/// A report's photos counted for a list row: how many, and how many of the own ones wait or failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhotoCounts {
    pub total: u32,
    pub pending: u32,
    pub failed: u32,
}

/// An own photo the sync may send: its size, and where the operation attaching it stands
/// (`pending`, `sent` or `rejected`, as in the log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingPhoto {
    pub hash: String,
    pub bytes: u32,
    pub attach_state: Option<String>,
}

fn view_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<PhotoView> {
    let upload: Option<String> = r.get("upload")?;
    Ok(PhotoView {
        hash: r.get("hash")?,
        bytes: r.get("bytes")?,
        w: r.get("w")?,
        h: r.get("h")?,
        own: r.get("own")?,
        upload: upload.as_deref().and_then(Upload::from_code),
        has_full: r.get("has_full")?,
        has_thumb: r.get("has_thumb")?,
    })
}

impl Store {
    /// The directory photo files are kept in.
    pub fn photos_dir(&self) -> Result<&std::path::Path> {
        self.photos_dir
            .as_deref()
            .ok_or_else(|| StoreError::Photo("an in-memory store keeps no photos".into()))
    }

    fn photo_path(&self, hash: &str, thumb: bool) -> Result<PathBuf> {
        photo_files::path_of(self.photos_dir()?, hash, thumb)
            .ok_or_else(|| StoreError::Photo(format!("'{hash}' is not a photo's name")))
    }

    /// Attaches a processed photo (and its thumbnail, when made) to a report, as this phone's user now.
    ///
    /// The files are written durably first, then the operation is recorded with the photo's row in one
    /// transaction, so the operation never names a missing file. A fifth photo is refused
    /// ([`Invalid::TooManyPhotos`](torgkoll_shared::Invalid::TooManyPhotos)) before anything is
    /// written; the same photo again is recorded and harmless, as the fold counts it once.
    pub fn attach_photo(
        &mut self,
        report: Uuid,
        photo: &Prepared,
        thumb: Option<&[u8]>,
        now_ms: i64,
    ) -> Result<Operation> {
        let reference = photo.reference.clone();
        let on = DbLookup(&self.conn).photos_on(report);
        if !on.contains(&reference.hash) && on.len() >= MAX_PHOTOS_PER_REPORT {
            return Err(torgkoll_shared::Invalid::TooManyPhotos.into());
        }
        let full_path = self.photo_path(&reference.hash, false)?;
        let thumb_path = self.photo_path(&reference.hash, true)?;
        let io = |e: std::io::Error| StoreError::Photo(e.to_string());
        photo_files::write_durable(&full_path, &photo.bytes).map_err(io)?;
        if let Some(t) = thumb {
            photo_files::write_durable(&thumb_path, t).map_err(io)?;
        }
        let body = OpBody::Photo {
            report,
            photo: reference.clone(),
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO photos (hash, report, bytes, w, h, own, upload, has_full, has_thumb, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, 'pending', 1, ?6, ?7)
             ON CONFLICT (hash) DO UPDATE SET has_full = 1, has_thumb = max(has_thumb, excluded.has_thumb)",
            params![
                reference.hash,
                report,
                reference.bytes,
                reference.w,
                reference.h,
                thumb.is_some() || thumb_path.exists(),
                now_ms
            ],
        )?;
        let recorded = record_in(&tx, &self.site, self.identity.as_ref(), body, now_ms);
        match recorded {
            Ok(op) => {
                tx.commit()?;
                Ok(op)
            }
            Err(e) => {
                drop(tx);
                let named: bool = self
                    .conn
                    .query_row(
                        "SELECT EXISTS (SELECT 1 FROM photos WHERE hash = ?1)",
                        [&reference.hash],
                        |r| r.get(0),
                    )
                    .unwrap_or(true);
                if !named && let Some(dir) = &self.photos_dir {
                    photo_files::remove(dir, &reference.hash);
                }
                Err(e)
            }
        }
    }

    /// The photos of a report, in the order they were attached (pulled ones in the order they came).
    pub fn photos_of(&self, report: Uuid) -> Result<Vec<PhotoView>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT * FROM photos WHERE report = ?1 ORDER BY created_ms, rowid")?;
        let rows = stmt
            .query_map([report], view_of)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Photo counts per report, for the lists (every report that has a photo on this phone).
    pub fn photo_counts(&self) -> Result<BTreeMap<Uuid, PhotoCounts>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT report, count(*), sum(upload = 'pending'), sum(upload = 'failed')
             FROM photos GROUP BY report",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Uuid>(0)?,
                PhotoCounts {
                    total: r.get(1)?,
                    pending: r.get::<_, Option<u32>>(2)?.unwrap_or(0),
                    failed: r.get::<_, Option<u32>>(3)?.unwrap_or(0),
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Own photos still to send, smallest first, with where their attaching operation stands.
    pub fn photos_to_send(&self) -> Result<Vec<OutgoingPhoto>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT p.hash, p.bytes,
               (SELECT CASE WHEN sum(st = 'sent') > 0 THEN 'sent'
                            WHEN sum(st = 'pending') > 0 THEN 'pending'
                            ELSE max(st) END
                FROM (SELECT ",
            own_state_sql!(),
            " AS st
                      FROM oplog o WHERE o.local = 1 AND o.kind = 'photo' AND o.target = p.report
                        AND json_extract(o.body, '$.hash') = p.hash))
             FROM photos p WHERE p.own = 1 AND p.upload = 'pending' ORDER BY p.bytes, p.hash",
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(OutgoingPhoto {
                hash: r.get(0)?,
                bytes: r.get(1)?,
                attach_state: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Own photos not yet on the server (pending).
    pub fn photos_pending(&self) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM photos WHERE own = 1 AND upload = 'pending'",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Sets where an own photo's upload stands.
    pub fn set_photo_upload(&self, hash: &str, upload: Upload) -> Result<()> {
        self.conn.execute(
            "UPDATE photos SET upload = ?2 WHERE hash = ?1 AND own = 1",
            params![hash, upload.code()],
        )?;
        Ok(())
    }

    /// Photos of reports `role` may see that have no thumbnail on this phone yet, oldest first.
    pub fn thumbs_wanted(&self, role: Role) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.hash, r.domain FROM photos p LEFT JOIN reports r ON r.id = p.report
             WHERE p.has_thumb = 0 ORDER BY p.created_ms, p.rowid",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|(_, domain)| {
                let d = match domain.as_deref() {
                    Some("disturbance") => torgkoll_shared::Domain::Disturbance,
                    Some(_) => torgkoll_shared::Domain::Cleaning,
                    None => return false,
                };
                access::may_see(role, d)
            })
            .map(|(h, _)| h)
            .collect())
    }

    /// Keeps a fetched thumbnail (or, with `thumb` false, the photo itself, which must hash to its name).
    pub fn save_photo_file(&self, hash: &str, bytes: &[u8], thumb: bool) -> Result<()> {
        if !thumb && hash_hex(bytes) != hash {
            return Err(StoreError::Photo(format!(
                "the bytes fetched are not {hash}"
            )));
        }
        let path = self.photo_path(hash, thumb)?;
        photo_files::write_durable(&path, bytes).map_err(|e| StoreError::Photo(e.to_string()))?;
        let column = if thumb { "has_thumb" } else { "has_full" };
        self.conn.execute(
            &format!("UPDATE photos SET {column} = 1 WHERE hash = ?1"),
            [hash],
        )?;
        Ok(())
    }

    /// A photo's bytes (or its thumbnail's), if this phone has them.
    pub fn read_photo_file(&self, hash: &str, thumb: bool) -> Result<Option<Vec<u8>>> {
        let path = self.photo_path(hash, thumb)?;
        match std::fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Photo(e.to_string())),
        }
    }
}
