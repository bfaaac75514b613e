//! The phone's one clock. Everything on the phone that needs the time (recording, "today", ages, the
//! sync engine) reads it through the [`Clock`] in the app's services, so a test or a demo hands in a
//! [`torgkoll_shared::ManualClock`] and the real clock is read here only.

use std::time::{SystemTime, UNIX_EPOCH};

pub use torgkoll_shared::clock::{Clock, ManualClock};

/// The platform's wall clock (the same call on the desktop, Android and iOS).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}
