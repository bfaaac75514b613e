//! The track filter on fixes with a known truth: what it keeps of a walked lane, a parked machine's
//! jitter, outliers, poor fixes, fixes off the site, and a track resumed after a restart.

use geo::{Coord, InteriorPoint};

use super::{FilterSettings, TrackFilter, Verdict};
use crate::analytics::demo::SplitMix64;
use crate::op::TrackPoint;
use crate::site::Site;
use crate::test_support::plattan;
use crate::vocab::MachineKind;

const T0: i64 = 1_795_000_000_000;

fn centre(site: &Site) -> Coord<f64> {
    site.zones[1].polygon.interior_point().unwrap().0
}

/// A fix `dx` metres east of the centre of zone Z2, `s` seconds after T0.
fn fix(site: &Site, dx: f64, dy: f64, s: i64, acc: f32) -> TrackPoint {
    TrackPoint {
        at: site.frame.from_local(centre(site) + Coord { x: dx, y: dy }),
        t: T0 + s * 1000,
        acc: Some(acc),
    }
}

fn scrubber() -> TrackFilter {
    TrackFilter::new(FilterSettings::for_machine(MachineKind::Skurmaskin))
}

#[test]
fn settings_follow_the_machine() {
    let s = FilterSettings::for_machine(MachineKind::Skurmaskin);
    assert_eq!(
        (s.max_accuracy_m, s.max_speed_mps, s.min_move_m),
        (8.0, 2.0, 0.4)
    );
    assert_eq!(
        FilterSettings::for_machine(MachineKind::Fimpsug).max_accuracy_m,
        10.0
    );
}

#[test]
fn unusable_fixes_and_fixes_off_the_site_are_dropped_and_change_nothing() {
    let site = plattan();
    let mut f = scrubber();
    assert_eq!(f.last_moved_ms(), None);
    let p = fix(&site, 0.0, 0.0, 0, 3.0);
    assert_eq!(
        f.offer(&site, TrackPoint { acc: None, ..p }),
        Verdict::PoorAccuracy
    );
    assert_eq!(
        f.offer(
            &site,
            TrackPoint {
                acc: Some(8.5),
                ..p
            }
        ),
        Verdict::PoorAccuracy
    );
    assert_eq!(
        f.offer(
            &site,
            TrackPoint {
                acc: Some(f32::NAN),
                ..p
            }
        ),
        Verdict::PoorAccuracy
    );
    let nan = TrackPoint {
        at: crate::GeoPoint::new(f64::NAN, p.at.lat),
        ..p
    };
    assert_eq!(f.offer(&site, nan), Verdict::PoorAccuracy);
    // 25 m is the validation's tolerance: 30 m off the site is refused, a point just outside is not.
    let (x0, y0, _, _) = site.view_bounds();
    let off = |m: f64| TrackPoint {
        at: site.frame.from_view(Coord {
            x: x0 - m,
            y: y0 - m,
        }),
        ..p
    };
    assert!(site.locate(off(30.0).at).unwrap_err().distance_m > 25.0);
    assert_eq!(f.offer(&site, off(30.0)), Verdict::OffSite);
    assert_eq!(f.last_moved_ms(), None, "nothing usable yet");
    assert_eq!(f.offer(&site, p), Verdict::Keep);
    assert_eq!(f.last_moved_ms(), Some(T0));
}

#[test]
fn a_walked_lane_keeps_nearly_every_fix_and_an_outlier_is_too_fast() {
    let site = plattan();
    let mut rng = SplitMix64::new(5);
    let mut f = scrubber();
    let mut kept = 0;
    for s in 0..40 {
        let mut p = fix(&site, f64::from(s as u8) - 20.0, 0.0, s, 3.0);
        let noise = Coord {
            x: 3.0 * rng.gaussian(),
            y: 3.0 * rng.gaussian(),
        };
        p.at = site.frame.from_local(site.frame.to_local(p.at) + noise);
        if s == 20 {
            p = fix(&site, 20.0, 0.0, s, 3.0); // 40 m ahead of the machine
            assert_eq!(f.offer(&site, p), Verdict::TooFast);
            continue;
        }
        kept += usize::from(f.offer(&site, p) == Verdict::Keep);
    }
    assert!(kept >= 35, "{kept} of 39");
    assert_eq!(f.last_moved_ms(), Some(T0 + 39_000));
}

