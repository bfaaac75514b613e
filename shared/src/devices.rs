//! Who is out there: each phone's last contact with the server and the one rule that calls a phone
//! "silent" (tyst). The server evaluates it for `GET /v1/review/devices` (the wire types here) and the
//! manager's "Telefoner" view shows what it said.
//!
//! The rule, with time as an argument:
//! - **in contact**: the server heard from the phone within the last [`SILENT_AFTER_MS`] (1 h);
//! - **silent**: it was in use during the current shift (its last contact is within the last
//!   [`SHIFT_MS`], 12 h, the longest shift) but has not been in contact for more than an hour. A phone
//!   that stopped talking in the middle of a shift is the one the manager should look for;
//! - **away** (borta): last contact more than 12 h ago: not in use this shift, listed last;
//! - **never**: enrolled but never synced; **revoked**: its token no longer works.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::timefix::CLOCK_TOLERANCE_MS;
use crate::vocab::Role;

/// Without contact for longer than this, a phone in use this shift is silent.
pub const SILENT_AFTER_MS: i64 = 3_600_000;
/// A phone whose last contact is this recent was in use during the current shift (12 h: the longest
/// shift; a phone last heard from yesterday is not in use, so not silent).
pub const SHIFT_MS: i64 = 12 * 3_600_000;

/// What the rule says of one phone at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    /// In use this shift, but not heard from for more than an hour.
    Silent,
    /// Heard from within the hour.
    InContact,
    /// Enrolled, never synced.
    Never,
    /// Not heard from this shift: not in use.
    Away,
    /// Its token was revoked.
    Revoked,
}

impl DeviceStatus {
    /// The rule (see the module): `last_contact_ms` by the server's clock, `now_ms` the same clock.
    pub fn at(now_ms: i64, last_contact_ms: Option<i64>, revoked: bool) -> DeviceStatus {
        if revoked {
            return DeviceStatus::Revoked;
        }
        let Some(last) = last_contact_ms else {
            return DeviceStatus::Never;
        };
        let age = now_ms.saturating_sub(last);
        if age <= SILENT_AFTER_MS {
            DeviceStatus::InContact
        } else if age <= SHIFT_MS {
            DeviceStatus::Silent
        } else {
            DeviceStatus::Away
        }
    }

    /// The stable code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            DeviceStatus::Silent => "silent",
            DeviceStatus::InContact => "in_contact",
            DeviceStatus::Never => "never",
            DeviceStatus::Away => "away",
            DeviceStatus::Revoked => "revoked",
        }
    }

    /// Listing order: silent phones first, then those in contact, then the rest.
    fn rank(self) -> u8 {
        match self {
            DeviceStatus::Silent => 0,
            DeviceStatus::InContact => 1,
            DeviceStatus::Never => 2,
            DeviceStatus::Away => 3,
            DeviceStatus::Revoked => 4,
        }
    }
}

/// Whether a measured clock offset is worth showing: beyond the tolerance the server corrects.
pub fn clock_is_off(offset_ms: Option<i64>) -> bool {
    offset_ms.is_some_and(|o| o.abs() > CLOCK_TOLERANCE_MS)
}

/// One enrolled phone as `GET /v1/review/devices` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    /// When the server last heard from it (its own clock, ms since the epoch); none if never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_contact_ms: Option<i64>,
    /// Its own operations not yet acknowledged when it last said (its outbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<u64>,
    /// The app version it last said it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// Its clock minus the server's, as last measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_offset_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoked: bool,
    /// [`DeviceStatus::at`] at the server's `now_ms`.
    pub status: DeviceStatus,
}

impl DeviceInfo {
    /// How long it has been silent at `now_ms` (only for a silent phone).
    pub fn silent_for_ms(&self, now_ms: i64) -> Option<i64> {
        (self.status == DeviceStatus::Silent)
            .then_some(self.last_contact_ms)
            .flatten()
            .map(|last| now_ms.saturating_sub(last))
    }
}

