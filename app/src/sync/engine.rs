//! The background engine: syncs on a timer, on demand, and when the server can be reached again, on its
//! own thread with its own tokio runtime, so it runs the same under Dioxus or headless.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, watch};
use torgkoll_shared::Clock;

use crate::store::Store;

use super::SyncClient;
use super::client::http_client;
use super::error::Failure;
use super::handle::{Command, EngineConfig, EngineStatus, Phase, SyncHandle};
use super::photos::photo_pass;
use super::round::sync_once;
use super::wake;

/// The sync engine. See the module documentation of [`crate::sync`].
#[derive(Debug)]
pub struct SyncEngine;

impl SyncEngine {
    /// Starts the engine on its own thread. It syncs at once, then every `config.interval`, on
    /// [`SyncHandle::sync_now`], and with backoff after failures. The server and token come from the
    /// store's identity, read before every sync, so enrolling while the engine runs works.
    pub fn start(
        store: Arc<Mutex<Store>>,
        config: EngineConfig,
        clock: Arc<dyn Clock>,
    ) -> SyncHandle {
        let initial = {
            let s = lock(&store);
            let st = s.sync_status().unwrap_or_default();
            EngineStatus {
                phase: Phase::Idle,
                pending: st.pending,
                last_sync_ms: st.last_sync_ms,
                last_error: st.last_error.as_deref().map(Failure::from_stored),
                needs_enrollment: s.identity().is_none(),
                completed: 0,
                photos_pending: s.photos_pending().unwrap_or(0),
                live: false,
                site: s.site().id.clone(),
            }
        };
        let (status_tx, status_rx) = watch::channel(initial);
        let (tx, rx) = mpsc::unbounded_channel();
        let nudge = tx.clone();
        let thread = std::thread::Builder::new()
            .name("torgkoll-sync".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime starts");
                let status_tx = Arc::new(status_tx);
                if config.live {
                    let (store, live) = (store.clone(), status_tx.clone());
                    rt.spawn(wake::wake_loop(
                        store,
                        move || {
                            let _ = nudge.send(Command::SyncNow);
                        },
                        move |on| live.send_modify(|s| s.live = on),
                    ));
                }
                rt.block_on(run(store, config, clock, rx, status_tx));
            })
            .expect("the sync thread starts");
        SyncHandle {
            tx,
            status: status_rx,
            thread: Some(thread),
        }
    }
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The engine's loop.
async fn run(
    store: Arc<Mutex<Store>>,
    cfg: EngineConfig,
    clock: Arc<dyn Clock>,
    mut rx: mpsc::UnboundedReceiver<Command>,
    status: Arc<watch::Sender<EngineStatus>>,
) {
    let http = http_client(cfg.request_timeout);
    // Failures in a row; 0 while all is well.
    let mut failures: u32 = 0;
    let mut offline = false;
    // The pause the server asked for with its last refusal (503 and `Retry-After`), if any.
    let mut asked_pause: Option<std::time::Duration> = None;
    let mut asked = true; // sync at start
    loop {
        if !asked {
            let wait = match failures {
                0 => cfg.interval,
                n => {
                    let delay = cfg.backoff.delay(n - 1, rand::random::<f64>());
                    asked_pause.map_or(delay, |p| p.max(delay))
                }
            };
            tokio::select! {
                cmd = rx.recv() => match cmd {
                    Some(Command::SyncNow) => asked = true,
                    Some(Command::Shutdown) | None => return,
                },
                _ = tokio::time::sleep(wait) => {}
            }
        }
        let by_request = std::mem::take(&mut asked);
        let who = lock(&store)
            .identity()
            .map(|id| (id.server.clone(), id.token.clone()));
        let Some((server, token)) = who else {
            status.send_modify(|s| {
                s.phase = Phase::Idle;
                s.needs_enrollment = true;
            });
            failures = 0;
            continue;
        };
        let client = SyncClient::with_http(http.clone(), &server, &token);
        if offline && !by_request && client.health().await.is_err() {
            // Still unreachable: a cheap probe instead of a full sync.
            failures = failures.saturating_add(1);
            continue;
        }
        status.send_modify(|s| {
            s.phase = Phase::Syncing;
            s.needs_enrollment = false;
        });
        let result = tokio::select! {
            r = sync_once(&client, &store, cfg.sync, &*clock) => r,
            () = next_stop(&mut rx, &mut asked) => return,
        };
        let (pending, last_sync_ms) = {
            let s = lock(&store);
            let st = s.sync_status().unwrap_or_default();
            if let Err(e) = &result
                && let Err(se) = s.set_sync_error(&e.failure().to_stored())
            {
                tracing::warn!(error = %se, "could not save the sync error");
            }
            (st.pending, st.last_sync_ms)
        };
        match result {
            Ok(summary) => {
                tracing::debug!(?summary, "synced");
                failures = 0;
                offline = false;
                status.send_modify(|s| {
                    s.phase = Phase::Idle;
                    s.pending = pending;
                    s.last_sync_ms = last_sync_ms;
                    s.last_error = None;
                    s.completed += 1;
                });
                if let Some(path) = &cfg.site_file {
                    match super::refresh_and_switch(&client, path, &store).await {
                        // Sent even when only the plan changed (same id): the UI compares plans.
                        Ok(site) => status.send_modify(|s| s.site = site),
                        Err(e) => tracing::info!(error = %e, "the site plan could not be checked"),
                    }
                }
                // Photos after the record. Any command (a new report to push, a shutdown) abandons
                // them: an upload resumes where the server is, so operations never wait for photos.
                let done = tokio::select! {
                    () = photo_pass(&client, &store) => true,
                    () = next_command(&mut rx, &mut asked) => false,
                };
                let left = lock(&store).photos_pending().unwrap_or(0);
                status.send_modify(|s| s.photos_pending = left);
                if !done && !asked {
                    return;
                }
            }
            Err(e) => {
                tracing::info!(error = %e, "sync failed");
                failures = failures.saturating_add(1);
                offline = e.is_offline();
                asked_pause = e.retry_after();
                let needs_enrollment = e.needs_enrollment();
                status.send_modify(|s| {
                    s.phase = if offline {
                        Phase::Offline
                    } else {
                        Phase::Error
                    };
                    s.pending = pending;
                    s.last_sync_ms = last_sync_ms;
                    s.last_error = Some(e.failure());
                    s.needs_enrollment = needs_enrollment;
                });
            }
        }
    }
}

/// Resolves on the next command: a "sync now" (remembered in `asked`) or a shutdown (`asked` stays
/// false).
async fn next_command(rx: &mut mpsc::UnboundedReceiver<Command>, asked: &mut bool) {
    if let Some(Command::SyncNow) = rx.recv().await {
        *asked = true;
    }
}

/// Resolves when a shutdown is asked for (or the handle is gone); remembers a "sync now" meanwhile.
async fn next_stop(rx: &mut mpsc::UnboundedReceiver<Command>, asked: &mut bool) {
    loop {
        match rx.recv().await {
            Some(Command::SyncNow) => *asked = true,
            Some(Command::Shutdown) | None => return,
        }
    }
}
