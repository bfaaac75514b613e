//! Alerts and tasks for the screens: the banners' alerts for this phone's role, the open cleaning
//! tasks, and the one place that sounds a new alert, once per alert on this phone (the store keeps the
//! mark, so neither a re-render nor a restart sounds it again). Like every read they re-run when a sync
//! applies new operations (`UiState::rev`, bumped by the sync follower).

use dioxus::prelude::*;
use torgkoll_shared::Role;

use crate::platform;
use crate::store::{Alert, ReportView};

use super::queries::use_store_query;
use super::{use_services, use_ui};

/// The alerts this phone's banner shows now, newest first (none before enrollment).
pub fn use_active_alerts() -> Memo<Vec<Alert>> {
    let ui = use_ui();
    use_store_query("the active alerts", move |s, now| {
        let role: Option<Role> = ui.identity.read().as_ref().map(|i| i.role);
        match role {
            Some(role) => s.active_alerts(role, now),
            None => Ok(Vec::new()),
        }
    })
}

/// The cleaning tasks not yet done: untaken first, then newest first.
pub fn use_open_tasks() -> Memo<Vec<ReportView>> {
    use_store_query("the open tasks", |s, _| s.open_tasks())
}

/// Sounds each alert of `alerts` this phone has not sounded yet, once.
pub fn use_alert_signals(alerts: Memo<Vec<Alert>>) {
    let svc = use_services();
    use_effect(move || {
        let list = alerts.read();
        let now = svc.now_ms();
        for a in list.iter().filter(|a| !a.signalled) {
            match svc.store().mark_alert_signalled(a.report.report.id, now) {
                Ok(true) => platform::alert_signal(a.kind),
                Ok(false) => {}
                Err(e) => tracing::warn!("keeping an alert's signal mark failed: {e}"),
            }
        }
    });
}
