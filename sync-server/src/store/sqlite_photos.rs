//! What the photo routes and retention read and change on SQLite: the operations attaching a photo
//! (found through the index on their hash, migration 7) and the photos retention removed.

use rusqlite::{OptionalExtension, params};
use torgkoll_shared::OpBody;

use super::sqlite::SqliteStore;
use super::sqlite_sync::domain_from;
use super::{PhotoAttachment, PhotoRecord, Result, StoreError};

impl SqliteStore {
    pub(super) fn photo_record_of(&self, hash: &str) -> Result<PhotoRecord> {
        let conn = self.read()?;
        let rows: Vec<(String, uuid::Uuid, i64, String)> = conn
            .prepare_cached(
                "SELECT domain, device, at_ms, body FROM ops
                 WHERE kind = 'photo' AND json_extract(body, '$.hash') = ?1 ORDER BY pos",
            )?
            .query_map([hash], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut attachments = Vec::with_capacity(rows.len());
        for (domain, device, at_ms, body) in rows {
            let corrupt = || StoreError::Corrupt(format!("a photo operation of {hash}"));
            let body: OpBody = serde_json::from_str(&body).map_err(|_| corrupt())?;
            attachments.push(PhotoAttachment {
                domain: domain_from(&domain).ok_or_else(corrupt)?,
                device,
                at_ms,
                photo: body.photo().ok_or_else(corrupt)?.clone(),
            });
        }
        let purged = conn
            .prepare_cached("SELECT 1 FROM photos_purged WHERE hash = ?1")?
            .query_row([hash], |_| Ok(()))
            .optional()?
            .is_some();
        Ok(PhotoRecord {
            attachments,
            purged,
        })
    }

    pub(super) fn photos_made_before_cutoff(&self, cutoff_ms: i64) -> Result<Vec<String>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(
            "SELECT json_extract(body, '$.hash') AS h FROM ops WHERE kind = 'photo'
             GROUP BY h HAVING MAX(at_ms) < ?1 AND h NOT IN (SELECT hash FROM photos_purged)
             ORDER BY h",
        )?;
        let rows = stmt.query_map([cutoff_ms], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub(super) fn mark_purged(&self, hash: &str, now_ms: i64) -> Result<()> {
        self.write()?.execute(
            "INSERT OR IGNORE INTO photos_purged (hash, purged_ms) VALUES (?1, ?2)",
            params![hash, now_ms],
        )?;
        Ok(())
    }

    pub(super) fn photo_owners_of(&self) -> Result<Vec<(uuid::Uuid, String)>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT device, json_extract(body, '$.hash') AS h FROM ops
             WHERE kind = 'photo' AND h IS NOT NULL AND h NOT IN (SELECT hash FROM photos_purged)",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
