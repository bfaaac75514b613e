//! The daily situational report (lägesbild) as data: what the platsansvarig sends the partners.
//!
//! No personal data: staff are counts per role, disturbances are counts by level, category and
//! intervention, and no free text is included.

use serde::{Deserialize, Serialize};

use super::coverage::{covered_by_kind, shapes_of, zone_shares};
use super::disturbances::{DisturbanceSummary, HeatTable, disturbance_heat, disturbance_summary};
use super::freshness::{AgeBucket, ZoneFreshness, freshness, open_items};
use super::hotspots::{CELL_M, HotspotCell, hotspot_grid};
use super::recurring::{RecurringHotspot, RecurringRule, recurring_hotspots};
use super::{CoverageShape, Period, ZoneCoverage, cleaning_category, counts, created_ms};
use super::{disturbance_category, event_times};
use crate::calendar::{Date, local_date};
use crate::fold::State;
use crate::report::{Lww, Report, Resolution, Run, Status};
use crate::site::Site;
use crate::vocab::Role;

/// How many people of a role were on duty (enrolled devices active that day). No names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCount {
    pub role: Role,
    pub count: u32,
}

/// What the caller passes besides the site and state.
#[derive(Clone, Debug, PartialEq)]
pub struct LagesbildInput {
    pub date: Date,
    /// When the report is made; ages and freshness are as of the earlier of this and the day's end.
    pub now_ms: i64,
    pub staff: Vec<StaffCount>,
    /// Zones without a machine run in this many hours are flagged.
    pub stale_after_h: f64,
    pub top_n: usize,
}

impl LagesbildInput {
    pub fn new(date: Date, now_ms: i64, staff: Vec<StaffCount>) -> Self {
        LagesbildInput {
            date,
            now_ms,
            staff,
            stale_after_h: 24.0,
            top_n: 5,
        }
    }
}

/// What a total counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Cleaning reports and their +1s.
    CleaningReports,
    /// Cleaning reports resolved (cleaned).
    Resolved,
    Disturbances,
    Level1,
    Interventions,
    MachineRuns,
}

impl Metric {
    pub const ALL: &'static [Metric] = &[
        Metric::CleaningReports,
        Metric::Resolved,
        Metric::Disturbances,
        Metric::Level1,
        Metric::Interventions,
        Metric::MachineRuns,
    ];

    pub fn label_sv(self) -> &'static str {
        match self {
            Metric::CleaningReports => "Städrapporter (inkl. +1)",
            Metric::Resolved => "Åtgärdade städrapporter",
            Metric::Disturbances => "Störningar",
            Metric::Level1 => "varav nivå 1 (akut)",
            Metric::Interventions => "Ingripanden",
            Metric::MachineRuns => "Maskinrundor",
        }
    }
}

/// A day's total against the usual: the mean of the same weekday in the four previous weeks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Total {
    pub metric: Metric,
    pub today: u32,
    pub usual: f64,
    /// The four previous same weekdays, latest first.
    pub previous: [u32; 4],
}

/// The daily situational report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lagesbild {
    pub site_id: String,
    pub site_name: String,
    pub attribution: String,
    pub date: Date,
    pub period: Period,
    /// The moment ages and freshness are measured at.
    pub as_of_ms: i64,
    pub staff: Vec<StaffCount>,
    pub totals: Vec<Total>,
    pub hotspot_cell_m: f64,
    pub top_hotspots: Vec<HotspotCell>,
    pub recurring: Vec<RecurringHotspot>,
    pub coverage: Vec<ZoneCoverage>,
    pub coverage_shapes: Vec<CoverageShape>,
    pub stale_after_h: f64,
    pub open_total: u32,
    pub open_by_age: Vec<AgeBucket>,
    pub open_by_zone: Vec<(String, u32)>,
    pub disturbances: DisturbanceSummary,
    pub disturbance_heat: HeatTable,
    pub freshness: Vec<ZoneFreshness>,
    /// Reports made that day (and not withdrawn or duplicates) with at least one photo. The report counts
    /// photos and shows none.
    #[serde(default)]
    pub reports_with_photos: u32,
}

