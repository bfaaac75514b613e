//! Webhooks for the partners (the city, the police, the property owners): the operator adds them
//! ([`commands`]), the server signs and delivers level-1 events and the daily lägesbild at least once
//! ([`worker`]), retrying on its own clock ([`schedule`]). The payloads are `torgkoll_shared::partner`'s:
//! codes, counts, zones and times, never free text or who. See docs/PROTOCOL.md, "Webhooks".

pub mod commands;
pub mod daily;
pub mod deliver;
pub mod model;
pub mod schedule;
pub mod sign;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::sites::Sites;
use crate::store::ServerStore;
pub use daily::DailyReport;
pub use worker::Worker;

/// How often `serve`'s worker looks for work.
pub const POLL: Duration = Duration::from_secs(1);

/// Starts `serve`'s worker.
pub fn start(
    store: Arc<dyn ServerStore>,
    sites: Sites,
    clock: Arc<dyn Clock>,
    daily: Option<DailyReport>,
) -> tokio::task::JoinHandle<()> {
    match &daily {
        Some(d) => {
            tracing::info!(at = %format!("{:02}:{:02}", d.at.0, d.at.1), dir = %d.dir.display(), "the lägesbild is made each day")
        }
        None => tracing::info!("no daily lägesbild (--lagesbild-at)"),
    }
    Worker::new(store, sites, clock, daily).spawn(POLL)
}
