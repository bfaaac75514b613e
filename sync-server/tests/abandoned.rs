//! Review work stops when its client has gone: the request's future is dropped, the work's flag is set,
//! and the store's read (or the next step) stops. A store that holds the read up until it is cancelled
//! shows it through a real socket; SQLite's own read is stopped mid-query.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::TestServer;
use torgkoll_server::cancel::Cancel;
use torgkoll_server::decode::DecodedOp;
use torgkoll_server::review::demo;
use torgkoll_server::store::Device;
use torgkoll_server::store::{
    DeviceSummary, PhotoRecord, PullPage, PurgeOutcome, PushBatch, PushOutcome, Result,
    ServerStore, StoreError,
};
use torgkoll_server::webhooks::model::{DueDelivery, NewWebhook, Outcome, Scan, WebhookListing};
use torgkoll_server::{Clock, Limits};
use torgkoll_shared::analytics::Retention;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::timefix::Receipt;
use torgkoll_shared::{Operation, Role, Site};
use uuid::Uuid;

/// SQLite, except that reading a review's operations waits until the work is cancelled or released.
struct Slow {
    inner: Arc<dyn ServerStore>,
    released: AtomicBool,
    saw_cancel: AtomicBool,
}

impl ServerStore for Slow {
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
    fn push(
        &self,
        d: Uuid,
        r: Role,
        o: Vec<DecodedOp>,
        s: &Arc<Site>,
        rc: Receipt,
    ) -> Result<PushOutcome> {
        self.inner.push(d, r, o, s, rc)
    }
    fn pull(&self, d: Uuid, r: Role, s: &str, after: u64, limit: u32) -> Result<PullPage> {
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
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.released.load(Ordering::SeqCst) && Instant::now() < deadline {
            if cancel.is_cancelled() {
                self.saw_cancel.store(true, Ordering::SeqCst);
                return Err(StoreError::Cancelled);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_whose_client_went_away_stops() {
    let slow: Arc<std::sync::OnceLock<Arc<Slow>>> = Arc::default();
    let keep = slow.clone();
    let srv = TestServer::start_with(Limits::default(), move |inner| {
        let s = Arc::new(Slow {
            inner,
            released: AtomicBool::new(false),
            saw_cancel: AtomicBool::new(false),
        });
        keep.set(s.clone()).ok();
        s
    })
    .await;
    let slow = slow.get().unwrap().clone();
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;
    let url = format!("{}/v1/lagesbild?date=2025-11-24&format=json", srv.url);
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let gone = impatient.get(&url).bearer_auth(&manager.token).send().await;
    assert!(gone.is_err(), "the client gave up");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !slow.saw_cancel.load(Ordering::SeqCst) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        slow.saw_cancel.load(Ordering::SeqCst),
        "the work went on after its client had gone"
    );
    // A client that waits gets its report.
    slow.released.store(true, Ordering::SeqCst);
    let resp = reqwest::Client::new()
        .get(&url)
        .bearer_auth(&manager.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn sqlite_stops_a_read_in_the_middle() {
    let srv = TestServer::start(Limits::default()).await;
    let last = Date::parse("2026-11-26").unwrap();
    srv.clock.set(last.bounds_ms().1);
    let site = torgkoll_shared::test_support::plattan();
    let seeded = demo::seed(
        &*srv.store,
        &site,
        &demo::config(5, last, 10, 120, 14),
        srv.clock.now_ms(),
    )
    .unwrap();
    assert!(seeded.accepted > 1_000);
    let (from, to) = (last.add_days(-9).bounds_ms().0, last.bounds_ms().1);
    let cancel = Cancel::default();
    cancel.cancel();
    let stopped = srv
        .store
        .ops_touching(&site.id, from, to, Some(to), to, &cancel);
    assert!(matches!(stopped, Err(StoreError::Cancelled)), "{stopped:?}");
    // The connection is fine afterwards.
    let all = srv
        .store
        .ops_touching(&site.id, from, to, Some(to), to, &Cancel::never())
        .unwrap();
    assert!(all.len() > 1_000);
}
