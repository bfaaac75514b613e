//! A guard's incident as it happens: logged after the fact (`happened`) and amended field by field, each
//! field last writer wins, in any order; the report is placed at when it happened, which may be the day
//! before it was saved.

use std::collections::BTreeMap;

use torgkoll_shared::analytics::{Period, events_in};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{
    Amendment, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc, Intervention, OpBody,
    Operation, Role, State,
};
use uuid::Uuid;

const GUARD: Uuid = Uuid::from_u128(0x6A4D);

fn op(n: u128, t: i64, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(0x100 + n),
        device: GUARD,
        seq: n as u64,
        hlc: Hlc::new(t as u64, 0),
        wall_ms: t,
        role: Role::Guard,
        body,
        fix: None,
    }
}

fn amend(n: u128, t: i64, report: Uuid, change: Amendment) -> Operation {
    op(n, t, OpBody::Amend { report, change })
}

#[test]
fn an_incident_logged_after_midnight_counts_the_day_it_happened_and_amends_per_field() {
    let day = Date::parse("2026-11-26").unwrap();
    let happened = day.at_local(23, 50);
    let saved = day.add_days(1).at_local(0, 10);
    let create = op(
        1,
        saved,
        OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::BrakVald,
            level: 2,
            people: 2,
            interventions: BTreeMap::new(),
            note: Some("bråk vid trappan".into()),
            at: GeoPoint::new(18.0641234, 59.3321234),
            happened: Some(happened),
        }),
    );
    let id = create.id;
    let ops = vec![
        create,
        amend(
            2,
            saved + 60_000,
            id,
            Amendment {
                level: Some(1),
                ..Default::default()
            },
        ),
        amend(
            3,
            saved + 120_000,
            id,
            Amendment {
                people: Some(5),
                ..Default::default()
            },
        ),
        amend(
            4,
            saved + 180_000,
            id,
            Amendment {
                interventions: Some(BTreeMap::from([(Intervention::PolisTillkallad, 1)])),
                note: Some(String::new()),
                ..Default::default()
            },
        ),
        // An earlier level, arriving last: the later one stays.
        amend(
            5,
            saved + 30_000,
            id,
            Amendment {
                level: Some(3),
                ..Default::default()
            },
        ),
    ];
    let mut reversed = ops.clone();
    reversed.reverse();
    for order in [&ops, &reversed] {
        let s = State::fold(order.iter());
        let r = &s.reports[&id];
        assert_eq!(r.level(), Some(1));
        assert_eq!(r.people(), Some(5));
        assert_eq!(
            r.interventions().unwrap(),
            &BTreeMap::from([(Intervention::PolisTillkallad, 1)])
        );
        assert_eq!(r.note(), None, "an empty note removes it");
        assert_eq!(r.when_ms(), Some(happened));
        assert_eq!(
            events_in(r, &Period::day(day)),
            1,
            "counted the day it happened"
        );
        assert_eq!(events_in(r, &Period::day(day.add_days(1))), 0);
    }
    // Moved to 23:55 by an amendment: still that day.
    let later = amend(
        6,
        saved + 240_000,
        id,
        Amendment {
            happened: Some(day.at_local(23, 55)),
            ..Default::default()
        },
    );
    let s = State::fold(ops.iter().chain([&later]));
    assert_eq!(s.reports[&id].when_ms(), Some(day.at_local(23, 55)));
}
