//! Machine coverage on GPS tracks with a known truth: a skurmaskin driving lanes its width apart over a zone
//! of the Plattan, a fix a second at 1 m/s, sent with Gaussian noise of 3, 5 and 8 m per axis (that accuracy
//! reported) and 40 m outliers. The truth is the coverage of the noise-free path; painting every fix read
//! a half-driven zone 20–30 points high and a zone no run entered as cleaned. Each case runs twice: every
//! fix sent (a phone without a filter), and what the phone's `TrackFilter` keeps.

use geo::{Coord, InteriorPoint};
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::coverage::{
    covered_area, last_cleaned, run_length_m, swept_area_m2, zone_coverage,
};
use torgkoll_shared::analytics::demo::SplitMix64;
use torgkoll_shared::analytics::demo::stress::points_run;
use torgkoll_shared::analytics::demo::tracks::{self, GpsNoise, TruePoint};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::track::filter_track;
use torgkoll_shared::{MachineKind, Run, Site, State, TrackPoint};

const T0: i64 = 1_795_000_000_000;
const KIND: MachineKind = MachineKind::Skurmaskin;
/// Zone Z3 (63 × 22 m, lanes along its length) and Z2 (45 × 52 m, 1,585 m²).
const Z3: usize = 2;
const Z2: usize = 1;

fn state(points: &[TrackPoint]) -> State {
    State::fold(&points_run(KIND, 1, T0 - 1_000, points))
}

fn runs(state: &State) -> Vec<&Run> {
    state.runs.values().collect()
}

/// Each zone's covered share (0–1) by the run of these points.
fn shares(site: &Site, points: &[TrackPoint]) -> Vec<f64> {
    let s = state(points);
    let day = Period::new(T0 - 3_600_000, T0 + 20 * 3_600_000);
    zone_coverage(site, &runs(&s), &day, day.to_ms, 24.0)
        .iter()
        .map(|z| z.share)
        .collect()
}

/// What the phone's filter keeps of the fixes.
fn filtered(site: &Site, points: &[TrackPoint]) -> Vec<TrackPoint> {
    filter_track(site, KIND, points.iter().copied())
}

fn noisy(
    site: &Site,
    path: &[TruePoint],
    sigma_m: f64,
    outliers: usize,
    seed: u64,
) -> Vec<TrackPoint> {
    let noise = GpsNoise {
        outliers,
        ..GpsNoise::gaussian(sigma_m)
    };
    tracks::gps(site, path, &noise, &mut SplitMix64::new(seed))
}

fn lanes(site: &Site, zone: usize, band: (f64, f64)) -> Vec<TruePoint> {
    tracks::walk(
        &tracks::lanes(site, zone, band, KIND.cleaning_width_m()),
        1.0,
        1_000,
        T0,
    )
}

/// The share of `zone` computed from the noisy fixes, all of them and the phone's, within 10 points of the
/// truth.
fn assert_within_ten_points(site: &Site, name: &str, zone: usize, path: &[TruePoint], seed: u64) {
    let truth = shares(site, &tracks::taps(site, path))[zone];
    for sigma in [3.0, 5.0, 8.0] {
        let fixes = noisy(site, path, sigma, 5, seed);
        let sent = filtered(site, &fixes);
        for (how, points) in [("every fix", &fixes), ("phone-filtered", &sent)] {
            let share = shares(site, points)[zone];
            assert!(
                (share - truth).abs() <= 0.10,
                "{name}, {sigma} m noise, {how}: {:.1} % vs the truth {:.1} %",
                share * 100.0,
                truth * 100.0
            );
        }
    }
}

#[test]
fn a_zone_fully_driven_reads_within_ten_points_of_the_truth() {
    let site = plattan();
    let path = lanes(&site, Z3, (0.0, 1.0));
    assert_within_ten_points(&site, "Z3 fully driven", Z3, &path, 11);
}

#[test]
fn a_zone_half_driven_reads_within_ten_points_of_the_truth() {
    let site = plattan();
    let path = lanes(&site, Z3, (0.0, 0.5));
    let truth = shares(&site, &tracks::taps(&site, &path))[Z3];
    assert!((0.45..0.65).contains(&truth), "{truth}");
    assert_within_ten_points(&site, "Z3 half driven", Z3, &path, 12);
    // Painting every fix (as if tapped), as the coverage did, fails the same bound at 3 m of noise.
    let fixes: Vec<TrackPoint> = noisy(&site, &path, 3.0, 0, 12)
        .into_iter()
        .map(|p| TrackPoint { acc: None, ..p })
        .collect();
    let painted = shares(&site, &fixes)[Z3];
    assert!(painted > truth + 0.10, "{painted} vs {truth}");
}

