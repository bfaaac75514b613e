//! Enrollment codes and devices on SQLite: a code stored as its hash, spent once (enrolling a new device
//! or re-enrolling one with a new token), the device a token names, revocation, and the phones list.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use torgkoll_shared::Role;
use uuid::Uuid;

use super::sqlite::SqliteStore;
use super::{Device, DeviceSummary, Result};

pub(super) fn role_from(code: &str) -> rusqlite::Result<Role> {
    Role::from_code(code).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown role '{code}'").into(),
        )
    })
}

pub(super) const DEVICE_COLUMNS: &str =
    "id, name, role, enrolled_ms, revoked_ms, acked_through, site";

pub(super) fn device_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        id: r.get(0)?,
        name: r.get(1)?,
        role: role_from(&r.get::<_, String>(2)?)?,
        enrolled_ms: r.get(3)?,
        revoked_ms: r.get(4)?,
        acked_through: r.get::<_, i64>(5)? as u64,
        site: r.get(6)?,
    })
}

impl SqliteStore {
    /// Finds a device by its id, or by its name when exactly one device has that name.
    pub fn find_device(&self, id_or_name: &str) -> Result<Vec<Device>> {
        let conn = self.read()?;
        if let Ok(id) = Uuid::parse_str(id_or_name) {
            let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1");
            let found = conn.query_row(&sql, [id], device_from_row).optional()?;
            return Ok(found.into_iter().collect());
        }
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE name = ?1");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([id_or_name], device_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub(super) fn insert_enroll_code(
        &self,
        code_hash: &str,
        role: Role,
        name: &str,
        site: Option<&str>,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<()> {
        self.write()?.execute(
            "INSERT INTO enroll_codes (code_hash, role, name, created_ms, expires_ms, site)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![code_hash, role.code(), name, now_ms, expires_ms, site],
        )?;
        Ok(())
    }

    pub(super) fn insert_reenroll_code(
        &self,
        code_hash: &str,
        device: Uuid,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<Option<Device>> {
        let mut conn = self.write()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1");
        let Some(found) = tx.query_row(&sql, [device], device_from_row).optional()? else {
            return Ok(None);
        };
        // An unused code names its device only when it re-enrolls one: a new device's code gets its
        // `device` when spent.
        tx.execute(
            "INSERT INTO enroll_codes (code_hash, role, name, created_ms, expires_ms, device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                code_hash,
                found.role.code(),
                found.name,
                now_ms,
                expires_ms,
                device
            ],
        )?;
        tx.commit()?;
        Ok(Some(found))
    }

    pub(super) fn spend_enroll_code(
        &self,
        code_hash: &str,
        device: Uuid,
        token_hash: &str,
        default_site: &str,
        now_ms: i64,
    ) -> Result<Option<Device>> {
        let mut conn = self.write()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let spent = tx
            .query_row(
                "UPDATE enroll_codes SET used_ms = ?2, device = COALESCE(device, ?3)
                 WHERE code_hash = ?1 AND used_ms IS NULL AND expires_ms > ?2
                 RETURNING role, name, device, site",
                params![code_hash, now_ms, device],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Uuid>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((role, name, for_device, site)) = spent else {
            return Ok(None);
        };
        if for_device != device {
            // A re-enrollment: the same device, a new token, not revoked any more, its acks kept.
            let sql = format!(
                "UPDATE devices SET token_hash = ?2, revoked_ms = NULL WHERE id = ?1
                 RETURNING {DEVICE_COLUMNS}"
            );
            let found = tx
                .query_row(&sql, params![for_device, token_hash], device_from_row)
                .optional()?;
            tx.commit()?;
            return Ok(found);
        }
        let role = role_from(&role)?;
        let site = site.unwrap_or_else(|| default_site.to_owned());
        tx.execute(
            "INSERT INTO devices (id, name, role, token_hash, enrolled_ms, site)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![device, name, role.code(), token_hash, now_ms, site],
        )?;
        tx.commit()?;
        Ok(Some(Device::enrolled(device, name, role, site, now_ms)))
    }

    pub(super) fn site_of_enroll_code(
        &self,
        code_hash: &str,
        now_ms: i64,
    ) -> Result<Option<Option<String>>> {
        Ok(self
            .read()?
            .query_row(
                "SELECT site FROM enroll_codes
                 WHERE code_hash = ?1 AND used_ms IS NULL AND expires_ms > ?2",
                params![code_hash, now_ms],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?)
    }

    pub(super) fn device_with_token(&self, token_hash: &str) -> Result<Option<Device>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = ?1"
        ))?;
        Ok(stmt.query_row([token_hash], device_from_row).optional()?)
    }

    pub(super) fn revoke_device(&self, device: Uuid, now_ms: i64) -> Result<bool> {
        let n = self.write()?.execute(
            "UPDATE devices SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL",
            params![device, now_ms],
        )?;
        Ok(n == 1)
    }

    pub(super) fn device_summaries(&self, site: Option<&str>) -> Result<Vec<DeviceSummary>> {
        let conn = self.read()?;
        let sql = format!(
            "SELECT {DEVICE_COLUMNS},
                (SELECT COUNT(*) FROM ops WHERE ops.device = devices.id),
                (SELECT COUNT(*) FROM rejected WHERE rejected.device = devices.id),
                clock_offset_ms, offset_measured_ms, last_contact_ms, pending, app
             FROM devices WHERE ?1 IS NULL OR site = ?1 ORDER BY enrolled_ms, id"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([site], |r| {
            Ok(DeviceSummary {
                device: device_from_row(r)?,
                ops: r.get::<_, i64>(7)? as u64,
                rejected: r.get::<_, i64>(8)? as u64,
                clock_offset_ms: r.get(9)?,
                offset_measured_ms: r.get(10)?,
                last_contact_ms: r.get(11)?,
                pending: r.get::<_, Option<i64>>(12)?.map(|n| n.max(0) as u64),
                app: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
