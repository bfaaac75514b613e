//! Golden tests: the wire format of protocol v1, frozen. A failure here means the format changed; that
//! needs a new protocol version, not an edit of the golden file.

use std::collections::BTreeMap;

use torgkoll_shared::TimeFix;
use torgkoll_shared::protocol::{
    EnrollRequest, EnrollResponse, ErrorBody, OwnFix, PulledOp, Rejection, SyncRequest,
    SyncResponse, WireOp, decode_wire_op,
};
use torgkoll_shared::{
    Amount, Classification, CleaningCategory, CleaningReport, DisturbanceCategory,
    DisturbanceReport, GeoPoint, Hlc, Intervention, MachineKind, OpBody, Role, TrackPoint,
};
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0000 + n)
}

fn at() -> GeoPoint {
    GeoPoint::new(18.0641234, 59.3321234)
}

/// One operation of every kind.
fn every_op() -> Vec<WireOp> {
    let clean = CleaningReport {
        category: CleaningCategory::Fimpar,
        amount: Some(Amount::Mycket),
        note: Some("vid bänken".into()),
        at: at(),
        acc: Some(4.5),
    };
    let bodies = vec![
        OpBody::Clean(clean.clone()),
        OpBody::CleanRequest {
            from: id(3),
            task: CleaningReport {
                category: CleaningCategory::Glaskross,
                amount: None,
                note: None,
                at: at(),
                acc: None,
            },
            by: None,
        },
        OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::BrakVald,
            level: 1,
            people: 3,
            interventions: BTreeMap::from([
                (Intervention::Avvisning, 2),
                (Intervention::PolisTillkallad, 1),
            ]),
            note: Some("löst på plats".into()),
            at: at(),
            happened: None,
        }),
        OpBody::Details {
            report: id(1),
            amount: Some(Amount::Lite),
            note: None,
        },
        OpBody::Resolve { report: id(1) },
        OpBody::StillThere { report: id(1) },
        OpBody::Review { report: id(1) },
        OpBody::Reclassify {
            report: id(1),
            to: Classification::Cleaning(CleaningCategory::Snus),
        },
        OpBody::Duplicate {
            report: id(1),
            of: id(2),
        },
        OpBody::Withdraw { report: id(1) },
        OpBody::RunStart {
            kind: MachineKind::Skurmaskin,
            machine: "Skurmaskin 2".into(),
            started: 1_764_000_000_000,
        },
        OpBody::RunPoints {
            run: id(11),
            points: vec![
                TrackPoint {
                    at: at(),
                    t: 1_764_000_001_000,
                    acc: None,
                },
                TrackPoint {
                    at: at(),
                    t: 1_764_000_002_000,
                    acc: Some(3.0),
                },
            ],
        },
        OpBody::RunStop {
            run: id(11),
            stopped: 1_764_000_600_000,
        },
    ];
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| WireOp {
            id: id(i as u128 + 1),
            seq: i as u64 + 1,
            hlc: Hlc::new(1_764_000_000_000 + i as u64, 0),
            wall: 1_764_000_000_000,
            body,
        })
        .collect()
}

fn check(name: &str, actual: &str) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing golden file {path}"));
    assert_eq!(
        actual.trim_end(),
        expected.trim_end(),
        "wire format of {name} changed"
    );
}

