//! The weekly report: an ISO week (Monday to Sunday, Stockholm time) against the four weeks before it,
//! per day, per category, per zone, level-1 disturbances, and the cleaning items still open at the
//! week's end. Counts only, by the counting rules of [`crate::analytics`]; no free text, no one.

use serde::{Deserialize, Serialize};

use super::freshness::open_items;
use super::lagesbild::Metric;
use super::{
    cleaning_category, counts, created_ms, disturbance_category, event_times, zone_index_of,
};
use crate::calendar::{Date, local_date};
use crate::fold::State;
use crate::report::{Lww, Report, Resolution};
use crate::site::Site;
use crate::vocab::{CleaningCategory, DisturbanceCategory};

/// An ISO 8601 week: week 1 holds the year's first Thursday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u8,
}

impl IsoWeek {
    /// Parses `YYYY-Www` (`2026-W48`); a week 53 only in years that have one.
    pub fn parse(s: &str) -> Option<IsoWeek> {
        let (y, w) = s.trim().split_once("-W")?;
        let plain = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !plain(y, 4) || !plain(w, 2) {
            return None;
        }
        let week = IsoWeek {
            year: y.parse().ok()?,
            week: w.parse().ok()?,
        };
        (week.week >= 1 && week.monday().add_days(3).year == week.year).then_some(week)
    }

    /// The week's Monday.
    pub fn monday(self) -> Date {
        let jan4 = Date {
            year: self.year,
            month: 1,
            day: 4,
        };
        jan4.add_days(-i64::from(jan4.weekday()) + 7 * (i64::from(self.week) - 1))
    }

    /// The instants the week starts and ends (local midnights).
    pub fn bounds_ms(self) -> (i64, i64) {
        (
            self.monday().bounds_ms().0,
            self.monday().add_days(7).bounds_ms().0,
        )
    }
}

impl std::fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

/// A count in the week against the mean of the four weeks before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekCount {
    pub week: u32,
    /// The four previous weeks, latest first.
    pub previous: [u32; 4],
    pub usual: f64,
    /// `week - usual`.
    pub diff: f64,
}

impl WeekCount {
    fn from(row: [u32; 5]) -> WeekCount {
        let usual = f64::from(row[1..].iter().sum::<u32>()) / 4.0;
        WeekCount {
            week: row[0],
            previous: [row[1], row[2], row[3], row[4]],
            usual,
            diff: f64::from(row[0]) - usual,
        }
    }
}

/// One row of a weekly table: what it counts (a metric, a category code or a zone id) and the counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekRow<K> {
    pub what: K,
    pub count: WeekCount,
}

/// One day of the week: each metric, in [`Metric::ALL`] order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekDay {
    pub date: Date,
    pub counts: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weekly {
    pub site_id: String,
    pub site_name: String,
    pub week: IsoWeek,
    pub monday: Date,
    /// The moment open items are counted at: the week's end, or when the report was made if earlier.
    pub as_of_ms: i64,
    pub totals: Vec<WeekRow<Metric>>,
    pub days: Vec<WeekDay>,
    pub cleaning: Vec<WeekRow<CleaningCategory>>,
    pub disturbances: Vec<WeekRow<DisturbanceCategory>>,
    /// Level-1 disturbances by category.
    pub level1: Vec<WeekRow<DisturbanceCategory>>,
    /// Cleaning reports (with +1s) and disturbances per zone, in the site's order.
    pub zones_cleaning: Vec<WeekRow<String>>,
    pub zones_disturbances: Vec<WeekRow<String>>,
    pub open_at_end: u32,
    pub open_by_zone: Vec<(String, u32)>,
}

/// Which week (0 = this one, k = k weeks before) and, in this week, which day an instant falls on.
fn slot(t: i64, monday: i64) -> Option<(usize, Option<usize>)> {
    let d = local_date(t).days_since_epoch() - monday;
    match d {
        0..7 => Some((0, Some(d as usize))),
        -28..0 => Some((((-d - 1) / 7 + 1) as usize, None)),
        _ => None,
    }
}

