//! What the app holds of the running sync engine: its configuration, the status it publishes, and the
//! handle that asks it to sync now or to stop.

use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::client::REQUEST_TIMEOUT;
use super::error::Failure;
use super::plan::Backoff;
use super::round::SyncOptions;

/// How the engine behaves.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineConfig {
    /// The time between syncs while all is well.
    pub interval: Duration,
    /// Retry delays after failures; while the server cannot be reached, each retry first probes
    /// `GET /v1/health`, so the engine notices the network coming back within one backoff step.
    pub backoff: Backoff,
    pub sync: SyncOptions,
    pub request_timeout: Duration,
    /// Keep the wake-up channel (`GET /v1/events`) open while online and sync when it says so.
    pub live: bool,
    /// Where the phone keeps its site plan (`site_file`): after each sync the engine asks the server
    /// whether it changed (a 304 when not); a new plan is kept there and the store switches to it at
    /// once (`EngineStatus::site` tells the UI). `None`: never.
    pub site_file: Option<std::path::PathBuf>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            interval: Duration::from_secs(30),
            backoff: Backoff::default(),
            sync: SyncOptions::default(),
            request_timeout: REQUEST_TIMEOUT,
            live: true,
            site_file: None,
        }
    }
}

/// What the engine is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the next sync; the last one (if any) succeeded.
    Idle,
    Syncing,
    /// The server could not be reached; retrying with backoff.
    Offline,
    /// The server answered with an error (see `last_error`); retrying with backoff.
    Error,
}

/// What the sync bar shows. Published on every change through [`SyncHandle::subscribe`].
#[derive(Clone, Debug, PartialEq)]
pub struct EngineStatus {
    pub phase: Phase,
    /// Own operations not yet acknowledged.
    pub pending: u64,
    /// When the last sync completed (ms since the epoch).
    pub last_sync_ms: Option<i64>,
    /// Why the last attempt failed; `None` after a successful sync.
    pub last_error: Option<Failure>,
    /// The phone must be enrolled (again) before it can sync.
    pub needs_enrollment: bool,
    /// Syncs completed since the engine started.
    pub completed: u64,
    /// Own photos not yet on the server (they follow the operations, `sync::send_photos`).
    pub photos_pending: u64,
    /// The wake-up channel is open: what others record arrives within a second or so.
    pub live: bool,
    /// The id of the site plan the store works with; changes when the engine switched it to the plan
    /// the server gave (the UI then rebuilds its screens with the new plan).
    pub site: String,
}

/// What the app asks of the engine.
pub(super) enum Command {
    SyncNow,
    Shutdown,
}

/// The running engine. Dropping it stops the engine too (and waits for its thread).
pub struct SyncHandle {
    pub(super) tx: mpsc::UnboundedSender<Command>,
    pub(super) status: watch::Receiver<EngineStatus>,
    pub(super) thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SyncHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncHandle")
            .field("status", &*self.status.borrow())
            .finish()
    }
}

impl SyncHandle {
    /// Asks for a sync as soon as possible (after recording something, or when the user taps "sync").
    pub fn sync_now(&self) {
        let _ = self.tx.send(Command::SyncNow);
    }

    /// A receiver of every status change; `borrow()` gives the current one.
    pub fn subscribe(&self) -> watch::Receiver<EngineStatus> {
        self.status.clone()
    }

    /// The current status.
    pub fn status(&self) -> EngineStatus {
        self.status.borrow().clone()
    }

    /// Stops the engine (abandoning a request in flight, which is safe) and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.tx.send(Command::Shutdown);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
