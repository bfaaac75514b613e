//! The weekly report: ISO weeks, and a week of reports against the four before.

use uuid::Uuid;

use super::*;
use crate::geometry::GeoPoint;
use crate::hlc::Hlc;
use crate::op::{CleaningReport, DisturbanceReport, OpBody, Operation};
use crate::test_support::plattan;
use crate::vocab::Role;

#[test]
fn iso_weeks_parse_and_start_on_monday() {
    let w = IsoWeek::parse("2026-W01").unwrap();
    assert_eq!(w.monday(), Date::parse("2025-12-29").unwrap());
    assert_eq!(w.to_string(), "2026-W01");
    assert_eq!(
        IsoWeek::parse("2026-W48").unwrap().monday(),
        Date::parse("2026-11-23").unwrap()
    );
    assert_eq!(
        IsoWeek::parse("2020-W53").unwrap().monday(),
        Date::parse("2020-12-28").unwrap()
    );
    for bad in [
        "2021-W53", "2026-W00", "2026-W1", "2026-48", "26-W10", "2026-W5x",
    ] {
        assert_eq!(IsoWeek::parse(bad), None, "{bad}");
    }
    // The week the clocks go back has 169 hours.
    let (from, to) = IsoWeek::parse("2026-W43").unwrap().bounds_ms();
    assert_eq!(to - from, 169 * 3_600_000);
}

fn op(n: u128, t: i64, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(n),
        device: Uuid::from_u128(7),
        seq: n as u64,
        hlc: Hlc::new(t as u64, 0),
        wall_ms: t,
        role: Role::Guard,
        body,
        fix: None,
    }
}

fn here() -> GeoPoint {
    GeoPoint::new(18.0641234, 59.3321234)
}

fn clean(n: u128, t: i64) -> Operation {
    let body = OpBody::Clean(CleaningReport {
        category: CleaningCategory::Glaskross,
        amount: None,
        note: Some("privat".into()),
        at: here(),
        acc: None,
    });
    op(n, t, body)
}

fn disturbance(n: u128, t: i64, level: u8) -> Operation {
    let body = OpBody::Disturbance(DisturbanceReport {
        category: DisturbanceCategory::Hot,
        level,
        people: 2,
        interventions: Default::default(),
        note: Some("privat".into()),
        at: here(),
        happened: None,
    });
    op(n, t, body)
}

#[test]
fn a_week_against_the_four_before() {
    let site = plattan();
    let week = IsoWeek::parse("2026-W48").unwrap();
    let mon = week.monday();
    let at = |d: i64, h: u8| mon.add_days(d).at_local(h, 0);
    let ops = vec![
        clean(1, at(2, 10)),          // Wednesday this week
        clean(2, at(6, 23)),          // Sunday 23:00, still this week
        clean(3, at(7, 1)),           // next Monday: not counted
        clean(4, at(-1, 12)),         // last Sunday: the week before
        clean(5, at(-28, 9)),         // four weeks before
        clean(6, at(-29, 9)),         // five: not counted
        disturbance(7, at(3, 22), 1), // Thursday, akut
        disturbance(8, at(-10, 22), 2),
        op(
            9,
            at(4, 8),
            OpBody::Resolve {
                report: Uuid::from_u128(1),
            },
        ),
    ];
    let state = State::fold(&ops);
    let w = Weekly::build(&site, &state, week, at(10, 0));
    let total = |m: Metric| &w.totals.iter().find(|r| r.what == m).unwrap().count;
    let c = total(Metric::CleaningReports);
    assert_eq!((c.week, c.previous), (2, [1, 0, 0, 1]));
    assert_eq!((c.usual, c.diff), (0.5, 1.5));
    assert_eq!(total(Metric::Resolved).week, 1);
    assert_eq!(total(Metric::Disturbances).week, 1);
    assert_eq!(total(Metric::Disturbances).previous, [0, 1, 0, 0]);
    assert_eq!(total(Metric::Level1).week, 1);
    // Per day: Wednesday one cleaning report, Thursday a disturbance, Sunday a cleaning report.
    assert_eq!(w.days.len(), 7);
    assert_eq!(w.days[2].counts[0], 1);
    assert_eq!(w.days[3].counts[2], 1);
    assert_eq!(w.days[6].counts[0], 1);
    assert_eq!(w.days[0].counts.iter().sum::<u32>(), 0);
    // Categories: only those seen in the five weeks.
    assert_eq!(w.cleaning.len(), 1);
    assert_eq!(w.cleaning[0].what, CleaningCategory::Glaskross);
    assert_eq!(w.level1.len(), 1);
    assert_eq!(w.level1[0].count.week, 1);
    // Zones: all listed, the one the point lies in counts them.
    assert_eq!(w.zones_cleaning.len(), site.zones.len());
    assert_eq!(
        w.zones_cleaning.iter().map(|z| z.count.week).sum::<u32>(),
        2
    );
    // Open at the week's end: the Sunday one (the Wednesday one was resolved), and older ones.
    assert_eq!(w.open_at_end, 4, "{:?}", w.open_by_zone);
    assert!(!w.to_json().contains("privat"));
}

#[test]
fn the_weekly_page_is_swedish_and_holds_no_free_text() {
    let site = plattan();
    let week = IsoWeek::parse("2026-W48").unwrap();
    let ops = vec![clean(1, week.monday().at_local(9, 0))];
    let w = Weekly::build(&site, &State::fold(&ops), week, i64::MAX);
    let html = crate::analytics::html::render_weekly_html(&site, &w);
    assert!(html.contains("Veckorapport · vecka 48 2026"), "{html}");
    assert!(html.contains("måndag 23 november 2026"));
    assert!(html.contains("Glaskross"));
    assert!(!html.contains("privat"));
}
