//! "Jag tar det": who may take what (a level-1 disturbance a guard or the manager, a cleaning task a
//! cleaner or the manager, a plain cleaning report nobody), the taker's name as the wire carries it, and
//! the fold that shows every phone the same taker whatever order the takes arrive in.

use torgkoll_shared::invalid::Action;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::validate::MAX_DEVICE_NAME_CHARS;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, Domain, GeoPoint,
    Hlc, Invalid, Lookup, OpBody, Operation, ReportBody, Role, State, Status, validate,
};
use uuid::Uuid;

const T0: i64 = 1_764_000_000_000;

fn at() -> GeoPoint {
    let site = plattan();
    site.frame.from_view(geo::Coord { x: 0.0, y: 0.0 })
}

fn op(n: u128, role: Role, t: i64, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(0x100 + n),
        device: Uuid::from_u128(0xD0 + n),
        seq: 1,
        hlc: Hlc::new(t as u64, 0),
        wall_ms: t,
        role,
        body,
        fix: None,
    }
}

fn clean() -> CleaningReport {
    CleaningReport {
        category: CleaningCategory::Glaskross,
        amount: None,
        note: None,
        at: at(),
        acc: None,
    }
}

/// A disturbance (1), a cleaning task asked for from it (2) and a plain cleaning report (3).
fn site_ops() -> Vec<Operation> {
    let d = op(
        1,
        Role::Guard,
        T0,
        OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::BrakVald,
            level: 1,
            people: 3,
            interventions: Default::default(),
            note: None,
            at: at(),
            happened: None,
        }),
    );
    let task = op(
        2,
        Role::Guard,
        T0 + 1_000,
        OpBody::CleanRequest {
            from: d.id,
            task: clean(),
            by: Some("Vakt 1".into()),
        },
    );
    let plain = op(3, Role::Cleaner, T0 + 2_000, OpBody::Clean(clean()));
    vec![d, task, plain]
}

/// What validation needs, from the folded state (what a store answers from its tables).
struct Folded(State);

impl Lookup for Folded {
    fn target(&self, id: Uuid) -> Option<(Domain, Uuid)> {
        let r = self.0.reports.get(&id).filter(|r| r.is_known())?;
        let d = torgkoll_shared::access::domain_of_report(r)?;
        Some((d, r.origin.as_ref()?.stamp.device))
    }

    fn is_task(&self, id: Uuid) -> bool {
        self.0.reports.get(&id).is_some_and(|r| r.is_task())
    }
}

fn take(role: Role, report: Uuid, by: &str) -> Result<Domain, Invalid> {
    let lookup = Folded(State::fold(&site_ops()));
    let o = op(
        9,
        role,
        T0 + 60_000,
        OpBody::Take {
            report,
            by: by.into(),
        },
    );
    validate(&o, &plattan(), &lookup)
}

#[test]
fn guards_and_the_manager_take_alerts_cleaners_and_the_manager_take_tasks() {
    let ops = site_ops();
    let (alert, task, plain) = (ops[0].id, ops[1].id, ops[2].id);
    assert_eq!(take(Role::Guard, alert, "Vakt 2"), Ok(Domain::Disturbance));
    assert_eq!(
        take(Role::Manager, alert, "Platsansvarig"),
        Ok(Domain::Disturbance)
    );
    assert_eq!(
        take(Role::Cleaner, alert, "Plock 1"),
        Err(Invalid::NotAllowed {
            role: Role::Cleaner,
            action: Action::TakeAlert
        })
    );
    assert_eq!(take(Role::Cleaner, task, "Plock 1"), Ok(Domain::Cleaning));
    assert_eq!(
        take(Role::Manager, task, "Platsansvarig"),
        Ok(Domain::Cleaning)
    );
    assert_eq!(
        take(Role::Guard, task, "Vakt 2"),
        Err(Invalid::NotAllowed {
            role: Role::Guard,
            action: Action::TakeTask
        })
    );
    for role in [Role::Cleaner, Role::Manager, Role::Guard] {
        assert_eq!(take(role, plain, "X"), Err(Invalid::NotTakeable(plain)));
    }
    let nothing = Uuid::from_u128(0xDEAD);
    assert_eq!(
        take(Role::Manager, nothing, "X"),
        Err(Invalid::UnknownTarget(nothing))
    );
}

#[test]
fn the_takers_name_is_one_to_sixty_characters_trimmed() {
    let alert = site_ops()[0].id;
    let long = "Å".repeat(MAX_DEVICE_NAME_CHARS);
    assert!(take(Role::Guard, alert, &long).is_ok(), "60 characters fit");
    for bad in [
        String::new(),
        "   ".into(),
        " Vakt 2".into(),
        "Vakt 2 ".into(),
        format!("{long}x"),
    ] {
        assert_eq!(
            take(Role::Guard, alert, &bad),
            Err(Invalid::DeviceName),
            "{bad:?}"
        );
    }
    // The same rule for who asked for a task.
    let lookup = Folded(State::fold(&site_ops()));
    let request = |by: Option<String>| {
        let o = op(
            8,
            Role::Guard,
            T0 + 5_000,
            OpBody::CleanRequest {
                from: site_ops()[0].id,
                task: clean(),
                by,
            },
        );
        validate(&o, &plattan(), &lookup)
    };
    assert_eq!(request(None), Ok(Domain::Cleaning));
    assert_eq!(request(Some("Vakt 1".into())), Ok(Domain::Cleaning));
    assert_eq!(request(Some(String::new())), Err(Invalid::DeviceName));
}

#[test]
fn a_take_shows_who_and_when_and_klar_resolves_it() {
    let ops = site_ops();
    let task = ops[1].id;
    let first = op(
        10,
        Role::Cleaner,
        T0 + 60_000,
        OpBody::Take {
            report: task,
            by: "Plock 1".into(),
        },
    );
    let second = op(
        11,
        Role::Manager,
        T0 + 61_000,
        OpBody::Take {
            report: task,
            by: "Platsansvarig".into(),
        },
    );
    let done = op(
        12,
        Role::Cleaner,
        T0 + 900_000,
        OpBody::Resolve { report: task },
    );
    let mut all = ops.clone();
    all.extend([second.clone(), first.clone()]);
    let s = State::fold(&all);
    let r = &s.reports[&task];
    let taken = r.taken.as_ref().expect("taken");
    assert_eq!(
        (taken.by.as_str(), taken.role, taken.device(), taken.at()),
        ("Plock 1", Role::Cleaner, first.device, T0 + 60_000)
    );
    assert_eq!(r.status(), Status::Open);
    assert_eq!(r.requested_by(), Some("Vakt 1"));
    assert!(r.is_task());
    assert!(matches!(
        &r.body,
        Some(ReportBody::Cleaning {
            requested_from: Some(f),
            ..
        }) if *f == ops[0].id
    ));
    // The take stays beside "klar"; a take on the disturbance is the disturbance's own.
    all.push(done);
    let s = State::fold(&all);
    assert_eq!(s.reports[&task].status(), Status::Resolved);
    assert_eq!(
        s.reports[&task].taken.as_ref().map(|t| t.by.as_str()),
        Some("Plock 1")
    );
    assert!(s.reports[&ops[0].id].taken.is_none());
    // A report stored before takes existed reads as untaken.
    let old = serde_json::to_value(&s.reports[&ops[2].id]).unwrap();
    assert!(old.get("taken").is_none());
    let back: torgkoll_shared::Report = serde_json::from_value(old).unwrap();
    assert!(back.taken.is_none() && !back.is_task());
}
