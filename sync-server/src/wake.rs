//! The wake-up channel's hub: a push that stores operations tells every open `GET /v1/events` stream,
//! and each stream passes a wake on to its phone when the operations are ones that phone may see (its
//! own site, a domain its role may see) and did not make. One stream per device: a device that opens a
//! second one (a phone reconnecting while its old connection is half dead) replaces the first. On
//! shutdown every stream ends, so the server can drain its connections.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;
use torgkoll_shared::access::may_see;
use torgkoll_shared::{Domain, Role};
use uuid::Uuid;

/// How many signals a slow stream may fall behind before it is told it lagged (it then wakes its phone
/// once, which is always safe).
const BACKLOG: usize = 1024;

/// What a committed push added, by domain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Added {
    pub cleaning: bool,
    pub disturbance: bool,
}

impl Added {
    pub fn mark(&mut self, domain: Domain) {
        match domain {
            Domain::Cleaning => self.cleaning = true,
            Domain::Disturbance => self.disturbance = true,
        }
    }

    pub fn any(&self) -> bool {
        self.cleaning || self.disturbance
    }

    /// Whether a role may see anything of it.
    pub fn visible_to(&self, role: Role) -> bool {
        (self.cleaning && may_see(role, Domain::Cleaning))
            || (self.disturbance && may_see(role, Domain::Disturbance))
    }
}

/// One message on the hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// `by`, a device of `site`, stored operations; the server's position is now at least `pos`.
    Committed {
        by: Uuid,
        site: Arc<str>,
        pos: u64,
        added: Added,
    },
    /// `device` opened a newer stream (`generation`): older ones end.
    Replaced { device: Uuid, generation: u64 },
    /// The server is shutting down: every stream ends.
    Closing,
}

/// What a stream does with a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Wake(u64),
    Ignore,
    End,
}

/// The hub. Cheap to clone; every clone is the same hub.
#[derive(Clone, Debug)]
pub struct Wake {
    tx: broadcast::Sender<Signal>,
    generations: Arc<Mutex<HashMap<Uuid, u64>>>,
    /// The highest position any commit announced.
    last: Arc<AtomicU64>,
}

impl Default for Wake {
    fn default() -> Self {
        Wake {
            tx: broadcast::channel(BACKLOG).0,
            generations: Arc::default(),
            last: Arc::default(),
        }
    }
}

/// One device's subscription.
#[derive(Debug)]
pub struct Subscription {
    pub device: Uuid,
    pub role: Role,
    /// The device's site: only pushes of this site wake it.
    pub site: Arc<str>,
    pub generation: u64,
    pub rx: broadcast::Receiver<Signal>,
}

impl Wake {
    /// Tells the streams that `by`, a device of `site`, stored operations (after the commit).
    pub fn committed(&self, by: Uuid, site: &str, pos: u64, added: Added) {
        self.last.fetch_max(pos, Ordering::Relaxed);
        if added.any() {
            // No receiver is not an error: no phone is listening.
            let _ = self.tx.send(Signal::Committed {
                by,
                site: site.into(),
                pos,
                added,
            });
        }
    }

    /// Opens the subscription of a device of `site`, replacing any older one of the same device.
    pub fn subscribe(&self, device: Uuid, role: Role, site: &str) -> Subscription {
        let rx = self.tx.subscribe();
        let generation = {
            let mut g = self
                .generations
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let n = g.entry(device).or_insert(0);
            *n += 1;
            *n
        };
        let _ = self.tx.send(Signal::Replaced { device, generation });
        Subscription {
            device,
            role,
            site: site.into(),
            generation,
            rx,
        }
    }

    /// Ends every stream (at shutdown).
    pub fn close(&self) {
        let _ = self.tx.send(Signal::Closing);
    }

    /// The highest position announced so far (for a stream that fell behind).
    pub fn last_pos(&self) -> u64 {
        self.last.load(Ordering::Relaxed)
    }

    /// Open streams (for the log).
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }
}

impl Subscription {
    /// What this stream does with `signal`.
    pub fn judge(&self, signal: &Signal) -> Verdict {
        match *signal {
            Signal::Committed {
                by,
                ref site,
                pos,
                added,
            } if by != self.device && *site == self.site && added.visible_to(self.role) => {
                Verdict::Wake(pos)
            }
            Signal::Replaced { device, generation }
                if device == self.device && generation > self.generation =>
            {
                Verdict::End
            }
            Signal::Closing => Verdict::End,
            _ => Verdict::Ignore,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(cleaning: bool, disturbance: bool) -> Added {
        Added {
            cleaning,
            disturbance,
        }
    }

    #[test]
    fn a_stream_wakes_for_what_its_role_may_see_and_others_made() {
        let hub = Wake::default();
        let (me, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let cleaner = hub.subscribe(me, Role::Cleaner, "plattan");
        let guard = hub.subscribe(Uuid::from_u128(3), Role::Guard, "plattan");
        let dist = Signal::Committed {
            by: other,
            site: "plattan".into(),
            pos: 7,
            added: added(false, true),
        };
        assert_eq!(cleaner.judge(&dist), Verdict::Ignore);
        assert_eq!(guard.judge(&dist), Verdict::Wake(7));
        let clean = Signal::Committed {
            by: other,
            site: "plattan".into(),
            pos: 8,
            added: added(true, false),
        };
        assert_eq!(cleaner.judge(&clean), Verdict::Wake(8));
        let own = Signal::Committed {
            by: me,
            site: "plattan".into(),
            pos: 9,
            added: added(true, true),
        };
        assert_eq!(cleaner.judge(&own), Verdict::Ignore);
        assert_eq!(guard.judge(&Signal::Closing), Verdict::End);
    }

    #[test]
    fn a_stream_wakes_for_its_own_site_only() {
        let hub = Wake::default();
        let (a, b) = (
            hub.subscribe(Uuid::from_u128(1), Role::Guard, "plattan"),
            hub.subscribe(Uuid::from_u128(2), Role::Guard, "medborgarplatsen"),
        );
        let push = Signal::Committed {
            by: Uuid::from_u128(3),
            site: "plattan".into(),
            pos: 4,
            added: added(true, true),
        };
        assert_eq!(a.judge(&push), Verdict::Wake(4));
        assert_eq!(b.judge(&push), Verdict::Ignore);
    }

    #[test]
    fn a_newer_stream_of_the_same_device_replaces_the_older() {
        let hub = Wake::default();
        let d = Uuid::from_u128(1);
        let mut old = hub.subscribe(d, Role::Guard, "plattan");
        let other = hub.subscribe(Uuid::from_u128(2), Role::Guard, "plattan");
        let new = hub.subscribe(d, Role::Guard, "plattan");
        let mut ended = false;
        while let Ok(s) = old.rx.try_recv() {
            ended |= old.judge(&s) == Verdict::End;
        }
        assert!(ended, "the older stream ends");
        let replaced = Signal::Replaced {
            device: d,
            generation: new.generation,
        };
        assert_eq!(new.judge(&replaced), Verdict::Ignore);
        assert_eq!(other.judge(&replaced), Verdict::Ignore);
    }
}
