//! The cleaner's quick report: category then spot, spot then category, undo, details, pin actions.

use torgkoll_app::store::SyncState;
use torgkoll_shared::{Amount, CleaningCategory, OpBody, Role, Status};

use crate::harness::Ui;

#[test]
fn the_home_screen_has_the_map_eight_big_categories_and_more() {
    let ui = Ui::new(Some(Role::Cleaner));
    let html = ui.html();
    for id in [
        "map",
        "sync-bar",
        "tab-report",
        "tab-runs",
        "tab-mine",
        "tab-settings",
        "hint",
    ] {
        assert!(ui.has(id), "missing #{id}");
    }
    for label in [
        "Fimpar",
        "Nedskräpning",
        "Glaskross",
        "Kanyler/sprutor",
        "Klotter",
        "Spyor/urin/avföring",
        "Överfull papperskorg",
        "Annat",
    ] {
        // A slash may break the line (a zero-width space after it).
        let shown = label.replace('/', "/\u{200B}");
        assert!(html.contains(&shown), "missing {label}");
    }
    assert_eq!(html.matches("id=\"cat-").count(), 9, "eight and Fler…");
    assert!(html.contains("Fler…"));
    // The plan: zones labelled, landmarks, the attribution.
    for text in [
        "Z1",
        "Trappan",
        "T-bana",
        "Trygghetskontoret",
        "© OpenStreetMap contributors",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    assert!(html.contains("Välj vad du ser"));
    assert!(ui.ops().is_empty());
}

/// The undo time is the phone's clock's: once it has passed, "Ångra" withdraws nothing.
#[test]
fn undo_after_the_undo_time_withdraws_nothing() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    ui.click("cat-fimpar");
    ui.tap(ui.place(0.0, 0.0));
    assert!(ui.has("undo"));
    ui.clock
        .advance(torgkoll_app::ui::state::actions::UNDO_MS + 1);
    ui.click("undo");
    assert_eq!(ui.ops().len(), 1, "still only the report: {:?}", ui.ops());
    assert!(!ui.has("undo"));
}

#[test]
fn category_then_spot_saves_at_once_and_undo_withdraws() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    ui.click("cat-glaskross");
    assert!(
        ui.html()
            .contains("Tryck på kartan där det finns: Glaskross")
    );
    assert!(ui.ops().is_empty(), "nothing is saved before the spot");
    let at = ui.place(5.0, 3.0);
    ui.tap(at);
    let ops = ui.ops();
    assert_eq!(ops.len(), 1);
    let OpBody::Clean(c) = &ops[0] else {
        panic!("{ops:?}")
    };
    assert_eq!(c.category, CleaningCategory::Glaskross);
    assert!((c.at.lon - at.lon).abs() < 1e-6 && (c.at.lat - at.lat).abs() < 1e-6);
    let html = ui.html();
    assert!(html.contains("Sparad · Glaskross"), "{html}");
    assert_eq!(html.matches("id=\"pin-").count(), 1);
    assert!(html.contains("1 väntar"));

    ui.click("undo");
    assert!(matches!(ui.ops().last(), Some(OpBody::Withdraw { .. })));
    let html = ui.html();
    assert!(html.contains("Ångrad"));
    assert_eq!(
        html.matches("id=\"pin-").count(),
        0,
        "the withdrawn report leaves the map"
    );
    assert_eq!(
        ui.disk().my_reports(5).unwrap()[0].status(),
        Status::Withdrawn
    );
}

#[test]
fn spot_then_category_saves_and_details_can_be_added_after() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    ui.tap(ui.place(-10.0, 0.0));
    assert!(ui.has("spot-marker"));
    assert!(ui.html().contains("Plats vald"));
    ui.click("cat-fimpar");
    assert!(!ui.has("spot-marker"));
    assert!(matches!(&ui.ops()[..], [OpBody::Clean(c)] if c.category == CleaningCategory::Fimpar));

    ui.click("add-details");
    assert!(ui.has("details-sheet"));
    assert!(ui.html().contains("Skriv aldrig namn"));
    ui.click("amount-extremt");
    ui.input("details-note", "  Vid trappan  ");
    ui.click("details-save");
    assert!(!ui.has("details-sheet"));
    let ops = ui.ops();
    assert!(
        matches!(ops.last(), Some(OpBody::Amend { change, .. })
            if change.amount == Some(Amount::Extremt) && change.note.as_deref() == Some("Vid trappan")),
        "{ops:?}"
    );
}

#[test]
fn cancel_drops_the_chosen_spot_and_nothing_is_saved() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    ui.click("cat-klotter");
    ui.click("cancel-pending");
    ui.tap(ui.place(0.0, 0.0));
    // The tap now only chooses a spot.
    assert!(ui.ops().is_empty());
    ui.click("cancel-pending");
    assert!(!ui.has("spot-marker"));
}

#[test]
fn a_tap_off_the_site_is_refused_with_a_readable_reason() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    ui.click("cat-fimpar");
    ui.tap(ui.place(0.0, 70.0));
    assert!(ui.ops().is_empty());
    let html = ui.html();
    assert!(
        html.contains("Inte sparat")
            && html.contains("m utanför området. Tryck inom området på kartan."),
        "{html}"
    );
}

#[test]
fn a_tap_on_a_pin_opens_it_with_cleaned_and_still_there() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    let at = ui.place(8.0, -4.0);
    ui.click("cat-nedskrapning");
    ui.tap(at);
    ui.tap(at);
    assert!(ui.has("report-sheet"), "the pin opens");
    assert_eq!(ui.ops().len(), 1, "a tap on a pin is not a new report");
    ui.click("act-still-there");
    assert!(matches!(ui.ops().last(), Some(OpBody::StillThere { .. })));
    assert!(!ui.has("report-sheet"));
    ui.tap(at);
    assert!(ui.html().contains("2 gånger"));
    ui.click("act-resolve");
    assert!(matches!(ui.ops().last(), Some(OpBody::Resolve { .. })));
    let mine = ui.disk().my_reports(5).unwrap();
    assert_eq!(mine[0].status(), Status::Resolved);
    assert_eq!(mine[0].sync, Some(SyncState::Pending));
}