#[test]
fn a_parked_machine_covers_nothing_and_its_phone_sends_almost_nothing() {
    let site = plattan();
    let spot = site.zones[Z2].polygon.interior_point().unwrap().0;
    // Ten minutes parked: the truth is a disc of the machine's width, 0.03 % of the zone.
    let path = tracks::parked(spot, 600, 1_000, T0);
    for sigma in [3.0, 5.0, 8.0] {
        let fixes = noisy(&site, &path, sigma, 5, 13);
        let sent = filtered(&site, &fixes);
        for (how, points) in [("every fix", &fixes), ("phone-filtered", &sent)] {
            let share = shares(&site, points)[Z2];
            assert!(share < 0.01, "{sigma} m, {how}: {:.1} %", share * 100.0);
        }
        // The phone sends until the standing is clear (a minute and a half at 8 m), then nothing.
        assert!(
            sent.len() < fixes.len() / 3,
            "{sigma} m: {} of {}",
            sent.len(),
            fixes.len()
        );
        assert!(
            run_length_m(
                &site,
                runs(&state(&fixes))[0],
                &Period::new(T0, T0 + 3_600_000)
            ) < 20.0
        );
    }
    let three_m = filtered(&site, &noisy(&site, &path, 3.0, 0, 14));
    assert!(
        three_m.len() < 60,
        "3 m of jitter: {} fixes sent",
        three_m.len()
    );
}

#[test]
fn outliers_in_a_zone_no_run_entered_paint_nothing_and_clean_nothing() {
    let site = plattan();
    let path = lanes(&site, Z3, (0.0, 1.0));
    let truth = shares(&site, &tracks::taps(&site, &path));
    let fixes = noisy(&site, &path, 3.0, 40, 15);
    // The zones the outliers landed in that the machine never entered.
    let true_at = |t: i64| path.iter().find(|p| p.1 == t).map(|p| p.0).unwrap();
    let mut hit: Vec<usize> = fixes
        .iter()
        .filter_map(|p| {
            let c = site.frame.to_local(p.at);
            let off = (c - true_at(p.t)).x.hypot((c - true_at(p.t)).y);
            let zone = site.locate(p.at).ok()?;
            let i = site.zones.iter().position(|z| z.id == zone.id)?;
            (off > 30.0 && truth[i] == 0.0).then_some(i)
        })
        .collect();
    hit.sort_unstable();
    hit.dedup();
    assert!(
        !hit.is_empty(),
        "some outliers land in zones the run never entered"
    );
    let s = state(&filtered(&site, &fixes));
    let all = state(&fixes);
    for st in [&all, &s] {
        let day = Period::new(T0 - 3_600_000, T0 + 20 * 3_600_000);
        let cov = zone_coverage(&site, &runs(st), &day, day.to_ms, 24.0);
        let last = last_cleaned(&site, &runs(st), day.to_ms);
        for &i in &hit {
            assert_eq!(cov[i].covered_m2, 0.0, "{}", cov[i].zone_id);
            assert_eq!(
                last[i], None,
                "{} is not cleaned by an outlier",
                cov[i].zone_id
            );
        }
        assert!(last[Z3].is_some());
    }
}

#[test]
fn a_noisy_run_is_as_long_as_the_machine_drove_not_as_its_noise() {
    let site = plattan();
    let path = lanes(&site, Z3, (0.0, 0.5));
    let driven = (path.len() - 1) as f64; // 1 m a second
    for sigma in [3.0, 8.0] {
        let s = state(&noisy(&site, &path, sigma, 5, 16));
        let len = run_length_m(&site, runs(&s)[0], &Period::new(T0 - 1_000, T0 + 3_600_000));
        assert!(
            (len - driven).abs() < 0.15 * driven,
            "{sigma} m: {len} vs {driven}"
        );
    }
    let _: Coord<f64> = path[0].0;
}

/// One pass along a zone with 3 m of noise: too little density anywhere to claim a cell as cleaned, but
/// the run lists still show about the area it swept (width × ground), not nothing.
#[test]
fn a_single_noisy_pass_claims_no_cell_but_shows_what_it_swept() {
    let site = plattan();
    let path = lanes(&site, Z3, (0.45, 0.5));
    let driven = (path.len() - 1) as f64;
    let day = Period::new(T0 - 1_000, T0 + 3_600_000);
    let swept = KIND.cleaning_width_m() * driven;
    let tapped = state(&tracks::taps(&site, &path));
    let s = state(&noisy(&site, &path, 3.0, 0, 21));
    let run = runs(&s)[0];
    let tap_area = swept_area_m2(&site, runs(&tapped)[0], &day);
    let tap_covered = covered_area(&site, &runs(&tapped), Some(KIND), &day).area_m2();
    assert!(
        (tap_area - tap_covered).abs() < 1e-9,
        "taps: swept is what they paint"
    );
    let area = swept_area_m2(&site, run, &day);
    assert!(
        (area - swept).abs() < 0.3 * swept,
        "{area:.0} m² against {swept:.0} m² swept"
    );
    let covered = covered_area(&site, &[run], Some(KIND), &day).area_m2();
    assert!(covered < area / 2.0, "{covered:.0} m² claimed as cleaned");
}
