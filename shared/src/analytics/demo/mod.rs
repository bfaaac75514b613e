//! A deterministic generator of plausible activity on a site, for tests, benchmarks, screenshots and the
//! fleet simulator: cleaners' reports and +1s, resolves, machine runs, guards' disturbances with counts,
//! cleaning tasks, and the manager's triage. Pure: the same seed gives the same operations.
//!
//! Not used by production code paths; it lives here so the server's and app's tests can share it.

mod reports;
mod rng;
mod runs;
pub mod stress;
pub mod tracks;

use geo::{Coord, InteriorPoint};
use uuid::Uuid;

pub use rng::SplitMix64;

use crate::analytics::lagesbild::StaffCount;
use crate::calendar::Date;
use crate::geometry::GeoPoint;
use crate::hlc::Hlc;
use crate::op::{OpBody, Operation};
use crate::site::Site;
use crate::vocab::Role;

const MS_PER_HOUR: i64 = 3_600_000;

/// How much to generate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DemoConfig {
    pub seed: u64,
    /// The first local day.
    pub start: Date,
    pub days: u32,
    /// Cleaning reports on an ordinary weekday (Fridays and Saturdays get more, Sundays fewer).
    pub cleaning_per_day: u32,
    /// Disturbances on an ordinary weekday.
    pub disturbances_per_day: u32,
}

impl DemoConfig {
    /// A busy site for a year: about 500,000 operations.
    pub fn busy_year(seed: u64, start: Date) -> Self {
        DemoConfig {
            seed,
            start,
            days: 365,
            cleaning_per_day: 520,
            disturbances_per_day: 14,
        }
    }

    /// A few busy weeks ending on (and including) `last`: enough history for the "usual".
    pub fn busy_weeks(seed: u64, last: Date, weeks: u32) -> Self {
        DemoConfig {
            seed,
            start: last.add_days(-(i64::from(weeks) * 7)),
            days: weeks * 7 + 1,
            cleaning_per_day: 520,
            disturbances_per_day: 14,
        }
    }
}

/// The demo's crew on a day (counts per role, as the lägesbild shows them).
pub fn staff() -> Vec<StaffCount> {
    vec![
        StaffCount {
            role: Role::Manager,
            count: 1,
        },
        StaffCount {
            role: Role::Guard,
            count: 2,
        },
        StaffCount {
            role: Role::Cleaner,
            count: 2,
        },
    ]
}

/// The demo's devices: two cleaners, two guards, one manager.
pub fn device(role: Role, n: u8) -> Uuid {
    let r = match role {
        Role::Cleaner => 1u128,
        Role::Guard => 2,
        Role::Manager => 3,
    };
    Uuid::from_u128(0xDE40_0000_0000_0000_0000_0000_0000_0000 | (r << 8) | u128::from(n))
}

/// Local hour weights for cleaning reports (lunch and evening peaks) and disturbances (evenings, nights).
const CLEAN_HOURS: [u32; 24] = [
    2, 1, 1, 0, 0, 0, 1, 3, 5, 5, 6, 8, 10, 9, 8, 9, 11, 12, 11, 9, 7, 5, 4, 3,
];
const DIST_HOURS: [u32; 24] = [
    6, 5, 3, 1, 0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9, 9, 9, 8, 7,
];

/// An operation before its device sequence and clock are set.
pub(super) struct Draft {
    pub(super) t: i64,
    pub(super) id: Uuid,
    device: Uuid,
    role: Role,
    pub(super) body: OpBody,
}

/// Where things happen: weighted centres (landmarks on or near the site weigh more than zone centres).
pub(super) struct Places {
    centres: Vec<(Coord<f64>, u32)>,
}

