//! Machine runs: start, the banner, every tap a saved path point, the coverage, stop.

use torgkoll_shared::{MachineKind, OpBody, Role};

use crate::harness::Ui;

#[test]
fn a_run_from_start_to_stop_keeps_every_tap() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    ui.click("tab-runs");
    assert!(ui.html().contains("Välj maskin"));
    for m in [
        "machine-fimpsug-1",
        "machine-fimpsug-2",
        "machine-skurmaskin-1",
        "machine-skurmaskin-2",
    ] {
        assert!(ui.has(m), "missing {m}");
    }
    ui.click("machine-skurmaskin-2");
    let run = ui
        .disk()
        .active_run()
        .unwrap()
        .expect("an active run on disk");
    assert_eq!(run.kind, Some(MachineKind::Skurmaskin));
    assert!(ui.html().contains("Skurmaskin 2 · 0 min"), "the banner");
    assert!(ui.has("stop-run"));

    for (k, x) in [-30.0, -10.0, 10.0, 30.0].into_iter().enumerate() {
        ui.tap(ui.place(x, 2.0));
        let run = ui.disk().active_run().unwrap().unwrap();
        assert_eq!(run.path().len(), k + 1, "tap {k} is on disk");
    }
    let html = ui.html();
    assert!(html.contains("4 punkter"));
    assert!(
        html.contains("class=\"cov cov-skurmaskin\""),
        "the covered area is drawn"
    );

    // The banner stays on other screens.
    ui.click("tab-mine");
    assert!(ui.has("run-banner"));
    ui.click("tab-runs");
    ui.click("stop-run");
    assert!(!ui.has("run-banner"));
    assert!(ui.disk().active_run().unwrap().is_none());
    assert!(matches!(ui.ops().last(), Some(OpBody::RunStop { .. })));
    let html = ui.html();
    assert!(html.contains("Dagens körningar") && html.contains("Skurmaskin 2"));
    assert!(html.contains("m² täckt"));
}
