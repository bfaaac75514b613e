//! The retention plan: old free text purged, counts kept.

use geo::{Coord, InteriorPoint};
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::retention::{Retention, purged};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc,
    Intervention, MachineKind, OpBody, Operation, Role, Site, State, TrackPoint,
};
use uuid::Uuid;

fn op(n: u128, t: i64, role: Role, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(0x7000 + n),
        device: Uuid::from_u128(0xD7),
        seq: n as u64,
        hlc: Hlc::new(t as u64, 0),
        wall_ms: t,
        role,
        body,
    }
}

fn place(site: &Site, zone: &str) -> GeoPoint {
    site.frame
        .from_local(site.zone(zone).unwrap().polygon.interior_point().unwrap().0)
        .rounded()
}

/// A day with a cleaning report whose note needs quoting, a disturbance with a note and interventions,
/// a withdrawn report, a report the day before, and a machine run.
fn fixture(site: &Site) -> (Vec<Operation>, Period) {
    let period = Period::day(Date::parse("2026-09-10").unwrap());
    let t = period.from_ms + 10 * 3_600_000;
    let note = "Glas; \"mycket\"\nvid trappan".to_owned();
    let clean = CleaningReport {
        category: CleaningCategory::Glaskross,
        amount: None,
        note: Some(note),
        at: place(site, "Z1"),
        acc: Some(3.0),
    };
    let dist = DisturbanceReport {
        category: DisturbanceCategory::Folksamling,
        level: 2,
        people: 6,
        interventions: [(Intervention::Avvisning, 2)].into_iter().collect(),
        note: Some("=HYPERLINK(\"x\")".into()),
        at: place(site, "Z2"),
    };
    let plain = CleaningReport {
        category: CleaningCategory::Fimpar,
        amount: None,
        note: None,
        at: place(site, "Z3"),
        acc: None,
    };
    let c = site.zone("Z4").unwrap().polygon.interior_point().unwrap().0;
    let points: Vec<TrackPoint> = (0..10)
        .map(|i| TrackPoint {
            at: site.frame.from_local(Coord {
                x: c.x + f64::from(i),
                y: c.y,
            }),
            t: t + i64::from(i) * 1000,
            acc: None,
        })
        .collect();
    let ops = vec![
        op(1, t, Role::Cleaner, OpBody::Clean(clean)),
        op(2, t + 1, Role::Guard, OpBody::Disturbance(dist)),
        op(3, t + 2, Role::Cleaner, OpBody::Clean(plain.clone())),
        op(
            4,
            t + 3,
            Role::Cleaner,
            OpBody::Withdraw {
                report: Uuid::from_u128(0x7003),
            },
        ),
        op(5, period.from_ms - 1, Role::Cleaner, OpBody::Clean(plain)),
        op(
            6,
            t,
            Role::Cleaner,
            OpBody::RunStart {
                kind: MachineKind::Fimpsug,
                machine: "Fimpsug 1".into(),
                started: t,
            },
        ),
        op(
            7,
            t + 10_000,
            Role::Cleaner,
            OpBody::RunPoints {
                run: Uuid::from_u128(0x7006),
                points,
            },
        ),
        op(
            8,
            t + 11_000,
            Role::Cleaner,
            OpBody::RunStop {
                run: Uuid::from_u128(0x7006),
                stopped: t + 11_000,
            },
        ),
    ];
    (ops, period)
}

#[test]
fn retention_purges_old_free_text_and_keeps_the_counts() {
    let site = plattan();
    let (ops, period) = fixture(&site);
    let day = 86_400_000;
    assert_eq!(Retention::new(0), None);
    let policy = Retention::new(30).unwrap();
    // 29 days after the day: nothing due; 31 days after: the two operations with notes.
    assert!(policy.due(&ops, period.to_ms + 29 * day).is_empty());
    let due = policy.due(&ops, period.to_ms + 31 * day);
    assert_eq!(due, vec![Uuid::from_u128(0x7001), Uuid::from_u128(0x7002)]);
    let kept: Vec<Operation> = ops
        .iter()
        .map(|o| {
            if due.contains(&o.id) {
                purged(o)
            } else {
                o.clone()
            }
        })
        .collect();
    assert!(kept.iter().all(|o| o.body.note().is_none()));
    assert!(
        policy.due(&kept, period.to_ms + 31 * day).is_empty(),
        "purging is idempotent"
    );
    // The same counts and places after purging.
    let (before, after) = (State::fold(&ops), State::fold(&kept));
    for (a, b) in before.reports.values().zip(after.reports.values()) {
        assert_eq!(
            (a.classification(), a.at(), a.status(), a.count()),
            (b.classification(), b.at(), b.status(), b.count())
        );
    }
    assert_eq!(
        kept.iter()
            .map(|o| (o.id, o.seq, o.hlc))
            .collect::<Vec<_>>(),
        ops.iter().map(|o| (o.id, o.seq, o.hlc)).collect::<Vec<_>>()
    );
}
