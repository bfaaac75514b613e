//! A simulated phone: the app's real store on its own SQLite file, the app's real sync code, and a clock
//! of its own (the system's, or one that is wrong by a fixed offset, as real phones' clocks are).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use torgkoll_app::platform::{Clock, SystemClock};
use torgkoll_app::store::{Durability, Identity, Store};
use torgkoll_app::sync::{
    PhotoSummary, SyncClient, SyncError, SyncOptions, SyncSummary, enroll, fetch_thumbnails,
    http_client, send_photos_into, sync_once,
};
use torgkoll_shared::photo::{Prepared, thumbnail};
use torgkoll_shared::{OpBody, Operation, Role, Site, State};
use uuid::Uuid;

use crate::Res;

/// One phone.
pub struct Phone {
    pub name: String,
    pub role: Role,
    pub device: Uuid,
    pub store: Arc<Mutex<Store>>,
    client: Mutex<SyncClient>,
    token: String,
    pub clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Phone")
            .field("name", &self.name)
            .field("device", &self.device)
            .field("clock_ms", &self.clock.now_ms())
            .finish_non_exhaustive()
    }
}

/// The system clock off by a fixed amount: a phone set a day wrong, or reset to its epoch.
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock(pub i64);

impl Clock for OffsetClock {
    fn now_ms(&self) -> i64 {
        SystemClock.now_ms().saturating_add(self.0)
    }
}

impl Phone {
    /// Opens a store in `dir`, enrolls it at `enroll_url` with `code`, and points its sync at `sync_url`
    /// (the same server, or a proxy in front of it).
    pub async fn enroll(
        dir: &Path,
        site: Arc<Site>,
        enroll_url: &str,
        sync_url: &str,
        code: &str,
    ) -> Res<Phone> {
        let e = enroll(enroll_url, code).await?;
        let mut store = Store::open_with(
            &dir.join(torgkoll_app::store::DB_FILE),
            site,
            Durability::Normal,
        )?;
        store.set_identity(Identity {
            device: e.device,
            token: e.token.clone(),
            role: e.role,
            name: e.name.clone(),
            server: sync_url.to_owned(),
        })?;
        Ok(Phone {
            name: e.name,
            role: e.role,
            device: e.device,
            store: Arc::new(Mutex::new(store)),
            client: Mutex::new(Self::client_for(sync_url, &e.token)),
            token: e.token,
            clock: Arc::new(SystemClock),
        })
    }

    /// The same phone on another clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Phone {
        self.clock = clock;
        self
    }

    fn client_for(url: &str, token: &str) -> SyncClient {
        SyncClient::with_http(http_client(Duration::from_secs(20)), url, token)
    }

    /// Points the phone at another address (a server restarted on a new port).
    pub fn set_server(&self, url: &str) {
        *self.client.lock().unwrap() = Self::client_for(url, &self.token);
    }

    /// Enters a new code for this phone, as its enrollment screen does after the server refused its
    /// token: the store saves the answer (refusing another device id while its queue holds anything),
    /// and the phone syncs with the new token from then on.
    pub async fn reenroll(&mut self, enroll_url: &str, code: &str) -> Res<Uuid> {
        let e = enroll(enroll_url, code).await?;
        let sync_url = {
            let mut s = self.store.lock().unwrap();
            let server = s.identity().map(|i| i.server.clone()).unwrap_or_default();
            s.set_identity(Identity {
                device: e.device,
                token: e.token.clone(),
                role: e.role,
                name: e.name.clone(),
                server: server.clone(),
            })?;
            server
        };
        self.device = e.device;
        *self.client.lock().unwrap() = Self::client_for(&sync_url, &e.token);
        self.token = e.token;
        Ok(e.device)
    }

    /// Records an operation now, as the person would.
    pub fn record(&self, body: OpBody) -> Res<Operation> {
        Ok(self
            .store
            .lock()
            .unwrap()
            .record(body, self.clock.now_ms())?)
    }

    /// One complete sync with the app's own code.
    pub async fn sync(&self) -> Result<SyncSummary, SyncError> {
        self.sync_with(SyncOptions::default()).await
    }

    pub async fn sync_with(&self, opts: SyncOptions) -> Result<SyncSummary, SyncError> {
        let client = self.client.lock().unwrap().clone();
        sync_once(&client, &self.store, opts, &*self.clock).await
    }

    /// One round that pushes what waits (up to 100 operations) and pulls at most one operation: a push
    /// on its own, for timing it (`fleet_probe`).
    pub async fn push_round(&self) -> Result<(), SyncError> {
        let client = self.client.lock().unwrap().clone();
        let (ops, after) = {
            let s = self.store.lock().unwrap();
            (s.outbox_batch(100)?, s.pull_pos()?)
        };
        let sent_ms = self.clock.now_ms();
        // Marked as a push (`Torgkoll-Push: 1`): it takes the server's push lane (`sync-server/src/shed.rs`).
        let body = torgkoll_app::sync::encode_request(&ops, after, Some(1), Some(sent_ms), None)?;
        let resp = client.send_marked(body, !ops.is_empty()).await?;
        self.store
            .lock()
            .unwrap()
            .apply_sync(&resp, sent_ms, self.clock.now_ms())?;
        Ok(())
    }

    /// Attaches a processed photo (and its thumbnail) to a report, as the person would after picking it.
    pub fn attach_photo(&self, report: Uuid, photo: &Prepared) -> Res<Operation> {
        let thumb = thumbnail(&photo.bytes)?;
        Ok(self.store.lock().unwrap().attach_photo(
            report,
            photo,
            Some(&thumb),
            self.clock.now_ms(),
        )?)
    }

    /// One pass of the app's photo upload (pending photos, smallest first, one at a time), adding what
    /// it did to `into` even when a cut ends it.
    pub async fn send_photos_into(&self, into: &mut PhotoSummary) -> Result<(), SyncError> {
        let client = self.client.lock().unwrap().clone();
        send_photos_into(&client, &self.store, into).await
    }

    /// One pass of the app's thumbnail fetch for photos this phone shows.
    pub async fn fetch_thumbnails(&self) -> Result<usize, SyncError> {
        let client = self.client.lock().unwrap().clone();
        fetch_thumbnails(&client, &self.store).await
    }

    /// Own photos not yet on the server whole, and photos shown here without a thumbnail.
    pub fn photos_outstanding(&self) -> Res<(u64, usize)> {
        let s = self.store.lock().unwrap();
        Ok((s.photos_pending()?, s.thumbs_wanted(self.role)?.len()))
    }

    /// The phone's materialized state.
    pub fn state(&self) -> Res<State> {
        Ok(self.store.lock().unwrap().state()?)
    }

    /// Every operation this phone made itself.
    pub fn own_ops(&self) -> Res<Vec<Operation>> {
        let ops = self.store.lock().unwrap().all_ops()?;
        Ok(ops
            .into_iter()
            .filter(|o| o.device == self.device)
            .collect())
    }

    pub fn pending(&self) -> Res<u64> {
        Ok(self.store.lock().unwrap().pending_count()?)
    }
}

/// Writes every file under `dir` (the phones' databases) through to the disk. The fleet calls it
/// between the offline phase and the timed sync phase: in real life the phones are other devices, and
/// what they recorded offline is long on their own flash, not queued on the disk the server fsyncs to
/// (unflushed, they made the server's first commit wait 50–180 ms behind them).
pub fn flush_files(dir: &std::path::Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            flush_files(&entry.path())?;
        } else if kind.is_file() {
            std::fs::File::open(entry.path())?.sync_all()?;
        }
    }
    Ok(())
}
