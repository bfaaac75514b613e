//! Known data for the review screens: a cleaner's and a guard's operations made at known places and
//! times, delivered to the manager's phone the way a pull from the server delivers them.

use std::collections::BTreeMap;

use geo::InteriorPoint;
use torgkoll_app::store::Store;
use torgkoll_shared::analytics::Period;
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::protocol::{PROTOCOL_VERSION, PulledOp, SyncResponse, WireOp};
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc,
    Intervention, MachineKind, OpBody, Operation, Role, Site, TrackPoint,
};
use uuid::Uuid;

use crate::harness::Ui;

pub const CLEANER: Uuid = Uuid::from_u128(0xC1EA_0001);
pub const GUARD: Uuid = Uuid::from_u128(0x6A4D_0001);
const MS_PER_DAY: i64 = 86_400_000;

/// Other devices' operations, numbered per device.
#[derive(Default)]
pub struct Fleet {
    ops: Vec<Operation>,
    seqs: BTreeMap<Uuid, u64>,
}

impl Fleet {
    /// Adds an operation made at `t`; returns its id (a new report's or run's id).
    pub fn op(&mut self, device: Uuid, role: Role, t: i64, body: OpBody) -> Uuid {
        let seq = self.seqs.entry(device).or_default();
        *seq += 1;
        let id = Uuid::new_v7(uuid::Timestamp::from_unix(
            uuid::NoContext,
            (t / 1000) as u64,
            ((t % 1000) * 1_000_000) as u32,
        ));
        self.ops.push(Operation {
            id,
            device,
            seq: *seq,
            hlc: Hlc::new(t as u64, 0),
            wall_ms: t,
            role,
            body,
            fix: None,
        });
        id
    }

    /// The last operation came from a phone whose clock read `wall` when it was truly `t`: the server
    /// kept `wall` and `hlc` as the phone said and corrected them.
    pub fn said_by_wrong_clock(&mut self, wall: i64) {
        let op = self.ops.last_mut().expect("an operation");
        let (at, hlc) = (op.wall_ms, op.hlc);
        op.fix = Some(torgkoll_shared::TimeFix { at, hlc });
        op.wall_ms = wall;
        op.hlc = Hlc::new(wall.max(0) as u64, 0);
    }

    pub fn clean(&mut self, t: i64, category: CleaningCategory, at: GeoPoint) -> Uuid {
        let body = OpBody::Clean(CleaningReport {
            category,
            amount: None,
            note: None,
            at,
            acc: None,
        });
        self.op(CLEANER, Role::Cleaner, t, body)
    }

    pub fn disturbance(&mut self, t: i64, level: u8, interventions: u16, at: GeoPoint) -> Uuid {
        let body = OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::ALL[0],
            level,
            people: 2,
            interventions: [(Intervention::Avvisning, interventions)]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect(),
            note: None,
            at,
            happened: None,
        });
        self.op(GUARD, Role::Guard, t, body)
    }

    /// A fimpsug run through the given points, one point a minute from `t`.
    pub fn run(&mut self, t: i64, points: &[GeoPoint]) -> Uuid {
        let start = OpBody::RunStart {
            kind: MachineKind::Fimpsug,
            machine: "Fimpsug 1".into(),
            started: t,
        };
        let run = self.op(CLEANER, Role::Cleaner, t, start);
        let pts: Vec<TrackPoint> = points
            .iter()
            .enumerate()
            .map(|(i, p)| TrackPoint {
                at: *p,
                t: t + i as i64 * 1_000 + 1,
                acc: None,
            })
            .collect();
        let end = pts.last().map_or(t, |p| p.t) + 1;
        self.op(
            CLEANER,
            Role::Cleaner,
            t + 1,
            OpBody::RunPoints { run, points: pts },
        );
        self.op(
            CLEANER,
            Role::Cleaner,
            end,
            OpBody::RunStop { run, stopped: end },
        );
        run
    }

    /// Delivers everything to the store as one pulled page.
    pub fn deliver(self, store: &mut Store, now: i64) {
        let mut ops = self.ops;
        ops.sort_by_key(|o| (o.hlc, o.device, o.id));
        let pulled: Vec<PulledOp> = ops
            .iter()
            .enumerate()
            .map(|(i, o)| PulledOp {
                pos: i as u64 + 1,
                dev: o.device,
                role: o.role,
                recv: o.wall_ms + 1_000,
                op: WireOp::from_op(o),
                fix: o.fix,
            })
            .collect();
        let resp = SyncResponse {
            v: PROTOCOL_VERSION,
            acked_through: 0,
            rejected: vec![],
            fixed: vec![],
            pull_pos: pulled.len() as u64,
            ops: pulled,
            more: false,
            photos_wanted: vec![],
            server_ms: now,
        };
        store
            .apply_sync(&resp, now, now)
            .expect("apply the pulled page");
    }
}

