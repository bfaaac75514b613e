//! [`ServerStore`] on PostgreSQL: the synchronous `postgres` client behind an `r2d2` pool. Pushes take
//! the one position counter's row lock (see [`super::pg_sync`]), so they run one at a time like SQLite's
//! single writer; pulls and reports run side by side on their own connections. A broken connection (the
//! server restarted, the postmaster killed) is dropped by the pool on its next check-out and replaced;
//! the error of the request that met it maps to 503 with `Retry-After` ([`StoreError::is_unavailable`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use postgres::{Client, NoTls};
use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::r2d2::Pool;
use torgkoll_shared::Role;
use uuid::Uuid;

use torgkoll_shared::Operation;
use torgkoll_shared::analytics::Retention;

use super::pg_pool::{Manager, PgConn, off_runtime, pool_size};
use super::{
    Device, DeviceSummary, PhotoRecord, PullPage, PurgeOutcome, PushBatch, PushOutcome, Result,
    ServerStore, StoreError,
};
use crate::cancel::Cancel;
use crate::sites::Sites;
use crate::webhooks::model::{DueDelivery, NewWebhook, Outcome, Scan, WebhookListing};
use torgkoll_shared::calendar::Date;

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

pub struct PgStore {
    /// Always `Some` until dropped (see the `Drop` impl).
    pool: Option<Pool<Manager>>,
    photos_dir: PathBuf,
}

/// Positions and sequence numbers are `u64` on the wire and BIGINT here; no real value nears 2^63.
pub(super) fn to_sql(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://…`), brings its schema up to date, and keeps
    /// photos in `photos_dir` (a URL has no "beside it").
    pub fn open(url: &str, photos_dir: PathBuf) -> Result<PgStore> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::Unavailable(format!("the URL {url}: {e}")))?;
        let manager = Manager(PostgresConnectionManager::new(config, NoTls));
        let pool = off_runtime(|| {
            Pool::builder()
                .max_size(pool_size())
                .min_idle(Some(1))
                // A request waits this long for a connection while PostgreSQL is away, then gets a 503.
                .connection_timeout(Duration::from_secs(5))
                .build(manager)
                .map_err(|e| StoreError::Unavailable(format!("cannot connect: {e}")))
        })?;
        let store = PgStore {
            pool: Some(pool),
            photos_dir,
        };
        store.run(super::pg_schema::migrate)?;
        Ok(store)
    }

    /// Runs `f` on a pooled connection. The synchronous client drives its own small runtime and must not
    /// be called where a tokio runtime is entered (a test's async body), so such a call runs on a
    /// short-lived thread of its own; from the blocking threads the routes use, likewise.
    pub(super) fn run<T: Send>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T> + Send,
    ) -> Result<T> {
        self.run_cached(|c| f(&mut c.client))
    }

    /// [`Self::run`], with the connection's statement cache.
    pub(super) fn run_cached<T: Send>(
        &self,
        f: impl FnOnce(&mut PgConn) -> Result<T> + Send,
    ) -> Result<T> {
        off_runtime(|| {
            let pool = self
                .pool
                .as_ref()
                .expect("the pool lives as long as the store");
            let mut conn = pool
                .get()
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            f(&mut conn)
        })
    }
}

impl Drop for PgStore {
    /// Closing a connection blocks on its runtime too: where a tokio runtime is current (a test's async
    /// body drops its server), the pool is dropped on a thread of its own.
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            let _ = off_runtime(move || {
                drop(pool);
                Ok(())
            });
        }
    }
}

