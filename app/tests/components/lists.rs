//! "Mina rapporter" with sync states, the manager's screens, the settings and the language.

use torgkoll_app::ui::demo;
use torgkoll_shared::Role;

use crate::harness::Ui;

fn demo_phone(role: Role) -> Ui {
    Ui::with_store(None, |s, now| {
        demo::seed(s, role, now).expect("demo");
    })
}

#[test]
fn my_reports_show_pending_sent_and_rejected_with_the_reason() {
    let mut ui = demo_phone(Role::Cleaner);
    ui.click("tab-mine");
    let html = ui.html();
    assert!(html.contains("Mina rapporter"));
    assert!(html.contains("Väntar") && html.contains("Skickad") && html.contains("Avvisad"));
    assert!(
        html.contains("Platsen ligger 3 m utanför området"),
        "the rejection's reason is shown, in Swedish: {html}"
    );
    assert_eq!(html.matches("id=\"row-").count(), 6);
    // The sync bar: pending count and the last sync.
    assert!(html.contains("väntar") && html.contains("Senast synkad"));
    assert!(html.contains("Ingen server inställd"));
    // The demo's running machine has its banner.
    assert!(html.contains("Skurmaskin 2 · 14 min"), "{html}");
}

#[test]
fn a_cleaners_phone_shows_no_disturbances() {
    let ui = demo_phone(Role::Cleaner);
    let html = ui.html();
    // A pin's colour is its circle's stroke (the page's stylesheet, inline when the app runs outside
    // cargo, has the same colours for other things).
    for level in ["#c62828", "#f9a825", "#2e7d32"] {
        assert!(
            !html.contains(&format!("stroke=\"{level}\"")),
            "a disturbance pin ({level}) on a cleaner's map"
        );
    }
    assert!(html.matches("id=\"pin-").count() > 5);
    // The demo spans three days: what earlier shifts left open shows with its age, and the morning
    // shift's handover is on top.
    assert!(html.contains("class=\"pin age-days\"") || html.contains("class=\"pin age-hours\""));
    assert!(html.contains("id=\"handover-card\""), "{html}");
    assert!(html.contains("Glas vid trappan kvar sedan i går kväll"));
}

#[test]
fn the_manager_has_the_map_with_everything_and_the_list() {
    let mut ui = demo_phone(Role::Manager);
    assert!(ui.has("map"));
    assert!(ui.has("tab-all") && ui.has("tab-map"));
    let pins = ui.html().matches("id=\"pin-").count();
    assert!(pins > 10, "{pins} pins");
    ui.click("tab-all");
    let html = ui.html();
    assert!(html.contains("Alla rapporter") && html.contains("id=\"ff-all\""));
    assert!(html.matches("id=\"row-").count() >= pins);
}

#[test]
fn english_is_a_setting_kept_with_the_data() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    ui.click("tab-settings");
    assert!(ui.html().contains("Plockstädare"));
    ui.click("lang-en");
    let html = ui.html();
    assert!(html.contains("Settings") && html.contains("Cleaner") && html.contains("Sync now"));
    assert_eq!(ui.disk().setting("lang").unwrap().as_deref(), Some("en"));
    ui.click("tab-report");
    assert!(ui.html().contains("Cigarette butts"));
    ui.click("tab-settings");
    ui.click("lang-sv");
    assert!(ui.html().contains("Inställningar"));
}