impl Places {
    fn of(site: &Site) -> Places {
        let mut centres: Vec<(Coord<f64>, u32)> = site
            .zones
            .iter()
            .filter_map(|z| z.polygon.interior_point().map(|p| (p.0, 1)))
            .collect();
        for l in &site.landmarks {
            let c = site.frame.to_local(l.at);
            if crate::analytics::near_site(site, c, 8.0) {
                centres.push((c, 3));
            }
        }
        Places { centres }
    }

    /// A point on the site near a weighted centre (spread about `spread_m`).
    pub(super) fn sample(&self, site: &Site, rng: &mut SplitMix64, spread_m: f64) -> GeoPoint {
        let weights: Vec<u32> = self.centres.iter().map(|c| c.1).collect();
        loop {
            let (c, _) = self.centres[rng.weighted(&weights)];
            let p = Coord {
                x: c.x + rng.normalish() * spread_m,
                y: c.y + rng.normalish() * spread_m,
            };
            if site.locate_local(p).is_ok() {
                return site.frame.from_local(p).rounded();
            }
        }
    }
}

fn day_factor(d: Date) -> f64 {
    match d.weekday() {
        4 | 5 => 1.3,
        6 => 0.7,
        _ => 1.0,
    }
}

/// Generates the operations, sorted by device and sequence.
pub fn generate(site: &Site, cfg: &DemoConfig) -> Vec<Operation> {
    let mut rng = SplitMix64::new(cfg.seed);
    let places = Places::of(site);
    let mut drafts: Vec<Draft> = Vec::new();
    for n in 0..cfg.days {
        let date = cfg.start.add_days(i64::from(n));
        let (from, to) = date.bounds_ms();
        let f = day_factor(date);
        let hour_t = |rng: &mut SplitMix64, weights: &[u32; 24]| -> i64 {
            let h = rng.weighted(weights) as i64;
            (from + h * MS_PER_HOUR + rng.below(MS_PER_HOUR as u64) as i64).min(to - 1)
        };
        for _ in 0..(f64::from(cfg.cleaning_per_day) * f) as u32 {
            let t = hour_t(&mut rng, &CLEAN_HOURS);
            reports::cleaning(site, &places, &mut rng, &mut drafts, t, None);
        }
        for _ in 0..(f64::from(cfg.disturbances_per_day) * f) as u32 {
            let t = hour_t(&mut rng, &DIST_HOURS);
            reports::disturbance(site, &places, &mut rng, &mut drafts, t);
        }
        runs::day_runs(site, &mut rng, &mut drafts, date);
    }
    finish(drafts)
}

pub(super) fn new_id(rng: &mut SplitMix64, t: i64) -> Uuid {
    let mut bytes = [0u8; 10];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes()[..2]);
    uuid::Builder::from_unix_timestamp_millis(t.max(0) as u64, &bytes).into_uuid()
}

pub(super) fn push(
    drafts: &mut Vec<Draft>,
    rng: &mut SplitMix64,
    t: i64,
    device: Uuid,
    role: Role,
    body: OpBody,
) -> Uuid {
    let id = new_id(rng, t);
    drafts.push(Draft {
        t,
        id,
        device,
        role,
        body,
    });
    id
}

/// Sorts by time and gives each device its sequence numbers and hybrid clock.
fn finish(mut drafts: Vec<Draft>) -> Vec<Operation> {
    drafts.sort_by_key(|d| (d.device, d.t, d.id));
    let mut out = Vec::with_capacity(drafts.len());
    let mut last: Option<(Uuid, u64, Hlc)> = None;
    for d in drafts {
        let (seq, hlc) = match last {
            Some((dev, seq, hlc)) if dev == d.device => (seq + 1, hlc.tick(d.t)),
            _ => (1, Hlc::new(d.t.max(0) as u64, 0)),
        };
        last = Some((d.device, seq, hlc));
        out.push(Operation {
            id: d.id,
            device: d.device,
            seq,
            hlc,
            wall_ms: d.t,
            role: d.role,
            body: d.body,
            fix: None,
        });
    }
    out
}
