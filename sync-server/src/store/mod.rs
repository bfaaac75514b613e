//! The server's storage, behind a trait so that `cli::open` picks the implementation: SQLite (a file
//! path, [`SqliteStore`]) or PostgreSQL (a `postgres://` URL, [`PgStore`]).
//!
//! Every method is synchronous and may block: call them from `spawn_blocking`.

mod backfill;
mod error;
mod pg;
mod pg_devices;
mod pg_pool;
mod pg_push;
mod pg_push_sql;
mod pg_review;
mod pg_schema;
mod pg_sync;
mod pg_webhooks;
mod pulled;
mod read_pool;
mod records;
mod schema;
mod sqlite;
mod sqlite_devices;
mod sqlite_level1;
mod sqlite_photos;
mod sqlite_push;
mod sqlite_push_sql;
mod sqlite_review;
mod sqlite_sync;
mod sqlite_webhooks;

pub use error::{Result, StoreError};
pub use pg::{PgStore, is_url as is_postgres_url};
pub use pg_schema::version as pg_schema_version;
pub use pulled::{RawPulled, RawWireOp, SyncAnswer};
pub use records::{
    Contact, Device, DeviceSummary, PhotoAttachment, PhotoRecord, PullPage, PurgeOutcome,
    PushBatch, PushOutcome,
};
pub use sqlite::SqliteStore;

use std::path::Path;
use std::sync::Arc;

use torgkoll_shared::analytics::Retention;
use torgkoll_shared::timefix::Receipt;
use torgkoll_shared::{Operation, Role, Site};
use uuid::Uuid;

use crate::cancel::Cancel;
use crate::decode::DecodedOp;
use crate::sites::Sites;
use crate::webhooks::model::{DueDelivery, NewWebhook, Outcome, Scan, WebhookListing};
use torgkoll_shared::calendar::Date;

/// The only domain a role may pull (the rule lives in `shared`, where the phones read it too).
pub use torgkoll_shared::access::visible_domain;

