//! The daily report built from generated activity: its parts are there, it carries no free text, and its
//! JSON form round-trips. Also writes the page to the target tmp dir for a look in a browser.

use torgkoll_shared::State;
use torgkoll_shared::analytics::demo::{self, DemoConfig};
use torgkoll_shared::analytics::html::render_html;
use torgkoll_shared::analytics::{Lagesbild, LagesbildInput};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::test_support::plattan;

fn busy_day() -> (torgkoll_shared::Site, State, Lagesbild) {
    let site = plattan();
    let day = Date::parse("2026-11-20").unwrap(); // a Friday
    let ops = demo::generate(&site, &DemoConfig::busy_weeks(7, day, 4));
    let state = State::fold(&ops);
    let (_, end) = day.bounds_ms();
    let input = LagesbildInput::new(day, end + 3_600_000, demo::staff());
    let l = Lagesbild::build(&site, &state, &input);
    (site, state, l)
}

#[test]
fn a_busy_day_reads_right_and_has_no_free_text() {
    let (site, _state, l) = busy_day();
    assert_eq!(l.date.to_string(), "2026-11-20");
    assert_eq!(l.coverage.len(), site.zones.len());
    assert_eq!(l.freshness.len(), site.zones.len());
    assert_eq!(l.top_hotspots.len(), 5);
    assert!(l.top_hotspots[0].total >= l.top_hotspots[4].total);
    // A Friday is busier than the usual Friday? It is the same generator, so about the usual.
    let cleaning = &l.totals[0];
    assert!(cleaning.today > 400, "{cleaning:?}");
    assert!(
        (f64::from(cleaning.today) / cleaning.usual - 1.0).abs() < 0.2,
        "{cleaning:?}"
    );
    assert!(l.disturbances.total > 0);
    assert!(l.coverage.iter().any(|z| z.share > 0.5));
    assert!(
        l.coverage.iter().any(|z| z.stale),
        "some zone is not cleaned daily"
    );

    let json = l.to_json();
    let back: Lagesbild = serde_json::from_str(&json).unwrap();
    // Floats may differ in the last bit through JSON; everything counted must come back equal.
    assert_eq!(back.totals, l.totals);
    assert_eq!(back.disturbances, l.disturbances);
    assert_eq!(back.open_by_age, l.open_by_age);
    assert_eq!(back.date, l.date);
    assert_eq!(back.top_hotspots.len(), l.top_hotspots.len());
    assert!(!l.recurring.is_empty());
    let html = render_html(&site, &l);
    for text in [&json, &html] {
        assert!(!text.contains("anteckning utan"), "free text leaked");
        assert!(!text.contains("bänken"), "free text leaked");
        assert!(!text.contains("\"note\""));
    }
    for part in [
        "© OpenStreetMap contributors",
        "<svg",
        "Lägesbild",
        "fredag 20 november 2026",
        "Maskintäckning per zon",
        "Öppna ärenden efter ålder",
        "Datafärskhet per zon",
        "Nivå 1 akut",
        "@media print",
        "2 ordningsvakter",
        "Trappan",
    ] {
        assert!(html.contains(part), "missing {part}");
    }
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("lagesbild-demo.html");
    std::fs::write(&out, &html).unwrap();
    std::fs::write(out.with_extension("json"), &json).unwrap();
}

#[test]
fn the_demo_is_deterministic() {
    let site = plattan();
    let cfg = DemoConfig::busy_weeks(3, Date::parse("2026-06-10").unwrap(), 0);
    assert_eq!(demo::generate(&site, &cfg), demo::generate(&site, &cfg));
    let other = DemoConfig { seed: 4, ..cfg };
    assert_ne!(demo::generate(&site, &cfg), demo::generate(&site, &other));
}
