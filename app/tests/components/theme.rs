//! The night theme: automatic from sunset to sunrise by the phone's clock (checked against the sun times
//! computed for the site, never against the hour), re-checked by its timer, overridden by the setting
//! both ways, kept on disk, and pins in their night tones.

use std::time::{Duration, Instant};

use torgkoll_app::ui::demo;
use torgkoll_app::ui::state::theme::ThemeRecheck;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::sun::{self, SunDay};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{Clock, Role};

use crate::harness::{Ui, test_clock};

/// The timer's interval in these tests (a minute in the app).
const FAST: ThemeRecheck = ThemeRecheck(Duration::from_millis(20));

fn at(date: &str, hour: u8, minute: u8) -> i64 {
    Date::parse(date).expect("a date").at_local(hour, minute)
}

fn night(ui: &Ui) -> bool {
    ui.html().contains("class=\"app night\"")
}

/// Sunrise and sunset at the Plattan on a day.
fn rise_set(date: &str) -> (i64, i64) {
    match sun::sun_day(&plattan(), Date::parse(date).expect("a date")) {
        Some(SunDay::RiseSet {
            rise_ms: Some(r),
            set_ms: Some(s),
        }) => (r, s),
        other => panic!("{date}: {other:?}"),
    }
}

/// Lets the app's tasks run for a while (the timer fires several times).
fn run_for(ui: &mut Ui, d: Duration) {
    let start = Instant::now();
    ui.run_until(|_| start.elapsed() >= d);
}

#[test]
fn automatic_is_dark_at_23_and_light_at_13_today() {
    let today = torgkoll_shared::calendar::local_date(test_clock().now_ms());
    let day = today.to_string();
    let (rise, set) = rise_set(&day);
    let (late, noon) = (at(&day, 23, 0), at(&day, 13, 0));
    // Stockholm's sun sets by 22:08 at the latest and rises after 13:00 never: true on every day.
    assert!(set < late && rise < noon && noon < set);
    assert!(night(&Ui::starting_at(Some(Role::Cleaner), late, ())));
    assert!(!night(&Ui::starting_at(Some(Role::Cleaner), noon, ())));
}

#[test]
fn a_december_afternoon_is_night_already_and_a_june_evening_not_yet() {
    let (_, set) = rise_set("2026-12-15");
    let t = at("2026-12-15", 16, 0);
    assert!(set < t, "the sun set at {set}");
    assert!(night(&Ui::starting_at(Some(Role::Guard), t, ())));

    // Midsummer: 21:30 is before the 22:08 sunset, 22:30 after it.
    let (_, set) = rise_set("2026-06-21");
    let (before, after) = (at("2026-06-21", 21, 30), at("2026-06-21", 22, 30));
    assert!(before < set && set < after);
    assert!(!night(&Ui::starting_at(Some(Role::Guard), before, ())));
    assert!(night(&Ui::starting_at(Some(Role::Guard), after, ())));
}

#[test]
fn the_timer_turns_it_dark_at_sunset_and_light_at_sunrise() {
    let (_, set) = rise_set("2026-12-15");
    let (rise, _) = rise_set("2026-12-16");
    let mut ui = Ui::starting_at(Some(Role::Cleaner), at("2026-12-15", 13, 0), FAST);
    assert!(!night(&ui));
    ui.clock.set(set - 60_000);
    run_for(&mut ui, Duration::from_millis(200));
    assert!(!night(&ui), "a minute before sunset it is still day");
    ui.clock.set(set + 60_000);
    ui.run_until(|h| h.contains("class=\"app night\""));
    assert!(night(&ui), "a minute after sunset");
    ui.clock.set(rise + 60_000);
    ui.run_until(|h| h.contains("class=\"app\""));
    assert!(!night(&ui), "a minute after sunrise");
}

/// The clock is read by the timer, not on every render: between two of its looks, taps do not flip it.
#[test]
fn rendering_does_not_read_the_sun_between_two_looks_of_the_timer() {
    let mut ui = Ui::starting_at(Some(Role::Cleaner), at("2026-12-15", 13, 0), ());
    ui.clock.set(at("2026-12-15", 16, 0));
    ui.click("tab-runs");
    ui.click("tab-report");
    assert!(
        !night(&ui),
        "the default timer looks again only after a minute"
    );
}

#[test]
fn the_setting_overrides_the_sun_both_ways_and_is_kept_on_disk() {
    let mut ui = Ui::starting_at(Some(Role::Cleaner), at("2026-12-15", 16, 0), FAST);
    assert!(night(&ui));
    ui.click("tab-settings");
    let html = ui.html();
    assert!(html.contains("Tema") && html.contains("Automatiskt") && html.contains("Dag"));
    assert!(
        html.contains("id=\"theme-auto\" class=\"on\""),
        "automatic by default"
    );
    // Rounded to the minute: sunrise 08:38:4x, sunset 14:46:5x at the Plattan.
    assert!(
        html.contains("I dag: soluppgång 08:39, solnedgång 14:47"),
        "{html}"
    );
    ui.click("theme-day");
    assert!(!night(&ui), "day at night when asked");
    assert_eq!(ui.disk().setting("theme").unwrap().as_deref(), Some("day"));
    run_for(&mut ui, Duration::from_millis(100));
    assert!(!night(&ui), "the timer leaves a chosen theme alone");
    ui.click("theme-auto");
    assert!(night(&ui), "automatic follows the sun again");
    assert_eq!(ui.disk().setting("theme").unwrap().as_deref(), Some("auto"));
    ui.click("lang-en");
    let html = ui.html();
    assert!(html.contains("Theme") && html.contains("Automatic") && html.contains("Night"));

    // Chosen night on disk: a phone started at 13:00 is dark.
    let ui = Ui::with_store(Some(Role::Cleaner), |s, _| {
        s.set_setting("theme", "night").expect("setting");
    });
    assert!(night(&ui));
}

#[test]
fn pins_and_category_bands_take_their_night_tones() {
    let ui = Ui::with_store(None, |s, now| {
        demo::seed(s, Role::Cleaner, now).expect("demo");
        s.set_setting("theme", "night").expect("setting");
    });
    let html = ui.html();
    assert!(night(&ui));
    // Litter is orange: #e65100 by day, #ffb74d at night, on the pins and the category buttons.
    assert!(html.contains("stroke=\"#ffb74d\""), "{html}");
    assert!(!html.contains("stroke=\"#e65100\""));
    assert!(html.contains("border-left-color: #ffb74d"));
}
