//! `--demo`: a realistic day on the Plattan in a fresh data directory, so the app can be tried (and
//! screenshotted) without a server. Other devices' activity arrives the way a sync would bring it; this
//! phone's own reports are recorded like any tap, some acknowledged, one rejected, the newest pending.

use std::collections::HashSet;

use torgkoll_shared::analytics::demo::{DemoConfig, device, generate};
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::protocol::{PROTOCOL_VERSION, PulledOp, Rejection, SyncResponse, WireOp};
use torgkoll_shared::{
    Amount, CleaningCategory, CleaningReport, DisturbanceReport, Domain, Intervention, MachineKind,
    OpBody, Role, TrackPoint,
};
use uuid::Uuid;

use crate::store::{Identity, Store, StoreError};

/// The demo phone's device id: not one of the generated crew's.
pub fn demo_device(role: Role) -> Uuid {
    device(role, 9)
}

/// Whether a role's phone would receive an operation (the server's rule, from `shared`).
fn visible(role: Role, body: &OpBody, disturbances: &HashSet<Uuid>) -> bool {
    let domain = match body {
        OpBody::Disturbance(_) => Domain::Disturbance,
        b if b.target().is_some_and(|t| disturbances.contains(&t)) => Domain::Disturbance,
        _ => Domain::Cleaning,
    };
    torgkoll_shared::access::may_see(role, domain)
}

/// Seeds the store with today's activity up to `now_ms` and enrolls it as a demo phone of `role`.
/// Does nothing if the store is enrolled already (the data directory is not fresh).
pub fn seed(store: &mut Store, role: Role, now_ms: i64) -> Result<bool, StoreError> {
    if store.identity().is_some() {
        return Ok(false);
    }
    store.set_identity(Identity {
        device: demo_device(role),
        token: String::new(),
        role,
        name: format!("Demo ({})", role.label(torgkoll_shared::Lang::Sv)),
        server: String::new(),
    })?;
    let site = store.site().clone();
    // Three days, so the maps hold what earlier shifts left open, with its age.
    let cfg = DemoConfig {
        seed: 2018,
        start: local_date(now_ms).add_days(-2),
        days: 3,
        cleaning_per_day: 45,
        disturbances_per_day: 8,
    };
    let mut ops: Vec<_> = generate(&site, &cfg)
        .into_iter()
        .filter(|o| o.wall_ms <= now_ms)
        .collect();
    ops.sort_by_key(|o| (o.hlc, o.device, o.id));
    let disturbances: HashSet<Uuid> = ops
        .iter()
        .filter(|o| matches!(o.body, OpBody::Disturbance(_)))
        .map(|o| o.id)
        .collect();
    let pulled: Vec<PulledOp> = ops
        .iter()
        .filter(|o| visible(role, &o.body, &disturbances))
        .enumerate()
        .map(|(i, o)| PulledOp {
            pos: i as u64 + 1,
            dev: o.device,
            role: o.role,
            recv: o.wall_ms + 1_500,
            op: WireOp::from_op(o),
            fix: None,
        })
        .collect();
    let pull_pos = pulled.len() as u64;
    let answer = |acked_through, rejected, ops| SyncResponse {
        v: PROTOCOL_VERSION,
        acked_through,
        rejected,
        fixed: vec![],
        ops,
        pull_pos,
        more: false,
        photos_wanted: vec![],
        server_ms: now_ms - 120_000,
    };
    let synced = now_ms - 120_000;
    store.apply_sync(&answer(0, vec![], pulled), synced, synced)?;
    morning_handover(store, role, now_ms)?;
    // This phone's shift began before its first report of the day.
    store.start_shift(now_ms - 100 * 60_000)?;
    own_reports(store, role, now_ms)
}

/// The previous shift of this role handed over five hours ago, drafted from the data as it was then:
/// the card on top of the home screen until it is marked read.
fn morning_handover(store: &mut Store, role: Role, now_ms: i64) -> Result<(), StoreError> {
    use torgkoll_shared::analytics::coverage::last_cleaned;
    let t = now_ms - 5 * 3_600_000;
    let state = store.state_at(t)?;
    let runs: Vec<torgkoll_shared::Run> = state.runs.values().cloned().collect();
    let refs: Vec<&torgkoll_shared::Run> = runs.iter().collect();
    let site = store.site().clone();
    let mut summary = torgkoll_shared::handover::draft_summary(
        &site,
        &state,
        &last_cleaned(&site, &refs, t),
        t - 8 * 3_600_000,
        t,
        4,
    );
    if role == Role::Cleaner {
        summary.disturbances = 0;
        summary.level1 = 0;
    }
    let note = match role {
        Role::Cleaner => "Glas vid trappan kvar sedan i går kväll. Fimpsug 1 laddas.",
        Role::Guard => "Lugn natt. Håll koll vid T-Centralens uppgång efter skolslut.",
        Role::Manager => "Möte med fastighetsägarna kl. 15.",
    };
    let op = torgkoll_shared::Operation {
        id: Uuid::from_u128(0xDE40_4A4D_0000_0000_0000_0000_0000_0001 | (role as u128) << 16),
        device: device(role, 1),
        seq: 10_000,
        hlc: torgkoll_shared::Hlc::new(t as u64, 0),
        wall_ms: t,
        role,
        body: OpBody::Handover(torgkoll_shared::Handover {
            shift_from: t - 8 * 3_600_000,
            note: Some(note.into()),
            summary,
        }),
        fix: None,
    };
    let pos = store.pull_pos()? + 1;
    let page = SyncResponse {
        v: PROTOCOL_VERSION,
        acked_through: 0,
        rejected: vec![],
        fixed: vec![],
        ops: vec![PulledOp {
            pos,
            dev: op.device,
            role,
            recv: t + 1_500,
            op: WireOp::from_op(&op),
            fix: None,
        }],
        pull_pos: pos,
        more: false,
        photos_wanted: vec![],
        server_ms: now_ms - 110_000,
    };
    store.apply_sync(&page, now_ms - 110_000, now_ms - 110_000)?;
    Ok(())
}

