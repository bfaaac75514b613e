//! Fixtures shared by the analytics tests.
#![allow(dead_code)]

use geo::{Coord, InteriorPoint};
use torgkoll_shared::analytics::Period;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc,
    Intervention, MachineKind, OpBody, Operation, Report, Role, Site, State, TrackPoint,
};
use uuid::Uuid;

pub struct Ops {
    n: u128,
    pub ops: Vec<Operation>,
}

impl Ops {
    pub fn new() -> Self {
        Ops {
            n: 0,
            ops: Vec::new(),
        }
    }

    pub fn push(&mut self, t: i64, role: Role, body: OpBody) -> Uuid {
        self.n += 1;
        let id = Uuid::from_u128(0x5000_0000 + self.n);
        self.ops.push(Operation {
            id,
            device: Uuid::from_u128(0xD1),
            seq: self.n as u64,
            hlc: Hlc::new(t as u64, 0),
            wall_ms: t,
            role,
            body,
            fix: None,
        });
        id
    }

    pub fn clean(&mut self, t: i64, at: GeoPoint, category: CleaningCategory) -> Uuid {
        let r = CleaningReport {
            category,
            amount: None,
            note: None,
            at,
            acc: None,
        };
        self.push(t, Role::Cleaner, OpBody::Clean(r))
    }

    pub fn state(&self) -> State {
        State::fold(&self.ops)
    }
}

pub fn centre(site: &Site, zone: &str) -> Coord<f64> {
    site.zone(zone).unwrap().polygon.interior_point().unwrap().0
}

pub fn at(site: &Site, c: Coord<f64>, dx: f64, dy: f64) -> GeoPoint {
    site.frame.from_local(Coord {
        x: c.x + dx,
        y: c.y + dy,
    })
}

pub fn reports(state: &State) -> Vec<&Report> {
    state.known_reports().collect()
}

pub fn op(n: u128, t: i64, role: Role, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(0x7000 + n),
        device: Uuid::from_u128(0xD7),
        seq: n as u64,
        hlc: Hlc::new(t as u64, 0),
        wall_ms: t,
        role,
        body,
        fix: None,
    }
}

pub fn place(site: &Site, zone: &str) -> GeoPoint {
    site.frame
        .from_local(site.zone(zone).unwrap().polygon.interior_point().unwrap().0)
        .rounded()
}

/// A day with a cleaning report whose note needs quoting, a disturbance with a note and interventions,
/// a withdrawn report, a report the day before, and a machine run.
pub fn fixture(site: &Site) -> (Vec<Operation>, Period) {
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
        happened: None,
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
