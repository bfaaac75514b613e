//! Recurring hotspots: zone and hour-of-day combinations where cleaning reports come back week after week.
//!
//! Definition ("same weekday-hour"): for a local date D, each cleaning report event (a report or a +1) is
//! put in the slot (zone, local hour) of its day if that day is D or D minus 7, 14, 21 or 28 days (the same
//! weekday in each of the four previous weeks). A slot's "usual" is its mean count per week over those four
//! weeks; its "lift" is the usual over the mean usual of all zone-hour slots. A slot is a recurring hotspot
//! when it had events in at least `min_weeks` of the four weeks, its usual is at least `min_usual` and its
//! lift at least `min_lift` (e.g. 2: twice the average slot). Today's count is given beside it, so "as
//! usual", "worse" and "quiet today" can be read. Withdrawn reports and duplicates are left out.

use serde::{Deserialize, Serialize};

use super::{cleaning_category, counts, event_times, zone_index_of};
use crate::calendar::{Date, local_date_hour};
use crate::report::Report;
use crate::site::Site;

const WEEKS: usize = 4;
const MS_PER_DAY: i64 = 86_400_000;

/// A zone and hour that is a hotspot most weeks on this weekday.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecurringHotspot {
    pub zone_id: String,
    pub zone_name: String,
    /// Local hour of day, 0-23: the slot is [hour:00, hour+1:00).
    pub hour: u8,
    /// Events on the date itself.
    pub today: u32,
    /// In how many of the four previous same weekdays the slot had events.
    pub weeks_seen: u8,
    /// Mean events per week over the four previous same weekdays.
    pub usual: f64,
    /// The usual over the mean usual of all zone-hour slots.
    pub lift: f64,
}

/// The thresholds of a recurring hotspot.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecurringRule {
    pub min_weeks: u8,
    pub min_usual: f64,
    pub min_lift: f64,
}

impl Default for RecurringRule {
    /// Seen in 3 of 4 weeks, at least 2 a week, at least twice the average slot.
    fn default() -> Self {
        RecurringRule {
            min_weeks: 3,
            min_usual: 2.0,
            min_lift: 2.0,
        }
    }
}

/// The recurring hotspots for `date`, most usual first (ties: earlier hour, then zone order).
pub fn recurring_hotspots<'a>(
    site: &Site,
    reports: impl IntoIterator<Item = &'a Report>,
    date: Date,
    rule: RecurringRule,
) -> Vec<RecurringHotspot> {
    let nz = site.zones.len();
    // counts[week][zone][hour], week 0 = the date itself.
    let mut grid = vec![[0u32; 24]; (WEEKS + 1) * nz];
    let (day_from, day_to) = date.bounds_ms();
    let earliest = day_from - (WEEKS as i64 * 7 + 1) * MS_PER_DAY;
    let day0 = date.days_since_epoch();
    for r in reports {
        if cleaning_category(r).is_none() {
            continue;
        }
        let mut zone: Option<Option<usize>> = None;
        for t in event_times(r) {
            if t < earliest || t >= day_to {
                continue;
            }
            let (d, h) = local_date_hour(t);
            let diff = day0 - d.days_since_epoch();
            if diff < 0 || diff % 7 != 0 || diff / 7 > WEEKS as i64 {
                continue;
            }
            if !counts(r) {
                break;
            }
            let z = *zone.get_or_insert_with(|| zone_index_of(site, r));
            let Some(z) = z else { break };
            grid[(diff / 7) as usize * nz + z][h as usize] += 1;
        }
    }
    let past_total: u32 = grid[nz..].iter().flatten().sum();
    let mean_slot = f64::from(past_total) / (WEEKS * nz * 24) as f64;
    let mut out = Vec::new();
    for (zi, zone) in site.zones.iter().enumerate() {
        for (hour, today) in grid[zi].iter().enumerate() {
            let past: Vec<u32> = (1..=WEEKS).map(|w| grid[w * nz + zi][hour]).collect();
            let weeks_seen = past.iter().filter(|n| **n > 0).count() as u8;
            let usual = f64::from(past.iter().sum::<u32>()) / WEEKS as f64;
            let lift = if mean_slot > 0.0 {
                usual / mean_slot
            } else {
                0.0
            };
            if weeks_seen >= rule.min_weeks && usual >= rule.min_usual && lift >= rule.min_lift {
                out.push(RecurringHotspot {
                    zone_id: zone.id.clone(),
                    zone_name: zone.name.clone(),
                    hour: hour as u8,
                    today: *today,
                    weeks_seen,
                    usual,
                    lift,
                });
            }
        }
    }
    out.sort_by(|a, b| b.usual.total_cmp(&a.usual).then(a.hour.cmp(&b.hour)));
    out
}