/// The answer of `GET /v1/review/devices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevicesResponse {
    /// The server's clock when it answered: the instant the statuses hold at.
    pub now_ms: i64,
    /// Silent phones first (longest silent first), then by status, then the latest contact first.
    pub devices: Vec<DeviceInfo>,
}

/// Puts devices in listing order (see [`DevicesResponse::devices`]).
pub fn sort_for_listing(devices: &mut [DeviceInfo]) {
    devices.sort_by(|a, b| {
        a.status
            .rank()
            .cmp(&b.status.rank())
            .then_with(|| match a.status {
                // Longest silent first, i.e. the oldest contact.
                DeviceStatus::Silent => a.last_contact_ms.cmp(&b.last_contact_ms),
                _ => b.last_contact_ms.cmp(&a.last_contact_ms),
            })
            .then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;
    const MIN: i64 = 60_000;

    fn info(name: &str, last: Option<i64>, revoked: bool) -> DeviceInfo {
        DeviceInfo {
            id: Uuid::from_u128(name.len() as u128),
            name: name.into(),
            role: Role::Cleaner,
            last_contact_ms: last,
            pending: None,
            app: None,
            clock_offset_ms: None,
            revoked,
            status: DeviceStatus::at(NOW, last, revoked),
        }
    }

    #[test]
    fn silent_is_in_use_this_shift_but_quiet_for_over_an_hour() {
        let at = |ago: i64| DeviceStatus::at(NOW, Some(NOW - ago), false);
        assert_eq!(at(5 * MIN), DeviceStatus::InContact);
        assert_eq!(at(60 * MIN), DeviceStatus::InContact);
        assert_eq!(at(60 * MIN + 1), DeviceStatus::Silent);
        assert_eq!(at(2 * 60 * MIN), DeviceStatus::Silent);
        assert_eq!(at(12 * 60 * MIN), DeviceStatus::Silent);
        assert_eq!(at(12 * 60 * MIN + 1), DeviceStatus::Away);
        assert_eq!(at(3 * 24 * 60 * MIN), DeviceStatus::Away);
        // A phone whose clock (and so contact) is ahead of the server's is in contact, not "silent".
        assert_eq!(at(-10 * MIN), DeviceStatus::InContact);
    }

    #[test]
    fn never_synced_and_revoked_are_their_own() {
        assert_eq!(DeviceStatus::at(NOW, None, false), DeviceStatus::Never);
        assert_eq!(
            DeviceStatus::at(NOW, Some(NOW - 2 * 60 * MIN), true),
            DeviceStatus::Revoked
        );
    }

    #[test]
    fn listing_puts_the_longest_silent_first_and_the_away_last() {
        let mut list = vec![
            info("borta", Some(NOW - 3 * 24 * 60 * MIN), false),
            info("nyss", Some(NOW - 5 * MIN), false),
            info("tyst2h", Some(NOW - 120 * MIN), false),
            info("aldrig", None, false),
            info("tyst5h", Some(NOW - 300 * MIN), false),
            info("spärrad", Some(NOW - MIN), true),
        ];
        sort_for_listing(&mut list);
        let names: Vec<&str> = list.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["tyst5h", "tyst2h", "nyss", "aldrig", "borta", "spärrad"]
        );
        assert_eq!(list[1].silent_for_ms(NOW), Some(120 * MIN));
        assert_eq!(list[2].silent_for_ms(NOW), None);
    }

    #[test]
    fn a_clock_is_off_beyond_the_tolerance() {
        assert!(!clock_is_off(None));
        assert!(!clock_is_off(Some(CLOCK_TOLERANCE_MS)));
        assert!(clock_is_off(Some(-CLOCK_TOLERANCE_MS - 1)));
    }

    #[test]
    fn codes_match_the_wire() {
        for s in [
            DeviceStatus::Silent,
            DeviceStatus::InContact,
            DeviceStatus::Never,
            DeviceStatus::Away,
            DeviceStatus::Revoked,
        ] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
    }
}
