//! [`ServerStore`] on one SQLite file: WAL, `synchronous=FULL` (an acknowledged push survives a kill -9 or
//! a power cut), one writer connection behind a mutex and a pool of read-only connections
//! ([`ReadPool`](super::read_pool::ReadPool)), so pulls run side by side with each other and with pushes.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::read_pool::{self, PooledConn, ReadPool};
use std::time::Duration;
use torgkoll_migrate::Checkpointer;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use torgkoll_shared::Role;
use uuid::Uuid;

use torgkoll_shared::Operation;
use torgkoll_shared::analytics::Retention;

use super::{
    Device, DeviceSummary, PhotoRecord, PullPage, PurgeOutcome, PushBatch, PushOutcome, Result,
    ServerStore, StoreError,
};
use crate::cancel::Cancel;
use crate::sites::Sites;
use crate::webhooks::model::{DueDelivery, NewWebhook, Outcome, Scan, WebhookListing};
use torgkoll_shared::calendar::Date;

/// The writer checkpoints by itself only once the log has grown past this many pages (40 MiB at 4 KiB
/// pages), should the checkpoint thread fall behind: the log cannot grow without bound.
const BACKSTOP_PAGES: i64 = 10_000;
/// The checkpoint thread's pace: after every push (nudged), but not sooner than `CHECKPOINT_GAP` after
/// the last, so that a crowd's pushes share one; and every `CHECKPOINT_EVERY` for the other writes.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(2);
const CHECKPOINT_GAP: Duration = Duration::from_millis(200);

pub struct SqliteStore {
    pub(super) writer: Mutex<Connection>,
    pub(super) readers: ReadPool,
    /// WAL checkpoints off the push's path (`torgkoll_migrate::Checkpointer`): the commit that took the
    /// log past 1,000 pages used to checkpoint it before its push could answer.
    checkpoints: Checkpointer,
    photos_dir: PathBuf,
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Corrupt(format!(
            "journal mode is {mode}, not WAL"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 64 MiB of page cache: a year of a busy site fits, and reports and pulls stay off the disk.
    conn.pragma_update(None, "cache_size", -65_536)?;
    // Every statement of a push, a pull and the rest stays prepared (rusqlite keeps 16 by default, fewer
    // than a push alone uses, so each push prepared some of its statements again).
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

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
    /// Opens (creating if needed) and migrates the database at `path`, with its photos in the default
    /// directory beside it (`<path>.photos`).
    pub fn open(path: &Path) -> Result<SqliteStore> {
        Self::open_with_photos(path, crate::photos::files::default_dir(path))
    }

    /// Opens the database at `path` with its photos in `photos_dir` (created when a photo arrives).
    pub fn open_with_photos(path: &Path, photos_dir: PathBuf) -> Result<SqliteStore> {
        let mut writer = Connection::open(path)?;
        configure(&writer)?;
        // The checkpoints are the checkpoint thread's (`checkpoints`); the writer's own only a backstop.
        writer.pragma_update(None, "wal_autocheckpoint", BACKSTOP_PAGES)?;
        super::schema::migrate(&mut writer)?;
        Self::with_readers(path, photos_dir, writer, read_pool::default_size())
    }

    /// The store with `readers` read-only connections beside the migrated `writer`.
    fn with_readers(
        path: &Path,
        photos_dir: PathBuf,
        writer: Connection,
        readers: usize,
    ) -> Result<SqliteStore> {
        let mut conns = Vec::with_capacity(readers);
        for _ in 0..readers.max(1) {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI;
            let reader = Connection::open_with_flags(path, flags)?;
            configure(&reader)?;
            conns.push(reader);
        }
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers: ReadPool::new(conns),
            checkpoints: Checkpointer::start(path, CHECKPOINT_EVERY, CHECKPOINT_GAP)?,
            photos_dir,
        })
    }

    pub(super) fn write(&self) -> Result<MutexGuard<'_, Connection>> {
        self.writer.lock().map_err(|_| StoreError::Poisoned)
    }

    /// A read-only connection from the pool: its transactions see one snapshot each.
    pub(super) fn read(&self) -> Result<PooledConn<'_>> {
        self.readers.get()
    }

    /// How many read-only connections the pool holds.
    pub fn readers(&self) -> usize {
        self.readers.size()
    }

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
}