#[test]
fn operations_v1() {
    let ops = every_op();
    let lines: Vec<String> = ops
        .iter()
        .map(|o| serde_json::to_string(o).unwrap())
        .collect();
    check("ops-v1.jsonl", &lines.join("\n"));
    // And back.
    let golden = std::fs::read_to_string(format!(
        "{}/tests/golden/ops-v1.jsonl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let decoded: Vec<WireOp> = golden
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(decoded, ops);
}

#[test]
fn sync_round_v1() {
    let ops = every_op();
    let req = SyncRequest {
        v: 1,
        ops: ops[..2]
            .iter()
            .map(|o| serde_json::value::to_raw_value(o).unwrap())
            .collect(),
        pull_after: 41,
        pull_limit: Some(5000),
        phone_ms: None,
        pending: None,
        app: None,
    };
    check(
        "sync-request-v1.json",
        &serde_json::to_string_pretty(&req).unwrap(),
    );
    let resp = SyncResponse {
        v: 1,
        acked_through: 2,
        rejected: vec![Rejection {
            seq: 2,
            id: id(2),
            reason: "the point (18.000000, 59.000000) is 3512 m outside the site 'Plattan'".into(),
            cause: None,
        }],
        ops: vec![PulledOp {
            pos: 42,
            dev: id(100),
            role: Role::Guard,
            recv: 1_764_000_003_000,
            op: ops[2].clone(),
            fix: None,
        }],
        fixed: vec![],
        pull_pos: 42,
        more: false,
        photos_wanted: vec![],
        server_ms: 1_764_000_003_500,
    };
    check(
        "sync-response-v1.json",
        &serde_json::to_string_pretty(&resp).unwrap(),
    );
    let back: SyncResponse = serde_json::from_str(&serde_json::to_string(&resp).unwrap()).unwrap();
    assert_eq!(back, resp);
}

/// The clock fields (`phone_ms`, `fixed`, `fix`) are optional additions to v1: a phone or server that
/// does not know them reads everything else unchanged, and one that does reads old messages as
/// "no correction".
#[test]
fn sync_round_v1_with_clocks() {
    let ops = every_op();
    let req = SyncRequest {
        v: 1,
        ops: ops[..1]
            .iter()
            .map(|o| serde_json::value::to_raw_value(o).unwrap())
            .collect(),
        pull_after: 41,
        pull_limit: Some(5000),
        phone_ms: Some(1_764_086_400_000),
        pending: None,
        app: None,
    };
    check(
        "sync-request-v1-clock.json",
        &serde_json::to_string_pretty(&req).unwrap(),
    );
    let fix = TimeFix {
        at: 1_763_999_990_000,
        hlc: Hlc::new(1_763_999_990_000, 0),
    };
    let resp = SyncResponse {
        v: 1,
        acked_through: 1,
        rejected: vec![],
        fixed: vec![OwnFix { seq: 1, fix }],
        ops: vec![PulledOp {
            pos: 43,
            dev: id(100),
            role: Role::Guard,
            recv: 1_764_000_003_000,
            op: ops[2].clone(),
            fix: Some(fix),
        }],
        pull_pos: 43,
        more: false,
        photos_wanted: vec![],
        server_ms: 1_764_000_003_500,
    };
    check(
        "sync-response-v1-clock.json",
        &serde_json::to_string_pretty(&resp).unwrap(),
    );
    let back: SyncResponse = serde_json::from_str(&serde_json::to_string(&resp).unwrap()).unwrap();
    assert_eq!(back, resp);
    assert_eq!(back.ops[0].operation().at_ms(), fix.at);
    // The messages without them still read, as "no correction".
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
    let old: SyncRequest = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/sync-request-v1.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(old.phone_ms, None);
    let old: SyncResponse = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/sync-response-v1.json")).unwrap(),
    )
    .unwrap();
    assert!(old.fixed.is_empty() && old.ops[0].fix.is_none());
}

/// Additions to v1 for a whole shift: a disturbance logged after the fact, amendments, a handover, and
/// the code of a refusal beside its words. Old phones and servers read the messages above unchanged.
#[test]
fn shift_operations_and_causes_v1() {
    let wire = |n: u128, body: OpBody| WireOp {
        id: id(n),
        seq: n as u64,
        hlc: Hlc::new(1_764_000_000_000 + n as u64, 0),
        wall: 1_764_000_000_000,
        body,
    };
    let ops = vec![
        wire(
            21,
            OpBody::Disturbance(DisturbanceReport {
                category: DisturbanceCategory::Berusad,
                level: 2,
                people: 1,
                interventions: BTreeMap::new(),
                note: None,
                at: at(),
                happened: Some(1_763_999_100_000),
            }),
        ),
        wire(
            22,
            OpBody::Amend {
                report: id(21),
                change: torgkoll_shared::Amendment {
                    level: Some(1),
                    people: Some(3),
                    interventions: Some(BTreeMap::from([(Intervention::PolisTillkallad, 1)])),
                    ..Default::default()
                },
            },
        ),
        wire(
            23,
            OpBody::Amend {
                report: id(1),
                change: torgkoll_shared::Amendment {
                    amount: Some(Amount::Extremt),
                    note: Some(String::new()),
                    ..Default::default()
                },
            },
        ),
        wire(
            24,
            OpBody::Handover(torgkoll_shared::Handover {
                shift_from: 1_763_971_200_000,
                note: Some("Glaskross vid trappan, avspärrat".into()),
                summary: torgkoll_shared::HandoverSummary {
                    open: vec![torgkoll_shared::handover::ZoneOpen {
                        zone: "Z1".into(),
                        count: 2,
                        oldest_h: 5,
                    }],
                    open_tasks: 1,
                    not_cleaned: vec!["Z6".into()],
                    not_cleaned_h: 8,
                    disturbances: 4,
                    level1: 1,
                },
            }),
        ),
    ];
    let lines: Vec<String> = ops
        .iter()
        .map(|o| serde_json::to_string(o).unwrap())
        .collect();
    check("ops-v1-shift.jsonl", &lines.join("\n"));
    let back: Vec<WireOp> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, ops);
    let cause = torgkoll_shared::Invalid::NotAllowed {
        role: Role::Cleaner,
        action: torgkoll_shared::invalid::Action::ReportDisturbances,
    };
    let rejection = Rejection {
        seq: 2,
        id: id(2),
        reason: cause.to_string(),
        cause: Some(cause),
    };
    check(
        "rejection-v1-cause.json",
        &serde_json::to_string_pretty(&rejection).unwrap(),
    );
    let back: Rejection =
        serde_json::from_str(&serde_json::to_string(&rejection).unwrap()).unwrap();
    assert_eq!(back, rejection);
}

