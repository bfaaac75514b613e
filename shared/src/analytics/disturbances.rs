//! Disturbances by local hour and zone (a heat table), and the counts the daily report shows. Categories,
//! levels and counts only: no free text, no identities.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Period, ZoneRef, counts, created_ms, disturbance_category, zone_index_of, zone_refs};
use crate::calendar::local_date_hour;
use crate::report::Report;
use crate::site::Site;
use crate::vocab::{DisturbanceCategory, Intervention};

/// One zone-hour of the heat table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeatCell {
    pub count: u32,
    /// Disturbances at level 1 (akut), 2 and 3.
    pub levels: [u32; 3],
    /// Interventions, all kinds together.
    pub interventions: u32,
}

impl HeatCell {
    fn add(&mut self, level: u8, interventions: u32) {
        self.count += 1;
        if (1..=3).contains(&level) {
            self.levels[usize::from(level) - 1] += 1;
        }
        self.interventions += interventions;
    }
}

/// One zone's row: 24 local hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatRow {
    pub zone: ZoneRef,
    pub hours: Vec<HeatCell>,
    pub total: HeatCell,
}

/// Disturbances in the period by zone (rows, in the site's zone order) and local hour of day (columns).
/// A period of several days adds the same hours together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatTable {
    pub period: Period,
    pub rows: Vec<HeatRow>,
    /// Column totals per hour.
    pub by_hour: Vec<HeatCell>,
    /// The largest cell count, for scaling colours.
    pub max: u32,
}

/// A count of something, keyed by its wire code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted<T> {
    pub what: T,
    pub count: u32,
}

/// The period's disturbances as counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisturbanceSummary {
    pub total: u32,
    /// Level 1, 2, 3.
    pub by_level: [u32; 3],
    pub level1_by_category: Vec<Counted<DisturbanceCategory>>,
    pub by_category: Vec<Counted<DisturbanceCategory>>,
    pub interventions: Vec<Counted<Intervention>>,
    pub interventions_total: u32,
}

/// A disturbance report's level and interventions as they now are (after amendments), if it is one.
fn facts(r: &Report) -> Option<(u8, &BTreeMap<Intervention, u16>)> {
    Some((r.level()?, r.interventions()?))
}

fn in_period<'a>(
    r: &'a Report,
    period: &Period,
) -> Option<(DisturbanceCategory, u8, &'a BTreeMap<Intervention, u16>)> {
    let cat = disturbance_category(r)?;
    let (level, iv) = facts(r)?;
    (created_ms(r).is_some_and(|t| period.contains(t)) && counts(r)).then_some((cat, level, iv))
}

/// The heat table of disturbances by zone and hour.
pub fn disturbance_heat<'a>(
    site: &Site,
    reports: impl IntoIterator<Item = &'a Report>,
    period: &Period,
) -> HeatTable {
    let mut rows: Vec<HeatRow> = zone_refs(site)
        .into_iter()
        .map(|zone| HeatRow {
            zone,
            hours: vec![HeatCell::default(); 24],
            total: HeatCell::default(),
        })
        .collect();
    let mut by_hour = vec![HeatCell::default(); 24];
    for r in reports {
        let Some((_, level, iv)) = in_period(r, period) else {
            continue;
        };
        let Some(z) = zone_index_of(site, r) else {
            continue;
        };
        let t = created_ms(r).unwrap_or_default();
        let h = usize::from(local_date_hour(t).1);
        let n: u32 = iv.values().map(|v| u32::from(*v)).sum();
        rows[z].hours[h].add(level, n);
        rows[z].total.add(level, n);
        by_hour[h].add(level, n);
    }
    let max = rows
        .iter()
        .flat_map(|r| r.hours.iter().map(|c| c.count))
        .max()
        .unwrap_or(0);
    HeatTable {
        period: *period,
        rows,
        by_hour,
        max,
    }
}

/// The period's disturbances as counts by level, category and intervention.
pub fn disturbance_summary<'a>(
    reports: impl IntoIterator<Item = &'a Report>,
    period: &Period,
) -> DisturbanceSummary {
    let mut by_level = [0u32; 3];
    let mut l1: BTreeMap<DisturbanceCategory, u32> = BTreeMap::new();
    let mut cats: BTreeMap<DisturbanceCategory, u32> = BTreeMap::new();
    let mut ivs: BTreeMap<Intervention, u32> = BTreeMap::new();
    let mut total = 0;
    for r in reports {
        let Some((cat, level, iv)) = in_period(r, period) else {
            continue;
        };
        total += 1;
        if (1..=3).contains(&level) {
            by_level[usize::from(level) - 1] += 1;
        }
        if level == 1 {
            *l1.entry(cat).or_default() += 1;
        }
        *cats.entry(cat).or_default() += 1;
        for (k, v) in iv {
            *ivs.entry(*k).or_default() += u32::from(*v);
        }
    }
    let list = |m: BTreeMap<DisturbanceCategory, u32>| -> Vec<Counted<DisturbanceCategory>> {
        let mut v: Vec<_> = m
            .into_iter()
            .map(|(what, count)| Counted { what, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.what.cmp(&b.what)));
        v
    };
    let interventions: Vec<Counted<Intervention>> = ivs
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, count)| Counted { what, count })
        .collect();
    DisturbanceSummary {
        total,
        by_level,
        level1_by_category: list(l1),
        by_category: list(cats),
        interventions_total: interventions.iter().map(|c| c.count).sum(),
        interventions,
    }
}
