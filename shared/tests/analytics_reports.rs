//! The disturbance heat table, freshness and open items on fixed data.

mod common;
use common::*;

use std::collections::BTreeMap;

use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::disturbances::{disturbance_heat, disturbance_summary};
use torgkoll_shared::analytics::freshness::{freshness, open_items};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    CleaningCategory, DisturbanceCategory, DisturbanceReport, Intervention, OpBody, Role, Site,
};

fn disturbance(site: &Site, zone: &str, level: u8, ivs: &[(Intervention, u16)]) -> OpBody {
    OpBody::Disturbance(DisturbanceReport {
        category: if level == 1 {
            DisturbanceCategory::BrakVald
        } else {
            DisturbanceCategory::Berusad
        },
        level,
        people: 2,
        interventions: ivs.iter().copied().collect::<BTreeMap<_, _>>(),
        note: Some("fritext som inte får synas".into()),
        at: site.frame.from_local(centre(site, zone)),
        happened: None,
    })
}

#[test]
fn disturbances_by_hour_and_zone() {
    let site = plattan();
    let day = Date::parse("2026-09-10").unwrap();
    let period = Period::day(day);
    let h = |hour: i64| period.from_ms + hour * 3_600_000 + 60_000;
    let mut ops = Ops::new();
    ops.push(
        h(22),
        Role::Guard,
        disturbance(
            &site,
            "Z2",
            1,
            &[
                (Intervention::PolisTillkallad, 1),
                (Intervention::Avlagsnande, 2),
            ],
        ),
    );
    ops.push(h(22), Role::Guard, disturbance(&site, "Z2", 2, &[]));
    ops.push(
        h(23),
        Role::Guard,
        disturbance(&site, "Z2", 3, &[(Intervention::Avvisning, 1)]),
    );
    ops.push(h(3), Role::Guard, disturbance(&site, "Z6", 2, &[]));
    let gone = ops.push(h(4), Role::Guard, disturbance(&site, "Z6", 1, &[]));
    ops.push(h(4) + 1000, Role::Guard, OpBody::Withdraw { report: gone });
    ops.push(
        period.to_ms + 1,
        Role::Guard,
        disturbance(&site, "Z6", 1, &[]),
    );
    let state = ops.state();
    let heat = disturbance_heat(&site, reports(&state), &period);
    let z2 = heat.rows.iter().find(|r| r.zone.id == "Z2").unwrap();
    assert_eq!(z2.hours[22].count, 2);
    assert_eq!(z2.hours[22].levels, [1, 1, 0]);
    assert_eq!(z2.hours[22].interventions, 3);
    assert_eq!(z2.hours[23].count, 1);
    assert_eq!(z2.total.count, 3);
    let z6 = heat.rows.iter().find(|r| r.zone.id == "Z6").unwrap();
    assert_eq!(z6.total.count, 1);
    assert_eq!(heat.max, 2);
    assert_eq!(heat.by_hour.iter().map(|c| c.count).sum::<u32>(), 4);
    let sum = disturbance_summary(reports(&state), &period);
    assert_eq!(sum.total, 4);
    assert_eq!(sum.by_level, [1, 2, 1]);
    assert_eq!(
        sum.level1_by_category[0].what,
        DisturbanceCategory::BrakVald
    );
    assert_eq!(sum.interventions_total, 4);
    let json = serde_json::to_string(&(heat, sum)).unwrap();
    assert!(!json.contains("fritext"));
}

#[test]
fn freshness_tells_no_data_from_quiet_and_open_items_are_bucketed_by_age() {
    let site = plattan();
    let now = Date::parse("2026-09-10").unwrap().bounds_ms().0 + 12 * 3_600_000;
    let hour = 3_600_000;
    let mut ops = Ops::new();
    let z1 = centre(&site, "Z1");
    let open_fresh = ops.clean(
        now - hour / 2,
        at(&site, z1, 0.0, 0.0),
        CleaningCategory::Fimpar,
    );
    ops.clean(
        now - 2 * hour,
        at(&site, z1, 1.0, 0.0),
        CleaningCategory::Glaskross,
    );
    ops.clean(
        now - 30 * hour,
        at(&site, centre(&site, "Z3"), 0.0, 0.0),
        CleaningCategory::Snus,
    );
    ops.clean(
        now - 20 * 24 * hour,
        at(&site, centre(&site, "Z4"), 0.0, 0.0),
        CleaningCategory::Plast,
    );
    let done = ops.clean(
        now - 3 * hour,
        at(&site, centre(&site, "Z5"), 0.0, 0.0),
        CleaningCategory::Fimpar,
    );
    ops.push(
        now - 2 * hour,
        Role::Cleaner,
        OpBody::Resolve { report: done },
    );
    let dup = ops.clean(
        now - 3 * hour,
        at(&site, centre(&site, "Z5"), 0.0, 0.0),
        CleaningCategory::Fimpar,
    );
    ops.push(
        now - 2 * hour,
        Role::Manager,
        OpBody::Duplicate {
            report: dup,
            of: done,
        },
    );
    ops.push(
        now - hour,
        Role::Cleaner,
        OpBody::StillThere { report: open_fresh },
    );
    // After now: not seen yet.
    ops.clean(
        now + hour,
        at(&site, centre(&site, "Z6"), 0.0, 0.0),
        CleaningCategory::Snus,
    );
    let state = ops.state();
    let fresh = freshness(&site, reports(&state), &[], now);
    let get = |id: &str| fresh.iter().find(|f| f.zone_id == id).unwrap();
    assert_eq!(get("Z1").last_ms, Some(now - hour / 2));
    assert_eq!(get("Z1").age_h, Some(0.5));
    assert_eq!(get("Z3").age_h, Some(30.0));
    assert_eq!(
        get("Z5").last_ms,
        Some(now - 3 * hour),
        "resolved and duplicate reports are still data"
    );
    assert_eq!(
        get("Z4").last_ms,
        None,
        "older than 14 days reads as no data"
    );
    assert_eq!(get("Z6").last_ms, None, "later than now is not seen");

    let open = open_items(&site, reports(&state), now);
    assert_eq!(open.total, 4);
    let counts: Vec<u32> = open.buckets.iter().map(|b| b.count).collect();
    assert_eq!(counts, vec![1, 1, 0, 1, 1]);
    assert_eq!(
        open.items[0].category,
        CleaningCategory::Plast,
        "oldest first"
    );
    assert_eq!(
        open.items
            .iter()
            .find(|i| i.id == open_fresh)
            .unwrap()
            .count,
        2
    );
    let z1 = open.by_zone.iter().find(|(z, _)| z == "Z1").unwrap();
    assert_eq!(z1.1, 2);
}