impl Lagesbild {
    /// Builds the report for `input.date` from the folded state.
    pub fn build(site: &Site, state: &State, input: &LagesbildInput) -> Lagesbild {
        let period = Period::day(input.date);
        let as_of = input.now_ms.min(period.to_ms);
        let reports = relevant_reports(state, input.date, as_of);
        let runs: Vec<&Run> = state.runs.values().collect();
        let covered = covered_by_kind(site, &runs, &period);
        let hot = hotspot_grid(site, reports.iter().copied(), &period, CELL_M, None);
        let open = open_items(site, reports.iter().copied(), as_of);
        Lagesbild {
            site_id: site.id.clone(),
            site_name: site.name.clone(),
            attribution: site.attribution.clone(),
            date: input.date,
            period,
            as_of_ms: as_of,
            staff: input.staff.clone(),
            totals: totals(&reports, &runs, input.date),
            hotspot_cell_m: CELL_M,
            top_hotspots: hot.top(input.top_n),
            recurring: recurring_hotspots(
                site,
                reports.iter().copied(),
                input.date,
                RecurringRule::default(),
            ),
            coverage: zone_shares(site, &covered, &runs, as_of, input.stale_after_h),
            coverage_shapes: shapes_of(&covered),
            stale_after_h: input.stale_after_h,
            open_total: open.total,
            open_by_age: open.buckets,
            open_by_zone: open.by_zone,
            disturbances: disturbance_summary(reports.iter().copied(), &period),
            disturbance_heat: disturbance_heat(site, reports.iter().copied(), &period),
            freshness: freshness(site, reports.iter().copied(), &runs, as_of),
            reports_with_photos: with_photos(&reports, &period),
        }
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The reports any part of the report needs, in one pass over the state: those with an event or a
/// resolution from four weeks and a day before the date up to the day's end or `as_of`, and all open ones.
fn relevant_reports(state: &State, date: Date, as_of: i64) -> Vec<&Report> {
    let (day_from, day_to) = date.bounds_ms();
    let window = Period::new(day_from - 29 * 86_400_000, day_to.max(as_of) + 1);
    let resolved_in = |r: &Report| {
        r.resolution
            .as_ref()
            .is_some_and(|l| window.contains(l.stamp.at))
    };
    state
        .reports
        .values()
        .filter(|r| {
            r.is_known()
                && (event_times(r).any(|t| window.contains(t))
                    || resolved_in(r)
                    || r.status() == Status::Open)
        })
        .collect()
}

/// How many reports made in `period` that count carry at least one photo.
fn with_photos(reports: &[&Report], period: &Period) -> u32 {
    let n = reports
        .iter()
        .filter(|r| {
            counts(r) && !r.photos.is_empty() && created_ms(r).is_some_and(|t| period.contains(t))
        })
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Which of the five days (0 = the date, k = k weeks before) an instant falls on, if any.
fn slot(t: i64, day0: i64, window: &Period) -> Option<usize> {
    if !window.contains(t) {
        return None;
    }
    let diff = day0 - local_date(t).days_since_epoch();
    (diff >= 0 && diff % 7 == 0 && diff <= 28).then_some((diff / 7) as usize)
}

/// Each metric on the date and on the same weekday of the four previous weeks, in one pass.
fn totals(reports: &[&Report], runs: &[&Run], date: Date) -> Vec<Total> {
    let window = Period::new(date.add_days(-28).bounds_ms().0, date.bounds_ms().1);
    let day0 = date.days_since_epoch();
    let mut n = [[0u32; 5]; 6];
    for r in reports.iter().filter(|r| counts(r)) {
        if cleaning_category(r).is_some() {
            for t in event_times(r) {
                if let Some(s) = slot(t, day0, &window) {
                    n[0][s] += 1;
                }
            }
            if let Some(Lww {
                value: Resolution::Resolved,
                stamp,
            }) = &r.resolution
                && let Some(s) = slot(stamp.at, day0, &window)
            {
                n[1][s] += 1;
            }
        } else if disturbance_category(r).is_some()
            && let Some(s) = created_ms(r).and_then(|t| slot(t, day0, &window))
        {
            n[2][s] += 1;
            n[3][s] += u32::from(r.level() == Some(1));
            n[4][s] += r
                .interventions()
                .into_iter()
                .flatten()
                .map(|(_, v)| u32::from(*v))
                .sum::<u32>();
        }
    }
    for run in runs {
        if let Some(s) = run.started_ms.and_then(|t| slot(t, day0, &window)) {
            n[5][s] += 1;
        }
    }
    Metric::ALL
        .iter()
        .zip(n)
        .map(|(m, row)| Total {
            metric: *m,
            today: row[0],
            usual: f64::from(row[1..].iter().sum::<u32>()) / 4.0,
            previous: [row[1], row[2], row[3], row[4]],
        })
        .collect()
}
