//! The bounds of the command line's numbers, checked while clap parses them, so that nothing computed from
//! a flag can overflow or panic: `enroll --valid-hours 1e300` overflowed the expiry and
//! `serve --purge-every-hours 1e300` panicked in `Duration::from_secs_f64`. A number out of its range is
//! a usage error (exit code 2) that names the range; docs/PROTOCOL.md lists them.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{RangedI64ValueParser, RangedU64ValueParser};

/// `enroll --valid-hours`: more than 0, at most 30 days. A code is for a device being set up soon.
pub const MAX_VALID_HOURS: f64 = 720.0;
/// `serve --purge-every-hours`: at least 36 seconds, at most 30 days.
pub const MIN_PURGE_EVERY_HOURS: f64 = 0.01;
pub const MAX_PURGE_EVERY_HOURS: f64 = 720.0;
/// `--retention-days`: at most ten years.
pub const MAX_RETENTION_DAYS: i64 = 3650;
/// `serve --max-body-bytes`: 1 KiB to 64 MiB, the most of a body the server ever reads
/// ([`crate::body`] drains no further).
pub const MIN_BODY_BYTES: u64 = 1024;
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// `serve --max-ops`: at most a million operations in one push.
pub const MAX_OPS: u64 = 1_000_000;
/// `demo --cleaning-per-day` and `--disturbances-per-day`: at most 10,000 a day.
pub const MAX_PER_DAY: i64 = 10_000;
/// `serve --header-timeout-secs`: 1 s to 10 minutes.
pub const MAX_HEADER_TIMEOUT_SECS: u64 = 600;
/// `serve --body-timeout-secs`: 1 s to an hour.
pub const MAX_BODY_TIMEOUT_SECS: u64 = 3600;

/// `--photos-dir`: the longest path accepted (Linux's `PATH_MAX`).
pub const MAX_PATH_BYTES: usize = 4096;

/// Parses `--photos-dir`: a path that is not empty, not too long, and not an existing file.
pub fn photos_dir(s: &str) -> Result<PathBuf, String> {
    if s.trim().is_empty() || s.len() > MAX_PATH_BYTES {
        return Err(format!(
            "give a directory path of 1 to {MAX_PATH_BYTES} bytes"
        ));
    }
    let path = PathBuf::from(s);
    if path.exists() && !path.is_dir() {
        return Err(format!("'{s}' exists and is not a directory"));
    }
    Ok(path)
}

/// A number of hours that `ok` accepts; the message says which.
fn hours(s: &str, ok: impl Fn(f64) -> bool, range: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(h) if ok(h) => Ok(h),
        _ => Err(format!("'{s}' hours: give {range}")),
    }
}

/// Parses `--valid-hours`.
pub fn valid_hours(s: &str) -> Result<f64, String> {
    hours(
        s,
        |h| h > 0.0 && h <= MAX_VALID_HOURS,
        "more than 0 and at most 720 (30 days)",
    )
}

/// Parses `--purge-every-hours`.
pub fn purge_every_hours(s: &str) -> Result<f64, String> {
    hours(
        s,
        |h| (MIN_PURGE_EVERY_HOURS..=MAX_PURGE_EVERY_HOURS).contains(&h),
        "at least 0.01 (36 seconds) and at most 720 (30 days)",
    )
}

/// A checked number of hours as a duration; `None` only for what the parsers above refuse.
pub fn hours_duration(h: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(h * 3600.0).ok()
}

/// `--retention-days` from `min` (0 where 0 means "keep", 1 where a purge is asked for).
pub fn retention_days(min: i64) -> RangedI64ValueParser<u32> {
    RangedI64ValueParser::new().range(min..=MAX_RETENTION_DAYS)
}

/// `--max-body-bytes`.
pub fn body_bytes() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(MIN_BODY_BYTES..=MAX_BODY_BYTES)
}

/// `--max-ops`.
pub fn max_ops() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=MAX_OPS)
}

/// The demo's reports a day.
pub fn per_day() -> RangedI64ValueParser<u32> {
    RangedI64ValueParser::new().range(0..=MAX_PER_DAY)
}

/// `--header-timeout-secs`.
pub fn header_timeout_secs() -> RangedU64ValueParser<u64> {
    RangedU64ValueParser::new().range(1..=MAX_HEADER_TIMEOUT_SECS)
}

/// `--body-timeout-secs`.
pub fn body_timeout_secs() -> RangedU64ValueParser<u64> {
    RangedU64ValueParser::new().range(1..=MAX_BODY_TIMEOUT_SECS)
}