fn rows<K: Clone>(keys: &[K], n: &[[u32; 5]]) -> Vec<WeekRow<K>> {
    keys.iter()
        .zip(n)
        .map(|(k, row)| WeekRow {
            what: k.clone(),
            count: WeekCount::from(*row),
        })
        .collect()
}

/// The rows with something in the week or in the four before.
fn keep<K>(rows: Vec<WeekRow<K>>) -> Vec<WeekRow<K>> {
    rows.into_iter()
        .filter(|r| r.count.week > 0 || r.count.usual > 0.0)
        .collect()
}

impl Weekly {
    /// The week's report from the state folded over the week and the four before, as of `now_ms`.
    pub fn build(site: &Site, state: &State, week: IsoWeek, now_ms: i64) -> Weekly {
        let monday = week.monday();
        let m0 = monday.days_since_epoch();
        let as_of = now_ms.min(week.bounds_ms().1);
        let (zc, dc) = (CleaningCategory::ALL, DisturbanceCategory::ALL);
        let mut totals = [[0u32; 5]; 6];
        let mut days = [[0u32; 6]; 7];
        let mut cleaning = vec![[0u32; 5]; zc.len()];
        let mut dist = vec![[0u32; 5]; dc.len()];
        let mut level1 = vec![[0u32; 5]; dc.len()];
        let mut zones_c = vec![[0u32; 5]; site.zones.len()];
        let mut zones_d = vec![[0u32; 5]; site.zones.len()];
        let mut add = |metric: usize, (w, d): (usize, Option<usize>), k: u32| {
            totals[metric][w] += k;
            if let Some(d) = d {
                days[d][metric] += k;
            }
        };
        let reports: Vec<&Report> = state.reports.values().filter(|r| counts(r)).collect();
        for r in &reports {
            let zone = zone_index_of(site, r);
            if let Some(cat) = cleaning_category(r) {
                let c = zc.iter().position(|x| *x == cat).unwrap_or(0);
                for s in event_times(r).filter_map(|t| slot(t, m0)) {
                    add(0, s, 1);
                    cleaning[c][s.0] += 1;
                    if let Some(z) = zone {
                        zones_c[z][s.0] += 1;
                    }
                }
                if let Some(Lww {
                    value: Resolution::Resolved,
                    stamp,
                }) = &r.resolution
                    && let Some(s) = slot(stamp.at, m0)
                {
                    add(1, s, 1);
                }
            } else if let Some(cat) = disturbance_category(r)
                && let Some(s) = created_ms(r).and_then(|t| slot(t, m0))
            {
                let c = dc.iter().position(|x| *x == cat).unwrap_or(0);
                let akut = r.level() == Some(1);
                add(2, s, 1);
                add(3, s, u32::from(akut));
                let iv: u32 = r
                    .interventions()
                    .into_iter()
                    .flatten()
                    .map(|(_, v)| u32::from(*v))
                    .sum();
                add(4, s, iv);
                dist[c][s.0] += 1;
                level1[c][s.0] += u32::from(akut);
                if let Some(z) = zone {
                    zones_d[z][s.0] += 1;
                }
            }
        }
        for run in state.runs.values() {
            if let Some(s) = run.started_ms.and_then(|t| slot(t, m0)) {
                add(5, s, 1);
            }
        }
        let open = open_items(site, reports.iter().copied(), as_of);
        let zone_ids: Vec<String> = site.zones.iter().map(|z| z.id.clone()).collect();
        Weekly {
            site_id: site.id.clone(),
            site_name: site.name.clone(),
            week,
            monday,
            as_of_ms: as_of,
            totals: rows(Metric::ALL, &totals),
            days: (0..7)
                .map(|d| WeekDay {
                    date: monday.add_days(d as i64),
                    counts: days[d].to_vec(),
                })
                .collect(),
            cleaning: keep(rows(zc, &cleaning)),
            disturbances: keep(rows(dc, &dist)),
            level1: keep(rows(dc, &level1)),
            zones_cleaning: rows(&zone_ids, &zones_c),
            zones_disturbances: rows(&zone_ids, &zones_d),
            open_at_end: open.total,
            open_by_zone: open.by_zone,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
#[path = "weekly_tests.rs"]
mod tests;
