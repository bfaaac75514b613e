//! The coverage's error against GPS noise, for BENCHMARKS.md: a skurmaskin driving lanes its width apart
//! over all of zone Z3 (63 × 22 m) and over its lower half, and one parked ten minutes in Z2, a fix a second
//! at 1 m/s, sent with Gaussian noise per axis (that accuracy reported, at least 1 m) and 40 m outliers;
//! and the zones no run entered that outliers landed in. The truth is the coverage of the noise-free path.
//! Each case is run over eight seeds: the mean share, and the worst error in percentage points.
//!
//! Run: `cargo run -p torgkoll-shared --example coverage_noise --release`

use geo::InteriorPoint;
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::coverage::zone_coverage;
use torgkoll_shared::analytics::demo::SplitMix64;
use torgkoll_shared::analytics::demo::stress::points_run;
use torgkoll_shared::analytics::demo::tracks::{self, GpsNoise, TruePoint};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::track::filter_track;
use torgkoll_shared::{MachineKind, Site, State, TrackPoint};

const T0: i64 = 1_795_000_000_000;
const KIND: MachineKind = MachineKind::Skurmaskin;
const SEEDS: u64 = 8;

/// Each zone's covered share (%) by one run of these points.
fn shares(site: &Site, points: &[TrackPoint]) -> Vec<f64> {
    let state = State::fold(&points_run(KIND, 1, T0 - 1_000, points));
    let runs: Vec<_> = state.runs.values().collect();
    let day = Period::new(T0 - 3_600_000, T0 + 20 * 3_600_000);
    zone_coverage(site, &runs, &day, day.to_ms, 24.0)
        .iter()
        .map(|z| z.share * 100.0)
        .collect()
}

fn filtered(site: &Site, points: &[TrackPoint]) -> Vec<TrackPoint> {
    filter_track(site, KIND, points.iter().copied())
}

/// The zones (indices) with no truth that the fixes more than 30 m off their true position landed in.
fn outlier_zones(
    site: &Site,
    path: &[TruePoint],
    fixes: &[TrackPoint],
    truth: &[f64],
) -> Vec<usize> {
    let mut zones: Vec<usize> = fixes
        .iter()
        .filter_map(|p| {
            let (c, _) = path.iter().find(|q| q.1 == p.t)?;
            let off = site.frame.to_local(p.at) - *c;
            let z = site.locate(p.at).ok()?;
            let i = site.zones.iter().position(|x| x.id == z.id)?;
            (off.x.hypot(off.y) > 30.0 && truth[i] == 0.0).then_some(i)
        })
        .collect();
    zones.sort_unstable();
    zones.dedup();
    zones
}

/// Mean and worst error (pp) over the seeds.
#[derive(Default)]
struct Tally {
    sum: f64,
    worst: f64,
    n: f64,
}

impl Tally {
    fn add(&mut self, share: f64, truth: f64) {
        self.sum += share;
        self.n += 1.0;
        if (share - truth).abs() > self.worst.abs() {
            self.worst = share - truth;
        }
    }

    fn cell(&self) -> String {
        format!("{:.1} % ({:+.1})", self.sum / self.n.max(1.0), self.worst)
    }
}

fn main() {
    let site = plattan();
    let (z2, z3) = (1, 2);
    let width = KIND.cleaning_width_m();
    let walk = |zone, band| tracks::walk(&tracks::lanes(&site, zone, band, width), 1.0, 1_000, T0);
    let spot = site.zones[z2].polygon.interior_point().unwrap().0;
    let cases: [(&str, usize, Vec<TruePoint>); 3] = [
        ("Z3 fully driven", z3, walk(z3, (0.0, 1.0))),
        ("Z3 half driven", z3, walk(z3, (0.0, 0.5))),
        (
            "parked 10 min in Z2",
            z2,
            tracks::parked(spot, 600, 1_000, T0),
        ),
    ];
    println!(
        "| case | truth | noise (per axis) | 40 m outliers | every fix painted (before) | believed, every fix sent | believed, phone-filtered | fixes the phone sent |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (name, zone, path) in &cases {
        let truth = shares(&site, &tracks::taps(&site, path))[*zone];
        for sigma in [0.0, 3.0, 5.0, 8.0] {
            for outliers in [0, 5] {
                let (mut before, mut all, mut phone) =
                    (Tally::default(), Tally::default(), Tally::default());
                let mut sent = 0.0;
                for seed in 1..=SEEDS {
                    let noise = GpsNoise {
                        outliers,
                        ..GpsNoise::gaussian(sigma)
                    };
                    let fixes = tracks::gps(&site, path, &noise, &mut SplitMix64::new(seed));
                    let kept = filtered(&site, &fixes);
                    sent += kept.len() as f64 / fixes.len() as f64;
                    let tapped: Vec<TrackPoint> = fixes
                        .iter()
                        .map(|p| TrackPoint { acc: None, ..*p })
                        .collect();
                    before.add(shares(&site, &tapped)[*zone], truth);
                    all.add(shares(&site, &fixes)[*zone], truth);
                    phone.add(shares(&site, &kept)[*zone], truth);
                }
                println!(
                    "| {name} | {truth:.1} % | {sigma} m | {} | {} | {} | {} | {:.0} % |",
                    if outliers > 0 { "5 a run" } else { "none" },
                    before.cell(),
                    all.cell(),
                    phone.cell(),
                    sent * 100.0 / SEEDS as f64
                );
            }
        }
    }
    // Zones only outliers reached: the run over Z3 with 20 outliers a run; the highest share of any zone
    // it never entered that an outlier landed in.
    let (_, _, path) = &cases[0];
    let truth = shares(&site, &tracks::taps(&site, path));
    for sigma in [0.0, 3.0, 5.0, 8.0] {
        let (mut before, mut all, mut phone) =
            (Tally::default(), Tally::default(), Tally::default());
        let mut zones = 0;
        for seed in 1..=SEEDS {
            let noise = GpsNoise {
                outliers: 20,
                ..GpsNoise::gaussian(sigma)
            };
            let fixes = tracks::gps(&site, path, &noise, &mut SplitMix64::new(seed));
            let hit = outlier_zones(&site, path, &fixes, &truth);
            zones += hit.len();
            let tapped: Vec<TrackPoint> = fixes
                .iter()
                .map(|p| TrackPoint { acc: None, ..*p })
                .collect();
            let worst = |s: Vec<f64>| hit.iter().map(|i| s[*i]).fold(0.0, f64::max);
            before.add(worst(shares(&site, &tapped)), 0.0);
            all.add(worst(shares(&site, &fixes)), 0.0);
            phone.add(worst(shares(&site, &filtered(&site, &fixes))), 0.0);
        }
        println!(
            "| zones only outliers reached ({zones} in {SEEDS} runs), highest | 0.0 % | {sigma} m | 20 a run | {} | {} | {} | |",
            before.cell(),
            all.cell(),
            phone.cell()
        );
    }
}