#[test]
fn a_parked_machine_jittering_3_m_sends_its_first_forty_seconds_then_nothing() {
    let site = plattan();
    let mut rng = SplitMix64::new(6);
    let mut f = scrubber();
    let verdicts: Vec<Verdict> = (0..600)
        .map(|s| {
            let p = fix(&site, 3.0 * rng.gaussian(), 3.0 * rng.gaussian(), s, 3.0);
            f.offer(&site, p)
        })
        .collect();
    let kept: Vec<usize> = (0..600).filter(|i| verdicts[*i] == Verdict::Keep).collect();
    assert!(kept.len() <= 45, "{} kept", kept.len());
    assert!(
        kept.iter().all(|i| *i < 60),
        "none after the first minute: {kept:?}"
    );
    assert!(
        f.last_moved_ms().unwrap() < T0 + 60_000,
        "it stopped moving then"
    );

    // It drives off: the first fix out is held back, the next kept.
    assert_eq!(
        f.offer(&site, fix(&site, 12.0, 0.0, 600, 3.0)),
        Verdict::Still
    );
    assert_eq!(
        f.offer(&site, fix(&site, 13.0, 0.0, 601, 3.0)),
        Verdict::Keep
    );
    assert_eq!(f.last_moved_ms(), Some(T0 + 601_000));
}

#[test]
fn lanes_to_and_fro_in_one_spot_are_not_standing_even_at_8_m() {
    let site = plattan();
    let mut rng = SplitMix64::new(7);
    let mut f = scrubber();
    // Lanes of 25 m, 0.8 m apart, at 1 m/s, for ten minutes.
    let kept = (0..600)
        .filter(|s| {
            let (lane, along) = (s / 25, f64::from((s % 25) as u8));
            let x = if lane % 2 == 0 { along } else { 25.0 - along };
            let y = 0.8 * f64::from((lane % 20) as u8);
            let p = fix(
                &site,
                x - 12.0 + 8.0 * rng.gaussian(),
                y - 8.0 + 8.0 * rng.gaussian(),
                *s,
                8.0,
            );
            f.offer(&site, p) == Verdict::Keep
        })
        .count();
    assert!(kept > 500, "{kept} of 600");
}

#[test]
fn a_track_that_started_on_an_outlier_re_anchors_after_three_agreeing_fixes() {
    let site = plattan();
    let mut f = scrubber();
    assert_eq!(
        f.offer(&site, fix(&site, -40.0, 0.0, 0, 2.0)),
        Verdict::Keep
    );
    assert_eq!(
        f.offer(&site, fix(&site, 0.0, 0.0, 1, 2.0)),
        Verdict::TooFast
    );
    assert_eq!(
        f.offer(&site, fix(&site, 1.0, 0.0, 2, 2.0)),
        Verdict::TooFast
    );
    assert_eq!(f.offer(&site, fix(&site, 2.0, 0.0, 3, 2.0)), Verdict::Keep);
    assert_eq!(f.offer(&site, fix(&site, 3.0, 0.0, 4, 2.0)), Verdict::Keep);
}

#[test]
fn a_resumed_filter_measures_reach_from_the_stored_last_point() {
    let site = plattan();
    let last = fix(&site, 0.0, 0.0, 0, 3.0);
    let mut f = TrackFilter::resume(
        FilterSettings::for_machine(MachineKind::Skurmaskin),
        Some(last),
    );
    assert_eq!(f.last_moved_ms(), Some(T0));
    assert_eq!(
        f.offer(&site, fix(&site, 40.0, 0.0, 2, 3.0)),
        Verdict::TooFast
    );
    assert_eq!(
        f.offer(&site, fix(&site, 0.2, 0.0, 3, 3.0)),
        Verdict::Still,
        "within 0.4 m"
    );
    assert_eq!(f.offer(&site, fix(&site, 3.0, 0.0, 4, 3.0)), Verdict::Keep);
}
