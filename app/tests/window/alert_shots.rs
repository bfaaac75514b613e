//! Screenshots of alerts that reach a person (`scripts/screenshots.sh alerts-guard alerts-cleaner`):
//! a guard's phone with the red banner of another guard's level-1 fight two minutes old
//! (`50-level1-alert.png`, and at night `53-level1-alert-night.png`), and a cleaner's phone with two open tasks on top, one new with its banner
//! and one another cleaner has taken (`51-task-list.png`). The other phones' operations arrive as a pull
//! delivers them, on the demo day.

use std::path::Path;
use std::sync::Arc;

use torgkoll_app::platform::{Clock, ManualClock};
use torgkoll_app::store::Store;
use torgkoll_app::ui::Services;
use torgkoll_shared::protocol::{PROTOCOL_VERSION, PulledOp, SyncResponse, WireOp};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    Amount, CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint,
    Hlc, OpBody, Operation, Role,
};
use uuid::Uuid;

use crate::driver::{click, sleep_ms, wait_for};

const GUARD: Uuid = Uuid::from_u128(0x6A4D_0002);
const CLEANER: Uuid = Uuid::from_u128(0xC1EA_0002);
const MIN: i64 = 60_000;

/// A place in a zone, by its id (its interior point).
fn in_zone(zone: &str) -> GeoPoint {
    use geo::InteriorPoint;
    let site = plattan();
    let z = site.zone(zone).expect("a zone");
    site.frame
        .from_local(z.polygon.interior_point().expect("a point").0)
        .rounded()
}

/// The demo day for `role`, with what the scene needs pulled from other phones.
pub fn alert_services(db: &Path, role: Role, clock: Arc<ManualClock>) -> Services {
    let mut store = Store::open(db, Arc::new(plattan())).expect("store");
    let now = clock.now_ms();
    torgkoll_app::ui::demo::seed(&mut store, role, now).expect("demo");
    // The demo's own alerts and tasks were seen and signalled on an earlier shift: the scene shows
    // the new ones.
    for a in store.active_alerts(role, now).expect("alerts") {
        store
            .mark_alert_seen(a.report.report.id, now)
            .expect("seen");
    }
    let fight = OpBody::Disturbance(DisturbanceReport {
        category: DisturbanceCategory::BrakVald,
        level: 1,
        people: 3,
        interventions: Default::default(),
        note: Some("två grupper vid fontänen".into()),
        at: in_zone("Z4"),
        happened: None,
    });
    let fight = pull(&mut store, GUARD, Role::Guard, 1, now - 2 * MIN, fight, now);
    if role == Role::Cleaner {
        let task = |category, amount| OpBody::CleanRequest {
            from: fight,
            task: CleaningReport {
                category,
                amount,
                note: None,
                at: in_zone("Z4"),
                acc: None,
            },
            by: Some("Vakt 1".into()),
        };
        let older = task(CleaningCategory::Spyor, None);
        let older = pull(
            &mut store,
            GUARD,
            Role::Guard,
            2,
            now - 25 * MIN,
            older,
            now,
        );
        let take = OpBody::Take {
            report: older,
            by: "Plock 2".into(),
        };
        pull(
            &mut store,
            CLEANER,
            Role::Cleaner,
            1,
            now - 20 * MIN,
            take,
            now,
        );
        let glass = task(CleaningCategory::Glaskross, Some(Amount::Mycket));
        pull(&mut store, GUARD, Role::Guard, 3, now - MIN, glass, now);
    }
    Services::new(store, clock)
}

/// Delivers another phone's operation number `seq`, made at `t`, as a pull delivers it.
fn pull(
    store: &mut Store,
    device: Uuid,
    role: Role,
    seq: u64,
    t: i64,
    body: OpBody,
    now: i64,
) -> Uuid {
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, (t / 1000) as u64, 0);
    let op = Operation {
        id: Uuid::new_v7(ts),
        device,
        seq,
        hlc: Hlc::new(t as u64, seq as u16),
        wall_ms: t,
        role,
        body,
        fix: None,
    };
    let pos = store.pull_pos().expect("pull position") + 1;
    let resp = SyncResponse {
        v: PROTOCOL_VERSION,
        acked_through: 0,
        rejected: vec![],
        fixed: vec![],
        pull_pos: pos,
        ops: vec![PulledOp {
            pos,
            dev: device,
            role,
            recv: t + 1_000,
            op: WireOp::from_op(&op),
            fix: None,
        }],
        more: false,
        photos_wanted: vec![],
        server_ms: now,
    };
    store.apply_sync(&resp, now, now).expect("pulled");
    op.id
}

pub async fn take(which: &str) -> Result<(), String> {
    click("handover-read").await;
    wait_for("the banner", "document.querySelector('.alert-banner')").await;
    if which == "shots-alerts-guard" {
        sleep_ms(300).await;
        crate::shots::shot("50-level1-alert").await?;
        // The same at night: the banner stays on top of every screen, so it is there on the settings
        // screen where the night theme is chosen, and back on the guard's own screen.
        click("tab-settings").await;
        click("theme-night").await;
        wait_for("the night class", "document.querySelector('.app.night')").await;
        click("tab-disturbance").await;
        wait_for("the banner", "document.querySelector('.alert-banner')").await;
        sleep_ms(300).await;
        crate::shots::shot("53-level1-alert-night").await?;
    } else {
        wait_for("the tasks", "document.getElementById('task-list')").await;
        sleep_ms(300).await;
        crate::shots::shot("51-task-list").await?;
    }
    Ok(())
}
