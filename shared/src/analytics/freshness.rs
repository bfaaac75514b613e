//! Freshness per zone (when data last came from it, so "no data" does not read as "quiet") and the open
//! cleaning items by age.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{cleaning_category, created_ms, event_times, hours_between, is_task, zone_index_of};
use crate::report::{Report, Run, Status};
use crate::site::Site;
use crate::vocab::CleaningCategory;

/// How far back freshness looks (ms): older data reads as "none in the last 14 days".
pub const FRESHNESS_LOOKBACK_MS: i64 = 14 * 86_400_000;

/// When data last came from a zone, as of `now`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneFreshness {
    pub zone_id: String,
    pub zone_name: String,
    /// The latest report or +1 (any kind) in the zone.
    pub last_report_ms: Option<i64>,
    /// The latest machine-run point in the zone.
    pub last_run_ms: Option<i64>,
    /// The later of the two.
    pub last_ms: Option<i64>,
    pub age_h: Option<f64>,
}

/// Per zone, the latest report (any kind, withdrawn ones left out) and run point at or before `now_ms`,
/// within the last 14 days.
pub fn freshness<'a>(
    site: &Site,
    reports: impl IntoIterator<Item = &'a Report>,
    runs: &[&Run],
    now_ms: i64,
) -> Vec<ZoneFreshness> {
    let from = now_ms - FRESHNESS_LOOKBACK_MS;
    let mut last_rep: Vec<Option<i64>> = vec![None; site.zones.len()];
    for r in reports {
        if r.status() == Status::Withdrawn {
            continue;
        }
        let latest = event_times(r).filter(|t| (from..=now_ms).contains(t)).max();
        if let Some(t) = latest
            && let Some(z) = zone_index_of(site, r)
        {
            last_rep[z] = last_rep[z].max(Some(t));
        }
    }
    let last_run = super::coverage::last_cleaned(site, runs, now_ms);
    site.zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let last_ms = last_rep[i].max(last_run[i]);
            ZoneFreshness {
                zone_id: z.id.clone(),
                zone_name: z.name.clone(),
                last_report_ms: last_rep[i],
                last_run_ms: last_run[i],
                last_ms,
                age_h: last_ms.map(|t| hours_between(t, now_ms)),
            }
        })
        .collect()
}

/// An open cleaning report or task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenItem {
    pub id: Uuid,
    pub zone_id: Option<String>,
    pub category: CleaningCategory,
    pub created_ms: i64,
    pub age_h: f64,
    /// Reported once plus its +1s.
    pub count: u32,
    /// Asked for by a guard or the manager.
    pub task: bool,
}

/// A bucket of open items by age.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgeBucket {
    /// Swedish label, e.g. "1–4 h".
    pub label: String,
    /// Ages in hours `[min_h, max_h)`; `None` is open-ended.
    pub min_h: f64,
    pub max_h: Option<f64>,
    pub count: u32,
    pub tasks: u32,
}

/// Open cleaning items as of `now`: by age bucket, by zone, and one by one (oldest first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenItems {
    pub total: u32,
    pub buckets: Vec<AgeBucket>,
    /// Per zone in the site's order: (zone id, open items).
    pub by_zone: Vec<(String, u32)>,
    pub items: Vec<OpenItem>,
}

const BUCKETS: &[(&str, f64, Option<f64>)] = &[
    ("< 1 h", 0.0, Some(1.0)),
    ("1–4 h", 1.0, Some(4.0)),
    ("4–24 h", 4.0, Some(24.0)),
    ("1–7 dygn", 24.0, Some(168.0)),
    ("> 7 dygn", 168.0, None),
];

/// Cleaning reports and tasks that are open (not resolved, duplicate or withdrawn) and made by `now_ms`.
pub fn open_items<'a>(
    site: &Site,
    reports: impl IntoIterator<Item = &'a Report>,
    now_ms: i64,
) -> OpenItems {
    let mut buckets: Vec<AgeBucket> = BUCKETS
        .iter()
        .map(|(label, min_h, max_h)| AgeBucket {
            label: (*label).to_owned(),
            min_h: *min_h,
            max_h: *max_h,
            count: 0,
            tasks: 0,
        })
        .collect();
    let mut by_zone: Vec<(String, u32)> = site.zones.iter().map(|z| (z.id.clone(), 0)).collect();
    let mut items = Vec::new();
    for r in reports {
        if r.status() != Status::Open {
            continue;
        }
        let (Some(category), Some(created)) = (cleaning_category(r), created_ms(r)) else {
            continue;
        };
        if created > now_ms {
            continue;
        }
        let age_h = (now_ms - created) as f64 / 3_600_000.0;
        let task = is_task(r);
        if let Some(b) = buckets
            .iter_mut()
            .find(|b| age_h >= b.min_h && b.max_h.is_none_or(|m| age_h < m))
        {
            b.count += 1;
            b.tasks += u32::from(task);
        }
        let zi = zone_index_of(site, r);
        if let Some(z) = zi {
            by_zone[z].1 += 1;
        }
        items.push(OpenItem {
            id: r.id,
            zone_id: zi.map(|z| site.zones[z].id.clone()),
            category,
            created_ms: created,
            age_h: hours_between(created, now_ms),
            count: r.count() as u32,
            task,
        });
    }
    items.sort_by_key(|i| (i.created_ms, i.id));
    OpenItems {
        total: items.len() as u32,
        buckets,
        by_zone,
        items,
    }
}
