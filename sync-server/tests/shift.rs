//! A whole shift through the server: a disturbance logged after the fact and amended by its guard,
//! amendments refused with a code when they are not the author's or not for that kind of report, and
//! handovers that reach the next shift of the same role and never a cleaner when a guard wrote them.

mod common;

use std::collections::BTreeMap;

use common::{TestServer, on_site};
use torgkoll_server::Limits;
use torgkoll_shared::handover::ZoneOpen;
use torgkoll_shared::{
    Amendment, Amount, DisturbanceCategory, DisturbanceReport, Handover, HandoverSummary,
    Intervention, Invalid, OpBody, Role, State,
};

fn handover(note: &str) -> OpBody {
    OpBody::Handover(Handover {
        shift_from: common::T0 - 8 * 3_600_000,
        note: Some(note.into()),
        summary: HandoverSummary {
            open: vec![ZoneOpen {
                zone: "Z1".into(),
                count: 2,
                oldest_h: 30,
            }],
            level1: 1,
            disturbances: 3,
            ..HandoverSummary::default()
        },
    })
}

#[tokio::test]
async fn amendments_and_handovers_reach_who_may_see_them() {
    let srv = TestServer::start(Limits::default()).await;
    let mut guard = srv.phone(Role::Guard, "Vakt").await;
    let mut cleaner = srv.phone(Role::Cleaner, "Plock").await;
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;

    let d = guard.op(OpBody::Disturbance(DisturbanceReport {
        category: DisturbanceCategory::BrakVald,
        level: 2,
        people: 2,
        interventions: BTreeMap::new(),
        note: None,
        at: on_site(),
        happened: Some(common::T0 - 15 * 60_000),
    }));
    let amend = guard.op(OpBody::Amend {
        report: d.id,
        change: Amendment {
            level: Some(1),
            interventions: Some(BTreeMap::from([(Intervention::Avvisning, 2)])),
            ..Amendment::default()
        },
    });
    let wrong_field = guard.op(OpBody::Amend {
        report: d.id,
        change: Amendment {
            amount: Some(Amount::Mycket),
            ..Amendment::default()
        },
    });
    let guards_handover = guard.op(handover("Lugnt efter 01; en nivå 1 vid trappan"));
    let r = guard
        .sync(&[d.clone(), amend, wrong_field, guards_handover], 0)
        .await;
    assert_eq!(r.acked_through, 4);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].cause, Some(Invalid::FieldNotForKind));

    // A cleaner amends their own report; a cleaner's handover is for cleaners (and guards).
    let c = cleaner.clean("glas vid trappan");
    let own = cleaner.op(OpBody::Amend {
        report: c.id,
        change: Amendment {
            note: Some("ändrad".into()),
            ..Amendment::default()
        },
    });
    let hand = cleaner.op(handover("Fimpar vid T-banan"));
    let r = cleaner.sync(&[c.clone(), own, hand], 0).await;
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    assert!(
        r.ops.iter().all(|p| !matches!(
            p.op.body,
            OpBody::Handover(_) | OpBody::Disturbance(_) | OpBody::Amend { .. }
        )),
        "a cleaner never gets a guard's handover, disturbance or its amendments: {:?}",
        r.ops.iter().map(|p| p.op.body.name()).collect::<Vec<_>>()
    );
    // The guard may not amend the cleaner's report, nor amend nothing.
    let foreign = guard.op(OpBody::Amend {
        report: c.id,
        change: Amendment {
            note: Some("inte min".into()),
            ..Amendment::default()
        },
    });
    let nothing = guard.op(OpBody::Amend {
        report: d.id,
        change: Amendment::default(),
    });
    let r2 = guard.sync(&[foreign, nothing], 0).await;
    assert_eq!(r2.rejected[0].cause, Some(Invalid::NotAuthor(c.id)));
    assert_eq!(r2.rejected[1].cause, Some(Invalid::NothingToChange));

    let (pulled, _, _) = manager.pull_all(0).await;
    let ops: Vec<_> = pulled.iter().map(|p| p.operation()).collect();
    let state = State::fold(&ops);
    let incident = &state.reports[&d.id];
    assert_eq!(incident.level(), Some(1));
    assert_eq!(incident.when_ms(), Some(common::T0 - 15 * 60_000));
    assert_eq!(state.handovers.len(), 2, "the manager sees every handover");
    let roles: Vec<Role> = state.handovers.values().map(|h| h.origin.role).collect();
    assert!(roles.contains(&Role::Guard) && roles.contains(&Role::Cleaner));
}

/// Free text in amendments and handovers goes with the retention period like every note.
#[tokio::test]
async fn retention_purges_the_notes_of_amendments_and_handovers() {
    use torgkoll_server::Clock;
    use torgkoll_shared::analytics::Retention;
    let srv = TestServer::start(Limits::default()).await;
    let mut cleaner = srv.phone(Role::Cleaner, "Plock").await;
    let c = cleaner.clean("GAMMAL-RAPPORT");
    let own = cleaner.op(OpBody::Amend {
        report: c.id,
        change: Amendment {
            note: Some("GAMMAL-ÄNDRING".into()),
            ..Amendment::default()
        },
    });
    let hand = cleaner.op(handover("GAMMAL-ÖVERLÄMNING"));
    assert!(cleaner.sync(&[c, own, hand], 0).await.rejected.is_empty());
    let later = srv.clock.now_ms() + 40 * 86_400_000;
    let out = srv
        .store
        .purge_free_text(Retention::new(30).unwrap(), later)
        .unwrap();
    assert_eq!(out.ops, 3);
    let bodies = srv.texts("SELECT body FROM ops").join("|");
    assert!(!bodies.contains("GAMMAL"), "{bodies}");
}
