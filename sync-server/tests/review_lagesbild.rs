//! The daily report served to a manager: built from the stored operations exactly as from a fold of all of
//! them, rendered by the real server, loaded in headless Chromium, and refused to other roles.

mod common;
mod review_support;

use std::collections::BTreeMap;

use common::{TestServer, error_of};
use review_support::{at, bad_query, decode_png, get, op_at, pulled_ops, run_chromium};
use torgkoll_server::Limits;
use torgkoll_server::review::demo;
use torgkoll_shared::analytics::{Lagesbild, LagesbildInput, StaffCount};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint,
    Intervention, OpBody, Role, State,
};

const SECRET_DISTURBANCE: &str = "HEMLIG-7Q man i röd jacka";
const SECRET_CLEANING: &str = "STADNOT-3X vid bänken";

fn day() -> Date {
    Date::parse("2026-11-26").unwrap()
}

/// A seeded month up to the day, a guard and a cleaner who report with free text that day, and a manager.
async fn seeded() -> (TestServer, common::Phone) {
    let srv = TestServer::start(Limits::default()).await;
    let date = day();
    srv.clock.set(date.bounds_ms().1 + 3_600_000);
    let site = torgkoll_shared::test_support::plattan();
    let cfg = demo::config(7, date, 29, 140, 14);
    let seeded = demo::seed(&*srv.store, &site, &cfg, srv.clock.now_ms()).unwrap();
    assert!(seeded.accepted > 3_000, "{seeded:?}");

    let mut guard = srv
        .phone_enrolled_at(common::T0, Role::Guard, "Vakt X")
        .await;
    let d = op_at(
        &mut guard,
        at(date, 14, 5),
        OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::BrakVald,
            level: 1,
            people: 2,
            interventions: BTreeMap::from([(Intervention::PolisTillkallad, 1)]),
            note: Some(SECRET_DISTURBANCE.into()),
            at: GeoPoint::new(18.0641234, 59.3321234),
            happened: None,
        }),
    );
    let r = guard.sync(&[d], 0).await;
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let mut cleaner = srv
        .phone_enrolled_at(common::T0, Role::Cleaner, "Plock X")
        .await;
    // Older than the month the report reads by time: one still open, one reopened (+1 after its
    // resolution), one resolved. The open ones must still count as open items.
    let clean = |t: i64, cleaner: &mut common::Phone| {
        op_at(
            cleaner,
            t,
            OpBody::Clean(CleaningReport {
                category: CleaningCategory::Fimpar,
                amount: None,
                note: None,
                at: GeoPoint::new(18.0641234, 59.3321234),
                acc: None,
            }),
        )
    };
    // A phone's operations are numbered in the order it made them.
    let old = at(date.add_days(-40), 10, 0);
    let closed = clean(old - 10 * 86_400_000, &mut cleaner);
    let r3 = op_at(
        &mut cleaner,
        old - 10 * 86_400_000 + 60_000,
        OpBody::Resolve { report: closed.id },
    );
    let reopened = clean(old - 5 * 86_400_000, &mut cleaner);
    let r1 = op_at(
        &mut cleaner,
        old - 5 * 86_400_000 + 3_600_000,
        OpBody::Resolve {
            report: reopened.id,
        },
    );
    let r2 = op_at(
        &mut cleaner,
        old - 4 * 86_400_000,
        OpBody::StillThere {
            report: reopened.id,
        },
    );
    let open = clean(old, &mut cleaner);
    let c = op_at(
        &mut cleaner,
        at(date, 15, 0),
        OpBody::Clean(CleaningReport {
            category: CleaningCategory::Glaskross,
            amount: None,
            note: Some(SECRET_CLEANING.into()),
            at: GeoPoint::new(18.0641234, 59.3321234),
            acc: None,
        }),
    );
    let ops = [closed, r3, reopened, r1, r2, open, c];
    assert!(cleaner.sync(&ops, 0).await.rejected.is_empty());
    let manager = srv
        .phone_enrolled_at(common::T0, Role::Manager, "Platsansvarig")
        .await;
    (srv, manager)
}

use torgkoll_server::Clock;

#[tokio::test]
async fn the_report_equals_the_fold_of_every_operation_and_has_no_free_text() {
    let (srv, manager) = seeded().await;
    let date = day();
    let url = format!("{}/v1/lagesbild?date={date}&format=json", srv.url);
    let resp = get(&url, Some(&manager)).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let text = resp.text().await.unwrap();
    assert!(!text.contains("HEMLIG") && !text.contains("STADNOT"));
    let served: Lagesbild = serde_json::from_str(&text).unwrap();

    // The same report from a fold of everything a manager can pull, cut at the day's end.
    let day_end = date.bounds_ms().1;
    let all = pulled_ops(&manager).await;
    let before: Vec<_> = all.iter().filter(|o| o.at_ms() < day_end).collect();
    let staff = vec![
        StaffCount {
            role: Role::Manager,
            count: 1,
        },
        StaffCount {
            role: Role::Guard,
            count: 3,
        },
        StaffCount {
            role: Role::Cleaner,
            count: 3,
        },
    ];
    let site = torgkoll_shared::test_support::plattan();
    let input = LagesbildInput::new(date, srv.clock.now_ms(), staff);
    let expected = Lagesbild::build(&site, &State::fold(before), &input);
    // Compared as text: the served JSON is the report's own serialisation (parsing floats back may be
    // off by one in the last bit).
    assert!(
        text == expected.to_json(),
        "the served report differs from the fold of all operations"
    );
    assert!(served.totals.iter().any(|t| t.today > 0));
    let old_open: u32 = served
        .open_by_age
        .iter()
        .filter(|b| b.min_h >= 7.0 * 24.0)
        .map(|b| b.count)
        .sum();
    assert!(
        served.open_total >= 2 && old_open >= 2,
        "{:?}",
        served.open_by_age
    );
    assert!(
        served.totals[3].today >= 1,
        "the guard's level-1 disturbance counts"
    );
}

