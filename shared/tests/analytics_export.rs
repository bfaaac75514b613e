//! Exports parsed back and compared, and the retention plan.

mod common;
use common::*;

use torgkoll_shared::State;
use torgkoll_shared::analytics::export::csv::text_field;
use torgkoll_shared::analytics::export::{
    ExportOptions, csv_reports, csv_runs, feature_collection,
};
use torgkoll_shared::test_support::plattan;

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
fn free_text_with_any_formula_lead_is_neutralised() {
    // The OWASP CSV injection list: `=`, `+`, `-`, `@`, TAB and CR start a formula in some spreadsheet.
    for lead in ['=', '+', '-', '@', '\t', '\r'] {
        let text = format!("{lead}cmd|' /C calc'!A0");
        let rows = parse_csv(&format!("{};x\r\n", text_field(&text)));
        assert_eq!(
            rows,
            [[format!("'{text}"), "x".to_owned()]],
            "lead {lead:?}"
        );
    }
    assert_eq!(
        text_field("vid bänken"),
        "vid bänken",
        "ordinary text is left as it is"
    );
    assert_eq!(
        text_field("a\tb"),
        "a\tb",
        "a TAB inside the text is harmless"
    );
    assert_eq!(text_field(""), "");
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
