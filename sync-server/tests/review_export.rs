//! Exports parsed back: the CSV has one row per report with an event in the span, the GeoJSON is a
//! FeatureCollection of the same reports at their coordinates plus the machine runs, and free text is in
//! neither unless asked for.

mod common;
mod review_support;

use std::collections::{BTreeMap, BTreeSet};

use common::TestServer;
use review_support::{at, get, op_at, pulled_ops};
use serde_json::Value;
use torgkoll_server::review::demo;
use torgkoll_server::{Clock, Limits};
use torgkoll_shared::analytics::{Period, events_in};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, OpBody,
    Role, State, Status,
};
use uuid::Uuid;

const FORMULA_NOTE: &str = "=HYPERLINK(\"http://example.org\";\"klicka\")";
const QUOTED_NOTE: &str = "Kort; \"citat\"";

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// Parses `;`-separated CSV with `"` quoting and CRLF rows.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "rows end in CRLF"),
            (false, '\n') => panic!("a bare LF ends a row"),
            (false, c) => field.push(c),
        }
        if !quoted && c == '\r' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last row ends in CRLF"
    );
    rows
}

struct Fixture {
    srv: TestServer,
    manager: common::Phone,
    state: State,
    period: Period,
    formula_report: Uuid,
    quoted_report: Uuid,
}

async fn fixture() -> Fixture {
    let srv = TestServer::start(Limits::default()).await;
    let last = date("2026-11-26");
    srv.clock.set(last.bounds_ms().1 + 3_600_000);
    let site = torgkoll_shared::test_support::plattan();
    demo::seed(
        &*srv.store,
        &site,
        &demo::config(3, last, 4, 80, 10),
        srv.clock.now_ms(),
    )
    .unwrap();
    let on_site = GeoPoint::new(18.0641234, 59.3321234);
    let mut cleaner = srv
        .phone_enrolled_at(common::T0, Role::Cleaner, "Plock X")
        .await;
    let c = op_at(
        &mut cleaner,
        at(date("2026-11-25"), 12, 0),
        OpBody::Clean(CleaningReport {
            category: CleaningCategory::Klotter,
            amount: None,
            note: Some(FORMULA_NOTE.into()),
            at: on_site,
            acc: None,
        }),
    );
    assert!(
        cleaner
            .sync(std::slice::from_ref(&c), 0)
            .await
            .rejected
            .is_empty()
    );
    let mut guard = srv
        .phone_enrolled_at(common::T0, Role::Guard, "Vakt X")
        .await;
    let d = op_at(
        &mut guard,
        at(date("2026-11-25"), 23, 30),
        OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::Ordningsstorning,
            level: 2,
            people: 4,
            interventions: Default::default(),
            note: Some(QUOTED_NOTE.into()),
            at: on_site,
            happened: None,
        }),
    );
    assert!(
        guard
            .sync(std::slice::from_ref(&d), 0)
            .await
            .rejected
            .is_empty()
    );
    let manager = srv
        .phone_enrolled_at(common::T0, Role::Manager, "Platsansvarig")
        .await;
    let state = State::fold(&pulled_ops(&manager).await);
    let period = Period::new(date("2026-11-25").bounds_ms().0, last.bounds_ms().1);
    Fixture {
        srv,
        manager,
        state,
        period,
        formula_report: c.id,
        quoted_report: d.id,
    }
}