pub trait ServerStore: Send + Sync {
    /// Stores the hash of a new enrollment code, for a device of the server's default site.
    fn add_enroll_code(
        &self,
        code_hash: &str,
        role: Role,
        name: &str,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<()> {
        self.add_site_enroll_code(code_hash, role, name, None, expires_ms, now_ms)
    }

    /// Stores the hash of a new enrollment code; `site` is the new device's site (`None`: the server's
    /// default when the code is redeemed).
    fn add_site_enroll_code(
        &self,
        code_hash: &str,
        role: Role,
        name: &str,
        site: Option<&str>,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<()>;

    /// Stores the hash of a code that gives an existing device a new token (re-enrollment, token
    /// rotation): its role and name are the device's. `None` if there is no such device.
    fn add_reenroll_code(
        &self,
        code_hash: &str,
        device: Uuid,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<Option<Device>>;

    /// Spends an unexpired, unused code: on a new device with id `device`, or, for a code made by
    /// [`add_reenroll_code`](Self::add_reenroll_code), on that existing device, which gets the new token
    /// (the old one stops working), is no longer revoked and keeps its `acked_through`. `None` if the
    /// code cannot be used. A new device gets the code's site, or `default_site` when it names none; a
    /// re-enrolled one keeps its own.
    fn redeem_enroll_code(
        &self,
        code_hash: &str,
        device: Uuid,
        token_hash: &str,
        default_site: &str,
        now_ms: i64,
    ) -> Result<Option<Device>>;

    /// The site an unexpired, unused code names: `None` if the code cannot be used, `Some(None)` if it
    /// names none. Read before redeeming, so that a code for a site not served here is not spent.
    fn enroll_code_site(&self, code_hash: &str, now_ms: i64) -> Result<Option<Option<String>>>;

    /// Gives the rows stored before sites existed (site `''`: devices, operations, webhooks and the last
    /// lägesbild day; also hooks added without `--site`) the site `site`, the default one `serve` serves;
    /// how many rows changed. Idempotent.
    fn adopt_default_site(&self, site: &str) -> Result<u64>;

    /// The device holding this token (revoked or not).
    fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>>;

    /// Cuts a device off; false if there is no such device or it was revoked already.
    fn revoke(&self, device: Uuid, now_ms: i64) -> Result<bool>;

    /// The devices of site `site` (`None`: of every site, for the operator's commands that find a device
    /// by id or name), in enrollment order, with counts.
    fn devices(&self, site: Option<&str>) -> Result<Vec<DeviceSummary>>;

    /// Records that `device` was in contact at `now_ms` (the server's clock): a sync, or its wake-up
    /// channel opening (with `pending` and `app` `None`, which keep what it said before). One UPDATE.
    fn touch_device(
        &self,
        device: Uuid,
        now_ms: i64,
        pending: Option<u64>,
        app: Option<&str>,
    ) -> Result<()>;

    /// Stores a push in one transaction: accepted operations with their clock corrections, rejections,
    /// the new acknowledgement and the measured clock offset. One batch of [`ServerStore::push_batches`].
    fn push(
        &self,
        device: Uuid,
        role: Role,
        ops: Vec<DecodedOp>,
        site: &Arc<Site>,
        receipt: Receipt,
    ) -> Result<PushOutcome> {
        self.push_and_touch(device, role, ops, site, receipt, None)
    }

    /// A sync's writes: [`ServerStore::push`] and, with a `contact`, [`ServerStore::touch_device`] in
    /// the same transaction (a pull-only sync too, whose push stores no operation).
    fn push_and_touch(
        &self,
        device: Uuid,
        role: Role,
        ops: Vec<DecodedOp>,
        site: &Arc<Site>,
        receipt: Receipt,
        contact: Option<Contact>,
    ) -> Result<PushOutcome> {
        let batch = PushBatch {
            device,
            role,
            ops,
            receipt,
            site: Arc::clone(site),
            contact,
        };
        self.push_batches(vec![batch])?
            .pop()
            .ok_or_else(|| StoreError::Corrupt("a push without an outcome".into()))
    }

    /// Up to `limit` operations of site `site` after position `after`, not made by `requester`, visible
    /// to `role`. The page's `pull_pos` is the highest position examined (of any site), so positions of
    /// other sites are passed over, never returned.
    fn pull(
        &self,
        requester: Uuid,
        role: Role,
        site: &str,
        after: u64,
        limit: u32,
    ) -> Result<PullPage>;

    /// The position of the latest stored operation (0 when there is none).
    fn last_pos(&self) -> Result<u64>;

    /// Several pushes in one transaction, each exactly as [`ServerStore::push`] against its own site.
    fn push_batches(&self, batches: Vec<PushBatch>) -> Result<Vec<PushOutcome>>;

    /// Every accepted operation of site `site` made before `made_before` of the site's reports and runs
    /// that have an operation made in `[from_ms, to_ms)`, and with `open_at`, of the reports that may still be open then. "Made"
    /// is the corrected time (`torgkoll_shared::timefix`); the operations come with their corrections.
    /// The read stops with [`StoreError::Cancelled`] once `cancel` is set.
    fn ops_touching(
        &self,
        site: &str,
        from_ms: i64,
        to_ms: i64,
        open_at: Option<i64>,
        made_before: i64,
        cancel: &Cancel,
    ) -> Result<Vec<Operation>>;

    /// How many devices of each role made operations of site `site` in `[from_ms, to_ms)`.
    fn active_devices(&self, site: &str, from_ms: i64, to_ms: i64) -> Result<Vec<(Role, u32)>>;

    /// Removes the free text of operations (accepted or rejected) older than the retention allows.
    /// Everything else stays, so every count does; a second run changes nothing.
    fn purge_free_text(&self, retention: Retention, now_ms: i64) -> Result<PurgeOutcome>;

    /// The directory of the photo files (`crate::photos::files`), beside the database by default.
    fn photos_dir(&self) -> &Path;

    /// The accepted operations attaching the photo `hash`, and whether retention removed it.
    fn photo_record(&self, hash: &str) -> Result<PhotoRecord>;

    /// The photos not yet purged whose every attaching operation was made (corrected time) before
    /// `cutoff_ms`.
    fn photos_made_before(&self, cutoff_ms: i64) -> Result<Vec<String>>;

    /// Records that retention removed the photo's files; a second call changes nothing.
    fn mark_photo_purged(&self, hash: &str, now_ms: i64) -> Result<()>;

    /// Every photo retention has not removed, once for each device that attached it: `(device, hash)`,
    /// in no particular order.
    /// Read at start to find the photos the server lacks ([`crate::photos::wanted`]).
    fn photo_owners(&self) -> Result<Vec<(Uuid, String)>>;

    /// Stores a webhook (see [`crate::webhooks`]); its id.
    fn add_webhook(&self, hook: &NewWebhook, now_ms: i64) -> Result<i64>;

    /// Every webhook with its pending and delivered counts and its failed deliveries.
    fn webhooks(&self) -> Result<Vec<WebhookListing>>;

    /// Removes a webhook and its deliveries; false if there is none with that id.
    fn remove_webhook(&self, id: i64) -> Result<bool>;

    /// Scans up to `batch` operations (of every site) after the level-1 cursor and enqueues each that
    /// first made its report a level-1 disturbance, checked with its own site's plan, for every webhook
    /// of that site subscribed to `level1`; the cursor moves in the same transaction. Hooks without a
    /// site (`''`) are first given the default site. Operations of a site not in `sites` are passed over.
    fn scan_level1(&self, sites: &Sites, now_ms: i64, batch: u32) -> Result<Scan>;

    /// The last day whose lägesbild of site `site` the server made by itself.
    fn last_lagesbild_day(&self, site: &str) -> Result<Option<Date>>;

    /// Remembers that site `site`'s lägesbild of `day` was made and enqueues `body` for every webhook of
    /// that site subscribed to `lagesbild`, in one transaction; how many deliveries.
    fn record_lagesbild(&self, site: &str, day: Date, body: &[u8], now_ms: i64) -> Result<usize>;

    /// Up to `limit` pending deliveries whose next attempt is due at `now_ms`, the most overdue first.
    fn due_deliveries(&self, now_ms: i64, limit: u32) -> Result<Vec<DueDelivery>>;

    /// Records an attempt of a pending delivery (a delivered or failed one never changes again).
    fn record_delivery(&self, id: Uuid, now_ms: i64, outcome: &Outcome) -> Result<()>;
}
