//! A store that holds work up: the test's store (SQLite or PostgreSQL) behind [`Held`], which forwards
//! every call and makes pulls, or the reading of a review's operations, wait at a [`Gate`] until the test
//! opens it (or the work is cancelled). With the work held, what a server does meanwhile is a matter of
//! order, not of timing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use torgkoll_server::cancel::Cancel;
use torgkoll_server::store::Device;
use torgkoll_server::store::{
    DeviceSummary, PhotoRecord, PullPage, PurgeOutcome, PushBatch, PushOutcome, Result,
    ServerStore, StoreError,
};
use torgkoll_server::webhooks::model::{DueDelivery, NewWebhook, Outcome, Scan, WebhookListing};
use torgkoll_shared::analytics::Retention;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{Operation, Role};
use uuid::Uuid;

/// How long a held call waits at most before it goes on anyway (a test that forgot to open the gate
/// fails on what it checks, not by hanging).
const LONGEST_HOLD: Duration = Duration::from_secs(30);

/// Where held work waits.
#[derive(Debug, Default)]
pub struct Gate {
    open: AtomicBool,
    /// How many calls wait at the gate now.
    pub waiting: AtomicUsize,
    /// Whether a call waiting here saw its work cancelled.
    pub saw_cancel: AtomicBool,
}

impl Gate {
    pub fn open(&self) {
        self.open.store(true, Ordering::SeqCst);
    }

    /// Waits until the gate is open (or `cancel` is cancelled: `Err(Cancelled)`).
    fn pass(&self, cancel: Option<&Cancel>) -> Result<()> {
        let deadline = Instant::now() + LONGEST_HOLD;
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut out = Ok(());
        while !self.open.load(Ordering::SeqCst) && Instant::now() < deadline {
            if cancel.is_some_and(Cancel::is_cancelled) {
                self.saw_cancel.store(true, Ordering::SeqCst);
                out = Err(StoreError::Cancelled);
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        out
    }
}

/// The test's store, with page pulls (a limit above one operation) and reviews' reads held at their
/// gates (both closed at first).
pub struct Held {
    pub inner: Arc<dyn ServerStore>,
    pub pulls: Gate,
    pub reviews: Gate,
}

impl Held {
    pub fn new(inner: Arc<dyn ServerStore>) -> Held {
        Held {
            inner,
            pulls: Gate::default(),
            reviews: Gate::default(),
        }
    }
}

impl ServerStore for Held {
    fn add_site_enroll_code(
        &self,
        h: &str,
        r: Role,
        n: &str,
        s: Option<&str>,
        e: i64,
        now: i64,
    ) -> Result<()> {
        self.inner.add_site_enroll_code(h, r, n, s, e, now)
    }
    fn add_reenroll_code(&self, h: &str, d: Uuid, e: i64, now: i64) -> Result<Option<Device>> {
        self.inner.add_reenroll_code(h, d, e, now)
    }
    fn redeem_enroll_code(
        &self,
        c: &str,
        d: Uuid,
        t: &str,
        s: &str,
        now: i64,
    ) -> Result<Option<Device>> {
        self.inner.redeem_enroll_code(c, d, t, s, now)
    }
    fn enroll_code_site(&self, c: &str, now: i64) -> Result<Option<Option<String>>> {
        self.inner.enroll_code_site(c, now)
    }
    fn adopt_default_site(&self, s: &str) -> Result<u64> {
        self.inner.adopt_default_site(s)
    }
    fn device_by_token(&self, t: &str) -> Result<Option<Device>> {
        self.inner.device_by_token(t)
    }
    fn revoke(&self, d: Uuid, now: i64) -> Result<bool> {
        self.inner.revoke(d, now)
    }
    fn devices(&self, site: Option<&str>) -> Result<Vec<DeviceSummary>> {
        self.inner.devices(site)
    }
    fn touch_device(&self, d: Uuid, now: i64, p: Option<u64>, a: Option<&str>) -> Result<()> {
        self.inner.touch_device(d, now, p, a)
    }
    fn pull(&self, d: Uuid, r: Role, s: &str, after: u64, limit: u32) -> Result<PullPage> {
        // A page pull waits; a push round's pull of at most one operation passes.
        if limit > 1 {
            self.pulls.pass(None)?;
        }
        self.inner.pull(d, r, s, after, limit)
    }
    fn last_pos(&self) -> Result<u64> {
        self.inner.last_pos()
    }
    fn push_batches(&self, b: Vec<PushBatch>) -> Result<Vec<PushOutcome>> {
        self.inner.push_batches(b)
    }
    fn ops_touching(
        &self,
        site: &str,
        from: i64,
        to: i64,
        open_at: Option<i64>,
        before: i64,
        cancel: &Cancel,
    ) -> Result<Vec<Operation>> {
        self.reviews.pass(Some(cancel))?;
        self.inner
            .ops_touching(site, from, to, open_at, before, cancel)
    }
    fn active_devices(&self, site: &str, from: i64, to: i64) -> Result<Vec<(Role, u32)>> {
        self.inner.active_devices(site, from, to)
    }
    fn purge_free_text(&self, r: Retention, now: i64) -> Result<PurgeOutcome> {
        self.inner.purge_free_text(r, now)
    }
    fn photos_dir(&self) -> &std::path::Path {
        self.inner.photos_dir()
    }
    fn photo_record(&self, hash: &str) -> Result<PhotoRecord> {
        self.inner.photo_record(hash)
    }
    fn photos_made_before(&self, cutoff: i64) -> Result<Vec<String>> {
        self.inner.photos_made_before(cutoff)
    }
    fn mark_photo_purged(&self, hash: &str, now: i64) -> Result<()> {
        self.inner.mark_photo_purged(hash, now)
    }
    fn photo_owners(&self) -> Result<Vec<(Uuid, String)>> {
        self.inner.photo_owners()
    }
    fn add_webhook(&self, h: &NewWebhook, now: i64) -> Result<i64> {
        self.inner.add_webhook(h, now)
    }
    fn webhooks(&self) -> Result<Vec<WebhookListing>> {
        self.inner.webhooks()
    }
    fn remove_webhook(&self, id: i64) -> Result<bool> {
        self.inner.remove_webhook(id)
    }
    fn scan_level1(&self, s: &torgkoll_server::Sites, now: i64, batch: u32) -> Result<Scan> {
        self.inner.scan_level1(s, now, batch)
    }
    fn last_lagesbild_day(&self, site: &str) -> Result<Option<Date>> {
        self.inner.last_lagesbild_day(site)
    }
    fn record_lagesbild(&self, site: &str, d: Date, body: &[u8], now: i64) -> Result<usize> {
        self.inner.record_lagesbild(site, d, body, now)
    }
    fn due_deliveries(&self, now: i64, limit: u32) -> Result<Vec<DueDelivery>> {
        self.inner.due_deliveries(now, limit)
    }
    fn record_delivery(&self, id: Uuid, now: i64, o: &Outcome) -> Result<()> {
        self.inner.record_delivery(id, now, o)
    }
}