impl Fixture {
    /// The reports an export of the period must hold, with their counts in it.
    fn expected(&self) -> BTreeMap<Uuid, u32> {
        self.state
            .reports
            .values()
            .filter(|r| r.is_known() && r.status() != Status::Withdrawn)
            .map(|r| (r.id, events_in(r, &self.period)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    async fn export(&self, query: &str) -> (String, String, String) {
        let url = format!(
            "{}/v1/export?from=2026-11-25&to=2026-11-26&{query}",
            self.srv.url
        );
        let resp = get(&url, Some(&self.manager)).await;
        assert_eq!(resp.status(), 200, "{url}");
        let h = resp.headers();
        let ct = h["content-type"].to_str().unwrap().to_owned();
        let cd = h["content-disposition"].to_str().unwrap().to_owned();
        (ct, cd, resp.text().await.unwrap())
    }
}

#[tokio::test]
async fn csv_rows_are_the_reports_in_the_span_and_notes_only_when_asked() {
    let f = fixture().await;
    let expected = f.expected();
    assert!(expected.len() > 100, "{} reports", expected.len());

    let (ct, cd, text) = f.export("format=csv").await;
    assert_eq!(ct, "text/csv; charset=utf-8");
    assert_eq!(
        cd,
        "attachment; filename=\"torgkoll-plattan-2026-11-25_2026-11-26.csv\""
    );
    assert!(
        !text.contains("HYPERLINK") && !text.contains("citat"),
        "free text leaked"
    );
    let rows = parse_csv(&text);
    let header = &rows[0];
    assert!(!header.contains(&"anteckning".to_owned()));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, n) = (col("id"), col("antal_i_perioden"));
    let mut got = BTreeMap::new();
    for r in &rows[1..] {
        assert_eq!(r.len(), header.len(), "{r:?}");
        got.insert(
            Uuid::parse_str(&r[id]).unwrap(),
            r[n].parse::<u32>().unwrap(),
        );
    }
    assert_eq!(rows.len() - 1, got.len(), "one row per report");
    assert_eq!(got, expected);

    let (_, _, text) = f.export("format=csv&notes=true").await;
    let rows = parse_csv(&text);
    let note = rows[0]
        .iter()
        .position(|h| h == "anteckning")
        .expect("a note column");
    let row_of = |id: Uuid| {
        rows.iter()
            .find(|r| r[0] == id.to_string())
            .unwrap()
            .clone()
    };
    assert_eq!(
        row_of(f.formula_report)[note],
        format!("'{FORMULA_NOTE}"),
        "no formula runs in Excel"
    );
    assert_eq!(row_of(f.quoted_report)[note], QUOTED_NOTE);
    assert_eq!(rows.len() - 1, expected.len());
}

#[tokio::test]
async fn geojson_is_a_feature_collection_of_the_same_reports_and_runs() {
    let f = fixture().await;
    let expected = f.expected();
    let (ct, cd, text) = f.export("format=geojson").await;
    assert_eq!(ct, "application/geo+json");
    assert!(cd.ends_with(".geojson\""), "{cd}");
    assert!(!text.contains("HYPERLINK") && !text.contains("citat") && !text.contains("\"note\""));
    let fc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    let points: Vec<&Value> = features
        .iter()
        .filter(|x| x["geometry"]["type"] == "Point")
        .collect();
    let lines: Vec<&Value> = features
        .iter()
        .filter(|x| x["geometry"]["type"] == "LineString")
        .collect();
    assert_eq!(points.len() + lines.len(), features.len());
    assert_eq!(points.len(), expected.len());
    for p in &points {
        assert_eq!(p["type"], "Feature");
        let id = Uuid::parse_str(p["properties"]["id"].as_str().unwrap()).unwrap();
        let want = f.state.reports[&id].at().unwrap().rounded();
        let xy = p["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap());
        assert!(
            (lon - want.lon).abs() < 1e-9 && (lat - want.lat).abs() < 1e-9,
            "{id}"
        );
        assert!(
            (18.06..18.07).contains(&lon) && (59.33..59.34).contains(&lat),
            "lon, lat order"
        );
        assert_eq!(
            p["properties"]["count_in_period"].as_u64().unwrap(),
            u64::from(expected[&id])
        );
    }
    let ids: BTreeSet<Uuid> = points
        .iter()
        .map(|p| Uuid::parse_str(p["properties"]["id"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(ids, expected.keys().copied().collect());
    let runs = f
        .state
        .runs
        .values()
        .filter(|r| r.path().iter().filter(|p| f.period.contains(p.t)).count() >= 2)
        .count();
    assert!(runs >= 4, "the demo drives machines every day");
    assert_eq!(lines.len(), runs);

    let (_, _, text) = f.export("format=geojson&notes=true").await;
    let fc: Value = serde_json::from_str(&text).unwrap();
    let with_note = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["properties"]["id"] == f.quoted_report.to_string())
        .unwrap();
    assert_eq!(with_note["properties"]["note"], QUOTED_NOTE);
}
