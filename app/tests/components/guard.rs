//! The guard's disturbance in a few taps, and a cleaning task asked for from its pin.

use torgkoll_shared::{CleaningCategory, DisturbanceCategory, Intervention, OpBody, Role};

use crate::harness::Ui;

#[test]
fn a_disturbance_in_a_few_taps() {
    let mut ui = Ui::new(Some(Role::Guard));
    let html = ui.html();
    assert!(html.contains("Ny störning"));
    assert!(html.contains("Skriv aldrig namn"), "the warning is visible");
    assert!(ui.has("tab-disturbance") && ui.has("tab-map") && !ui.has("tab-runs"));

    // Saving without a spot or category says what is missing and saves nothing.
    ui.click("save-disturbance");
    assert!(ui.html().contains("Välj plats och kategori först."));
    assert!(ui.ops().is_empty());

    let at = ui.place(-6.0, 4.0);
    ui.tap(at);
    ui.click("dcat-brak_vald");
    ui.click("level-1");
    ui.click("people-plus");
    ui.click("people-plus");
    ui.click("people-minus");
    ui.click("iv-polis-plus");
    ui.click("iv-avvisning-plus");
    ui.click("iv-avvisning-plus");
    ui.input("disturbance-note", "Lugnt efter tio minuter");
    ui.click("save-disturbance");

    let ops = ui.ops();
    let [OpBody::Disturbance(d)] = &ops[..] else {
        panic!("{ops:?}")
    };
    assert_eq!(d.category, DisturbanceCategory::BrakVald);
    assert_eq!(d.level, 1);
    assert_eq!(d.people, 2);
    assert_eq!(
        d.interventions.get(&Intervention::PolisTillkallad),
        Some(&1)
    );
    assert_eq!(d.interventions.get(&Intervention::Avvisning), Some(&2));
    assert_eq!(d.interventions.len(), 2, "zero counts are left out");
    assert_eq!(d.note.as_deref(), Some("Lugnt efter tio minuter"));
    let html = ui.html();
    assert!(html.contains("Sparad · Bråk/våld"));
    // The form is cleared for the next one.
    assert!(ui.html().contains("id=\"people-value\">1<"), "{html}");

    // Its pin offers a cleaning task at the same place.
    ui.tap(at);
    assert!(ui.has("report-sheet"));
    assert!(ui.html().contains("Begär städning här"));
    ui.click("task-kanyler");
    let ops = ui.ops();
    let Some(OpBody::CleanRequest { task, .. }) = ops.last() else {
        panic!("{ops:?}")
    };
    assert_eq!(task.category, CleaningCategory::Kanyler);
    assert_eq!(task.at, d.at);

    // "Pass" lists the shift's disturbances to copy into the duty report, without identities.
    ui.click("tab-mine");
    let html = ui.html();
    assert!(html.contains("Passlista"), "{html}");
    assert!(
        html.contains("<div>Bråk/våld · 1 Akut · 2 pers.</div>"),
        "{html}"
    );
    assert!(html.contains("Avvisning: 2") && html.contains("Polis tillkallad: 1"));
}

#[test]
fn a_note_is_capped_at_280_characters() {
    let mut ui = Ui::new(Some(Role::Guard));
    let long = "x".repeat(300);
    ui.tap(ui.place(0.0, 0.0));
    ui.click("dcat-hot");
    ui.input("disturbance-note", &long);
    ui.click("save-disturbance");
    assert!(ui.ops().is_empty(), "too long a note is not saved");
    assert!(ui.html().contains("280"));
}
