//! The shift handover: at the end of a shift the app drafts what the next shift of the same role must
//! know (open items by zone and age, open cleaning tasks, zones no machine has been in for hours, level-1
//! events), the person adds a short note, and it is handed over as an operation of its own, synced like
//! every other. It holds counts and zone ids only: never who, as everywhere.
//!
//! The draft is computed here, purely, from the phone's folded state, so the app and its tests agree on
//! what a shift leaves behind.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analytics::{cleaning_category, counts, is_task, zone_index_of};
use crate::fold::State;
use crate::report::{ReportBody, Status};
use crate::site::Site;

/// The most zones a handover lists (a site has a handful).
pub const MAX_HANDOVER_ZONES: usize = 64;

/// What a shift hands over.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    /// When the shift began (the phone's wall clock, ms).
    pub shift_from: i64,
    /// The person's words for the next shift (the same warning and length limit as every note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub summary: HandoverSummary,
}

/// Open items of one zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneOpen {
    pub zone: String,
    pub count: u32,
    /// How old the oldest open item is, in whole hours.
    pub oldest_h: u32,
}

/// The state of the site as the shift leaves it, as the person saw it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverSummary {
    /// Open cleaning reports by zone (zones without any left out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open: Vec<ZoneOpen>,
    /// Cleaning tasks asked for by guards or the manager and not done.
    #[serde(default)]
    pub open_tasks: u32,
    /// Zones no machine has been in for `not_cleaned_h` hours.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_cleaned: Vec<String>,
    #[serde(default)]
    pub not_cleaned_h: u32,
    /// Disturbances during the shift, and how many of them were level 1 (akut).
    #[serde(default)]
    pub disturbances: u32,
    #[serde(default)]
    pub level1: u32,
}

impl HandoverSummary {
    /// Whether its lists are within bounds (what validation checks).
    pub fn is_bounded(&self) -> bool {
        self.open.len() <= MAX_HANDOVER_ZONES && self.not_cleaned.len() <= MAX_HANDOVER_ZONES
    }
}

/// Drafts the summary of a shift from `shift_from` to `now_ms`: open cleaning reports by zone with
/// the age of the oldest, open tasks, the zones `last_cleaned` (per zone index, as
/// `analytics::coverage::last_cleaned` gives it) says no machine was in for `stale_h` hours, and the
/// shift's disturbances. `with_disturbances` is false for a cleaner (a cleaner's phone holds none).
pub fn draft_summary(
    site: &Site,
    state: &State,
    last_cleaned: &[Option<i64>],
    shift_from: i64,
    now_ms: i64,
    stale_h: u32,
) -> HandoverSummary {
    let mut open: BTreeMap<usize, (u32, i64)> = BTreeMap::new();
    let mut s = HandoverSummary {
        not_cleaned_h: stale_h,
        ..HandoverSummary::default()
    };
    for r in state.known_reports().filter(|r| counts(r)) {
        match &r.body {
            Some(ReportBody::Cleaning { .. }) if r.status() == Status::Open => {
                if is_task(r) {
                    s.open_tasks += 1;
                }
                if cleaning_category(r).is_some()
                    && let Some(z) = zone_index_of(site, r)
                {
                    let made = r.when_ms().unwrap_or(now_ms);
                    let e = open.entry(z).or_insert((0, made));
                    e.0 += 1;
                    e.1 = e.1.min(made);
                }
            }
            Some(ReportBody::Disturbance(_)) => {
                // What happened in the shift, and what was logged in it (a report may tell of
                // something a quarter of an hour before the shift began).
                let when = r.when_ms().unwrap_or(i64::MIN);
                let logged = r.origin.as_ref().map_or(i64::MIN, |o| o.stamp.at);
                let shift = shift_from..=now_ms;
                if shift.contains(&when) || shift.contains(&logged) {
                    s.disturbances += 1;
                    s.level1 += u32::from(r.level() == Some(1));
                }
            }
            _ => {}
        }
    }
    s.open = open
        .into_iter()
        .map(|(z, (count, oldest))| ZoneOpen {
            zone: site.zones[z].id.clone(),
            count,
            oldest_h: (now_ms.saturating_sub(oldest).max(0) / 3_600_000) as u32,
        })
        .collect();
    let stale_ms = i64::from(stale_h) * 3_600_000;
    s.not_cleaned = site
        .zones
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            last_cleaned
                .get(*i)
                .copied()
                .flatten()
                .is_none_or(|t| now_ms.saturating_sub(t) > stale_ms)
        })
        .map(|(_, z)| z.id.clone())
        .collect();
    s
}
