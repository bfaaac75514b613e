//! Hybrid logical clock: orders operations across devices without trusting any one phone's wall clock.
//!
//! A timestamp packs 48 bits of milliseconds since the Unix epoch and a 16-bit logical counter into one `u64`,
//! so it is a single number on the wire and compares with plain integer order. The caller passes the time in;
//! nothing here reads a clock.

use serde::{Deserialize, Serialize};

use crate::timefix::CLOCK_TOLERANCE_MS;

const COUNTER_BITS: u32 = 16;
const COUNTER_MAX: u64 = (1 << COUNTER_BITS) - 1;

/// A hybrid logical clock timestamp.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Hlc(pub u64);

impl Hlc {
    /// A timestamp from its parts. Milliseconds beyond 48 bits are clamped (the year 10889).
    pub fn new(millis: u64, counter: u16) -> Self {
        let millis = millis.min((1 << 48) - 1);
        Hlc((millis << COUNTER_BITS) | u64::from(counter))
    }

    /// The physical part, in milliseconds since the Unix epoch.
    pub fn millis(self) -> u64 {
        self.0 >> COUNTER_BITS
    }

    /// The logical counter.
    pub fn counter(self) -> u16 {
        (self.0 & COUNTER_MAX) as u16
    }

    /// The timestamp for a new local event at wall time `now_ms`: later than `self` and than `now_ms`.
    pub fn tick(self, now_ms: i64) -> Hlc {
        let now = now_ms.max(0) as u64;
        if now > self.millis() {
            Hlc::new(now, 0)
        } else {
            self.next()
        }
    }

    /// Merge a timestamp seen from another device, so that what this device does next orders after it.
    ///
    /// A remote clock further ahead of `now_ms` than [`CLOCK_TOLERANCE_MS`] is taken only that far: one
    /// phone with a clock in the future cannot drag the others after it. (The server bounds every
    /// operation's effective clock the same way, so a phone with a right clock still orders after all it
    /// has seen.)
    pub fn observe(self, remote: Hlc, now_ms: i64) -> Hlc {
        let now = Hlc::new(now_ms.max(0) as u64, 0);
        let cap = Hlc::new(now_ms.saturating_add(CLOCK_TOLERANCE_MS).max(0) as u64, 0);
        let latest = self.max(remote.min(cap));
        if now > latest { now } else { latest }
    }

    /// The next timestamp after this one.
    pub fn next(self) -> Hlc {
        if self.counter() as u64 == COUNTER_MAX {
            Hlc::new(self.millis() + 1, 0)
        } else {
            Hlc(self.0 + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_follows_wall_clock_and_stays_monotonic() {
        let a = Hlc::default().tick(1_000);
        assert_eq!((a.millis(), a.counter()), (1_000, 0));
        let b = a.tick(1_000);
        assert_eq!((b.millis(), b.counter()), (1_000, 1));
        // The wall clock went backwards: the clock still moves forward.
        let c = b.tick(500);
        assert!(c > b);
        let d = c.tick(2_000);
        assert_eq!((d.millis(), d.counter()), (2_000, 0));
    }

    #[test]
    fn observe_orders_after_remote() {
        let local = Hlc::new(1_000, 3);
        let remote = Hlc::new(5_000, 7);
        let merged = local.observe(remote, 2_000);
        assert!(merged >= remote);
        assert!(merged.tick(2_000) > remote);
    }

    #[test]
    fn observing_a_clock_from_the_future_moves_only_a_bounded_step() {
        let now = 1_795_000_000_000i64;
        let local = Hlc::new(now as u64, 0);
        for far in [Hlc(u64::MAX), Hlc::new((now + 86_400_000) as u64, 3)] {
            let merged = local.observe(far, now);
            assert_eq!(merged, Hlc::new((now + CLOCK_TOLERANCE_MS) as u64, 0));
            assert!(merged.tick(now) > merged);
        }
        // Within the bound the remote clock is taken whole.
        let near = Hlc::new((now + 1_000) as u64, 7);
        assert_eq!(local.observe(near, now), near);
        // And the clock never goes back.
        let ahead = Hlc::new((now + 10 * 86_400_000) as u64, 0);
        assert_eq!(ahead.observe(Hlc(u64::MAX), now), ahead);
    }

    #[test]
    fn counter_overflow_carries_into_millis() {
        let h = Hlc::new(10, u16::MAX);
        assert_eq!(h.tick(0), Hlc::new(11, 0));
    }
}
