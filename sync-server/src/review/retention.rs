//! The retention purge: free text older than the configured number of days is removed from stored
//! operations (accepted and rejected), and so are the files of the photos whose every attaching operation
//! is that old; the operations stay, so every count does.
//!
//! There is no default period. A municipal operator needs a formal decision before deleting anything, so
//! the server keeps free text until `--retention-days` (or `TORGKOLL_RETENTION_DAYS`) is set, and says so
//! in its log at start. Once set, `serve` purges at start and then every `--purge-every-hours`.

use std::sync::Arc;
use std::time::Duration;

use torgkoll_shared::analytics::Retention;

use crate::clock::Clock;
use crate::photos::wanted::WantedPhotos;
use crate::store::{PurgeOutcome, Result, ServerStore};

/// Purges once, now (free text, then photo files), and logs what changed.
pub fn purge_now(
    store: &dyn ServerStore,
    wanted: &WantedPhotos,
    retention: Retention,
    now_ms: i64,
) -> Result<PurgeOutcome> {
    let mut out = store.purge_free_text(retention, now_ms)?;
    out.photos = crate::photos::purge_expired(store, wanted, retention.cutoff_ms(now_ms), now_ms)?;
    tracing::info!(
        days = retention.free_text_days,
        ops = out.ops,
        rejected = out.rejected,
        photos = out.photos,
        "free text and photos purged"
    );
    Ok(out)
}

/// The background purge of `serve`: once at start, then every `every`. Failures are logged and retried
/// at the next turn.
pub async fn run_periodically(
    store: Arc<dyn ServerStore>,
    wanted: WantedPhotos,
    clock: Arc<dyn Clock>,
    retention: Retention,
    every: Duration,
) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let (store, wanted, now) = (store.clone(), wanted.clone(), clock.now_ms());
        match tokio::task::spawn_blocking(move || purge_now(&*store, &wanted, retention, now)).await
        {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "the retention purge failed"),
            Err(e) => tracing::error!(error = %e, "the retention purge task failed"),
        }
    }
}

/// Starts the background purge if a retention is set; logs the decision either way.
pub fn start(
    store: Arc<dyn ServerStore>,
    wanted: WantedPhotos,
    clock: Arc<dyn Clock>,
    retention: Option<Retention>,
    every: Duration,
) {
    match retention {
        Some(r) => {
            tracing::info!(
                days = r.free_text_days,
                every_h = every.as_secs_f64() / 3600.0,
                "free text is purged after the retention period"
            );
            tokio::spawn(run_periodically(store, wanted, clock, r, every));
        }
        None => tracing::warn!(
            "no retention period set (--retention-days): free text is kept until one is decided"
        ),
    }
}
