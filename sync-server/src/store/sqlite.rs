//! [`ServerStore`] on one SQLite file: WAL, `synchronous=FULL` (an acknowledged push survives a kill -9 or
//! a power cut), one writer connection behind a mutex and a pool of read-only connections
//! ([`ReadPool`](super::read_pool::ReadPool)), so pulls run side by side with each other and with pushes.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::read_pool::{self, PooledConn, ReadPool};
use std::time::Duration;
use torgkoll_migrate::Checkpointer;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
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
        self.insert_enroll_code(code_hash, role, name, site, expires_ms, now_ms)
    }

    fn add_reenroll_code(
        &self,
        code_hash: &str,
        device: Uuid,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<Option<Device>> {
        self.insert_reenroll_code(code_hash, device, expires_ms, now_ms)
    }

    fn redeem_enroll_code(
        &self,
        code_hash: &str,
        device: Uuid,
        token_hash: &str,
        default_site: &str,
        now_ms: i64,
    ) -> Result<Option<Device>> {
        self.spend_enroll_code(code_hash, device, token_hash, default_site, now_ms)
    }

    fn enroll_code_site(&self, code_hash: &str, now_ms: i64) -> Result<Option<Option<String>>> {
        self.site_of_enroll_code(code_hash, now_ms)
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
        self.device_with_token(token_hash)
    }

    fn revoke(&self, device: Uuid, now_ms: i64) -> Result<bool> {
        self.revoke_device(device, now_ms)
    }

    fn devices(&self, site: Option<&str>) -> Result<Vec<DeviceSummary>> {
        self.device_summaries(site)
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
