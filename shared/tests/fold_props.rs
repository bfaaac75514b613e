//! Property tests of the fold: order independence, idempotence, and last-writer-wins on racing status
//! changes with the device id breaking ties.

use proptest::prelude::*;
use torgkoll_shared::{
    Amendment, Amount, CleaningCategory, CleaningReport, GeoPoint, Hlc, OpBody, Operation,
    Resolution, Role, State, Status,
};
use uuid::Uuid;

const DEVICES: u128 = 3;
const REPORTS: u128 = 4;

fn device(n: u128) -> Uuid {
    Uuid::from_u128(0xD000 + n)
}

fn report_id(n: u128) -> Uuid {
    Uuid::from_u128(0xAAAA_0000 + n)
}

/// An operation on one of a few reports by one of a few devices, at a small clock, so ties happen.
fn arb_op() -> impl Strategy<Value = Operation> {
    (
        0..DEVICES,
        0..REPORTS,
        0u64..6,
        0u16..3,
        0u8..11,
        any::<u64>(),
    )
        .prop_map(|(d, r, ms, ctr, kind, salt)| {
            let hlc = Hlc::new(1_000 + ms, ctr);
            let report = report_id(r);
            let (id, body) = match kind {
                0 => (
                    report,
                    OpBody::Clean(CleaningReport {
                        category: CleaningCategory::ALL[(r as usize) % CleaningCategory::ALL.len()],
                        amount: None,
                        note: None,
                        at: GeoPoint::new(18.0641, 59.3322),
                        acc: None,
                    }),
                ),
                1 => (Uuid::from_u64_pair(salt, 1), OpBody::Resolve { report }),
                2 => (Uuid::from_u64_pair(salt, 2), OpBody::StillThere { report }),
                3 => (Uuid::from_u64_pair(salt, 3), OpBody::Review { report }),
                4 => (
                    Uuid::from_u64_pair(salt, 4),
                    OpBody::Duplicate {
                        report,
                        of: report_id((r + 1) % REPORTS),
                    },
                ),
                5 => (
                    Uuid::from_u64_pair(salt, 5),
                    OpBody::Details {
                        report,
                        amount: None,
                        note: Some(format!("n{salt}")),
                    },
                ),
                6 => (Uuid::from_u64_pair(salt, 6), OpBody::Withdraw { report }),
                // Amendments racing on the same fields, and on different ones.
                8 => (
                    Uuid::from_u64_pair(salt, 8),
                    OpBody::Amend {
                        report,
                        change: Amendment {
                            level: Some(1 + (salt % 3) as u8),
                            note: (salt % 2 == 0).then(|| format!("a{salt}")),
                            ..Default::default()
                        },
                    },
                ),
                9 => (
                    Uuid::from_u64_pair(salt, 9),
                    OpBody::Amend {
                        report,
                        change: Amendment {
                            people: Some(1 + (salt % 5) as u16),
                            amount: Some(Amount::ALL[(salt % 3) as usize]),
                            happened: Some(900 + (salt % 7) as i64),
                            ..Default::default()
                        },
                    },
                ),
                // Takes racing: the earliest wins, whoever it came from.
                10 => (
                    Uuid::from_u64_pair(salt, 10),
                    OpBody::Take {
                        report,
                        by: format!("Telefon {}", salt % 4),
                    },
                ),
                _ => (
                    Uuid::from_u64_pair(salt, 7),
                    OpBody::CleanRequest {
                        from: report,
                        task: CleaningReport {
                            category: CleaningCategory::Glaskross,
                            amount: None,
                            note: None,
                            at: GeoPoint::new(18.0641, 59.3322),
                            acc: None,
                        },
                        by: Some("Vakt 1".into()),
                    },
                ),
            };
            Operation {
                id,
                device: device(d),
                seq: salt % 100,
                hlc,
                wall_ms: 0,
                role: Role::Manager,
                body,
                fix: None,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn order_does_not_matter(ops in prop::collection::vec(arb_op(), 0..40), seed in any::<u64>()) {
        let mut shuffled = ops.clone();
        // A deterministic shuffle from the seed (Fisher-Yates with a small LCG).
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (x >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(State::fold(&ops), State::fold(&shuffled));
    }

    #[test]
    fn duplicates_count_once(ops in prop::collection::vec(arb_op(), 0..30), dups in prop::collection::vec(any::<prop::sample::Index>(), 0..30)) {
        let mut with_dups = ops.clone();
        if !ops.is_empty() {
            for i in dups {
                with_dups.push(ops[i.index(ops.len())].clone());
            }
        }
        prop_assert_eq!(State::fold(&ops), State::fold(&with_dups));
    }

    #[test]
    fn folding_in_two_halves_is_the_same(ops in prop::collection::vec(arb_op(), 0..30), cut in any::<prop::sample::Index>()) {
        // Associativity: applying a batch to an already folded state equals folding all at once.
        let k = if ops.is_empty() { 0 } else { cut.index(ops.len() + 1) };
        let mut s = State::fold(&ops[..k]);
        for op in &ops[k..] { s.apply(op); }
        prop_assert_eq!(s, State::fold(&ops));
    }

    #[test]
    fn the_earliest_take_wins_in_any_order(ms in prop::collection::vec((0u64..5, 0..DEVICES, any::<u64>()), 1..6), seed in any::<u64>()) {
        let report = report_id(0);
        let create = Operation { id: report, device: device(0), seq: 1, hlc: Hlc::new(900, 0), wall_ms: 0, role: Role::Guard,
            body: OpBody::Disturbance(torgkoll_shared::DisturbanceReport { category: torgkoll_shared::DisturbanceCategory::BrakVald, level: 1, people: 3,
                interventions: Default::default(), note: None, at: GeoPoint::new(18.0641, 59.3322), happened: None }), fix: None };
        let takes: Vec<Operation> = ms.iter().enumerate().map(|(i, (t, d, salt))| Operation {
            id: Uuid::from_u64_pair(*salt, i as u64), device: device(*d), seq: 2 + i as u64, hlc: Hlc::new(1_000 + t, 0),
            wall_ms: 0, role: Role::Manager, body: OpBody::Take { report, by: format!("T{i}") }, fix: None,
        }).collect();
        let first = takes.iter().min_by_key(|o| o.stamp()).unwrap();
        let mut all: Vec<&Operation> = std::iter::once(&create).chain(&takes).collect();
        let mut x = seed | 1;
        for i in (1..all.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            all.swap(i, (x >> 33) as usize % (i + 1));
        }
        let s = State::fold(all.iter().copied());
        let taken = s.reports[&report].taken.clone().expect("taken");
        prop_assert_eq!(&taken.by, match &first.body { OpBody::Take { by, .. } => by, _ => unreachable!() });
        prop_assert_eq!(taken.stamp, first.stamp());
        prop_assert_eq!(taken.role, Role::Manager);
        // A take leaves the status alone: "Klar" is a resolve.
        prop_assert_eq!(s.reports[&report].status(), Status::Open);
    }

    #[test]
    fn later_clock_wins_a_status_race(a_ms in 0u64..5, b_ms in 0u64..5, a_dev in 0..DEVICES, b_dev in 0..DEVICES, a_resolves in any::<bool>()) {
        let report = report_id(0);
        let create = Operation { id: report, device: device(0), seq: 1, hlc: Hlc::new(900, 0), wall_ms: 0, role: Role::Cleaner,
            body: OpBody::Clean(CleaningReport { category: CleaningCategory::Fimpar, amount: None, note: None, at: GeoPoint::new(18.0641, 59.3322), acc: None }), fix: None };
        let body = |resolve: bool| if resolve { OpBody::Resolve { report } } else { OpBody::StillThere { report } };
        let a = Operation { id: Uuid::from_u128(1), device: device(a_dev), seq: 2, hlc: Hlc::new(1_000 + a_ms, 0), wall_ms: 0, role: Role::Cleaner, body: body(a_resolves), fix: None };
        let b = Operation { id: Uuid::from_u128(2), device: device(b_dev), seq: 2, hlc: Hlc::new(1_000 + b_ms, 0), wall_ms: 0, role: Role::Cleaner, body: body(!a_resolves), fix: None };
        let winner = if (a.hlc, a.device, a.id) > (b.hlc, b.device, b.id) { &a } else { &b };
        let expected = if matches!(winner.body, OpBody::Resolve { .. }) { Status::Resolved } else { Status::Open };
        for order in [[&create, &a, &b], [&b, &a, &create], [&a, &create, &b]] {
            let s = State::fold(order);
            let r = &s.reports[&report];
            prop_assert_eq!(r.status(), expected);
            prop_assert_eq!(r.resolution.as_ref().map(|l| l.stamp.device), Some(winner.device));
        }
        // With the same clock, the larger device id wins.
        if a.hlc == b.hlc && a.device != b.device {
            let hi = if a.device > b.device { &a } else { &b };
            let s = State::fold([&create, &a, &b]);
            let want = if matches!(hi.body, OpBody::Resolve { .. }) { Resolution::Resolved } else { Resolution::Open };
            prop_assert_eq!(s.reports[&report].resolution.as_ref().map(|l| l.value), Some(want));
        }
    }
}
