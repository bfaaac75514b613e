//! The worker `serve` starts: about once a second it finds new level-1 events (the cursor over the
//! stored operations of every site, each checked with its site's plan), makes each site's lägesbild
//! when it is due, and sends the deliveries that are due, all by
//! the server's injectable clock. Sends run on tasks of their own, so a partner that takes 10 s to
//! answer delays no other; a delivery in flight is not picked again until its attempt is recorded.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use torgkoll_shared::calendar::Date;
use uuid::Uuid;

use super::daily::{DailyReport, make_due};
use super::deliver::{attempt, client};
use super::model::{DueDelivery, Outcome};
use super::schedule::after_failure;
use crate::clock::Clock;
use crate::sites::Sites;
use crate::store::{ServerStore, StoreError};

/// Operations scanned for level-1 events in one transaction.
const SCAN_BATCH: u32 = 1_000;
/// Deliveries started in one turn.
const SENDS_PER_TURN: u32 = 100;

/// What one turn did.
#[derive(Debug, Default)]
pub struct Turn {
    pub enqueued: usize,
    /// The day of the first lägesbild made this turn (of any site).
    pub made: Option<Date>,
    /// Every lägesbild made this turn: the site and the day.
    pub made_of: Vec<(String, Date)>,
    /// The attempts started this turn, to await in tests.
    pub sends: Vec<tokio::task::JoinHandle<()>>,
}

impl Turn {
    /// Waits for this turn's attempts to be recorded.
    pub async fn finished(mut self) -> Self {
        for s in std::mem::take(&mut self.sends) {
            let _ = s.await;
        }
        self
    }
}

#[derive(Clone)]
pub struct Worker {
    store: Arc<dyn ServerStore>,
    sites: Sites,
    clock: Arc<dyn Clock>,
    daily: Option<DailyReport>,
    client: reqwest::Client,
    in_flight: Arc<Mutex<HashSet<Uuid>>>,
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Files(format!("a webhook task failed: {e}")))?
}

impl Worker {
    pub fn new(
        store: Arc<dyn ServerStore>,
        sites: Sites,
        clock: Arc<dyn Clock>,
        daily: Option<DailyReport>,
    ) -> Worker {
        Worker {
            store,
            sites,
            clock,
            daily,
            client: client(),
            in_flight: Arc::default(),
        }
    }

    /// One turn: new level-1 events, each site's lägesbild if due, then the due deliveries (started, not
    /// awaited). Failures are logged and tried again next turn.
    pub async fn turn(&self) -> Turn {
        let mut turn = Turn::default();
        let now = self.clock.now_ms();
        loop {
            let (store, sites) = (self.store.clone(), self.sites.clone());
            match blocking(move || store.scan_level1(&sites, now, SCAN_BATCH)).await {
                Ok(scan) => {
                    turn.enqueued += scan.enqueued;
                    if !scan.more {
                        break;
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "scanning for level-1 events failed");
                    break;
                }
            }
        }
        let ids: Vec<String> = match self.daily {
            Some(_) => self.sites.ids().map(str::to_owned).collect(),
            None => Vec::new(),
        };
        for id in ids {
            let (store, sites, daily) =
                (self.store.clone(), self.sites.clone(), self.daily.clone());
            let made = blocking(move || {
                let (Some(file), Some(daily)) = (sites.get(&id), daily) else {
                    return Ok(None);
                };
                let default = id == sites.default_id();
                let made = make_due(&*store, &file.site, default, &daily, now)?;
                Ok(made.map(|(day, _)| (id, day)))
            })
            .await;
            match made {
                Ok(Some((id, day))) => {
                    turn.made.get_or_insert(day);
                    turn.made_of.push((id, day));
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "making a lägesbild failed"),
            }
        }
        let store = self.store.clone();
        let due = match blocking(move || store.due_deliveries(now, SENDS_PER_TURN)).await {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "reading the due deliveries failed");
                return turn;
            }
        };
        for d in due {
            if !self.in_flight.lock().is_ok_and(|mut f| f.insert(d.id)) {
                continue;
            }
            let me = self.clone();
            turn.sends
                .push(tokio::spawn(async move { me.send(d).await }));
        }
        turn
    }

    /// One attempt of `d`, and its outcome recorded by the clock at its end.
    async fn send(&self, d: DueDelivery) {
        let result = attempt(&self.client, &d).await;
        let now = self.clock.now_ms();
        let n = d.attempts + 1;
        let outcome = match result {
            Ok(status) => {
                tracing::info!(delivery = %d.id, hook = d.hook, event = %d.event, attempt = n, status, "webhook delivered");
                Outcome::Delivered
            }
            Err(error) => {
                let outcome = after_failure(d.created_ms, n, now, error.clone());
                match &outcome {
                    Outcome::Failed { .. } => {
                        tracing::error!(delivery = %d.id, hook = d.hook, event = %d.event, attempt = n, %error, "webhook delivery failed for good")
                    }
                    _ => {
                        tracing::warn!(delivery = %d.id, hook = d.hook, event = %d.event, attempt = n, %error, "webhook attempt failed")
                    }
                }
                outcome
            }
        };
        let (store, id) = (self.store.clone(), d.id);
        if let Err(e) = blocking(move || store.record_delivery(id, now, &outcome)).await {
            tracing::error!(delivery = %d.id, error = %e, "recording a webhook attempt failed");
        }
        if let Ok(mut f) = self.in_flight.lock() {
            f.remove(&d.id);
        }
    }

    /// Turns every `every` until the runtime ends.
    pub fn spawn(self, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                drop(self.turn().await);
            }
        })
    }
}