#[tokio::test]
async fn the_html_report_renders_in_chromium() {
    let (srv, manager) = seeded().await;
    let date = day();
    let resp = get(
        &format!("{}/v1/lagesbild?date={date}", srv.url),
        Some(&manager),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/html; charset=utf-8");
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("lagesbild-2026-11-26.html")
    );
    let html = resp.text().await.unwrap();
    let json: Lagesbild = serde_json::from_str(
        &get(
            &format!("{}/v1/lagesbild?date={date}&format=json", srv.url),
            Some(&manager),
        )
        .await
        .text()
        .await
        .unwrap(),
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("lagesbild.html");
    std::fs::write(&page, &html).unwrap();
    let shot = dir.path().join("lagesbild.png");
    let out = run_chromium(
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1000,1600".into(),
        ],
    );
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        shot.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (w, h, pixels) = decode_png(&shot);
    assert_eq!((w, h), (1000, 1600));
    let white = pixels
        .iter()
        .filter(|p| p[0] > 245 && p[1] > 245 && p[2] > 245)
        .count();
    let colours: std::collections::HashSet<[u8; 4]> = pixels.iter().copied().collect();
    assert!(
        white < pixels.len() * 95 / 100,
        "the page is (almost) blank"
    );
    assert!(
        colours.len() > 100,
        "only {} colours: not a rendered report",
        colours.len()
    );
    // The map's coverage colours (fimpsug blue, skurmaskin green) are on the screen.
    let rgb = |p: &[u8; 4]| (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
    let blueish = pixels
        .iter()
        .map(rgb)
        .filter(|(r, g, b)| *b > r + 40 && b > g)
        .count();
    let greenish = pixels
        .iter()
        .map(rgb)
        .filter(|(r, g, b)| *g > r + 25 && *g > b + 15)
        .count();
    assert!(
        blueish > 5_000 && greenish > 5_000,
        "map colours: {blueish} blue, {greenish} green"
    );

    let out = run_chromium(&page, &["--dump-dom".into()]);
    assert!(out.status.success());
    let dom = String::from_utf8(out.stdout).unwrap();
    for part in [
        "Lägesbild",
        "torsdag 26 november 2026",
        "Dagens siffror mot det vanliga",
        "<svg",
        "Maskintäckning per zon",
        "Datafärskhet per zon",
        "Z1 Trappan",
        "© OpenStreetMap contributors",
        "ordningsvakter",
    ] {
        assert!(dom.contains(part), "the rendered page lacks {part:?}");
    }
    let cleaning_today = json.totals[0].today.to_string();
    assert!(
        dom.contains(&format!(">{cleaning_today}<")),
        "today's total {cleaning_today} is not shown"
    );
    for secret in [
        "HEMLIG",
        "STADNOT",
        "Kort anteckning",
        "Ligger vid bänken",
        "Vakt X",
        "Plock X",
    ] {
        assert!(!dom.contains(secret), "the report shows {secret:?}");
    }
}

#[tokio::test]
async fn only_a_manager_gets_the_report_and_exports() {
    let (srv, manager) = seeded().await;
    let cleaner = srv.phone_enrolled_at(common::T0, Role::Cleaner, "C").await;
    let guard = srv.phone_enrolled_at(common::T0, Role::Guard, "G").await;
    let report = format!("{}/v1/lagesbild?date=2026-11-26", srv.url);
    let export = format!(
        "{}/v1/export?from=2026-11-25&to=2026-11-26&format=csv",
        srv.url
    );
    for url in [&report, &export] {
        for phone in [&cleaner, &guard] {
            let (status, body) = error_of(get(url, Some(phone)).await).await;
            assert_eq!(
                (status.as_u16(), body.error.as_str()),
                (403, "forbidden"),
                "{url}"
            );
        }
        let (status, body) = error_of(get(url, None).await).await;
        assert_eq!((status.as_u16(), body.error.as_str()), (401, "bad_token"));
        assert_eq!(get(url, Some(&manager)).await.status(), 200);
    }
    for bad in [
        "/v1/lagesbild?date=2026-02-30",
        "/v1/lagesbild",
        "/v1/lagesbild?date=2026-11-26&format=pdf",
        "/v1/export?from=2026-11-26&to=2026-11-25&format=csv",
        "/v1/export?from=2026-11-26&to=2026-11-26&format=xls",
        "/v1/export?from=2026-11-26&to=2026-11-26&format=csv&notes=maybe",
    ] {
        bad_query(&srv.url, bad, &manager).await;
    }
}