impl ServerStore for SqliteStore {
    fn add_site_enroll_code(
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

    fn add_reenroll_code(
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

    fn redeem_enroll_code(
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
        Ok(Some(Device {
            id: device,
            name,
            role,
            enrolled_ms: now_ms,
            revoked_ms: None,
            acked_through: 0,
            site,
        }))
    }

    fn enroll_code_site(&self, code_hash: &str, now_ms: i64) -> Result<Option<Option<String>>> {
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

    fn adopt_default_site(&self, site: &str) -> Result<u64> {
        let mut conn = self.write()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let devices = tx.execute("UPDATE devices SET site = ?1 WHERE site = ''", [site])?;
        let ops = tx.execute("UPDATE ops SET site = ?1 WHERE site = ''", [site])?;
        let hooks = tx.execute("UPDATE webhooks SET site = ?1 WHERE site = ''", [site])?;
        let days = tx.execute(
            "INSERT OR IGNORE INTO lagesbild_days (site, day, made_ms)
             SELECT ?1, day, made_ms FROM lagesbild_days WHERE site = ''",
            [site],
        )?;
        tx.execute("DELETE FROM lagesbild_days WHERE site = ''", [])?;
        tx.commit()?;
        Ok((devices + ops + hooks + days) as u64)
    }

    fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = ?1"
        ))?;
        Ok(stmt.query_row([token_hash], device_from_row).optional()?)
    }

    fn revoke(&self, device: Uuid, now_ms: i64) -> Result<bool> {
        let n = self.write()?.execute(
            "UPDATE devices SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL",
            params![device, now_ms],
        )?;
        Ok(n == 1)
    }

    fn devices(&self, site: Option<&str>) -> Result<Vec<DeviceSummary>> {
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

    fn touch_device(
        &self,
        device: Uuid,
        now_ms: i64,
        pending: Option<u64>,
        app: Option<&str>,
    ) -> Result<()> {
        let contact = super::Contact {
            now_ms,
            pending,
            app: app.map(str::to_owned),
        };
        let conn = self.write()?;
        super::sqlite_push::touch(&conn, device, &contact)
    }

    fn pull(
        &self,
        requester: Uuid,
        role: Role,
        site: &str,
        after: u64,
        limit: u32,
    ) -> Result<PullPage> {
        self.pull_page(requester, role, site, after, limit)
    }

    fn last_pos(&self) -> Result<u64> {
        let conn = self.read()?;
        let pos: i64 = conn
            .prepare_cached("SELECT COALESCE(MAX(pos), 0) FROM ops")?
            .query_row([], |r| r.get(0))?;
        Ok(u64::try_from(pos).unwrap_or(0))
    }

    fn push_batches(&self, batches: Vec<PushBatch>) -> Result<Vec<PushOutcome>> {
        let outcomes = super::sqlite_push::push_batches(&mut *self.write()?, batches);
        self.checkpoints.nudge();
        outcomes
    }

    fn ops_touching(
        &self,
        site: &str,
        from_ms: i64,
        to_ms: i64,
        open_at: Option<i64>,
        made_before: i64,
        cancel: &Cancel,
    ) -> Result<Vec<Operation>> {
        self.ops_touching_in_tx(site, from_ms, to_ms, open_at, made_before, cancel)
    }

    fn active_devices(&self, site: &str, from_ms: i64, to_ms: i64) -> Result<Vec<(Role, u32)>> {
        self.active_in(site, from_ms, to_ms)
    }

    fn purge_free_text(&self, retention: Retention, now_ms: i64) -> Result<PurgeOutcome> {
        self.purge_in_tx(retention, now_ms)
    }

    fn photos_dir(&self) -> &Path {
        &self.photos_dir
    }

    fn photo_record(&self, hash: &str) -> Result<PhotoRecord> {
        self.photo_record_of(hash)
    }

    fn photos_made_before(&self, cutoff_ms: i64) -> Result<Vec<String>> {
        self.photos_made_before_cutoff(cutoff_ms)
    }

    fn mark_photo_purged(&self, hash: &str, now_ms: i64) -> Result<()> {
        self.mark_purged(hash, now_ms)
    }

    fn photo_owners(&self) -> Result<Vec<(Uuid, String)>> {
        self.photo_owners_of()
    }

    fn add_webhook(&self, hook: &NewWebhook, now_ms: i64) -> Result<i64> {
        self.insert_webhook(hook, now_ms)
    }

    fn webhooks(&self) -> Result<Vec<WebhookListing>> {
        self.list_webhooks()
    }

    fn remove_webhook(&self, id: i64) -> Result<bool> {
        self.delete_webhook(id)
    }

    fn scan_level1(&self, sites: &Sites, now_ms: i64, batch: u32) -> Result<Scan> {
        self.scan_level1_batch(sites, now_ms, batch)
    }

    fn last_lagesbild_day(&self, site: &str) -> Result<Option<Date>> {
        self.lagesbild_day(site)
    }

    fn record_lagesbild(&self, site: &str, day: Date, body: &[u8], now_ms: i64) -> Result<usize> {
        self.lagesbild_made(site, day, body, now_ms)
    }

    fn due_deliveries(&self, now_ms: i64, limit: u32) -> Result<Vec<DueDelivery>> {
        self.deliveries_due(now_ms, limit)
    }

    fn record_delivery(&self, id: Uuid, now_ms: i64, outcome: &Outcome) -> Result<()> {
        self.record_outcome(id, now_ms, outcome)
    }
}
