//! The server's one clock, injectable so that tests move time (code expiry, receive times, the clock
//! corrections) without sleeping. The trait and the manual clock are `torgkoll_shared`'s, so a test
//! hands the same clock to a phone and to the server; the system clock is read here only.

use std::time::{SystemTime, UNIX_EPOCH};

pub use torgkoll_shared::clock::{Clock, ManualClock};

/// The system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}