impl ServerStore for PgStore {
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
        self.run(|c| {
            let mut tx = c.transaction()?;
            let devices = tx.execute("UPDATE devices SET site = $1 WHERE site = ''", &[&site])?;
            let ops = tx.execute("UPDATE ops SET site = $1 WHERE site = ''", &[&site])?;
            let hooks = tx.execute("UPDATE webhooks SET site = $1 WHERE site = ''", &[&site])?;
            let days = tx.execute(
                "INSERT INTO lagesbild_days (site, day, made_ms)
                 SELECT $1, day, made_ms FROM lagesbild_days WHERE site = ''
                 ON CONFLICT (site) DO NOTHING",
                &[&site],
            )?;
            tx.execute("DELETE FROM lagesbild_days WHERE site = ''", &[])?;
            tx.commit()?;
            Ok(devices + ops + hooks + days)
        })
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
        self.run(|c| super::pg_push::touch(c, device, &contact))
    }

    fn pull(
        &self,
        requester: Uuid,
        role: Role,
        site: &str,
        after: u64,
        limit: u32,
    ) -> Result<PullPage> {
        self.run(|c| super::pg_sync::pull_page(c, requester, role, site, after, limit))
    }

    fn last_pos(&self) -> Result<u64> {
        self.run(|c| {
            let pos: i64 = c
                .query_one("SELECT COALESCE(MAX(pos), 0) FROM ops", &[])?
                .try_get(0)?;
            Ok(u64::try_from(pos).unwrap_or(0))
        })
    }

    fn push_batches(&self, batches: Vec<PushBatch>) -> Result<Vec<PushOutcome>> {
        self.run_cached(|c| super::pg_push::push_batches(c, batches))
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
        self.run(|c| {
            let span = super::pg_review::Span {
                from_ms,
                to_ms,
                open_at,
                made_before,
            };
            super::pg_review::ops_touching(c, site, &span, cancel)
        })
    }

    fn active_devices(&self, site: &str, from_ms: i64, to_ms: i64) -> Result<Vec<(Role, u32)>> {
        self.run(|c| super::pg_review::active_in(c, site, from_ms, to_ms))
    }

    fn purge_free_text(&self, retention: Retention, now_ms: i64) -> Result<PurgeOutcome> {
        self.run(|c| super::pg_review::purge(c, retention, now_ms))
    }

    fn photos_dir(&self) -> &Path {
        &self.photos_dir
    }

    fn photo_record(&self, hash: &str) -> Result<PhotoRecord> {
        self.run(|c| super::pg_review::photo_record(c, hash))
    }

    fn photos_made_before(&self, cutoff_ms: i64) -> Result<Vec<String>> {
        self.run(|c| super::pg_review::photos_made_before(c, cutoff_ms))
    }

    fn mark_photo_purged(&self, hash: &str, now_ms: i64) -> Result<()> {
        self.run(|c| {
            c.execute(
                "INSERT INTO photos_purged (hash, purged_ms) VALUES ($1, $2)
                 ON CONFLICT (hash) DO NOTHING",
                &[&hash, &now_ms],
            )?;
            Ok(())
        })
    }

    fn photo_owners(&self) -> Result<Vec<(Uuid, String)>> {
        self.run(super::pg_review::photo_owners)
    }

    fn add_webhook(&self, hook: &NewWebhook, now_ms: i64) -> Result<i64> {
        self.run(|c| super::pg_webhooks::insert_webhook(c, hook, now_ms))
    }

    fn webhooks(&self) -> Result<Vec<WebhookListing>> {
        self.run(super::pg_webhooks::list_webhooks)
    }

    fn remove_webhook(&self, id: i64) -> Result<bool> {
        self.run(|c| super::pg_webhooks::delete_webhook(c, id))
    }

    fn scan_level1(&self, sites: &Sites, now_ms: i64, batch: u32) -> Result<Scan> {
        self.run(|c| super::pg_webhooks::scan_level1(c, sites, now_ms, batch))
    }

    fn last_lagesbild_day(&self, site: &str) -> Result<Option<Date>> {
        self.run(|c| super::pg_webhooks::lagesbild_day(c, site))
    }

    fn record_lagesbild(&self, site: &str, day: Date, body: &[u8], now_ms: i64) -> Result<usize> {
        self.run(|c| super::pg_webhooks::lagesbild_made(c, site, day, body, now_ms))
    }

    fn due_deliveries(&self, now_ms: i64, limit: u32) -> Result<Vec<DueDelivery>> {
        self.run(|c| super::pg_webhooks::deliveries_due(c, now_ms, limit))
    }

    fn record_delivery(&self, id: Uuid, now_ms: i64, outcome: &Outcome) -> Result<()> {
        self.run(|c| super::pg_webhooks::record_outcome(c, id, now_ms, outcome))
    }
}
