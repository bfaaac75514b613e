//! A level-1 disturbance and a cleaning task, each from the person who logs it to the person who acts on
//! it and back, over a real server process and the app's own sync engines with their timers set to an
//! hour: everything that travels here travels because the wake-up channel said so.

use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::watch;
use torgkoll_app::store::AlertKind;
use torgkoll_app::sync::{EngineConfig, EngineStatus, SyncEngine, SyncHandle};
use torgkoll_e2e::phone::Phone;
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::workload;
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody, Report, Role, Status};
use uuid::Uuid;

fn engine(p: &Phone) -> SyncHandle {
    let cfg = EngineConfig {
        interval: Duration::from_secs(3600),
        ..EngineConfig::default()
    };
    SyncEngine::start(p.store.clone(), cfg, p.clock.clone())
}

async fn live(e: &SyncHandle) {
    let mut rx: watch::Receiver<EngineStatus> = e.subscribe();
    tokio::time::timeout(
        Duration::from_secs(60),
        rx.wait_for(|s| s.live && s.completed > 0),
    )
    .await
    .expect("the channel opens")
    .expect("the engine runs");
}

/// Waits (at most a minute) until `f` holds on `phone`.
async fn until(phone: &Phone, what: &str, f: impl Fn(&Phone) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !f(phone) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{}: never {what}",
            phone.name
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn alerted(p: &Phone, id: Uuid, kind: AlertKind) -> bool {
    let now = p.clock.now_ms();
    let alerts = p.store.lock().unwrap().active_alerts(p.role, now).unwrap();
    alerts
        .iter()
        .any(|a| a.report.report.id == id && a.kind == kind)
}

fn report(p: &Phone, id: Uuid) -> Option<Report> {
    p.store.lock().unwrap().report_state(id).unwrap()
}

fn taken_by(p: &Phone, id: Uuid) -> Option<String> {
    report(p, id)?.taken.map(|t| t.by)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level1_disturbance_alerts_the_others_and_the_take_comes_back() {
    let rig = Rig::start(None).unwrap();
    let guard = rig.phone(Role::Guard, "Väktare 1", None).await.unwrap();
    let other = rig.phone(Role::Guard, "Väktare 2", None).await.unwrap();
    let manager = rig
        .phone(Role::Manager, "Platsansvarig", None)
        .await
        .unwrap();
    let cleaner = rig.phone(Role::Cleaner, "Plock 1", None).await.unwrap();
    let engines = [&guard, &other, &manager, &cleaner].map(engine);
    for e in &engines {
        live(e).await;
    }
    let mut rng = StdRng::seed_from_u64(11);
    let OpBody::Disturbance(mut d) = workload::disturbance(&rig.site, &mut rng) else {
        unreachable!("a disturbance")
    };
    d.level = 1;
    let op = guard.record(OpBody::Disturbance(d)).unwrap();
    engines[0].sync_now();

    until(&other, "alerted", |p| alerted(p, op.id, AlertKind::Acute)).await;
    until(&manager, "alerted", |p| alerted(p, op.id, AlertKind::Acute)).await;
    assert!(!alerted(&guard, op.id, AlertKind::Acute), "not its author");

    // "Jag tar det" on the manager's phone.
    manager
        .record(OpBody::Take {
            report: op.id,
            by: "Platsansvarig".into(),
        })
        .unwrap();
    engines[2].sync_now();
    until(&guard, "saw who took it", |p| {
        taken_by(p, op.id).as_deref() == Some("Platsansvarig")
    })
    .await;
    until(&other, "stopped alerting", |p| {
        !alerted(p, op.id, AlertKind::Acute)
    })
    .await;
    assert!(
        report(&cleaner, op.id).is_none(),
        "a cleaner never hears of a disturbance"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cleaning_task_goes_to_a_cleaner_and_its_state_back_to_the_guard() {
    let rig = Rig::start(None).unwrap();
    let guard = rig.phone(Role::Guard, "Väktare 1", None).await.unwrap();
    let cleaner = rig.phone(Role::Cleaner, "Plock 1", None).await.unwrap();
    let engines = [&guard, &cleaner].map(engine);
    for e in &engines {
        live(e).await;
    }
    let mut rng = StdRng::seed_from_u64(12);
    let from = guard
        .record(workload::disturbance(&rig.site, &mut rng))
        .unwrap();
    let task = guard
        .record(OpBody::CleanRequest {
            from: from.id,
            task: CleaningReport {
                category: CleaningCategory::Glaskross,
                amount: None,
                note: None,
                at: workload::point_in_site(&rig.site, &mut rng),
                acc: None,
            },
            by: Some("Väktare 1".into()),
        })
        .unwrap();
    engines[0].sync_now();

    until(&cleaner, "alerted", |p| {
        alerted(p, task.id, AlertKind::Task)
    })
    .await;
    let open = cleaner.store.lock().unwrap().open_tasks().unwrap();
    assert_eq!(open.first().map(|t| t.report.id), Some(task.id), "on top");

    // "Jag tar den", then "Klar".
    cleaner
        .record(OpBody::Take {
            report: task.id,
            by: "Plock 1".into(),
        })
        .unwrap();
    engines[1].sync_now();
    until(&guard, "saw it taken", |p| {
        taken_by(p, task.id).as_deref() == Some("Plock 1")
    })
    .await;
    cleaner.record(OpBody::Resolve { report: task.id }).unwrap();
    engines[1].sync_now();
    until(&guard, "saw it done", |p| {
        report(p, task.id).is_some_and(|r| r.status() == Status::Resolved)
    })
    .await;
    assert!(
        cleaner
            .store
            .lock()
            .unwrap()
            .open_tasks()
            .unwrap()
            .is_empty()
    );
}
