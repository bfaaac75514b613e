//! Enrollment codes and devices on PostgreSQL: a code stored as its hash, spent once (enrolling a new
//! device or re-enrolling one with a new token), the device a token names, revocation, and the phones
//! list (as `sqlite_devices.rs` on SQLite).

use torgkoll_shared::Role;
use uuid::Uuid;

use super::pg::PgStore;
use super::{Device, DeviceSummary, Result, StoreError};

pub(super) fn role_from(code: &str) -> Result<Role> {
    Role::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("unknown role '{code}'")))
}

pub(super) const DEVICE_COLUMNS: &str =
    "id, name, role, enrolled_ms, revoked_ms, acked_through, site";

pub(super) fn device_from_row(r: &postgres::Row) -> Result<Device> {
    Ok(Device {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        role: role_from(r.try_get(2)?)?,
        enrolled_ms: r.try_get(3)?,
        revoked_ms: r.try_get(4)?,
        acked_through: r.try_get::<_, i64>(5)? as u64,
        site: r.try_get(6)?,
    })
}

impl PgStore {
    /// Finds a device by its id, or by its name when exactly one device has that name.
    pub fn find_device(&self, id_or_name: &str) -> Result<Vec<Device>> {
        self.run(|c| {
            let rows = if let Ok(id) = Uuid::parse_str(id_or_name) {
                let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1");
                c.query(&sql, &[&id])?
            } else {
                let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE name = $1");
                c.query(&sql, &[&id_or_name])?
            };
            rows.iter().map(device_from_row).collect()
        })
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
        self.run(|c| {
            c.execute(
                "INSERT INTO enroll_codes (code_hash, role, name, created_ms, expires_ms, site)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&code_hash, &role.code(), &name, &now_ms, &expires_ms, &site],
            )?;
            Ok(())
        })
    }

    pub(super) fn insert_reenroll_code(
        &self,
        code_hash: &str,
        device: Uuid,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<Option<Device>> {
        self.run(|c| {
            let mut tx = c.transaction()?;
            let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1");
            let Some(row) = tx.query_opt(&sql, &[&device])? else {
                return Ok(None);
            };
            let found = device_from_row(&row)?;
            tx.execute(
                "INSERT INTO enroll_codes (code_hash, role, name, created_ms, expires_ms, device)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &code_hash,
                    &found.role.code(),
                    &found.name,
                    &now_ms,
                    &expires_ms,
                    &device,
                ],
            )?;
            tx.commit()?;
            Ok(Some(found))
        })
    }

    pub(super) fn spend_enroll_code(
        &self,
        code_hash: &str,
        device: Uuid,
        token_hash: &str,
        default_site: &str,
        now_ms: i64,
    ) -> Result<Option<Device>> {
        self.run(|c| {
            let mut tx = c.transaction()?;
            // The UPDATE's row lock makes a second redeemer of the same code wait, then find it used.
            let spent = tx.query_opt(
                "UPDATE enroll_codes SET used_ms = $2, device = COALESCE(device, $3)
                 WHERE code_hash = $1 AND used_ms IS NULL AND expires_ms > $2
                 RETURNING role, name, device, site",
                &[&code_hash, &now_ms, &device],
            )?;
            let Some(spent) = spent else {
                return Ok(None);
            };
            let (role, name, for_device): (String, String, Uuid) =
                (spent.try_get(0)?, spent.try_get(1)?, spent.try_get(2)?);
            let site: Option<String> = spent.try_get(3)?;
            if for_device != device {
                let sql = format!(
                    "UPDATE devices SET token_hash = $2, revoked_ms = NULL WHERE id = $1
                     RETURNING {DEVICE_COLUMNS}"
                );
                let found = tx.query_opt(&sql, &[&for_device, &token_hash])?;
                let found = found.as_ref().map(device_from_row).transpose()?;
                tx.commit()?;
                return Ok(found);
            }
            let role = role_from(&role)?;
            let site = site.unwrap_or_else(|| default_site.to_owned());
            tx.execute(
                "INSERT INTO devices (id, name, role, token_hash, enrolled_ms, site)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&device, &name, &role.code(), &token_hash, &now_ms, &site],
            )?;
            tx.commit()?;
            Ok(Some(Device::enrolled(device, name, role, site, now_ms)))
        })
    }

    pub(super) fn site_of_enroll_code(
        &self,
        code_hash: &str,
        now_ms: i64,
    ) -> Result<Option<Option<String>>> {
        self.run(|c| {
            let row = c.query_opt(
                "SELECT site FROM enroll_codes
                 WHERE code_hash = $1 AND used_ms IS NULL AND expires_ms > $2",
                &[&code_hash, &now_ms],
            )?;
            Ok(row.map(|r| r.try_get::<_, Option<String>>(0)).transpose()?)
        })
    }

    pub(super) fn device_with_token(&self, token_hash: &str) -> Result<Option<Device>> {
        self.run(|c| {
            let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = $1");
            let row = c.query_opt(&sql, &[&token_hash])?;
            row.as_ref().map(device_from_row).transpose()
        })
    }

    pub(super) fn revoke_device(&self, device: Uuid, now_ms: i64) -> Result<bool> {
        self.run(|c| {
            let n = c.execute(
                "UPDATE devices SET revoked_ms = $2 WHERE id = $1 AND revoked_ms IS NULL",
                &[&device, &now_ms],
            )?;
            Ok(n == 1)
        })
    }

    pub(super) fn device_summaries(&self, site: Option<&str>) -> Result<Vec<DeviceSummary>> {
        self.run(|c| {
            let sql = format!(
                "SELECT {DEVICE_COLUMNS},
                    (SELECT COUNT(*) FROM ops WHERE ops.device = devices.id),
                    (SELECT COUNT(*) FROM rejected WHERE rejected.device = devices.id),
                    clock_offset_ms, offset_measured_ms, last_contact_ms, pending, app
                 FROM devices WHERE $1::TEXT IS NULL OR site = $1 ORDER BY enrolled_ms, id"
            );
            c.query(&sql, &[&site])?
                .iter()
                .map(|r| {
                    Ok(DeviceSummary {
                        device: device_from_row(r)?,
                        ops: r.try_get::<_, i64>(7)? as u64,
                        rejected: r.try_get::<_, i64>(8)? as u64,
                        clock_offset_ms: r.try_get(9)?,
                        offset_measured_ms: r.try_get(10)?,
                        last_contact_ms: r.try_get(11)?,
                        pending: r.try_get::<_, Option<i64>>(12)?.map(|n| n.max(0) as u64),
                        app: r.try_get(13)?,
                    })
                })
                .collect()
        })
    }
}
