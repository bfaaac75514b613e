//! [`ServerStore`] on PostgreSQL: the synchronous `postgres` client behind an `r2d2` pool. Pushes take
//! the one position counter's row lock (see [`super::pg_sync`]), so they run one at a time like SQLite's
//! single writer; pulls and reports run side by side on their own connections. A broken connection (the
//! server restarted, the postmaster killed) is dropped by the pool on its next check-out and replaced;
//! the error of the request that met it maps to 503 with `Retry-After` ([`StoreError::is_unavailable`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use std::collections::HashMap;

use postgres::{Client, NoTls, Statement};
use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::r2d2::{ManageConnection, Pool};
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

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

pub struct PgStore {
    /// Always `Some` until dropped (see the `Drop` impl).
    pool: Option<Pool<Manager>>,
    photos_dir: PathBuf,
}

/// A pooled connection and the statements prepared on it, each prepared once (see [`PgConn::prepared`]).
pub(super) struct PgConn {
    pub(super) client: Client,
    statements: HashMap<&'static str, Statement>,
}

impl PgConn {
    /// The statement `sql` prepared on this connection: one round trip the first time, none after.
    /// A statement lives as long as its connection; a broken connection is dropped with its cache.
    pub(super) fn prepared(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }
}

/// `r2d2_postgres`'s manager, giving connections with a statement cache.
#[derive(Debug)]
struct Manager(PostgresConnectionManager<NoTls>);

impl ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<PgConn, postgres::Error> {
        Ok(PgConn {
            client: self.0.connect()?,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> std::result::Result<(), postgres::Error> {
        self.0.is_valid(&mut conn.client)
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        self.0.has_broken(&mut conn.client)
    }
}

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

/// One connection per core, at least four (a push, pulls and a report at the same time).
fn pool_size() -> u32 {
    std::thread::available_parallelism().map_or(4, |n| (n.get() as u32).clamp(4, 32))
}

/// Runs `f` on this thread, or on a scoped thread when a tokio runtime is current here (see
/// [`PgStore::run`]).
fn off_runtime<T: Send>(f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| {
        s.spawn(f)
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
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
        self.run(|c| {
            c.execute(
                "INSERT INTO enroll_codes (code_hash, role, name, created_ms, expires_ms, site)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&code_hash, &role.code(), &name, &now_ms, &expires_ms, &site],
            )?;
            Ok(())
        })
    }

    fn add_reenroll_code(
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

    fn redeem_enroll_code(
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
            Ok(Some(Device {
                id: device,
                name,
                role,
                enrolled_ms: now_ms,
                revoked_ms: None,
                acked_through: 0,
                site,
            }))
        })
    }

    fn enroll_code_site(&self, code_hash: &str, now_ms: i64) -> Result<Option<Option<String>>> {
        self.run(|c| {
            let row = c.query_opt(
                "SELECT site FROM enroll_codes
                 WHERE code_hash = $1 AND used_ms IS NULL AND expires_ms > $2",
                &[&code_hash, &now_ms],
            )?;
            Ok(row.map(|r| r.try_get::<_, Option<String>>(0)).transpose()?)
        })
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
        self.run(|c| {
            let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = $1");
            let row = c.query_opt(&sql, &[&token_hash])?;
            row.as_ref().map(device_from_row).transpose()
        })
    }

    fn revoke(&self, device: Uuid, now_ms: i64) -> Result<bool> {
        self.run(|c| {
            let n = c.execute(
                "UPDATE devices SET revoked_ms = $2 WHERE id = $1 AND revoked_ms IS NULL",
                &[&device, &now_ms],
            )?;
            Ok(n == 1)
        })
    }

    fn devices(&self, site: Option<&str>) -> Result<Vec<DeviceSummary>> {
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