/// The interior point of a zone, moved by `(dx, dy)` local metres.
pub fn in_zone(site: &Site, zone: usize, dx: f64, dy: f64) -> GeoPoint {
    let c = site.zones[zone]
        .polygon
        .interior_point()
        .expect("a zone has an interior point")
        .0;
    site.frame
        .from_local(geo::Coord {
            x: c.x + dx,
            y: c.y + dy,
        })
        .rounded()
}

pub fn zone_id(site: &Site, zone: usize) -> String {
    site.zones[zone].id.clone()
}

/// A time earlier today: `k` thousandths of the time since local midnight before now.
pub fn recent(now: i64, k: i64) -> i64 {
    let start = Period::day(local_date(now)).from_ms;
    now - (now - start) * k / 1000 - 1
}

/// The same time of day `days` days ago.
pub fn days_ago(now: i64, days: i64) -> i64 {
    now - days * MS_PER_DAY
}

/// What the known day holds.
pub struct KnownDay {
    /// Three fimpar reports at one spot of zone 2, made today.
    pub fimpar: [Uuid; 3],
    /// One snus report in zone 5, today.
    pub snus: Uuid,
    /// A fimpar report in zone 2 three days ago.
    pub old_fimpar: Uuid,
    /// Two disturbances in zone 4 in the same hour today: level 1 with one avvisning, level 3.
    pub disturbances: [Uuid; 2],
    /// The time of the level-1 disturbance.
    pub disturbance_t: i64,
    /// The latest fimpar report's time.
    pub fimpar_t: i64,
}

/// A manager's phone with the known day on it. Zone 0 had a fimpsug run minutes ago; zones 1, 3, 6
/// and 7 have no data at all.
pub fn manager_with_known_day() -> (Ui, KnownDay) {
    let mut day = None;
    let ui = Ui::with_store(Some(Role::Manager), |store, now| {
        let site = store.site().clone();
        let mut f = Fleet::default();
        let spot = in_zone(&site, 2, 0.0, 0.0);
        let fimpar_t = recent(now, 100);
        let fimpar = [
            f.clean(recent(now, 300), CleaningCategory::Fimpar, spot),
            f.clean(recent(now, 200), CleaningCategory::Fimpar, spot),
            f.clean(fimpar_t, CleaningCategory::Fimpar, spot),
        ];
        let snus = f.clean(
            recent(now, 150),
            CleaningCategory::Snus,
            in_zone(&site, 5, 0.0, 0.0),
        );
        let old_fimpar = f.clean(days_ago(now, 3), CleaningCategory::Fimpar, spot);
        let dt = recent(now, 50);
        let disturbances = [
            f.disturbance(dt, 1, 1, in_zone(&site, 4, 0.0, 0.0)),
            f.disturbance(dt - 1, 3, 0, in_zone(&site, 4, 1.0, 0.0)),
        ];
        f.run(
            recent(now, 5),
            &[in_zone(&site, 0, -1.5, 0.0), in_zone(&site, 0, 1.5, 0.0)],
        );
        f.deliver(store, now);
        day = Some(KnownDay {
            fimpar,
            snus,
            old_fimpar,
            disturbances,
            disturbance_t: dt,
            fimpar_t,
        });
    });
    (ui, day.expect("seeded"))
}
