//! A real server on 127.0.0.1:0 in this process, over a real SQLite file (or a PostgreSQL database of
//! its own with `TORGKOLL_TEST_STORE=postgres`, see [`pg`]), and phones that talk to it
//! the way the app does: serde types, gzip-compressed bodies, bearer tokens.
#![allow(dead_code)]

pub mod held;
pub mod pg;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use flate2::Compression;
use flate2::write::GzEncoder;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use tempfile::TempDir;
use tokio::sync::oneshot;
use torgkoll_server::photos::wanted::WantedPhotos;
use torgkoll_server::store::ServerStore;
use torgkoll_server::{AppState, Limits, ManualClock, PgStore, Sites, SqliteStore, secret};
use torgkoll_shared::protocol::{EnrollResponse, ErrorBody, SyncRequest, SyncResponse, WireOp};
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc,
    OpBody, Role,
};
use uuid::Uuid;

pub const T0: i64 = 1_764_000_000_000;

type Served = tokio::task::JoinHandle<std::io::Result<()>>;

fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> (oneshot::Sender<()>, Served) {
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(torgkoll_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    (stop, served)
}

/// A point on the Plattan.
pub fn on_site() -> GeoPoint {
    GeoPoint::new(18.0641234, 59.3321234)
}

pub struct TestServer {
    pub url: String,
    pub dir: TempDir,
    /// The SQLite file, or with `TORGKOLL_TEST_STORE=postgres` the PostgreSQL URL of this test's own
    /// database (as `--db` takes either).
    pub db: PathBuf,
    pub store: Arc<dyn ServerStore>,
    /// This test's PostgreSQL database, when it runs on PostgreSQL ([`pg::wanted`]).
    pub pg_url: Option<String>,
    pub clock: Arc<ManualClock>,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// What [`TestServer::restart`] serves again.
    state: AppState,
}

impl TestServer {
    pub async fn start(limits: Limits) -> TestServer {
        Self::start_with(limits, |s| s).await
    }

    /// A server whose store is `wrap`ped (to watch or hold up what the server asks of it).
    pub async fn start_with(
        limits: Limits,
        wrap: impl FnOnce(Arc<dyn ServerStore>) -> Arc<dyn ServerStore>,
    ) -> TestServer {
        Self::start_serving(limits, Sites::builtin(), wrap).await
    }

    /// A server serving these sites.
    pub async fn start_serving(
        limits: Limits,
        sites: Sites,
        wrap: impl FnOnce(Arc<dyn ServerStore>) -> Arc<dyn ServerStore>,
    ) -> TestServer {
        Self::start_on(limits, sites, wrap, pg::wanted()).await
    }

    /// A server on a PostgreSQL database of its own, whatever `TORGKOLL_TEST_STORE` says.
    pub async fn start_postgres(limits: Limits) -> TestServer {
        Self::start_on(limits, Sites::builtin(), |s| s, true).await
    }

    async fn start_on(
        limits: Limits,
        sites: Sites,
        wrap: impl FnOnce(Arc<dyn ServerStore>) -> Arc<dyn ServerStore>,
        postgres: bool,
    ) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let (db, store, pg_url): (PathBuf, Arc<dyn ServerStore>, _) = if postgres {
            let url = pg::fresh_db();
            let photos = dir.path().join("photos");
            let store = Arc::new(PgStore::open(&url, photos).unwrap());
            (PathBuf::from(&url), store, Some(url))
        } else {
            let db = dir.path().join("server.sqlite");
            let store = Arc::new(SqliteStore::open(&db).unwrap());
            (db, store, None)
        };
        let clock = Arc::new(ManualClock::new(T0));
        let state = AppState {
            store: wrap(store.clone()),
            sites,
            clock: clock.clone(),
            limits,
            wake: Default::default(),
            wanted_photos: Default::default(),
            turns: Default::default(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, served) = serve_on(listener, state.clone());
        TestServer {
            url,
            dir,
            db,
            store,
            pg_url,
            clock,
            client: reqwest::Client::new(),
            stop: Some(stop),
            served: Some(served),
            state,
        }
    }

    /// Stops the server and starts it again on the same address and store, as `serve` starts: with the
    /// photos it lacks found again ([`torgkoll_server::photos::wanted::WantedPhotos::find`]).
    pub async fn restart(&mut self) {
        self.stop().await.unwrap().unwrap();
        let mut state = self.state.clone();
        state.wanted_photos = WantedPhotos::find(&*self.store).unwrap();
        let addr = self.url.trim_start_matches("http://");
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let (stop, served) = serve_on(listener, state);
        (self.stop, self.served) = (Some(stop), Some(served));
    }

    /// Tells the server to stop, as SIGTERM does; the handle ends when it has finished.
    pub fn stop(&mut self) -> tokio::task::JoinHandle<std::io::Result<()>> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.served.take().expect("the server was running")
    }

    /// Makes an enrollment code as `torgkoll-server enroll` does, valid for `hours`.
    pub fn code(&self, role: Role, name: &str, hours: i64) -> String {
        self.code_for_site(role, name, None, hours)
    }

    /// As [`Self::code`], for a device of `site` (`enroll --site`; `None`: the default site).
    pub fn code_for_site(&self, role: Role, name: &str, site: Option<&str>, hours: i64) -> String {
        let code = secret::new_code();
        let now = self.clock.now_ms();
        let canon = secret::normalize_code(&code).unwrap();
        self.store
            .add_site_enroll_code(
                &secret::hash(&canon),
                role,
                name,
                site,
                now + hours * 3_600_000,
                now,
            )
            .unwrap();
        code
    }

    pub async fn post_enroll(&self, code: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/v1/enroll", self.url))
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .unwrap()
    }

    pub async fn phone(&self, role: Role, name: &str) -> Phone {
        self.phone_with_code(&self.code(role, name, 24)).await
    }

    /// A phone of `site` (enrolled with a code made as `enroll --site` makes it).
    pub async fn phone_of_site(&self, role: Role, name: &str, site: &str) -> Phone {
        self.phone_with_code(&self.code_for_site(role, name, Some(site), 24))
            .await
    }

    /// A phone enrolled with `code`, which must be accepted.
    pub async fn phone_with_code(&self, code: &str) -> Phone {
        let resp = self.post_enroll(code).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let e: EnrollResponse = resp.json().await.unwrap();
        Phone {
            url: self.url.clone(),
            client: self.client.clone(),
            device: e.device,
            token: e.token,
            role: e.role,
            seq: 0,
        }
    }

    /// A phone enrolled at `enrolled_ms` (the clock is put back afterwards): one that has been out
    /// there since, and so may push what it made then.
    pub async fn phone_enrolled_at(&self, enrolled_ms: i64, role: Role, name: &str) -> Phone {
        let now = self.clock.now_ms();
        self.clock.set(enrolled_ms);
        let phone = self.phone(role, name).await;
        self.clock.set(now);
        phone
    }

    /// Counts rows of a table through a connection of its own.
    pub fn count(&self, table: &str) -> i64 {
        self.one_text(&format!("SELECT COUNT(*) FROM {table}"))
            .parse()
            .unwrap()
    }

    /// The first column of every row of `sql` (SQL both stores speak), as text (NULL as ""), through a
    /// connection of its own.
    pub fn texts(&self, sql: &str) -> Vec<String> {
        if let Some(url) = &self.pg_url {
            return pg::texts(url, &format!("SELECT CAST(x AS TEXT) FROM ({sql}) AS q(x)"));
        }
        use rusqlite::types::ValueRef;
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| {
            Ok(match r.get_ref(0)? {
                ValueRef::Null => String::new(),
                ValueRef::Integer(n) => n.to_string(),
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    /// Runs `sql` (SQL both stores speak) through a connection of its own.
    pub fn execute(&self, sql: &str) {
        if let Some(url) = &self.pg_url {
            return pg::execute(url, sql);
        }
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        conn.execute_batch(sql).unwrap();
    }

    /// The first column of the first row of `sql` (SQL both stores speak), as text, through a
    /// connection of its own.
    pub fn one_text(&self, sql: &str) -> String {
        if let Some(url) = &self.pg_url {
            return pg::one_text(url, sql);
        }
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        conn.query_row(&format!("SELECT CAST(({sql}) AS TEXT)"), [], |r| r.get(0))
            .unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

use torgkoll_server::Clock;

/// A phone: a device id, a token and its own sequence numbers.
#[derive(Clone)]
pub struct Phone {
    pub url: String,
    pub client: reqwest::Client,
    pub device: Uuid,
    pub token: String,
    pub role: Role,
    pub seq: u64,
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// The body of a sync request, as JSON (without the phone's clock, as a phone that does not say).
pub fn request_json(ops: &[WireOp], pull_after: u64, pull_limit: Option<u32>) -> Vec<u8> {
    request_json_at(ops, pull_after, pull_limit, None)
}

/// The body of a sync request from a phone whose clock reads `phone_ms` as it sends.
pub fn request_json_at(
    ops: &[WireOp],
    pull_after: u64,
    pull_limit: Option<u32>,
    phone_ms: Option<i64>,
) -> Vec<u8> {
    let req = SyncRequest {
        v: 1,
        ops: ops
            .iter()
            .map(|o| serde_json::value::to_raw_value(o).unwrap())
            .collect(),
        pull_after,
        pull_limit,
        phone_ms,
        pending: None,
        app: None,
    };
    serde_json::to_vec(&req).unwrap()
}

impl Phone {
    /// The next operation of this phone.
    pub fn op(&mut self, body: OpBody) -> WireOp {
        self.seq += 1;
        WireOp {
            id: Uuid::now_v7(),
            seq: self.seq,
            hlc: Hlc::new((T0 as u64) + self.seq, 0),
            wall: T0 + self.seq as i64,
            body,
        }
    }

    pub fn clean(&mut self, note: &str) -> WireOp {
        self.clean_at(note, on_site())
    }

    pub fn clean_at(&mut self, note: &str, at: GeoPoint) -> WireOp {
        self.op(OpBody::Clean(CleaningReport {
            category: CleaningCategory::Fimpar,
            amount: None,
            note: Some(note.into()),
            at,
            acc: Some(5.0),
        }))
    }

    pub fn disturbance(&mut self, note: &str) -> WireOp {
        self.op(OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::BrakVald,
            level: 2,
            people: 3,
            interventions: Default::default(),
            note: Some(note.into()),
            at: on_site(),
            happened: None,
        }))
    }

    /// Posts a body as given; gzip-compressed and marked so when `gz`.
    pub async fn post_raw(&self, body: Vec<u8>, gz: bool) -> reqwest::Response {
        let mut req = self
            .client
            .post(format!("{}/v1/sync", self.url))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .header(CONTENT_TYPE, "application/json");
        req = if gz {
            req.header(CONTENT_ENCODING, "gzip").body(gzip(&body))
        } else {
            req.body(body)
        };
        req.send().await.unwrap()
    }

    /// One sync round that must succeed.
    pub async fn sync(&self, ops: &[WireOp], pull_after: u64) -> SyncResponse {
        self.sync_limit(ops, pull_after, None).await
    }

    /// One sync round that must succeed, from a phone whose clock reads `phone_ms` as it sends.
    pub async fn sync_at(&self, ops: &[WireOp], pull_after: u64, phone_ms: i64) -> SyncResponse {
        let resp = self
            .post_raw(request_json_at(ops, pull_after, None, Some(phone_ms)), true)
            .await;
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "sync failed: {text}");
        serde_json::from_str(&text).unwrap()
    }

    pub async fn sync_limit(
        &self,
        ops: &[WireOp],
        pull_after: u64,
        limit: Option<u32>,
    ) -> SyncResponse {
        let resp = self
            .post_raw(request_json(ops, pull_after, limit), true)
            .await;
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "sync failed: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Pulls until the server says there is no more; returns every op and the final position.
    pub async fn pull_all(
        &self,
        from: u64,
    ) -> (Vec<torgkoll_shared::protocol::PulledOp>, u64, usize) {
        let (mut all, mut pos, mut rounds) = (Vec::new(), from, 0);
        loop {
            let r = self.sync(&[], pos).await;
            rounds += 1;
            assert!(r.pull_pos >= pos, "the pull position went back");
            pos = r.pull_pos;
            let empty = r.ops.is_empty();
            all.extend(r.ops);
            if !r.more || empty {
                return (all, pos, rounds);
            }
        }
    }
}

/// The error body of a refused request, with its status.
pub async fn error_of(resp: reqwest::Response) -> (StatusCode, ErrorBody) {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, body)
}
