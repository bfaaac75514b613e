//! Where the phone is: one small interface, [`PositionSource`], with three implementations chosen in
//! `main` and handed to the UI in its services:
//!
//! - [`Geolocation`](super::geolocation::Geolocation): the webview's `navigator.geolocation` (Android's
//!   WebView, iOS's WKWebView, WebKitGTK where the system has a location service);
//! - [`Replay`](super::replay::Replay): a recorded track played back (`--replay-track`), for tests,
//!   demos and benchmarks;
//! - [`NoPosition`]: none; every place is a tap on the map, as on a phone without a fix.
//!
//! A source is started when a run starts or on the first "where I stand", never at launch: that is
//! when a phone asks the user for the location permission.

use torgkoll_shared::GeoPoint;

/// A position from a positioning system, with its horizontal accuracy in metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fix {
    pub at: GeoPoint,
    pub accuracy_m: f32,
    /// When it was taken, by the phone's clock (ms since the epoch).
    pub t: i64,
}

/// A positioning system the app can read.
pub trait PositionSource: Send + Sync {
    /// Starts watching the position (a phone asks for the permission the first time). Idempotent.
    fn start(&self);
    /// The newest fix, if there is one.
    fn latest(&self) -> Option<Fix>;
    /// The fixes taken after `after_ms`, oldest first (as many as the source keeps).
    fn since(&self, after_ms: i64) -> Vec<Fix>;
    /// What it is, for logs and the settings screen.
    fn name(&self) -> &'static str;
}

/// No positioning system: every place is a tap on the map.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPosition;

impl PositionSource for NoPosition {
    fn start(&self) {}
    fn latest(&self) -> Option<Fix> {
        None
    }
    fn since(&self, _after_ms: i64) -> Vec<Fix> {
        Vec::new()
    }
    fn name(&self) -> &'static str {
        "none"
    }
}

/// A fix older than this is not "where I stand" any more (ms).
pub const FRESH_FOR_MS: i64 = 10_000;
/// The default of the setting "a fix good enough to report at" (metres).
pub const DEFAULT_GOOD_ACCURACY_M: f32 = 15.0;

/// Why a report cannot be placed at the phone's position: the UI says so and asks for a tap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NoGoodFix {
    /// No fix, or none in the last ten seconds ("ingen position").
    NoPosition,
    /// A fix, but less accurate than the setting ("osäker position ±40 m").
    Uncertain { accuracy_m: f32 },
}

/// The fix to report at, if it is fresh (under ten seconds old) and good (accuracy at most
/// `good_accuracy_m`).
pub fn fix_to_report_at(
    fix: Option<Fix>,
    now_ms: i64,
    good_accuracy_m: f32,
) -> Result<Fix, NoGoodFix> {
    let fix = fix
        .filter(|f| now_ms.saturating_sub(f.t) < FRESH_FOR_MS && f.at.is_finite())
        .ok_or(NoGoodFix::NoPosition)?;
    if fix.accuracy_m.is_nan() || fix.accuracy_m > good_accuracy_m {
        return Err(NoGoodFix::Uncertain {
            accuracy_m: fix.accuracy_m,
        });
    }
    Ok(fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(t: i64, acc: f32) -> Option<Fix> {
        Some(Fix {
            at: GeoPoint::new(18.0649, 59.3323),
            accuracy_m: acc,
            t,
        })
    }

    #[test]
    fn a_fix_must_be_fresh_and_good() {
        assert!(fix_to_report_at(fix(95_000, 5.0), 100_000, 15.0).is_ok());
        assert_eq!(
            fix_to_report_at(fix(80_000, 5.0), 100_000, 15.0),
            Err(NoGoodFix::NoPosition)
        );
        assert_eq!(
            fix_to_report_at(None, 100_000, 15.0),
            Err(NoGoodFix::NoPosition)
        );
        assert_eq!(
            fix_to_report_at(fix(99_000, 40.0), 100_000, 15.0),
            Err(NoGoodFix::Uncertain { accuracy_m: 40.0 })
        );
        assert!(fix_to_report_at(fix(99_000, f32::NAN), 100_000, 15.0).is_err());
        // A replayed fix may carry a time a little ahead of the clock: still fresh.
        assert!(fix_to_report_at(fix(130_000, 5.0), 100_000, 15.0).is_ok());
    }
}
