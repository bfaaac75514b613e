//! Clocks with bounds: how the server turns a phone's times into times it can trust.
//!
//! A phone's wall clock may be a day off, reset to 1970, or anything at all; its hybrid logical clock
//! (HLC) starts from that wall clock. The server therefore decides, once, when it accepts an operation:
//! - its **corrected time** (`at`): the phone's wall time minus that phone's measured clock offset, or the
//!   server's receive time where the estimate is impossible (before the device was enrolled, or after the
//!   operation arrived). Review places every operation at this time.
//! - its **effective clock**: the HLC it races with. An HLC more than [`CLOCK_TOLERANCE_MS`] away from
//!   the corrected time is replaced by the corrected time; each device's effective clocks stay in its own
//!   sequence order, so a phone's later change still beats its earlier one.
//!
//! Both travel with the operation as a [`TimeFix`] (absent when the server trusted the phone) to every
//! phone, the author included, so every fold orders the same way. What this promises, and the tests
//! that hold it to that, are in ARCHITECTURE.md ("Clocks").

use serde::{Deserialize, Serialize};

use crate::hlc::Hlc;

/// How far a phone's clock may be off before its times are corrected and it warns its user; also how
/// far ahead of its own clock observing other phones may move a phone's HLC (see [`Hlc::observe`]).
pub const CLOCK_TOLERANCE_MS: i64 = 120_000;
/// The earliest possible time of anything: 1970-01-01T00:00Z (a phone reset to its epoch says this).
pub const EARLIEST_MS: i64 = 0;
/// No time is possible from here on: 2200-01-01T00:00Z.
pub const LATEST_MS: i64 = 7_258_118_400_000;
/// The times inside an operation (a run's start, stop and path points) lie within this of the
/// operation's own wall time.
pub const MAX_INNER_APART_MS: i64 = 86_400_000;

/// Whether `ms` can be a real time at all: 1970 to 2199.
pub fn is_possible(ms: i64) -> bool {
    (EARLIEST_MS..LATEST_MS).contains(&ms)
}

/// The server's correction of an operation's time, decided when it was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeFix {
    /// The corrected time (ms since the epoch, the server's clock).
    pub at: i64,
    /// The effective clock the operation races with.
    pub hlc: Hlc,
}

impl TimeFix {
    /// The fix that turns `(wall, hlc)` into `(at, clock)`; `None` when nothing changed.
    pub fn between(wall: i64, hlc: Hlc, at: i64, clock: Hlc) -> Option<TimeFix> {
        (wall != at || hlc != clock).then_some(TimeFix { at, hlc: clock })
    }
}

/// What the server knows of a device's clock when one of its pushes arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceTime {
    /// When the device was enrolled: none of its operations can be older.
    pub enrolled_ms: i64,
    /// The corrected time of its latest accepted operation.
    pub last_at: Option<i64>,
    /// The effective clock of its latest accepted operation.
    pub last_clock: Option<Hlc>,
}

/// When a push arrived, and how far off the phone's clock was then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub recv_ms: i64,
    /// The phone's clock minus the server's (`phone_ms` of the request minus the receive time), when the
    /// phone said what its clock read and that was a possible time.
    pub offset_ms: Option<i64>,
}

impl Receipt {
    pub fn new(recv_ms: i64, phone_ms: Option<i64>) -> Receipt {
        Receipt {
            recv_ms,
            offset_ms: phone_ms
                .filter(|p| is_possible(*p))
                .map(|p| p.saturating_sub(recv_ms)),
        }
    }

    /// Whether the phone's clock is off by more than the tolerance.
    pub fn clock_is_off(&self) -> bool {
        self.offset_ms.is_some_and(|o| o.abs() > CLOCK_TOLERANCE_MS)
    }
}

/// The corrected times of one push's operations, given their wall times in sequence order (`None` for an
/// operation whose time could not be read: it is placed like one whose time is impossible).
///
/// 1. The estimate is the wall time minus the measured offset (when the phone is off by more than the
///    tolerance), else the wall time.
/// 2. An estimate before the device's enrollment or after the push arrived (each with the tolerance) is
///    impossible: such an operation was made before the next operation of the same push, so it takes
///    that one's estimate, or the receive time when none follows.
/// 3. An operation is never placed before the device's previous one.
pub fn corrected_times(dev: &DeviceTime, receipt: &Receipt, walls: &[Option<i64>]) -> Vec<i64> {
    let offset = receipt
        .offset_ms
        .filter(|_| receipt.clock_is_off())
        .unwrap_or(0);
    let earliest = dev.enrolled_ms.saturating_sub(CLOCK_TOLERANCE_MS);
    let latest = receipt.recv_ms.saturating_add(CLOCK_TOLERANCE_MS);
    let estimates: Vec<Option<i64>> = walls
        .iter()
        .map(|w| {
            w.map(|w| w.saturating_sub(offset))
                .filter(|e| (earliest..=latest).contains(e))
        })
        .collect();
    let mut filled = vec![receipt.recv_ms; walls.len()];
    let mut next = receipt.recv_ms;
    for (i, e) in estimates.iter().enumerate().rev() {
        next = e.unwrap_or(next);
        filled[i] = next;
    }
    let mut floor = dev.last_at.unwrap_or(i64::MIN);
    filled
        .into_iter()
        .map(|t| {
            floor = floor.max(t);
            floor
        })
        .collect()
}

/// The clock an accepted operation races with: its own HLC when that is within the tolerance of its
/// corrected time, else the corrected time; and always later than the device's previous operation.
pub fn effective_clock(hlc: Hlc, at: i64, last: Option<Hlc>) -> Hlc {
    let near = (hlc.millis() as i128 - i128::from(at)).abs() <= i128::from(CLOCK_TOLERANCE_MS);
    let wanted = if near {
        hlc
    } else {
        Hlc::new(at.max(0) as u64, 0)
    };
    match last {
        Some(l) if wanted <= l => l.next(),
        _ => wanted,
    }
}

#[cfg(test)]
mod tests;
