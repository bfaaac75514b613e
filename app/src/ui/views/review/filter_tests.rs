//! The review's filters, periods and duplicate candidates on hand-made reports.

use std::sync::Arc;

use geo::Coord;
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::report::Origin;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    Classification, CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport,
    Domain, GeoPoint, Hlc, Report, ReportBody, Role, Site, Stamp, Status,
};
use uuid::Uuid;

use super::filter::{ReviewFilter, Span, StatusFilter, nearby};
use crate::store::ReportView;

fn at(site: &Site, x: f64) -> GeoPoint {
    let (x0, y0, x1, y1) = site.view_bounds();
    site.frame.from_view(Coord {
        x: (x0 + x1) / 2.0 + x,
        y: (y0 + y1) / 2.0,
    })
}

fn view(id: u128, body: ReportBody, zone: &str) -> ReportView {
    let stamp = Stamp {
        hlc: Hlc::new(1_000, 0),
        device: Uuid::from_u128(7),
        op: Uuid::from_u128(id),
        at: 1_000,
    };
    let mut report = Report::new(Uuid::from_u128(id));
    report.origin = Some(Origin {
        stamp,
        wall_ms: 1_000,
        role: Role::Cleaner,
    });
    report.body = Some(body);
    ReportView {
        report,
        zone: Some(zone.into()),
        mine: false,
        sync: None,
    }
}

fn clean(id: u128, c: CleaningCategory, at: GeoPoint, zone: &str) -> ReportView {
    let report = CleaningReport {
        category: c,
        amount: None,
        note: None,
        at,
        acc: None,
    };
    view(
        id,
        ReportBody::Cleaning {
            report,
            requested_from: None,
            requested_by: None,
        },
        zone,
    )
}

fn disturbance(id: u128, level: u8, at: GeoPoint) -> ReportView {
    view(
        id,
        ReportBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::ALL[1],
            level,
            people: 1,
            interventions: Default::default(),
            note: None,
            at,
            happened: None,
        }),
        "Z4",
    )
}

#[test]
fn each_filter_narrows_and_a_kind_drops_a_category_of_the_other_kind() {
    let site = Arc::new(plattan());
    let a = clean(1, CleaningCategory::Fimpar, at(&site, 0.0), "Z3");
    let b = clean(2, CleaningCategory::Snus, at(&site, 2.0), "Z4");
    let d = disturbance(3, 1, at(&site, 4.0));
    let all = [&a, &b, &d];
    let shown = |f: &ReviewFilter| all.iter().filter(|r| f.matches(r)).count();
    let mut f = ReviewFilter::default();
    assert_eq!((shown(&f), f.active()), (3, 0));
    f.set_kind(Some(Domain::Cleaning));
    assert_eq!(shown(&f), 2);
    f.category = Some(Classification::Cleaning(CleaningCategory::Snus));
    assert_eq!(shown(&f), 1);
    f.set_kind(Some(Domain::Disturbance));
    assert_eq!(f.category, None, "a cleaning category goes with the kind");
    assert_eq!(shown(&f), 1);
    f = ReviewFilter {
        level: Some(2),
        ..Default::default()
    };
    assert_eq!(shown(&f), 0);
    f.level = Some(1);
    assert_eq!(shown(&f), 1);
    f = ReviewFilter {
        zone: Some("Z4".into()),
        ..Default::default()
    };
    assert_eq!(shown(&f), 2);
    f.status = Some(StatusFilter::Is(Status::Resolved));
    assert_eq!((shown(&f), f.active()), (0, 2));
}

#[test]
fn unreviewed_means_open_and_not_reviewed() {
    let site = plattan();
    let mut a = clean(1, CleaningCategory::Fimpar, at(&site, 0.0), "Z3");
    assert!(StatusFilter::Unreviewed.matches(&a));
    a.report.reviewed = a.report.origin.as_ref().map(|o| o.stamp);
    assert!(!StatusFilter::Unreviewed.matches(&a));
    assert!(StatusFilter::Is(Status::Open).matches(&a));
}

#[test]
fn nearby_offers_the_same_kind_within_30_m_same_category_first() {
    let site = plattan();
    let target = clean(1, CleaningCategory::Fimpar, at(&site, 0.0), "Z3");
    let candidates = vec![
        target.clone(),
        clean(2, CleaningCategory::Snus, at(&site, 3.0), "Z3"),
        clean(3, CleaningCategory::Fimpar, at(&site, 10.0), "Z3"),
        clean(4, CleaningCategory::Fimpar, at(&site, 40.0), "Z4"),
        disturbance(5, 2, at(&site, 1.0)),
    ];
    let near = nearby(&site, &target, &candidates);
    let ids: Vec<u128> = near.iter().map(|(r, _)| r.report.id.as_u128()).collect();
    assert_eq!(ids, vec![3, 2], "same category first, 40 m away left out");
    assert!((near[0].1 - 10.0).abs() < 0.5, "{}", near[0].1);
}

#[test]
fn spans_end_with_today_and_start_at_local_midnight() {
    let now = 1_780_000_000_000; // 2026-05-28, summer time
    let today = torgkoll_shared::analytics::Period::day(local_date(now));
    assert_eq!(Span::Today.period(now), today);
    let week = Span::Week.period(now);
    assert_eq!(week.to_ms, today.to_ms);
    assert_eq!(week.from_ms, today.from_ms - 6 * 86_400_000);
    assert_eq!(
        Span::FourWeeks.period(now).from_ms,
        today.from_ms - 27 * 86_400_000
    );
}
