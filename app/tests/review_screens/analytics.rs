//! The analysis sub-views on known data: hotspots and recurring hotspots, machine coverage with the
//! "not cleaned in N hours" highlight, disturbances by hour and zone, freshness per zone.

use torgkoll_shared::calendar::{local_date, local_date_hour};
use torgkoll_shared::{CleaningCategory, Role};

use crate::harness::Ui;
use crate::seed::{Fleet, in_zone, manager_with_known_day, zone_id};

/// The HTML of the element with `id`, up to the next element with an id-less closing of the same
/// length; good enough to look into one table row.
fn element(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let start = html[..at].rfind('<').expect("tag start");
    let tag: String = html[start + 1..]
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let end = html[at..]
        .find(&format!("</{tag}>"))
        .map_or(html.len(), |e| at + e);
    html[start..end].to_owned()
}

#[test]
fn hotspots_count_cells_and_categories_for_the_period() {
    let (mut ui, _) = manager_with_known_day();
    ui.click("tab-review");
    ui.click("rv-hotspots");
    let html = ui.html();
    assert!(
        html.contains("4 rapporter i 2 rutor · högst 3 i en ruta"),
        "{html}"
    );
    assert_eq!(
        html.matches("class=\"heat\"").count(),
        2,
        "two cells on the heat layer"
    );
    let top = element(&html, "hot-top");
    let zone2 = zone_id(&ui.services.site, 2);
    assert!(
        top.contains("<b>3</b>") && top.contains(&zone2) && top.contains("Fimpar 3"),
        "{top}"
    );
    // One category.
    ui.click("hot-snus");
    assert!(ui.html().contains("1 rapport i 1 ruta · högst 1 i en ruta"));
    // Seven days: the fimpar report of three days ago joins its spot.
    ui.click("hot-all");
    ui.click("span-7d");
    assert!(
        ui.html()
            .contains("5 rapporter i 2 rutor · högst 4 i en ruta")
    );
    assert!(ui.has("recurring-none"), "no four weeks of data yet");
}

#[test]
fn a_slot_seen_on_the_four_previous_same_weekdays_is_a_recurring_hotspot() {
    let mut planted_hour = 0;
    let mut ui = Ui::with_store(Some(Role::Manager), |store, now| {
        let today = local_date(now);
        let site = store.site().clone();
        let mut f = Fleet::default();
        for week in 1..=4 {
            let noon = today.add_days(-7 * week).at_local(12, 10);
            planted_hour = local_date_hour(noon).1;
            for i in 0..3 {
                f.clean(
                    noon + i * 60_000,
                    CleaningCategory::Fimpar,
                    in_zone(&site, 6, i as f64, 0.0),
                );
            }
        }
        f.deliver(store, now);
    });
    ui.click("tab-review");
    ui.click("rv-hotspots");
    let list = element(&ui.html(), "recurring");
    let zone6 = zone_id(&ui.services.site, 6);
    let slot = format!("{planted_hour:02}–{:02}", (planted_hour + 1) % 24);
    assert!(list.contains(&zone6) && list.contains(&slot), "{list}");
    assert!(
        list.contains("vanligtvis 3,0/vecka (4 av 4 veckor) · idag 0"),
        "{list}"
    );
}

#[test]
fn coverage_shows_shares_last_cleaned_and_zones_not_cleaned_in_n_hours() {
    let (mut ui, _) = manager_with_known_day();
    ui.click("tab-review");
    ui.click("rv-machines");
    let html = ui.html();
    let site = ui.services.site.clone();
    let (z0, z1) = (zone_id(&site, 0), zone_id(&site, 1));
    let covered = element(&html, &format!("cov-{z0}"));
    assert!(!covered.contains("class=\"stale\""), "{covered}");
    assert!(covered.contains("h sedan"), "{covered}");
    assert!(
        !covered.contains("<b>0 %</b>"),
        "a share of the zone was covered: {covered}"
    );
    let never = element(&html, &format!("cov-{z1}"));
    assert!(
        never.contains("class=\"stale\"") && never.contains("inte på 14 dygn"),
        "{never}"
    );
    assert!(html.contains("7 zoner ej städade på 4 h"), "{html}");
    assert_eq!(
        html.matches("class=\"stale-zone\"").count(),
        7,
        "the seven zones shaded on the map"
    );
    assert!(
        html.contains("cov cov-fimpsug"),
        "the covered area is drawn"
    );
    ui.click("stale-24");
    assert!(ui.html().contains("7 zoner ej städade på 24 h"));
}

