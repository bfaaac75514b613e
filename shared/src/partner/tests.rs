//! The partners' payloads: announced once, and never a note or who.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use super::*;
use crate::analytics::LagesbildInput;
use crate::fold::State;
use crate::geometry::GeoPoint;
use crate::hlc::Hlc;
use crate::op::{Amendment, DisturbanceReport};
use crate::test_support::plattan;
use crate::vocab::{DisturbanceCategory, Intervention, Role};

const T: i64 = 1_795_000_000_000;
const NOTE: &str = "Lång man i röd jacka, heter Kalle";

fn device() -> Uuid {
    Uuid::from_u128(0xdead_beef)
}

fn op(seq: u64, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(0x100 + u128::from(seq)),
        device: device(),
        seq,
        hlc: Hlc::new(T as u64 + seq * 1000, 0),
        wall_ms: T + seq as i64 * 1000,
        role: Role::Guard,
        body,
        fix: None,
    }
}

fn disturbance(level: u8) -> Operation {
    op(
        1,
        OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::BrakVald,
            level,
            people: 3,
            interventions: BTreeMap::from([(Intervention::ALL[0], 2)]),
            note: Some(NOTE.into()),
            at: GeoPoint::new(18.0641234, 59.3321234),
            happened: None,
        }),
    )
}

fn amend(seq: u64, level: u8) -> Operation {
    let report = Uuid::from_u128(0x101);
    op(
        seq,
        OpBody::Amend {
            report,
            change: Amendment {
                level: Some(level),
                note: Some(format!("{NOTE} igen")),
                ..Amendment::default()
            },
        },
    )
}

#[test]
fn a_report_is_announced_once_where_it_first_became_level_1() {
    assert_eq!(first_level1(&[disturbance(1)]), Some(0));
    assert_eq!(first_level1(&[disturbance(2)]), None);
    assert_eq!(first_level1(&[disturbance(2), amend(2, 1)]), Some(1));
    // Down and up again: still the first time only.
    let ops = [disturbance(1), amend(2, 2), amend(3, 1)];
    assert_eq!(first_level1(&ops), Some(0));
    assert!(may_make_level1(&amend(2, 1).body));
    assert!(!may_make_level1(&amend(2, 3).body));
    assert!(!may_make_level1(&disturbance(2).body));
}

#[test]
fn a_level_1_payload_holds_no_free_text_and_no_one() {
    let site = plattan();
    let ops = [disturbance(2), amend(2, 1)];
    let state = State::fold(&ops);
    let report = &state.reports[&Uuid::from_u128(0x101)];
    assert_eq!(report.note(), Some(format!("{NOTE} igen").as_str()));
    let p = level1_payload(&site, report, ops[1].at_ms(), T + 5000).unwrap();
    assert_eq!(
        (p.category.as_str(), p.level, p.people),
        ("brak_vald", 1, 3)
    );
    assert!(p.zone.is_some(), "the point lies in a zone");
    let text = serde_json::to_string(&p).unwrap();
    assert!(!text.contains("Kalle") && !text.contains("jacka"), "{text}");
    assert!(!text.contains(&device().to_string()), "{text}");
    assert!(!text.contains("note") && !text.contains("device"), "{text}");
    // Exactly these fields: a new one must be looked at (and this list changed) on purpose.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: BTreeSet<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let want = [
        "event",
        "report",
        "category",
        "level",
        "people",
        "interventions",
        "zone",
        "at_ms",
        "at_local",
        "server_ms",
    ];
    assert_eq!(keys, want.into_iter().collect());
    assert_eq!(p.at_local, local_text(ops[1].at_ms()));
    // A level-2 report is no level-1 event.
    let state = State::fold(&ops[..1]);
    let report = &state.reports[&Uuid::from_u128(0x101)];
    assert_eq!(level1_payload(&site, report, T, T), None);
}

#[test]
fn a_lagesbild_payload_holds_counts_only() {
    let site = plattan();
    let ops = [disturbance(1)];
    let state = State::fold(&ops);
    let date = local_date(T);
    let report = Lagesbild::build(
        &site,
        &state,
        &LagesbildInput::new(date, T + 86_400_000, vec![]),
    );
    let p = lagesbild_payload(&report, T + 86_400_000);
    assert_eq!(p.disturbances.total, 1);
    assert_eq!(p.disturbances.by_level, [1, 0, 0]);
    let text = serde_json::to_string(&p).unwrap();
    assert!(
        !text.contains("Kalle") && !text.contains(&device().to_string()),
        "{text}"
    );
    assert!(text.contains("\"event\":\"lagesbild\""), "{text}");
}

#[test]
fn event_codes_round_trip() {
    for e in PartnerEvent::ALL {
        assert_eq!(PartnerEvent::from_code(e.code()), Some(*e));
    }
    assert_eq!(PartnerEvent::from_code("level2"), None);
}