#[test]
fn enrollment_and_errors_v1() {
    let req = EnrollRequest {
        code: "K7M2-QX9P".into(),
    };
    let resp = EnrollResponse {
        device: id(100),
        token: "tk_abc".into(),
        role: Role::Cleaner,
        name: "Plock 1".into(),
        site_id: "plattan".into(),
    };
    let err = ErrorBody {
        error: "bad_token".into(),
        message: "the token is not valid".into(),
    };
    let text = [
        serde_json::to_string(&req).unwrap(),
        serde_json::to_string(&resp).unwrap(),
        serde_json::to_string(&err).unwrap(),
    ]
    .join("\n");
    check("enroll-v1.jsonl", &text);
}

#[test]
fn an_unknown_category_is_a_readable_rejection_not_a_failed_request() {
    let raw = serde_json::value::RawValue::from_string(
        format!(r#"{{"id":"{}","seq":7,"hlc":1,"wall":1,"body":{{"t":"clean","cat":"glasburk","at":[18.06,59.33]}}}}"#, id(1)),
    )
    .unwrap();
    let (header, reason) = decode_wire_op(&raw).unwrap().unwrap_err();
    assert_eq!(header.seq, 7);
    assert!(reason.to_string().contains("glasburk"), "{reason}");
    // Without a readable header the request itself is malformed.
    let raw = serde_json::value::RawValue::from_string(r#"{"seq":"x"}"#.into()).unwrap();
    assert!(decode_wire_op(&raw).is_err());
}

/// Addition to v1 for a restored server: an answer asks the phone again for photos it lacks
/// (`photos_wanted`, docs/PROTOCOL.md "Restore"). Every answer before it reads as asking for none; the
/// field is left out when empty, so every other answer is byte for byte what it was.
#[test]
fn photos_wanted_again_v1() {
    let resp = SyncResponse {
        v: 1,
        acked_through: 12,
        rejected: vec![],
        fixed: vec![],
        ops: vec![],
        pull_pos: 43,
        more: false,
        photos_wanted: vec![
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752".into(),
        ],
        server_ms: 1_764_000_003_500,
    };
    check(
        "sync-response-v1-photos-wanted.json",
        &serde_json::to_string_pretty(&resp).unwrap(),
    );
    let back: SyncResponse = serde_json::from_str(&serde_json::to_string(&resp).unwrap()).unwrap();
    assert_eq!(back, resp);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
    for old in ["sync-response-v1.json", "sync-response-v1-clock.json"] {
        let old: SyncResponse =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{old}")).unwrap())
                .unwrap();
        assert!(old.photos_wanted.is_empty());
    }
}

/// Addition to v1 for photos: the operation that attaches one, and the upload's status answer.
#[test]
fn photo_operation_and_upload_status_v1() {
    use torgkoll_shared::photo::{PhotoRef, UploadStatus};
    let op = WireOp {
        id: id(31),
        seq: 31,
        hlc: Hlc::new(1_764_000_000_031, 0),
        wall: 1_764_000_000_000,
        body: OpBody::Photo {
            report: id(1),
            photo: PhotoRef {
                hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
                bytes: 183_412,
                w: 1600,
                h: 1200,
            },
        },
    };
    let status = UploadStatus {
        received: 65_536,
        complete: false,
    };
    let text = format!(
        "{}\n{}",
        serde_json::to_string(&op).unwrap(),
        serde_json::to_string(&status).unwrap()
    );
    check("photo-v1.jsonl", &text);
    let back: WireOp = serde_json::from_str(&serde_json::to_string(&op).unwrap()).unwrap();
    assert_eq!(back, op);
}

/// Addition to v1 for "who is out there": a phone says its outbox size and app version with each sync,
/// and the manager reads every phone's last contact and status (`GET /v1/review/devices`). Old phones
/// and servers read the messages above unchanged.
#[test]
fn device_contact_v1() {
    use torgkoll_shared::devices::{DeviceInfo, DeviceStatus, DevicesResponse};
    let req = SyncRequest {
        v: 1,
        ops: vec![],
        pull_after: 43,
        pull_limit: Some(5000),
        phone_ms: Some(1_764_086_400_000),
        pending: Some(3),
        app: Some("0.1.0".into()),
    };
    check(
        "sync-request-v1-device.json",
        &serde_json::to_string_pretty(&req).unwrap(),
    );
    let back: SyncRequest = serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
    assert_eq!(
        (back.pending, back.app.as_deref()),
        (Some(3), Some("0.1.0"))
    );
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
    let old: SyncRequest = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/sync-request-v1-clock.json")).unwrap(),
    )
    .unwrap();
    assert_eq!((old.pending, old.app), (None, None));
    let resp = DevicesResponse {
        now_ms: 1_764_086_400_000,
        devices: vec![
            DeviceInfo {
                id: id(100),
                name: "Plock 1".into(),
                role: Role::Cleaner,
                last_contact_ms: Some(1_764_079_200_000),
                pending: Some(3),
                app: Some("0.1.0".into()),
                clock_offset_ms: Some(-185_000),
                revoked: false,
                status: DeviceStatus::Silent,
            },
            DeviceInfo {
                id: id(101),
                name: "Vakt 2".into(),
                role: Role::Guard,
                last_contact_ms: None,
                pending: None,
                app: None,
                clock_offset_ms: None,
                revoked: true,
                status: DeviceStatus::Revoked,
            },
        ],
    };
    check(
        "devices-v1.json",
        &serde_json::to_string_pretty(&resp).unwrap(),
    );
    let back: DevicesResponse =
        serde_json::from_str(&serde_json::to_string(&resp).unwrap()).unwrap();
    assert_eq!(back, resp);
}

/// Addition to v1 for alerts and tasks that reach a person: a cleaning task that says who asked, "Jag
/// tar det" (`take`) on it, and the codes of the refusals a take can meet. Old operations without `by`
/// still read (see `operations_v1`).
#[test]
fn take_and_task_requester_v1() {
    let wire = |n: u128, body: OpBody| WireOp {
        id: id(n),
        seq: n as u64,
        hlc: Hlc::new(1_764_000_000_000 + n as u64, 0),
        wall: 1_764_000_000_000,
        body,
    };
    let ops = vec![
        wire(
            41,
            OpBody::CleanRequest {
                from: id(3),
                task: CleaningReport {
                    category: CleaningCategory::Spyor,
                    amount: Some(Amount::Mycket),
                    note: None,
                    at: at(),
                    acc: None,
                },
                by: Some("Vakt 1".into()),
            },
        ),
        wire(
            42,
            OpBody::Take {
                report: id(41),
                by: "Plock 2".into(),
            },
        ),
        wire(
            43,
            OpBody::Take {
                report: id(3),
                by: "Platsansvarig".into(),
            },
        ),
    ];
    let causes = [
        torgkoll_shared::Invalid::NotTakeable(id(1)),
        torgkoll_shared::Invalid::DeviceName,
        torgkoll_shared::Invalid::NotAllowed {
            role: Role::Guard,
            action: torgkoll_shared::invalid::Action::TakeTask,
        },
        torgkoll_shared::Invalid::NotAllowed {
            role: Role::Cleaner,
            action: torgkoll_shared::invalid::Action::TakeAlert,
        },
    ];
    let mut lines: Vec<String> = ops
        .iter()
        .map(|o| serde_json::to_string(o).unwrap())
        .collect();
    lines.extend(causes.iter().map(|c| serde_json::to_string(c).unwrap()));
    check("take-v1.jsonl", &lines.join("\n"));
    let golden = std::fs::read_to_string(format!(
        "{}/tests/golden/take-v1.jsonl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let back: Vec<WireOp> = golden
        .lines()
        .take(ops.len())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, ops);
    let back: Vec<torgkoll_shared::Invalid> = golden
        .lines()
        .skip(ops.len())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, causes);
}