#[test]
fn disturbances_by_hour_and_zone_form_a_heat_table() {
    let (mut ui, day) = manager_with_known_day();
    ui.click("tab-review");
    ui.click("rv-disturbances");
    let html = ui.html();
    let summary = element(&html, "dist-summary");
    for part in [
        "2 störningar",
        "nivå 1: 1",
        "nivå 2: 0",
        "nivå 3: 1",
        "1 ingripanden",
    ] {
        assert!(
            summary.contains(&format!("<b>{part}</b>")),
            "{part}: {summary}"
        );
    }
    let zone4 = zone_id(&ui.services.site, 4);
    let row = element(&html, &format!("heat-{zone4}"));
    let hour = usize::from(local_date_hour(day.disturbance_t).1);
    let cells: Vec<&str> = row.split("<td").skip(1).collect();
    assert_eq!(cells.len(), 25, "24 hours and the sum: {row}");
    assert!(
        cells[hour].contains("class=\"l1\"") && cells[hour].contains(">2<"),
        "hour {hour}: {}",
        cells[hour]
    );
    assert!(cells[24].contains(">2<"));
    let other = element(&html, &format!("heat-{}", zone_id(&ui.services.site, 0)));
    assert!(other.contains("class=\"sum\">0<"), "{other}");
}

#[test]
fn freshness_tells_no_data_from_quiet() {
    let (mut ui, day) = manager_with_known_day();
    ui.click("tab-review");
    ui.click("rv-freshness");
    let html = ui.html();
    let site = ui.services.site.clone();
    let fresh = element(&html, &format!("fresh-{}", zone_id(&site, 2)));
    let t = torgkoll_shared::calendar::local_hhmm(day.fimpar_t);
    assert!(
        fresh.contains(&t),
        "the latest fimpar report at {t}: {fresh}"
    );
    let none = element(&html, &format!("fresh-{}", zone_id(&site, 1)));
    assert!(
        none.contains("nodata") && none.contains("Ingen data på 14 dygn"),
        "{none}"
    );
    assert_eq!(
        html.matches("class=\"fresh-none\"").count(),
        4,
        "zones 1, 3, 6 and 7 greyed on the map"
    );
    let run = element(&html, &format!("fresh-{}", zone_id(&site, 0)));
    assert!(!run.contains("nodata"), "a machine run is data: {run}");
}

/// A day with a 10,000-point run that zigzags across the whole square: the coverage is worked out on a
/// worker thread, so the screen answers at once ("Räknar…") and other tabs can be opened meanwhile; then
/// every zone shows as covered. The points are taps (`acc: None`), which the coverage believes as they
/// come: as GPS fixes, 86 m a second apart, none would be believable and nothing would paint.
#[test]
fn a_day_of_long_tracks_does_not_hold_up_the_screen() {
    use torgkoll_shared::analytics::demo::stress::zigzag_across_site;
    use torgkoll_shared::{MachineKind, OpBody, TrackPoint};

    let mut ui = Ui::with_store(Some(Role::Manager), |store, now| {
        let site = store.site().clone();
        let mut f = Fleet::default();
        let t = now - 3 * 3_600_000;
        let start = OpBody::RunStart {
            kind: MachineKind::Skurmaskin,
            machine: "Skurmaskin 1".into(),
            started: t,
        };
        let run = f.op(crate::seed::CLEANER, Role::Cleaner, t, start);
        let points: Vec<TrackPoint> = zigzag_across_site(&site, 10_000)
            .into_iter()
            .enumerate()
            .map(|(i, c)| TrackPoint {
                at: site.frame.from_local(c),
                t: t + 1 + i as i64 * 1_000,
                acc: None,
            })
            .collect();
        for chunk in points.chunks(2_000) {
            let last = chunk.last().map_or(t, |p| p.t);
            let body = OpBody::RunPoints {
                run,
                points: chunk.to_vec(),
            };
            f.op(crate::seed::CLEANER, Role::Cleaner, last, body);
        }
        f.deliver(store, now);
    });
    ui.click("tab-review");
    ui.click_now("rv-machines");
    assert!(ui.html().contains("Räknar…"), "{}", ui.html());
    // The tabs answer while it works.
    ui.click_now("rv-map");
    assert!(ui.has("rv-list"), "{}", ui.html());
    ui.click("rv-machines");
    let html = ui.html();
    assert!(!html.contains("Räknar…"));
    for z in &ui.services.site.zones {
        let row = element(&html, &format!("cov-{}", z.id));
        assert!(
            row.contains("<b>100 %</b>") || row.contains("<b>99 %</b>"),
            "{row}"
        );
    }
}
