//! The review map and list: everything synced in the period, the period chips, the filters.

use torgkoll_shared::Role;

use crate::harness::Ui;
use crate::seed::manager_with_known_day;

fn count(ui: &Ui) -> String {
    let html = ui.html();
    let at = html.find("id=\"rv-count\"").expect("the count");
    let rest = &html[at..];
    let text = &rest[rest.find('>').expect("tag end") + 1..];
    text[..text.find('<').expect("text end")].to_owned()
}

#[test]
fn the_manager_has_a_review_tab_and_other_roles_do_not() {
    for role in [Role::Cleaner, Role::Guard] {
        let ui = Ui::new(Some(role));
        assert!(!ui.has("tab-review"), "{role:?} has no review");
    }
    let mut ui = Ui::new(Some(Role::Manager));
    assert!(ui.has("tab-review"));
    ui.click("tab-review");
    let html = ui.html();
    for id in [
        "rv-map",
        "rv-hotspots",
        "rv-machines",
        "rv-disturbances",
        "rv-freshness",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} in {html}");
    }
    assert!(html.contains("Granska") && html.contains("Störningar") && html.contains("Färskhet"));
    assert!(
        ui.has("map") && ui.has("rv-empty"),
        "an empty store: {html}"
    );
}

#[test]
fn the_map_and_list_show_the_period_and_follow_the_filters() {
    let (mut ui, day) = manager_with_known_day();
    ui.click("tab-review");
    // Today: three fimpar, one snus, two disturbances.
    assert_eq!(count(&ui), "6 rapporter");
    let html = ui.html();
    assert_eq!(html.matches("id=\"rv-row-").count(), 6);
    assert_eq!(html.matches("id=\"pin-").count(), 6, "one pin per report");
    assert!(!html.contains(&format!("rv-row-{}", day.old_fimpar)));
    // Seven days bring the fimpar report of three days ago.
    ui.click("span-7d");
    assert_eq!(count(&ui), "7 rapporter");
    assert!(ui.has(&format!("rv-row-{}", day.old_fimpar)));
    ui.click("span-today");

    ui.click("rv-filter-toggle");
    ui.click("f-kind-disturbance");
    assert_eq!(count(&ui), "2 rapporter");
    assert!(ui.html().contains("Filter (1)"));
    ui.click("f-level-1");
    assert_eq!(count(&ui), "1 rapport");
    // The panel takes the list's place while open; the map stays.
    assert!(ui.has("map") && !ui.has(&format!("rv-row-{}", day.disturbances[0])));
    ui.click("rv-filter-toggle");
    assert!(ui.has(&format!("rv-row-{}", day.disturbances[0])));
    assert_eq!(ui.html().matches("id=\"rv-row-").count(), 1);
    ui.click("rv-filter-toggle");
    ui.click("f-clear");
    assert_eq!(count(&ui), "6 rapporter");

    ui.click("f-kind-cleaning");
    ui.click("f-cat-snus");
    assert_eq!(count(&ui), "1 rapport");
    ui.click("rv-filter-toggle");
    assert!(ui.has(&format!("rv-row-{}", day.snus)));
    ui.click("rv-filter-toggle");
    ui.click("f-clear");
    let zone2 = ui.services.site.zones[2].id.clone();
    ui.click(&format!("f-zone-{}", zone2.to_lowercase()));
    assert_eq!(count(&ui), "3 rapporter");
    ui.click("f-clear");
    ui.click("f-status-unreviewed");
    assert_eq!(count(&ui), "6 rapporter", "nothing is reviewed yet");
}

#[test]
fn english_is_the_apps_language_setting() {
    let (mut ui, _) = manager_with_known_day();
    ui.click("tab-settings");
    ui.click("lang-en");
    ui.click("tab-review");
    let html = ui.html();
    assert!(html.contains("6 reports") && html.contains("Freshness") && html.contains("7 days"));
    ui.click("rv-machines");
    assert!(ui.html().contains("Machine coverage today"));
}
