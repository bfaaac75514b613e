//! Hotspots and recurring hotspots on fixed data with a planted answer.

mod common;
use common::*;

use geo::Coord;
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::demo::SplitMix64;
use torgkoll_shared::analytics::hotspots::hotspot_grid;
use torgkoll_shared::analytics::recurring::{RecurringRule, recurring_hotspots};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{CleaningCategory, GeoPoint, OpBody, Role, Site};

/// A random point on the site.
fn anywhere(site: &Site, rng: &mut SplitMix64) -> GeoPoint {
    let (x0, y0, x1, y1) = site.view_bounds();
    loop {
        let v = Coord {
            x: x0 + rng.unit() * (x1 - x0),
            y: y0 + rng.unit() * (y1 - y0),
        };
        let p = site.frame.from_view(v);
        if site.locate(p).is_ok() {
            return p;
        }
    }
}

#[test]
fn a_planted_hotspot_is_found_with_its_plus_ones() {
    let site = plattan();
    let day = Date::parse("2026-09-10").unwrap();
    let period = Period::day(day);
    let t = period.from_ms + 12 * 3_600_000;
    let mut ops = Ops::new();
    let mut rng = SplitMix64::new(42);
    for i in 0..300 {
        let cat = CleaningCategory::ALL[rng.below(12) as usize];
        ops.clean(t + i * 60_000, anywhere(&site, &mut rng), cat);
    }
    // The planted hotspot: 15 butt reports within a metre, one with three +1s.
    let spot = centre(&site, "Z4");
    let mut first = None;
    for i in 0..15 {
        let id = ops.clean(
            t + i * 1000,
            at(&site, spot, (i % 3) as f64 * 0.3, 0.2),
            CleaningCategory::Fimpar,
        );
        first.get_or_insert(id);
    }
    for k in 0..3 {
        ops.push(
            t + 3_600_000 + k,
            Role::Cleaner,
            OpBody::StillThere {
                report: first.unwrap(),
            },
        );
    }
    // Withdrawn reports and duplicates elsewhere do not count, nor do reports outside the period.
    let decoy = centre(&site, "Z2");
    for i in 0..20 {
        let id = ops.clean(t + i, at(&site, decoy, 0.0, 0.0), CleaningCategory::Snus);
        let body = if i % 2 == 0 {
            OpBody::Withdraw { report: id }
        } else {
            OpBody::Duplicate {
                report: id,
                of: first.unwrap(),
            }
        };
        ops.push(t + i + 5, Role::Manager, body);
    }
    for i in 0..20 {
        ops.clean(
            period.to_ms + i,
            at(&site, decoy, 0.0, 0.0),
            CleaningCategory::Snus,
        );
    }
    let state = ops.state();
    let grid = hotspot_grid(&site, reports(&state), &period, 5.0, None);
    let top = grid.top(3);
    assert_eq!(top[0].zone_id.as_deref(), Some("Z4"));
    assert!(
        top[0].total >= 18,
        "15 reports + 3 still-there: {:?}",
        top[0].total
    );
    assert!(
        top[0].total < 24,
        "noise adds at most a few: {}",
        top[0].total
    );
    assert_eq!(top[0].by_category[0].category, CleaningCategory::Fimpar);
    assert!(top[0].by_category[0].count >= 18);
    assert!(
        top[1].total < top[0].total / 2,
        "the planted cell stands out"
    );
    assert_eq!(grid.total, 300 + 15 + 3);
    assert!(!grid.cells.iter().any(|c| {
        c.by_category
            .iter()
            .any(|k| k.category == CleaningCategory::Snus && k.count >= 10)
    }));
    // One category only.
    let butts = hotspot_grid(
        &site,
        reports(&state),
        &period,
        5.0,
        Some(CleaningCategory::Fimpar),
    );
    assert!(butts.cells.iter().all(|c| c.by_category.len() == 1));
    // The cell's centre is within half a diagonal of the spot.
    let v = site.frame.local_to_view(spot);
    let d = ((top[0].centre_view[0] - v.x).powi(2) + (top[0].centre_view[1] - v.y).powi(2)).sqrt();
    assert!(d <= 5.0 * std::f64::consts::SQRT_2 / 2.0 + 1.0, "{d}");
}

#[test]
fn a_recurring_hotspot_is_found_against_the_previous_four_weeks() {
    let site = plattan();
    let day = Date::parse("2026-09-10").unwrap(); // a Thursday
    let mut ops = Ops::new();
    let mut rng = SplitMix64::new(7);
    let spot = centre(&site, "Z5");
    for week in 0..=4i64 {
        let d = day.add_days(-7 * week);
        let (from, _) = d.bounds_ms();
        // Planted: Z5, 14:00-15:00 local, 4 a week (today 6).
        for i in 0..(if week == 0 { 6 } else { 4 }) {
            ops.clean(
                from + 14 * 3_600_000 + i * 300_000,
                at(&site, spot, 0.0, 0.0),
                CleaningCategory::Fimpar,
            );
        }
        // Another slot seen in only two of the four weeks: Z1, 09:00.
        if week == 1 || week == 3 {
            for i in 0..8 {
                ops.clean(
                    from + 9 * 3_600_000 + i * 60_000,
                    at(&site, centre(&site, "Z1"), 0.0, 0.0),
                    CleaningCategory::Snus,
                );
            }
        }
    }
    // Noise: one report a day at a random place and hour for five weeks.
    for n in 0..35 {
        let (from, _) = day.add_days(-34 + n).bounds_ms();
        ops.clean(
            from + rng.below(86_400_000) as i64,
            anywhere(&site, &mut rng),
            CleaningCategory::Plast,
        );
    }
    let state = ops.state();
    let found = recurring_hotspots(&site, reports(&state), day, RecurringRule::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let r = &found[0];
    assert_eq!((r.zone_id.as_str(), r.hour), ("Z5", 14));
    assert_eq!(r.weeks_seen, 4);
    assert!(r.usual >= 4.0 && r.usual < 5.0, "{}", r.usual);
    assert!(r.today >= 6);
    // With a looser rule the two-week slot appears too.
    let loose = RecurringRule {
        min_weeks: 2,
        ..RecurringRule::default()
    };
    let found = recurring_hotspots(&site, reports(&state), day, loose);
    assert!(
        found
            .iter()
            .any(|r| r.zone_id == "Z1" && r.hour == 9 && r.weeks_seen == 2)
    );
}
