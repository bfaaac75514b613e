//! Exports parsed back and compared, and the retention plan.

use geo::{Coord, InteriorPoint};
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::export::{
    ExportOptions, csv_reports, csv_runs, feature_collection,
};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc,
    Intervention, MachineKind, OpBody, Operation, Role, Site, State, TrackPoint,
};
use uuid::Uuid;

fn op(n: u128, t: i64, role: Role, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(0x7000 + n),
        device: Uuid::from_u128(0xD7),
        seq: n as u64,
        hlc: Hlc::new(t as u64, 0),
        wall_ms: t,
        role,
        body,
    }
}

fn place(site: &Site, zone: &str) -> GeoPoint {
    site.frame
        .from_local(site.zone(zone).unwrap().polygon.interior_point().unwrap().0)
        .rounded()
}

/// A day with a cleaning report whose note needs quoting, a disturbance with a note and interventions,
/// a withdrawn report, a report the day before, and a machine run.
fn fixture(site: &Site) -> (Vec<Operation>, Period) {
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

/// A minimal RFC 4180 reader for `;`-separated text.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_opens_in_excel_and_leaves_free_text_out_unless_asked() {
    let site = plattan();
    let (ops, period) = fixture(&site);
    let state = State::fold(&ops);
    let text = csv_reports(
        &site,
        state.known_reports(),
        &period,
        ExportOptions::default(),
    );
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM for Excel");
    assert!(text.contains("\r\n"));
    assert!(!text.contains("trappan") && !text.contains("HYPERLINK"));
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0][0], "id");
    assert!(rows[0].contains(&"mängd".to_owned()));
    assert_eq!(
        rows.len(),
        3,
        "two reports in the period; withdrawn and the day before left out"
    );
    let header = &rows[0];
    let col =
        |row: &Vec<String>, name: &str| row[header.iter().position(|h| h == name).unwrap()].clone();
    let glass = rows.iter().find(|r| r[3] == "glaskross").unwrap();
    assert_eq!(col(glass, "zon"), "Z1");
    assert_eq!(col(glass, "skapad"), "2026-09-10 10:00");
    assert_eq!(col(glass, "lon"), format!("{:.7}", place(&site, "Z1").lon));
    let dist = rows.iter().find(|r| r[1] == "störning").unwrap();
    assert_eq!(col(dist, "ingripanden"), "avvisning:2");
    assert_eq!(col(dist, "personer"), "6");
    assert!(rows.iter().all(|r| r.len() == header.len()));

    let with = ExportOptions {
        include_notes: true,
        ..Default::default()
    };
    let text = csv_reports(&site, state.known_reports(), &period, with);
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    let header = &rows[0];
    let note = |r: &Vec<String>| r[header.iter().position(|h| h == "anteckning").unwrap()].clone();
    let glass = rows.iter().find(|r| r[3] == "glaskross").unwrap();
    assert_eq!(
        note(glass),
        "Glas; \"mycket\"\nvid trappan",
        "quoting round-trips"
    );
    let dist = rows.iter().find(|r| r[1] == "störning").unwrap();
    assert_eq!(note(dist), "'=HYPERLINK(\"x\")", "no formula injection");

    let runs = csv_runs(&site, state.runs.values(), &period);
    let rows = parse_csv(runs.trim_start_matches('\u{feff}'));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][5], "10");
    assert_eq!(rows[1][6], "9", "nine metres driven");
}

#[test]
fn geojson_parses_back_with_points_and_lines() {
    let site = plattan();
    let (ops, period) = fixture(&site);
    let state = State::fold(&ops);
    let v = feature_collection(
        &site,
        state.known_reports(),
        state.runs.values(),
        &period,
        ExportOptions::default(),
    );
    let text = serde_json::to_string(&v).unwrap();
    assert!(!text.contains("trappan") && !text.contains("HYPERLINK") && !text.contains("\"note\""));
    let fc: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(fc.features.len(), 3);
    let points: Vec<_> = fc
        .features
        .iter()
        .filter(|f| {
            matches!(
                f.geometry.as_ref().unwrap().value,
                geojson::GeometryValue::Point { .. }
            )
        })
        .collect();
    assert_eq!(points.len(), 2);
    let glass = points
        .iter()
        .find(|f| f.property("category").and_then(|c| c.as_str()) == Some("glaskross"))
        .unwrap();
    let geojson::GeometryValue::Point { coordinates: c } = &glass.geometry.as_ref().unwrap().value
    else {
        unreachable!()
    };
    let p = place(&site, "Z1");
    assert_eq!((c[0], c[1]), (p.lon, p.lat));
    assert_eq!(glass.property("zone").and_then(|z| z.as_str()), Some("Z1"));
    let line = fc
        .features
        .iter()
        .find(|f| {
            matches!(
                f.geometry.as_ref().unwrap().value,
                geojson::GeometryValue::LineString { .. }
            )
        })
        .unwrap();
    assert_eq!(
        line.property("machine_kind").and_then(|k| k.as_str()),
        Some("fimpsug")
    );

    let with = ExportOptions {
        include_notes: true,
        ..Default::default()
    };
    let text = serde_json::to_string(&feature_collection(
        &site,
        state.known_reports(),
        state.runs.values(),
        &period,
        with,
    ))
    .unwrap();
    assert!(text.contains("vid trappan"));
}
