//! What the sync bar shows, fed by the sync engine's status (or by the store when there is no engine).

use dioxus::prelude::*;

use crate::store::SyncStatus;
use crate::sync::{EngineStatus, Failure, Phase};

use super::{use_services, use_site_switch, use_ui};

/// The sync bar's state.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncView {
    /// `None` when no engine runs (no server set).
    pub phase: Option<Phase>,
    pub pending: u64,
    /// Own photos not yet on the server whole (they follow the reports).
    pub photos_pending: u64,
    pub last_sync_ms: Option<i64>,
    pub last_error: Option<Failure>,
    pub needs_enrollment: bool,
    /// This phone's clock minus the server's, as the last sync measured it.
    pub clock_offset_ms: Option<i64>,
    /// The wake-up channel is open.
    pub live: bool,
    /// The id of the site plan the store works with, as the engine last said (`EngineStatus::site`).
    pub site: String,
}

impl SyncView {
    pub fn from_store(s: &SyncStatus, engine: bool) -> Self {
        SyncView {
            phase: engine.then_some(Phase::Idle),
            pending: s.pending,
            photos_pending: 0,
            last_sync_ms: s.last_sync_ms,
            last_error: s.last_error.as_deref().map(Failure::from_stored),
            needs_enrollment: false,
            clock_offset_ms: s.clock_offset_ms,
            live: false,
            site: String::new(),
        }
    }

    pub fn from_engine(s: &EngineStatus) -> Self {
        SyncView {
            phase: Some(s.phase),
            pending: s.pending,
            photos_pending: s.photos_pending,
            last_sync_ms: s.last_sync_ms,
            last_error: s.last_error.clone(),
            needs_enrollment: s.needs_enrollment,
            clock_offset_ms: None,
            live: s.live,
            site: s.site.clone(),
        }
    }
}

/// Follows the sync engine: every status change updates the bar and re-runs the queries (a sync may have
/// pulled other devices' reports), and moves the screens to a new site plan the engine switched the
/// store to ([`super::SiteSwitch::follow_store`]). Call once, in the root component.
///
/// The pending count is read from the store, not taken from the status: a status sent just before a local
/// write would otherwise show a count that is already too low. So is the measured clock offset.
pub fn use_sync_follower() {
    let svc = use_services();
    let ui = use_ui();
    let switch = use_site_switch();
    use_hook(move || {
        let Some(handle) = svc.sync.clone() else {
            return;
        };
        let mut rx = handle.subscribe();
        let (mut sync, mut rev) = (ui.sync, ui.rev);
        spawn(async move {
            loop {
                let status = rx.borrow_and_update().clone();
                let mut view = SyncView::from_engine(&status);
                if let Ok(s) = svc.store().sync_status() {
                    view.pending = s.pending;
                    view.clock_offset_ms = s.clock_offset_ms;
                }
                if let Ok(n) = svc.store().photos_pending() {
                    view.photos_pending = n;
                }
                sync.set(view);
                *rev.write() += 1;
                if let Some(switch) = switch
                    && switch.follow_store()
                {
                    // These screens are replaced; the new ones follow the engine themselves.
                    break;
                }
                if rx.changed().await.is_err() {
                    break;
                }
            }
        });
    });
}

/// After a local write: the pending count goes up at once, and the engine is asked to sync.
pub fn after_local_write(svc: &super::Services, ui: super::UiState) {
    let status = svc.store().sync_status().unwrap_or_default();
    let photos = svc.store().photos_pending().unwrap_or(0);
    let mut sync = ui.sync;
    sync.with_mut(|v| {
        v.pending = status.pending;
        v.photos_pending = photos;
    });
    if let Some(h) = &svc.sync {
        h.sync_now();
    }
}