fn at_zone(store: &Store, zone: usize, dx: f64) -> torgkoll_shared::GeoPoint {
    use geo::InteriorPoint;
    let site = store.site();
    let z = &site.zones[zone % site.zones.len()];
    let c = z
        .polygon
        .interior_point()
        .map_or(geo::Coord { x: 0.0, y: 0.0 }, |p| p.0);
    site.frame
        .from_local(geo::Coord {
            x: c.x + dx,
            y: c.y,
        })
        .rounded()
}

/// This phone's own day: three sent, one rejected by the server, the newest two still pending.
fn own_reports(store: &mut Store, role: Role, now_ms: i64) -> Result<bool, StoreError> {
    let min = 60_000;
    let mut seqs = Vec::new();
    for (i, minutes_ago) in [95i64, 70, 48, 30, 12, 3].into_iter().enumerate() {
        let t = now_ms - minutes_ago * min;
        let at = at_zone(store, i * 3 + 2, i as f64 * 2.0);
        let body = match role {
            Role::Guard => OpBody::Disturbance(DisturbanceReport {
                category: torgkoll_shared::DisturbanceCategory::ALL[i % 5],
                level: [3, 2, 3, 1, 2, 3][i],
                people: 1 + i as u16 % 3,
                interventions: [(Intervention::Avvisning, 1u16)]
                    .into_iter()
                    .take(i % 2)
                    .collect(),
                note: None,
                at,
                happened: None,
            }),
            _ => OpBody::Clean(CleaningReport {
                category: [
                    CleaningCategory::Fimpar,
                    CleaningCategory::Glaskross,
                    CleaningCategory::OverfullPapperskorg,
                    CleaningCategory::Nedskrapning,
                    CleaningCategory::Fimpar,
                    CleaningCategory::Spyor,
                ][i],
                amount: (i % 2 == 0).then_some(Amount::Mycket),
                note: None,
                at,
                acc: None,
            }),
        };
        let op = store.record(body, t)?;
        seqs.push((op.seq, op.id));
    }
    // One of them lies just outside the server's (newer) site plan.
    let (rej_seq, rej_id) = seqs[3];
    let at = store
        .report(rej_id)?
        .and_then(|r| r.report.at())
        .unwrap_or(torgkoll_shared::GeoPoint::new(0.0, 0.0));
    let cause = torgkoll_shared::Invalid::Outside(torgkoll_shared::OutsideSite {
        lon: at.lon,
        lat: at.lat,
        distance_m: 3.0,
        site: site_name(store),
    });
    let rejected = vec![Rejection {
        seq: rej_seq,
        id: rej_id,
        reason: cause.to_string(),
        cause: Some(cause),
    }];
    let resp = SyncResponse {
        v: PROTOCOL_VERSION,
        acked_through: rej_seq,
        rejected,
        fixed: vec![],
        ops: vec![],
        pull_pos: store.pull_pos()?,
        more: false,
        photos_wanted: vec![],
        server_ms: now_ms - 5 * min,
    };
    store.apply_sync(&resp, now_ms - 5 * min, now_ms - 5 * min)?;
    if role == Role::Cleaner {
        running_machine(store, now_ms)?;
    }
    Ok(true)
}

/// "Skurmaskin 2 · 14 min": a run started 14 minutes ago along the Plattan, still going.
fn site_name(store: &Store) -> String {
    store.site().name.clone()
}

fn running_machine(store: &mut Store, now_ms: i64) -> Result<(), StoreError> {
    let min = 60_000;
    let start = now_ms - 14 * min;
    let run = store.record(
        OpBody::RunStart {
            kind: MachineKind::Skurmaskin,
            machine: "Skurmaskin 2".into(),
            started: start,
        },
        start,
    )?;
    let site = store.site().clone();
    let (x0, y0, x1, y1) = site.view_bounds();
    let (cy, h) = ((y0 + y1) / 2.0, (y1 - y0) / 2.0);
    for k in 0..8 {
        let x = x0 + 18.0 + (x1 - x0 - 36.0) * f64::from(k) / 7.0;
        let y = cy + if k % 2 == 0 { 0.3 * h } else { -0.1 * h };
        let t = start + i64::from(k + 1) * 90_000;
        let at = site.frame.from_view(geo::Coord { x, y }).rounded();
        let points = vec![TrackPoint { at, t, acc: None }];
        store.record(
            OpBody::RunPoints {
                run: run.id,
                points,
            },
            t,
        )?;
    }
    Ok(())
}
