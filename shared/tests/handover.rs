//! What a shift hands over, drafted from the folded state: open cleaning items by zone with the age of
//! the oldest (closed, withdrawn and duplicate ones left out), open tasks, zones no machine has been in,
//! and the shift's disturbances: those that happened in it and those logged in it, level 1 counted.

use std::collections::BTreeMap;

use geo::InteriorPoint;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::handover::draft_summary;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc,
    OpBody, Operation, Role, Site, State,
};
use uuid::Uuid;

const H: i64 = 3_600_000;

fn in_zone(site: &Site, z: usize) -> GeoPoint {
    let c = site.zones[z].polygon.interior_point().unwrap().0;
    site.frame.from_local(c).rounded()
}

struct Log {
    ops: Vec<Operation>,
    n: u128,
}

impl Log {
    fn op(&mut self, role: Role, t: i64, body: OpBody) -> Uuid {
        self.n += 1;
        let id = Uuid::from_u128(0x1000 + self.n);
        self.ops.push(Operation {
            id,
            device: Uuid::from_u128(role as u128 + 1),
            seq: self.n as u64,
            hlc: Hlc::new(t as u64, 0),
            wall_ms: t,
            role,
            body,
            fix: None,
        });
        id
    }

    fn clean(&mut self, t: i64, at: GeoPoint) -> Uuid {
        self.op(
            Role::Cleaner,
            t,
            OpBody::Clean(CleaningReport {
                category: CleaningCategory::Glaskross,
                amount: None,
                note: None,
                at,
                acc: None,
            }),
        )
    }

    fn disturbance(&mut self, t: i64, level: u8, happened: Option<i64>, at: GeoPoint) -> Uuid {
        self.op(
            Role::Guard,
            t,
            OpBody::Disturbance(DisturbanceReport {
                category: DisturbanceCategory::Berusad,
                level,
                people: 1,
                interventions: BTreeMap::new(),
                note: None,
                at,
                happened,
            }),
        )
    }
}

#[test]
fn a_night_shift_hands_over_what_it_leaves_and_what_it_saw() {
    let site = plattan();
    let day = Date::parse("2026-11-28").unwrap();
    let (from, now) = (day.at_local(18, 0), day.add_days(1).at_local(2, 0));
    let mut log = Log { ops: vec![], n: 0 };
    // Zone 0: two open, the older from 21:00 the evening before (29 h before 02:00); one resolved.
    log.clean(day.add_days(-1).at_local(21, 0), in_zone(&site, 0));
    log.clean(day.at_local(23, 30), in_zone(&site, 0));
    let done = log.clean(day.at_local(19, 0), in_zone(&site, 0));
    log.op(
        Role::Cleaner,
        day.at_local(20, 0),
        OpBody::Resolve { report: done },
    );
    // Zone 2: one withdrawn (not counted) and a guard's task still open.
    let oops = log.clean(day.at_local(22, 0), in_zone(&site, 2));
    log.op(
        Role::Cleaner,
        day.at_local(22, 1),
        OpBody::Withdraw { report: oops },
    );
    let incident = log.disturbance(day.at_local(22, 0), 1, None, in_zone(&site, 2));
    log.op(
        Role::Guard,
        day.at_local(22, 5),
        OpBody::CleanRequest {
            from: incident,
            task: CleaningReport {
                category: CleaningCategory::Glaskross,
                amount: None,
                note: None,
                at: in_zone(&site, 2),
                acc: None,
            },
            by: Some("Vakt 1".into()),
        },
    );
    // Disturbances: one before the shift (not counted), one logged at 18:05 of something at 17:50
    // (counted: logged in the shift), one at 01:00.
    log.disturbance(day.at_local(12, 0), 1, None, in_zone(&site, 3));
    log.disturbance(
        day.at_local(18, 5),
        2,
        Some(day.at_local(17, 50)),
        in_zone(&site, 3),
    );
    log.disturbance(day.add_days(1).at_local(1, 0), 3, None, in_zone(&site, 4));

    let state = State::fold(&log.ops);
    // A machine was in zone 0 an hour ago and in zone 1 ten hours ago; never in the others.
    let mut last = vec![None; site.zones.len()];
    last[0] = Some(now - H);
    last[1] = Some(now - 10 * H);
    let s = draft_summary(&site, &state, &last, from, now, 4);

    let open: Vec<(&str, u32, u32)> = s
        .open
        .iter()
        .map(|z| (z.zone.as_str(), z.count, z.oldest_h))
        .collect();
    let (z0, z2) = (site.zones[0].id.as_str(), site.zones[2].id.as_str());
    assert_eq!(open, vec![(z0, 2, 29), (z2, 1, 3)], "{s:?}");
    assert_eq!(s.open_tasks, 1);
    assert_eq!(s.not_cleaned_h, 4);
    assert!(!s.not_cleaned.contains(&site.zones[0].id));
    assert!(s.not_cleaned.contains(&site.zones[1].id));
    assert_eq!(s.not_cleaned.len(), site.zones.len() - 1);
    assert_eq!((s.disturbances, s.level1), (3, 1), "{s:?}");
    assert!(s.is_bounded());
}
